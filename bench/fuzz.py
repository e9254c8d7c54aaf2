"""Long property-based fuzz run of every HTTP endpoint (``python -m bench.fuzz [CASES]``).

Same properties as ``tests/test_fuzz.py`` (never a 5xx, nothing stored from an unsigned
request, nothing a customer wrote live as Slack markup), with a fresh random seed and at
least 10,000 cases; prints the tally by endpoint and status, and exits non-zero on the first
violation (hypothesis shrinks it first).
"""

from __future__ import annotations

import sys
import time
from collections import Counter

from hypothesis import HealthCheck, given, settings

from tests.hostile import FuzzTarget, Request, any_request
from tests.test_fuzz import check


def main(cases: int) -> None:
    tally: Counter[tuple[str, str, bool, int]] = Counter()
    started = time.monotonic()
    with FuzzTarget() as target:

        @settings(max_examples=cases, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        @given(request=any_request)
        def run(request: Request) -> None:
            check(target, request)
            # re-send to learn the status for the tally (idempotent: re-deliveries are no-ops)
            tally[(request.method, request.path.split("?")[0], request.signed, target.send(request))] += 1

        run()
    elapsed = time.monotonic() - started
    total = sum(tally.values())
    print(
        f"fuzz: {total} cases in {elapsed:.0f} s ({total / elapsed:.0f}/s), 0 server errors, 0 unsigned rows,"
        " 0 customer texts live in Slack"
    )
    for (method, path, signed, status), count in sorted(tally.items()):
        print(f"  {method:4} {path:20} {'signed  ' if signed else 'unsigned'} -> {status}: {count}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
