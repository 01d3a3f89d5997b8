"""The reading-club scheduler with a fake clock and a fake ``send`` (no Discord)."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from bot.core.reading import ReadingClub
from bot.reading_scheduler import ReadingScheduler
from bot.scheduler import SendResult
from bot.storage import MemoryStorage

G, CH = 1, 2
# 08:00 in Europe/Berlin (UTC+2 in May) is 06:00 UTC
SLOT = datetime(2026, 5, 12, 6, 0, 1, tzinfo=UTC)


class FakeSend:
    """Answers each send with the next scripted result (then OK), recording the calls."""

    def __init__(self, *results: SendResult) -> None:
        self.results = list(results)
        self.calls: list[tuple[int, str]] = []

    async def __call__(self, club: ReadingClub, day: int, nonce: str) -> SendResult:
        self.calls.append((day, nonce))
        return self.results.pop(0) if self.results else SendResult.ok(100 + len(self.calls))


async def _scheduler(
    send: FakeSend, total: int | None = 3
) -> tuple[ReadingScheduler, MemoryStorage]:
    storage = MemoryStorage()
    await storage.set_reading_club(ReadingClub(G, CH, "book", time(8, 0), "Europe/Berlin"))
    scheduler = ReadingScheduler(storage, send=send, total_days=lambda club: total, base_delay=0.0)
    return scheduler, storage


async def test_a_failed_day_brings_the_same_instalment_the_next_day() -> None:
    send = FakeSend(SendResult.forbidden("Send Messages"))
    scheduler, _ = await _scheduler(send)
    [failed] = await scheduler.run_once(SLOT)
    assert (failed.result, failed.day) == ("failed", 1)
    assert await scheduler.run_once(SLOT + timedelta(minutes=1)) == []  # not retried today
    [sent] = await scheduler.run_once(SLOT + timedelta(days=1))
    assert (sent.result, sent.day) == ("sent", 1)


async def test_429_is_retried_within_the_pass_with_the_same_nonce() -> None:
    send = FakeSend(SendResult.retryable("429", retry_after=0.0))
    scheduler, _ = await _scheduler(send)
    [sent] = await scheduler.run_once(SLOT)
    assert sent.result == "sent"
    assert [day for day, _ in send.calls] == [1, 1]
    assert len({nonce for _, nonce in send.calls}) == 1


async def test_an_unconfirmed_post_past_the_nonce_window_is_never_resent() -> None:
    send = FakeSend(SendResult.unknown("timeout"))
    scheduler, storage = await _scheduler(send)
    [first] = await scheduler.run_once(SLOT)
    assert first.result == "unconfirmed"
    assert await scheduler.run_once(SLOT + timedelta(minutes=5)) == []
    post = await storage.last_reading_post(G)
    assert post is not None
    assert post.status == "unknown"
    assert len(send.calls) == 1


async def test_a_finished_book_and_a_vanished_document_are_tried_once_a_day() -> None:
    send = FakeSend()
    scheduler, _ = await _scheduler(send, total=1)
    await scheduler.run_once(SLOT)
    [done] = await scheduler.run_once(SLOT + timedelta(days=1))
    assert done.result == "finished"
    assert await scheduler.run_once(SLOT + timedelta(days=1, seconds=5)) == []
    assert len(send.calls) == 1
    gone, _ = await _scheduler(FakeSend(), total=None)
    [missing] = await gone.run_once(SLOT)
    assert missing.result == "no_document"
    assert await gone.run_once(SLOT + timedelta(seconds=5)) == []
