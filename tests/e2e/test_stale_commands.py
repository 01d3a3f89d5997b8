"""Commands on Discord older than the bot's: re-synced at start-up, and answered clearly meanwhile.

Discord can hold older definitions than the running version (another copy of the bot synced, the
storage was reset, a sync failed half-way). The tests make the double hold such definitions and
check that a restart compares with what Discord holds (not only the local record), and that an
interaction for a command or option the bot no longer has gets an ephemeral "this command
changed" (an autocomplete: no choices) while the bot re-syncs, with no error logged.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import pytest

from bot import render
from bot.client import CorpusBot
from tests.double import DiscordDouble, connect_bot, payloads
from tests.double.server import FLAG_EPHEMERAL
from tests.e2e.conftest import BotFactory

pytestmark = pytest.mark.e2e


def _rename_option(double: DiscordDouble, command: str, old: str, new: str) -> None:
    """Make Discord hold an older ``command`` whose option ``new`` was called ``old``."""
    registered = double.commands[None][(command, 1)]
    for option in registered["options"]:
        if option["name"] == new:
            option["name"] = old


def _add_command(double: DiscordDouble, name: str) -> None:
    double.commands[None][(name, 1)] = {
        "id": double.snowflake(),
        "application_id": double.application_id,
        "version": double.snowflake(),
        "type": 1,
        "name": name,
        "description": "a command an older version had",
        "options": [],
        "default_member_permissions": None,
        "integration_types": [0],
        "contexts": [0, 1, 2],
    }


async def test_a_restart_syncs_when_discord_holds_older_commands(
    make_bot: BotFactory, discord_double: DiscordDouble
) -> None:
    async with connect_bot(make_bot(), discord_double):
        pass  # synced once; the local record says the commands are current
    _rename_option(discord_double, "quote", "text", "contains")
    async with connect_bot(make_bot(sync=False), discord_double):
        pass
    assert len(discord_double.syncs) == 2  # Discord's copy was compared and found old
    options = discord_double.commands[None][("quote", 1)]["options"]
    assert "contains" in {o["name"] for o in options}


def _option(command: dict[str, Any], name: str) -> dict[str, Any]:
    return next(o for o in command["options"] if o["name"] == name)


#: Ways Discord's copy of /quote can be older than the bot's without any name changing.
OLDER: dict[str, Callable[[dict[str, Any]], None]] = {
    "an option's type": lambda c: _option(c, "contains").update(type=4),
    "an option's required flag": lambda c: _option(c, "contains").update(required=True),
    "an option's choices": lambda c: _option(c, "contains").update(
        choices=[{"name": "war", "value": "war"}]
    ),
    "the contexts it is offered in": lambda c: c.update(contexts=[0]),
    "the installations it comes with": lambda c: c.update(integration_types=[0]),
}


@pytest.mark.parametrize("older", list(OLDER))
async def test_a_restart_syncs_when_discord_holds_a_command_of_another_shape(
    make_bot: BotFactory, discord_double: DiscordDouble, older: str
) -> None:
    async with connect_bot(make_bot(), discord_double):
        pass
    current = dict(discord_double.commands[None][("quote", 1)])
    OLDER[older](discord_double.commands[None][("quote", 1)])
    async with connect_bot(make_bot(sync=False), discord_double):
        pass
    assert len(discord_double.syncs) == 2  # Discord's copy was compared and found old
    held = discord_double.commands[None][("quote", 1)]
    assert held["contexts"] == current["contexts"]
    assert held["integration_types"] == current["integration_types"]
    assert _option(held, "contains")["type"] == 3


async def test_a_restart_with_current_commands_on_discord_does_not_sync(
    make_bot: BotFactory, discord_double: DiscordDouble
) -> None:
    for sync in (True, False, False):
        async with connect_bot(make_bot(sync=sync), discord_double):
            pass
    assert len(discord_double.syncs) == 1
    assert len(discord_double.requests("/applications/", "GET")) == 2  # compared, cheaply


async def _changed_answer(double: DiscordDouble, payload: dict[str, Any]) -> None:
    handle = await double.send_interaction(payload)
    shown = await handle.final()
    assert shown["content"] == render.COMMAND_CHANGED
    assert int(shown.get("flags", 0)) & FLAG_EPHEMERAL
    await double.wait_for_request(lambda r: r.method == "PUT", timeout=5)


async def test_an_option_the_bot_no_longer_has_is_answered_and_resynced(
    running_bot: CorpusBot, discord_double: DiscordDouble, caplog: pytest.LogCaptureFixture
) -> None:
    _rename_option(discord_double, "quote", "text", "contains")
    with caplog.at_level(logging.WARNING):
        # Before: the unknown option was dropped and a random public quote was posted.
        await _changed_answer(discord_double, payloads.slash_command("quote", {"text": "peace"}))
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert ("quote", 1) in discord_double.commands[None]
    options = discord_double.commands[None][("quote", 1)]["options"]
    assert "text" not in {o["name"] for o in options}  # the sync put the current definitions


async def test_an_option_of_another_type_is_answered_and_resynced(
    running_bot: CorpusBot, discord_double: DiscordDouble, caplog: pytest.LogCaptureFixture
) -> None:
    _option(discord_double.commands[None][("quote", 1)], "contains")["type"] = 4
    with caplog.at_level(logging.WARNING):
        # Before: the number reached the command as text and failed: "something went wrong".
        await _changed_answer(discord_double, payloads.slash_command("quote", {"contains": 5}))
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert _option(discord_double.commands[None][("quote", 1)], "contains")["type"] == 3


async def test_a_command_the_bot_no_longer_has_is_answered_and_resynced(
    running_bot: CorpusBot, discord_double: DiscordDouble, caplog: pytest.LogCaptureFixture
) -> None:
    _add_command(discord_double, "oldquote")
    with caplog.at_level(logging.WARNING):
        await _changed_answer(discord_double, payloads.slash_command("oldquote"))
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert ("oldquote", 1) not in discord_double.commands[None]


async def test_a_stale_autocomplete_gets_an_answer(
    running_bot: CorpusBot, discord_double: DiscordDouble
) -> None:
    _rename_option(discord_double, "quote", "book", "document")
    handle = await discord_double.send_interaction(
        payloads.autocomplete("quote", {"book": "ki"}, focused="book")
    )
    answer = await handle.response()
    assert answer["type"] == 8
    assert answer["data"]["choices"] == []
