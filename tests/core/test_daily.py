"""Schedule arithmetic: slots, DST gaps and overlaps, skipped dates, grace window."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.daily import (
    DEFAULT_GRACE,
    DailySchedule,
    ScheduleError,
    due_post,
    load_zone,
    local_send_instant,
    next_send_times,
    next_slots,
    next_wakeup,
    parse_local_time,
    pick_for_date,
    post_nonce,
)
from bot.core.errors import NotFound

GRACE = DEFAULT_GRACE


def sched(hhmm: str, zone: str, guild: int = 1) -> DailySchedule:
    return DailySchedule(guild_id=guild, channel_id=10, time=parse_local_time(hhmm), timezone=zone)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)  # type: ignore[misc]


def local(instant: datetime, zone: str) -> datetime:
    return instant.astimezone(ZoneInfo(zone))


# -- Across the UTC date line: Asia/Tokyo 08:47, host clock 23:46:59 UTC the day before


def test_tokyo_across_the_utc_date_line() -> None:
    s = sched("08:47", "Asia/Tokyo")
    now = utc(2026, 5, 11, 23, 46, 59)  # 08:46:59 on 12 May in Tokyo
    assert due_post(s, now, None, grace=GRACE) is None
    wake = next_wakeup([(s, None)], now, grace=GRACE)
    assert wake == utc(2026, 5, 11, 23, 47)

    at_slot = wake
    assert at_slot is not None
    day = due_post(s, at_slot, date(2026, 5, 11), grace=GRACE)
    assert day == date(2026, 5, 12)  # the Tokyo date, not the UTC date

    posted = at_slot + timedelta(milliseconds=5)
    assert due_post(s, posted, day, grace=GRACE) is None
    following = next_wakeup([(s, day)], posted, grace=GRACE)
    assert following is not None
    assert following > posted
    assert following == utc(2026, 5, 12, 23, 47)
    assert local(following, "Asia/Tokyo").date() == date(2026, 5, 13)


# -- Never twice: early/late/duplicate wake-ups, restart right after posting


@pytest.mark.parametrize("offset_ms", [-5, -1])
def test_early_wakeup_is_not_due_and_sleeps_to_the_slot(offset_ms: int) -> None:
    s = sched("09:00", "Europe/Berlin")
    slot = utc(2026, 6, 1, 7, 0)
    now = slot + timedelta(milliseconds=offset_ms)
    assert due_post(s, now, date(2026, 5, 31), grace=GRACE) is None
    assert next_wakeup([(s, date(2026, 5, 31))], now, grace=GRACE) == slot


@pytest.mark.parametrize("offset_ms", [0, 1, 5, 900])
def test_late_or_duplicate_wakeup_posts_once(offset_ms: int) -> None:
    s = sched("09:00", "Europe/Berlin")
    now = utc(2026, 6, 1, 7, 0) + timedelta(milliseconds=offset_ms)
    day = due_post(s, now, date(2026, 5, 31), grace=GRACE)
    assert day == date(2026, 6, 1)
    # the post takes 5 ms; a duplicate wake-up or a restarted process sees it recorded
    for later_ms in (5, 6, 60_000, 3 * 3600_000):
        assert due_post(s, now + timedelta(milliseconds=later_ms), day, grace=GRACE) is None


# -- Downtime: missed posts


def test_start_at_0905_after_0900_slot_posts_today_once() -> None:
    s = sched("09:00", "Europe/Berlin")
    yesterday, today = date(2026, 6, 1), date(2026, 6, 2)
    start = utc(2026, 6, 2, 7, 5)  # 09:05 CEST
    assert due_post(s, start, yesterday, grace=GRACE) == today
    assert due_post(s, start + timedelta(seconds=1), today, grace=GRACE) is None


def _drain(s: DailySchedule, now: datetime, last: date | None) -> list[date]:
    """Post whatever is due at ``now`` until nothing is: the dates a restart would post."""
    posted: list[date] = []
    for _ in range(10):
        day = due_post(s, now, last, grace=GRACE)
        if day is None:
            break
        posted.append(day)
        last = day
    return posted


def test_down_three_days_posts_only_today() -> None:
    s = sched("09:00", "Europe/Berlin")
    last = date(2026, 6, 1)
    assert _drain(s, utc(2026, 6, 4, 7, 5), last) == [date(2026, 6, 4)]


def test_down_three_days_started_before_todays_slot_waits_for_it() -> None:
    s = sched("09:00", "Europe/Berlin")
    last = date(2026, 6, 1)
    now = utc(2026, 6, 4, 5, 0)  # 07:00 local, before the slot
    assert _drain(s, now, last) == []
    assert next_wakeup([(s, last)], now, grace=GRACE) == utc(2026, 6, 4, 7, 0)


def test_slot_missed_by_more_than_grace_is_skipped() -> None:
    s = sched("09:00", "Europe/Berlin")
    slot = utc(2026, 6, 4, 7, 0)
    assert due_post(s, slot + GRACE - timedelta(microseconds=1), None, grace=GRACE) == date(
        2026, 6, 4
    )
    assert due_post(s, slot + GRACE, None, grace=GRACE) is None
    assert next_wakeup([(s, None)], slot + GRACE, grace=GRACE) == utc(2026, 6, 5, 7, 0)


def test_grace_window_closes_at_local_midnight() -> None:
    s = sched("23:30", "Europe/Berlin")
    slot = utc(2026, 6, 1, 21, 30)
    assert due_post(s, slot + timedelta(minutes=29), None, grace=GRACE) == date(2026, 6, 1)
    # 00:10 on 2 June: the 1 June post would land next to 2 June's own post: not due
    assert due_post(s, slot + timedelta(minutes=40), None, grace=GRACE) is None
    assert next_wakeup([(s, None)], slot + timedelta(minutes=40)) == slot + timedelta(days=1)


# -- DST -------------------------------------------------------------------------------


def test_spring_forward_gap_posts_at_the_jump() -> None:
    s = sched("02:30", "Europe/Berlin")  # 02:00-03:00 does not exist on 2026-03-29
    instant = local_send_instant(s, date(2026, 3, 29))
    assert instant == utc(2026, 3, 29, 1, 0)
    wall = local(instant, "Europe/Berlin")
    assert (wall.hour, wall.minute, wall.utcoffset()) == (3, 0, timedelta(hours=2))
    before = local(instant - timedelta(seconds=1), "Europe/Berlin")
    assert before.time() == time(1, 59, 59)  # first valid instant after 02:30
    # the day before and after are plain
    assert local_send_instant(s, date(2026, 3, 28)) == utc(2026, 3, 28, 1, 30)
    assert local_send_instant(s, date(2026, 3, 30)) == utc(2026, 3, 30, 0, 30)


def test_fall_back_overlap_posts_once_at_first_occurrence() -> None:
    s = sched("02:30", "Europe/Berlin")  # 02:30 happens twice on 2026-10-25
    day = date(2026, 10, 25)
    first = local_send_instant(s, day)
    assert first == utc(2026, 10, 25, 0, 30)
    assert local(first, "Europe/Berlin").utcoffset() == timedelta(hours=2)
    second = utc(2026, 10, 25, 1, 30)
    assert local(second, "Europe/Berlin").replace(tzinfo=None) == datetime(2026, 10, 25, 2, 30)
    assert due_post(s, second, day, grace=GRACE) is None
    times = next_send_times(s, utc(2026, 10, 24, 12, 0), 3)
    assert [local(t, "Europe/Berlin").date() for t in times] == [
        date(2026, 10, 25),
        date(2026, 10, 26),
        date(2026, 10, 27),
    ]


def test_lord_howe_half_hour_shifts() -> None:
    gap = sched("02:15", "Australia/Lord_Howe")  # 02:00 -> 02:30 on 2026-10-04
    instant = local_send_instant(gap, date(2026, 10, 4))
    assert instant is not None
    wall = local(instant, "Australia/Lord_Howe")
    assert (wall.time(), wall.utcoffset()) == (time(2, 30), timedelta(hours=11))
    overlap = sched("01:45", "Australia/Lord_Howe")  # 02:00 -> 01:30 on 2026-04-05
    first = local_send_instant(overlap, date(2026, 4, 5))
    assert first == utc(2026, 4, 4, 14, 45)
    assert local(first, "Australia/Lord_Howe").utcoffset() == timedelta(hours=11)


def test_sao_paulo_midnight_transitions() -> None:
    # 2011-10-16: 00:00 -> 01:00 (gap at midnight); 2012-02-26: 00:00 -> 23:00 the day before
    gap = sched("00:30", "America/Sao_Paulo")
    wall = local(local_send_instant(gap, date(2011, 10, 16)), "America/Sao_Paulo")  # type: ignore[arg-type]
    assert wall.replace(tzinfo=None) == datetime(2011, 10, 16, 1, 0)
    late = sched("23:30", "America/Sao_Paulo")
    first = local_send_instant(late, date(2012, 2, 25))
    assert first == utc(2012, 2, 26, 1, 30)  # 23:30 at -02:00, the first of two
    second = utc(2012, 2, 26, 2, 30)
    assert due_post(late, second, date(2012, 2, 25), grace=GRACE) is None


def test_apia_skipped_date_gets_no_post() -> None:
    s = sched("10:00", "Pacific/Apia")  # 2011-12-29 was followed by 2011-12-31
    assert local_send_instant(s, date(2011, 12, 30)) is None
    now = datetime(2011, 12, 29, 0, 0, tzinfo=ZoneInfo("Pacific/Apia"))
    dates = [d for d, _ in next_slots(s, now, 3)]
    assert dates == [date(2011, 12, 29), date(2011, 12, 31), date(2012, 1, 1)]
    # no instant of that night makes 12-30 due
    probe = utc(2011, 12, 29, 12, 0)
    while probe < utc(2012, 1, 1, 12, 0):
        assert due_post(s, probe, None, grace=GRACE) != date(2011, 12, 30)
        probe += timedelta(minutes=20)


def test_next_send_times_are_strictly_after_now_and_utc() -> None:
    s = sched("09:00", "Europe/Berlin")
    slot = utc(2026, 6, 1, 7, 0)
    times = next_send_times(s, slot, 3)
    assert times == [utc(2026, 6, 2, 7, 0), utc(2026, 6, 3, 7, 0), utc(2026, 6, 4, 7, 0)]
    assert all(t.utcoffset() == timedelta(0) for t in times)
    assert next_send_times(s, slot - timedelta(microseconds=1), 1) == [slot]
    assert next_send_times(s, slot, 0) == []


ZONES = [
    "Asia/Tokyo",
    "Europe/Berlin",
    "America/Sao_Paulo",
    "Australia/Lord_Howe",
    "Pacific/Apia",
    "UTC",
    "America/New_York",
    "Asia/Kolkata",
]


@settings(max_examples=300, deadline=None)
@given(
    zone=st.sampled_from(ZONES),
    hour=st.integers(0, 23),
    minute=st.sampled_from([0, 15, 30, 45, 59]),
    day=st.dates(date(2010, 1, 1), date(2030, 12, 31)),
)
def test_send_instant_properties(zone: str, hour: int, minute: int, day: date) -> None:
    s = DailySchedule(1, 2, time(hour, minute), zone)
    instant = local_send_instant(s, day)
    if instant is None:
        return
    wall = local(instant, zone)
    assert wall.date() == day
    target = datetime.combine(day, s.time)
    naive = wall.replace(tzinfo=None)
    assert naive >= target
    if naive != target:  # in a gap: the instant is the jump, one second earlier is before it
        assert local(instant - timedelta(seconds=1), zone).replace(tzinfo=None) < target
    else:  # exists: the first occurrence (nothing an hour or less earlier shows the same wall)
        for back in (30, 60):
            earlier = local(instant - timedelta(minutes=back), zone).replace(tzinfo=None)
            assert earlier < target
    assert next_send_times(s, instant - timedelta(seconds=1), 1) == [instant]


# -- validation ------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["25:61", "24:00", "8pm", "", "08:7", "0847"])
def test_bad_times_are_refused_with_an_example(text: str) -> None:
    with pytest.raises(ScheduleError, match="HH:MM"):
        parse_local_time(text)


def test_good_times_parse() -> None:
    assert parse_local_time("8:47") == time(8, 47)
    assert parse_local_time("23:59") == time(23, 59)


@pytest.mark.parametrize("zone", ["Mars/Olympus_Mons", "", "berlin ", "../etc/passwd"])
def test_bad_zones_are_refused_with_an_example(zone: str) -> None:
    with pytest.raises(ScheduleError, match="Europe/Berlin"):
        DailySchedule(1, 2, time(9), zone)


def test_zone_property_and_naive_now() -> None:
    s = sched("09:00", "Asia/Tokyo")
    assert s.zone is load_zone("Asia/Tokyo")
    with pytest.raises(ValueError, match="aware"):
        due_post(s, datetime(2026, 1, 1), None, grace=GRACE)
    with pytest.raises(ValueError, match="grace"):
        due_post(s, utc(2026, 1, 1), None, grace=timedelta(0))
    with pytest.raises(ValueError, match="grace"):
        due_post(s, utc(2026, 1, 1), None, grace=timedelta(hours=25))


def test_next_wakeup_takes_the_earliest_schedule() -> None:
    a = sched("09:00", "Europe/Berlin", guild=1)
    b = sched("08:47", "Asia/Tokyo", guild=2)
    now = utc(2026, 6, 1, 12, 0)  # Berlin's slot of today (07:00 UTC) was posted
    assert next_wakeup([(a, date(2026, 6, 1)), (b, None)], now) == utc(2026, 6, 1, 23, 47)
    assert next_wakeup([(a, None), (b, None)], now) == now  # unposted and within grace
    assert next_wakeup([], now) is None
    due = utc(2026, 6, 1, 7, 1)
    assert next_wakeup([(a, None), (b, None)], due) == due


# -- quote cycle -----------------------------------------------------------------------


def test_pick_for_date_cycles_without_repeats() -> None:
    order = ["c", "a", "d", "b"]
    used: set[str] = set()
    picked = []
    for _ in range(4):
        key, new_cycle = pick_for_date(order, used)
        assert not new_cycle
        picked.append(key)
        used.add(key)
    assert picked == order
    assert pick_for_date(order, used) == ("c", True)
    # keys that left the order (document disabled) do not block the cycle
    assert pick_for_date(["a", "b"], {"a", "zzz"}) == ("b", False)
    assert pick_for_date(["a", "b"], {"a", "b", "zzz"}) == ("a", True)


def test_pick_for_date_without_quotes() -> None:
    with pytest.raises(NotFound):
        pick_for_date([], set())


def test_post_nonce_is_short_deterministic_and_distinct() -> None:
    guild = 123456789012345678
    n = post_nonce(guild, date(2026, 1, 1))
    assert len(n) <= 25
    assert n == post_nonce(guild, date(2026, 1, 1))
    assert n != post_nonce(guild, date(2026, 1, 2))
    assert n != post_nonce(guild + 1, date(2026, 1, 1))


def test_now_outside_the_supported_range_is_a_value_error_not_an_overflow() -> None:
    from bot.core.daily import EARLIEST_NOW, LATEST_NOW

    for zone in ("Pacific/Kiritimati", "Etc/GMT+12", "America/New_York"):
        schedule = DailySchedule(1, 2, time(23, 59), zone)
        for edge in (EARLIEST_NOW, LATEST_NOW):
            assert len(next_send_times(schedule, edge, 3)) == 3
            assert next_wakeup([(schedule, None)], edge) is not None
        for outside in (datetime(9999, 12, 31, 23, 59, tzinfo=UTC), datetime(1, 1, 1, tzinfo=UTC)):
            with pytest.raises(ValueError, match="0002-01-01"):
                next_send_times(schedule, outside, 3)
