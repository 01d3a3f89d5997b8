"""The record of what is derived from one document: its quotes and its summaries.

Each quote and summary line carries its sentence whole (paragraph, index, offsets, text), so a
restart decodes them without reading the document's body: a novel's record stands on its own.
Decoding checks every type and range (against the document's paragraph count) and raises
:class:`ValueError` on the first fault. The quotes the quote ranking keeps in memory come first
(:func:`parse_hot` reads them alone: about a fifth of a novel's quotes), the others after.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from bot.core.models import Document, Quote, Sentence, Summary
from bot.core.quotes import in_hot_tier
from bot.core.store.codec._json import dumps, loads, optional_text, text, whole

#: Layout of a derived record (2: sentences stored whole; 3: the quotes kept in memory first).
DERIVED_VERSION = 3
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
    restart reads), then the quotes: first (``"hot"``) what the quote ranking keeps in memory
    (the quotes :func:`~bot.core.quotes.in_hot_tier` accepts, with their places in the
    ranking, the count and whether any is the author's own, and the two reserves), so that it
    can be read without parsing the rest (``"quotes"``: the other quotes, in rank order)."""
    head = {
        "version": DERIVED_VERSION,
        "summaries": {
            length: _summary_row(summary) for length, summary in derived.summaries.items()
        },
    }
    at = [i for i, q in enumerate(derived.quotes) if in_hot_tier(q.score, q.speaker)]
    hot = {
        "count": len(derived.quotes),
        "own": any(q.speaker is None and not q.quoted for q in derived.quotes),
        "at": at,
        "quotes": _quote_rows([derived.quotes[i] for i in at]),
        "short": _quote_rows(derived.short),
        "plain": _quote_rows(derived.plain),
    }
    rest = [q for q in derived.quotes if not in_hot_tier(q.score, q.speaker)]
    return dumps(head) + b"\n" + dumps({"hot": hot, "quotes": _quote_rows(rest)})


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
    :func:`derived_summaries` and :func:`derived_quotes` (``"quotes"``: every quote in rank
    order). Raises ``ValueError``."""
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
        hot = _hot(parts.get("hot"))
        record.update((name, hot[name]) for name in ("short", "plain"))
        record["quotes"] = _interleaved(hot, parts.get("quotes"))
    return record


def parse_hot(payload: bytes) -> dict[str, Any]:
    """The ``"hot"`` part of a :func:`encode_derived` record (``count``, ``own``, ``at``,
    ``quotes``, ``short``, ``plain``), parsed without the rest of the quotes. Raises
    ``ValueError``."""
    body = payload.partition(b"\n")[2]
    if not body.startswith(_HOT):
        raise ValueError("not derived data")
    try:
        text_ = body.decode("utf-8", "surrogatepass")
        hot, _ = json.JSONDecoder().raw_decode(text_, len(_HOT))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ValueError(f"the derived record's quotes are not JSON ({error})") from None
    return _hot(hot)


_HOT = b'{"hot":'


def _hot(hot: object) -> dict[str, Any]:
    if not isinstance(hot, dict) or not all(
        isinstance(hot.get(name), list) for name in ("at", "quotes", "short", "plain")
    ):
        raise ValueError("quotes missing")
    if type(hot.get("count")) is not int or type(hot.get("own")) is not bool:
        raise ValueError("quotes missing")
    return hot


def _interleaved(hot: dict[str, Any], rest: object) -> list[Any]:
    """Every quote row in rank order: the hot rows at their places ``at``, the others between."""
    if not isinstance(rest, list) or len(hot["at"]) != len(hot["quotes"]):
        raise ValueError("quotes missing")
    if len(hot["at"]) + len(rest) != hot["count"]:
        raise ValueError("the quotes do not add up")
    rows: list[Any] = [None] * hot["count"]
    for at, row in zip(hot["at"], hot["quotes"], strict=True):
        if type(at) is not int or not 0 <= at < len(rows) or rows[at] is not None:
            raise ValueError("a quote's place is malformed")
        rows[at] = row
    others = iter(rest)
    return [row if row is not None else next(others) for row in rows]


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
    hot: dict[str, Any], document: Document
) -> tuple[tuple[Quote, ...], int, bool, tuple[Quote, ...], tuple[Quote, ...]]:
    """The parts of a :func:`parse_hot` record: the quotes kept in memory (see
    :func:`~bot.core.quotes.in_hot_tier`), how many quotes there are in all, whether any is the
    author's own, and the short-speech and plain reserves. Raises ``ValueError``."""
    quotes = _quotes(document, hot["quotes"])
    if any(not in_hot_tier(q.score, q.speaker) for q in quotes):
        raise ValueError("a quote kept in memory is not one")
    return (
        quotes,
        hot["count"],
        hot["own"],
        _quotes(document, hot["short"]),
        _quotes(document, hot["plain"]),
    )
