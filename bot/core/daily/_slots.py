"""When a schedule's slots fall and which local date is due: DST-safe, with a grace window.

Terms: a *local date* is a calendar date in the schedule's zone, with at most one *slot*; the
*send instant* is the aware UTC instant of a local date's post (:func:`local_send_instant`).
The daylight-saving rules and the grace-window policy are described in :mod:`bot.core.daily`.
Pure functions; ``now`` is always a parameter.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Sequence, Set
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from itertools import islice
from typing import TypeVar
from zoneinfo import ZoneInfo

from bot.core.daily._schedule import (
    DEFAULT_GRACE,
    EARLIEST_NOW,
    LATEST_NOW,
    MAX_GRACE,
    DailySchedule,
)
from bot.core.errors import NotFound

K = TypeVar("K")


def _require_aware(now: datetime) -> None:
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be an aware datetime (e.g. datetime.now(UTC))")
    if not EARLIEST_NOW <= now <= LATEST_NOW:
        raise ValueError(
            f"now must be from {EARLIEST_NOW.isoformat()} to {LATEST_NOW.isoformat()}, got "
            f"{now.isoformat()}"
        )


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
    of posts, and since the window ends with the local date, no local day gets two posts.

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
