"""What ``/sources`` lists: one line per document (title, author, size, a one-line description).

The description is the document's standfirst when it has one, else the first sentence of its
stored summary (so listing a large corpus computes nothing new).
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.models import Document, Summary

__all__ = ["Source", "source_of"]


@dataclass(frozen=True, slots=True)
class Source:
    """One document as ``/sources`` shows it.

    Attributes:
        document_id, title, author, date: from the document.
        words: whitespace-separated words of the body.
        paragraphs: body paragraphs.
        sections: chapters or headings (0 for a document without structure).
        description: one line about it (standfirst, or the first summary sentence), or ``None``.
    """

    document_id: str
    title: str
    author: str | None
    date: str | None
    words: int
    paragraphs: int
    sections: int
    description: str | None


def source_of(document: Document, summary: Summary | None) -> Source:
    """The :class:`Source` of ``document``; ``summary`` gives the description when it has no
    standfirst."""
    description = document.standfirst
    if not description and summary is not None and summary.sentences:
        description = summary.sentences[0].text
    return Source(
        document.id,
        document.title,
        document.author,
        document.date,
        document.word_count,
        len(document.paragraphs),
        len(document.sections),
        description,
    )
