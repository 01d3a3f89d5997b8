"""Shards across processes: which guilds a process serves, and IDENTIFY turns shared through
storage.

Discord assigns a guild to shard ``(guild_id >> 22) % shard_count`` and accepts one IDENTIFY
per 5 seconds per bucket ``shard_id % max_concurrency`` (developer docs, "Gateway" →
"Sharding"). Processes started together would trip that limit, so every IDENTIFY first
reserves a slot in the shared database (:meth:`bot.storage.Storage.reserve_identify`: one
atomic statement hands out the slots of a bucket ``identify_interval`` apart) and sleeps until
it; this replaces discord.py's per-process 5-second sleep.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from typing import Any

log = logging.getLogger(__name__)


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
    wait = float(await storage.reserve_identify(bucket, interval))
    if wait > 0:
        log.info("shard %s waits %.1f s for its IDENTIFY turn (bucket %d)", shard_id, wait, bucket)
        await asyncio.sleep(wait)
    return wait
