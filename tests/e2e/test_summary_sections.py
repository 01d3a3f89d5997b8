"""``/summary document: section:`` as Discord delivers it: a chapter's summary, autocompleted."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bot.core.library import Library
from bot.core.loader import load_corpus
from tests.double import DiscordDouble, connect_bot, payloads
from tests.e2e.conftest import BotFactory


def _book(tmp_path: Path) -> Library:
    chapters = "\n\n".join(
        f"CHAPTER {n}\n\nAnna walked to the mill in chapter {n}, and Boris followed her there. "
        f"The carts went slowly along the lane in chapter {n}. Anna told Boris the news of the day."
        for n in range(1, 6)
    )
    (tmp_path / "mill.txt").write_text("The Mill\n\n" + chapters + "\n", encoding="utf-8")
    return Library.build(load_corpus([tmp_path]))


async def _run(double: DiscordDouble, options: dict[str, Any]) -> dict[str, Any]:
    handle = await double.send_interaction(payloads.slash_command("summary", options))
    return await handle.final()


async def test_summary_of_a_section_shows_that_chapter(
    make_bot: BotFactory, discord_double: DiscordDouble, tmp_path: Path
) -> None:
    async with connect_bot(make_bot(library=_book(tmp_path)), discord_double):
        shown = await _run(discord_double, {"document": "mill", "section": "2"})
    embed = shown["embeds"][0]
    assert embed["title"] == "The Mill — Chapter 2"
    assert "chapter 2" in embed["description"]
    assert "chapter 3" not in embed["description"]


async def test_section_autocomplete_lists_the_chosen_documents_chapters(
    make_bot: BotFactory, discord_double: DiscordDouble, tmp_path: Path
) -> None:
    async with connect_bot(make_bot(library=_book(tmp_path)), discord_double):
        handle = await discord_double.send_interaction(
            payloads.autocomplete(
                "summary", {"document": "mill", "section": "4"}, focused="section"
            )
        )
        body = await handle.response()
    assert body["type"] == 8
    assert [c["value"] for c in body["data"]["choices"]] == ["#4"]
    assert body["data"]["choices"][0]["name"] == "4 · Chapter 4"


async def test_an_unknown_section_is_explained_privately(
    make_bot: BotFactory, discord_double: DiscordDouble, tmp_path: Path
) -> None:
    async with connect_bot(make_bot(library=_book(tmp_path)), discord_double):
        shown = await _run(discord_double, {"document": "mill", "section": "Epilogue"})
    assert int(shown.get("flags", 0)) & 64
    assert "no section called “Epilogue”" in shown["content"]
