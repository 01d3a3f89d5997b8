"""Gateway and REST faults, with the real CorpusBot against the Discord double (a reconnect neither sets up nor syncs again).

A dropped websocket is resumed; an invalidated session is re-identified; neither runs
``setup_hook`` again nor syncs commands again. A 429 on the interaction callback is retried by
discord.py and the user still gets the answer; a 503 on a follow-up is logged, not a crash.
"""

from __future__ import annotations

import asyncio
import logging
import socket
import types
from collections.abc import AsyncIterator
from typing import Any

import discord
import discord.webhook.async_ as webhook_async
import pytest
import yarl

from bot.client import CorpusBot
from tests.double import DiscordDouble, connect_bot, payloads, redirect_discord
from tests.e2e.conftest import BotFactory, SlowSearch

pytestmark = pytest.mark.e2e

CALLBACK = r"^/interactions/\d+/[^/]+/callback$"
FOLLOWUP = r"^/webhooks/\d+/[^/]+$"


class Counted:
    """A bot whose ``setup_hook`` calls are counted and whose re-IDENTIFY does not sleep 5 s."""

    def __init__(self, bot: CorpusBot) -> None:
        self.bot = bot
        self.setup_hooks = 0
        original = bot.setup_hook

        async def setup_hook() -> None:
            self.setup_hooks += 1
            await original()

        async def before_identify_hook(shard_id: int | None, *, initial: bool = False) -> None:
            return None

        bot.setup_hook = setup_hook  # type: ignore[method-assign]
        bot.before_identify_hook = before_identify_hook  # type: ignore[method-assign]


@pytest.fixture
async def counted(make_bot: BotFactory, discord_double: DiscordDouble) -> AsyncIterator[Counted]:
    """A connected CorpusBot (commands synced once) with counted ``setup_hook`` calls."""
    counted = Counted(make_bot())
    async with connect_bot(counted.bot, discord_double):
        yield counted


async def _search_answers(double: DiscordDouble) -> dict[str, Any]:
    handle = await double.send_interaction(
        payloads.slash_command("search", {"query": "jaw jaw is beter than war war"})
    )
    shown = await handle.final()
    assert "jaw jaw" in shown["embeds"][0]["fields"][0]["value"]
    return shown


def _ops(double: DiscordDouble, op: int) -> int:
    return sum(1 for frame in double.gateway_received if frame.get("op") == op)


async def test_dropped_websocket_is_resumed_and_the_bot_still_answers(
    counted: Counted, discord_double: DiscordDouble
) -> None:
    syncs = len(discord_double.syncs)
    await discord_double.drop_websocket()
    await _search_answers(discord_double)
    assert _ops(discord_double, 6) == 1  # RESUME
    assert len(discord_double.identify_payloads) == 1  # no new session
    assert len(discord_double.syncs) == syncs == 1
    assert counted.setup_hooks == 1


async def test_invalidated_session_is_reidentified_and_the_bot_still_answers(
    counted: Counted, discord_double: DiscordDouble
) -> None:
    syncs = len(discord_double.syncs)
    await discord_double.invalidate_session()
    assert len(discord_double.identify_payloads) == 2
    await _search_answers(discord_double)
    # /quote also needs storage: still open after the reconnect.
    handle = await discord_double.send_interaction(payloads.slash_command("quote"))
    assert (await handle.final())["embeds"]
    assert len(discord_double.syncs) == syncs == 1
    assert counted.setup_hooks == 1


async def test_repeated_reconnects_neither_sync_nor_set_up_again(
    counted: Counted, discord_double: DiscordDouble
) -> None:
    for _ in range(2):
        await discord_double.drop_websocket()
        await discord_double.invalidate_session()
    await _search_answers(discord_double)
    assert _ops(discord_double, 6) == 2
    assert len(discord_double.identify_payloads) == 3
    assert len(discord_double.syncs) == 1
    assert len(discord_double.requests("/applications/", "PUT")) == 1
    assert counted.setup_hooks == 1


async def test_rate_limited_callback_is_retried_and_the_user_gets_the_answer(
    running_bot: CorpusBot, discord_double: DiscordDouble
) -> None:
    fault = discord_double.fail_next("POST", CALLBACK, 429, retry_after=0.2)
    handle = await discord_double.send_interaction(
        payloads.slash_command("search", {"query": "jaw jaw is beter than war war"})
    )
    shown = await handle.final()
    assert "jaw jaw" in shown["embeds"][0]["fields"][0]["value"]
    assert fault.hits == 1
    attempts = discord_double.requests(f"/interactions/{handle.id}/", "POST")
    assert len(attempts) == 2
    assert attempts[1].at - attempts[0].at >= 0.2  # waited Retry-After, then retried
    assert attempts[1].json == attempts[0].json


async def test_server_error_on_a_follow_up_is_logged_not_a_crash(
    running_bot: CorpusBot,
    discord_double: DiscordDouble,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    slow_search: SlowSearch,
) -> None:
    # discord.py retries a webhook 5xx five times, sleeping 1, 3, 5, 7 s: keep the sleeps short.
    real_sleep = asyncio.sleep
    fast = types.SimpleNamespace(**vars(asyncio))
    fast.sleep = lambda delay, *a, **k: real_sleep(min(delay, 0.01), *a, **k)
    monkeypatch.setattr(webhook_async, "asyncio", fast)
    restore = slow_search(0.3, 0.05)  # slower than the defer threshold: answered by follow-up
    fault = discord_double.fail_next("POST", FOLLOWUP, 503, times=10)
    with caplog.at_level(logging.WARNING):
        handle = await discord_double.send_interaction(
            payloads.slash_command("search", {"query": "jaw jaw"})
        )
        assert (await handle.response())["type"] == 5
        await discord_double.wait_for_request(lambda r: fault.hits == fault.times, timeout=5)
        for _ in range(100):
            if any(r.name == "bot.errors" and r.levelno == logging.WARNING for r in caplog.records):
                break
            await asyncio.sleep(0.01)
    failed = [r for r in caplog.records if r.name == "bot.errors" and r.levelno == logging.ERROR]
    assert failed, caplog.text
    assert "/search" in failed[0].getMessage()
    assert failed[0].exc_info is not None
    assert isinstance(failed[0].exc_info[1], discord.DiscordServerError)
    assert any("could not deliver" in r.getMessage() for r in caplog.records)
    assert not handle.followup_messages  # nothing reached the user during the outage
    # The bot is still up: the next command is answered.
    restore()
    await _search_answers(discord_double)


async def test_an_unreachable_gateway_at_start_up_is_retried_until_it_answers(
    make_bot: BotFactory, discord_double: DiscordDouble, caplog: pytest.LogCaptureFixture
) -> None:
    # REST answers, the gateway does not (nothing listens on the port) until the test points
    # discord.py at the double's gateway again.
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        dead = f"ws://127.0.0.1:{closed.getsockname()[1]}/"
    bot = make_bot()
    bot.gateway_retry = (0.05, 0.2)
    with redirect_discord(discord_double), caplog.at_level(logging.WARNING):
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(dead)
        await bot.login(discord_double.token)
        task = asyncio.create_task(bot.connect(reconnect=True))
        try:
            for _ in range(200):
                warned = [
                    r for r in caplog.records if "cannot reach Discord's gateway" in r.message
                ]
                if len(warned) >= 2 or task.done():
                    break
                await asyncio.sleep(0.02)
            assert not task.done(), task.exception()
            assert len(warned) >= 2, caplog.text
            assert dead in warned[0].getMessage()
            assert not [r for r in caplog.records if r.exc_info], "no traceback while retrying"
            discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(discord_double.gateway_url)
            await asyncio.wait_for(bot.wait_until_ready(), timeout=5)
            await _search_answers(discord_double)
        finally:
            await bot.close()
            await asyncio.wait_for(task, timeout=5)
