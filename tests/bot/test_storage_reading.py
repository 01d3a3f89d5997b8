"""Reading-club storage: the same contract for SQLite, PostgreSQL and memory."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, date, datetime, time

from bot.core.reading import ReadingClub
from bot.storage import Storage, effective_next_day
from tests.bot import test_storage

store = test_storage.store  # the backend fixture: SQLite, PostgreSQL, memory

NOW = datetime(2026, 6, 1, 7, 0, tzinfo=UTC)
DAY = date(2026, 6, 1)
G, CH = 111111111111111111, 333333333333333333


def club(**changes: object) -> ReadingClub:
    return replace(ReadingClub(G, CH, "little", time(8, 0), "Europe/Berlin", 0, True), **changes)  # type: ignore[arg-type]


async def test_a_club_round_trips_and_can_be_paused_skipped_and_stopped(store: Storage) -> None:
    assert await store.get_reading_club(G) is None
    await store.set_reading_club(club())
    assert await store.get_reading_club(G) == club()
    assert await store.update_reading_club(G, paused=True)
    assert await store.update_reading_club(G, next_day=3)
    assert await store.get_reading_club(G) == club(paused=True, next_day=3)
    assert await store.all_reading_clubs() == [club(paused=True, next_day=3)]
    assert await store.delete_reading_club(G)
    assert not await store.delete_reading_club(G)
    assert not await store.update_reading_club(G, paused=False)


async def test_one_claim_per_date_and_a_sent_post_advances_the_club(store: Storage) -> None:
    await store.set_reading_club(club())
    results = await asyncio.gather(
        *(store.claim_reading_post(G, DAY, 1, CH, "nonce1", NOW) for _ in range(5))
    )
    assert sorted(results) == [False, False, False, False, True]
    post = await store.last_reading_post(G)
    assert post is not None
    assert (post.day, post.status, post.nonce) == (1, "pending", "nonce1")
    await store.finish_reading_post(G, DAY, "sent", message_id=42)
    post = await store.last_reading_post(G)
    assert post is not None
    assert (post.status, post.message_id) == ("sent", 42)
    current = await store.get_reading_club(G)
    assert current is not None
    assert current.next_day == 2
    assert await store.last_sent_reading_day(G) == 1
    # a crash between the two writes leaves next_day behind: the last sent day wins
    assert await store.update_reading_club(G, next_day=1)
    stale = await store.get_reading_club(G)
    assert stale is not None
    assert await effective_next_day(store, stale) == 2


async def test_a_new_club_starts_counting_afresh(store: Storage) -> None:
    await store.set_reading_club(club())
    assert await store.claim_reading_post(G, DAY, 1, CH, "n", NOW)
    await store.finish_reading_post(G, DAY, "sent", message_id=1)
    await store.set_reading_club(club(document_id="other"))
    assert await store.last_sent_reading_day(G) == 0
