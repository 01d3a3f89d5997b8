"""JSON forms of a parsed document and of what is derived from it, with full validation.

A :class:`Document` is stored as its metadata, its sections, its paragraph texts and, per
paragraph, its emphasis spans and the sentence boundaries as offsets (a sentence's text is its paragraph's text between
them, so no text is stored twice). Quotes and summaries point at sentences by ``(paragraph,
index)``, so decoding them reuses the document's own :class:`Sentence` objects.

Decoding checks every type, range and cross-reference and raises :class:`ValueError` on the
first fault: a store file that passed its checksum but was written by buggy or hostile code still
never yields an object that breaks the model's invariants.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from bot.core.models import Document, Paragraph, Quote, Section, Sentence, Summary

__all__ = [
    "Derived",
    "decode_derived",
    "decode_document",
    "derived_quotes",
    "derived_summaries",
    "encode_derived",
    "encode_document",
    "parse_derived",
]

_META = ("author", "standfirst", "author_bio", "date", "outlet", "source_url")

#: Layout of a document record; a record of another layout is refused (the store rebuilds it).
#: 2: paragraphs carry their emphasis spans.
DOCUMENT_VERSION = 2


@dataclass(frozen=True, slots=True)
class Derived:
    """What is derived from one document and stored with it.

    Attributes:
        quotes: its quotable lines and attributed speech (see :class:`bot.core.quotes.QuoteBook`).
        short: its attributed speech under the quote length (the short-speech reserve).
        plain: its plain sentences when it has no quote at all (the plain reserve).
        summaries: its summaries by length name (``"medium"``, ...).
    """

    quotes: tuple[Quote, ...] = ()
    short: tuple[Quote, ...] = ()
    plain: tuple[Quote, ...] = ()
    summaries: dict[str, Summary] = field(default_factory=dict)


def _dumps(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode(
        "utf-8", "surrogatepass"
    )


def _loads(payload: bytes) -> Any:
    return json.loads(payload.decode("utf-8", "surrogatepass"))


def encode_document(document: Document) -> bytes:
    """The JSON bytes of ``document`` (deterministic: equal documents give equal bytes)."""
    bounds: list[list[int]] = []
    texts: dict[str, str] = {}
    for paragraph in document.paragraphs:
        flat: list[int] = []
        for sentence in paragraph.sentences:
            flat += (sentence.start, sentence.end)
            if paragraph.text[sentence.start : sentence.end] != sentence.text:
                texts[f"{paragraph.number}.{sentence.index}"] = sentence.text
        bounds.append(flat)
    record = {
        "version": DOCUMENT_VERSION,
        "id": document.id,
        "title": document.title,
        "path": document.path,
        **{name: getattr(document, name) for name in _META},
        "sections": [[s.number, s.title, s.first, s.last, s.level] for s in document.sections],
        "paragraphs": [p.text for p in document.paragraphs],
        "sentences": bounds,
        "texts": texts,
        "emphasis": {
            str(p.number): [list(span) for span in p.emphasis]
            for p in document.paragraphs
            if p.emphasis
        },
    }
    return _dumps(record)


def _str(value: object, what: str) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{what} is not text")
    return value


def _opt_str(value: object, what: str) -> str | None:
    return None if value is None else _str(value, what)


def _int(value: object, what: str, low: int, high: int) -> int:
    if type(value) is not int or not low <= value <= high:
        raise ValueError(f"{what} is not a whole number in {low}..{high}")
    return value


def _paragraph(
    doc_id: str,
    number: int,
    raw_text: object,
    flat: object,
    texts: dict[str, object],
    emphasis: object,
) -> Paragraph:
    """One paragraph from its text and flat sentence bounds ``[start, end, start, end, ...]``.

    The bounds are checked in bulk (whole numbers, each sentence within the text, start <= end),
    which is what makes decoding a novel take tens of milliseconds rather than hundreds."""
    text = _str(raw_text, f"paragraph {number}")
    if not isinstance(flat, list) or len(flat) % 2:
        raise ValueError(f"paragraph {number}: bad sentence bounds")
    starts, ends = flat[0::2], flat[1::2]
    size = len(text)
    if not (
        all(type(v) is int for v in flat)
        and all(0 <= a <= b <= size for a, b in zip(starts, ends, strict=True))
    ):
        raise ValueError(f"paragraph {number}: sentence bounds are not whole numbers in the text")
    if texts:
        own = [texts.get(f"{number}.{index}") for index in range(len(starts))]
        sentence_texts = [
            text[a:b] if t is None else _str(t, "sentence text")
            for a, b, t in zip(starts, ends, own, strict=True)
        ]
    else:
        sentence_texts = [text[a:b] for a, b in zip(starts, ends, strict=True)]
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
    return Paragraph(doc_id, number, text, sentences, _spans(emphasis, size))


def _spans(raw: object, size: int) -> tuple[tuple[int, int], ...]:
    """Emphasis spans: sorted, non-overlapping ``[start, end]`` pairs inside ``0..size``."""
    if not isinstance(raw, list):
        raise ValueError("emphasis is malformed")
    spans: list[tuple[int, int]] = []
    for pair in raw:
        if not isinstance(pair, list) or len(pair) != 2:
            raise ValueError("emphasis is malformed")
        low = spans[-1][1] if spans else 0
        start = _int(pair[0], "emphasis start", low, size)
        spans.append((start, _int(pair[1], "emphasis end", start + 1, size)))
    return tuple(spans)


def decode_document(payload: bytes) -> Document:
    """The document encoded by :func:`encode_document`. Raises ``ValueError`` on any fault."""
    try:
        record = _loads(payload)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ValueError(f"not JSON ({error})") from None
    if not isinstance(record, dict):
        raise ValueError("not a document")
    if record.get("version") != DOCUMENT_VERSION:
        raise ValueError(f"document record version {record.get('version')}, not {DOCUMENT_VERSION}")
    emphasis = record.get("emphasis")
    if not isinstance(emphasis, dict):
        raise ValueError("emphasis missing")
    doc_id = _str(record.get("id"), "id")
    texts = record.get("texts", {})
    raw_paragraphs = record.get("paragraphs")
    raw_bounds = record.get("sentences")
    if not isinstance(texts, dict) or not isinstance(raw_paragraphs, list):
        raise ValueError("paragraphs missing")
    if not isinstance(raw_bounds, list) or len(raw_bounds) != len(raw_paragraphs):
        raise ValueError("sentence bounds do not match the paragraphs")
    paragraphs = [
        _paragraph(doc_id, number, raw_text, flat, texts, emphasis.get(str(number), []))
        for number, (raw_text, flat) in enumerate(zip(raw_paragraphs, raw_bounds, strict=True), 1)
    ]
    sections = []
    raw_sections = record.get("sections")
    if not isinstance(raw_sections, list):
        raise ValueError("sections missing")
    for position, raw in enumerate(raw_sections, 1):
        if not isinstance(raw, list) or len(raw) != 5:
            raise ValueError(f"section {position} is malformed")
        count = len(paragraphs)
        first = _int(raw[2], "section first", 1, count)
        sections.append(
            Section(
                _int(raw[0], "section number", position, position),
                _opt_str(raw[1], "section title"),
                first,
                _int(raw[3], "section last", first, count),
                _int(raw[4], "section level", 1, 99),
            )
        )
    return Document(
        id=doc_id,
        title=_str(record.get("title"), "title"),
        paragraphs=tuple(paragraphs),
        path=_str(record.get("path"), "path"),
        sections=tuple(sections),
        **{name: _opt_str(record.get(name), name) for name in _META},
    )


def _quote_rows(quotes: Sequence[Quote]) -> list[list[object]]:
    rows: list[list[object]] = []
    for quote in quotes:
        text = None if quote.text == quote.sentence.text else quote.text
        rows.append(
            [quote.paragraph, quote.sentence.index, text, quote.speaker, quote.score, quote.quoted]
        )
    return rows


def encode_derived(derived: Derived) -> bytes:
    """The JSON bytes of ``derived`` (sentences as ``(paragraph, index)`` references)."""
    record = {
        "quotes": _quote_rows(derived.quotes),
        "short": _quote_rows(derived.short),
        "plain": _quote_rows(derived.plain),
        "summaries": {
            length: {
                "sentences": [[s.paragraph, s.index] for s in summary.sentences],
                "method": summary.method,
                "standfirst": summary.standfirst,
            }
            for length, summary in derived.summaries.items()
        },
    }
    return _dumps(record)


def _sentence(document: Document, paragraph: object, index: object) -> Sentence:
    number = _int(paragraph, "paragraph", 1, len(document.paragraphs))
    sentences = document.paragraphs[number - 1].sentences
    return sentences[_int(index, "sentence", 0, len(sentences) - 1)]


def _quotes(document: Document, rows: object) -> tuple[Quote, ...]:
    if not isinstance(rows, list):
        raise ValueError("quotes missing")
    quotes = []
    for row in rows:
        if not isinstance(row, list) or len(row) not in (5, 6):
            raise ValueError("a quote is malformed")
        quoted = len(row) == 6 and row[5] is True
        sentence = _sentence(document, row[0], row[1])
        text = sentence.text if row[2] is None else _str(row[2], "quote text")
        if type(row[4]) not in (int, float):
            raise ValueError("a quote score is not a number")
        speaker = _opt_str(row[3], "speaker")
        quotes.append(Quote(text, sentence, speaker, float(row[4]), quoted=quoted))
    return tuple(quotes)


def decode_derived(payload: bytes, document: Document) -> Derived:
    """The derived data of ``document`` encoded by :func:`encode_derived`. Raises ``ValueError``."""
    record = parse_derived(payload)
    quotes, short, plain = derived_quotes(record, document)
    return Derived(quotes, short, plain, derived_summaries(record, document))


def parse_derived(payload: bytes) -> dict[str, Any]:
    """The JSON record of :func:`encode_derived`, its shape checked; its parts are decoded by
    :func:`derived_summaries` and :func:`derived_quotes` (so quotes can wait until first use).
    Raises ``ValueError``."""
    try:
        record = _loads(payload)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ValueError(f"not JSON ({error})") from None
    if not isinstance(record, dict) or not isinstance(record.get("summaries"), dict):
        raise ValueError("not derived data")
    return record


def derived_summaries(record: dict[str, Any], document: Document) -> dict[str, Summary]:
    """The summaries of a :func:`parse_derived` record. Raises ``ValueError``."""
    summaries = {}
    for length, raw in record["summaries"].items():
        if not isinstance(raw, dict) or not isinstance(raw.get("sentences"), list):
            raise ValueError(f"summary {length} is malformed")
        chosen = []
        for ref in raw["sentences"]:
            if not isinstance(ref, list) or len(ref) != 2:
                raise ValueError(f"summary {length} is malformed")
            chosen.append(_sentence(document, ref[0], ref[1]))
        summaries[length] = Summary(
            document.id,
            tuple(chosen),
            _str(raw.get("method"), "summary method"),
            _opt_str(raw.get("standfirst"), "summary standfirst"),
        )
    return summaries


def derived_quotes(
    record: dict[str, Any], document: Document
) -> tuple[tuple[Quote, ...], tuple[Quote, ...], tuple[Quote, ...]]:
    """The quotes, short speech and plain reserve of a :func:`parse_derived` record. Raises
    ``ValueError``."""
    return (
        _quotes(document, record.get("quotes")),
        _quotes(document, record.get("short")),
        _quotes(document, record.get("plain")),
    )
