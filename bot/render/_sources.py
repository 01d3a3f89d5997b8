"""/sources: the paged list of documents and one document's details."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.core.models import Document, Summary
from bot.core.sources import Source
from bot.render._limits import (
    EMBED_AUTHOR_LIMIT,
    EMBED_DESCRIPTION_LIMIT,
    EMBED_FIELD_VALUE_LIMIT,
    EMBED_TITLE_LIMIT,
    _count,
    _join_within,
    escape,
    escaped_shorten,
    shorten,
)
from bot.render._replies import Reply, _embed, fit_embed, user_error

#: Documents per ``/sources`` page.
SOURCES_PER_PAGE = 10
#: Sections listed by ``/sources document:`` before "…and N more".
SOURCE_SECTIONS_SHOWN = 15
#: Characters of a document's one-line description in the list.
SOURCE_DESCRIPTION_CHARS = 140
NO_SOURCES = "No documents are available here."
SOURCES_PREVIOUS = "Previous"
SOURCES_NEXT = "Next"


def source_line(source: Source) -> str:
    """``**Title** — Author · 12,345 words`` and, on the next line, the description."""
    head = f"**{escaped_shorten(source.title, 200)}**"
    if source.author:
        head += f" — {escaped_shorten(source.author, 100)}"
    head += f" · {_count(source.words, 'word')} · `{source.document_id}`"
    if source.description:
        head += "\n" + escaped_shorten(source.description, SOURCE_DESCRIPTION_CHARS)
    return head


def sources_page_count(count: int) -> int:
    """How many ``/sources`` pages ``count`` documents take (at least one)."""
    return max(1, -(-count // SOURCES_PER_PAGE))


def sources_page(sources: Sequence[Source], page: int) -> Reply:
    """Page ``page`` (0-based, clamped) of the ``/sources`` list, footer "Page 2 of 5 · 43
    documents"."""
    if not sources:
        return user_error(NO_SOURCES)
    pages = sources_page_count(len(sources))
    page = min(max(page, 0), pages - 1)
    shown = sources[page * SOURCES_PER_PAGE : (page + 1) * SOURCES_PER_PAGE]
    description = _join_within((source_line(s) for s in shown), "\n\n", EMBED_DESCRIPTION_LIMIT)
    embed = _embed(title="Sources", description=description)
    embed.set_footer(
        text=f"Page {page + 1} of {pages} · {_count(len(sources), 'document')} · "
        "/sources document: for one document's details"
    )
    return Reply(embeds=[fit_embed(embed)])


def source_reply(source: Source, document: Document, summary: Summary | None) -> Reply:
    """``/sources document:``: details, sections (the first :data:`SOURCE_SECTIONS_SHOWN`) and
    the short summary."""
    lines = [escape(s.text) for s in summary.sentences] if summary else []
    embed = _embed(
        title=shorten(source.title, EMBED_TITLE_LIMIT),
        description=_join_within(lines, " ", EMBED_DESCRIPTION_LIMIT) or None,
    )
    if source.author:
        embed.set_author(name=shorten(source.author, EMBED_AUTHOR_LIMIT))
    embed.add_field(name="Id", value=f"`{source.document_id}`")
    embed.add_field(name="Words", value=f"{source.words:,}")
    embed.add_field(name="Paragraphs", value=f"{source.paragraphs:,}")
    if source.date:
        embed.add_field(name="Date", value=escaped_shorten(source.date, 100))
    if document.sections:
        listed = [
            f"{s.number}. {escape(s.title or 'Untitled')} (¶{s.first}–{s.last})"
            for s in document.sections[:SOURCE_SECTIONS_SHOWN]
        ]
        more = len(document.sections) - SOURCE_SECTIONS_SHOWN
        if more > 0:
            listed.append(f"…and {more} more")
        embed.add_field(
            name=f"Sections ({len(document.sections)})",
            value=_join_within(listed, "\n", EMBED_FIELD_VALUE_LIMIT),
            inline=False,
        )
    if summary:
        embed.set_footer(text="Summary: sentences taken verbatim from the text")
    return Reply(embeds=[fit_embed(embed)])


def source_record(source: Source, document: Document | None = None) -> dict[str, Any]:
    """A source as JSON-ready values (with sections when ``document`` is given)."""
    record: dict[str, Any] = {
        "document_id": source.document_id,
        "title": source.title,
        "author": source.author,
        "date": source.date,
        "words": source.words,
        "paragraphs": source.paragraphs,
        "sections": source.sections,
        "description": source.description,
    }
    if document is not None:
        record["section_list"] = [
            {"number": s.number, "title": s.title, "first": s.first, "last": s.last}
            for s in document.sections
        ]
    return record
