"""The Discord double: a fake Discord on 127.0.0.1 for end-to-end tests.

* :mod:`tests.double.server` — :class:`DiscordDouble` (gateway + REST, Discord's rules enforced).
* :mod:`tests.double.payloads` — builders for interaction payloads.
* :func:`connect_bot` — log an unmodified discord.py bot into a running double.

Typical test (the ``discord_double`` fixture lives in ``tests/conftest.py``)::

    async def test_quote(discord_double):
        bot = make_bot(guild_ready_timeout=0.1)
        async with connect_bot(bot, discord_double):
            handle = await discord_double.send_interaction(payloads.slash_command("quote"))
            assert "—" in (await handle.final())["content"]
"""

# Waiting helpers take `timeout=` on purpose: it is the tests' vocabulary (the brief asks for it).
# ruff: noqa: ASYNC109

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Iterator
from typing import Protocol

import discord
import discord.gateway
import discord.http
import yarl

from tests.double import payloads
from tests.double.server import DiscordDouble, InteractionHandle, RecordedRequest, Violation

__all__ = [
    "DiscordDouble",
    "DoubleAddress",
    "InteractionHandle",
    "RecordedRequest",
    "Violation",
    "connect_bot",
    "payloads",
    "redirect_discord",
]


class DoubleAddress(Protocol):
    """Where a double listens: what :func:`connect_bot` needs of it.

    A :class:`DiscordDouble` is one; so is a plain record of a double running in another
    process (``benchmarks/load.py`` runs the double apart from the bot it measures).
    """

    @property
    def api_base(self) -> str: ...

    @property
    def gateway_url(self) -> str: ...

    @property
    def token(self) -> str: ...


@contextlib.contextmanager
def redirect_discord(double: DoubleAddress) -> Iterator[None]:
    """Point discord.py at the double: ``Route.BASE`` and ``DiscordWebSocket.DEFAULT_GATEWAY``.

    Restores both on exit. (Do not call ``discord.http._set_api_version``: it resets ``BASE``.)
    """
    old_base = discord.http.Route.BASE
    old_gateway = discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
    discord.http.Route.BASE = double.api_base
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(double.gateway_url)
    try:
        yield
    finally:
        discord.http.Route.BASE = old_base
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = old_gateway


@contextlib.asynccontextmanager
async def connect_bot(
    bot: discord.Client, double: DoubleAddress, *, token: str | None = None, timeout: float = 5.0
) -> AsyncIterator[discord.Client]:
    """Log ``bot`` into ``double`` and run its gateway connection until the block exits.

    Sets ``Route.BASE`` / ``DEFAULT_GATEWAY`` (restored afterwards), awaits
    ``bot.login(token)`` (runs ``setup_hook``), starts ``bot.connect(reconnect=True)``
    in a task and waits for ``on_ready``; yields the bot. On exit closes the bot
    (HTTP session, websocket, heartbeat thread) and awaits the task, so no
    "Task was destroyed" or "Unclosed client session" warning is left behind.

    Build bots for tests with ``guild_ready_timeout=0.1`` (a ``discord.Client``
    constructor option): discord.py waits that long after the last GUILD_CREATE
    before ``on_ready``, 2 s by default. discord.py also sleeps 5 s in
    ``Client.before_identify_hook`` before every re-IDENTIFY (after
    ``double.invalidate_session()``): override it with a no-op in a test bot.
    ``token`` defaults to ``double.token``.

    Raises ``TimeoutError`` if the bot is not ready within ``timeout`` seconds, or
    whatever ``login``/``connect`` raised (e.g. ``discord.LoginFailure``).
    """
    with redirect_discord(double):
        task: asyncio.Task[None] | None = None
        try:
            await bot.login(token if token is not None else double.token)
            task = asyncio.create_task(bot.connect(reconnect=True), name="discord-double-connect")
            ready = asyncio.create_task(bot.wait_until_ready())
            done, _ = await asyncio.wait(
                {task, ready}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED
            )
            if ready not in done:
                ready.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await ready
                if task in done:
                    task.result()  # raises the connection error
                    raise RuntimeError("bot.connect() returned before the bot was ready")
                raise TimeoutError(f"bot not ready within {timeout}s")
            yield bot
        finally:
            await bot.close()
            if task is not None:
                with contextlib.suppress(asyncio.CancelledError, discord.ConnectionClosed):
                    await asyncio.wait_for(task, timeout)
