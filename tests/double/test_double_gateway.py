"""Tests of the Discord double itself, through an unmodified discord.py ``commands.Bot``
(:mod:`tests.double.tinybot`): login, the gateway, command sync, injected faults and
reconnects."""

from __future__ import annotations

import asyncio
import json
import time

import aiohttp
import discord
import pytest

from tests.double import DiscordDouble, connect_bot, payloads
from tests.double.tinybot import TinyBot

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
