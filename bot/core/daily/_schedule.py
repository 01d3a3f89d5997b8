"""The daily schedule itself: a guild's channel, local wall time and IANA zone, and its limits.

:class:`DailySchedule` is checked on construction (the zone must load, the time must be naive);
:func:`load_zone` and :func:`parse_local_time` turn what people type into zone and time values.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.core.errors import UserError

DEFAULT_GRACE = timedelta(hours=6)
"""How late a slot may still be posted (the grace window of :mod:`bot.core.daily`)."""

MAX_GRACE = timedelta(hours=24)
"""Upper bound for ``grace`` (the window closes at local midnight anyway)."""

EARLIEST_NOW = datetime(2, 1, 1, tzinfo=UTC)
"""The earliest ``now`` the schedule functions accept (a year of look-ahead and a day of
look-behind must stay inside :class:`datetime`'s years 1-9999 in every zone)."""

LATEST_NOW = datetime(9997, 12, 31, 23, 59, 59, tzinfo=UTC)
"""The latest ``now`` the schedule functions accept (see :data:`EARLIEST_NOW`)."""

_TIME_RE = re.compile(r"^\s*([01]?\d|2[0-3]):([0-5]\d)\s*$")


class ScheduleError(UserError):
    """An impossible schedule (unknown time zone, malformed time). The message names the value
    and gives a valid example."""


@lru_cache(maxsize=512)
def load_zone(name: str) -> ZoneInfo:
    """Return the :class:`~zoneinfo.ZoneInfo` for an IANA name such as ``"Europe/Berlin"``.

    Raises:
        ScheduleError: the name is empty, malformed or not in the time-zone database.
    """
    try:
        if not name or name != name.strip():
            raise ValueError(name)
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError) as exc:
        raise ScheduleError(
            f"{name!r} is not a time zone I know. Use an IANA name such as "
            f"'Europe/Berlin', 'America/Sao_Paulo' or 'UTC'."
        ) from exc


def parse_local_time(text: str) -> time:
    """Parse a 24-hour ``HH:MM`` wall time (``"08:47"``, ``"8:47"``) into a naive :class:`time`.

    Raises:
        ScheduleError: anything else (``"25:61"``, ``"8pm"``), with a valid example.
    """
    match = _TIME_RE.match(text)
    if match is None:
        raise ScheduleError(
            f"{text!r} is not a time of day. Use 24-hour HH:MM, for example '08:47' or '21:30'."
        )
    return time(int(match.group(1)), int(match.group(2)))


@dataclass(frozen=True, slots=True)
class DailySchedule:
    """One guild's daily post.

    Attributes:
        guild_id: the Discord guild (server) id.
        channel_id: the channel the quote is posted in.
        time: the local wall time of the post, naive (no tzinfo), e.g. ``time(8, 47)``.
        timezone: an IANA zone name, e.g. ``"Asia/Tokyo"``.
        mention_role_id: a role to mention with the post, or ``None`` for no mention.
        documents: ids of the documents quotes are drawn from; empty means every document.

    Raises:
        ScheduleError: on construction, for an unknown zone or an aware ``time``.
    """

    guild_id: int
    channel_id: int
    time: time
    timezone: str
    mention_role_id: int | None = None
    documents: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.time.tzinfo is not None:
            raise ScheduleError("The post time must be a local wall time without a time zone.")
        load_zone(self.timezone)

    @property
    def zone(self) -> ZoneInfo:
        """The schedule's :class:`~zoneinfo.ZoneInfo`."""
        return load_zone(self.timezone)
