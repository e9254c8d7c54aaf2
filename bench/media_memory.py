"""Memory of ``atende run`` while customers send large files: resident set before, after and at peak.

``atende run`` runs as a child process against the fake WhatsApp and Slack servers (in this
process, so the fakes' own copies of the files do not count). Customers each send one
document of ``--mib`` MiB at once; the benchmark waits until every file is in its Slack
thread, then reads the child's ``VmRSS`` and ``VmHWM`` (peak resident set) from ``/proc``.

    .venv/bin/python -m bench.media_memory                  # six documents of 40 MiB
    .venv/bin/python -m bench.media_memory --files 3 --mib 90
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

from bench.intake import (
    CHANNEL,
    PHONE_ID,
    PYTHON,
    SLACK_TOKEN,
    WA_SECRET,
    WA_TOKEN,
    Child,
    _wait_healthy,
    stop_all,
)
from bench.soak import Bot
from testing.signing import sign_whatsapp, to_bytes
from testing.slack.api import FakeSlackAPI
from testing.whatsapp_graph import FakeGraphAPI
from testing.whatsapp_webhooks import wa_media_message

MIB = 1024 * 1024


def memory(pid: int) -> dict[str, float]:
    """VmRSS and VmHWM of a process, in MB."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            fields[name] = int(value.split()[0]) / 1000  # kB -> MB
    return fields


async def run(files: int, mib: int, timeout: float) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="atende-media-bench-") as folder:
        async with (
            FakeGraphAPI(token=WA_TOKEN, phone_id=PHONE_ID) as graph,
            FakeSlackAPI(token=SLACK_TOKEN) as slack,
            aiohttp.ClientSession() as session,
        ):
            bot = Bot(Path(folder), graph.url, slack.url, AI_ENABLED="false")
            # not Bot.start: its 30 s for a start-up is short on a loaded machine
            bot.child = Child(
                "atende", [PYTHON, "-m", "bot.cli", "run"], bot.env, bot.workdir, bot.workdir / "atende.log"
            )
            await _wait_healthy(session, bot.url + "/healthz", bot.child, timeout=120)
            await asyncio.sleep(1.0)  # let start-up work (starter articles) settle
            before = memory(bot.child.pid)
            for n in range(files):
                # distinct bytes per file, so nothing is shared between them
                graph.add_media(str(5000 + n), bytes([n]) * (mib * MIB), "application/pdf")
            started = time.monotonic()
            for n in range(files):
                body = wa_media_message(
                    f"55119{n:08d}",
                    f"Cliente {n}",
                    "document",
                    str(5000 + n),
                    "application/pdf",
                    filename=f"contrato-{n}.pdf",
                )
                raw = to_bytes(body)
                async with session.post(
                    bot.url + "/whatsapp/webhook", data=raw, headers=sign_whatsapp(raw, WA_SECRET)
                ) as response:
                    assert response.status == 200, response.status
            while sum(1 for f in slack.files.values() if f.get("channel") == CHANNEL) < files:
                if time.monotonic() - started > timeout:
                    raise RuntimeError(f"files not all in Slack after {timeout:.0f} s")
                await asyncio.sleep(0.2)
            elapsed = time.monotonic() - started
            after = memory(bot.child.pid)
            sizes = sorted(len(f["data"]) for f in slack.files.values())
            assert sizes == [mib * MIB] * files, "a file arrived truncated"
    return {
        "files": files,
        "mib_each": mib,
        "rss_before_mb": before["VmRSS"],
        "rss_after_mb": after["VmRSS"],
        "peak_rss_mb": after["VmHWM"],
        "peak_over_before_mb": after["VmHWM"] - before["VmRSS"],
        "seconds": elapsed,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--files", type=int, default=6)
    parser.add_argument("--mib", type=int, default=40)
    parser.add_argument("--timeout", type=float, default=300)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    try:
        result = asyncio.run(run(args.files, args.mib, args.timeout))
    finally:
        stop_all()
    if args.json:
        print(json.dumps(result))
    else:
        print(f"{args.files} documents of {args.mib} MiB, one from each customer, all at once")
        print(f"atende RSS before: {result['rss_before_mb']:.0f} MB")
        print(f"atende RSS after:  {result['rss_after_mb']:.0f} MB")
        print(f"atende peak RSS:   {result['peak_rss_mb']:.0f} MB (+{result['peak_over_before_mb']:.0f} MB)")
        print(f"all files in Slack after {result['seconds']:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
