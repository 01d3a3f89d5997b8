"""The corpus store through ``corpusbot check``: what it keeps on disk, and what it reuses."""

from __future__ import annotations

import json
import logging
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.cli import main

TEXTS = {
    "harbour": "The Harbour\n\nThe gulls were loud over the quay that morning, and the bells rang. "
    "Nobody on the pier said a word while the ship left at noon.\n\n"
    "“A grey sea makes a patient sailor,” said the old pilot, watching the waves.\n",
    "orchard": "The Orchard\n\nApples fell in the long grass all through September, and the wasps "
    "found every one of them before the children did.\n\n"
    "“Pick them early,” said her grandmother, “or the birds will have the lot.”\n",
}


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


def _corpus(folder: Path) -> Path:
    folder.mkdir(parents=True)
    for name, text in TEXTS.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    return folder


def _check(folder: Path, capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["check", "--corpus", str(folder)]) == 0
    return capsys.readouterr().out


def _records(store: Path, kind: str) -> list[Path]:
    return sorted((store / kind).glob("*.rec"))


def test_a_changed_file_leaves_one_index_and_one_record_per_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _corpus(tmp_path / "corpus")
    _check(folder, capsys)
    store = tmp_path / ".corpusbot-cache"
    first_index = [p.parent for p in (store / "index").glob("*/meta.json")]
    assert len(first_index) == 1
    for edit in ("The tide turned.", "The tide turned again."):
        with (folder / "harbour.txt").open("a", encoding="utf-8") as handle:
            handle.write(f"\n{edit}\n")
        assert "1 parsed, 1 derived" in _check(folder, capsys)
    # at once, not after a grace period: the index and records the old text used are gone
    indexes = [p.parent for p in (store / "index").glob("*/meta.json")]
    assert len(indexes) == 1
    assert indexes != first_index
    assert not [p for p in (store / "index").iterdir() if p not in indexes]
    assert len(_records(store, "files")) == len(_records(store, "documents")) == 2
    assert len(_records(store, "derived")) == 2
    (folder / "orchard.txt").unlink()  # a removed file's records go too
    _check(folder, capsys)
    assert len(_records(store, "files")) == len(_records(store, "documents")) == 1
    assert len(_records(store, "derived")) == 1
    assert len(list((store / "index").glob("*/meta.json"))) == 1


def test_another_corpus_in_the_same_store_keeps_its_records(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = _corpus(tmp_path / "first")
    second = tmp_path / "second"
    second.mkdir()
    (second / "harbour.txt").write_text(TEXTS["harbour"] + "\nThe tide turned.\n", "utf-8")
    _check(first, capsys)
    _check(second, capsys)
    with (second / "harbour.txt").open("a", encoding="utf-8") as handle:
        handle.write("\nThe tide turned again.\n")
    _check(second, capsys)
    out = _check(first, capsys)
    # the first corpus was not pruned by the second's edits
    assert "2 documents, 2 with quotes and summaries, search index" in out
    assert "0 parsed, 0 derived" in out


def test_a_moved_corpus_folder_is_read_from_the_store_under_its_new_path(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _corpus(tmp_path / "corpus")
    (folder / "corpus.yaml").write_text(
        "documents:\n  orchard.txt:\n    author: Mary Webb\n", encoding="utf-8"
    )
    _check(folder, capsys)
    moved = tmp_path / "elsewhere" / "renamed"
    moved.parent.mkdir()
    shutil.move(folder, moved)
    out = _check(moved, capsys)
    assert "2 documents, 2 with quotes and summaries, search index" in out  # from the store
    assert "0 parsed, 0 derived" in out
    assert main(["show", "orchard", "--json", "--corpus", str(moved)]) == 0
    (shown,) = json.loads(capsys.readouterr().out)
    assert shown["path"] == str(moved / "orchard.txt")
    assert shown["author"] == "Mary Webb"
    # and again at the new path (the corpus record of these paths), still the new path
    assert "0 parsed, 0 derived" in _check(moved, capsys)
    assert main(["show", "harbour", "--json", "--corpus", str(moved)]) == 0
    assert json.loads(capsys.readouterr().out)[0]["path"] == str(moved / "harbour.txt")
