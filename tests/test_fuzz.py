"""Property-based fuzzing of every HTTP endpoint: never a server error, never a row from an unsigned request.

A short run here; ``python -m bench.fuzz`` runs the same properties for 10,000+ cases.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings

from tests.hostile import FuzzTarget, Request, any_request

CASES = 300


@pytest.fixture(scope="module")
def target() -> Iterator[FuzzTarget]:
    with FuzzTarget() as running:
        yield running


def check(target: FuzzTarget, request: Request) -> None:
    """The properties every request must keep, whatever it carries."""
    before = target.stored_rows()
    status = target.send(request)
    assert status < 500, f"{request.method} {request.path} answered {status}"
    if not request.signed:
        assert status != 200 or request.method == "GET", "an unsigned request was accepted"
        assert target.stored_rows() == before, "an unsigned request stored something"


@settings(max_examples=CASES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
@given(request=any_request)
def test_no_request_causes_a_server_error_or_stores_without_a_signature(
    target: FuzzTarget, request: Request
) -> None:
    check(target, request)
