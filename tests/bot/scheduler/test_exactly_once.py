"""Exactly once across channels, failed ``/daily now``, unknown outcomes, races, and
documents gone from the corpus."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.core.daily import DailySchedule
from bot.render import now_text, status_text
from bot.scheduler import (
    STATUS_PAUSED,
    STATUS_WRONG_GUILD,
    DailyScheduler,
    PostOutcome,
    SendResult,
)
from bot.storage import MemoryStorage, PostStatus, SQLiteStorage
from tests.bot.scheduler.fakes import (
    DAY,
    DELIVERED_BUT_TIMED_OUT,
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
