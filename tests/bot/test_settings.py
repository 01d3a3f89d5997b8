"""Settings: YAML safety, validation messages, whole-file behaviour, the example config.

The hand-made config files in ``tests/data/config`` (see ``tests/data/README.md``) hold
YAML traps: booleans, float ids, duplicate keys, Python tags, tabs, a token, a bad time zone."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml

from bot.settings import ConfigError, DailySchedule, Settings, load_settings
from tests.bot.settings_helpers import (
    CASES,
    EXAMPLE,
    REPO,
    SEEDS,
    case,
    config_error,
    model_keys,
    write,
)


def test_every_case_file_gives_config_error_or_settings(tmp_path, monkeypatch):
    """Each shipped config case is handled: a ConfigError or valid settings, never a crash."""
    monkeypatch.chdir(tmp_path)
    files = sorted(CASES.glob("*.y*ml"))
    assert files
    for path in files:
        try:
            settings: Settings | ConfigError = load_settings(path, env={})
        except ConfigError as error:
            settings = error
        if isinstance(settings, ConfigError):
            assert str(settings).startswith(str(path)), path.name
        else:
            assert isinstance(settings, Settings)
    assert not (tmp_path / "pwned.txt").exists()


def test_yaml_booleans_where_text_is_expected():
    message = config_error(case("norway_and_bools.yaml"))
    assert "corpus.language (line 4)" in message
    assert 'language: "no"' in message
    assert "bot.status_text (line 6)" in message
    assert 'status_text: "Off"' in message


def test_quoted_values_are_kept_as_text(tmp_path):
    path = write(
        tmp_path,
        """
        corpus:
          language: "no"
        bot:
          status_text: "Off"
        """,
    )
    settings = load_settings(path, env={})
    assert settings.corpus.language == "no"
    assert settings.bot.status_text == "Off"


def test_yaml_boolean_in_a_number_field_is_not_turned_into_one(tmp_path):
    path = write(tmp_path, "search:\n  limit: yes\n")
    message = config_error(path)
    assert "search.limit (line 2)" in message
    assert "boolean" in message
    assert "limit: 3" in message


def test_float_snowflake_rejected_naming_the_key():
    message = config_error(case("snowflake_float.yaml"))
    assert "daily[0].channel_id (line 4)" in message
    assert "integer or a quoted string" in message
    assert "1.2345678901234568e+17" in message
    assert "guild_id" not in message  # the quoted id is fine


def test_quoted_and_integer_snowflakes_accepted(tmp_path):
    text = case("snowflake_float.yaml").read_text(encoding="utf-8")
    fixed = text.replace("1.2345678901234568e+17", "234567890123456789")
    path = write(tmp_path, fixed)
    (schedule,) = load_settings(path, env={}).daily
    assert schedule.guild_id == 123456789012345678
    assert schedule.channel_id == 234567890123456789


@pytest.mark.parametrize(
    ("value", "phrase"),
    [
        ("1.5e+17", "integer or a quoted string"),
        ("0", "positive"),
        ("-5", "positive"),
        ('"12abc"', "digits"),
        ("18446744073709551616", "below 2**64"),
    ],
)
def test_bad_snowflakes_name_the_list_position(tmp_path, value, phrase):
    path = write(tmp_path, f"discord:\n  owner_ids: [123456789012345678, {value}]\n")
    message = config_error(path)
    assert "discord.owner_ids[1]" in message
    assert phrase in message


def test_duplicate_keys_name_key_and_both_lines():
    message = config_error(case("duplicate_keys.yaml"))
    assert "daily[0].channel_id" in message
    assert "'channel_id'" in message
    assert "line 4" in message
    assert "line 6" in message


def test_duplicate_keys_all_reported(tmp_path):
    path = write(
        tmp_path,
        """
        search:
          limit: 3
          limit: 4
        search:
          threshold: 50
        """,
    )
    message = config_error(path)
    assert "search.limit" in message
    assert "'search'" in message
    assert message.count("duplicate key") == 2


def test_python_tag_rejected_and_nothing_executed(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    message = config_error(case("python_tag.yaml"))
    assert "corpus.paths (line 3)" in message
    assert "!!python/object/apply:os.system" in message
    assert "nothing was" in message
    assert not (tmp_path / "pwned.txt").exists()


@pytest.mark.parametrize(
    "tag",
    [
        "!!python/object/apply:os.system",
        "!!python/object/new:os.system",
        "!!python/name:os.system",
        "!!python/module:os",
        "!env",
    ],
)
def test_any_tag_is_rejected_without_running(tmp_path, monkeypatch, tag):
    monkeypatch.chdir(tmp_path)
    path = write(tmp_path, f'corpus:\n  cache_dir: {tag} ["touch pwned.txt"]\n')
    message = config_error(path)
    assert "corpus.cache_dir (line 2)" in message
    assert tag.split(":")[0] in message
    assert not (tmp_path / "pwned.txt").exists()


def test_tabs_report_file_line_column_and_fix():
    path = case("tabs.yaml")
    message = config_error(path)
    assert message.startswith(str(path))
    assert "line 2, column 1" in message
    assert "line 4, column 11" in message  # the tab before the comment
    assert "replace tabs with spaces" in message


def test_unknown_key_reported_and_token_never_echoed():
    path = case("token_in_file.yaml")
    token = yaml.safe_load(path.read_text(encoding="utf-8"))["discord"]["token"]
    message = config_error(path)
    assert "discord.unknown_option (line 4)" in message
    assert "unknown key" in message
    assert token not in message
    assert token.split(".")[-1] not in message


def test_token_from_file_works_with_a_warning_and_stays_hidden(tmp_path, caplog):
    token = yaml.safe_load(case("token_in_file.yaml").read_text(encoding="utf-8"))["discord"][
        "token"
    ]
    path = write(tmp_path, f"discord:\n  token: {token}\n")
    settings = load_settings(path, env={})
    assert settings.token() == token
    assert any("DISCORD_TOKEN" in w for w in settings.warnings)
    for text in (repr(settings), str(settings), repr(settings.discord), *settings.warnings):
        assert token not in text
    assert token not in settings.model_dump_json()


def test_impossible_schedule_names_keys_values_and_examples():
    message = config_error(case("bad_timezone.yaml"))
    assert "daily[0].time (line 4)" in message
    assert '"25:61"' in message
    assert '"09:00"' in message
    assert "daily[0].timezone (line 5)" in message
    assert '"Mars/Olympus_Mons"' in message
    assert "Europe/Berlin" in message


def test_missing_file_says_to_copy_the_example(tmp_path):
    path = tmp_path / "nope.yaml"
    message = config_error(path)
    assert message.startswith(str(path))
    assert "config.example.yaml" in message


def test_every_problem_is_listed_with_value_and_example(tmp_path):
    path = write(
        tmp_path,
        """
        search:
          limit: 42
          threshold: 101
        summary:
          length: huge
        logging:
          level: LOUD
        serach:
          limit: 3
        """,
    )
    message = config_error(path)
    first, *rest = message.splitlines()
    assert first.startswith(str(path))
    assert "5 problems" in first
    assert "search.limit (line 3)" in message
    assert "got 42" in message
    assert "limit: 3" in message
    assert "search.threshold (line 4)" in message
    assert "got 101" in message
    assert "summary.length (line 6)" in message
    assert '"huge"' in message
    assert "logging.level (line 8)" in message
    assert "level: INFO" in message
    assert "serach (line 9)" in message
    assert "Did you mean search" in message
    assert len([line for line in rest if line.startswith("  - ")]) == 5


def test_min_query_chars_above_max_is_rejected(tmp_path):
    path = write(tmp_path, "search:\n  min_query_chars: 50\n  max_query_chars: 20\n")
    assert "min_query_chars (50) is larger than max_query_chars (20)" in config_error(path)


def test_top_level_must_be_a_mapping(tmp_path):
    path = write(tmp_path, "- a\n- b\n")
    assert "mapping of sections" in config_error(path)


def test_defaults_without_a_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    settings = load_settings(None, env={})
    assert settings.config_path is None
    assert settings.discord.token is None
    assert settings.token() is None
    assert settings.discord.sync_commands is False
    assert settings.discord.intents.enabled() == ()
    assert settings.corpus.paths == (SEEDS,)
    assert settings.corpus.language == "en"
    assert settings.corpus.cache_dir is None
    assert (settings.search.limit, settings.search.threshold) == (3, 70)
    assert (settings.search.min_query_chars, settings.search.max_query_chars) == (3, 300)
    assert settings.summary.length == "medium"
    assert settings.storage.path == tmp_path / "corpusbot.sqlite3"
    assert settings.scheduler.grace_minutes == 360
    assert settings.daily == ()
    assert settings.logging.level == "INFO"
    assert settings.warnings == ()


@pytest.mark.parametrize("text", ["", "# only comments\n", "discord:\n  # token: x\ncorpus:\n"])
def test_empty_file_and_empty_sections_mean_defaults(tmp_path, text):
    path = write(tmp_path, text)
    settings = load_settings(path, env={})
    assert settings.config_path == path.resolve()
    assert settings.search.limit == 3
    assert settings.corpus.paths == (SEEDS,)


def test_example_config_loads_with_the_documented_defaults(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    example = load_settings(EXAMPLE, env={})
    defaults = load_settings(None, env={})
    assert example.warnings == ()
    for section in ("discord", "corpus", "search", "summary", "scheduler", "logging", "bot"):
        assert getattr(example, section) == getattr(defaults, section), section
    assert example.storage.path == REPO / "corpusbot.sqlite3"


def test_example_config_documents_every_key():
    text = EXAMPLE.read_text(encoding="utf-8")
    written = set(re.findall(r"^[#\s-]*([a-z_]+):", text, flags=re.MULTILINE))
    top = [k for k in model_keys(Settings) if k not in ("warnings", "config_path", "origins")]
    leaves = {k.split(".")[-1] for k in top} | set(DailySchedule.model_fields)
    assert leaves <= written, leaves - written


def test_example_daily_entry_is_valid_when_uncommented(tmp_path):
    text = EXAMPLE.read_text(encoding="utf-8")
    text = text.replace("daily: []", "daily:")
    text = re.sub(r"^#(  [ -] )", r"\1", text, flags=re.MULTILINE)
    path = write(tmp_path, text)
    (schedule,) = load_settings(path, env={}).daily
    assert schedule.time == dt.time(9, 0)
    assert schedule.zone == ZoneInfo("Europe/Berlin")
    assert schedule.mention_role_id is None
    assert schedule.documents == ()


def test_unknown_keys_in_nested_sections_suggest_the_known_ones(tmp_path):
    path = write(
        tmp_path,
        """
        discord:
          intents:
            member: true
        daily:
          - guild_id: 123456789012345678
            chanel_id: 234567890123456789
            channel_id: 234567890123456789
            time: "09:00"
            timezone: UTC
        """,
    )
    message = config_error(path)
    assert "discord.intents.member (line 4): unknown key. Did you mean members?" in message
    assert "daily[0].chanel_id (line 7): unknown key. Did you mean channel_id?" in message
    assert "Known keys in daily[0]: guild_id, channel_id, time, timezone" in message


def test_unquoted_date_or_number_where_text_is_expected_suggests_quotes(tmp_path):
    path = write(tmp_path, "corpus:\n  language: 2024-01-01\nbot:\n  status_text: 1.0\n")
    message = config_error(path)
    assert 'write language: "2024-01-01"' in message
    assert 'write status_text: "1.0"' in message


@pytest.mark.parametrize(("written", "kept"), [("en", "en"), (" DE ", "de"), ("pt_BR", "pt-br")])
def test_language_codes_are_folded(tmp_path: Path, written: str, kept: str) -> None:
    path = write(tmp_path, f'corpus:\n  language: "{written}"\n')
    assert load_settings(path, env={}).corpus.language == kept


@pytest.mark.parametrize("written", ["English", "", "e", "en--us", "français"])
def test_a_language_name_is_refused_with_the_code_to_use(tmp_path: Path, written: str) -> None:
    message = config_error(write(tmp_path, f'corpus:\n  language: "{written}"\n'))
    assert "corpus.language (line 2)" in message
    assert "expected a language code such as en, de, fr or pt-br" in message
