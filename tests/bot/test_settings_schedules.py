"""Settings: the daily schedules of the config (times YAML misreads, ids, time zones, documents)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.settings import ConfigError, load_settings
from tests.bot.settings_helpers import (
    DAILY,
    config_error,
    write,
)


@pytest.mark.parametrize(
    ("time", "expected"),
    [('"09:00"', dt.time(9, 0)), ('"23:59"', dt.time(23, 59)), ("'7:05'", dt.time(7, 5))],
)
def test_valid_times_parse(tmp_path, time, expected):
    path = write(tmp_path, DAILY.format(time=time, zone="Asia/Tokyo"))
    (schedule,) = load_settings(path, env={}).daily
    assert schedule.time == expected
    assert schedule.timezone == "Asia/Tokyo"
    assert schedule.zone == ZoneInfo("Asia/Tokyo")


@pytest.mark.parametrize("time", ['"24:00"', '"12:60"', '"9"', '"noon"', '"09:00:00"'])
def test_invalid_times_rejected(tmp_path, time):
    path = write(tmp_path, DAILY.format(time=time, zone="UTC"))
    message = config_error(path)
    assert "daily[0].time" in message
    assert "HH:MM" in message


def test_unquoted_sexagesimal_time_asks_for_quotes(tmp_path):
    path = write(tmp_path, DAILY.format(time="10:30", zone="UTC"))
    message = config_error(path)
    assert "daily[0].time (line 5)" in message
    assert 'time: "10:30"' in message
    assert "630" in message


def test_a_bare_number_for_a_time_suggests_the_time_yaml_made_it_from(tmp_path):
    # 600 is what YAML 1.1 makes of an unquoted 10:00; quoting "600" would still be invalid.
    path = write(tmp_path, DAILY.format(time="600", zone="UTC"))
    message = config_error(path)
    assert "daily[0].time (line 5)" in message
    assert 'time: "10:00"' in message
    assert '"600"' not in message


@pytest.mark.parametrize(
    ("written", "form", "number"),
    [
        ("012345670123456701", "octal", "367639558774209"),
        ("1:2:3", "base-60", "3723"),
        ("0b1010", "binary", "10"),
        ("0x1F", "hexadecimal", "31"),
    ],
)
def test_ids_yaml_reads_as_non_decimal_numbers_are_refused_naming_the_key(
    tmp_path, written, form, number
):
    path = write(tmp_path, f"discord:\n  dev_guild_id: {written}\n")
    message = config_error(path)
    assert "discord.dev_guild_id (line 2)" in message
    assert f"{written} as the {form} number" in message
    assert number in message


def test_an_id_in_plain_digits_or_quotes_is_still_accepted(tmp_path):
    path = write(tmp_path, 'discord:\n  dev_guild_id: "012345670123456701"\n')
    assert load_settings(path, env={}).discord.dev_guild_id == 12345670123456701


@pytest.mark.parametrize(
    ("zone", "suggestion"),
    [("Europe/Berln", "Europe/Berlin"), ("America/Sao_Pualo", "America/Sao_Paulo")],
)
def test_close_time_zone_names_are_suggested(tmp_path, zone, suggestion):
    path = write(tmp_path, DAILY.format(time='"09:00"', zone=zone))
    message = config_error(path)
    assert f"Did you mean {suggestion}" in message


def test_time_zone_case_is_forgiven_as_in_daily_set(tmp_path):
    path = write(tmp_path, DAILY.format(time='"09:00"', zone="europe/berlin"))
    assert load_settings(path, env={}).daily[0].timezone == "Europe/Berlin"


def test_missing_schedule_keys_are_named(tmp_path):
    path = write(tmp_path, "daily:\n  - guild_id: 123456789012345678\n")
    message = config_error(path)
    for key in ("channel_id", "time", "timezone"):
        assert f"daily[0].{key}" in message
    assert "required key is missing" in message


def test_two_daily_entries_for_one_guild_are_refused(tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    entry = '  - guild_id: 123456789012345678\n    channel_id: {c}\n    time: "09:00"\n    timezone: UTC\n'
    config.write_text("daily:\n" + entry.format(c=1) + entry.format(c=2), encoding="utf-8")
    with pytest.raises(ConfigError, match=r"daily\[1\] repeats the guild_id of daily\[0\]"):
        load_settings(config, env={})


def test_daily_documents_are_checked_against_the_loaded_ids(tmp_path: Path) -> None:
    from bot.settings import check_daily_documents

    settings = load_settings(
        write(
            tmp_path,
            """\
            daily:
              - {guild_id: 1, channel_id: 2, time: "09:00", timezone: UTC, documents: [essay-one]}
              - {guild_id: 3, channel_id: 4, time: "09:00", timezone: UTC,
                 documents: [essay-onw, My Essay]}
            """,
        ),
        env={},
    )
    ids = {"essay-one", "diary", "letters"}
    with pytest.raises(ConfigError) as info:
        check_daily_documents(settings, ids, aliases={"my essay": "letters"})
    problems = info.value.problems
    assert len(problems) == 2
    assert problems[0].startswith('daily[1].documents[0]: no document has the id "essay-onw"')
    assert "Did you mean essay-one?" in problems[0]
    assert problems[1].startswith("daily[1].documents[1]")
    assert "Did you mean letters?" in problems[1]
    assert all("Document ids: diary, essay-one, letters." in p for p in problems)
    check_daily_documents(settings, {"essay-one", "essay-onw", "My Essay"})  # all known: fine


@pytest.mark.parametrize(
    ("zone", "suggestion"),
    [("PST", "America/Los_Angeles"), ("IST", "Asia/Kolkata"), ("EST", "America/New_York")],
)
def test_time_zone_abbreviations_are_refused_with_their_zones(tmp_path, zone, suggestion):
    path = write(tmp_path, DAILY.format(time='"09:00"', zone=zone))
    message = config_error(path)
    assert "daily[0].timezone (line 6)" in message
    assert "ambiguous" in message
    assert suggestion in message


def test_a_utc_offset_in_the_config_means_that_offset(tmp_path):
    path = write(tmp_path, DAILY.format(time='"09:00"', zone='"UTC+2"'))
    [schedule] = load_settings(path, env={}).daily
    assert schedule.timezone == "Etc/GMT-2"
