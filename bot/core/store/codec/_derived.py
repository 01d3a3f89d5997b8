"""The record of what is derived from one document: its quotes and its summaries.

Each quote and summary line carries its sentence whole (paragraph, index, offsets, text), so a
restart decodes them without reading the document's body: a novel's record stands on its own.
Decoding checks every type and range (against the document's paragraph count) and raises
:class:`ValueError` on the first fault.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from bot.core.models import Document, Quote, Sentence, Summary
from bot.core.store.codec._json import dumps, loads, optional_text, text, whole

#: Layout of a derived record (2: sentences stored whole).
DERIVED_VERSION = 2
_MAX = 1 << 40


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


def _sentence_row(sentence: Sentence) -> list[object]:
    return [sentence.paragraph, sentence.index, sentence.start, sentence.end, sentence.text]


def _summary_row(summary: Summary) -> dict[str, object]:
    return {
        "sentences": [_sentence_row(s) for s in summary.sentences],
        "method": summary.method,
        "standfirst": summary.standfirst,
    }


def _quote_rows(quotes: Sequence[Quote]) -> list[list[object]]:
    return [
        [
            *_sentence_row(quote.sentence),
            None if quote.text == quote.sentence.text else quote.text,
            quote.speaker,
            quote.score,
            quote.quoted,
        ]
        for quote in quotes
    ]


def encode_derived(derived: Derived) -> bytes:
    """The record bytes of ``derived`` (deterministic): a head line with the summaries (what a
    restart reads), then the quotes."""
    head = {
        "version": DERIVED_VERSION,
        "summaries": {
            length: _summary_row(summary) for length, summary in derived.summaries.items()
        },
    }
    body = {
        "quotes": _quote_rows(derived.quotes),
        "short": _quote_rows(derived.short),
        "plain": _quote_rows(derived.plain),
    }
    return dumps(head) + b"\n" + dumps(body)


def with_summary(payload: bytes, length: str, summary: Summary) -> bytes:
    """The derived record ``payload`` with ``summary`` stored as its summary at ``length`` (the
    quotes' bytes untouched). Raises ``ValueError`` when ``payload`` is not a derived record."""
    body = payload.partition(b"\n")[2]
    record = parse_derived(payload, quotes=False)
    record["summaries"][length] = _summary_row(summary)
    return dumps(record) + b"\n" + body


def _sentence(document: Document, row: list[Any]) -> Sentence:
    paragraph = whole(row[0], "paragraph", 1, len(document.paragraphs))
    start = whole(row[2], "sentence start", 0, _MAX)
    return Sentence(
        document.id,
        paragraph,
        whole(row[1], "sentence", 0, _MAX),
        start,
        whole(row[3], "sentence end", start, _MAX),
        text(row[4], "sentence text"),
    )


def _quotes(document: Document, rows: object) -> tuple[Quote, ...]:
    if not isinstance(rows, list):
        raise ValueError("quotes missing")
    quotes = []
    for row in rows:
        if not isinstance(row, list) or len(row) != 9:
            raise ValueError("a quote is malformed")
        sentence = _sentence(document, row)
        if type(row[7]) not in (int, float) or type(row[8]) is not bool:
            raise ValueError("a quote's score or flag is malformed")
        quote_text = sentence.text if row[5] is None else text(row[5], "quote text")
        speaker = optional_text(row[6], "speaker")
        quotes.append(Quote(quote_text, sentence, speaker, float(row[7]), quoted=row[8]))
    return tuple(quotes)


def decode_derived(payload: bytes, document: Document) -> Derived:
    """The derived data of ``document`` encoded by :func:`encode_derived`. Raises ``ValueError``."""
    record = parse_derived(payload)
    quotes, short, plain = derived_quotes(record, document)
    return Derived(quotes, short, plain, derived_summaries(record, document))


def parse_derived(payload: bytes, *, quotes: bool = True) -> dict[str, Any]:
    """The JSON of a :func:`encode_derived` record, its shape checked (without its quotes, and
    without parsing them, when ``quotes`` is false); its parts are decoded by
    :func:`derived_summaries` and :func:`derived_quotes`. Raises ``ValueError``."""
    head, newline, body = payload.partition(b"\n")
    record = loads(head, "the derived record")
    if not newline or not isinstance(record, dict) or not isinstance(record.get("summaries"), dict):
        raise ValueError("not derived data")
    if record.get("version") != DERIVED_VERSION:
        raise ValueError(f"derived record version {record.get('version')}, not {DERIVED_VERSION}")
    if quotes:
        parts = loads(body, "the derived record's quotes")
        if not isinstance(parts, dict):
            raise ValueError("not derived data")
        record.update((name, parts.get(name)) for name in ("quotes", "short", "plain"))
    return record


def derived_summaries(record: dict[str, Any], document: Document) -> dict[str, Summary]:
    """The summaries of a :func:`parse_derived` record. Raises ``ValueError``."""
    summaries = {}
    for length, raw in record["summaries"].items():
        if not isinstance(raw, dict) or not isinstance(raw.get("sentences"), list):
            raise ValueError(f"summary {length} is malformed")
        chosen = []
        for row in raw["sentences"]:
            if not isinstance(row, list) or len(row) != 5:
                raise ValueError(f"summary {length} is malformed")
            chosen.append(_sentence(document, row))
        summaries[length] = Summary(
            document.id,
            tuple(chosen),
            text(raw.get("method"), "summary method"),
            optional_text(raw.get("standfirst"), "summary standfirst"),
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


def derived_hot_quotes(
    record: dict[str, Any], document: Document, keep: Callable[[float, str | None], bool]
) -> tuple[tuple[Quote, ...], int, bool]:
    """Of the quotes of a :func:`parse_derived` record: those ``keep(score, speaker)`` accepts
    (decoded and checked; the others are checked when decoded), how many there are in all, and
    whether any is the author's own (no speaker, not quoted; the first such is checked).
    Raises ``ValueError``."""
    rows = record.get("quotes")
    if not isinstance(rows, list):
        raise ValueError("quotes missing")
    kept = [
        row
        for row in rows
        if isinstance(row, list)
        and len(row) == 9
        and type(row[7]) in (int, float)
        and keep(row[7], row[6])
    ]
    own = next(
        (r for r in rows if isinstance(r, list) and len(r) == 9 and r[6] is None and not r[8]),
        None,
    )
    if own is not None:
        _quotes(document, [own])  # checked: it makes the author a speaker
    return _quotes(document, kept), len(rows), own is not None
