"""What the bot writes to its log: no interaction token at any level, no user text above DEBUG.

Logging is set up as ``corpusbot run`` sets it up (:func:`bot.cli._setup_logging`), writing to a
captured stderr, while the real bot answers commands from the Discord double.
"""

from __future__ import annotations

import io
import logging
import sys
from collections.abc import Iterator
from typing import Any

import pytest

from bot.cli import _setup_logging
from bot.client import CorpusBot
from bot.core.library import Library
from tests.double import DiscordDouble, payloads

pytestmark = pytest.mark.e2e

SECRET_QUERY = "jaw jaw is beter than war war"


@pytest.fixture
def log_stream() -> Iterator[io.StringIO]:
    """Where :func:`logs_to` sends the log; the root logger is put back afterwards."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield io.StringIO()
    root.handlers[:] = handlers
    root.setLevel(level)


def logs_to(stream: io.StringIO, *, verbose: bool) -> None:
    """Set logging up as ``corpusbot run [--verbose]`` does, writing to ``stream``."""
    real, sys.stderr = sys.stderr, stream
    try:
        _setup_logging(None, verbose=verbose)
    finally:
        sys.stderr = real


async def test_debug_logs_never_show_an_interaction_token(
    running_bot: CorpusBot, discord_double: DiscordDouble, log_stream: io.StringIO
) -> None:
    logs_to(log_stream, verbose=True)
    handle = await discord_double.send_interaction(
        payloads.slash_command("search", {"query": SECRET_QUERY})
    )
    await handle.final()
    text = log_stream.getvalue()
    token = handle.payload["token"]
    assert f"/interactions/{handle.id}/[token]/callback" in text  # the request is logged...
    assert token not in text  # ...without its credential
    assert "'token': '[token]'" in text  # the gateway event, too


def _break_search(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(self: Library, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("a bug")

    monkeypatch.setattr(Library, "search", broken)


@pytest.mark.parametrize(("verbose", "shown"), [(False, False), (True, True)])
async def test_command_failed_shows_user_text_only_at_debug(
    running_bot: CorpusBot,
    discord_double: DiscordDouble,
    log_stream: io.StringIO,
    monkeypatch: pytest.MonkeyPatch,
    verbose: bool,
    shown: bool,
) -> None:
    logs_to(log_stream, verbose=verbose)
    _break_search(monkeypatch)
    handle = await discord_double.send_interaction(
        payloads.slash_command("search", {"query": SECRET_QUERY})
    )
    await handle.final()
    (line,) = [x for x in log_stream.getvalue().splitlines() if "command failed" in x]
    assert "/search" in line
    assert "query" in line
    assert (SECRET_QUERY in line) is shown
