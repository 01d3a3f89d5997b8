"""What the ``/daily`` end-to-end tests share: a fake clock, the Daily cog with fast retries, a
``/daily`` interaction and its options, the posts the bot made."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.client import CorpusBot
from cogs.daily import Daily
from tests.double import DiscordDouble, payloads
from tests.double.server import MANAGE_GUILD

EPHEMERAL = 1 << 6
CHANNEL = 7  # option types
ROLE = 8
# 08:47 in Asia/Tokyo on 2026-05-12 is 23:47 UTC on 2026-05-11
SLOT = datetime(2026, 5, 11, 23, 47, tzinfo=UTC)
TOKYO = ZoneInfo("Asia/Tokyo")


@dataclass
class FakeClock:
    now: datetime

    def __call__(self) -> datetime:
        return self.now


def daily_cog(bot: CorpusBot) -> Daily:
    # load_extension imports its own copy of cogs.daily, so compare by name, not isinstance
    cog: Any = bot.get_cog("Daily")
    assert type(cog).__name__ == "Daily"
    assert cog.scheduler is not None
    cog.scheduler.base_delay = 0.01  # keep retries fast
    cog.scheduler.max_delay = 0.05
    return cog


async def run_daily(
    double: DiscordDouble,
    sub: str,
    options: list[dict[str, Any]] | None = None,
    *,
    permissions: int = MANAGE_GUILD,
    guild_id: str | None = None,
    channel_id: str | None = None,
) -> dict[str, Any]:
    handle = await double.send_interaction(
        payloads.slash_command(
            "daily",
            options or [],
            subcommand=sub,
            permissions=permissions,
            guild_id=guild_id,
            channel_id=channel_id,
        )
    )
    return await handle.final()


def set_options(channel_id: str, time: str = "08:47", zone: str = "Asia/Tokyo") -> list[Any]:
    return [
        payloads.option("channel", channel_id, CHANNEL),
        payloads.option("time", time),
        payloads.option("timezone", zone),
    ]


def daily_posts(double: DiscordDouble, channel_id: str) -> list[Any]:
    return [
        o
        for o in double.outgoing
        if o.kind == "channel_message" and o.path.endswith(f"/channels/{channel_id}/messages")
    ]
