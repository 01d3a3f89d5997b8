"""Markdown front matter with headings: the first heading is a section, the title is text."""

from __future__ import annotations

from pathlib import Path

from bot.core.loader import load_corpus, parse_document
from tests.core.loader_helpers import write

NOTES = """---
title: "My *Notes*"
author: [Alice, Bob]
date: not-a-date
---
# Intro

Some _emphasis_ and **bold** and a [link](http://x.y) and `code`.

## Part <b>two</b>

> A quoted line from a blockquote that is long enough to be quoted as a line.
"""


def test_the_first_heading_after_front_matter_is_a_section_and_the_title_is_plain(
    tmp_path: Path,
) -> None:
    write(tmp_path / "notes.md", NOTES)
    corpus = load_corpus([tmp_path])
    [notes] = corpus.documents
    assert notes.title == "My Notes"
    assert notes.date is None
    assert [(s.title, s.first, s.last) for s in notes.sections] == [
        ("Intro", 1, 1),
        ("Part two", 2, 2),
    ]
    [problem] = corpus.problems
    assert not problem.fatal
    assert "date 'not-a-date' is not a date" in problem.reason
    assert problem.reason.endswith("ignored it")


def test_a_documents_only_heading_is_kept_as_its_section() -> None:
    text = '---\ntitle: "A Long Title"\n---\n# Section One\n\nThe only paragraph of text.\n'
    document = parse_document(text, document_id="long", markdown=True)
    assert document.title == "A Long Title"
    assert [(s.title, s.first, s.last) for s in document.sections] == [("Section One", 1, 1)]


def test_a_first_heading_repeating_the_title_is_not_a_section() -> None:
    text = "---\ntitle: My *Notes*\n---\n# My Notes\n\nFirst.\n\n## Later\n\nSecond.\n"
    document = parse_document(text, document_id="notes", markdown=True)
    assert document.title == "My Notes"
    assert [(s.title, s.first) for s in document.sections] == [("Opening", 1), ("Later", 2)]


def test_a_date_with_a_year_is_kept() -> None:
    text = "---\ntitle: T\ndate: June 1851\n---\nSome text of the document.\n"
    assert parse_document(text, document_id="t", markdown=True).date == "June 1851"
