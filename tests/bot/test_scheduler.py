"""DailyScheduler with a fake clock, a fake Discord and real storage."""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.core.daily import DailySchedule
from bot.render import now_text, status_text
from bot.scheduler import (
    STATUS_CHANNEL_MISSING,
    STATUS_FAILING,
    STATUS_NO_QUOTES,
    STATUS_OK,
    STATUS_PAUSED,
    STATUS_WRONG_GUILD,
    DailyScheduler,
    PostOutcome,
    SendResult,
)
from bot.storage import MemoryStorage, PostStatus, SQLiteStorage, Storage

SLOT = datetime(2026, 6, 1, 7, 0, tzinfo=UTC)  # 09:00 in Europe/Berlin
DAY = date(2026, 6, 1)
A, B = 1001, 2002
QUOTES = ["q0", "q1", "q2"]


def schedule(guild: int, channel: int | None = None) -> DailySchedule:
    return DailySchedule(guild, channel or guild * 10, time(9, 0), "Europe/Berlin")


class Crash(BaseException):
    """The process dies (not an Exception: nothing in the scheduler may swallow it)."""


@dataclass
class Clock:
    now: datetime
    sleeps: list[float] = field(default_factory=list)

    def __call__(self) -> datetime:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += timedelta(seconds=seconds)


@dataclass
class Message:
    id: int
    guild_id: int
    channel_id: int
    quote_key: str
    nonce: str
    at: datetime


DELIVERED_BUT_TIMED_OUT = "delivered-but-timed-out"
"""Script item: the message is created, but the bot sees a timeout (outcome unknown)."""


class FakeDiscord:
    """The ``send`` callback: scripted failures per guild, then real messages; like Discord with
    ``enforce_nonce``, a repeated nonce *in the same channel* within ``dedupe`` returns the
    existing message."""

    def __init__(self, clock: Clock, dedupe: timedelta = timedelta(minutes=5)) -> None:
        self.clock = clock
        self.dedupe = dedupe
        self.messages: list[Message] = []
        self.calls: list[tuple[int, str, str]] = []
        self.channels: list[int] = []
        self.times: list[datetime] = []
        self.script: dict[int, list[SendResult | BaseException | str]] = {}
        self.crash_after_delivery: set[int] = set()

    def _deliver(self, s: DailySchedule, quote_key: str, nonce: str) -> Message:
        for m in self.messages:
            if (
                m.nonce == nonce
                and m.channel_id == s.channel_id
                and self.clock.now - m.at <= self.dedupe
            ):
                return m
        message = Message(
            len(self.messages) + 1, s.guild_id, s.channel_id, quote_key, nonce, self.clock.now
        )
        self.messages.append(message)
        return message

    async def send(self, s: DailySchedule, quote_key: str, nonce: str) -> SendResult:
        self.calls.append((s.guild_id, quote_key, nonce))
        self.channels.append(s.channel_id)
        self.times.append(self.clock.now)
        queue = self.script.get(s.guild_id)
        if queue:
            item = queue.pop(0)
            if isinstance(item, BaseException):
                raise item
            if item == DELIVERED_BUT_TIMED_OUT:
                self._deliver(s, quote_key, nonce)
                return SendResult.unknown("TimeoutError()")
            assert isinstance(item, SendResult)
            return item
        message = self._deliver(s, quote_key, nonce)
        if s.guild_id in self.crash_after_delivery:
            self.crash_after_delivery.discard(s.guild_id)
            raise Crash
        return SendResult.ok(message.id)

    def posts(self, guild: int) -> list[Message]:
        return [m for m in self.messages if m.guild_id == guild]


def order(_: DailySchedule) -> Sequence[str]:
    return QUOTES


def make(storage: Storage, clock: Clock, discord: FakeDiscord, **kw: Any) -> DailyScheduler:
    return DailyScheduler(
        storage,
        send=discord.send,
        quote_order=kw.pop("quote_order", order),
        clock=clock,
        sleep=clock.sleep,
        rng=random.Random(7),
        **kw,
    )


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[SQLiteStorage]:
    s = await SQLiteStorage.open(tmp_path / "state.sqlite3")
    yield s
    await s.close()


@pytest.fixture
def clock() -> Clock:
    return Clock(SLOT)


@pytest.fixture
def discord(clock: Clock) -> FakeDiscord:
    return FakeDiscord(clock)


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


# -- exactly once across channels, failed /daily now, unknown outcomes, races ----------------


async def test_resend_after_restart_goes_to_the_channel_of_the_claim(
    tmp_path: Path, clock: Clock, discord: FakeDiscord
) -> None:
    path = tmp_path / "state.sqlite3"
    first = await SQLiteStorage.open(path)
    await first.set_schedule(schedule(A))
    clock.now = SLOT - timedelta(hours=2)
    discord.crash_after_delivery.add(A)
    with pytest.raises(Crash):  # /daily now in channel 200, the process dies after the send
        await make(first, clock, discord).post_now(schedule(A), channel_id=200)
    await first.close()

    clock.now += timedelta(seconds=30)  # restarted within the nonce window
    second = await SQLiteStorage.open(path)
    try:
        [outcome] = await make(second, clock, discord).run_once()
        assert (outcome.result, outcome.channel_id) == ("resent", 200)
    finally:
        await second.close()
    assert discord.channels == [200, 200]
    assert [m.channel_id for m in discord.posts(A)] == [200]


async def test_resend_after_the_channel_changed_goes_to_the_old_channel(
    clock: Clock, discord: FakeDiscord
) -> None:
    store = MemoryStorage()
    await store.set_schedule(schedule(A))
    discord.crash_after_delivery.add(A)
    with pytest.raises(Crash):
        await make(store, clock, discord).run_once()
    await store.set_schedule(schedule(A, channel=300))  # /daily set meanwhile
    clock.now += timedelta(seconds=30)
    [outcome] = await make(store, clock, discord).run_once()
    assert (outcome.result, outcome.channel_id) == ("resent", A * 10)
    assert [m.channel_id for m in discord.posts(A)] == [A * 10]
    clock.now = SLOT + timedelta(days=1)
    [outcome] = await make(store, clock, discord).run_once()
    assert (outcome.result, outcome.channel_id) == ("sent", 300)


@pytest.mark.parametrize(
    "failure",
    [
        SendResult.forbidden("Send Messages"),
        SendResult.not_found("Unknown Channel"),
        SendResult.wrong_guild(B),
    ],
    ids=["403", "404", "wrong-guild"],
)
async def test_a_failed_now_in_another_channel_keeps_todays_post(
    db: SQLiteStorage, clock: Clock, discord: FakeDiscord, failure: SendResult
) -> None:
    await db.set_schedule(schedule(A))
    sched = make(db, clock, discord)
    clock.now = SLOT - timedelta(hours=2)
    discord.script[A] = [failure]
    outcome = await sched.post_now(schedule(A), channel_id=200)
    assert (outcome.result, outcome.channel_id) == (failure.kind.value, 200)
    assert await db.get_post(A, DAY) is None  # the claim was released
    assert await db.get_status(A) is None  # the guild is neither paused nor stopped
    assert await db.get_schedule(A) == schedule(A)
    text = now_text(outcome)
    assert "already posted" not in text
    clock.now = SLOT + timedelta(seconds=1)
    [scheduled] = await sched.run_once()
    assert (scheduled.result, scheduled.channel_id) == ("sent", A * 10)
    again = await sched.post_now(schedule(A), channel_id=200)
    assert (again.result, again.channel_id) == ("already_posted", A * 10)
    assert now_text(again) == f"Today's quote was already posted in <#{A * 10}>."
    assert [m.channel_id for m in discord.posts(A)] == [A * 10]


async def test_post_now_after_a_failed_day_does_not_claim_it_was_posted(
    db: SQLiteStorage, clock: Clock, discord: FakeDiscord
) -> None:
    await db.set_schedule(schedule(A))
    sched = make(db, clock, discord)
    discord.script[A] = [SendResult.forbidden("Send Messages")]
    [scheduled] = await sched.run_once()  # the schedule's own channel: the day is failed
    assert scheduled.result == "forbidden"
    status = await db.get_status(A)
    assert status is not None
    assert status.status == STATUS_PAUSED
    outcome = await sched.post_now(schedule(A), channel_id=200)
    assert (outcome.result, outcome.channel_id) == ("already_failed", A * 10)
    text = now_text(outcome)
    assert "already posted" not in text
    assert "could not be posted" in text
    assert discord.posts(A) == []


async def test_post_now_while_the_scheduled_post_is_in_flight_says_so(
    clock: Clock, discord: FakeDiscord
) -> None:
    store = MemoryStorage()
    await store.set_schedule(schedule(A))
    sched: DailyScheduler | None = None
    during: list[PostOutcome] = []

    async def slow_send(s: DailySchedule, key: str, nonce: str) -> SendResult:
        assert sched is not None
        during.append(await sched.post_now(schedule(A), channel_id=200))
        return await discord.send(s, key, nonce)

    sched = DailyScheduler(store, send=slow_send, quote_order=order, clock=clock, sleep=clock.sleep)
    [outcome] = await sched.run_once()
    assert outcome.result == "sent"
    [answer] = during
    assert (answer.result, answer.channel_id) == ("being_posted", A * 10)
    assert "being posted" in now_text(answer)
    assert len(discord.calls) == 1


async def test_a_timed_out_send_is_retried_only_within_the_nonce_window(
    clock: Clock,
) -> None:
    discord = FakeDiscord(clock, dedupe=timedelta(minutes=2))
    store = MemoryStorage()
    await store.set_schedule(schedule(A))
    discord.script[A] = [DELIVERED_BUT_TIMED_OUT, *[SendResult.unknown("TimeoutError()")] * 50]
    sched = make(store, clock, discord, max_attempts=2, retry_cooldown=60.0)
    results = []
    for _ in range(40):  # a pass every 30 s for 20 minutes
        results += [o.result for o in await sched.run_once()]
        clock.now += timedelta(seconds=30)
    assert results[0] == "unconfirmed"
    assert results[-1] == "abandoned"
    assert all(at - SLOT <= timedelta(minutes=2) for at in discord.times)
    assert len({nonce for _, _, nonce in discord.calls}) == 1
    assert len(discord.posts(A)) == 1
    row = await store.get_post(A, DAY)
    assert row is not None
    assert row.status == PostStatus.UNKNOWN
    answer = await sched.post_now(schedule(A))
    assert answer.result == "already_unknown"
    assert "already posted" not in now_text(answer)
    assert len(discord.posts(A)) == 1
    clock.now = SLOT + timedelta(days=1)
    discord.script[A] = []
    [outcome] = await sched.run_once()
    assert outcome.result == "sent"


async def test_a_timeout_then_a_503_is_still_an_unknown_outcome(
    clock: Clock,
) -> None:
    discord = FakeDiscord(clock, dedupe=timedelta(minutes=2))
    store = MemoryStorage()
    await store.set_schedule(schedule(A))
    discord.script[A] = [DELIVERED_BUT_TIMED_OUT, *[SendResult.retryable("503")] * 50]
    sched = make(store, clock, discord, max_attempts=2, retry_cooldown=60.0)
    for _ in range(40):
        await sched.run_once()
        clock.now += timedelta(seconds=30)
    assert all(at - SLOT <= timedelta(minutes=2) for at in discord.times)
    assert len(discord.posts(A)) == 1
    row = await store.get_post(A, DAY)
    assert row is not None
    assert row.status == PostStatus.UNKNOWN


async def test_a_timed_out_send_confirmed_by_a_retry_is_sent_once(
    clock: Clock, discord: FakeDiscord
) -> None:
    store = MemoryStorage()
    await store.set_schedule(schedule(A))
    discord.script[A] = [DELIVERED_BUT_TIMED_OUT]
    [outcome] = await make(store, clock, discord).run_once()
    assert (outcome.result, outcome.attempts) == ("sent", 2)
    assert len(discord.posts(A)) == 1


class YieldingClaims:
    """Storage whose ``claim_post`` gives the event loop a turn (as a real database does)."""

    def __init__(self, inner: MemoryStorage) -> None:
        self.inner = inner

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    async def claim_post(self, *args: Any, **kwargs: Any) -> bool:
        claimed = await self.inner.claim_post(*args, **kwargs)
        await asyncio.sleep(0)
        return claimed


async def test_a_pass_between_post_now_claim_and_send_does_not_send_again(
    clock: Clock, discord: FakeDiscord
) -> None:
    inner = MemoryStorage()
    await inner.set_schedule(schedule(A))
    store = YieldingClaims(inner)
    sched = DailyScheduler(
        store,
        send=discord.send,
        quote_order=order,
        clock=clock,
        sleep=clock.sleep,
    )
    now_outcome, pass_outcomes = await asyncio.gather(
        sched.post_now(schedule(A), channel_id=200), sched.run_once()
    )
    assert now_outcome.result == "sent"
    assert pass_outcomes == []
    assert len(discord.calls) == 1
    assert len(discord.posts(A)) == 1


async def test_a_channel_of_another_guild_is_reported_and_the_next_day_tried(
    db: SQLiteStorage, clock: Clock, discord: FakeDiscord, caplog: pytest.LogCaptureFixture
) -> None:
    await db.set_schedule(schedule(A, channel=B * 10))  # B's channel under A's schedule
    discord.script[A] = [SendResult.wrong_guild(B)]
    sched = make(db, clock, discord)
    with caplog.at_level(logging.ERROR, logger="bot.scheduler"):
        [outcome] = await sched.run_once()
    assert (outcome.result, outcome.detail) == ("wrong_guild", str(B))
    assert discord.posts(A) == []
    [record] = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert all(str(n) in record.getMessage() for n in (A, B, B * 10))
    status = await db.get_status(A)
    assert status is not None
    assert (status.status, status.detail, status.channel_id) == (STATUS_WRONG_GUILD, str(B), B * 10)
    assert f"belongs to another server (guild {B})" in status_text(status)
    row = await db.get_post(A, DAY)
    assert row is not None
    assert row.status == PostStatus.FAILED
    assert await db.get_schedule(A) is not None  # kept: the next day is tried again
    clock.now = SLOT + timedelta(days=1)
    [outcome] = await sched.run_once()
    assert outcome.result == "sent"


CORPUS_QUOTES = {"emma": ["emma:1", "emma:2"], "moby-dick": ["moby-dick:1"]}


def corpus_order(s: DailySchedule) -> Sequence[str]:
    """Like ``QuoteBook.cycle_order``: unknown ids are ignored, ``()`` means every document."""
    ids = s.documents or tuple(CORPUS_QUOTES)
    return [k for d in ids for k in CORPUS_QUOTES.get(d, [])]


@pytest.mark.parametrize("known", [None, lambda: set(CORPUS_QUOTES)])
async def test_documents_removed_from_the_corpus_fall_back_to_the_whole_corpus(
    db: SQLiteStorage,
    clock: Clock,
    discord: FakeDiscord,
    caplog: pytest.LogCaptureFixture,
    known: Any,
) -> None:
    gone = replace(schedule(A), documents=("persuasion",))
    await db.set_schedule(gone)
    sched = make(db, clock, discord, quote_order=corpus_order, known_documents=known)
    with caplog.at_level(logging.WARNING, logger="bot.scheduler"):
        [outcome] = await sched.run_once()
        assert (
            await sched.next_quote_key(gone) in CORPUS_QUOTES["emma"] + CORPUS_QUOTES["moby-dick"]
        )
        clock.now += timedelta(days=1)
        await sched.run_once()
    assert outcome.result == "sent"
    assert len(discord.posts(A)) == 2
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1, warnings
    assert "persuasion" in warnings[0]
    assert str(A) in warnings[0]


async def test_a_missing_document_is_dropped_and_the_others_kept(
    db: SQLiteStorage, clock: Clock, discord: FakeDiscord, caplog: pytest.LogCaptureFixture
) -> None:
    partly = replace(schedule(A), documents=("persuasion", "moby-dick"))
    await db.set_schedule(partly)
    sched = make(db, clock, discord, quote_order=corpus_order)
    with caplog.at_level(logging.WARNING, logger="bot.scheduler"):
        [outcome] = await sched.run_once()
    assert outcome.quote_key == "moby-dick:1"
    assert sched.effective_schedule(partly).documents == ("moby-dick",)
    assert any("persuasion" in r.getMessage() for r in caplog.records)
    fine = replace(schedule(B), documents=("emma",))
    assert sched.effective_schedule(fine) is fine
