"""The scheduler's loop (start once, stop, sleep to the next slot), the config's schedules,
its settings, and ``/daily now``."""

from __future__ import annotations

import asyncio
from datetime import time, timedelta
from typing import Any

import pytest

from bot.core.daily import DailySchedule
from bot.scheduler import (
    DailyScheduler,
    SendResult,
)
from bot.storage import MemoryStorage, SQLiteStorage
from tests.bot.scheduler.fakes import (
    DAY,
    SLOT,
    A,
    B,
    Clock,
    Crash,
    FakeDiscord,
    make,
    order,
    schedule,
)


async def test_start_twice_runs_one_loop_and_stop_ends_it(
    clock: Clock, discord: FakeDiscord
) -> None:
    store = MemoryStorage()
    await store.set_schedule(schedule(A))
    loops: set[asyncio.Task[Any] | None] = set()
    passes = 0
    fifty = asyncio.Event()

    async def sleep(seconds: float) -> None:
        nonlocal passes
        passes += 1
        if passes >= 50:
            fifty.set()
        loops.add(asyncio.current_task())
        clock.now += timedelta(seconds=seconds)
        await asyncio.sleep(0)

    sched = DailyScheduler(store, send=discord.send, quote_order=order, clock=clock, sleep=sleep)
    task = sched.start()
    assert sched.start() is task  # e.g. on_ready after a reconnect
    assert sched.start() is task
    await asyncio.wait_for(fifty.wait(), timeout=5)
    assert len(loops) == 1
    assert sched.running
    await sched.stop()
    assert not sched.running
    assert task.cancelled()
    assert len(discord.posts(A)) == 1
    again = sched.start()
    assert again is not task
    await sched.stop()


async def test_loop_sleeps_to_the_slot_capped_at_60_s(clock: Clock, discord: FakeDiscord) -> None:
    store = MemoryStorage()
    await store.set_schedule(schedule(A))
    clock.now = SLOT - timedelta(minutes=3, milliseconds=1)

    async def sleep(seconds: float) -> None:
        clock.sleeps.append(seconds)
        clock.now += timedelta(seconds=seconds) - timedelta(milliseconds=2)  # wakes 2 ms early
        if clock.now > SLOT + timedelta(minutes=5):
            raise Crash

    sched = DailyScheduler(store, send=discord.send, quote_order=order, clock=clock, sleep=sleep)
    with pytest.raises(Crash):
        await sched.run()
    assert max(clock.sleeps) <= 60
    [post] = discord.posts(A)
    assert SLOT <= post.at < SLOT + timedelta(seconds=1)


async def test_config_schedules_are_merged_at_start(clock: Clock, discord: FakeDiscord) -> None:
    store = MemoryStorage()
    old = DailySchedule(B, 20, time(7, 0), "UTC")
    await store.set_schedule(old, source="config")
    await store.set_schedule(schedule(A))  # set with /daily set, same guild as the config
    configured = [schedule(A, channel=55), DailySchedule(3003, 30, time(8, 0), "Asia/Tokyo")]
    sched = make(store, clock, discord, config_schedules=configured)
    await sched.merge_config()
    record = await store.get_schedule_record(A)
    assert record is not None
    assert (record.source, record.schedule.channel_id) == ("config", 55)
    assert await store.get_schedule(3003) == configured[1]
    assert await store.get_schedule(B) is None  # removed from the config
    # an admin's /daily off survives a restart while the config is unchanged
    await store.disable_schedule(3003)
    await make(store, clock, discord, config_schedules=configured).merge_config()
    assert await store.get_schedule(3003) is None


def test_bad_settings_are_refused() -> None:
    store = MemoryStorage()
    with pytest.raises(ValueError, match="grace"):
        DailyScheduler(
            store, send=FakeDiscord(Clock(SLOT)).send, quote_order=order, grace=timedelta(0)
        )


async def test_post_now_is_todays_post_and_only_once(
    db: SQLiteStorage, clock: Clock, discord: FakeDiscord
) -> None:
    await db.set_schedule(schedule(A))
    sched = make(db, clock, discord)
    clock.now = SLOT - timedelta(hours=2)  # 07:00 local, before the slot
    assert await sched.next_quote_key(schedule(A)) == "q0"
    outcome = await sched.post_now(schedule(A), channel_id=555)
    assert (outcome.result, outcome.channel_id, outcome.local_date) == ("sent", 555, DAY)
    again = await sched.post_now(schedule(A), channel_id=555)
    assert (again.result, again.message_id) == ("already_posted", outcome.message_id)
    clock.now = SLOT + timedelta(seconds=1)
    assert await sched.run_once() == []  # the slot later today is skipped
    assert [m.channel_id for m in discord.posts(A)] == [555]
    assert await sched.next_quote_key(schedule(A)) == "q1"


async def test_a_pass_during_this_process_own_send_does_not_resend(
    clock: Clock, discord: FakeDiscord
) -> None:
    store = MemoryStorage()
    await store.set_schedule(schedule(A))
    release = asyncio.Event()
    sched: DailyScheduler | None = None
    inner: list[Any] = []

    async def slow_send(s: DailySchedule, key: str, nonce: str) -> SendResult:
        assert sched is not None
        inner.extend(await sched.run_once())  # the loop wakes while /daily now is sending
        release.set()
        return await discord.send(s, key, nonce)

    sched = DailyScheduler(store, send=slow_send, quote_order=order, clock=clock, sleep=clock.sleep)
    outcome = await sched.post_now(schedule(A))
    assert release.is_set()
    assert inner == []
    assert outcome.result == "sent"
    assert len(discord.calls) == 1
