"""Which copy of a duplicated document is kept: never decided by a file that arrives later."""

from __future__ import annotations

import os
from pathlib import Path

from bot.core.loader import load_corpus
from tests.core.loader_helpers import write

STORY = "Persuasion\n\n" + "\n\n".join(
    f"Paragraph {n}: Anne walked along the Cobb at Lyme while the {w} watched the grey sea."
    for n, w in enumerate(["captain", "admiral", "sister", "cousin", "friend", "sailor"] * 3)
)


def _aged(path: Path, seconds_ago: int) -> Path:
    when = path.stat().st_mtime - seconds_ago
    os.utime(path, (when, when))
    return path


def test_a_copy_dropped_in_later_does_not_rename_the_document(tmp_path: Path) -> None:
    original = _aged(write(tmp_path / "sub" / "persuasion.txt", STORY), 3600)
    assert [d.id for d in load_corpus([tmp_path])] == ["persuasion"]
    # The copy sorts first (top folder) but is newer: the known document keeps its id.
    copy = write(tmp_path / "persuasion-again.txt", STORY)
    corpus = load_corpus([tmp_path])
    assert [(d.id, d.path) for d in corpus] == [("persuasion", str(original))]
    [problem] = corpus.problems
    assert problem.path == str(copy)
    assert not problem.fatal
    assert problem.reason == (
        f"duplicate of {original} (the same text): loaded once, as 'persuasion'"
    )


def test_a_copy_with_the_same_name_does_not_take_the_id(tmp_path: Path) -> None:
    original = _aged(write(tmp_path / "b" / "persuasion.txt", STORY), 3600)
    write(tmp_path / "a" / "persuasion.txt", STORY)  # loaded first, but newer
    corpus = load_corpus([tmp_path])
    assert [(d.id, d.path) for d in corpus] == [("persuasion", str(original))]


def test_equal_times_keep_the_file_nearer_the_top_folder(tmp_path: Path) -> None:
    deep = write(tmp_path / "a" / "b" / "persuasion.txt", STORY)
    top = write(tmp_path / "z-persuasion.txt", STORY)
    stamp = deep.stat().st_mtime
    for path in (deep, top):
        os.utime(path, (stamp, stamp))
    assert [d.path for d in load_corpus([tmp_path])] == [str(top)]
