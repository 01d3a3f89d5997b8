"""Fixtures for end-to-end tests: the real CorpusBot against the Discord double."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest

from bot.client import CorpusBot
from bot.core.library import Library
from bot.core.loader import load_corpus
from bot.settings import Settings, load_settings
from tests.double import DiscordDouble, connect_bot

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def seed_library() -> Library:
    """The shipped seed corpus, loaded and indexed once for the session."""
    return Library.build(load_corpus([ROOT / "seeds"]))


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Default settings with storage in a temporary folder and no token."""
    return load_settings(None, env={"CORPUSBOT_STORAGE": str(tmp_path / "bot.sqlite3")})


BotFactory = Callable[..., CorpusBot]


@pytest.fixture
def make_bot(settings: Settings, seed_library: Library) -> BotFactory:
    """Build a CorpusBot for the double (fast ready, sync on by default)."""

    def factory(
        *, sync: bool = True, library: Library | None = None, **kwargs: object
    ) -> CorpusBot:
        return CorpusBot(
            kwargs.pop("settings", settings),  # type: ignore[arg-type]
            library or seed_library,
            sync=sync,
            guild_ready_timeout=0.1,
            **kwargs,  # type: ignore[arg-type]
        )

    return factory


@pytest.fixture
async def running_bot(
    make_bot: BotFactory, discord_double: DiscordDouble
) -> AsyncIterator[CorpusBot]:
    """A CorpusBot logged into the double, its commands synced."""
    bot = make_bot()
    async with connect_bot(bot, discord_double):
        yield bot


SlowSearch = Callable[[float, float], Callable[[], None]]


@pytest.fixture
def slow_search(monkeypatch: pytest.MonkeyPatch) -> SlowSearch:
    """``slow_search(seconds, defer_after)``: make ``Library.search`` take ``seconds`` longer (in the
    core worker thread) and set the bot's defer threshold, so a command is deferred and answered
    by follow-up. Returns a function that restores both."""
    import time

    from bot import client as client_module

    def apply(seconds: float, defer_after: float) -> Callable[[], None]:
        original = Library.search
        original_defer = client_module.DEFER_AFTER

        def slow(self: Library, *args: Any, **kwargs: Any) -> Any:
            time.sleep(seconds)  # in the worker thread: the event loop keeps running
            return original(self, *args, **kwargs)

        monkeypatch.setattr(Library, "search", slow)
        monkeypatch.setattr(client_module, "DEFER_AFTER", defer_after)

        def restore() -> None:
            monkeypatch.setattr(Library, "search", original)
            monkeypatch.setattr(client_module, "DEFER_AFTER", original_defer)

        return restore

    return apply
