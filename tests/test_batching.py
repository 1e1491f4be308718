"""GroupRunner: concurrent calls share a run; a lone call runs at once; failures stay scoped."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import pytest

from atspro.batching import GroupRunner


async def settle() -> None:
    """Let every ready task run until it blocks."""
    for _ in range(5):
        await asyncio.sleep(0)


class Recorder:
    """A ``run`` that records its groups and can be held open to let calls pile up."""

    def __init__(self) -> None:
        self.groups: list[list[int]] = []
        self.gate = asyncio.Event()
        self.gate.set()

    async def run(self, items: Sequence[int]) -> list[int | BaseException]:
        self.groups.append(list(items))
        await self.gate.wait()
        return [ValueError(f"bad {i}") if i < 0 else i * 10 for i in items]


async def test_a_lone_call_runs_at_once_in_a_group_of_its_own() -> None:
    rec = Recorder()
    runner: GroupRunner[int, int] = GroupRunner(rec.run, name="t")
    assert await runner.call(1) == 10
    assert await runner.call(2) == 20
    assert rec.groups == [[1], [2]]


async def test_calls_arriving_while_a_group_runs_form_the_next_group() -> None:
    rec = Recorder()
    rec.gate.clear()
    runner: GroupRunner[int, int] = GroupRunner(rec.run, name="t")
    first = asyncio.create_task(runner.call(0))
    await settle()
    assert rec.groups == [[0]]
    rest = [asyncio.create_task(runner.call(i)) for i in range(1, 6)]
    await settle()
    rec.gate.set()
    assert await asyncio.gather(first, *rest) == [0, 10, 20, 30, 40, 50]
    assert rec.groups == [[0], [1, 2, 3, 4, 5]]


async def test_groups_are_capped_at_max_group() -> None:
    rec = Recorder()
    rec.gate.clear()
    runner: GroupRunner[int, int] = GroupRunner(rec.run, name="t", max_group=2)
    calls = [asyncio.create_task(runner.call(i)) for i in range(5)]
    await settle()
    rec.gate.set()
    assert await asyncio.gather(*calls) == [0, 10, 20, 30, 40]
    assert rec.groups == [[0], [1, 2], [3, 4]]


async def test_an_item_that_fails_fails_only_its_own_call() -> None:
    rec = Recorder()
    rec.gate.clear()
    runner: GroupRunner[int, int] = GroupRunner(rec.run, name="t")
    calls = [asyncio.create_task(runner.call(i)) for i in (1, -1, 2)]
    await settle()
    rec.gate.set()
    results = await asyncio.gather(*calls, return_exceptions=True)
    assert results[0] == 10 and results[2] == 20
    assert isinstance(results[1], ValueError) and str(results[1]) == "bad -1"


async def test_a_failed_run_fails_its_group_and_the_runner_goes_on() -> None:
    attempts: list[Sequence[int]] = []

    async def flaky(items: Sequence[int]) -> list[int | BaseException]:
        attempts.append(items)
        if len(attempts) == 1:
            raise ConnectionError("gone")
        return list(items)

    runner: GroupRunner[int, int] = GroupRunner(flaky, name="t")
    with pytest.raises(ConnectionError, match="gone"):
        await runner.call(1)
    assert await runner.call(2) == 2


async def test_a_caller_that_gives_up_is_left_out_of_the_next_group() -> None:
    rec = Recorder()
    rec.gate.clear()
    runner: GroupRunner[int, int] = GroupRunner(rec.run, name="t")
    first = asyncio.create_task(runner.call(0))
    await settle()
    quitter = asyncio.create_task(runner.call(7))
    stayer = asyncio.create_task(runner.call(8))
    await settle()
    quitter.cancel()
    await settle()
    rec.gate.set()
    assert await first == 0 and await stayer == 80
    assert rec.groups == [[0], [8]]


async def test_close_waits_for_every_call_made_so_far() -> None:
    rec = Recorder()
    rec.gate.clear()
    runner: GroupRunner[int, int] = GroupRunner(rec.run, name="t")
    calls = [asyncio.create_task(runner.call(i)) for i in (3, 4)]
    await settle()
    closing = asyncio.create_task(runner.close())
    await asyncio.sleep(0.01)
    assert not closing.done()
    rec.gate.set()
    await closing
    assert [c.result() for c in calls] == [30, 40]
    await runner.close()  # idle: returns at once


async def test_cancelling_the_running_group_cancels_its_callers() -> None:
    first_gate = asyncio.Event()

    async def run(items: Sequence[int]) -> list[int | BaseException]:
        if items == [1]:
            await first_gate.wait()
        else:
            await asyncio.Event().wait()  # the second group never finishes by itself
        return list(items)

    runner: GroupRunner[int, int] = GroupRunner(run, name="t")
    first = asyncio.create_task(runner.call(1))
    await settle()
    queued = [asyncio.create_task(runner.call(i)) for i in (2, 3)]
    await settle()
    first_gate.set()
    assert await first == 1
    await settle()
    drain = runner._drain
    assert drain is not None
    drain.cancel()
    for call in queued:
        with pytest.raises(asyncio.CancelledError):
            await call
    # The runner is idle again and serves new calls.
    first_gate.set()
    assert await runner.call(1) == 1


async def test_a_lone_call_that_is_cancelled_leaves_the_runner_usable() -> None:
    gate = asyncio.Event()

    async def run(items: Sequence[int]) -> list[int | BaseException]:
        await gate.wait()
        return list(items)

    runner: GroupRunner[int, int] = GroupRunner(run, name="t")
    lone = asyncio.create_task(runner.call(5))
    await settle()
    lone.cancel()
    with pytest.raises(asyncio.CancelledError):
        await lone
    gate.set()
    assert await runner.call(6) == 6
