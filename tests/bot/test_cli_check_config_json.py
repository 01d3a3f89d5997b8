"""``corpusbot check --json`` with a configuration that cannot be used: JSON on stdout, exit 2."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.cli import main

CONFIGS = Path(__file__).resolve().parents[1] / "data" / "config"


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.chdir(tmp_path)
    for name in ("DISCORD_TOKEN", "CORPUSBOT_CONFIG", "CORPUSBOT_STORAGE"):
        monkeypatch.delenv(name, raising=False)
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def test_invalid_config_prints_its_problems_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    config = CONFIGS / "bad_timezone.yaml"
    assert main(["--config", str(config), "check", "--json"]) == 2
    out, err = capsys.readouterr()
    record = json.loads(out)
    assert record["ok"] is False
    assert record["config"] == str(config)
    keys = [(p["key"], p["line"]) for p in record["config_problems"]]
    assert keys == [("daily[0].time", 4), ("daily[0].timezone", 5)]
    assert "Mars/Olympus_Mons" in record["config_problems"][1]["message"]
    assert "daily[0].timezone" in err  # the readable message still goes to stderr


def test_a_problem_of_the_whole_file_has_no_key_but_its_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["--config", str(CONFIGS / "tabs.yaml"), "check", "--json"]) == 2
    problems = json.loads(capsys.readouterr().out)["config_problems"]
    assert problems[0]["key"] is None
    assert problems[0]["line"] == 2
    assert "replace tabs with spaces" in problems[0]["message"]


def test_a_missing_corpus_folder_is_a_keyed_problem(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--corpus", "nowhere", "check", "--json"]) == 2
    [problem] = json.loads(capsys.readouterr().out)["config_problems"]
    assert problem["key"] == "corpus.paths[0]"
    assert "nowhere does not exist" in problem["message"]


def test_without_json_stdout_stays_empty(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--config", str(CONFIGS / "bad_timezone.yaml"), "check"]) == 2
    assert capsys.readouterr().out == ""
