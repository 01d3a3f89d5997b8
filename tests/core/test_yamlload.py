"""The one strict YAML loader shared by settings, corpus.yaml manifests and front matter."""

from __future__ import annotations

import copy
import pickle
from pathlib import Path

import pytest
import yaml

from bot.core import yamlload
from bot.core.loader import load_corpus


def test_duplicate_keys_are_reported_with_both_lines() -> None:
    loaded = yamlload.load("a: 1\nb:\n  c: 2\n  c: 3\na: 4\n")
    found = {(d.key, d.first, d.second, d.top_level) for d in loaded.duplicates}
    assert found == {("c", 3, 4, False), ("a", 1, 5, True)}
    assert "on line 1 and again on line 5" in loaded.duplicates[0].message


def test_tabs_are_reported_with_line_and_column() -> None:
    text = "a: 1\n\tb: 2\n"
    with pytest.raises(yaml.MarkedYAMLError) as info:
        yamlload.load(text)
    (problem,) = yamlload.syntax_problems(text, info.value)
    assert (problem.line, problem.column) == (2, 1)
    assert "replace tabs with spaces" in problem.message


def test_unsafe_tags_are_recorded_and_never_constructed() -> None:
    loaded = yamlload.load("a: !!python/object/apply:os.system ['echo hi']\nb: !custom x\n")
    assert loaded.data == {"a": None, "b": None}
    assert [t.tag for t in loaded.rejected_tags] == ["!!python/object/apply:os.system", "!custom"]


@pytest.mark.parametrize(
    ("written", "value", "form"),
    [
        ("0123", 83, "octal"),
        ("1:2:3", 3723, "base-60"),
        ("0b1010", 10, "binary"),
        ("0x1F", 31, "hexadecimal"),
    ],
)
def test_non_decimal_integers_keep_the_text_as_written(written: str, value: int, form: str) -> None:
    data = yamlload.load(f"n: {written}\n").data["n"]
    assert isinstance(data, yamlload.WrittenInt)
    assert (int(data), data.written, data.form) == (value, written, form)
    assert copy.deepcopy(data).written == written
    assert pickle.loads(pickle.dumps(data)).form == form


@pytest.mark.parametrize("written", ["0", "10", "1_000", "-7"])
def test_decimal_integers_are_plain_ints(written: str) -> None:
    assert type(yamlload.load(f"n: {written}\n").data["n"]) is int


def test_an_impossible_date_loses_one_key_not_the_document() -> None:
    data = yamlload.load("date: 2020-02-30\ntitle: T\n").data
    assert isinstance(data["date"], yamlload.InvalidValue)
    assert data["title"] == "T"


def test_the_corpus_manifest_uses_the_same_loader(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Some text here.\n", encoding="utf-8")
    (tmp_path / "corpus.yaml").write_text("documents:\n\ta.txt:\n    title: X\n", encoding="utf-8")
    corpus = load_corpus([tmp_path])
    (problem,) = corpus.problems
    assert "line 2, column 1" in problem.reason
    assert "replace tabs with spaces" in problem.reason
    assert len(corpus.documents) == 1
