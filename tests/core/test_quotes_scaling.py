"""Quote candidates of a paragraph with many quoted phrases cost time linear in its length.

A book saved as one line (a 16 MB file of this shape took over five minutes before) is one
paragraph with tens of thousands of sentences and quoted phrases. These tests check the order
of growth, not a speed: counting Python function calls (deterministic), or comparing CPU time
of two sizes in one run where the difference between linear and quadratic is large.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from types import FrameType
from typing import Any

from bot.core.loader import load_document, parse_document
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


BOOK = Path(__file__).resolve().parents[1] / "data" / "books" / "pride_and_prejudice.txt"


def _cpu_seconds(copies: int) -> float:
    """CPU time (not wall time: the ratio must hold on a loaded machine) to find the quotes of
    a novel excerpt joined into one line ``copies`` times: one paragraph full of dialogue."""
    paragraphs = [p.text for p in load_document(BOOK).paragraphs]
    document = parse_document("Title\n\n" + " ".join(paragraphs) * copies, document_id="joined")
    started = time.process_time()
    document_quotes(document)
    return time.process_time() - started


def test_dialogue_in_one_huge_paragraph_costs_time_linear_in_its_length() -> None:
    # An order-of-growth check, not a speed target: 8x the text costs about 8x (linear), not
    # about 64x (the addressee scan read each speech span from its start: quadratic).
    small = min(_cpu_seconds(2) for _ in range(3))
    large = _cpu_seconds(16)
    assert large / small < 24, (small, large)
