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

from bot.core.daily._lexicon import CITY_ALIASES, COMMON_ZONES, ZONE_ABBREVIATIONS
from bot.core.daily._schedule import (
    DEFAULT_GRACE,
    EARLIEST_NOW,
    LATEST_NOW,
    MAX_GRACE,
    DailySchedule,
    ScheduleError,
    load_zone,
    parse_local_time,
)
from bot.core.daily._slots import (
    due_post,
    local_send_instant,
    next_send_times,
    next_slots,
    next_wakeup,
    pick_for_date,
    post_nonce,
)
from bot.core.daily._zones import (
    canonical_zone,
    offset_zone,
    suggest_zones,
    timezone_choices,
    timezone_suggestions,
    zone_advice,
    zone_label,
    zone_offset_label,
    zone_offset_note,
)

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
