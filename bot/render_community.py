"""User-facing strings of the community features: "Where is this from?", quote cards and the
reading club.

Kept beside :mod:`bot.render` (which holds the shared primitives, the :class:`~bot.render.Reply`
type and every Discord limit) and built only from them, so the same rules hold: Markdown-escaped
corpus and user text, nothing cut inside a grapheme, nobody pinged.
"""

from __future__ import annotations

import discord

from bot import render
from bot.core.models import Document
from bot.core.provenance import Provenance

# ---- "Where is this from?" ------------------------------------------------------------------

#: The message command's name as Discord shows it in the Apps menu (1-32 characters).
WHERE_FROM_NAME = "Where is this from?"

NOTHING_TO_LOCATE = (
    "That message has no text I can look up (only an image, a sticker or an embed without text)."
)


def location(document: Document, paragraph: int) -> str:
    """Where a paragraph is: ``"Chapter 3 · paragraph 12"`` (the section's title when the
    document has sections, else the paragraph alone)."""
    section = document.section_of(paragraph)
    if section is not None and section.title:
        return f"{section.title} · paragraph {paragraph}"
    return f"paragraph {paragraph}"


def where_from_reply(found: Provenance, document: Document) -> render.Reply:
    """The source of a message: the passage with the matched words in bold, where it is, and
    how close the match is (public, like ``/search``)."""
    hit = found.hit
    embed = discord.Embed(
        title=render.shorten(f"From {render.document_label(document)}", render.EMBED_TITLE_LIMIT),
        colour=render.COLOUR,
    )
    before, match, after = render.snippet(hit)
    body = f"{render.escape(before)}**{render.escape(match)}**{render.escape(after)}"
    embed.description = render.shorten(body, render.EMBED_DESCRIPTION_LIMIT)
    closeness = "word for word" if hit.exact or hit.score >= 99.5 else f"score {hit.score:.0f}"
    embed.set_footer(text=f"{location(document, hit.passage.paragraph)} · {closeness}")
    return render.Reply(embeds=[render.fit_embed(embed)])


def not_from_corpus(best: Provenance | None) -> render.Reply:
    """No passage matched well enough: say so, privately, with how close the best one came."""
    if best is None:
        detail = "nothing in it resembles any passage"
    else:
        detail = (
            f"the closest passage scored {best.score:.0f} of 100; {best.min_score:.0f} is needed"
        )
    return render.user_error(
        f"That does not seem to be from this corpus ({detail}). "
        "Try `/search` with the words you remember."
    )
