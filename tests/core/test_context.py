"""Widening context around a span, and citations."""

from __future__ import annotations

import itertools

import pytest

from bot.core.context import MAX_LEVEL, citation, steps, widen
from bot.core.loader import parse_document

TEXT = """A Title

First paragraph one. First paragraph two. First paragraph three.

Second paragraph one. Second paragraph two. Second paragraph three. Second paragraph four.

Third paragraph.

Fourth paragraph.

Fifth paragraph.

Jane Doe writes for the Example Gazette.
"""


@pytest.fixture
def document():  # type: ignore[no-untyped-def]
    return parse_document(
        TEXT, document_id="doc", metadata={"outlet": "Gazette", "date": "2020-01-02"}
    )


def test_levels_are_nested_and_grow(document) -> None:  # type: ignore[no-untyped-def]
    para = document.paragraph(2)
    start = para.text.index("paragraph two")
    excerpts = [widen(document, 2, start, start + 5, level) for level in range(MAX_LEVEL + 1)]
    assert excerpts[0].text == "Second paragraph two."
    assert excerpts[1].text == "Second paragraph one. Second paragraph two. Second paragraph three."
    assert excerpts[2].text == para.text
    assert (excerpts[3].first_paragraph, excerpts[3].last_paragraph) == (1, 3)
    assert (excerpts[4].first_paragraph, excerpts[4].last_paragraph) == (1, 4)
    for narrow, wide in itertools.pairwise(excerpts):
        assert narrow.text in wide.text
        assert len(narrow.text) < len(wide.text)
    assert excerpts[-1].widest
    assert not excerpts[0].widest


def test_level_is_clamped_and_bad_paragraph_raises(document) -> None:  # type: ignore[no-untyped-def]
    assert widen(document, 1, 0, 1, 99).level == MAX_LEVEL
    with pytest.raises(IndexError):
        widen(document, 9, 0, 1, 0)


def test_citation_has_every_known_part(document) -> None:  # type: ignore[no-untyped-def]
    assert citation(document, 2) == "Jane Doe, “A Title”, Gazette, 2020-01-02, paragraph 2."
    bare = parse_document("Untitled Thing\n\nBody text here.\n", document_id="x")
    assert citation(bare) == "“Untitled Thing”."


def test_every_level_knows_where_its_span_is(document) -> None:  # type: ignore[no-untyped-def]
    para = document.paragraph(2)
    start = para.text.index("paragraph three")
    end = start + len("paragraph three")
    for level in range(MAX_LEVEL + 1):
        excerpt = widen(document, 2, start, end, level)
        assert excerpt.text[excerpt.target_start : excerpt.target_end] == "paragraph three"


def test_steps_skip_levels_that_add_nothing() -> None:
    # three sentences: level 1 (one sentence either side) is already the whole paragraph (level 2)
    doc = parse_document(
        "T\n\nIntro here.\n\nThe sun rose early. Two birds sang loudly. The day began.\n\nOutro here.\n",
        document_id="d",
    )
    para = doc.paragraph(2)
    start = para.text.index("Two")
    excerpts = steps(doc, 2, start, start + 3)
    texts = [e.text for e in excerpts]
    assert texts[0] == "Two birds sang loudly."
    assert texts.count(para.text) == 1
    for narrow, wide in itertools.pairwise(excerpts):
        assert narrow.text in wide.text
        assert len(narrow.text) < len(wide.text)
    assert excerpts[-1].widest
    assert not any(e.widest for e in excerpts[:-1])
    for e in excerpts:
        assert e.text[e.target_start : e.target_end] == "Two"
