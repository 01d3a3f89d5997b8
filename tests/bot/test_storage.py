"""Storage: migrations, WAL, persistence, atomic claims; the same contract for both backends."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest

import bot.storage._migrations as storage_module
from bot.core.daily import DailySchedule
from bot.storage import (
    MIGRATIONS,
    MemoryStorage,
    PostStatus,
    SQLiteStorage,
    Storage,
    open_storage,
)
from tests.postgres_server import fresh_schema

NOW = datetime(2026, 6, 1, 7, 0, tzinfo=UTC)
DAY = date(2026, 6, 1)
G1, G2, CH = 111111111111111111, 222222222222222222, 333333333333333333


def berlin(guild: int = G1, channel: int = CH) -> DailySchedule:
    return DailySchedule(guild, channel, time(9, 0), "Europe/Berlin", None, ("essay", "other"))


@pytest.fixture(params=["sqlite", "postgresql", "memory"])
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Storage]:
    s: Storage
    if request.param == "postgresql":
        async with fresh_schema(request.getfixturevalue("postgres_server")) as url:
            s = await open_storage(url)
            yield s
            await s.close()
        return
    if request.param == "sqlite":
        s = await SQLiteStorage.open(tmp_path / "state.sqlite3")
    else:
        s = MemoryStorage()
    yield s
    await s.close()


# -- SQLite specifics ------------------------------------------------------------------


async def test_migrations_from_empty_file_and_wal(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "state.sqlite3"
    s = await SQLiteStorage.open(path)
    try:
        assert await s.schema_version() == len(MIGRATIONS)
        assert await s.journal_mode() == "wal"
        assert isinstance(s, Storage)
    finally:
        await s.close()
    with sqlite3.connect(path) as raw:
        tables = {r[0] for r in raw.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert {"schedules", "posts", "guild_status", "meta", "channel_last_quote"} <= tables
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


async def test_reopen_keeps_data_and_does_not_migrate_again(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    s = await SQLiteStorage.open(path)
    await s.set_schedule(berlin(), at=NOW)
    assert await s.claim_post(G1, DAY, "k1", CH, NOW, cycle=0, nonce="n1")
    await s.complete_post(G1, DAY, 999, NOW + timedelta(seconds=1))
    await s.set_meta("fingerprint", "abc")
    await s.close()

    s = await SQLiteStorage.open(path)
    try:
        assert await s.schema_version() == len(MIGRATIONS)
        assert await s.get_schedule(G1) == berlin()
        last = await s.last_post(G1)
        assert last is not None
        assert (last.status, last.message_id, last.nonce) == (PostStatus.SENT, 999, "n1")
        assert await s.get_meta("fingerprint") == "abc"
    finally:
        await s.close()


async def test_a_version_1_database_keeps_its_status_sentences(tmp_path: Path) -> None:
    """Schema 2 adds a status's channel and date; a row written by version 1 keeps its sentence."""
    path = tmp_path / "state.sqlite3"
    with sqlite3.connect(path) as raw:
        for statement in MIGRATIONS[0]:
            raw.execute(statement)
        raw.execute(
            "INSERT INTO guild_status VALUES (?, 'paused', ?, ?)",
            (G1, "the bot lost Send Messages in <#3> on 2026-06-01", NOW.isoformat()),
        )
        raw.execute("PRAGMA user_version = 1")
    s = await SQLiteStorage.open(path)
    try:
        assert await s.schema_version() == len(MIGRATIONS)
        status = await s.get_status(G1)
        assert status is not None
        assert status.detail == "the bot lost Send Messages in <#3> on 2026-06-01"
        assert (status.channel_id, status.local_date) == (None, None)
    finally:
        await s.close()


async def test_a_new_migration_is_applied_in_order_on_open(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "state.sqlite3"
    s = await SQLiteStorage.open(path)
    await s.set_meta("kept", "yes")
    await s.close()
    extra = (*MIGRATIONS, ("CREATE TABLE extra (x INTEGER)", "INSERT INTO extra VALUES (7)"))
    monkeypatch.setattr(storage_module, "MIGRATIONS", extra)
    s = await SQLiteStorage.open(path)
    try:
        assert await s.schema_version() == len(MIGRATIONS) + 1
        assert await s.get_meta("kept") == "yes"
    finally:
        await s.close()
    with sqlite3.connect(path) as raw:
        assert raw.execute("SELECT x FROM extra").fetchall() == [(7,)]


async def test_a_failing_migration_rolls_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "state.sqlite3"
    await (await SQLiteStorage.open(path)).close()
    bad = (*MIGRATIONS, ("CREATE TABLE half (x INTEGER)", "THIS IS NOT SQL"))
    monkeypatch.setattr(storage_module, "MIGRATIONS", bad)
    with pytest.raises(sqlite3.OperationalError):
        await SQLiteStorage.open(path)
    with sqlite3.connect(path) as raw:
        assert raw.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
        assert raw.execute("SELECT name FROM sqlite_master WHERE name='half'").fetchone() is None


async def test_concurrent_claims_from_two_connections_one_wins(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    a, b = await asyncio.gather(SQLiteStorage.open(path), SQLiteStorage.open(path))
    try:
        results = await asyncio.gather(
            *(
                store.claim_post(G1, DAY, f"k{i}", CH, NOW, nonce=f"n{i}")
                for i, store in enumerate([a, b] * 5)
            )
        )
        assert sorted(results) == [False] * 9 + [True]
        winner = results.index(True)
        row = await b.get_post(G1, DAY)
        assert row is not None
        assert row.quote_key == f"k{winner}"
        assert row.status == PostStatus.PENDING
    finally:
        await a.close()
        await b.close()


# -- contract, both backends -----------------------------------------------------------


async def test_schedule_round_trip_disable_and_reset(store: Storage) -> None:
    assert await store.get_schedule(G1) is None
    await store.set_schedule(berlin(), at=NOW)
    await store.set_schedule(berlin(G2), source="config", at=NOW)
    assert await store.get_schedule(G1) == berlin()
    assert await store.all_schedules() == [berlin(), berlin(G2)]
    record = await store.get_schedule_record(G2)
    assert record is not None
    assert (record.source, record.enabled, record.updated_at) == ("config", True, NOW)

    await store.set_status(G1, "channel_missing", "gone", NOW)
    assert await store.disable_schedule(G1, at=NOW)
    assert not await store.disable_schedule(999)
    assert await store.get_schedule(G1) is None
    assert await store.all_schedules() == [berlin(G2)]
    disabled = await store.get_schedule_record(G1)
    assert disabled is not None
    assert not disabled.enabled
    assert len(await store.all_schedule_records()) == 2

    moved = berlin(G1, channel=444)
    await store.set_schedule(moved, at=NOW)  # re-set: enabled again, status cleared
    assert await store.get_schedule(G1) == moved
    assert await store.get_status(G1) is None


async def test_claim_is_exclusive_and_retry_rows_can_be_reclaimed(store: Storage) -> None:
    assert await store.claim_post(G1, DAY, "k1", CH, NOW, cycle=2, nonce="n1")
    assert not await store.claim_post(G1, DAY, "k2", CH, NOW, cycle=2, nonce="n2")
    await store.fail_post(G1, DAY, PostStatus.RETRY, "503")
    later = NOW + timedelta(minutes=1)
    assert await store.claim_post(G1, DAY, "k1", CH, later, cycle=2, nonce="other")
    row = await store.get_post(G1, DAY)
    assert row is not None
    assert (row.status, row.nonce, row.attempts, row.claimed_at, row.error) == (
        PostStatus.PENDING,
        "n1",  # the first nonce is kept, so Discord can deduplicate
        2,
        later,
        None,
    )
    for final in (PostStatus.FAILED, PostStatus.UNKNOWN):
        await store.fail_post(G1, DAY, final, "x")
        assert not await store.claim_post(G1, DAY, "k1", CH, later)
    with pytest.raises(ValueError, match="sent"):
        await store.fail_post(G1, DAY, PostStatus.SENT, "x")


async def test_release_undoes_a_claim_so_the_date_can_be_claimed_again(store: Storage) -> None:
    before = DAY - timedelta(days=1)
    assert await store.claim_post(G1, before, "k0", CH, NOW, nonce="n0")
    await store.complete_post(G1, before, 7, NOW)
    # a first claim is deleted: the latest post is the previous day's again
    assert await store.claim_post(G1, DAY, "k1", 999, NOW, nonce="n1")
    assert await store.release_post(G1, DAY, "missing Send Messages")
    assert await store.get_post(G1, DAY) is None
    last = await store.last_post(G1)
    assert last is not None
    assert last.local_date == before
    assert await store.used_quote_keys(G1, 0) == {"k0"}
    # a re-claim goes back to retry with one attempt fewer
    assert await store.claim_post(G1, DAY, "k1", CH, NOW, nonce="n1")
    await store.fail_post(G1, DAY, PostStatus.RETRY, "503")
    assert await store.claim_post(G1, DAY, "k1", 999, NOW, nonce="n1")
    assert await store.release_post(G1, DAY, "missing Embed Links")
    row = await store.get_post(G1, DAY)
    assert row is not None
    assert (row.status, row.attempts, row.error) == (PostStatus.RETRY, 1, "missing Embed Links")
    assert await store.claim_post(G1, DAY, "k1", CH, NOW)
    # only a pending row is released
    await store.complete_post(G1, DAY, 8, NOW)
    assert not await store.release_post(G1, DAY, "x")
    assert not await store.release_post(G1, before, "x")
    assert not await store.release_post(G2, DAY, "x")
    row = await store.get_post(G1, DAY)
    assert row is not None
    assert row.status == PostStatus.SENT


async def test_complete_and_last_post(store: Storage) -> None:
    assert await store.last_post(G1) is None
    for offset in (2, 0, 1):
        day = DAY + timedelta(days=offset)
        assert await store.claim_post(G1, day, f"k{offset}", CH, NOW, nonce=f"n{offset}")
    await store.complete_post(G1, DAY + timedelta(days=2), 42, NOW)
    last = await store.last_post(G1)
    assert last is not None
    assert (last.local_date, last.status, last.message_id, last.posted_at) == (
        DAY + timedelta(days=2),
        PostStatus.SENT,
        42,
        NOW,
    )
    assert await store.last_post(G2) is None


async def test_cycles_and_used_keys(store: Storage) -> None:
    assert await store.current_cycle(G1) == 0
    plan = [
        ("a", 0, None),
        ("b", 0, PostStatus.FAILED),
        ("c", 0, PostStatus.UNKNOWN),
        ("a", 1, None),
    ]
    for offset, (key, cycle, fail) in enumerate(plan):
        day = DAY + timedelta(days=offset)
        assert await store.claim_post(G1, day, key, CH, NOW, cycle=cycle)
        if fail is None:
            await store.complete_post(G1, day, 100 + offset, NOW)
        else:
            await store.fail_post(G1, day, fail, "x")
    assert await store.used_quote_keys(G1, 0) == {"a", "c"}  # a failed post is not "used"
    assert await store.used_quote_keys(G1, 1) == {"a"}
    assert await store.current_cycle(G1) == 1
    assert await store.used_quote_keys(G2, 0) == set()


async def test_record_post_in_one_step(store: Storage) -> None:
    assert await store.record_post(G1, DAY, "k", CH, 7, NOW)
    assert not await store.record_post(G1, DAY, "k", CH, 8, NOW)
    assert not await store.claim_post(G1, DAY, "k", CH, NOW)
    row = await store.get_post(G1, DAY)
    assert row is not None
    assert (row.status, row.message_id) == (PostStatus.SENT, 7)


async def test_status_meta_and_last_quote(store: Storage) -> None:
    assert await store.get_status(G1) is None
    await store.set_status(G1, "paused", "Send Messages", NOW, channel_id=CH, local_date=DAY)
    status = await store.get_status(G1)
    assert status is not None
    assert (status.status, status.detail, status.channel_id, status.local_date) == (
        "paused",
        "Send Messages",
        CH,
        DAY,
    )
    await store.set_status(G1, "ok", "", NOW + timedelta(days=1))
    status = await store.get_status(G1)
    assert status is not None
    assert (status.status, status.detail, status.at) == ("ok", "", NOW + timedelta(days=1))
    assert (status.channel_id, status.local_date) == (None, None)
    assert await store.get_meta("x") is None
    await store.set_meta("x", "1")
    await store.set_meta("x", "2")
    assert await store.get_meta("x") == "2"
    assert await store.last_quote_key(CH) is None
    await store.set_last_quote_key(CH, "essay:3:1")
    await store.set_last_quote_key(CH, "essay:4:0")
    assert await store.last_quote_key(CH) == "essay:4:0"
    assert await store.last_quote_key(CH + 1) is None


async def test_naive_instants_are_refused(store: Storage) -> None:
    with pytest.raises(ValueError, match="aware"):
        await store.claim_post(G1, DAY, "k", CH, datetime(2026, 6, 1, 7, 0))


# -- PostgreSQL specifics --------------------------------------------------------------


async def test_postgres_migrates_once_and_reports_what_it_applied(postgres_url: str) -> None:
    first, second = await asyncio.gather(open_storage(postgres_url), open_storage(postgres_url))
    try:
        assert sorted(first.applied + second.applied) == list(range(1, len(MIGRATIONS) + 1))
        assert await first.schema_version() == len(MIGRATIONS)
    finally:
        await first.close()
        await second.close()
    again = await open_storage(postgres_url)
    try:
        assert again.applied == ()
    finally:
        await again.close()


async def test_postgres_snowflakes_keep_64_bits(postgres_url: str) -> None:
    big = 1_234_567_890_123_456_789  # beyond 32 bits: INTEGER columns became BIGINT
    s = await open_storage(postgres_url)
    try:
        await s.set_schedule(berlin(big, big + 1), at=NOW)
        assert await s.get_schedule(big) == berlin(big, big + 1)
    finally:
        await s.close()


async def test_postgres_concurrent_claims_from_many_pools_one_wins(postgres_url: str) -> None:
    """Three "processes" (each its own pool) race for the same dates: one claim per date."""
    pools = [await open_storage(postgres_url) for _ in range(3)]
    try:
        days = [DAY + timedelta(days=i) for i in range(20)]
        results = await asyncio.gather(
            *(
                pool.claim_post(G1, day, f"k{n}", CH, NOW, nonce=f"n{n}")
                for day in days
                for n, pool in enumerate(pools * 3)
            )
        )
        assert sum(results) == len(days)
    finally:
        for pool in pools:
            await pool.close()


async def test_identify_slots_are_handed_out_one_interval_apart(store: Storage) -> None:
    """Every caller (task or process) sharing the storage gets its own slot per bucket."""
    waits = await asyncio.gather(*(store.reserve_identify(0, 0.5) for _ in range(4)))
    other = await store.reserve_identify(1, 0.5)
    assert sorted(round(w * 2) for w in waits) == [0, 1, 2, 3]  # 0, 0.5, 1.0, 1.5 s
    assert other < 0.1  # another bucket does not wait for bucket 0
