"""The ``commands.Bot`` subclass: holds settings, the library, storage; loads the cogs.

Start-up order (see docs/ARCHITECTURE.md): the CLI validates settings and builds the :class:`Library`
*before* the bot exists, so a bad config or an empty corpus never reaches Discord. ``setup_hook``
(run once per process, unlike ``on_ready``, which repeats after reconnects) opens storage,
loads the cogs, installs the error handler and syncs commands only when asked.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import functools
import gc
import logging
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, TypeVar

import discord
from discord.ext import commands

from bot import cooldowns, errors, views
from bot.command_sync import CommandSyncBot
from bot.core.library import Library
from bot.reload import Reloader
from bot.settings import Settings
from bot.staleness import CorpusTree

log = logging.getLogger(__name__)

T = TypeVar("T")

#: If a core call has not finished after this many seconds, the interaction is deferred and the
#: answer is sent as a follow-up (Discord's first-response deadline is 3 s).
DEFER_AFTER = 1.5

#: ``Interaction.extras`` key set when :meth:`CorpusBot.run_core` deferred publicly ("thinking…").
PUBLIC_DEFER = errors.PUBLIC_DEFER

#: Core calls run in this many dedicated worker threads. The core is CPU-bound Python (and
#: rapidfuzz/numpy calls that hold the GIL in stretches), so more threads add no throughput on
#: CPython, but every runnable one lengthens the event loop's wait for the GIL: under
#: ``benchmarks/load.py`` on ten novels, asyncio's default pool (6 threads) stalled the loop up to
#: 345 ms, one thread up to ~90 ms. Autocomplete has its own single-thread lane
#: (:meth:`CorpusBot.run_autocomplete`), so it never queues behind a slow summary, and a burst of
#: keystrokes adds one runnable thread, not six.
CORE_WORKERS = 1

#: The interpreter's thread switch interval (seconds; CPython's default is 0.005). The event loop
#: releases the GIL on every socket call and must win it back from a busy core thread, waiting up
#: to one interval each time (the "convoy effect"); with many socket calls per loop iteration that
#: added up to 80-150 ms stalls under load. With the Discord double in its own process
#: (benchmarks/load.py, ten novels, six runs each) the worst stall was 24-46 ms at 1 ms,
#: 18-32 ms at 0.5 ms and 17-26 ms at 0.2 ms, with the same throughput (113-131 interactions/s).
#: Profiling the stalls showed the loop thread on CPU for about a fifth of each slow iteration
#: and waiting for the GIL the rest of it.
SWITCH_INTERVAL = 0.0002

#: Seconds the bot waits out a REST rate limit; longer ones raise ``discord.RateLimited``.
MAX_RATELIMIT_WAIT = 30.0

def point_at(api_base: str | None, gateway_url: str | None) -> None:
    """Send REST and gateway traffic to another base URL (a rate-limit proxy, or a test double).

    Affects the whole process (discord.py keeps these as class attributes).
    """
    import yarl

    if api_base:
        discord.http.Route.BASE = api_base.rstrip("/")
    if gateway_url:
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway_url)


def _describe(error: BaseException | None) -> str:
    """A short cause for a log line: the exception's class and message, no traceback."""
    if error is None:
        return "no answer"
    text = str(error)
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


class _FirstConnectionFilter(logging.Filter):
    """Drops discord.py's "Attempting a reconnect" traceback while the bot has never connected
    (:meth:`CorpusBot.connect` logs one plain line instead)."""

    def __init__(self, bot: discord.Client) -> None:
        super().__init__()
        self._bot = bot

    def filter(self, record: logging.LogRecord) -> bool:
        return not (self._bot.ws is None and str(record.msg).startswith("Attempting a reconnect"))


def minimal_intents() -> discord.Intents:
    """The intents slash commands need: guilds only (no privileged intent)."""
    intents = discord.Intents.none()
    intents.guilds = True
    return intents


class CorpusBot(CommandSyncBot):
    """The bot. Attributes filled at construction are available to every cog; command sync
    (``sync_if_needed``, ``request_resync``) comes from :class:`~bot.command_sync.CommandSyncBot`.

    Args:
        settings: validated settings.
        library: the loaded corpus and its indexes.
        sync: sync the command tree in ``setup_hook`` (``corpusbot run --sync``).
        clock: returns the current aware UTC time (injectable for tests of the daily scheduler).
        guild_ready_timeout: seconds ``on_ready`` waits after the last GUILD_CREATE.
    """

    def __init__(
        self,
        settings: Settings,
        library: Library,
        *,
        sync: bool = False,
        clock: Callable[[], datetime] | None = None,
        guild_ready_timeout: float = 2.0,
        extensions: tuple[str, ...] | None = None,
    ) -> None:
        intents = minimal_intents()
        privileged = settings.discord.intents
        intents.members = privileged.members
        intents.presences = privileged.presences
        intents.message_content = privileged.message_content
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=intents,
            allowed_mentions=discord.AllowedMentions.none(),
            help_command=None,
            guild_ready_timeout=guild_ready_timeout,
            # A longer rate-limit wait (hours, for the daily command-create quota) is raised as
            # discord.RateLimited instead of being slept through at start-up.
            max_ratelimit_timeout=MAX_RATELIMIT_WAIT,
            tree_cls=CorpusTree,
            owner_ids=set(settings.discord.owner_ids) or None,
            activity=discord.CustomActivity(name=settings.bot.status_text)
            if settings.bot.status_text
            else None,
            shard_count=settings.discord.shard_count,
            shard_ids=list(settings.discord.shard_ids) if settings.discord.shard_ids else None,  # type: ignore[arg-type]
        )
        self.settings = settings
        self.library = library
        self.reloader = Reloader(self)
        self.sync_requested = sync
        self.clock: Callable[[], datetime] = clock or (lambda: datetime.now(UTC))
        self.started_at = self.clock()
        self._extensions = extensions
        self.storage: Any = None
        #: How much faster than real time ``clock`` runs (:mod:`bot.simclock`; 1 normally).
        self.time_scale = 1.0
        #: Retry delays (seconds) while the gateway cannot be reached at start-up: first, cap.
        self.gateway_retry: tuple[float, float] = (1.0, 60.0)
        self._resync: asyncio.Task[bool] | None = None
        #: Per-user and per-channel limits on the costly commands (``None``: no limits).
        self.cooldowns: cooldowns.Limits | None = cooldowns.Limits()
        self._core_executor = concurrent.futures.ThreadPoolExecutor(
            CORE_WORKERS, thread_name_prefix="corpusbot-core"
        )
        self._autocomplete_executor = concurrent.futures.ThreadPoolExecutor(
            1, thread_name_prefix="corpusbot-autocomplete"
        )

    async def setup_hook(self) -> None:
        """Open storage, load the cogs, install the error handler, sync only when asked."""
        from bot.storage import open_storage
        from cogs import EXTENSIONS

        self.storage = await open_storage(self.settings.storage.target)
        self.tree.error(errors.on_app_command_error)
        # presses of expired result buttons (any command's): no view handles them any more
        self.add_listener(views.answer_if_expired, "on_interaction")
        for name in self._extensions if self._extensions is not None else EXTENSIONS:
            await self.load_extension(name)
        await self.sync_if_needed()
        self.reloader.install_signal()
        # parts of the library assembled on first use (the quote ranking): now, in the core
        # thread, before the first command needs them (commands queue behind it and defer)
        asyncio.get_running_loop().run_in_executor(self._core_executor, self.library.warm_up)
        if self.settings.corpus.watch:
            self.reloader.start_watching()
        # The library never becomes garbage: move it (and the rest of start-up) out of the cyclic
        # collector's reach, so full collections stop scanning it. On ten novels each full
        # collection otherwise paused the event loop for 150-250 ms (benchmarks/load.py).
        gc.collect()
        gc.freeze()
        sys.setswitchinterval(SWITCH_INTERVAL)

    async def connect(self, *, reconnect: bool = True) -> None:
        """Connect to the gateway and serve; until the first connection succeeds, retry with
        exponential backoff (``gateway_retry`` seconds: first delay, cap) and log "cannot reach
        Discord's gateway" each time.

        discord.py retries only connections that once succeeded: when the very first one fails
        (REST works, the gateway does not) its ``connect`` ends with an ``AttributeError`` on
        ``self.ws.sequence`` after logging a traceback. That case is handled here; everything
        after the first connection is discord.py's own reconnect logic.
        """
        import aiohttp

        first, cap = self.gateway_retry
        delay = first
        quiet = _FirstConnectionFilter(self)
        discord_log = logging.getLogger("discord.client")
        discord_log.addFilter(quiet)
        try:
            while True:
                try:
                    await super().connect(reconnect=reconnect)
                    return
                except (
                    AttributeError,
                    OSError,
                    aiohttp.ClientError,
                    TimeoutError,
                    discord.GatewayNotFound,
                ) as error:
                    if self.ws is not None or self.is_closed() or not reconnect:
                        raise
                    cause = error.__context__ if isinstance(error, AttributeError) else error
                    if isinstance(error, AttributeError) and cause is None:
                        raise
                log.warning(
                    "cannot reach Discord's gateway at %s (%s); trying again in %.0f s",
                    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY,
                    _describe(cause),
                    delay,
                )
                await asyncio.sleep(delay)
                delay = min(cap, delay * 2)
        finally:
            discord_log.removeFilter(quiet)

    async def close(self) -> None:
        """Close cogs, the connection and storage (in that order)."""
        if not hasattr(self, "_AutoShardedClient__queue"):
            # never logged in: discord.py's AutoShardedClient.close() posts to a queue that
            # only login() creates (2.7.1)
            self._AutoShardedClient__queue = asyncio.PriorityQueue()  # type: ignore[var-annotated]
        await self.reloader.close()
        await super().close()
        self._core_executor.shutdown(wait=False, cancel_futures=True)
        self._autocomplete_executor.shutdown(wait=False, cancel_futures=True)
        if self.storage is not None:
            await self.storage.close()
            self.storage = None

    async def on_ready(self) -> None:
        """Log once per (re)connect. Start-up work lives in ``setup_hook``, never here."""
        log.info(
            "ready as %s in %d guilds with %d documents",
            self.user,
            len(self.guilds),
            len(self.library.corpus),
        )

    async def run_core(
        self,
        interaction: discord.Interaction[Any],
        fn: Callable[..., T],
        /,
        *args: Any,
        **kwargs: Any,
    ) -> T:
        """Run a core call in the core worker thread; defer the interaction if it is slow.

        Returns the call's result or raises its exception (the tree's error handler answers).
        """
        loop = asyncio.get_running_loop()
        task = loop.run_in_executor(self._core_executor, functools.partial(fn, *args, **kwargs))
        done, _ = await asyncio.wait({task}, timeout=DEFER_AFTER)
        if not done and not interaction.response.is_done():
            await interaction.response.defer(thinking=True)
            interaction.extras[PUBLIC_DEFER] = True  # see errors.on_app_command_error
        return await task

    async def run_autocomplete(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
        """Run a core call for an autocomplete handler in the autocomplete thread.

        An autocomplete cannot be deferred: the caller bounds the wait (``asyncio.wait_for``).
        Returns the call's result or raises its exception.
        """
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(
            self._autocomplete_executor, functools.partial(fn, *args, **kwargs)
        )
