"""Daily-post schedule arithmetic: when a guild's quote is due, in its own IANA time zone.

Pure functions over aware datetimes and :mod:`zoneinfo` (PEP 615); no I/O beyond the time-zone
data zoneinfo reads, no clock (``now`` is always a parameter), no event loop.

Terms
-----
*local date*
    A calendar date in the schedule's zone. Each local date has at most one *slot*.
*slot* / *send instant*
    The aware UTC instant at which a local date's quote is posted (:func:`local_send_instant`).

Daylight-saving and calendar rules (PEP 495 ``fold`` semantics)
---------------------------------------------------------------
* A wall time that occurs once is posted at that instant.
* A wall time that occurs twice (autumn "fall back", e.g. 02:30 in Europe/Berlin on 2026-10-25)
  is posted once, at its *first* occurrence (``fold=0``).
* A wall time that does not exist (spring "gap", e.g. 02:30 in Europe/Berlin on 2026-03-29) is
  posted at the first valid instant after it: the moment the clocks jump (03:00 CEST there;
  02:30 LHDT for Australia/Lord_Howe's 30-minute jump).
* A local date whose slot would land on a later local date does not get a post: that happens
  when the whole date is skipped (Pacific/Apia went from 2011-12-29 straight to 2011-12-31) or
  when a gap swallows the rest of the day. So every post happens on the local date it is for,
  and no local date gets two.

Method: the naive wall time is attached to the zone with ``fold=0`` and round-tripped through
UTC; if the round trip gives the same wall time the time exists (and ``fold=0`` is the earlier
of two occurrences). Otherwise it is in a gap, and the transition instant is found by bisection
over whole seconds between the ``fold=1`` and ``fold=0`` readings (zoneinfo transitions fall on
whole seconds).

Grace-window policy (issue 3, case C07)
---------------------------------------
A local date's quote is *due* only while ``slot <= now < slot + grace``, the local date of ``now``
is still that date, and that date (or a later one) has not been posted. Consequences:

* A wake-up a few milliseconds early finds nothing due and sleeps until the slot; a late or
  duplicate wake-up finds the date already posted (case C02).
* A bot started at 09:05 after a 09:00 slot posts today's quote once (within the grace window).
* After days of downtime only today's slot can be due, and only within the window: never a
  burst of missed days. A slot missed by more than ``grace`` is skipped; the next one is kept.
* The window also closes at local midnight, so a late post never lands on the next local day
  next to that day's own post (a 23:30 schedule can be at most 30 minutes late).
* :data:`DEFAULT_GRACE` is 6 hours (the ``scheduler.grace_minutes`` default in the settings):
  long enough to ride out a restart or a Discord outage, short enough that a morning quote does
  not arrive at night. ``grace`` must lie in (0, :data:`MAX_GRACE`] (24 h, the settings' bound
  of 1440 minutes); two slots can never be due at once because only today's local date is ever
  considered. The daily cog raises a grace below one minute to one minute.
"""

from __future__ import annotations

import difflib
import hashlib
import re
import zoneinfo
from collections.abc import Iterable, Iterator, Sequence, Set
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from itertools import islice
from typing import TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.core.errors import NotFound, UserError

__all__ = [
    "DEFAULT_GRACE",
    "MAX_GRACE",
    "DailySchedule",
    "ScheduleError",
    "due_post",
    "load_zone",
    "local_send_instant",
    "next_send_times",
    "next_slots",
    "next_wakeup",
    "parse_local_time",
    "pick_for_date",
    "post_nonce",
]

DEFAULT_GRACE = timedelta(hours=6)
"""How late a slot may still be posted (see the module docstring)."""

MAX_GRACE = timedelta(hours=24)
"""Upper bound for ``grace`` (the window closes at local midnight anyway)."""

K = TypeVar("K")

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


def canonical_zone(name: str) -> str:
    """The IANA zone name as the database spells it: ``" europe/berlin "`` → ``"Europe/Berlin"``.

    Case-insensitive; spaces may stand for underscores. Raises :class:`ScheduleError` naming the
    value, with close names (difflib) when there are any.
    """
    cleaned = name.strip().replace(" ", "_")
    names = _zone_names()
    if cleaned in names:
        return cleaned
    folded = {n.casefold(): n for n in names}
    if cleaned.casefold() in folded:
        return folded[cleaned.casefold()]
    close = difflib.get_close_matches(cleaned.casefold(), list(folded), n=3, cutoff=0.6)
    hint = f" Did you mean {', '.join(folded[c] for c in close)}?" if close else ""
    raise ScheduleError(
        f"{name!r} is not a time zone I know.{hint} Use an IANA name such as "
        "'Europe/Berlin', 'America/Sao_Paulo' or 'UTC'."
    )


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


def _require_aware(now: datetime) -> None:
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be an aware datetime (e.g. datetime.now(UTC))")


def _wall(instant: datetime, zone: ZoneInfo) -> datetime:
    return instant.astimezone(zone).replace(tzinfo=None, fold=0)


@lru_cache(maxsize=8192)
def local_send_instant(schedule: DailySchedule, local_date: date) -> datetime | None:
    """The send instant (aware, UTC) of ``local_date``'s post, or ``None`` if it has none.

    Follows the DST rules of the module docstring: first occurrence of a repeated wall time,
    the jump instant for a wall time inside a gap, ``None`` when the local date does not exist
    in the zone (Pacific/Apia, 2011-12-30) or the gap pushes the post onto the next date.
    """
    zone = schedule.zone
    wall = datetime.combine(local_date, schedule.time)
    earlier = wall.replace(tzinfo=zone, fold=0).astimezone(UTC)
    if _wall(earlier, zone) == wall:
        instant = earlier
    else:
        # In a gap. PEP 495: fold=1 reads the wall time with the post-jump offset and lands
        # before the jump, fold=0 with the pre-jump offset and lands after it. Bisect between
        # them for the first instant whose wall time is at or past the target.
        lo = wall.replace(tzinfo=zone, fold=1).astimezone(UTC)
        hi = earlier
        if lo > hi:
            lo, hi = hi, lo
        lo_s, hi_s = 0, int((hi - lo).total_seconds()) + 1
        while lo_s < hi_s:
            mid = (lo_s + hi_s) // 2
            if _wall(lo + timedelta(seconds=mid), zone) >= wall:
                hi_s = mid
            else:
                lo_s = mid + 1
        instant = lo + timedelta(seconds=lo_s)
    if instant.astimezone(zone).date() != local_date:
        return None
    return instant


def _slots_after(schedule: DailySchedule, now: datetime) -> Iterator[tuple[date, datetime]]:
    """Slots strictly after ``now`` in order, lazily (a bounded run: 366 local dates)."""
    day = now.astimezone(schedule.zone).date() - timedelta(days=1)
    for _ in range(366):
        instant = local_send_instant(schedule, day)
        if instant is not None and instant > now:
            yield day, instant
        day += timedelta(days=1)


def next_slots(
    schedule: DailySchedule, now: datetime, count: int = 3
) -> list[tuple[date, datetime]]:
    """The next ``count`` slots strictly after ``now``, as ``(local_date, send_instant_utc)``.

    Raises:
        ValueError: ``now`` is naive or ``count`` is negative.
    """
    _require_aware(now)
    if count < 0:
        raise ValueError("count must be >= 0")
    return list(islice(_slots_after(schedule, now), count))


def next_send_times(schedule: DailySchedule, now: datetime, count: int = 3) -> list[datetime]:
    """The next ``count`` send instants strictly after ``now`` (aware, UTC), in order.

    For display (``/daily set`` answers with them) and for ``corpusbot schedule``.
    """
    return [instant for _, instant in next_slots(schedule, now, count)]


def _check_grace(grace: timedelta) -> None:
    if not timedelta(0) < grace <= MAX_GRACE:
        raise ValueError(f"grace must be in (0, {MAX_GRACE}], got {grace}")


def due_post(
    schedule: DailySchedule,
    now: datetime,
    last_posted_local_date: date | None,
    *,
    grace: timedelta = DEFAULT_GRACE,
) -> date | None:
    """The local date whose quote should be posted at ``now``, or ``None``.

    Due means: today's slot (today = the local date of ``now``) satisfies
    ``slot <= now < slot + grace``, and today is later than ``last_posted_local_date`` (the
    latest date already claimed). Past days are never due, so downtime never produces a burst
    of posts (C07), and since the window ends with the local date, no local day gets two posts.

    Raises:
        ValueError: ``now`` is naive or ``grace`` is outside (0, :data:`MAX_GRACE`].
    """
    _require_aware(now)
    _check_grace(grace)
    today = now.astimezone(schedule.zone).date()
    if last_posted_local_date is not None and today <= last_posted_local_date:
        return None
    instant = local_send_instant(schedule, today)
    if instant is None or not instant <= now < instant + grace:
        return None
    return today


def next_wakeup(
    schedules_with_state: Iterable[tuple[DailySchedule, date | None]],
    now: datetime,
    *,
    grace: timedelta = DEFAULT_GRACE,
) -> datetime | None:
    """The earliest instant at which any of the schedules may have a post due.

    Args:
        schedules_with_state: pairs ``(schedule, last_posted_local_date)``.
        now: aware current time.
        grace: as in :func:`due_post`.

    Returns:
        ``now`` if something is due already, else the earliest future slot whose local date is
        after that schedule's last posted date; ``None`` for no schedules.
    """
    best: datetime | None = None
    for schedule, last in schedules_with_state:
        if due_post(schedule, now, last, grace=grace) is not None:
            return now.astimezone(UTC)
        candidate: datetime | None = None
        for day, instant in islice(_slots_after(schedule, now), 4):
            if last is None or day > last:
                candidate = instant
                break
        if candidate is not None and (best is None or candidate < best):
            best = candidate
    return best


def pick_for_date(order: Sequence[K], used: Set[K]) -> tuple[K, bool]:
    """Pick the next quote of a guild's cycle: the first key of ``order`` not in ``used``.

    Args:
        order: the guild's deterministic permutation of quote keys (e.g. from
            ``QuoteBook.cycle_order(documents, salt=str(guild_id))``).
        used: keys already posted in the current cycle (keys no longer in ``order`` are ignored).

    Returns:
        ``(key, new_cycle)``: ``new_cycle`` is ``True`` when every key of ``order`` was used, in
        which case a new cycle starts with ``order[0]``. The result depends only on the two
        arguments, so it is the same whenever (and however often) the bot restarts.

    Raises:
        NotFound: ``order`` is empty (no quotable line in the enabled documents).
    """
    if not order:
        raise NotFound("There is no quotable line in the documents chosen for the daily post.")
    for key in order:
        if key not in used:
            return key, False
    return order[0], True


def post_nonce(guild_id: int, local_date: date) -> str:
    """The Discord message nonce for a guild's post of ``local_date`` (24 hex characters).

    Deterministic, so a resend after a crash carries the same nonce; sent with
    ``enforce_nonce`` Discord then returns the already created message instead of a new one
    (deduplication lasts a few minutes). Discord allows at most 25 characters.
    """
    digest = hashlib.blake2b(f"daily:{guild_id}:{local_date.isoformat()}".encode(), digest_size=12)
    return digest.hexdigest()


# ---- time-zone lookup (autocomplete) ---------------------------------------------------

#: Offered when the time-zone option is still empty.
COMMON_ZONES = (
    "UTC",
    "Europe/London",
    "Europe/Berlin",
    "Europe/Paris",
    "Europe/Madrid",
    "Europe/Moscow",
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Los_Angeles",
    "America/Sao_Paulo",
    "America/Mexico_City",
    "Asia/Tokyo",
    "Asia/Seoul",
    "Asia/Shanghai",
    "Asia/Kolkata",
    "Asia/Singapore",
    "Asia/Dubai",
    "Australia/Sydney",
    "Australia/Lord_Howe",
    "Pacific/Auckland",
    "Pacific/Apia",
    "Africa/Lagos",
    "Africa/Johannesburg",
    "Africa/Cairo",
)


@lru_cache(maxsize=1)
def _zone_names() -> tuple[str, ...]:
    return tuple(
        sorted(
            name
            for name in zoneinfo.available_timezones()
            if not name.startswith(("posix", "right/", "SystemV/")) and name != "localtime"
        )
    )


def timezone_choices(typed: str, *, limit: int = 25) -> list[str]:
    """IANA zone names matching what the admin typed (``"berl"`` → ``Europe/Berlin``).

    Case- and space-insensitive; a match at the start of a name part ranks before a match
    inside one; ties in alphabetical order; at most ``limit`` names (Discord allows 25).
    """
    needle = typed.strip().casefold().replace(" ", "_")
    if not needle:
        return list(COMMON_ZONES[:limit])
    ranked: list[tuple[int, str]] = []
    for name in _zone_names():
        folded = name.casefold()
        if needle not in folded:
            continue
        parts = folded.replace("-", "/").split("/")
        if folded == needle or parts[-1] == needle:
            rank = 0
        elif any(part.startswith(needle) for part in parts):
            rank = 1
        else:
            rank = 2
        ranked.append((rank, name))
    ranked.sort()
    return [name for _, name in ranked[:limit]]
