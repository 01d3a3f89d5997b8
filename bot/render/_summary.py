"""/summary: whole verbatim sentences within the embed's limit, and the footer saying how many."""

from __future__ import annotations

from typing import Any

from bot.core.models import Document, Summary
from bot.render._limits import (
    EMBED_AUTHOR_LIMIT,
    EMBED_DESCRIPTION_LIMIT,
    EMBED_TITLE_LIMIT,
    _join_within,
    escape,
    shorten,
)
from bot.render._quotes import location, paragraph_in_section, sentence_emphasis
from bot.render._replies import Reply, _embed, fit_embed


def summary_reply(summary: Summary, document: Document, *, bullets: bool = False) -> Reply:
    """Render a summary: the standfirst (marked) and each verbatim sentence (italics as in the
    text) with its paragraph.

    Sentences are never cut: as many whole sentences as fit in the 4,096-character description
    are shown, in order, and the footer then says how many of them
    (``"10 of 25 sentences shown (Discord's limit)"``). Only a first sentence too long for the
    description on its own is shortened, and the footer says so.
    """
    lines: list[str] = []
    if summary.standfirst:
        lines.append(f"*Standfirst (the author's own):* {escape(summary.standfirst)}")
    mark = "• " if bullets else ""
    sentence_lines = [
        f"{mark}{escape(s.text, sentence_emphasis(document, s, s.text))} "
        f"({location(document, s.paragraph, bare='¶{}')})"
        for s in summary.sentences
    ]
    sep = "\n" if bullets else "\n\n"
    shown, shortened = 0, False
    size = sum(len(line) for line in lines) + len(sep) * max(len(lines) - 1, 0)
    for line in sentence_lines:
        extra = len(line) + (len(sep) if lines else 0)
        if size + extra > EMBED_DESCRIPTION_LIMIT:
            if shown == 0:  # nothing would be shown: the first sentence, shortened
                room = EMBED_DESCRIPTION_LIMIT - size - (len(sep) if lines else 0)
                if room > 100 or not lines:
                    lines.append(shorten(line, max(room, 1)))
                    shown, shortened = 1, True
            break
        lines.append(line)
        size += extra
        shown += 1
    description = _join_within(lines, sep, EMBED_DESCRIPTION_LIMIT)
    title = document.title
    if summary.section is not None:
        section = document.section(summary.section)
        title = f"{document.title} — {section.title or f'Section {section.number}'}"
    embed = _embed(title=shorten(title, EMBED_TITLE_LIMIT), description=description)
    if document.author:
        embed.set_author(name=shorten(document.author, EMBED_AUTHOR_LIMIT))
    count = len(summary.sentences)
    embed.set_footer(text=summary_footer(shown, count, shortened=shortened))
    return Reply(embeds=[fit_embed(embed)])


def summary_footer(shown: int, count: int, *, shortened: bool = False) -> str:
    """The summary footer: how many of the ``count`` verbatim sentences are shown."""
    noun = f"sentence{'s' if count != 1 else ''}"
    if shown == count and not shortened:
        return f"{count} {noun} taken verbatim from the text"
    cut = ", the first one shortened" if shortened else ""
    return f"{shown} of {count} {noun} shown (Discord's limit{cut}); taken verbatim from the text"


def summary_record(summary: Summary, document: Document) -> dict[str, Any]:
    """The fields the summary embed shows, as JSON-ready values."""
    return {
        "document_id": document.id,
        "title": document.title,
        "author": document.author,
        "method": summary.method,
        "section": summary.section,
        "standfirst": summary.standfirst,
        "sentences": [
            {
                "text": s.text,
                "paragraph": s.paragraph,
                "paragraph_in_section": paragraph_in_section(document, s.paragraph),
                "location": location(document, s.paragraph),
            }
            for s in summary.sentences
        ],
    }
