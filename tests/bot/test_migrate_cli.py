"""``corpusbot migrate`` and ``storage.url``: the configured database is migrated and the
command says what it did, for SQLite and PostgreSQL."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.cli import main
from bot.migrate import redact
from bot.storage import MIGRATIONS, sqlite_path


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.chdir(tmp_path)
    for name in ("DISCORD_TOKEN", "CORPUSBOT_CONFIG", "CORPUSBOT_STORAGE", "CORPUSBOT_STORAGE_URL"):
        monkeypatch.delenv(name, raising=False)
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def test_migrate_a_new_sqlite_file_then_again(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "config.yaml"
    config.write_text("storage:\n  url: sqlite:///state/bot.sqlite3\n", encoding="utf-8")
    assert main(["migrate", "--config", str(config)]) == 0
    out = capsys.readouterr().out
    numbers = ", ".join(str(i) for i in range(1, len(MIGRATIONS) + 1))
    assert f"applied migration(s) {numbers}; schema version is now {len(MIGRATIONS)}" in out
    assert (tmp_path / "state" / "bot.sqlite3").exists()  # relative to the config's folder
    assert main(["migrate", "--config", str(config)]) == 0
    assert "already up to date" in capsys.readouterr().out


def test_migrate_postgres_hides_the_password(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with_password = postgres_url.replace("corpusbot@", "corpusbot:s3cret@")  # trust auth
    monkeypatch.setenv("CORPUSBOT_STORAGE_URL", with_password)
    assert main(["migrate"]) == 0
    out = capsys.readouterr().out
    assert "PostgreSQL database postgresql://corpusbot:***@" in out
    assert f"schema version is now {len(MIGRATIONS)}" in out
    assert "s3cret" not in out


def test_an_unknown_storage_url_scheme_names_the_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "config.yaml"
    config.write_text("storage:\n  url: mysql://x@y/z\n", encoding="utf-8")
    assert main(["migrate", "--config", str(config)]) == 2
    err = capsys.readouterr().err
    assert "storage.url" in err
    assert "postgresql://" in err


def test_sqlite_urls_follow_the_three_and_four_slash_convention() -> None:
    assert sqlite_path("sqlite:///rel/x.db") == Path("rel/x.db")
    assert sqlite_path("sqlite:////abs/x.db") == Path("/abs/x.db")
    assert sqlite_path("plain.sqlite3") == Path("plain.sqlite3")
    assert sqlite_path("postgresql://u@h/db") is None
    with pytest.raises(ValueError, match="names no file"):
        sqlite_path("sqlite://")
    assert redact("postgresql://u:pw@h:5/db") == "postgresql://u:***@h:5/db"
