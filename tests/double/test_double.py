"""Tests of the Discord double itself, through an unmodified discord.py ``commands.Bot``.

The tiny bot below is defined here on purpose: these tests prove the double
(login, gateway, interaction round trips, Discord's rules, fault injection),
not the product's bot.
"""

from __future__ import annotations

import asyncio
import io
import json
import time
from collections.abc import Callable
from typing import Any

import aiohttp
import discord
import pytest
from discord import app_commands
from discord.ext import commands

from tests.double import DiscordDouble, connect_bot, payloads, spec
from tests.double.server import SEND_MESSAGES, VIEW_CHANNEL, validate_callback, validate_message

FRUITS = ["apple", "apricot", "banana", "blackberry", "cherry"]


class TinyBot(commands.Bot):
    """Five commands that exercise each kind of answer; errors land in ``self.errors``."""

    def __init__(self, **options: Any) -> None:
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=discord.Intents.default(),
            guild_ready_timeout=0.1,
            allowed_mentions=discord.AllowedMentions.none(),
            **options,
        )
        self.errors: list[BaseException] = []
        self.post_channel: int | None = None

    async def setup_hook(self) -> None:
        self._add_answer_commands(self.tree)
        self._add_message_commands(self.tree)

        @self.tree.error
        async def on_error(
            interaction: discord.Interaction, error: app_commands.AppCommandError
        ) -> None:
            self.errors.append(getattr(error, "original", error))

    def _add_answer_commands(self, tree: app_commands.CommandTree[Any]) -> None:
        """Commands that answer in each way: at once, deferred, autocompleted, twice, late."""

        @tree.command(description="Repeat some text")
        async def echo(
            interaction: discord.Interaction, text: str, ephemeral: bool = False
        ) -> None:
            await interaction.response.send_message(text, ephemeral=ephemeral)

        @tree.command(description="Think, then answer with a follow-up")
        async def slow(interaction: discord.Interaction, words: int = 2) -> None:
            await interaction.response.defer(thinking=True)
            await asyncio.sleep(0.05)
            await interaction.followup.send(" ".join(["done"] * words))

        @tree.command(description="Fruit by prefix")
        async def fruit(interaction: discord.Interaction, name: str) -> None:
            await interaction.response.send_message(f"you picked {name}")

        @fruit.autocomplete("name")
        async def fruit_complete(
            interaction: discord.Interaction, current: str
        ) -> list[app_commands.Choice[str]]:
            if current.isdigit():  # "26" → 26 choices: lets a test cross the limit
                choices = [
                    app_commands.Choice(name=f"fruit {i}", value=f"f{i}")
                    for i in range(int(current))
                ]
                try:
                    await interaction.response.autocomplete(choices)
                except discord.HTTPException as exc:
                    self.errors.append(exc)
                return []
            return [app_commands.Choice(name=f, value=f) for f in FRUITS if f.startswith(current)]

        @tree.command(description="Answer twice (a bug on purpose)")
        async def twice(interaction: discord.Interaction) -> None:
            await interaction.response.send_message("first")
            # A fresh InteractionResponse bypasses discord.py's own guard, as a bug would.
            await discord.InteractionResponse(interaction).send_message("second")

        @tree.command(description="Answer after a delay")
        async def late(interaction: discord.Interaction, seconds: float) -> None:
            await asyncio.sleep(seconds)
            await interaction.response.send_message("finally")

    def _add_message_commands(self, tree: app_commands.CommandTree[Any]) -> None:
        """Commands that post to a channel, show buttons or an embed, and a command group."""

        @tree.command(description="Post to a channel")
        async def post(
            interaction: discord.Interaction, channel: discord.TextChannel, text: str
        ) -> None:
            await interaction.response.defer(ephemeral=True)
            message = await channel.send(text)
            await interaction.edit_original_response(content=f"posted {message.id}")

        @tree.command(description="Show a button")
        async def button(interaction: discord.Interaction) -> None:
            view = discord.ui.View(timeout=None)
            view.add_item(discord.ui.Button(label="More", custom_id="more:1"))
            view.add_item(discord.ui.Button(label="Refresh", custom_id="refresh"))
            await interaction.response.send_message("page 1", view=view)

        @tree.command(description="Answer with an embed")
        async def card(interaction: discord.Interaction, size: int, fields: int = 0) -> None:
            embed = discord.Embed(title="Card", description="d" * size)
            for i in range(fields):
                embed.add_field(name=f"f{i}", value="v")
            await interaction.response.defer()
            await interaction.followup.send(embed=embed)

        admin = app_commands.Group(name="admin", description="Admin tools")
        corpus = app_commands.Group(name="corpus", description="Corpus tools", parent=admin)

        @corpus.command(name="stats", description="Corpus statistics")
        async def stats(interaction: discord.Interaction, detail: bool = False) -> None:
            where = "dm" if interaction.guild_id is None else "guild"
            await interaction.response.send_message(f"stats detail={detail} in {where}")

        tree.add_command(admin)

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        """Skip discord.py's 5 s pause before a re-IDENTIFY (documented override point)."""

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        data = interaction.data or {}
        if (
            interaction.type is discord.InteractionType.component
            and data.get("custom_id") == "more:1"
        ):
            await interaction.response.edit_message(content="page 2", view=None)
        elif (
            interaction.type is discord.InteractionType.component
            and data.get("custom_id") == "refresh"
        ):
            await interaction.response.defer()  # type 6: deferred update of the clicked message
            await interaction.edit_original_response(content="refreshed")


async def wait_until(predicate: Callable[[], Any], timeout: float = 3.0) -> None:  # noqa: ASYNC109
    """Poll ``predicate`` every 10 ms until truthy; ``TimeoutError`` after ``timeout`` s."""
    end = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > end:
            raise TimeoutError("condition not met")
        await asyncio.sleep(0.01)


@pytest.fixture
async def bot(discord_double: DiscordDouble):
    tiny = TinyBot()
    async with connect_bot(tiny, discord_double):
        await tiny.tree.sync()
        yield tiny


# ---------------------------------------------------------------- login, gateway, sync


async def test_login_and_ready_see_the_doubles_world(discord_double: DiscordDouble) -> None:
    tiny = TinyBot()
    async with connect_bot(tiny, discord_double):
        assert tiny.is_ready()
        assert tiny.user is not None
        assert str(tiny.user.id) == discord_double.bot_user["id"]
        assert tiny.application_id == int(discord_double.application_id)
        guild = tiny.get_guild(int(discord_double.guild_id))
        assert guild is not None
        assert guild.name == "Test Guild"
        assert [c.name for c in guild.text_channels] == ["general"]
        [create] = [f["d"] for f in discord_double.gateway_sent if f.get("t") == "GUILD_CREATE"]
        assert create["member_count"] == len(create["members"]) == guild.member_count
        assert all(f.get("op") != 8 for f in discord_double.gateway_received)  # no member chunking
    identify = discord_double.identify_payloads[0]
    assert identify["token"] == discord_double.token
    assert identify["intents"] == discord.Intents.default().value
    assert [r.path for r in discord_double.requests("/users/@me")] == ["/users/@me"]
    assert discord_double.requests("/oauth2/applications/@me")
    assert tiny.is_closed()


async def test_wrong_token_is_a_login_failure(discord_double: DiscordDouble) -> None:
    with pytest.raises(discord.LoginFailure):
        async with connect_bot(TinyBot(), discord_double, token="not-the-token"):
            pass


async def test_sync_registers_commands_and_counts_creates(discord_double: DiscordDouble) -> None:
    tiny = TinyBot()
    async with connect_bot(tiny, discord_double):
        synced = await tiny.tree.sync()
        again = await tiny.tree.sync()
        guild_synced = await tiny.tree.sync(guild=discord.Object(int(discord_double.guild_id)))
    names = sorted(c.name for c in synced)
    assert names == ["admin", "button", "card", "echo", "fruit", "late", "post", "slow", "twice"]
    assert [c.id for c in synced] == [c.id for c in again]  # an overwrite keeps ids
    assert guild_synced == []
    async with connect_bot(TinyBot(), discord_double) as again_bot:
        fetched = await again_bot.tree.fetch_commands()  # GET of the same route
    assert sorted(c.name for c in fetched) == names
    first, second, third = discord_double.syncs
    assert sorted(first.created) == names
    assert second.created == ()
    assert third.guild_id == discord_double.guild_id


@pytest.mark.discord_violations_expected
async def test_command_create_quota_answers_30034(discord_double: DiscordDouble) -> None:
    discord_double.command_create_quota = 3
    tiny = TinyBot(max_ratelimit_timeout=10.0)  # a longer wait is raised, not slept
    async with connect_bot(tiny, discord_double):
        with pytest.raises(discord.RateLimited) as info:
            await tiny.tree.sync()
    assert info.value.retry_after > 10.0  # hours, until the quota resets
    assert [v.code for v in discord_double.violations] == [30034]
    assert not discord_double.syncs[0].accepted
    [put] = discord_double.requests("/applications/", "PUT")
    assert put.path.endswith("/commands")


@pytest.mark.discord_violations_expected
async def test_30034_comes_as_discord_sends_it(discord_double: DiscordDouble) -> None:
    # Discord's rate-limit documentation: a 429 body has message, retry_after and global, and
    # the headers say the scope; the description (spec.py) checks the body of every answer.
    discord_double.command_create_quota = 0
    async with aiohttp.ClientSession() as session:
        resp = await session.put(
            f"{discord_double.api_base}/applications/{discord_double.application_id}/commands",
            json=[{"name": "x", "description": "y"}],
            headers={"Authorization": f"Bot {discord_double.token}"},
        )
        body = await resp.json()
    assert resp.status == 429
    assert body["code"] == 30034
    assert body["global"] is False
    assert body["retry_after"] > 0
    assert resp.headers["X-RateLimit-Scope"] == "user"
    assert "Via" in resp.headers


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


# ---------------------------------------------------------------- faults and reconnects


async def test_429_with_retry_after_is_retried_by_discord_py(
    discord_double: DiscordDouble, bot: TinyBot
) -> None:
    fault = discord_double.fail_next(
        "POST", r"^/interactions/\d+/[^/]+/callback$", 429, retry_after=0.1
    )
    started = time.monotonic()
    handle = await discord_double.send_interaction(
        payloads.slash_command("echo", {"text": "after wait"})
    )
    assert (await handle.final())["content"] == "after wait"
    assert fault.hits == 1
    callbacks = discord_double.requests("/interactions/")
    assert len(callbacks) == 2
    assert callbacks[1].at - callbacks[0].at >= 0.1
    assert time.monotonic() - started < 2


async def test_429_on_the_bot_route_carries_discords_headers(
    discord_double: DiscordDouble, bot: TinyBot
) -> None:
    discord_double.fail_next(
        "POST", r"/channels/\d+/messages", 429, retry_after=0.05, scope="shared"
    )
    channel = bot.get_channel(int(discord_double.channel_id))
    assert isinstance(channel, discord.TextChannel)
    message = await channel.send("eventually")
    assert message.content == "eventually"
    assert len(discord_double.requests("/channels/")) == 2
    async with aiohttp.ClientSession() as session:
        discord_double.fail_next("GET", r"/channels/", 429, retry_after=0.05, scope="shared")
        async with session.get(f"{discord_double.api_base}/channels/1") as resp:
            body = json.loads(await resp.text())
            assert resp.status == 429
            assert body["retry_after"] == 0.05
            assert body["global"] is False
            assert resp.headers["X-RateLimit-Scope"] == "shared"
            assert resp.headers["X-RateLimit-Remaining"] == "0"
            assert "Retry-After" in resp.headers


async def test_scripted_403_reaches_the_bot_and_is_not_a_violation(
    discord_double: DiscordDouble, bot: TinyBot
) -> None:
    discord_double.fail_next(
        "POST", r"/channels/\d+/messages", 403, code=50013, message="Missing Permissions"
    )
    channel = bot.get_channel(int(discord_double.channel_id))
    assert isinstance(channel, discord.TextChannel)
    with pytest.raises(discord.Forbidden):
        await channel.send("nope")
    assert (await channel.send("yes")).content == "yes"
    assert discord_double.violations == []


async def test_scripted_503_raises_discord_server_error(
    discord_double: DiscordDouble, bot: TinyBot
) -> None:
    fault = discord_double.fail_next("GET", r"^/channels/\d+$", 503)
    with pytest.raises(discord.DiscordServerError) as info:
        await bot.fetch_channel(int(discord_double.channel_id))
    assert info.value.status == 503
    assert fault.hits == 1
    assert (await bot.fetch_channel(int(discord_double.channel_id))).name == "general"
    assert fault.hits == 1  # times=1: the next request is answered normally


async def test_wait_for_request_sees_future_requests_and_times_out(
    discord_double: DiscordDouble, bot: TinyBot
) -> None:
    channel = bot.get_channel(int(discord_double.channel_id))
    assert isinstance(channel, discord.TextChannel)
    sending = asyncio.create_task(channel.send("in the background"))
    request = await discord_double.wait_for_request(
        lambda r: r.method == "POST" and r.path == f"/channels/{channel.id}/messages"
    )
    assert request.json["content"] == "in the background"
    await sending
    with pytest.raises(TimeoutError):
        await discord_double.wait_for_request(lambda r: r.method == "DELETE", timeout=0.05)


async def test_delay_next_holds_the_request(discord_double: DiscordDouble, bot: TinyBot) -> None:
    discord_double.delay_next("POST", r"/channels/", 0.2)
    channel = bot.get_channel(int(discord_double.channel_id))
    assert isinstance(channel, discord.TextChannel)
    started = time.monotonic()
    await channel.send("slowly")
    assert time.monotonic() - started >= 0.2


async def test_a_dropped_response_still_creates_the_message(
    discord_double: DiscordDouble, bot: TinyBot
) -> None:
    fault = discord_double.drop_response_next("POST", r"/channels/\d+/messages")
    channel = bot.get_channel(int(discord_double.channel_id))
    assert isinstance(channel, discord.TextChannel)
    with pytest.raises(aiohttp.ClientError):
        await channel.send("lost answer")
    assert fault.hits == 1
    [message] = discord_double.channel_messages(discord_double.channel_id)
    assert message["content"] == "lost answer"
    assert (await channel.send("answered")).content == "answered"


async def test_enforce_nonce_returns_the_earlier_message_like_discord(
    discord_double: DiscordDouble, bot: TinyBot
) -> None:
    channel = bot.get_channel(int(discord_double.channel_id))
    assert isinstance(channel, discord.TextChannel)
    first = await channel.send("once", nonce="daily-1")  # discord.py sets enforce_nonce
    again = await channel.send("once", nonce="daily-1")
    assert again.id == first.id
    assert len(discord_double.channel_messages(discord_double.channel_id)) == 1
    other = await channel.send("twice", nonce="daily-2")
    assert other.id != first.id
    discord_double.nonce_window = 0.0  # Discord remembers a nonce for a few minutes only
    await asyncio.sleep(0.01)
    late = await channel.send("once", nonce="daily-1")
    assert late.id != first.id
    assert len(discord_double.channel_messages(discord_double.channel_id)) == 3


async def test_a_nonce_without_enforce_nonce_is_not_deduplicated(
    discord_double: DiscordDouble, bot: TinyBot
) -> None:
    route = discord.http.Route(
        "POST", "/channels/{channel_id}/messages", channel_id=int(discord_double.channel_id)
    )
    for _ in range(2):
        await bot.http.request(route, json={"content": "x", "nonce": "n-1"})
    assert len(discord_double.channel_messages(discord_double.channel_id)) == 2


async def test_dropped_websocket_resumes_and_still_answers(
    discord_double: DiscordDouble, bot: TinyBot
) -> None:
    identifies = len(discord_double.identify_payloads)
    await discord_double.drop_websocket()
    resume = await discord_double.wait_for_gateway_op(6)
    assert resume["d"]["token"] == discord_double.token
    assert resume["d"]["seq"] >= 1
    assert len(discord_double.identify_payloads) == identifies  # resumed, not re-identified
    handle = await discord_double.send_interaction(
        payloads.slash_command("echo", {"text": "still here"})
    )
    assert (await handle.final())["content"] == "still here"


async def test_invalidated_session_reidentifies(
    discord_double: DiscordDouble, bot: TinyBot
) -> None:
    await discord_double.invalidate_session()
    assert len(discord_double.identify_payloads) == 2
    assert all(f.get("op") != 6 for f in discord_double.gateway_received)
    handle = await discord_double.send_interaction(
        payloads.slash_command("echo", {"text": "new session"})
    )
    assert (await handle.final())["content"] == "new session"


@pytest.mark.discord_violations_expected
async def test_unanswered_interaction_is_a_violation(discord_double: DiscordDouble) -> None:
    discord_double.interaction_deadline = 0.1
    tiny = TinyBot()
    async with connect_bot(tiny, discord_double):
        # No sync and an unknown command name: discord.py ignores it, the user waits in vain.
        handle = await discord_double.send_interaction(payloads.slash_command("nonexistent"))
        await asyncio.sleep(0.2)
    assert not handle.responded
    assert [v.code for v in discord_double.violations] == [10062]
    with pytest.raises(AssertionError, match="did not respond"):
        discord_double.assert_no_violations()


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
