"""Settings: environment and CLI overrides, paths, secrecy of the token, intents, immutability."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from bot.settings import ConfigError, load_settings
from tests.bot.settings_helpers import (
    DAILY,
    TOKEN,
    config_error,
    write,
)


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


def test_an_empty_corpus_paths_asks_for_a_folder_or_file(tmp_path: Path) -> None:
    message = config_error(write(tmp_path, "corpus:\n  paths: []\n"))
    assert "corpus.paths (line 2): needs at least one folder or file" in message
    assert "for example: paths: [seeds]" in message
    assert "at least 1 item" not in message


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
