"""Each server chooses its documents (``/documents``), and every command respects the choice:
``/sources``, ``/search``, ``/quote``, ``/summary`` and the document autocomplete."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bot.client import CorpusBot
from bot.loading import load_library
from bot.settings import Settings, load_settings
from tests.double import DiscordDouble, connect_bot, payloads

EPHEMERAL = 1 << 6
MANAGE_GUILD = 1 << 5
pytestmark = pytest.mark.e2e

TEXTS = {
    ("austen", "emma"): "Emma Woodhouse, handsome, clever, and rich, had lived nearly twenty "
    "years in the world with very little to distress or vex her.",
    ("austen", "persuasion"): "Sir Walter Elliot never took up any book but the Baronetage, "
    "where he found occupation for an idle hour and consolation in a distressed one.",
    ("wells", "martians"): "No one would have believed that this world was being watched "
    "keenly and closely by intelligences greater than man's and yet as mortal as his own.",
}


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    corpus = tmp_path / "library"
    for (folder, name), text in TEXTS.items():
        (corpus / folder).mkdir(parents=True, exist_ok=True)
        (corpus / folder / f"{name}.txt").write_text(
            f"{name.title()}\n\n{text}\n\nThe evening was quiet, and the lamps were lit early.\n",
            encoding="utf-8",
        )
    config = tmp_path / "config.yaml"
    config.write_text(
        f"corpus:\n  paths: [{corpus}]\n  cache_dir: {tmp_path / 'store'}\n"
        f"storage:\n  path: {tmp_path / 'bot.sqlite3'}\n",
        encoding="utf-8",
    )
    return load_settings(config, env={})


async def _run(double: DiscordDouble, name: str, options: Any = None, **kwargs: Any) -> Any:
    kwargs.setdefault("permissions", MANAGE_GUILD)
    handle = await double.send_interaction(payloads.slash_command(name, options, **kwargs))
    return await handle.final()


async def test_a_server_turns_a_folder_off_and_one_document_back_on(
    settings: Settings, discord_double: DiscordDouble
) -> None:
    bot = CorpusBot(
        settings, load_library(settings, quiet=True).library, sync=True, guild_ready_timeout=0.1
    )
    async with connect_bot(bot, discord_double):
        reply = await _run(
            discord_double, "documents", {"name": "collection:austen"}, subcommand="disable"
        )
        assert int(reply.get("flags", 0)) & EPHEMERAL
        assert "Turned off: Folder: austen. This server now sees 1 of 3 documents." in str(reply)

        listed = await _run(discord_double, "sources")
        assert "Martians" in listed["embeds"][0]["description"]
        assert "Emma" not in listed["embeds"][0]["description"]
        hidden = await _run(discord_double, "search", {"query": "handsome clever and rich"})
        assert "Nothing close enough in the documents this server sees" in str(hidden)
        found = await _run(discord_double, "search", {"query": "intelligences greater than man"})
        assert "intelligences greater" in str(found)
        refused = await _run(discord_double, "quote", {"document": "emma"})
        assert "turned off in this server" in str(refused)
        for _ in range(3):  # only the one document left on
            quoted = await _run(discord_double, "quote")
            assert "Martians" in str(quoted)
        summary = await _run(discord_double, "summary")
        assert summary["embeds"][0]["title"] == "Martians"
        choices = await discord_double.send_interaction(
            payloads.autocomplete("quote", {"document": ""}, focused="document")
        )
        offered = await choices.final()
        assert [c["value"] for c in offered["choices"]] == ["martians"]

        reply = await _run(discord_double, "documents", {"name": "emma"}, subcommand="enable")
        assert "now sees 2 of 3 documents" in str(reply)
        found = await _run(discord_double, "search", {"query": "handsome clever and rich"})
        assert "handsome, clever" in str(found)

        shown = await _run(discord_double, "documents", subcommand="list")
        assert "`collection:austen`" in str(shown)
        assert "`emma`" in str(shown)
        reset = await _run(discord_double, "documents", subcommand="reset")
        assert "Forgot 2 choices" in str(reset)
        listed = await _run(discord_double, "sources")
        assert "3 documents" in listed["embeds"][0]["footer"]["text"]


async def test_only_server_managers_choose_and_other_servers_are_unaffected(
    settings: Settings, discord_double: DiscordDouble
) -> None:
    bot = CorpusBot(
        settings, load_library(settings, quiet=True).library, sync=True, guild_ready_timeout=0.1
    )
    async with connect_bot(bot, discord_double):
        refused = await _run(
            discord_double, "documents", {"name": "martians"}, subcommand="disable", permissions=0
        )
        assert "Manage Server" in str(refused)
        await _run(discord_double, "documents", {"name": "martians"}, subcommand="disable")
        assert bot.storage is not None
        assert await bot.storage.document_choices(int(discord_double.guild_id)) == {
            "martians": False
        }
        assert await bot.storage.document_choices(12345) == {}


async def test_daily_show_notes_a_schedule_document_no_longer_in_the_corpus(
    settings: Settings, discord_double: DiscordDouble
) -> None:
    from datetime import time

    from bot.core.daily import DailySchedule

    bot = CorpusBot(
        settings, load_library(settings, quiet=True).library, sync=True, guild_ready_timeout=0.1
    )
    async with connect_bot(bot, discord_double):
        assert bot.storage is not None
        await bot.storage.set_schedule(
            DailySchedule(
                guild_id=int(discord_double.guild_id),
                channel_id=int(discord_double.channel_id),
                time=time(8, 0),
                timezone="Europe/London",
                documents=("emma", "a-removed-book"),
            )
        )
        shown = await _run(discord_double, "daily", subcommand="show")
        assert "No longer in the corpus, so left out of the daily post: `a-removed-book`" in str(
            shown
        )
        assert "`emma`" not in str(shown)


@pytest.mark.parametrize("typed", ["fold", "Folder: aus", "austen"])
async def test_the_name_autocomplete_finds_a_folder_by_what_it_shows(
    settings: Settings, discord_double: DiscordDouble, typed: str
) -> None:
    bot = CorpusBot(
        settings, load_library(settings, quiet=True).library, sync=True, guild_ready_timeout=0.1
    )
    async with connect_bot(bot, discord_double):
        handle = await discord_double.send_interaction(
            payloads.autocomplete(
                "documents", {"name": typed}, focused="name", subcommand="disable"
            )
        )
        offered = await handle.final()
        names = [c["name"] for c in offered["choices"]]
        assert "Folder: austen" in names
        if typed != "fold":
            assert "Folder: wells" not in names
