"""Shards across processes: which guilds a process serves, and IDENTIFY turns shared through
storage.

Discord assigns a guild to shard ``(guild_id >> 22) % shard_count`` and accepts one IDENTIFY
per 5 seconds per bucket ``shard_id % max_concurrency`` (developer docs, "Gateway" →
"Sharding"). Processes started together would trip that limit, so every IDENTIFY first
reserves a slot in the shared database (:meth:`bot.storage.Storage.reserve_identify`: one
atomic statement hands out the slots of a bucket ``identify_interval`` apart) and sleeps until
it; this replaces discord.py's per-process 5-second sleep. :class:`ShardedBot` is the
``AutoShardedBot`` the client builds on: it adds that turn-taking, the guild filter for the
daily scheduler, and start-up retries with one plain log line while the gateway is unreachable.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from typing import Any

import aiohttp
import discord
import yarl
from discord.ext import commands

log = logging.getLogger(__name__)

SLOT_MARGIN = 1.1
"""IDENTIFY slots are this much wider than ``identify_interval``."""


def shard_of(guild_id: int, shard_count: int) -> int:
    """The shard (0-based) that serves ``guild_id`` among ``shard_count`` shards."""
    return (guild_id >> 22) % shard_count


def owns(guild_id: int, shard_count: int | None, shard_ids: Sequence[int] | None) -> bool:
    """Whether a process running ``shard_ids`` of ``shard_count`` serves ``guild_id``
    (``shard_ids=None``: the process runs every shard)."""
    if shard_ids is None or shard_count is None:
        return True
    return shard_of(guild_id, shard_count) in shard_ids


def describe(shard_count: int | None, shard_ids: Sequence[int] | None) -> str:
    """``"shards 0-3 of 12"``, ``"shards 0,5 of 12"``, ``"all shards"`` for logs."""
    if shard_ids is None:
        return "all shards" if shard_count is None else f"all {shard_count} shards"
    ids = sorted(shard_ids)
    if ids and ids == list(range(ids[0], ids[-1] + 1)) and len(ids) > 2:
        text = f"{ids[0]}-{ids[-1]}"
    else:
        text = ",".join(str(i) for i in ids)
    return f"shards {text} of {shard_count}"


async def max_concurrency(http: Any) -> int:
    """``session_start_limit.max_concurrency`` from ``GET /gateway/bot`` (1 if unknown)."""
    try:
        _, _, limits = await http.get_bot_gateway()
        return max(int(limits.get("max_concurrency", 1)), 1)
    except Exception as error:  # the gateway info is advisory: the safe default is 1
        log.warning("could not read max_concurrency from GET /gateway/bot (%r); using 1", error)
        return 1


async def wait_for_identify(
    storage: Any, shard_id: int | None, concurrency: int, interval: float
) -> float:
    """Reserve the shard's IDENTIFY slot in ``storage`` and sleep until it; returns the wait."""
    bucket = (shard_id or 0) % concurrency
    # slots a tenth wider than the limit: network jitter must not bring two IDENTIFYs closer
    wait = float(await storage.reserve_identify(bucket, interval * SLOT_MARGIN))
    if wait > 0:
        log.info("shard %s waits %.1f s for its IDENTIFY turn (bucket %d)", shard_id, wait, bucket)
        await asyncio.sleep(wait)
    return wait


class _ProcessLabel(logging.Filter):
    """Adds ``record.where``: ``"pid 1234 shards 0-3 of 12"``."""

    def __init__(self, label: str) -> None:
        super().__init__()
        self.label = label

    def filter(self, record: logging.LogRecord) -> bool:
        record.where = self.label
        return True


def label_logs(shard_count: int | None, shard_ids: Sequence[int] | None) -> None:
    """Make every log line of this process say which process and shards it comes from."""
    import os

    label = f"pid {os.getpid()} {describe(shard_count, shard_ids)}"
    for handler in logging.getLogger().handlers:
        handler.addFilter(_ProcessLabel(label))
        handler.setFormatter(
            logging.Formatter("%(asctime)s %(levelname)-7s [%(where)s] %(name)s: %(message)s")
        )


class ShardedBot(commands.AutoShardedBot):
    """``AutoShardedBot`` for processes that share shards through one database.

    Subclasses set ``settings`` (``discord.identify_interval``), ``storage`` (``None`` until
    ``setup_hook``) and ``gateway_retry`` (first delay, cap; seconds).
    """

    settings: Any
    storage: Any
    gateway_retry: tuple[float, float] = (1.0, 60.0)
    _max_concurrency: int | None = None

    def owns_guild(self, guild_id: int) -> bool:
        """Whether this process's shards serve ``guild_id`` (its daily posts are ours)."""
        return owns(guild_id, self.shard_count, self.shard_ids)

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        """Wait for this shard's IDENTIFY slot, shared with every process using the same
        storage, instead of discord.py's fixed 5 s sleep. A process that runs the only shard
        keeps discord.py's pacing."""
        if self.storage is None or (self.shard_ids is None and (self.shard_count or 1) <= 1):
            await super().before_identify_hook(shard_id, initial=initial)
            return
        if self._max_concurrency is None:
            self._max_concurrency = await max_concurrency(self.http)
        await wait_for_identify(
            self.storage, shard_id, self._max_concurrency, self.settings.discord.identify_interval
        )

    async def launch_shards(self) -> None:
        """Start this process's shards on the configured gateway (``discord.gateway_url``, or
        Discord's): discord.py would connect to the URL of ``GET /gateway/bot`` when the shard
        count is automatic, bypassing a proxy."""
        if self.is_closed():
            return
        if self.shard_count is None:
            self.shard_count, _, limits = await self.http.get_bot_gateway()
            self._max_concurrency = max(int(limits.get("max_concurrency", 1)), 1)
        gateway = discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
        self._connection.shard_count = self.shard_count
        shard_ids = self.shard_ids or list(range(self.shard_count))
        self._connection.shard_ids = shard_ids
        log.info("starting %s", describe(self.shard_count, self.shard_ids))
        for shard_id in shard_ids:
            await self.launch_shard(gateway, shard_id, initial=shard_id == shard_ids[0])

    async def launch_shard(
        self, gateway: yarl.URL, shard_id: int, *, initial: bool = False
    ) -> None:
        """Connect one shard; while the gateway cannot be reached, log one line (no traceback)
        and retry with exponential backoff (``gateway_retry``)."""
        delay, cap = self.gateway_retry
        while True:
            try:
                coro = discord.gateway.DiscordWebSocket.from_client(
                    self, initial=initial, gateway=gateway, shard_id=shard_id
                )
                ws = await asyncio.wait_for(coro, timeout=self.shard_connect_timeout)
                break
            except (OSError, aiohttp.ClientError, TimeoutError, discord.GatewayNotFound) as error:
                if self.is_closed():
                    return
                text = str(error)
                log.warning(
                    "cannot reach Discord's gateway at %s (%s) for shard %d; trying again in "
                    "%.0f s",
                    gateway,
                    f"{type(error).__name__}: {text}" if text else type(error).__name__,
                    shard_id,
                    delay,
                )
                await asyncio.sleep(delay)
                delay = min(cap, delay * 2)
                gateway = discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY  # may have changed
        # discord.py 2.7 keeps its shards and event queue in name-mangled attributes
        shard = discord.shard.Shard(ws, self, self._AutoShardedClient__queue.put_nowait)  # type: ignore[attr-defined]
        self._AutoShardedClient__shards[shard_id] = shard  # type: ignore[attr-defined]
        shard.launch()
