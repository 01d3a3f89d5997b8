"""The section model: paragraphs map to their chapter and to their number inside it."""

from __future__ import annotations

import pytest

from bot.core.models import Document, Paragraph, Section


def _doc(sections: tuple[Section, ...], paragraphs: int = 6) -> Document:
    paras = tuple(Paragraph("d", n, f"Paragraph {n}.", ()) for n in range(1, paragraphs + 1))
    return Document(id="d", title="D", paragraphs=paras, sections=sections)


def test_section_of_maps_each_paragraph_to_its_chapter() -> None:
    one = Section(1, "Chapter 1", 1, 2)
    two = Section(2, "Chapter 2", 3, 6)
    doc = _doc((one, two))
    assert [doc.section_of(n) for n in range(1, 7)] == [one, one, two, two, two, two]
    assert two.paragraph_in_section(5) == 3
    assert doc.section(2) is two


def test_no_sections_means_no_section_and_out_of_range_is_none() -> None:
    assert _doc(()).section_of(1) is None
    doc = _doc((Section(1, None, 2, 3),))
    assert doc.section_of(1) is None
    assert doc.section_of(4) is None
    with pytest.raises(IndexError):
        doc.section(2)
