"""Tests of the Discord double itself, through an unmodified discord.py ``commands.Bot``
(:mod:`tests.double.tinybot`): Discord's rules, those of its OpenAPI description
and those the description cannot state."""

from __future__ import annotations

import json
from typing import Any

import aiohttp
import discord
import pytest

from tests.double import DiscordDouble, connect_bot, payloads, spec
from tests.double.server import SEND_MESSAGES, VIEW_CHANNEL, validate_callback, validate_message
from tests.double.tinybot import TinyBot, wait_until

# ---------------------------------------------------------------- Discord's rules


@pytest.mark.parametrize("length", [2000])
async def test_content_at_the_limit_is_accepted(
    discord_double: DiscordDouble, bot: TinyBot, length: int
) -> None:
    handle = await discord_double.send_interaction(
        payloads.slash_command("echo", {"text": "x" * length})
    )
    assert len((await handle.final())["content"]) == length


@pytest.mark.discord_violations_expected
async def test_content_over_2000_is_rejected_like_discord(
    discord_double: DiscordDouble, bot: TinyBot
) -> None:
    handle = await discord_double.send_interaction(
        payloads.slash_command("echo", {"text": "x" * 2001})
    )
    await wait_until(lambda: bot.errors)
    [error] = bot.errors
    assert isinstance(error, discord.HTTPException)
    assert (error.status, error.code) == (400, 50035)
    [violation] = discord_double.violations
    assert violation.errors["data"]["content"]["_errors"][0]["code"] == "BASE_TYPE_MAX_LENGTH"
    assert not handle.responded


async def test_twenty_five_choices_are_accepted(
    discord_double: DiscordDouble, bot: TinyBot
) -> None:
    handle = await discord_double.send_interaction(
        payloads.autocomplete("fruit", {"name": "25"}, focused="name")
    )
    assert len((await handle.response())["data"]["choices"]) == 25
    assert bot.errors == []


@pytest.mark.discord_violations_expected
async def test_twenty_six_choices_are_rejected_like_discord(
    discord_double: DiscordDouble, bot: TinyBot
) -> None:
    handle = await discord_double.send_interaction(
        payloads.autocomplete("fruit", {"name": "26"}, focused="name")
    )
    await wait_until(lambda: bot.errors)
    assert isinstance(bot.errors[0], discord.HTTPException)
    assert bot.errors[0].code == 50035
    [violation] = discord_double.violations
    assert violation.status == 400
    assert violation.errors == {
        "data": {
            "choices": {
                "_errors": [
                    {"code": "BASE_TYPE_MAX_LENGTH", "message": "Must be 25 or fewer in length."}
                ]
            }
        }
    }
    # discord.py then answers with the empty list the callback returned: that one is accepted.
    assert (await handle.response())["data"]["choices"] == []


@pytest.mark.discord_violations_expected
async def test_second_initial_response_is_40060(
    discord_double: DiscordDouble, bot: TinyBot
) -> None:
    handle = await discord_double.send_interaction(payloads.slash_command("twice"))
    await wait_until(lambda: bot.errors)
    assert isinstance(bot.errors[0], discord.HTTPException)
    assert (bot.errors[0].status, bot.errors[0].code) == (400, 40060)
    assert (await handle.final())["content"] == "first"
    assert [v.code for v in discord_double.violations] == [40060]


@pytest.mark.discord_violations_expected
async def test_late_first_response_is_unknown_interaction(
    discord_double: DiscordDouble, bot: TinyBot
) -> None:
    discord_double.interaction_deadline = 0.2
    handle = await discord_double.send_interaction(
        payloads.slash_command("late", {"seconds": 0.35})
    )
    await wait_until(lambda: bot.errors)
    assert isinstance(bot.errors[0], discord.NotFound)
    assert bot.errors[0].code == 10062
    assert not handle.responded
    # One violation from the deadline timer (nobody answered in time), one for the late call.
    assert [v.code for v in discord_double.violations] == [10062, 10062]


async def test_response_inside_the_deadline_is_fine(
    discord_double: DiscordDouble, bot: TinyBot
) -> None:
    discord_double.interaction_deadline = 0.5
    handle = await discord_double.send_interaction(
        payloads.slash_command("late", {"seconds": 0.05})
    )
    assert (await handle.final())["content"] == "finally"


async def test_embed_at_the_limits_is_accepted(discord_double: DiscordDouble, bot: TinyBot) -> None:
    handle = await discord_double.send_interaction(
        payloads.slash_command("card", {"size": 4096, "fields": 25})
    )
    [followup] = await handle.followups()
    assert len(followup["embeds"][0]["description"]) == 4096
    assert len(followup["embeds"][0]["fields"]) == 25


@pytest.mark.discord_violations_expected
async def test_embed_over_the_limits_is_rejected_with_field_paths(
    discord_double: DiscordDouble, bot: TinyBot
) -> None:
    await discord_double.send_interaction(
        payloads.slash_command("card", {"size": 4097, "fields": 26})
    )
    await wait_until(lambda: bot.errors)
    assert isinstance(bot.errors[0], discord.HTTPException)
    assert bot.errors[0].code == 50035
    [violation] = discord_double.violations
    embed_errors = violation.errors["embeds"]["0"]
    assert (
        embed_errors["description"]["_errors"][0]["message"] == "Must be 4096 or fewer in length."
    )
    assert embed_errors["fields"]["_errors"][0]["message"] == "Must be 25 or fewer in length."


@pytest.mark.discord_violations_expected
async def test_follow_up_after_the_token_expired_is_50027(
    discord_double: DiscordDouble, bot: TinyBot
) -> None:
    discord_double.interaction_token_lifetime = 0.01  # the follow-up comes 0.05 s after the defer
    handle = await discord_double.send_interaction(payloads.slash_command("slow"))
    await wait_until(lambda: bot.errors)
    assert isinstance(bot.errors[0], discord.HTTPException)
    assert (bot.errors[0].status, bot.errors[0].code) == (401, 50027)
    assert (await handle.response())["type"] == 5
    assert handle.followup_messages == []


@pytest.mark.discord_violations_expected
async def test_channel_permissions_and_unknown_channel(discord_double: DiscordDouble) -> None:
    read_only = discord_double.add_channel(
        discord_double.guild_id, "read-only", permissions_for_bot=VIEW_CHANNEL
    )
    hidden = discord_double.add_channel(
        discord_double.guild_id, "hidden", permissions_for_bot=SEND_MESSAGES
    )
    tiny = TinyBot()
    async with connect_bot(tiny, discord_double):
        channel = tiny.get_channel(int(read_only))
        assert isinstance(channel, discord.TextChannel)
        me = channel.guild.me
        assert not channel.permissions_for(me).send_messages  # the client agrees with the double
        with pytest.raises(discord.Forbidden) as no_send:
            await channel.send("hi")
        hidden_channel = tiny.get_channel(int(hidden))
        assert isinstance(hidden_channel, discord.TextChannel)
        with pytest.raises(discord.Forbidden) as no_view:
            await hidden_channel.send("hi")
        with pytest.raises(discord.NotFound) as unknown:
            await tiny.http.send_message(
                123, params=discord.http.handle_message_parameters(content="x")
            )
    assert no_send.value.code == 50013
    assert no_view.value.code == 50001
    assert unknown.value.code == 10003
    assert [v.code for v in discord_double.violations] == [50013, 50001, 10003]


async def test_unknown_route_is_404_and_recorded() -> None:
    async with DiscordDouble() as double, aiohttp.ClientSession() as session:
        async with session.get(f"{double.api_base}/guilds/1/bans") as resp:
            assert resp.status == 404
            assert resp.headers["Content-Type"] == "application/json"
            assert await resp.json() == {"code": 0, "message": "404: Not Found"}
        assert [r.path for r in double.unknown_routes] == ["/guilds/1/bans"]
        with pytest.raises(AssertionError, match="unknown route GET /guilds/1/bans"):
            double.assert_no_violations()


def test_validators_match_discords_error_paths() -> None:
    body = {
        "content": "ok",
        "embeds": [
            {
                "title": "t" * 257,
                "description": "d" * 4097,
                "fields": [{"name": "n", "value": ""}] + [{"name": "n", "value": "v"}] * 25,
                "footer": {"text": "f" * 2049},
                "author": {"name": "a" * 257},
            }
        ],
        "components": [{"type": 1, "components": [{"type": 2, "custom_id": "c" * 101}]}] * 6,
    }
    errors, empty = validate_message(body)
    assert not empty
    embed = errors["embeds"]["0"]
    assert set(embed) == {"title", "description", "fields", "footer", "author"}
    assert embed["fields"]["0"]["value"]["_errors"][0]["code"] == "BASE_TYPE_REQUIRED"
    assert embed["fields"]["_errors"][0]["message"] == "Must be 25 or fewer in length."
    assert errors["embeds"]["_errors"][0]["code"] == "MAX_EMBED_SIZE_EXCEEDED"
    assert "_errors" in errors["components"]
    assert "custom_id" in errors["components"]["0"]["components"]["0"]
    assert validate_message({"embeds": [{"description": "d" * 4096}]}) == ({}, False)
    assert validate_message({"content": ""})[1]  # empty message → 50006
    eleven = validate_message({"embeds": [{"title": "t"}] * 11})[0]
    assert eleven["embeds"]["_errors"][0]["message"] == "Must be 10 or fewer in length."
    choice_errors = validate_callback(
        {"type": 8, "data": {"choices": [{"name": "", "value": "v" * 101}]}}
    )
    assert set(choice_errors["data"]["choices"]["0"]) == {"name", "value"}
    assert validate_callback({"type": 8, "data": {"choices": [{"name": "n", "value": 3}]}}) == {}


# ---------------------------------------------------------------- Discord's OpenAPI description


def test_the_description_catches_an_answer_discord_would_not_give() -> None:
    message = {"id": "1", "channel_id": "2", "content": "hi", "type": 0}  # no author, no flags...
    problems = spec.check_response(
        "POST", "/channels/2/messages", 200, json.dumps(message).encode()
    )
    assert any("is a required property" in p for p in problems)
    assert spec.check_response("DELETE", "/channels/2/messages/3", 204, b"") == []  # documented
    deferred = {"interaction": {"id": "1", "type": 2}}
    assert spec.check_response("GET", "/users/@me", 418, json.dumps(deferred).encode())


def test_the_description_catches_a_request_discord_would_refuse() -> None:
    bad = [{"name": "quote", "description": "d", "type": 1, "options": [{"name": "x"}]}]
    problems = spec.check_request("PUT", "/applications/1/commands", {}, bad)
    assert problems
    assert spec.check_request("GET", "/nowhere/at/all", {}, None) == [
        "GET /nowhere/at/all: no such operation in Discord's API description"
    ]
    assert spec.check_request("GET", "/users/@me", {"bogus": "1"}, None)


# ---------------------------------------------------------------- rules the description cannot state


async def _raw(double: DiscordDouble, method: str, path: str, body: Any) -> tuple[int, Any]:
    async with aiohttp.ClientSession() as session:
        resp = await session.request(
            method,
            f"{double.api_base}{path}",
            json=body,
            headers={"Authorization": f"Bot {double.token}"},
        )
        return resp.status, await resp.json()


def _option(name: str, **extra: Any) -> dict[str, Any]:
    return {"type": 3, "name": name, "description": "an option", **extra}


@pytest.mark.discord_violations_expected
@pytest.mark.parametrize(
    ("options", "path", "code"),
    [
        # Discord's "Application Command Naming": lower case, ^[-_\w]{1,32}$
        ([_option("Query")], ("0", "options", "0", "name"), "APPLICATION_COMMAND_INVALID_NAME"),
        ([_option("has space")], ("0", "options", "0", "name"), "APPLICATION_COMMAND_INVALID_NAME"),
        # "Required options must be listed before optional options"
        (
            [_option("a"), _option("b", required=True)],
            ("0", "options", "1", "required"),
            "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
        ),
        # choices: "Max 25"
        (
            [_option("a", choices=[{"name": f"c{i}", "value": f"c{i}"} for i in range(26)])],
            ("0", "options", "0", "choices"),
            "BASE_TYPE_MAX_LENGTH",
        ),
        # "autocomplete may not be set to true if choices are present"
        (
            [_option("a", autocomplete=True, choices=[{"name": "x", "value": "x"}])],
            ("0", "options", "0", "autocomplete"),
            "APPLICATION_COMMAND_AUTOCOMPLETE_INVALID",
        ),
        (
            [_option("a"), _option("a")],
            ("0", "options", "1", "name"),
            "APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS",
        ),
    ],
)
async def test_command_option_rules_are_enforced(
    discord_double: DiscordDouble, options: list[dict[str, Any]], path: tuple[str, ...], code: str
) -> None:
    # https://discord.com/developers/docs/interactions/application-commands#application-command-object
    command = {"name": "cmd", "description": "a command", "type": 1, "options": options}
    status, body = await _raw(
        discord_double, "PUT", f"/applications/{discord_double.application_id}/commands", [command]
    )
    assert (status, body["code"]) == (400, 50035)
    node = body["errors"]
    for part in path:
        node = node[part]
    assert code in [e["code"] for e in node["_errors"]]
    discord_double.spec_request_problems.clear()  # some of these break the description too


@pytest.mark.discord_violations_expected
async def test_duplicate_custom_ids_and_long_nonces_are_refused(
    discord_double: DiscordDouble,
) -> None:
    # custom_id unique per message (components reference); nonce up to 25 characters
    # (https://discord.com/developers/docs/resources/message#create-message)
    button = {"type": 2, "style": 1, "label": "x", "custom_id": "same"}
    path = f"/channels/{discord_double.channel_id}/messages"
    status, body = await _raw(
        discord_double,
        "POST",
        path,
        {"content": "hi", "components": [{"type": 1, "components": [button, dict(button)]}]},
    )
    assert status == 400
    errors = body["errors"]["components"]["0"]["components"]["1"]["custom_id"]["_errors"]
    assert errors[0]["code"] == "COMPONENT_CUSTOM_ID_DUPLICATED"
    status, body = await _raw(discord_double, "POST", path, {"content": "hi", "nonce": "n" * 26})
    assert status == 400
    assert body["errors"]["nonce"]["_errors"][0]["code"] == "BASE_TYPE_MAX_LENGTH"
