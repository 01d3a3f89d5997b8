"""A pass of the daily scheduler: posting at the slot, retries and backoff, statuses,
contained failures, quote cycles and restarts."""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path

import pytest

from bot.core.daily import DailySchedule
from bot.render import status_text
from bot.scheduler import (
    STATUS_CHANNEL_MISSING,
    STATUS_FAILING,
    STATUS_NO_QUOTES,
    STATUS_OK,
    STATUS_PAUSED,
    SendResult,
)
from bot.storage import MemoryStorage, PostStatus, SQLiteStorage
from tests.bot.scheduler.fakes import (
    DAY,
    QUOTES,
    SLOT,
    A,
    B,
    Clock,
    Crash,
    FakeDiscord,
    make,
    schedule,
)


async def test_posts_once_at_the_slot_and_not_again(
    db: SQLiteStorage, clock: Clock, discord: FakeDiscord
) -> None:
    await db.set_schedule(schedule(A))
    sched = make(db, clock, discord)
    clock.now = SLOT - timedelta(milliseconds=5)  # early wake-up
    assert await sched.run_once() == []
    clock.now = SLOT + timedelta(milliseconds=3)
    [outcome] = await sched.run_once()
    assert (outcome.result, outcome.local_date, outcome.quote_key) == ("sent", DAY, "q0")
    clock.now += timedelta(milliseconds=5)  # duplicate wake-up
    assert await sched.run_once() == []
    assert len(discord.posts(A)) == 1
    row = await db.get_post(A, DAY)
    assert row is not None
    assert (row.status, row.message_id) == (PostStatus.SENT, 1)
    status = await db.get_status(A)
    assert status is not None
    assert status.status == STATUS_OK


async def test_429_and_503_are_retried_with_backoff_then_post_once(
    db: SQLiteStorage, clock: Clock, discord: FakeDiscord
) -> None:
    await db.set_schedule(schedule(A))
    discord.script[A] = [
        SendResult.retryable("429 Too Many Requests", retry_after=7.0),
        SendResult.retryable("503 Service Unavailable"),
    ]
    sched = make(db, clock, discord, base_delay=2.0, max_delay=30.0)
    [outcome] = await sched.run_once()
    assert (outcome.result, outcome.attempts) == ("sent", 3)
    assert len(discord.posts(A)) == 1
    assert len({nonce for _, _, nonce in discord.calls}) == 1  # every attempt, one nonce
    first, second = clock.sleeps
    assert first >= 7.0  # Discord's retry_after is honoured
    assert 2.0 <= second <= 4.0  # doubled backoff (2 * 2 s) with equal jitter


async def test_retries_exhausted_in_a_pass_are_claimed_again_after_a_cooldown(
    db: SQLiteStorage, clock: Clock, discord: FakeDiscord
) -> None:
    await db.set_schedule(schedule(A))
    discord.script[A] = [SendResult.retryable("503")] * 2
    sched = make(db, clock, discord, max_attempts=2, retry_cooldown=60.0)
    [outcome] = await sched.run_once()
    assert outcome.result == "retry_later"
    row = await db.get_post(A, DAY)
    assert row is not None
    assert row.status == PostStatus.RETRY
    clock.now += timedelta(seconds=10)
    assert await sched.run_once() == []  # cooling down
    assert 0 < await sched.seconds_to_next_pass() <= 60
    clock.now += timedelta(seconds=60)
    [outcome] = await sched.run_once()
    assert outcome.result == "sent"
    assert len(discord.posts(A)) == 1
    row = await db.get_post(A, DAY)
    assert row is not None
    assert (row.status, row.attempts) == (PostStatus.SENT, 2)


async def test_retryable_failures_give_up_after_max_claims(
    db: SQLiteStorage, clock: Clock, discord: FakeDiscord
) -> None:
    await db.set_schedule(schedule(A))
    discord.script[A] = [SendResult.retryable("502")] * 10
    sched = make(db, clock, discord, max_attempts=1, max_claims=3, retry_cooldown=1.0)
    results = []
    for _ in range(6):
        results += [o.result for o in await sched.run_once()]
        clock.now += timedelta(minutes=5)
    assert results == ["retry_later", "retry_later", "gave_up"]
    status = await db.get_status(A)
    assert status is not None
    assert status.status == STATUS_FAILING
    # the next day is attempted again
    clock.now = SLOT + timedelta(days=1)
    discord.script[A] = []
    [outcome] = await sched.run_once()
    assert (outcome.result, outcome.local_date) == ("sent", DAY + timedelta(days=1))


async def test_403_pauses_one_guild_others_post_and_next_day_is_tried(
    db: SQLiteStorage, clock: Clock, discord: FakeDiscord, caplog: pytest.LogCaptureFixture
) -> None:
    await db.set_schedule(schedule(A))
    await db.set_schedule(schedule(B))
    discord.script[A] = [SendResult.forbidden("Send Messages")]
    sched = make(db, clock, discord)
    with caplog.at_level(logging.WARNING, logger="bot.scheduler"):
        outcomes = {o.guild_id: o for o in await sched.run_once()}
    assert outcomes[A].result == "forbidden"
    assert outcomes[B].result == "sent"
    assert discord.posts(A) == []
    assert len(discord.posts(B)) == 1
    status = await db.get_status(A)
    assert status is not None
    assert status.status == STATUS_PAUSED
    assert (status.detail, status.channel_id, status.local_date) == (
        "Send Messages",
        A * 10,
        date(2026, 6, 1),
    )
    assert status_text(status) == f"the bot lost Send Messages in <#{A * 10}> on 2026-06-01"
    logged = " ".join(r.getMessage() for r in caplog.records)
    assert str(A) in logged
    assert str(A * 10) in logged
    assert "Send Messages" in logged
    assert await sched.run_once() == []  # not retried the same day
    clock.now = SLOT + timedelta(days=1)
    outcomes = {o.guild_id: o for o in await sched.run_once()}
    assert outcomes[A].result == "sent"
    status = await db.get_status(A)
    assert status is not None
    assert status.status == STATUS_OK


async def test_404_records_status_and_stops_until_set_again(
    db: SQLiteStorage, clock: Clock, discord: FakeDiscord
) -> None:
    await db.set_schedule(schedule(A))
    discord.script[A] = [SendResult.not_found("Unknown Channel")]
    sched = make(db, clock, discord)
    [outcome] = await sched.run_once()
    assert outcome.result == "not_found"
    status = await db.get_status(A)
    assert status is not None
    assert status.status == STATUS_CHANNEL_MISSING
    assert "/daily set" in status_text(status)
    assert await db.get_schedule(A) is None
    calls = len(discord.calls)
    for days in (1, 2):
        clock.now = SLOT + timedelta(days=days)
        assert await sched.run_once() == []
    assert len(discord.calls) == calls
    await db.set_schedule(schedule(A, channel=77))
    clock.now = SLOT + timedelta(days=3)
    [outcome] = await sched.run_once()
    assert (outcome.result, outcome.channel_id) == ("sent", 77)


async def test_an_exception_in_one_guild_does_not_stop_the_others(
    db: SQLiteStorage, clock: Clock, discord: FakeDiscord, caplog: pytest.LogCaptureFixture
) -> None:
    await db.set_schedule(schedule(A))
    await db.set_schedule(schedule(B))
    discord.script[A] = [RuntimeError("boom")]
    sched = make(db, clock, discord)
    with caplog.at_level(logging.ERROR, logger="bot.scheduler"):
        outcomes = {o.guild_id: o for o in await sched.run_once()}
    assert outcomes[A].result == "error"
    assert outcomes[B].result == "sent"
    [record] = [r for r in caplog.records if r.exc_info]
    assert str(A) in record.getMessage()
    assert str(A * 10) in record.getMessage()
    # the send's result is unknown: the claim stays pending and is resent with its nonce
    clock.now += timedelta(seconds=61)
    [outcome] = await sched.run_once()
    assert outcome.result == "resent"
    assert len(discord.posts(A)) == 1


async def test_a_broken_quote_order_is_contained(
    db: SQLiteStorage, clock: Clock, discord: FakeDiscord
) -> None:
    await db.set_schedule(schedule(A))
    await db.set_schedule(schedule(B))

    def quote_order(s: DailySchedule) -> Sequence[str]:
        if s.guild_id == A:
            raise KeyError("document vanished")
        return QUOTES

    sched = make(db, clock, discord, quote_order=quote_order)
    outcomes = {o.guild_id: o.result for o in await sched.run_once()}
    assert outcomes == {A: "error", B: "sent"}


async def test_no_quotable_line_sets_a_status(
    db: SQLiteStorage, clock: Clock, discord: FakeDiscord
) -> None:
    await db.set_schedule(schedule(A))
    sched = make(db, clock, discord, quote_order=lambda s: [])
    [outcome] = await sched.run_once()
    assert outcome.result == "no_quotes"
    status = await db.get_status(A)
    assert status is not None
    assert status.status == STATUS_NO_QUOTES
    assert discord.calls == []


async def test_quotes_cycle_without_repeats(
    db: SQLiteStorage, clock: Clock, discord: FakeDiscord
) -> None:
    await db.set_schedule(schedule(A))
    sched = make(db, clock, discord)
    for days in range(7):
        clock.now = SLOT + timedelta(days=days, seconds=1)
        await sched.run_once()
    assert [m.quote_key for m in discord.posts(A)] == QUOTES * 2 + QUOTES[:1]
    assert await db.current_cycle(A) == 2


async def test_restart_with_the_same_database_does_not_post_twice(
    tmp_path: Path, clock: Clock, discord: FakeDiscord
) -> None:
    path = tmp_path / "state.sqlite3"
    first = await SQLiteStorage.open(path)
    await first.set_schedule(schedule(A))
    await make(first, clock, discord).run_once()
    await first.close()

    clock.now += timedelta(seconds=2)
    second = await SQLiteStorage.open(path)
    try:
        assert await make(second, clock, discord).run_once() == []
    finally:
        await second.close()
    assert len(discord.posts(A)) == 1


async def test_crash_between_send_and_record_is_resent_with_the_same_nonce(
    tmp_path: Path, clock: Clock, discord: FakeDiscord
) -> None:
    path = tmp_path / "state.sqlite3"
    first = await SQLiteStorage.open(path)
    await first.set_schedule(schedule(A))
    discord.crash_after_delivery.add(A)
    with pytest.raises(Crash):
        await make(first, clock, discord).run_once()
    await first.close()
    assert len(discord.posts(A)) == 1

    clock.now += timedelta(seconds=30)  # restarted within the nonce window
    second = await SQLiteStorage.open(path)
    try:
        [outcome] = await make(second, clock, discord).run_once()
        assert outcome.result == "resent"
        row = await second.get_post(A, DAY)
        assert row is not None
        assert (row.status, row.message_id) == (PostStatus.SENT, 1)
    finally:
        await second.close()
    assert len(discord.posts(A)) == 1
    assert len({nonce for _, _, nonce in discord.calls}) == 1


async def test_pending_claim_older_than_the_nonce_window_is_not_resent(
    clock: Clock, discord: FakeDiscord
) -> None:
    store = MemoryStorage()
    await store.set_schedule(schedule(A))
    discord.crash_after_delivery.add(A)
    with pytest.raises(Crash):
        await make(store, clock, discord).run_once()
    clock.now += timedelta(minutes=10)
    calls = len(discord.calls)
    [outcome] = await make(store, clock, discord).run_once()
    assert outcome.result == "abandoned"
    assert len(discord.calls) == calls
    row = await store.get_post(A, DAY)
    assert row is not None
    assert row.status == PostStatus.UNKNOWN
    assert await store.used_quote_keys(A, 0) == {"q0"}  # it may have been seen
    clock.now = SLOT + timedelta(days=1)
    [outcome] = await make(store, clock, discord).run_once()
    assert (outcome.result, outcome.quote_key) == ("sent", "q1")


async def test_two_processes_at_the_same_instant_post_once(
    tmp_path: Path, clock: Clock, discord: FakeDiscord
) -> None:
    path = tmp_path / "state.sqlite3"
    a, b = await SQLiteStorage.open(path), await SQLiteStorage.open(path)
    try:
        await a.set_schedule(schedule(A))
        results = await asyncio.gather(
            make(a, clock, discord).run_once(), make(b, clock, discord).run_once()
        )
    finally:
        await a.close()
        await b.close()
    assert sorted(o.result for r in results for o in r) in (
        ["already_claimed", "sent"],
        ["resent", "sent"],  # the loser saw the fresh pending claim and resent its nonce
        ["sent"],
    )
    assert len(discord.posts(A)) == 1


async def test_a_due_post_asks_for_its_quote_order_off_the_event_loop(
    clock: Clock, discord: FakeDiscord
) -> None:
    """The order hashes and sorts every quotable line (a third of a second for 440 novels): the
    pass asks for it in a thread first; the claim then finds it memoised (as the daily cog
    memoises it)."""
    storage = MemoryStorage()
    await storage.set_schedule(schedule(A))
    threads: list[bool] = []
    memo: dict[int, Sequence[str]] = {}

    def order(s: DailySchedule) -> Sequence[str]:
        if s.guild_id not in memo:
            threads.append(threading.current_thread() is threading.main_thread())
            memo[s.guild_id] = QUOTES
        return memo[s.guild_id]

    clock.now = SLOT + timedelta(milliseconds=3)
    [outcome] = await make(storage, clock, discord, quote_order=order).run_once()
    assert outcome.result == "sent"
    assert threads == [False]  # computed once, and not on the event loop's thread
