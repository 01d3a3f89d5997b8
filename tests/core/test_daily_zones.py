"""Time-zone input for the daily post: IANA names, UTC offsets, abbreviations and cities,
what is accepted, what is suggested, and how zones are labelled."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.core.daily import (
    ScheduleError,
)


def test_canonical_zone_fixes_case_and_suggests_close_names() -> None:
    from bot.core.daily import canonical_zone

    assert canonical_zone(" europe/berlin ") == "Europe/Berlin"
    assert canonical_zone("America/New York") == "America/New_York"
    with pytest.raises(ScheduleError, match="Did you mean Europe/Berlin"):
        canonical_zone("Europe/Berln")


# ---- time-zone input: offsets, abbreviations, cities -------------------------------------------


@pytest.mark.parametrize(
    ("typed", "zone", "hours"),
    [("UTC+2", "Etc/GMT-2", 2), ("GMT+2", "Etc/GMT-2", 2), ("+02:00", "Etc/GMT-2", 2),
     ("utc -5", "Etc/GMT+5", -5), ("UTC+14", "Etc/GMT-14", 14), ("GMT-12", "Etc/GMT+12", -12)],
)  # fmt: skip
def test_utc_offsets_map_to_the_zone_with_that_real_offset(
    typed: str, zone: str, hours: int
) -> None:
    from bot.core.daily import canonical_zone, timezone_suggestions

    assert canonical_zone(typed) == zone
    label, value = timezone_suggestions(typed)[0]
    assert value == zone
    assert label == f"UTC{hours:+d}"
    offset = datetime(2026, 7, 1, tzinfo=UTC).astimezone(ZoneInfo(zone)).utcoffset()
    assert offset == timedelta(hours=hours)


def test_etc_gmt_names_are_labelled_with_their_real_offset() -> None:
    from bot.core.daily import timezone_suggestions, zone_label, zone_offset_note

    # typing the POSIX name still finds it, but the label says it is UTC-2
    assert ("UTC-2 (Etc/GMT+2)", "Etc/GMT+2") in timezone_suggestions("GMT+2")
    assert zone_label("Etc/GMT+2") == "UTC-2 (Etc/GMT+2)"
    assert zone_label("Europe/Berlin") == "Europe/Berlin"
    note = zone_offset_note("Etc/GMT+2")
    assert note is not None
    assert "UTC-2" in note
    assert "Etc/GMT-2" in note
    assert zone_offset_note("Europe/Berlin") is None
    assert zone_offset_note("Etc/GMT+0") is None


@pytest.mark.parametrize(
    ("abbr", "expected"),
    [("PST", "America/Los_Angeles"), ("pdt", "America/Los_Angeles"), ("EST", "America/New_York"),
     ("CST", "America/Chicago"), ("MST", "America/Denver"), ("IST", "Asia/Kolkata"),
     ("CEST", "Europe/Berlin"), ("CET", "Europe/Paris"), ("BST", "Europe/London"),
     ("JST", "Asia/Tokyo"), ("AEST", "Australia/Sydney")],
)  # fmt: skip
def test_abbreviations_are_suggested_never_accepted(abbr: str, expected: str) -> None:
    from bot.core.daily import canonical_zone, timezone_choices

    assert expected in timezone_choices(abbr)[:3]
    with pytest.raises(ScheduleError, match=f"ambiguous.*{expected}") as caught:
        canonical_zone(abbr)  # even EST, MST, CET, which are legacy tz database names
    assert abbr in str(caught.value)


def test_ist_suggests_india_israel_and_ireland() -> None:
    from bot.core.daily import timezone_choices

    assert timezone_choices("IST")[:3] == ["Asia/Kolkata", "Asia/Jerusalem", "Europe/Dublin"]


@pytest.mark.parametrize(
    ("typed", "zone"),
    [("São Paulo", "America/Sao_Paulo"), ("sao paulo", "America/Sao_Paulo"),
     ("new york", "America/New_York"), ("Mumbai", "Asia/Kolkata"), ("Bombay", "Asia/Kolkata"),
     ("delhi", "Asia/Kolkata"), ("beijing", "Asia/Shanghai"), ("Zürich", "Europe/Zurich"),
     ("port au prince", "America/Port-au-Prince")],
)  # fmt: skip
def test_cities_fold_accents_and_spaces_and_know_common_aliases(typed: str, zone: str) -> None:
    from bot.core.daily import canonical_zone, timezone_choices

    assert timezone_choices(typed)[0] == zone
    with pytest.raises(ScheduleError, match=f"Did you mean {zone}"):
        canonical_zone(typed)  # a city is a suggestion, not a zone name


def test_part_hour_and_out_of_range_offsets_are_explained() -> None:
    from bot.core.daily import canonical_zone, timezone_choices

    assert timezone_choices("UTC+5:30")[0] == "Asia/Kolkata"
    with pytest.raises(ScheduleError, match="Asia/Kolkata"):
        canonical_zone("UTC+5:30")
    with pytest.raises(ScheduleError, match="UTC-12 to UTC\\+14"):
        canonical_zone("UTC+15")


def test_every_suggestion_is_accepted_and_fits_discord() -> None:
    from bot.core.daily import canonical_zone, timezone_suggestions

    for typed in ("", "a", "GMT+2", "PST", "IST", "CEST", "São Paulo", "mumbai", "EST", "UTC+5:30"):
        pairs = timezone_suggestions(typed)
        assert 0 < len(pairs) <= 25
        for label, value in pairs:
            assert canonical_zone(value) == value
            assert 1 <= len(label) <= 100
