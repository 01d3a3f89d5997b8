"""What ``/sources`` lists (one line per document: title, author, size, a one-line description),
and which documents a server sees (its choice of documents and collections, i.e. folders).

The description is the document's standfirst when it has one, else the first sentence of its
stored summary (so listing a large corpus computes nothing new).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from bot.core.models import Corpus, Document, Summary

__all__ = [
    "COLLECTION_PREFIX",
    "Source",
    "collection_of",
    "collections",
    "source_of",
    "visible_documents",
]


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


#: A choice naming a collection (a folder of documents) rather than one document.
COLLECTION_PREFIX = "collection:"


def collection_of(document: Document, roots: Sequence[Path]) -> str:
    """The collection (folder) of ``document``: its file's folder relative to the corpus path
    that holds it (``"austen"``, ``"essays/2024"``), or that path's own folder name for a file
    directly in it (or given alone)."""
    path = Path(document.path)
    for root in roots:
        root = Path(root)
        if path == root:
            return root.parent.name
        try:
            relative = path.relative_to(root)
        except ValueError:
            continue
        parent = relative.parent.as_posix()
        return root.name if parent == "." else parent
    return path.parent.name


def collections(corpus: Corpus, roots: Sequence[Path]) -> dict[str, list[str]]:
    """Every collection and its document ids, in corpus order."""
    found: dict[str, list[str]] = {}
    for document in corpus:
        found.setdefault(collection_of(document, roots), []).append(document.id)
    return found


def visible_documents(
    corpus: Corpus, choices: Mapping[str, bool], roots: Sequence[Path]
) -> frozenset[str] | None:
    """The ids a server with ``choices`` sees; ``None`` when it made none (all of them).

    A document's own choice wins over its collection's (``collection:<folder>``); without
    either it is on. Choices naming documents or folders no longer in the corpus are ignored.
    """
    if not choices:
        return None
    seen = set()
    for document in corpus:
        own = choices.get(document.id)
        if own is None:
            own = choices.get(COLLECTION_PREFIX + collection_of(document, roots), True)
        if own:
            seen.add(document.id)
    return frozenset(seen)
