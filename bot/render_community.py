"""User-facing strings of the community features: "Where is this from?", quote cards and the
reading club.

Kept beside :mod:`bot.render` (which holds the shared primitives, the :class:`~bot.render.Reply`
type and every Discord limit) and built only from them, so the same rules hold: Markdown-escaped
corpus and user text, nothing cut inside a grapheme, nobody pinged.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import datetime

import discord

from bot import render
from bot.core.models import Document, Quote
from bot.core.provenance import MIN_MATCHED_WORDS, Provenance
from bot.core.reading import CHAPTER, Instalment, ReadingClub, instalment_text

# ---- "Where is this from?" ------------------------------------------------------------------

#: The message command's name as Discord shows it in the Apps menu (1-32 characters).
WHERE_FROM_NAME = "Where is this from?"

NOTHING_TO_LOCATE = (
    "That message has no text I can look up (only an image, a sticker or an embed without text)."
)


def location(document: Document, paragraph: int) -> str:
    """Where a paragraph is: :func:`bot.render.location` ("Chapter 3, ¶12", counted within the
    section, as every other feature shows it), else ``"paragraph 12"``."""
    return render.location(document, paragraph)


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
    elif best.score >= best.min_score:  # close, but on too few words to be a quotation
        words = "word matches" if best.matched_words == 1 else "words match"
        detail = (
            f"only {best.matched_words} {words} a passage; a quotation needs "
            f"{MIN_MATCHED_WORDS} or more"
        )
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


# ---- the reading club -----------------------------------------------------------------------

#: Room kept in an instalment page's embed description for the escapes and the heading.
PAGE_CHARS = render.EMBED_DESCRIPTION_LIMIT - 196


def instalment_heading(instalment: Instalment) -> str:
    """``"Day 3 of 61 · Chapter 3"`` for a chapter a day; ``"Day 2 of 9 · Chapter 1, ¶6–10"``
    for a number of paragraphs within one chapter (:func:`bot.render.section_span`)."""
    section = instalment.section
    whole = section is not None and (section.first, section.last) == (
        instalment.first,
        instalment.last,
    )
    if section is not None and section.title and whole:
        where = section.title
    else:
        where = render.section_span(section, instalment.first, instalment.last)
    return f"Day {instalment.day} of {instalment.total} · {where}"


def instalment_pages(document: Document, instalment: Instalment) -> list[str]:
    """The instalment's text, Markdown-escaped, in pages that each fit one embed (cut between
    paragraphs, else sentences, else words)."""
    text = "\n\n".join(render.escape(p) for p in instalment_text(document, instalment))
    return render.split_message(text, PAGE_CHARS)


def instalment_reply(
    document: Document, instalment: Instalment, pages: list[str], page: int, *, private: bool
) -> render.Reply:
    """Page ``page`` (1-based) of an instalment: posted in the channel, or in a member's pager."""
    embed = discord.Embed(
        title=render.shorten(instalment_heading(instalment), render.EMBED_TITLE_LIMIT),
        description=pages[page - 1],
        colour=render.COLOUR,
    )
    embed.set_author(
        name=render.shorten(render.document_label(document), render.EMBED_AUTHOR_LIMIT)
    )
    hint = " · Next ▶ reads on" if page < len(pages) else ""
    embed.set_footer(text=f"Page {page} of {len(pages)}{hint}")
    return render.Reply(embeds=[render.fit_embed(embed)], ephemeral=private)


def reading_reply(text: str) -> render.Reply:
    """An ephemeral ``/reading`` answer."""
    return render.Reply(content=render.shorten(text, render.MESSAGE_LIMIT), ephemeral=True)


NO_CLUB = "This server has no reading club. Start one with `/reading start`."
CLUB_OVER = "The reading club has ended, or moved on to another book: these pages are gone."
NOT_YET = "That instalment has not been posted yet."
NOTHING_TO_SKIP = "The book is finished: there is no instalment left to skip."


def bad_instalment_size(given: int, most: int) -> str:
    """The answer to ``/reading start paragraphs:`` outside 1..``most`` (a non-standard client
    can send it); nothing is saved."""
    return (
        f"`paragraphs` must be a whole number from 1 to {most}, not {given}. "
        "Leave it out for a chapter a day. Nothing was saved."
    )


def size_words(size: int) -> str:
    """``"a chapter a day"`` or ``"12 paragraphs a day"``."""
    if size == CHAPTER:
        return "a chapter a day"
    return "1 paragraph a day" if size == 1 else f"{size} paragraphs a day"


def reading_started(
    club: ReadingClub, document: Document, total: int, first_posts: Sequence[datetime]
) -> render.Reply:
    """``/reading start`` done: what, where, when, how much, and the first posts."""
    thread = " Each instalment opens a thread for discussion." if club.thread else ""
    return reading_reply(
        f"Reading club started: {render.escape(render.document_label(document))}, "
        f"{size_words(club.size)} ({total} instalments), {render.describe_schedule(club.schedule)}."
        f"{thread}\nFirst posts: {render.discord_timestamps(first_posts)}."
    )


def reading_status(
    club: ReadingClub, document: Document, next_day: int, total: int, next_post: Sequence[datetime]
) -> render.Reply:
    """``/reading status``: the book, the schedule, where the club is, what comes next."""
    lines = [
        f"Reading {render.escape(render.document_label(document))}, {size_words(club.size)}, "
        f"{render.describe_schedule(club.schedule)}.",
        f"Read so far: {next_day - 1} of {total} instalments.",
    ]
    if next_day > total:
        lines.append("The book is finished. `/reading stop` ends the club.")
    elif club.paused:
        lines.append(f"**Paused** before day {next_day}. `/reading resume` goes on.")
    else:
        lines.append(f"Next: day {next_day}, {render.discord_timestamps(next_post)}.")
    return reading_reply("\n".join(lines))


def reading_changed(what: str, next_day: int | None = None) -> render.Reply:
    """``/reading pause|resume|skip|stop`` done."""
    texts = {
        "pause": "The reading club is paused. `/reading resume` goes on where it stopped.",
        "resume": f"The reading club goes on with day {next_day}.",
        "skip": f"Skipped: the next post brings day {next_day}.",
        "stop": "The reading club has stopped. Its posts stay in the channel.",
    }
    return reading_reply(texts[what])
