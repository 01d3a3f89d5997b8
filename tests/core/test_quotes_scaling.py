"""Quote candidates of a paragraph with many quoted phrases cost time linear in its length.

A book saved as one line (a 16 MB file of this shape took over five minutes before) is one
paragraph with tens of thousands of sentences and quoted phrases. Counting Python function
calls, not wall time, keeps the test deterministic on a loaded machine: doubling the paragraph
must not much more than double the work (a quadratic scan quadruples it).
"""

from __future__ import annotations

import sys
from types import FrameType
from typing import Any

from bot.core.loader import parse_document
from bot.core.quotes import document_quotes


def _one_line_book(sentences: int) -> str:
    return " ".join(f'Word{i} lorem ipsum "dolor" sit amet. Such is life.' for i in range(sentences))


def _calls(sentences: int) -> int:
    document = parse_document(_one_line_book(sentences), document_id="one-line")
    assert len(document.paragraphs) == 1
    count = 0

    def profile(frame: FrameType, event: str, arg: Any) -> None:
        nonlocal count
        if event in ("call", "c_call"):
            count += 1

    sys.setprofile(profile)
    try:
        found = document_quotes(document)
    finally:
        sys.setprofile(None)
    assert found.quotes, "the sentences outside the quotation marks are candidates"
    return count


def test_quote_candidates_of_a_one_line_book_grow_linearly() -> None:
    small, large = _calls(400), _calls(1600)
    assert large / small < 5.0, (small, large)  # linear: ~4; quadratic: ~16
