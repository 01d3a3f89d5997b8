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

Grace-window policy
---------------------------------------
A local date's quote is *due* only while ``slot <= now < slot + grace``, the local date of ``now``
is still that date, and that date (or a later one) has not been posted. Consequences:

* A wake-up a few milliseconds early finds nothing due and sleeps until the slot; a late or
  duplicate wake-up finds the date already posted.
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

Time-zone input (``/daily set`` and ``daily[].timezone``)
---------------------------------------------------------
:func:`canonical_zone` accepts IANA names and whole-hour UTC offsets (``"UTC+2"`` →
``Etc/GMT-2``, whose POSIX-style name inverts the sign); abbreviations (``PST``, ``IST``) and
city names (``Mumbai``) are ambiguous or not zone names, so they only ever produce suggestions
(:data:`ZONE_ABBREVIATIONS`, :data:`CITY_ALIASES`, :func:`timezone_suggestions`). Offsets are
shown plainly (``"UTC+2 (Etc/GMT-2)"``, :func:`zone_label`).
"""

from __future__ import annotations

import difflib
import hashlib
import re
import unicodedata
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
    "CITY_ALIASES",
    "COMMON_ZONES",
    "DEFAULT_GRACE",
    "EARLIEST_NOW",
    "LATEST_NOW",
    "MAX_GRACE",
    "ZONE_ABBREVIATIONS",
    "DailySchedule",
    "ScheduleError",
    "canonical_zone",
    "due_post",
    "load_zone",
    "local_send_instant",
    "next_send_times",
    "next_slots",
    "next_wakeup",
    "offset_zone",
    "parse_local_time",
    "pick_for_date",
    "post_nonce",
    "suggest_zones",
    "timezone_choices",
    "timezone_suggestions",
    "zone_advice",
    "zone_label",
    "zone_offset_label",
    "zone_offset_note",
]

DEFAULT_GRACE = timedelta(hours=6)
"""How late a slot may still be posted (see the module docstring)."""

MAX_GRACE = timedelta(hours=24)
"""Upper bound for ``grace`` (the window closes at local midnight anyway)."""

EARLIEST_NOW = datetime(2, 1, 1, tzinfo=UTC)
"""The earliest ``now`` the schedule functions accept (a year of look-ahead and a day of
look-behind must stay inside :class:`datetime`'s years 1-9999 in every zone)."""

LATEST_NOW = datetime(9997, 12, 31, 23, 59, 59, tzinfo=UTC)
"""The latest ``now`` the schedule functions accept (see :data:`EARLIEST_NOW`)."""

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
    """The IANA zone name for what an admin or a config file gave, or :class:`ScheduleError`.

    Accepted (and nothing else, so a zone is never guessed):

    * an IANA name, case-insensitive, spaces for underscores (``" europe/berlin "`` →
      ``"Europe/Berlin"``), except the legacy abbreviation names of :data:`ZONE_ABBREVIATIONS`
      (``EST``, ``CET``, ...): they are ambiguous, see :func:`zone_advice`;
    * a whole-hour UTC offset (``"UTC+2"``, ``"GMT+2"``, ``"+02:00"``, ``"UTC"``) → the fixed
      zone with that real offset (``"Etc/GMT-2"``; see :func:`offset_zone`).

    Raises:
        ScheduleError: naming the value, saying why (an abbreviation, a half-hour offset, a
            city that is not a zone name) with suggestions from :func:`suggest_zones`, and a
            valid example.
    """
    offset = offset_zone(name)
    if offset is not None:
        return offset
    cleaned = name.strip().replace(" ", "_")
    if _fold(cleaned) not in _ABBREVIATION_KEYS:
        names = _zone_names()
        if cleaned in names:
            return cleaned
        folded = {n.casefold(): n for n in names}
        if cleaned.casefold() in folded:
            return folded[cleaned.casefold()]
    raise ScheduleError(f"{name!r} is not a time zone I know. {zone_advice(name)}")


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


# ---- abbreviations, UTC offsets and city names ----------------------------------------

#: Time-zone abbreviations people type, each with the IANA zones it usually means and who uses
#: it. Abbreviations are ambiguous (IST is India, Israel and Ireland; CST is US Central, China
#: and Cuba) and name a season's offset, not a place's rules, so they are only ever
#: *suggestions*: :func:`canonical_zone` refuses them, even the legacy ones that are also
#: names in the tz database (``EST``, ``MST``, ``HST``, ``CET``, ``EET``, ``WET``, ``MET``:
#: fixed offsets or another region's rules, not what a New Yorker or a Parisian means).
#: Source: the abbreviations used in the tz database's own data files (``northamerica``,
#: ``europe``, ``asia``, ``australasia``, ``africa``, ``southamerica``).
ZONE_ABBREVIATIONS: dict[str, tuple[tuple[str, str], ...]] = {
    "PST": (("America/Los_Angeles", "US Pacific"),),
    "PDT": (("America/Los_Angeles", "US Pacific"),),
    "MST": (("America/Denver", "US Mountain"), ("America/Phoenix", "Arizona, no DST")),
    "MDT": (("America/Denver", "US Mountain"),),
    "CST": (
        ("America/Chicago", "US Central"),
        ("Asia/Shanghai", "China"),
        ("America/Havana", "Cuba"),
    ),
    "CDT": (("America/Chicago", "US Central"),),
    "EST": (("America/New_York", "US Eastern"),),
    "EDT": (("America/New_York", "US Eastern"),),
    "AKST": (("America/Anchorage", "Alaska"),),
    "AKDT": (("America/Anchorage", "Alaska"),),
    "HST": (("Pacific/Honolulu", "Hawaii"),),
    "AST": (("America/Halifax", "Atlantic"), ("America/Puerto_Rico", "Atlantic, no DST")),
    "ADT": (("America/Halifax", "Atlantic"),),
    "NST": (("America/St_Johns", "Newfoundland"),),
    "NDT": (("America/St_Johns", "Newfoundland"),),
    "BRT": (("America/Sao_Paulo", "Brasília"),),
    "ART": (("America/Argentina/Buenos_Aires", "Argentina"),),
    "BST": (("Europe/London", "British Summer Time"),),
    "WET": (("Europe/Lisbon", "Western European"),),
    "WEST": (("Europe/Lisbon", "Western European"),),
    "CET": (("Europe/Berlin", "Central European"), ("Europe/Paris", "Central European")),
    "CEST": (("Europe/Berlin", "Central European"), ("Europe/Paris", "Central European")),
    "MET": (("Europe/Berlin", "Central European"), ("Europe/Paris", "Central European")),
    "MEST": (("Europe/Berlin", "Central European"), ("Europe/Paris", "Central European")),
    "EET": (("Europe/Athens", "Eastern European"), ("Europe/Helsinki", "Eastern European")),
    "EEST": (("Europe/Athens", "Eastern European"), ("Europe/Helsinki", "Eastern European")),
    "MSK": (("Europe/Moscow", "Moscow"),),
    "IST": (
        ("Asia/Kolkata", "India"),
        ("Asia/Jerusalem", "Israel"),
        ("Europe/Dublin", "Ireland"),
    ),
    "IDT": (("Asia/Jerusalem", "Israel"),),
    "PKT": (("Asia/Karachi", "Pakistan"),),
    "GST": (("Asia/Dubai", "Gulf"),),
    "JST": (("Asia/Tokyo", "Japan"),),
    "KST": (("Asia/Seoul", "Korea"),),
    "HKT": (("Asia/Hong_Kong", "Hong Kong"),),
    "SGT": (("Asia/Singapore", "Singapore"),),
    "WIB": (("Asia/Jakarta", "Western Indonesia"),),
    "AEST": (("Australia/Sydney", "Australian Eastern"), ("Australia/Brisbane", "Queensland")),
    "AEDT": (("Australia/Sydney", "Australian Eastern"),),
    "ACST": (("Australia/Adelaide", "Australian Central"), ("Australia/Darwin", "no DST")),
    "ACDT": (("Australia/Adelaide", "Australian Central"),),
    "AWST": (("Australia/Perth", "Australian Western"),),
    "NZST": (("Pacific/Auckland", "New Zealand"),),
    "NZDT": (("Pacific/Auckland", "New Zealand"),),
    "SAST": (("Africa/Johannesburg", "South Africa"),),
    "WAT": (("Africa/Lagos", "West Africa"),),
    "CAT": (("Africa/Maputo", "Central Africa"),),
    "EAT": (("Africa/Nairobi", "East Africa"),),
}

#: Well-known cities that are not in a tz database name (the database names one city per
#: region), folded as :func:`_fold` does, each with its zone. Suggestions only.
CITY_ALIASES: dict[str, str] = {
    **dict.fromkeys(
        ("mumbai", "bombay", "delhi", "new_delhi", "bangalore", "bengaluru", "chennai"),
        "Asia/Kolkata",
    ),
    **dict.fromkeys(("hyderabad", "pune", "madras", "calcutta"), "Asia/Kolkata"),
    **dict.fromkeys(
        ("beijing", "peking", "shenzhen", "guangzhou", "chengdu", "wuhan"), "Asia/Shanghai"
    ),
    **dict.fromkeys(("osaka", "kyoto", "yokohama"), "Asia/Tokyo"),
    **dict.fromkeys(("busan",), "Asia/Seoul"),
    **dict.fromkeys(("hanoi", "saigon"), "Asia/Ho_Chi_Minh"),
    **dict.fromkeys(("islamabad", "lahore"), "Asia/Karachi"),
    **dict.fromkeys(("abu_dhabi", "sharjah"), "Asia/Dubai"),
    **dict.fromkeys(("tel_aviv", "haifa"), "Asia/Jerusalem"),
    **dict.fromkeys(("ankara", "izmir"), "Europe/Istanbul"),
    **dict.fromkeys(
        ("washington", "washington_dc", "boston", "miami", "atlanta", "philadelphia"),
        "America/New_York",
    ),
    **dict.fromkeys(("houston", "dallas", "austin", "new_orleans"), "America/Chicago"),
    **dict.fromkeys(("san_francisco", "seattle", "las_vegas", "san_diego"), "America/Los_Angeles"),
    **dict.fromkeys(("salt_lake_city", "albuquerque"), "America/Denver"),
    **dict.fromkeys(("ottawa", "montreal", "quebec"), "America/Toronto"),
    **dict.fromkeys(("rio_de_janeiro", "rio", "brasilia"), "America/Sao_Paulo"),
    **dict.fromkeys(("munich", "frankfurt", "hamburg", "cologne"), "Europe/Berlin"),
    **dict.fromkeys(("lyon", "marseille", "toulouse"), "Europe/Paris"),
    **dict.fromkeys(("milan", "florence", "naples", "venice"), "Europe/Rome"),
    **dict.fromkeys(("barcelona", "seville", "valencia"), "Europe/Madrid"),
    **dict.fromkeys(("edinburgh", "manchester", "glasgow", "birmingham"), "Europe/London"),
    **dict.fromkeys(("geneva", "basel"), "Europe/Zurich"),
    **dict.fromkeys(("rotterdam", "the_hague"), "Europe/Amsterdam"),
    **dict.fromkeys(("krakow",), "Europe/Warsaw"),
    **dict.fromkeys(("st_petersburg", "saint_petersburg"), "Europe/Moscow"),
    **dict.fromkeys(("canberra",), "Australia/Sydney"),
    **dict.fromkeys(("wellington", "christchurch"), "Pacific/Auckland"),
    **dict.fromkeys(("cape_town", "pretoria", "durban"), "Africa/Johannesburg"),
}

#: Zones to suggest for UTC offsets that are not whole hours (no ``Etc/GMT`` zone has them),
#: in minutes east of UTC.
_PART_HOUR_ZONES: dict[int, tuple[str, ...]] = {
    -570: ("Pacific/Marquesas",),
    -210: ("America/St_Johns",),
    210: ("Asia/Tehran",),
    270: ("Asia/Kabul",),
    330: ("Asia/Kolkata", "Asia/Colombo"),
    345: ("Asia/Kathmandu",),
    390: ("Asia/Yangon",),
    525: ("Australia/Eucla",),
    570: ("Australia/Adelaide", "Australia/Darwin"),
    630: ("Australia/Lord_Howe",),
    765: ("Pacific/Chatham",),
}

_ABBREVIATION_KEYS = frozenset(a.casefold() for a in ZONE_ABBREVIATIONS)

_OFFSET_RE = re.compile(
    r"^(?:(?:utc|gmt|ut|z)\s*)?([+\-\u2212])\s*(\d{1,2})(?:(?::|h)?(\d{2}))?$", re.IGNORECASE
)
_ETC_RE = re.compile(r"^Etc/GMT([+-])(\d{1,2})$")


def _fold(text: str) -> str:
    """Casefold, drop accents (NFKD, combining marks removed) and join words with ``_``:
    ``" São  Paulo"`` → ``"sao_paulo"``, ``"Port-au-Prince"`` → ``"port_au_prince"``."""
    decomposed = unicodedata.normalize("NFKD", text.strip())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return re.sub(r"[\s_\-.'’]+", "_", plain)


def _parse_offset(text: str) -> int | None:
    """Minutes east of UTC for ``"UTC+2"``, ``"GMT-03:30"``, ``"+0530"`` (``None`` if not that
    shape; the range is checked by the callers)."""
    match = _OFFSET_RE.match(text.strip())
    if match is None:
        return None
    sign = -1 if match.group(1) in "-\u2212" else 1
    hours, minutes = int(match.group(2)), int(match.group(3) or 0)
    if minutes > 59:
        return None
    return sign * (hours * 60 + minutes)


def _offset_text(minutes: int) -> str:
    """``120`` → ``"UTC+2"``, ``-210`` → ``"UTC-3:30"``, ``0`` → ``"UTC"``."""
    if minutes == 0:
        return "UTC"
    sign = "+" if minutes > 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def offset_zone(text: str) -> str | None:
    """The fixed IANA zone for a whole-hour UTC offset as people write it, else ``None``.

    ``"UTC+2"``, ``"GMT+2"``, ``"+02:00"``, ``"utc +2"`` → ``"Etc/GMT-2"`` (really UTC+2: the
    ``Etc/GMT`` names invert the sign, POSIX ``TZ`` style); ``"UTC-5"`` → ``"Etc/GMT+5"``;
    ``"UTC+0"`` → ``"UTC"``. Offsets run from UTC-12 to UTC+14 (the ``Etc/GMT+12`` …
    ``Etc/GMT-14`` zones of the tz database's ``etcetera`` file). ``None`` for anything else,
    including part-hour offsets (``"UTC+5:30"``) that no fixed zone has.
    """
    minutes = _parse_offset(text)
    if minutes is None or minutes % 60 or not -12 * 60 <= minutes <= 14 * 60:
        return None
    hours = minutes // 60
    if hours == 0:
        return "UTC"
    return f"Etc/GMT{'-' if hours > 0 else '+'}{abs(hours)}"


def zone_offset_label(zone: str) -> str | None:
    """The real UTC offset of an ``Etc/GMT±N`` zone, plainly: ``"Etc/GMT-2"`` → ``"UTC+2"``,
    ``"Etc/GMT+2"`` → ``"UTC-2"`` (the name's sign is inverted); ``None`` for other zones."""
    match = _ETC_RE.match(zone)
    if match is None:
        return None
    hours = int(match.group(2)) * (1 if match.group(1) == "-" else -1)
    return _offset_text(hours * 60)


def zone_label(zone: str) -> str:
    """How to show a zone to people: ``"Etc/GMT-2"`` → ``"UTC+2 (Etc/GMT-2)"``, other names as
    they are (``"Europe/Berlin"``)."""
    offset = zone_offset_label(zone)
    return f"{offset} ({zone})" if offset and offset != "UTC" else zone


def zone_offset_note(zone: str) -> str | None:
    """A sentence for a confirmation when ``zone`` is an ``Etc/GMT±N`` zone, whose name reads
    as the opposite offset: ``"Etc/GMT+2"`` → ``"Note: Etc/GMT+2 is UTC-2 (…); for UTC+2 use
    Etc/GMT-2."``. ``None`` for every other zone (and for ``Etc/GMT+0``)."""
    offset = zone_offset_label(zone)
    match = _ETC_RE.match(zone)
    if offset is None or match is None or offset == "UTC":
        return None
    opposite = f"Etc/GMT{'+' if match.group(1) == '-' else '-'}{match.group(2)}"
    return (
        f"Note: {zone} is {offset}: the sign in Etc/GMT names is inverted (POSIX style). "
        f"For {zone_offset_label(opposite)} use {opposite}."
    )


def _abbreviation(typed: str) -> tuple[str, tuple[tuple[str, str], ...]] | None:
    key = typed.strip().upper()
    found = ZONE_ABBREVIATIONS.get(key)
    return (key, found) if found else None


def _name_matches(needle: str) -> list[str]:
    """Zone names containing the folded ``needle``: exact name or last part first, then a part
    starting with it, then anywhere; alphabetical within a rank. Legacy abbreviation names
    (``EST``) are left out, as :func:`canonical_zone` refuses them."""
    ranked: list[tuple[int, str]] = []
    for name, folded in _folded_zone_names():
        if needle not in folded:
            continue
        parts = folded.split("/")
        if folded == needle or parts[-1] == needle:
            rank = 0
        elif any(part.startswith(needle) for part in re.split(r"[/_]", folded)):
            rank = 1
        else:
            rank = 2
        ranked.append((rank, name))
    ranked.sort()
    return [name for _, name in ranked]


@lru_cache(maxsize=1)
def _folded_zone_names() -> tuple[tuple[str, str], ...]:
    return tuple(
        (name, _fold(name)) for name in _zone_names() if _fold(name) not in _ABBREVIATION_KEYS
    )


def timezone_suggestions(typed: str, *, limit: int = 25) -> list[tuple[str, str]]:
    """Autocomplete for a time-zone option: ``(label, IANA name)`` pairs, at most ``limit``.

    The value is always an IANA name :func:`canonical_zone` accepts; the label says what it is:

    * a UTC offset (``"UTC+2"``, ``"GMT+2"``, ``"+02:00"``) → ``("UTC+2", "Etc/GMT-2")`` first;
      part-hour offsets (``"UTC+5:30"``) → the zones that use them (``Asia/Kolkata``);
    * an abbreviation (``"PST"``, ``"IST"``) → its usual zones, labelled
      ``"America/Los_Angeles (PST: US Pacific)"`` (see :data:`ZONE_ABBREVIATIONS`);
    * a city (``"Mumbai"``, ``"beijing"``) → its zone from :data:`CITY_ALIASES`, labelled
      ``"Asia/Kolkata (Mumbai)"``;
    * then zone names containing the text, accents, case, spaces and hyphens folded
      (``"São Paulo"`` → ``America/Sao_Paulo``); a whole name or last part first, then a part
      starting with it, then anywhere; alphabetical within each rank.

    ``Etc/GMT±N`` names are labelled with their real offset (``"UTC-2 (Etc/GMT+2)"``), so the
    inverted POSIX sign cannot mislead. Empty input gives :data:`COMMON_ZONES`.
    """
    out: dict[str, str] = {}

    def add(value: str, label: str | None = None) -> None:
        if value not in out:
            out[value] = label or zone_label(value)

    text = typed.strip()
    if not text:
        return [(zone_label(z), z) for z in COMMON_ZONES[:limit]]
    minutes = _parse_offset(text)
    if minutes is not None:
        whole = offset_zone(text)
        if whole is not None:
            add(whole, _offset_text(minutes) if whole != "UTC" else None)
        for zone in _PART_HOUR_ZONES.get(minutes, ()):
            add(zone, f"{zone} ({_offset_text(minutes)} standard time)")
    abbreviation = _abbreviation(text)
    if abbreviation is not None:
        key, zones = abbreviation
        for zone, who in zones:
            add(zone, f"{zone} ({key}: {who})")
    needle = _fold(text)
    if len(needle) >= 3:
        for alias, zone in CITY_ALIASES.items():
            if alias.startswith(needle):
                add(zone, f"{zone} ({alias.replace('_', ' ').title()})")
    for name in _name_matches(needle):
        add(name)
        if len(out) >= limit:
            break
    return [(label, value) for value, label in list(out.items())[:limit]]


def timezone_choices(typed: str, *, limit: int = 25) -> list[str]:
    """The IANA names of :func:`timezone_suggestions` (``"berl"`` → ``["Europe/Berlin"]``)."""
    return [value for _, value in timezone_suggestions(typed, limit=limit)]


def suggest_zones(name: str, *, limit: int = 3) -> list[str]:
    """IANA names to suggest for a value :func:`canonical_zone` refused: those of
    :func:`timezone_suggestions`, else close names (:func:`difflib.get_close_matches`, ratio
    ≥ 0.6, over the folded names)."""
    found = timezone_choices(name, limit=limit)
    if found:
        return found
    folded = dict((f, n) for n, f in _folded_zone_names())
    close = difflib.get_close_matches(_fold(name), list(folded), n=limit, cutoff=0.6)
    return [folded[c] for c in close]


def zone_advice(name: str) -> str:
    """What to write instead of a refused zone value, in one or two sentences (no value
    repeated): the abbreviation's zones and why abbreviations are refused, the zones of a
    part-hour offset, or close names; always an example of a valid name."""
    example = "Use an IANA name such as 'Europe/Berlin', 'America/Sao_Paulo' or 'UTC'."
    abbreviation = _abbreviation(name)
    if abbreviation is not None:
        key, zones = abbreviation
        meant = " or ".join(f"{zone} ({who})" for zone, who in zones)
        return (
            f"Abbreviations like {key} are ambiguous and name only one season's offset, so "
            f"they are not accepted: did you mean {meant}? {example}"
        )
    minutes = _parse_offset(name)
    if minutes is not None:
        part_hour = _PART_HOUR_ZONES.get(minutes, ())
        if part_hour:
            return (
                f"No fixed zone has the offset {_offset_text(minutes)}; use the place's zone, "
                f"such as {' or '.join(part_hour)}."
            )
        return f"UTC offsets run from UTC-12 to UTC+14 in whole hours. {example}"
    close = suggest_zones(name)
    hint = f"Did you mean {', '.join(close)}? " if close else ""
    return hint + example
