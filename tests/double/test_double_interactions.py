"""Tests of the Discord double itself, through an unmodified discord.py ``commands.Bot``
(:mod:`tests.double.tinybot`): interaction round trips."""

from __future__ import annotations

import io

import discord

from tests.double import DiscordDouble, payloads
from tests.double.tinybot import TinyBot, wait_until

# ---------------------------------------------------------------- interaction round trips


async def test_slash_command_with_string_option_is_answered(
    discord_double: DiscordDouble, bot: TinyBot
) -> None:
    handle = await discord_double.send_interaction(
        payloads.slash_command("echo", {"text": "jaw-jaw"})
    )
    body = await handle.response()
    assert body["type"] == 4
    assert body["data"]["content"] == "jaw-jaw"
    assert body["data"]["allowed_mentions"] == {"parse": []}
    final = await handle.final()
    assert final["content"] == "jaw-jaw"
    assert final["channel_id"] == discord_double.channel_id
    assert discord_double.allowed_mentions == [{"parse": []}]
    callback = discord_double.requests("/interactions/")[0]
    assert callback.query == {"with_response": "1"}
    assert "Authorization" not in callback.headers


async def test_ephemeral_flag_reaches_the_double(
    discord_double: DiscordDouble, bot: TinyBot
) -> None:
    handle = await discord_double.send_interaction(
        payloads.slash_command("echo", {"text": "secret", "ephemeral": True})
    )
    await handle.final()
    assert handle.ephemeral


async def test_deferred_command_then_follow_up(discord_double: DiscordDouble, bot: TinyBot) -> None:
    handle = await discord_double.send_interaction(payloads.slash_command("slow", {"words": 3}))
    assert (await handle.response())["type"] == 5
    followups = await handle.followups()
    assert followups[0]["content"] == "done done done"
    final = await handle.final()
    assert final["content"] == "done done done"
    assert not final["flags"] & (1 << 7)  # the "thinking" state is gone


async def test_autocomplete_returns_matching_choices(
    discord_double: DiscordDouble, bot: TinyBot
) -> None:
    handle = await discord_double.send_interaction(
        payloads.autocomplete("fruit", {"name": "ap"}, focused="name")
    )
    body = await handle.response()
    assert body["type"] == 8
    assert body["data"]["choices"] == [
        {"name": "apple", "value": "apple"},
        {"name": "apricot", "value": "apricot"},
    ]


async def test_channel_option_is_resolved_and_channel_post_recorded(
    discord_double: DiscordDouble, bot: TinyBot
) -> None:
    news = discord_double.add_channel(discord_double.guild_id, "news")
    # The channel was added after connecting: wait for the CHANNEL_CREATE to land.
    await wait_until(lambda: bot.get_channel(int(news)) is not None)
    handle = await discord_double.send_interaction(
        payloads.slash_command(
            "post",
            [payloads.option("channel", news, payloads.CHANNEL), payloads.option("text", "hello")],
        )
    )
    final = await handle.final()
    [posted] = discord_double.channel_messages(news)
    assert posted["content"] == "hello"
    assert final["content"] == f"posted {posted['id']}"
    assert handle.ephemeral


async def test_button_click_updates_the_message(
    discord_double: DiscordDouble, bot: TinyBot
) -> None:
    first = await (await discord_double.send_interaction(payloads.slash_command("button"))).final()
    assert first["components"][0]["components"][0]["custom_id"] == "more:1"
    click = await discord_double.send_interaction(payloads.component("more:1", first))
    assert (await click.response())["type"] == 7
    updated = await click.final()
    assert updated["id"] == first["id"]
    assert updated["content"] == "page 2"
    assert discord_double.messages[first["id"]]["components"] == []


async def test_subcommand_group_and_dm_reach_the_right_callback(
    discord_double: DiscordDouble, bot: TinyBot
) -> None:
    in_guild = await discord_double.send_interaction(
        payloads.slash_command("admin", {"detail": True}, group="corpus", subcommand="stats")
    )
    assert (await in_guild.final())["content"] == "stats detail=True in guild"
    options = in_guild.payload["data"]["options"]
    assert options[0]["type"] == 2
    assert options[0]["options"][0]["type"] == 1
    in_dm = await discord_double.send_interaction(
        payloads.slash_command("admin", group="corpus", subcommand="stats", dm=True)
    )
    assert (await in_dm.final())["content"] == "stats detail=False in dm"
    assert "member" not in in_dm.payload
    assert in_dm.payload["user"]["id"] == discord_double.user_id


async def test_file_upload_is_parsed_from_multipart(
    discord_double: DiscordDouble, bot: TinyBot
) -> None:
    channel = bot.get_channel(int(discord_double.channel_id))
    assert isinstance(channel, discord.TextChannel)
    message = await channel.send(
        "see file", file=discord.File(io.BytesIO(b"hello"), filename="quote.txt")
    )
    assert message.attachments[0].filename == "quote.txt"
    assert message.attachments[0].size == 5
    [request] = discord_double.requests("/channels/", method="POST")
    assert request.json["content"] == "see file"
    assert request.files == (("files[0]", "quote.txt", 5),)


async def test_deferred_update_then_edit_original_edits_the_clicked_message(
    discord_double: DiscordDouble, bot: TinyBot
) -> None:
    first = await (await discord_double.send_interaction(payloads.slash_command("button"))).final()
    click = await discord_double.send_interaction(payloads.component("refresh", first))
    assert (await click.response())["type"] == 6
    final = await click.final()
    assert final["id"] == first["id"]
    assert final["content"] == "refreshed"
    [edit] = discord_double.requests("/webhooks/", method="PATCH")
    assert edit.path.endswith("/messages/@original")


async def test_fetch_guild_channels_and_user(discord_double: DiscordDouble, bot: TinyBot) -> None:
    guild = await bot.fetch_guild(int(discord_double.guild_id))
    assert guild.name == "Test Guild"
    channels = await guild.fetch_channels()
    assert [c.name for c in channels] == ["general"]
    user = await bot.fetch_user(int(discord_double.user_id))
    assert user.name == "tester"
