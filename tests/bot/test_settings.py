"""Settings: YAML safety, validation messages, overrides, secrecy, immutability.

The hand-made config files in ``tests/data/config`` (see ``tests/data/README.md``) hold
YAML traps: booleans, float ids, duplicate keys, Python tags, tabs, a token, a bad time zone.
"""

from __future__ import annotations

import datetime as dt
import re
import textwrap
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml
from pydantic import BaseModel, ValidationError

import bot
from bot.settings import ConfigError, DailySchedule, Settings, load_settings

REPO = Path(__file__).resolve().parents[2]
CASES = REPO / "tests" / "data" / "config"  # see tests/data/README.md
EXAMPLE = REPO / "config.example.yaml"
SEEDS = Path(bot.__file__).resolve().parent.parent / "seeds"
TOKEN = "MTIzNDU2Nzg5MDEyMzQ1Njc4.GhIjKl.AnotherFakeTokenThatLooksReal_abc123"


def write(tmp_path: Path, text: str, name: str = "config.yaml") -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def config_error(path: Path | None, **kwargs: object) -> str:
    with pytest.raises(ConfigError) as info:
        load_settings(path, env=kwargs.pop("env", {}), **kwargs)  # type: ignore[arg-type]
    return str(info.value)


# ------------------------------------------------------------------------------------------
# Reported cases
# ------------------------------------------------------------------------------------------


def case(name: str) -> Path:
    return CASES / name


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


# ------------------------------------------------------------------------------------------
# Times and zones
# ------------------------------------------------------------------------------------------

DAILY = """
daily:
  - guild_id: 123456789012345678
    channel_id: 234567890123456789
    time: {time}
    timezone: {zone}
"""


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


# ------------------------------------------------------------------------------------------
# Whole-file behaviour
# ------------------------------------------------------------------------------------------


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


# ------------------------------------------------------------------------------------------
# Example config
# ------------------------------------------------------------------------------------------


def _keys(model: type[BaseModel], prefix: str = "") -> list[str]:
    keys = []
    for name, field in model.model_fields.items():
        keys.append(prefix + name)
        annotation = field.annotation
        candidates = [annotation, *getattr(annotation, "__args__", ())]
        for candidate in candidates:
            if isinstance(candidate, type) and issubclass(candidate, BaseModel):
                keys.extend(_keys(candidate, prefix + name + "."))
    return keys


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
    top = [k for k in _keys(Settings) if k not in ("warnings", "config_path", "origins")]
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


# ------------------------------------------------------------------------------------------
# Overrides
# ------------------------------------------------------------------------------------------


def test_environment_overrides_win(tmp_path, monkeypatch):
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    path = write(
        tmp_path / "conf",
        f"""
        discord:
          token: {TOKEN}
          api_base: http://127.0.0.1:1/api/v10
          dev_guild_id: 1
        storage:
          path: file.sqlite3
        logging:
          level: INFO
        """,
    )
    env = {
        "DISCORD_TOKEN": " env-token-value ",
        "CORPUSBOT_API_BASE": "http://127.0.0.1:8080/api/v10/",
        "CORPUSBOT_GATEWAY_URL": "ws://127.0.0.1:8080/gateway",
        "CORPUSBOT_DEV_GUILD_ID": "123456789012345678",
        "CORPUSBOT_STORAGE": "state/bot.sqlite3",
        "CORPUSBOT_LOG_LEVEL": "debug",
    }
    settings = load_settings(path, env=env)
    assert settings.token() == "env-token-value"
    assert settings.discord.api_base == "http://127.0.0.1:8080/api/v10"
    assert settings.discord.gateway_url == "ws://127.0.0.1:8080/gateway"
    assert settings.discord.dev_guild_id == 123456789012345678
    assert settings.storage.path == work / "state" / "bot.sqlite3"
    assert settings.logging.level == "DEBUG"
    (note,) = settings.warnings
    assert "prefer DISCORD_TOKEN" in note
    assert "wins" in note
    assert TOKEN not in note


def test_empty_environment_variables_are_ignored(tmp_path):
    path = write(tmp_path, "logging:\n  level: WARNING\n")
    settings = load_settings(path, env={"CORPUSBOT_LOG_LEVEL": "", "DISCORD_TOKEN": "  "})
    assert settings.logging.level == "WARNING"
    assert settings.token() is None


def test_os_environ_is_the_default(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CORPUSBOT_LOG_LEVEL", "ERROR")
    monkeypatch.setenv("DISCORD_TOKEN", TOKEN)
    settings = load_settings()
    assert settings.logging.level == "ERROR"
    assert settings.token() == TOKEN
    assert settings.warnings == ()


def test_bad_environment_value_names_the_variable(tmp_path):
    message = config_error(
        None, env={"CORPUSBOT_DEV_GUILD_ID": "my-server", "CORPUSBOT_API_BASE": "localhost:80"}
    )
    assert message.startswith("configuration (no config file)")
    assert "discord.dev_guild_id (from the environment variable CORPUSBOT_DEV_GUILD_ID)" in message
    assert "discord.api_base (from the environment variable CORPUSBOT_API_BASE)" in message
    assert "http://" in message


def test_relative_paths_resolve_against_the_config_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    absolute = tmp_path / "elsewhere"
    path = write(
        tmp_path,
        f"""
        corpus:
          paths: [docs, ../shared-docs, {absolute}]
          cache_dir: cache
        storage:
          path: db/state.sqlite3
        """,
        name="deploy/config.yaml",
    )
    folder = tmp_path / "deploy"
    settings = load_settings(path, env={})
    assert settings.corpus.paths == (folder / "docs", folder / "../shared-docs", absolute)
    assert settings.corpus.cache_dir == folder / "cache"
    assert settings.storage.path == folder / "db" / "state.sqlite3"


def test_single_corpus_path_string_is_accepted(tmp_path):
    path = write(tmp_path, "corpus:\n  paths: texts\n")
    assert load_settings(path, env={}).corpus.paths == (tmp_path / "texts",)


def test_cli_corpus_paths_replace_the_file_and_resolve_against_cwd(tmp_path, monkeypatch):
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    path = write(tmp_path, "corpus:\n  paths: [docs]\n")
    settings = load_settings(path, env={}, corpus_paths=[Path("mine"), tmp_path / "abs"])
    assert settings.corpus.paths == (work / "mine", tmp_path / "abs")


# ------------------------------------------------------------------------------------------
# Secrecy, intents, immutability
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "discord:\n  token: {token}\nsearch:\n  limit: 99\n",  # error elsewhere
        "discord:\n  tokn: {token}\n",  # misspelt key: an unknown key's value is never shown
        "discord:\n  token: [{token}]\n",  # wrong type for the token itself
        "search:\n  limit: {token}\n",  # pasted in the wrong place
        "corpus:\n  language: [{token}]\n",
    ],
)
def test_token_never_appears_in_errors(tmp_path, body):
    path = write(tmp_path, body.format(token=TOKEN))
    message = config_error(path)
    assert "line 2" in message or "line 4" in message
    for secret in (TOKEN, TOKEN.split(".")[0], TOKEN.split(".")[-1]):
        assert secret not in message


def test_environment_token_never_appears_in_errors(tmp_path):
    secret = "env-secret-token-value"
    path = write(tmp_path, "search:\n  limit: env-secret-token-value\n")
    message = config_error(path, env={"DISCORD_TOKEN": secret})
    assert "search.limit (line 2)" in message
    assert secret not in message


def test_env_token_never_in_repr_or_str():
    settings = load_settings(None, env={"DISCORD_TOKEN": TOKEN})
    assert settings.token() == TOKEN
    for text in (repr(settings), str(settings), repr(settings.discord), f"{settings}"):
        assert TOKEN not in text
        assert "**********" in text


def test_privileged_intents_warn_with_the_portal_switches(tmp_path):
    path = write(tmp_path, "discord:\n  intents:\n    members: true\n    message_content: true\n")
    settings = load_settings(path, env={})
    assert settings.discord.intents.enabled() == ("members", "message_content")
    (note,) = settings.warnings
    assert "Bot → Privileged Gateway Intents → Server Members Intent" in note
    assert "Bot → Privileged Gateway Intents → Message Content Intent" in note
    assert "Presence Intent" not in note


def test_settings_are_frozen(tmp_path):
    path = write(tmp_path, DAILY.format(time='"09:00"', zone="UTC"))
    settings = load_settings(path, env={})
    with pytest.raises(ValidationError):
        settings.search.limit = 5  # type: ignore[misc]
    with pytest.raises(ValidationError):
        settings.daily[0].timezone = "Europe/Berlin"  # type: ignore[misc]
    with pytest.raises(ValidationError):
        settings.warnings = ("x",)  # type: ignore[misc]
    assert isinstance(settings.daily, tuple)
    assert isinstance(settings.corpus.paths, tuple)
    assert isinstance(settings.discord.owner_ids, tuple)


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


def test_two_daily_entries_for_one_guild_are_refused(tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    entry = '  - guild_id: 123456789012345678\n    channel_id: {c}\n    time: "09:00"\n    timezone: UTC\n'
    config.write_text("daily:\n" + entry.format(c=1) + entry.format(c=2), encoding="utf-8")
    with pytest.raises(ConfigError, match=r"daily\[1\] repeats the guild_id of daily\[0\]"):
        load_settings(config, env={})


@pytest.mark.parametrize(("written", "kept"), [("en", "en"), (" DE ", "de"), ("pt_BR", "pt-br")])
def test_language_codes_are_folded(tmp_path: Path, written: str, kept: str) -> None:
    path = write(tmp_path, f'corpus:\n  language: "{written}"\n')
    assert load_settings(path, env={}).corpus.language == kept


@pytest.mark.parametrize("written", ["English", "", "e", "en--us", "français"])
def test_a_language_name_is_refused_with_the_code_to_use(tmp_path: Path, written: str) -> None:
    message = config_error(write(tmp_path, f'corpus:\n  language: "{written}"\n'))
    assert "corpus.language (line 2)" in message
    assert "expected a language code such as en, de, fr or pt-br" in message


def test_an_empty_corpus_paths_asks_for_a_folder_or_file(tmp_path: Path) -> None:
    message = config_error(write(tmp_path, "corpus:\n  paths: []\n"))
    assert "corpus.paths (line 2): needs at least one folder or file" in message
    assert "for example: paths: [seeds]" in message
    assert "at least 1 item" not in message


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


def test_storage_check_names_the_key_and_its_source(tmp_path: Path) -> None:
    from bot.settings import check_storage

    check_storage(load_settings(None, env={"CORPUSBOT_STORAGE": str(tmp_path / "ok.sqlite3")}))
    check_storage(load_settings(None, env={"CORPUSBOT_STORAGE": ":memory:"}))
    from_file = load_settings(write(tmp_path, f"storage:\n  path: {tmp_path}\n"), env={})
    with pytest.raises(ConfigError) as info:
        check_storage(from_file)
    assert info.value.problems[0].startswith(f"storage.path: {tmp_path} is a folder")
    from_env = load_settings(None, env={"CORPUSBOT_STORAGE": str(tmp_path)})
    with pytest.raises(ConfigError) as info:
        check_storage(from_env)
    assert "storage.path (from the environment variable CORPUSBOT_STORAGE)" in str(info.value)


# ------------------------------------------------------------------------------------------
# Empty corpus paths, time-zone abbreviations and UTC offsets
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("paths", ['[""]', '"  "', "[seeds, '']"])
def test_an_empty_corpus_path_is_refused_naming_the_key(tmp_path, paths):
    (tmp_path / "seeds").mkdir()
    path = write(tmp_path, f"corpus:\n  paths: {paths}\n")
    message = config_error(path)
    assert "corpus.paths[" in message
    assert "an empty path" in message


def test_an_empty_corpus_option_is_refused_naming_the_option(tmp_path):
    message = config_error(None, corpus_paths=[""])
    assert "corpus.paths[0] (from --corpus): an empty path" in message


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
