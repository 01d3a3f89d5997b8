"""Context around a quote or a search hit, and ready-to-paste citations.

"More context" widens in steps, each a superset of the one before:

====== ===========================================================
level  what is shown
====== ===========================================================
0      the sentence(s) the span touches
1      those sentences and one sentence either side
2      the whole paragraph
3      the paragraph with its neighbours (one either side)
4      two paragraphs either side (the widest step)
====== ===========================================================

Pure functions over the corpus model; the bot renders the result.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from bot.core.emphasis import clip
from bot.core.models import Document

MAX_LEVEL = 4


@dataclass(frozen=True, slots=True)
class Excerpt:
    """A verbatim excerpt of a document.

    Attributes:
        document_id: the document.
        first_paragraph/last_paragraph: 1-based, inclusive range of paragraphs the excerpt spans.
        text: the excerpt; paragraphs separated by a blank line.
        level: the widening step that produced it (0..``MAX_LEVEL``).
        widest: whether a wider step would show nothing more.
        target_start/target_end: character offsets of the widened span in ``text``
            (``text[target_start:target_end]`` is the quote or the match), so a shortened
            excerpt can stay centred on it.
        emphasis: the italic spans of its paragraphs, as offsets into ``text``.
    """

    document_id: str
    first_paragraph: int
    last_paragraph: int
    text: str
    level: int
    widest: bool
    target_start: int = 0
    target_end: int = 0
    emphasis: tuple[tuple[int, int], ...] = ()


def widen(document: Document, paragraph: int, start: int, end: int, level: int) -> Excerpt:
    """The excerpt at ``level`` around the span ``[start, end)`` of paragraph ``paragraph``.

    ``start``/``end`` are character offsets into the paragraph text. ``level`` is clamped to
    ``0..MAX_LEVEL``. Raises ``IndexError`` when the paragraph does not exist.
    """
    level = max(0, min(level, MAX_LEVEL))
    para = document.paragraph(paragraph)
    if level <= 1:
        touched = [
            i
            for i, s in enumerate(para.sentences)
            if s.start < max(end, start + 1) and s.end > start
        ] or [0]
        lo = max(touched[0] - level, 0)
        hi = min(touched[-1] + level, len(para.sentences) - 1)
        offset = para.sentences[lo].start if para.sentences else 0
        text = para.text[offset : para.sentences[hi].end] if para.sentences else para.text
        whole_document = lo == 0 and hi >= len(para.sentences) - 1 and len(document.paragraphs) == 1
        t_start, t_end = _clamp_span(start - offset, end - offset, len(text))
        spans = clip(para.emphasis, offset, offset + len(text))
        return Excerpt(
            document.id, paragraph, paragraph, text, level, whole_document, t_start, t_end, spans
        )
    reach = level - 2
    first = max(1, paragraph - reach)
    last = min(len(document.paragraphs), paragraph + reach)
    texts = [document.paragraph(n).text for n in range(first, last + 1)]
    text = "\n\n".join(texts)
    offset = sum(len(t) + 2 for t in texts[: paragraph - first])
    widest = level == MAX_LEVEL or (first == 1 and last == len(document.paragraphs))
    t_start, t_end = _clamp_span(start + offset, end + offset, len(text))
    italics: list[tuple[int, int]] = []
    at = 0
    for number, paragraph_text in enumerate(texts, start=first):
        italics += [(at + s, at + e) for s, e in document.paragraph(number).emphasis]
        at += len(paragraph_text) + 2
    return Excerpt(document.id, first, last, text, level, widest, t_start, t_end, tuple(italics))


def _clamp_span(start: int, end: int, length: int) -> tuple[int, int]:
    start = max(0, min(start, length))
    return start, max(start, min(end, length))


def steps(document: Document, paragraph: int, start: int, end: int) -> list[Excerpt]:
    """The distinct widening steps around the span ``[start, end)`` of paragraph ``paragraph``.

    The excerpts of :func:`widen` for levels ``0..MAX_LEVEL``, keeping only those that add text
    to the one before (a short paragraph makes level 1 and level 2 the same text, for one), so
    each returned excerpt is strictly longer than the previous one and contains it. The last
    one is marked ``widest``. Never empty. Raises ``IndexError`` when the paragraph does not
    exist.
    """
    out: list[Excerpt] = []
    for level in range(MAX_LEVEL + 1):
        excerpt = widen(document, paragraph, start, end, level)
        if out and len(excerpt.text) <= len(out[-1].text):
            continue
        out.append(excerpt)
        if excerpt.widest:
            break
    last = out[-1]
    if not last.widest:
        out[-1] = replace(last, widest=True)
    return out


def citation(document: Document, paragraph: int | None = None, *, where: str | None = None) -> str:
    """A ready-to-paste citation: author, title, outlet, date, paragraph, link (whatever is known).

    Example: ``Benedict Rogers, “Trump Must Hold …”, HuffPost UK, 2019-02-25, paragraph 7.``
    followed by the source URL when known. ``where`` replaces "paragraph 7" (the bot passes
    ``bot.render.location``: "Chapter 3, ¶7").
    """
    parts = []
    if document.author:
        parts.append(document.author)
    parts.append(f"“{document.title}”")
    if document.outlet:
        parts.append(document.outlet)
    if document.date:
        parts.append(document.date)
    if where:
        parts.append(where)
    elif paragraph is not None:
        parts.append(f"paragraph {paragraph}")
    text = ", ".join(parts) + "."
    if document.source_url:
        text += f" {document.source_url}"
    return text
