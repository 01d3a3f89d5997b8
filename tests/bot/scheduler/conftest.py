"""Fixtures of the scheduler tests: real SQLite storage, a fake clock and a fake Discord."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.storage import SQLiteStorage
from tests.bot.scheduler.fakes import (
    SLOT,
    Clock,
    FakeDiscord,
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
