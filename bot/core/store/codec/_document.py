"""The record of one parsed document: a head line (metadata, sections, counts), then its body.

The head is what a restart needs (titles, sections, how many paragraphs, sentences and words);
the body (paragraph texts, emphasis spans and sentence boundaries as offsets: a sentence's text
is its paragraph's text between them, so no text is stored twice) is decoded only when the
document's paragraphs are first used (:mod:`bot.core.store.lazy`). Decoding checks every type,
range and cross-reference and raises :class:`ValueError` on the first fault.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, replace
from typing import Any

from bot.core.models import Document, Paragraph, Section, Sentence
from bot.core.store.codec._json import dumps, loads, optional_text, text, whole
from bot.core.text import count_words

#: Layout of a document record; a record of another layout is refused (the store rebuilds it).
#: 2: paragraphs carry their emphasis spans. 3: a head line before the body.
DOCUMENT_VERSION = 3

_META = ("author", "standfirst", "author_bio", "date", "outlet", "source_url")
_MAX = 1 << 40


@dataclass(frozen=True, slots=True)
class Head:
    """A document without its paragraphs: ``document`` has ``paragraphs == ()``; the counts are
    its body's (paragraphs, sentences, words as :func:`count_words` counts them, characters)."""

    document: Document
    paragraphs: int
    sentences: int
    words: int
    chars: int


def encode_document(document: Document) -> bytes:
    """The record bytes of ``document``: head JSON, a newline, body JSON (deterministic)."""
    bounds: list[list[int]] = []
    texts: dict[str, str] = {}
    for paragraph in document.paragraphs:
        flat: list[int] = []
        for sentence in paragraph.sentences:
            flat += (sentence.start, sentence.end)
            if paragraph.text[sentence.start : sentence.end] != sentence.text:
                texts[f"{paragraph.number}.{sentence.index}"] = sentence.text
        bounds.append(flat)
    head = {
        "version": DOCUMENT_VERSION,
        "id": document.id,
        "title": document.title,
        "path": document.path,
        **{name: getattr(document, name) for name in _META},
        "sections": [[s.number, s.title, s.first, s.last, s.level] for s in document.sections],
        "paragraphs": len(document.paragraphs),
        "sentences": sum(len(b) // 2 for b in bounds),
        "words": sum(count_words(p.text) for p in document.paragraphs),
        "chars": sum(len(p.text) for p in document.paragraphs),
    }
    body = {
        "paragraphs": [p.text for p in document.paragraphs],
        "sentences": bounds,
        "texts": texts,
        "emphasis": {
            str(p.number): [list(span) for span in p.emphasis]
            for p in document.paragraphs
            if p.emphasis
        },
    }
    return dumps(head) + b"\n" + dumps(body)


def _split(payload: bytes) -> tuple[bytes, bytes]:
    head, newline, body = payload.partition(b"\n")
    if not newline:
        raise ValueError("not a document record (no head line)")
    return head, body


def decode_head(payload: bytes) -> Head:
    """The :class:`Head` of a document record (only its first line is read). Raises
    ``ValueError`` on any fault."""
    end = payload.find(b"\n")
    record = loads(payload if end < 0 else payload[:end], "the document head")
    if not isinstance(record, dict):
        raise ValueError("not a document")
    if record.get("version") != DOCUMENT_VERSION:
        raise ValueError(f"document record version {record.get('version')}, not {DOCUMENT_VERSION}")
    count = whole(record.get("paragraphs"), "paragraph count", 0, _MAX)
    document = Document(
        id=text(record.get("id"), "id"),
        title=text(record.get("title"), "title"),
        paragraphs=(),
        path=text(record.get("path"), "path"),
        sections=_sections(record.get("sections"), count),
        **{name: optional_text(record.get(name), name) for name in _META},
    )
    return Head(
        document,
        count,
        whole(record.get("sentences"), "sentence count", 0, _MAX),
        whole(record.get("words"), "word count", 0, _MAX),
        whole(record.get("chars"), "character count", 0, _MAX),
    )


def _sections(raw_sections: object, count: int) -> tuple[Section, ...]:
    if not isinstance(raw_sections, list):
        raise ValueError("sections missing")
    sections = []
    for position, raw in enumerate(raw_sections, 1):
        if not isinstance(raw, list) or len(raw) != 5:
            raise ValueError(f"section {position} is malformed")
        first = whole(raw[2], "section first", 1, count)
        sections.append(
            Section(
                whole(raw[0], "section number", position, position),
                optional_text(raw[1], "section title"),
                first,
                whole(raw[3], "section last", first, count),
                whole(raw[4], "section level", 1, 99),
            )
        )
    return tuple(sections)


def decode_paragraphs(payload: bytes, head: Head) -> tuple[Paragraph, ...]:
    """The paragraphs of a document record whose head is ``head``, checked against it (count,
    sentences). Raises ``ValueError`` on any fault."""
    record = loads(_split(payload)[1], "the document body")
    if not isinstance(record, dict):
        raise ValueError("not a document body")
    emphasis, texts = record.get("emphasis"), record.get("texts")
    raw_paragraphs, raw_bounds = record.get("paragraphs"), record.get("sentences")
    if not isinstance(emphasis, dict) or not isinstance(texts, dict):
        raise ValueError("emphasis or sentence texts missing")
    if not isinstance(raw_paragraphs, list) or len(raw_paragraphs) != head.paragraphs:
        raise ValueError("paragraphs missing or not as many as the head says")
    if not isinstance(raw_bounds, list) or len(raw_bounds) != len(raw_paragraphs):
        raise ValueError("sentence bounds do not match the paragraphs")
    doc_id = head.document.id
    paragraphs = tuple(
        _paragraph(doc_id, number, raw_text, flat, texts, emphasis.get(str(number), []))
        for number, (raw_text, flat) in enumerate(zip(raw_paragraphs, raw_bounds, strict=True), 1)
    )
    if sum(len(p.sentences) for p in paragraphs) != head.sentences:
        raise ValueError("not as many sentences as the head says")
    return paragraphs


def decode_texts(payload: bytes, head: Head) -> list[str]:
    """The paragraph texts of a document record whose head is ``head`` (no sentences built:
    what the search index reads), checked against it. Raises ``ValueError``."""
    record = loads(_split(payload)[1], "the document body")
    texts = record.get("paragraphs") if isinstance(record, dict) else None
    if not isinstance(texts, list) or len(texts) != head.paragraphs:
        raise ValueError("paragraphs missing or not as many as the head says")
    if not all(isinstance(t, str) for t in texts) or sum(map(len, texts)) != head.chars:
        raise ValueError("paragraphs are not the texts the head counts")
    return texts


def decode_document(payload: bytes) -> Document:
    """The document encoded by :func:`encode_document`. Raises ``ValueError`` on any fault."""
    head = decode_head(payload)
    paragraphs = decode_paragraphs(payload, head)
    if sum(len(p.text) for p in paragraphs) != head.chars:
        raise ValueError("not as many characters as the head says")
    return replace(head.document, paragraphs=paragraphs)


def _paragraph(
    doc_id: str,
    number: int,
    raw_text: object,
    flat: object,
    texts: dict[str, Any],
    emphasis: object,
) -> Paragraph:
    """One paragraph from its text and flat sentence bounds ``[start, end, start, end, ...]``.

    The bounds are checked in bulk (whole numbers, each sentence within the text, start <= end),
    which is what makes decoding a novel take tens of milliseconds rather than hundreds."""
    body = text(raw_text, f"paragraph {number}")
    if not isinstance(flat, list) or len(flat) % 2:
        raise ValueError(f"paragraph {number}: bad sentence bounds")
    starts, ends = flat[0::2], flat[1::2]
    size = len(body)
    if not (
        all(type(v) is int for v in flat)
        and all(0 <= a <= b <= size for a, b in zip(starts, ends, strict=True))
    ):
        raise ValueError(f"paragraph {number}: sentence bounds are not whole numbers in the text")
    if texts:
        own = [texts.get(f"{number}.{index}") for index in range(len(starts))]
        sentence_texts = [
            body[a:b] if t is None else text(t, "sentence text")
            for a, b, t in zip(starts, ends, own, strict=True)
        ]
    else:
        sentence_texts = [body[a:b] for a, b in zip(starts, ends, strict=True)]
    sentences = tuple(
        map(
            Sentence,
            itertools.repeat(doc_id),
            itertools.repeat(number),
            itertools.count(),
            starts,
            ends,
            sentence_texts,
        )
    )
    return Paragraph(doc_id, number, body, sentences, _spans(emphasis, size))


def _spans(raw: object, size: int) -> tuple[tuple[int, int], ...]:
    """Emphasis spans: sorted, non-overlapping ``[start, end]`` pairs inside ``0..size``."""
    if not isinstance(raw, list):
        raise ValueError("emphasis is malformed")
    spans: list[tuple[int, int]] = []
    for pair in raw:
        if not isinstance(pair, list) or len(pair) != 2:
            raise ValueError("emphasis is malformed")
        low = spans[-1][1] if spans else 0
        start = whole(pair[0], "emphasis start", low, size)
        spans.append((start, whole(pair[1], "emphasis end", start + 1, size)))
    return tuple(spans)
