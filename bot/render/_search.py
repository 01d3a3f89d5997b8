"""/search: one field per hit with the match in bold and a snippet around it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.core.emphasis import Span, clip
from bot.core.models import Corpus, SearchHit
from bot.core.normalize import valid_text
from bot.render._limits import (
    ELLIPSIS,
    EMBED_FIELD_NAME_LIMIT,
    EMBED_FIELD_VALUE_LIMIT,
    EMBED_TITLE_LIMIT,
    escape,
    escaped_shorten,
    shorten,
)
from bot.render._quotes import location, paragraph_in_section
from bot.render._replies import Reply, _embed, fit_embed

SNIPPET_CONTEXT = 160


def snippet(
    hit: SearchHit, *, context: int = SNIPPET_CONTEXT, paragraph_length: int | None = None
) -> tuple[str, str, str]:
    """The text around a hit's match as ``(before, match, after)``, cut at word boundaries.

    ``before`` and ``after`` carry a leading/trailing ellipsis when text was left out, including
    text of the paragraph outside the passage when the passage is a window of a long paragraph
    (``paragraph_length`` is the paragraph's length in characters, when known).
    """
    text = hit.passage.text
    left, right = _window(hit, context)
    lead, tail = _cuts(hit, left, right, paragraph_length)
    return lead + text[left : hit.match_start], hit.matched_text, text[hit.match_end : right] + tail


def _window(hit: SearchHit, context: int) -> tuple[int, int]:
    """Offsets in the passage of the text shown around the match (word boundaries)."""
    text = hit.passage.text
    start, end = hit.match_start, hit.match_end
    left = max(0, start - context)
    if left > 0:
        space = text.find(" ", left, start)
        left = space + 1 if space != -1 else left
    right = min(len(text), end + context)
    if right < len(text):
        space = text.rfind(" ", end, right)
        right = space if space != -1 else right
    return left, right


def _cuts(hit: SearchHit, left: int, right: int, paragraph_length: int | None) -> tuple[str, str]:
    """The ellipses before and after the window: where text of the paragraph is left out."""
    window_cut = paragraph_length is not None and hit.passage.end < paragraph_length
    lead = ELLIPSIS if left > 0 or hit.passage.start > 0 else ""
    return lead, ELLIPSIS if right < len(hit.passage.text) or window_cut else ""


def _highlight(
    hit: SearchHit, limit: int, paragraph_length: int | None = None, emphasis: Sequence[Span] = ()
) -> str:
    """The snippet with the match in bold and the paragraph's italics (``emphasis``: spans
    in the passage's text) where they fall."""
    start, end = hit.match_start, hit.match_end
    match = shorten(hit.matched_text, max(limit - 40, 40))
    inside = clip(emphasis, start, start + len(match.removesuffix(ELLIPSIS)))
    bold = f"**{escape(match, inside)}**"
    context = SNIPPET_CONTEXT
    while True:
        left, right = _window(hit, context)
        lead, tail = _cuts(hit, left, right, paragraph_length)
        text = hit.passage.text
        before = escape(text[left:start], clip(emphasis, left, start))
        after = escape(text[end:right], clip(emphasis, end, right))
        body = f"{lead}{before}{bold}{after}{tail}"
        if len(body) <= limit or context == 0:
            break
        context //= 2
    return body if len(body) <= limit else f"**{escaped_shorten(match, limit - 4)}**"


def search_reply(query: str, hits: Sequence[SearchHit], corpus: Corpus) -> Reply:
    """Render search hits: one field per hit with document, paragraph, score and the highlighted match."""
    # the query is the user's text: no Markdown, no half emoji (a lone surrogate cannot be sent)
    embed = _embed(title=escaped_shorten(f"Search: {valid_text(query)}", EMBED_TITLE_LIMIT))
    for rank, hit in enumerate(hits, start=1):
        doc = corpus.get(hit.passage.document_id)
        title = doc.title if doc else hit.passage.document_id
        where = location(doc, hit.passage.paragraph)
        name = f"{rank}. {title} — {where} · score {hit.score:.0f}"
        embed.add_field(
            name=shorten(name, EMBED_FIELD_NAME_LIMIT),
            value=_highlight(
                hit, EMBED_FIELD_VALUE_LIMIT, _paragraph_length(corpus, hit), _emphasis(corpus, hit)
            ),
            inline=False,
        )
    noun = "passage" if len(hits) == 1 else "passages"
    embed.set_footer(text=f"{len(hits)} {noun}; matched words in bold")
    return Reply(embeds=[fit_embed(embed)])


def _emphasis(corpus: Corpus, hit: SearchHit) -> tuple[Span, ...]:
    """The italic spans of the hit's paragraph inside its passage (passage offsets)."""
    doc = corpus.get(hit.passage.document_id)
    if doc is None or not 1 <= hit.passage.paragraph <= len(doc.paragraphs):
        return ()
    spans = doc.paragraph(hit.passage.paragraph).emphasis
    return clip(spans, hit.passage.start, hit.passage.end)


def _paragraph_length(corpus: Corpus, hit: SearchHit) -> int | None:
    doc = corpus.get(hit.passage.document_id)
    if doc is None or not 1 <= hit.passage.paragraph <= len(doc.paragraphs):
        return None
    return len(doc.paragraph(hit.passage.paragraph).text)


def search_record(hit: SearchHit, corpus: Corpus) -> dict[str, Any]:
    """The fields a search-hit field shows, as JSON-ready values."""
    doc = corpus.get(hit.passage.document_id)
    return {
        "document_id": hit.passage.document_id,
        "title": doc.title if doc else None,
        "author": doc.author if doc else None,
        "paragraph": hit.passage.paragraph,
        "paragraph_in_section": paragraph_in_section(doc, hit.passage.paragraph),
        "location": location(doc, hit.passage.paragraph),
        "score": round(hit.score, 1),
        "exact": hit.exact,
        "text": hit.passage.text,
        "match": hit.matched_text,
        "match_start": hit.match_start,
        "match_end": hit.match_end,
        "passage_start": hit.passage.start,
        "passage_end": hit.passage.end,
        "window": hit.passage.start > 0 or hit.passage.end < (_paragraph_length(corpus, hit) or 0),
    }
