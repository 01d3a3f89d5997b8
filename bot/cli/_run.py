"""``corpusbot run``: connect to Discord and serve until interrupted."""

from __future__ import annotations

import argparse
import os
import sys
from typing import TYPE_CHECKING

from bot import simclock
from bot.cli._setup import EXIT_BAD_INPUT, EXIT_OK, check_with_corpus, load_library, log
from bot.migrate import describe_target
from bot.settings import Settings, check_storage

if TYPE_CHECKING:
    from bot.core.library import Library

NO_TOKEN_MESSAGE = """\
No Discord token: set the DISCORD_TOKEN environment variable and run again.

  1. Open https://discord.com/developers/applications and create an application.
  2. Under "Bot", press "Reset Token" and copy it (keep it secret).
  3. export DISCORD_TOKEN='<the token>'   then   corpusbot run
  4. Invite the bot with the OAuth2 URL generator: scopes "bot" and "applications.commands",
     bot permissions "Send Messages" and "Embed Links"; no privileged intents are needed.

To try the bot without Discord, run:  corpusbot console
"""


def cmd_run(args: argparse.Namespace, settings: Settings) -> int:
    """Connect to Discord and serve until interrupted."""
    import asyncio

    from bot.client import point_at

    token = settings.token()
    if not token:
        sys.stderr.write(NO_TOKEN_MESSAGE)
        return EXIT_BAD_INPUT
    for warning in settings.warnings:
        log.warning("%s", warning)
    check_storage(settings)  # before the corpus load, which can take a while
    library, _ = load_library(settings)
    check_with_corpus(settings, library)
    point_at(settings.discord.api_base, settings.discord.gateway_url)

    simulated = os.environ.get(simclock.ENV)
    clock = simclock.parse(simulated) if simulated else None
    try:
        asyncio.run(_serve(settings, library, token, sync=args.sync, clock=clock))
    except KeyboardInterrupt:
        pass
    except Exception as error:
        message = _failure(error, settings)
        if message is None:
            raise
        log.error("%s", message)
        return EXIT_BAD_INPUT
    return EXIT_OK


async def _serve(
    settings: Settings,
    library: Library,
    token: str,
    *,
    sync: bool,
    clock: simclock.SimulatedClock | None,
) -> None:
    """Run the bot (and the health endpoints, when configured) until it closes."""
    from bot import sharding
    from bot.client import CorpusBot

    bot = CorpusBot(settings, library, sync=sync, clock=clock)
    bot.time_scale = clock.scale if clock is not None else 1.0
    sharding.label_logs(settings.discord.shard_count, settings.discord.shard_ids)
    async with bot:
        endpoints = None
        if settings.health.port is not None:
            from bot import health

            endpoints = await health.serve(bot, settings.health.host, settings.health.port)
        try:
            await bot.start(token)
        finally:
            if endpoints is not None:
                await endpoints.cleanup()


def _failure(error: Exception, settings: Settings) -> str | None:
    """What to log when the bot could not run: the cause and what to do (``None``: an error
    this does not know, to be raised)."""
    import sqlite3

    import aiohttp
    import discord

    if isinstance(error, aiohttp.ClientError | TimeoutError):
        where = settings.discord.api_base or "discord.com"
        return (
            f"cannot reach Discord at {where} ({error.__class__.__name__}). Check the network, "
            "a proxy, or discord.api_base."
        )
    if isinstance(error, sqlite3.Error | OSError):
        return (
            f"cannot use the {describe_target(settings)}: {error}. Check storage.url / "
            "storage.path (or CORPUSBOT_STORAGE_URL / CORPUSBOT_STORAGE) and that the folder is "
            "writable or the server reachable."
        )
    if isinstance(error, discord.LoginFailure):
        return (
            "Discord refused the token (401). Reset it under Bot → Reset Token and set "
            "DISCORD_TOKEN again."
        )
    if isinstance(error, discord.PrivilegedIntentsRequired):
        return (
            "Discord refused the privileged intents enabled in discord.intents. Turn them on in "
            "the Developer Portal (Bot → Privileged Gateway Intents) or set them to false; the "
            "bot needs none."
        )
    return None
