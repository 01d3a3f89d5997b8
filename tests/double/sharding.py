"""Gateway sharding in the Discord double: ``GET /gateway/bot``'s numbers, which guilds each
shard's READY lists, where a guild's events go, and the IDENTIFY rate limit.

Discord's rules (developer docs, "Gateway" → "Sharding"): a guild belongs to shard
``(guild_id >> 22) % num_shards``; a READY on shard ``[i, n]`` lists only that shard's guilds
and its events arrive only there; IDENTIFYs are rate-limited per bucket ``shard_id %
max_concurrency``, one per 5 seconds per bucket (a faster one is refused: the double sends
op 9, invalid session, and records a violation).
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any


def shard_of(guild_id: int | str, shard_count: int) -> int:
    """The shard a guild belongs to (Discord's formula)."""
    return (int(guild_id) >> 22) % shard_count


@dataclass
class IdentifyRecord:
    """One IDENTIFY the double received: when (monotonic seconds) and for which shard."""

    at: float
    shard: tuple[int, int] | None
    accepted: bool


@dataclass
class Sharding:
    """The double's sharding state; the double consults it on IDENTIFY and dispatch.

    Attributes:
        shard_count: what ``GET /gateway/bot`` recommends (``shards``).
        max_concurrency: ``session_start_limit.max_concurrency``.
        identify_interval: seconds one bucket must leave between IDENTIFYs (Discord: 5; the
            double's default is 0, not enforced, so tests may reconnect bots at once).
        identifies: every IDENTIFY received, in order.
    """

    shard_count: int = 1
    max_concurrency: int = 1
    identify_interval: float = 0.0
    identifies: list[IdentifyRecord] = field(default_factory=list)
    _gateways: dict[int, Any] = field(default_factory=dict)
    _last: dict[int, float] = field(default_factory=dict)

    def gateway_bot(self, url: str) -> dict[str, Any]:
        """The body of ``GET /gateway/bot``."""
        return {
            "url": url,
            "shards": self.shard_count,
            "session_start_limit": {
                "total": 1000,
                "remaining": 999,
                "reset_after": 0,
                "max_concurrency": self.max_concurrency,
            },
        }

    def identify(self, gw: Any, payload: dict[str, Any]) -> tuple[bool, str]:
        """Admit an IDENTIFY on ``gw``: ``(True, "")`` or ``(False, why)`` when it breaks the
        rate limit of its bucket or names an impossible shard."""
        raw = payload.get("shard")
        shard = (int(raw[0]), int(raw[1])) if isinstance(raw, list) and len(raw) == 2 else None
        now = time.monotonic()
        problem = ""
        if shard is not None and not 0 <= shard[0] < shard[1]:
            problem = f"shard {shard} is not a valid [shard_id, num_shards]"
        bucket = (shard[0] if shard else 0) % self.max_concurrency
        last = self._last.get(bucket)
        if not problem and last is not None and now - last < self.identify_interval:
            problem = (
                f"IDENTIFY for shard {shard} {now - last:.2f} s after the previous one in bucket "
                f"{bucket} (max_concurrency {self.max_concurrency}; one per "
                f"{self.identify_interval} s)"
            )
        self.identifies.append(IdentifyRecord(now, shard, not problem))
        if problem:
            return False, problem
        self._last[bucket] = now
        gw.shard = shard
        if shard is not None:
            self._gateways[shard[0]] = gw
        return True, ""

    def guilds_for(self, gw: Any, guild_ids: Iterable[str]) -> list[str]:
        """The guilds a READY on ``gw`` lists: all, or those of its shard."""
        shard = getattr(gw, "shard", None)
        if shard is None:
            return list(guild_ids)
        return [g for g in guild_ids if shard_of(g, shard[1]) == shard[0]]

    def gateway_for(self, data: dict[str, Any]) -> Any | None:
        """The gateway an event about ``data["guild_id"]`` goes to, or ``None`` (the default)."""
        guild_id = data.get("guild_id") if isinstance(data, dict) else None
        if guild_id is None or not self._gateways:
            return None
        count = next(iter(self._gateways.values())).shard[1]
        gw = self._gateways.get(shard_of(guild_id, count))
        return None if gw is None or gw.ws.closed else gw
