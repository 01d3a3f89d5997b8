"""Rebuild the test data that comes from public sources: ``tests/data/books``.

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
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
