"""Gutenberg's ``_emphasis_``: italics in Discord (/quote, /search, /summary), plain words in
the terminal, never underscores."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bot.cli import main
from bot.core.library import Library
from bot.core.loader import load_corpus
from tests.double import DiscordDouble, connect_bot, payloads
from tests.e2e.conftest import BotFactory

BOOK = """The Parsonage

CHAPTER I

"_You_ may laugh at me," said Mrs. Hale to the curate, "but I shall _never_ go back to
that dreadful house on the hill, not for all the money in the county."

The curate smiled and promised that nobody would ask her to do anything of the kind again.

He walked home by the river, thinking of the _Morning Herald_ and its notices of sale.
"""


@pytest.fixture
def book(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "parsonage.txt").write_text(BOOK, encoding="utf-8")
    return folder


async def _run(double: DiscordDouble, name: str, options: dict[str, Any]) -> dict[str, Any]:
    handle = await double.send_interaction(payloads.slash_command(name, options))
    return await handle.final()


async def test_quote_and_search_show_emphasis_as_discord_italics(
    make_bot: BotFactory, discord_double: DiscordDouble, book: Path
) -> None:
    library = Library.build(load_corpus([book]))
    async with connect_bot(make_bot(library=library), discord_double):
        quoted = await _run(discord_double, "quote", {"contains": "dreadful"})
        found = await _run(discord_double, "search", {"query": "Morning Herald notices"})
        summary = await _run(discord_double, "summary", {"document": "parsonage"})
    description = quoted["embeds"][0]["description"]
    assert "*never*" in description
    assert "*You*" in description
    assert "_" not in description
    value = found["embeds"][0]["fields"][0]["value"]
    assert "***Morning Herald***" in value or "*Morning Herald*" in value
    assert "_" not in value
    lines = summary["embeds"][0]["description"]
    assert "_" not in lines
    assert "*never*" in lines or "*Morning Herald*" in lines
    assert all(m is not None and m.get("parse") == [] for m in discord_double.allowed_mentions)


async def test_more_context_keeps_the_italics_of_every_paragraph_it_shows(
    make_bot: BotFactory, discord_double: DiscordDouble, book: Path
) -> None:
    library = Library.build(load_corpus([book]))
    async with connect_bot(make_bot(library=library), discord_double):
        message = await _run(discord_double, "search", {"query": "Morning Herald", "limit": 1})
        button = next(
            c["custom_id"]
            for row in message["components"]
            for c in row["components"]
            if c["custom_id"].startswith("ctx:")
        )
        shown = []
        for _ in range(4):
            handle = await discord_double.send_interaction(
                payloads.component(button, message, user_id=discord_double.user_id)
            )
            shown.append((await handle.final())["embeds"][0]["description"])
    assert "*Morning Herald*" in shown[0]
    assert "*never*" in shown[-1]  # the widest step reaches the first paragraph
    assert all("_" not in text for text in shown)


def test_the_terminal_shows_the_plain_words(book: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["quote", "--contains", "dreadful", "--corpus", str(book)]) == 0
    out = capsys.readouterr().out
    assert "I shall never go back" in out
    assert "*" not in out
    assert "_" not in out
    assert main(["search", "Morning Herald notices", "--corpus", str(book)]) == 0
    out = capsys.readouterr().out
    assert "Morning Herald" in out
    assert "_" not in out
    assert "*Morning" not in out.replace("**Morning", "")
