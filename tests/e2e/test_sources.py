"""``/sources`` through the real client: the list a page at a time, paging by its user only, and
one document's details."""

from __future__ import annotations

from typing import Any

import pytest

from bot.client import CorpusBot
from bot.core.library import Library
from bot.core.loader import parse_document
from bot.core.models import Corpus
from bot.render import NOT_YOURS
from tests.double import DiscordDouble, connect_bot, payloads
from tests.e2e.conftest import BotFactory

EPHEMERAL = 1 << 6
pytestmark = pytest.mark.e2e


def _library(count: int) -> Library:
    documents = tuple(
        parse_document(
            f"Voyage {n}\n\nBy Author {n}\n\nThe ship number {n} sailed at dawn. The sea was calm.\n\n"
            f"The crew of ship {n} sang all night long.\n",
            document_id=f"voyage-{n:02d}",
        )
        for n in range(1, count + 1)
    )
    return Library.build(Corpus(documents))


async def _run(double: DiscordDouble, payload: dict[str, Any]) -> dict[str, Any]:
    handle = await double.send_interaction(payload)
    return await handle.final()


def _ids(message: dict[str, Any]) -> dict[str, dict[str, Any]]:
    buttons = [c for row in message.get("components", []) for c in row["components"]]
    return {c["custom_id"].split(":")[1]: c for c in buttons}


async def test_sources_pages_with_buttons_only_for_its_user(
    make_bot: BotFactory, discord_double: DiscordDouble
) -> None:
    bot: CorpusBot = make_bot(library=_library(23))
    async with connect_bot(bot, discord_double):
        first = await _run(discord_double, payloads.slash_command("sources"))
        embed = first["embeds"][0]
        assert "Page 1 of 3 · 23 documents" in embed["footer"]["text"]
        assert "Voyage 1**" in embed["description"]
        assert "Voyage 11" not in embed["description"]
        buttons = _ids(first)
        assert buttons["prev"].get("disabled")
        assert not buttons["next"].get("disabled")

        other = discord_double.add_member(discord_double.guild_id, "someone")
        refused = await _run(
            discord_double,
            payloads.component(buttons["next"]["custom_id"], first, user_id=other),
        )
        assert int(refused.get("flags", 0)) & EPHEMERAL
        assert NOT_YOURS in str(refused)

        second = await _run(discord_double, payloads.component(buttons["next"]["custom_id"], first))
        assert second["id"] == first["id"]  # the same message, edited in place
        assert "Page 2 of 3" in second["embeds"][0]["footer"]["text"]
        assert "Voyage 11**" in second["embeds"][0]["description"]
        third = await _run(
            discord_double, payloads.component(_ids(second)["next"]["custom_id"], second)
        )
        assert "Page 3 of 3" in third["embeds"][0]["footer"]["text"]
        assert "Voyage 23**" in third["embeds"][0]["description"]
        assert _ids(third)["next"].get("disabled")


async def test_sources_document_shows_details_and_a_short_summary(
    running_bot: CorpusBot, discord_double: DiscordDouble
) -> None:
    shown = await _run(
        discord_double, payloads.slash_command("sources", {"document": "kim-human-rights"})
    )
    embed = shown["embeds"][0]
    fields = {f["name"]: f["value"] for f in embed["fields"]}
    assert embed["title"].startswith("Trump Must Hold Kim Jong-Un")
    assert fields["Id"] == "`kim-human-rights`"
    assert int(fields["Words"].replace(",", "")) > 500
    assert embed["description"]  # the short summary, verbatim sentences
    assert "components" not in shown or not shown["components"]


async def test_a_short_list_has_no_page_buttons(
    running_bot: CorpusBot, discord_double: DiscordDouble
) -> None:
    shown = await _run(discord_double, payloads.slash_command("sources"))
    assert "Page 1 of 1 · 1 document" in shown["embeds"][0]["footer"]["text"]
    assert not shown.get("components")
