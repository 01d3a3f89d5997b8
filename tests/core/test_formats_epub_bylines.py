"""An anthology EPUB: each story's byline (its author in capitals) is not body text."""

from __future__ import annotations

from pathlib import Path

from bot.core.loader import load_document

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "formats" / "childrens-literature.epub"
BYLINES = (
    "ABRAM S. ISAACS",
    "SAMUEL TAYLOR COLERIDGE",
    "HANS CHRISTIAN ANDERSEN",
    "HANS CHRISTIAN ANDERSEN (Version by Alice Corbin Henderson)",
    "OSCAR WILDE",
    "FRANK R. STOCKTON",
)


def test_a_story_starts_with_its_text_not_its_author_in_capitals() -> None:
    book = load_document(SAMPLE)
    paragraphs = [p.text for p in book.paragraphs]
    for byline in BYLINES:
        assert byline not in paragraphs
    assert not any(s.text in BYLINES for s in book.sentences)  # so never quoted or summarised
    by_title = {s.title: s for s in book.sections}
    for title, opening in (
        ("The Real Princess", "There was once a Prince who wanted to marry a Princess."),
        ("The Lord Helpeth Man and Beast", "During his march to conquer the world"),
        ("The Happy Prince", "High above the city, on a tall column"),
    ):
        assert book.paragraph(by_title[title].first).text.startswith(opening)
    # The editor's introduction before each story is still there, names and all.
    first = book.paragraph(by_title["192 The Real Princess"].first).text
    assert first.startswith("By almost common consent Hans Christian Andersen (1805-1875)")
