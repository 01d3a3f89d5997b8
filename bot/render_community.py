"""User-facing strings of the community features: "Where is this from?", quote cards and the
reading club.

Kept beside :mod:`bot.render` (which holds the shared primitives, the :class:`~bot.render.Reply`
type and every Discord limit) and built only from them, so the same rules hold: Markdown-escaped
corpus and user text, nothing cut inside a grapheme, nobody pinged.
"""

from __future__ import annotations

import io

import discord

from bot import render
from bot.core.models import Document, Quote
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


# ---- quote cards ----------------------------------------------------------------------------

CARD_FILENAME = "quote.png"
#: Discord's limit on an attachment's description (its alt text).
ATTACHMENT_DESCRIPTION_LIMIT = 1024
CARD_STYLE_NAMES = {"light": "Light", "dark": "Dark", "ink": "Ink (blue)"}


def card_text(quote: Quote, document: Document) -> tuple[str, str, str]:
    """What a quote card shows: the words, the attribution line and the source line."""
    source = " · ".join(
        part
        for part in (document.outlet, document.date, location(document, quote.paragraph))
        if part
    )
    return quote.text, render.attribution(quote, document), source


def card_reply(png: bytes, quote: Quote, document: Document) -> render.Reply:
    """A quote card as a public message: the PNG, with the quote as its alt text."""
    words, who, _ = card_text(quote, document)
    alt = render.shorten(f"{words} {who}", ATTACHMENT_DESCRIPTION_LIMIT)
    card = discord.File(io.BytesIO(png), filename=CARD_FILENAME, description=alt)
    return render.Reply(files=[card])


def card_style_set(style: str) -> render.Reply:
    """``/card_style``: confirmation."""
    return render.notice(
        f"Quote cards on this server now use the {CARD_STYLE_NAMES.get(style, style)} style."
    )


def with_card_note(reply: render.Reply, card: bool | None) -> render.Reply:
    """``/daily set``'s answer with whether posts are cards, when the option was given."""
    if card is not None and reply.content is not None:
        note = (
            "Each post is a quote card (an image; the bot needs Attach Files there)."
            if card
            else "Each post is a text quote."
        )
        reply.content = render.shorten(f"{reply.content}\n{note}", render.MESSAGE_LIMIT)
    return reply
