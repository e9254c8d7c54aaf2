"""The workers' shared loop (bot/workers/wake.py): woken early, ticks that fail, and a stop that always ends."""

from __future__ import annotations

import asyncio
import logging

import pytest

from bot.workers.wake import Wake, run_every, run_woken


async def test_a_wake_up_ends_the_wait_before_its_timeout() -> None:
    wake = Wake()
    passes: list[float] = []

    async def step() -> float:
        passes.append(asyncio.get_running_loop().time())
        return 60.0

    task = asyncio.create_task(run_woken(step, wake))
    await asyncio.sleep(0.01)
    wake()
    await asyncio.sleep(0.01)
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    assert len(passes) == 2, "the worker did not look again when woken"


async def test_a_failing_tick_is_logged_and_the_next_one_still_runs(caplog: pytest.LogCaptureFixture) -> None:
    log = logging.getLogger("atende.test.wake")
    ticks = 0

    async def tick() -> None:
        nonlocal ticks
        ticks += 1
        if ticks == 1:
            raise RuntimeError("boom")

    task = asyncio.create_task(run_every(0.01, tick, log, "test tick failed"))
    await asyncio.sleep(0.05)
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    assert ticks >= 2
    assert [r.message for r in caplog.records if r.name == log.name] == ["test tick failed"]


@pytest.mark.parametrize("turns", [0, 1, 2])
async def test_a_worker_woken_just_as_it_is_stopped_stops(turns: int) -> None:
    """The stop goes through even when it arrives in the loop turns right after a wake-up (b9992b3)."""
    wake = Wake()

    async def step() -> float:
        return 5.0

    task = asyncio.create_task(run_woken(step, wake))
    await asyncio.sleep(0.01)
    wake()
    for _ in range(turns):
        await asyncio.sleep(0)
    task.cancel()
    finished, _ = await asyncio.wait({task}, timeout=2)
    assert finished == {task}
