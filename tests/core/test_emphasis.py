"""Emphasis: italics kept beside the plain text as spans, from every format, through the store."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from bot.core.emphasis import CLOSE, OPEN, align, clip, unmark
from bot.core.loader import _gutenberg, load_document, parse_document
from bot.core.models import Document
from bot.core.store.codec import decode_document, encode_document
from tests.data import make_format_fixtures as fx


def emphasised(document: Document) -> list[str]:
    return [p.text[a:b] for p in document.paragraphs for a, b in p.emphasis]


def test_gutenberg_underscores_become_emphasis_spans_of_plain_text() -> None:
    text = (
        "A Novel\n\n“_You_ may have the _long\nphrase_ now,” said she; see my_file_name.\n\n"
        "Nothing is emphasised here.\n"
    )
    document = parse_document(text, document_id="n")
    first, second = document.paragraphs
    assert first.text == "“You may have the long phrase now,” said she; see my_file_name."
    assert [first.text[a:b] for a, b in first.emphasis] == ["You", "long phrase"]
    assert second.emphasis == ()
    assert all(OPEN not in p.text and CLOSE not in p.text for p in document.paragraphs)


def test_emphasis_marks_written_in_a_file_are_not_read_as_emphasis() -> None:
    document = parse_document(f"A Novel\n\nPlain {OPEN}words{CLOSE} here.\n", document_id="n")
    assert document.paragraphs[0].text == "Plain words here."
    assert document.paragraphs[0].emphasis == ()


def test_markdown_emphasis_becomes_spans_and_strong_does_not() -> None:
    text = "# Title\n\nHe *really* did, __bold__ and _this one\ntoo_; `*code*` stays.\n"
    document = parse_document(text, document_id="m", markdown=True)
    assert document.paragraphs[0].text == "He really did, bold and this one too; *code* stays."
    assert emphasised(document) == ["really", "this one too"]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return fx.build(tmp_path_factory.mktemp("fixtures"))


def test_epub_em_web_page_em_and_docx_italic_runs_become_emphasis(
    built: dict[str, Path],
) -> None:
    assert emphasised(load_document(built["article.html"])) == ["three days"]
    assert emphasised(load_document(built["voyage.epub"])) == ["fairer"]
    notes = load_document(built["notes.docx"])
    assert emphasised(notes) == ["never"]
    assert notes.paragraphs[-1].text == fx.NOTES_TWO[1]


def test_the_store_codec_keeps_emphasis_and_refuses_records_of_the_old_layout() -> None:
    document = parse_document("A Novel\n\nI _did_ say so. Then _nothing_.\n", document_id="n")
    payload = encode_document(document)
    assert decode_document(payload) == document
    assert decode_document(payload).paragraphs[0].emphasis == ((2, 5), (19, 26))
    old = payload.replace(b'"version":3,', b'"version":2,')
    with pytest.raises(ValueError, match="version"):
        decode_document(old)
    bad = payload.replace(b"[[2,5],[19,26]]", b"[[5,2]]")
    with pytest.raises(ValueError, match="emphasis"):
        decode_document(bad)


def test_unmark_clip_and_align_place_spans_on_what_is_shown() -> None:
    text, spans = unmark(f"{OPEN} Yes {CLOSE}, said {OPEN}she{OPEN}!{CLOSE}{CLOSE} {CLOSE}x")
    assert (text, spans) == (" Yes , said she! x", ((1, 4), (12, 16)))
    assert clip(spans, 2, 14) == ((0, 2), (10, 12))
    source = "“Yes,” said she, “I will go.”"
    shown = "Yes. I will go."
    will = source.index("will")
    assert [shown[a:b] for a, b in align(((will, will + 4),), source, shown)] == ["will"]


def test_gutenberg_emphasis_pattern_finds_what_the_plain_one_finds() -> None:
    """The underscore-first pattern (one scan from "_" to "_") marks what the pattern with its
    look-behind first marked."""
    plain = re.compile(r"(?<![\w_])_(?=[^\s_])((?:[^_\n]|\n(?!\s*\n))+?)(?<=[^\s_])_(?![\w_])")
    rng = random.Random(37)
    pieces = ["_", "a", "_b", "x_y", " ", "\n", "\n\n", "é", "1", ".", "__"]
    for _ in range(20000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 10)))
        expected = [m.span(1) for m in plain.finditer(text)]
        assert [m.span(1) for m in _gutenberg._EMPHASIS.finditer(text)] == expected, text
