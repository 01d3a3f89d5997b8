"""Rebuild the test data that comes from public sources: ``tests/data/books`` (and its
``structure`` excerpts: novels with volumes, parts and wrapped chapter titles).

    python3 tests/data/regenerate.py            # gathers the novels with tools/gather_books.sh
    python3 tests/data/regenerate.py BOOKS_DIR  # or cuts them from novels gathered before

``tools/gather_books.sh`` reads public-domain novels that Debian ships in R data packages (Project
Gutenberg texts). The loader tests need a real Gutenberg header and licence footer, and a book's
first chapter, not 1 MB each: every book is cut to its first ``HEAD`` characters and, when it ends
with Project Gutenberg's licence, that licence from ``*** END OF`` on (cuts fall on blank lines).
The hand-written files in ``tests/data/config`` and ``tests/data/corpus`` are not generated; see
``tests/data/README.md``.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
BOOKS = {"moby_dick.txt": 30_000, "pride_and_prejudice.txt": 20_000}
END_MARK = "*** END OF"
STRUCTURE = {
    "emma_volumes.txt": (
        "emma.txt",
        ("VOLUME I", "CHAPTER II", "VOLUME II", "CHAPTER II", "VOLUME III"),
    ),
    "moby_dick_wrapped_titles.txt": (
        "moby_dick.txt",
        ("CHAPTER 55.", "CHAPTER 56.", "CHAPTER 57."),
    ),
    "twenty_thousand_leagues_parts.txt": (
        "twenty_thousand_leagues_under_the_sea.txt",
        ("PART ONE", "CHAPTER XXII", "PART TWO", "CHAPTER XX"),
    ),
    "the_war_of_the_worlds_books.txt": (
        "the_war_of_the_worlds.txt",
        ("BOOK ONE", "CHAPTER TWO", "BOOK TWO", "CHAPTER TWO"),
    ),
}
"""Excerpts (file -> source novel, headings) that keep a novel's structure: its first lines (the title) and, for each heading in
order, the heading and the text under it (``WINDOW`` lines, to the next blank line)."""
HEAD_LINES = 12
WINDOW = 20


def structure_excerpt(text: str, headings: tuple[str, ...]) -> str:
    """The first :data:`HEAD_LINES` lines (fewer when a heading comes first), then each of ``headings`` (the next line that is it,
    or starts with it and a space) with the lines under it."""
    lines = text.splitlines()

    def find(heading: str, start: int) -> int:
        return next(
            i
            for i in range(start, len(lines))
            if lines[i].strip() == heading or lines[i].startswith(heading + " ")
        )

    at = min(HEAD_LINES, find(headings[0], 0))
    parts = ["\n".join(lines[:at]).rstrip()]
    for heading in headings:
        at = find(heading, at)
        end = next((i for i in range(at + WINDOW, len(lines)) if not lines[i].strip()), len(lines))
        parts.append("\n".join(lines[at:end]).rstrip())
        at = end
    return "\n\n\n\n".join(parts) + "\n"


def excerpt(text: str, head: int) -> str:
    """The first ``head`` characters (to the last blank line before) plus the licence footer."""
    cut = text.rfind("\n\n", 0, head)
    start = text[: cut if cut > 0 else head].rstrip() + "\n"
    end = text.find(END_MARK)
    if end < 0:
        return start
    line = text.rfind("\n", 0, end) + 1
    return start + "\n\n" + text[line:]


def main(argv: list[str]) -> int:
    with tempfile.TemporaryDirectory() as scratch:
        source = Path(argv[0]) if argv else Path(scratch)
        if not argv:
            subprocess.run(["bash", str(ROOT / "tools" / "gather_books.sh"), scratch], check=True)
        out = HERE / "books"
        out.mkdir(exist_ok=True)
        for name, head in BOOKS.items():
            text = (source / name).read_text(encoding="utf-8")
            (out / name).write_text(excerpt(text, head), encoding="utf-8")
            print(f"wrote {out / name}")
        structure = out / "structure"
        structure.mkdir(exist_ok=True)
        for name, (book, headings) in STRUCTURE.items():
            text = (source / book).read_text(encoding="utf-8")
            (structure / name).write_text(structure_excerpt(text, headings), encoding="utf-8")
            print(f"wrote {structure / name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
