"""Every user-facing string and every Discord limit, in one place.

Cogs call one function here per reply and send what it returns; the console and the one-shot CLI
render the same :class:`Reply` as plain text, and ``--json`` uses the ``*_record`` functions, so
what a user sees in Discord, in the console and in JSON is the same data.

Rules kept here:

* Discord's limits (Discord's API documentation; see docs/ARCHITECTURE.md): 2000 characters of message content,
  embed title 256, description 4096, 25 fields of name 256 / value 1024, footer 2048, author 256,
  6000 characters across all embeds of a message, 25 autocomplete choices of 1-100 characters.
  Shortening never cuts a grapheme (emoji with joiners and modifiers, combining marks) in half,
  and prefers paragraph, then sentence, then word boundaries.
* Corpus and user text is Markdown-escaped so it reads exactly as written. Nobody is
  pinged by corpus or user text: the client sets ``AllowedMentions.none()`` and every send passes
  it too. The one exception is deliberate: a daily post mentions the role a server's
  admins chose with ``/daily set mention_role`` (only that role).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import discord

from bot.core.context import Excerpt
from bot.core.daily import DailySchedule, next_send_times, zone_offset_label, zone_offset_note
from bot.core.graphemes import safe_cut
from bot.core.models import Corpus, Document, Quote, SearchHit, Section, Summary
from bot.core.normalize import valid_text
from bot.core.sources import Source
from bot.scheduler import (
    STATUS_CHANNEL_MISSING,
    STATUS_FAILING,
    STATUS_NO_QUOTES,
    STATUS_OK,
    STATUS_PAUSED,
    STATUS_WRONG_GUILD,
    PostOutcome,
    PostResult,
)
from bot.storage import GuildStatus, PostRecord, ScheduleRecord

# Discord limits (characters).
MESSAGE_LIMIT = 2000
EMBED_TITLE_LIMIT = 256
EMBED_DESCRIPTION_LIMIT = 4096
EMBED_FIELD_COUNT_LIMIT = 25
EMBED_FIELD_NAME_LIMIT = 256
EMBED_FIELD_VALUE_LIMIT = 1024
EMBED_FOOTER_LIMIT = 2048
EMBED_AUTHOR_LIMIT = 256
EMBED_TOTAL_LIMIT = 6000
CHOICE_LIMIT = 25
CHOICE_NAME_LIMIT = 100

ELLIPSIS = "…"
COLOUR = discord.Colour(0x5865F2)
NO_MENTIONS = discord.AllowedMentions.none()

# ---------------------------------------------------------------------------------------------
# Text primitives
# ---------------------------------------------------------------------------------------------


def shorten(text: str, limit: int, *, placeholder: str = ELLIPSIS) -> str:
    """Return ``text`` if it fits in ``limit`` characters, else a cut at the best boundary + ``placeholder``.

    Boundaries preferred, in order: paragraph break, sentence end, word break, any grapheme edge.
    A boundary is only used if it keeps at least half of the room. Raises ``ValueError`` if
    ``limit`` cannot even hold the placeholder.
    """
    if len(text) <= limit:
        return text
    room = limit - len(placeholder)
    if room < 0:
        raise ValueError(f"limit {limit} is too small for the placeholder")
    hard = safe_cut(text, room)
    if (len(text[:hard]) - len(text[:hard].rstrip("\\"))) % 2 == 1:
        hard -= 1  # never leave a Markdown escape without the character it escapes
    head = text[:hard]
    floor = hard // 2
    for sep in ("\n\n", ". ", "! ", "? ", "\n", " "):
        at = head.rfind(sep)
        if at >= floor:
            end = at + (1 if sep in (". ", "! ", "? ") else 0)
            return head[:end].rstrip() + placeholder
    return head.rstrip() + placeholder


def split_message(text: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """Split ``text`` into chunks of at most ``limit`` characters, at the best boundaries.

    Every chunk is non-empty; joining the chunks with the separators they were split at gives
    back the text (whitespace at the cut is dropped). No grapheme is cut in half.
    """
    chunks: list[str] = []
    rest = text
    while len(rest) > limit:
        hard = safe_cut(rest, limit)
        head = rest[:hard]
        cut = hard
        for sep in ("\n\n", ". ", "! ", "? ", "\n", " "):
            at = head.rfind(sep)
            if at >= hard // 2:
                cut = at + (1 if sep in (". ", "! ", "? ") else len(sep))
                break
        if cut <= 0:
            cut = hard if hard > 0 else limit
        chunks.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        chunks.append(rest)
    return [c for c in chunks if c]


def escape(text: str) -> str:
    """Escape Discord Markdown so corpus or user text reads exactly as written."""
    return discord.utils.escape_markdown(text, ignore_links=False)


def escaped_shorten(text: str, limit: int) -> str:
    """Escape ``text`` and shorten it so the *escaped* form fits ``limit``, never leaving a dangling backslash."""
    raw_limit = limit
    while True:
        out = escape(shorten(text, raw_limit))
        if len(out) <= limit:
            return out
        raw_limit -= max(1, len(out) - limit)


def choice_name(text: str) -> str:
    """An autocomplete choice name/value: 1-100 characters, single line."""
    flat = " ".join(text.split()) or "-"
    return shorten(flat, CHOICE_NAME_LIMIT)


# ---------------------------------------------------------------------------------------------
# Replies
# ---------------------------------------------------------------------------------------------


@dataclass(slots=True)
class Reply:
    """One reply: content and/or embeds, ephemeral or not, plus an optional view (buttons).

    ``send_kwargs()`` gives keyword arguments for ``InteractionResponse.send_message``,
    ``Webhook.send`` and ``Messageable.send`` alike, always with ``allowed_mentions`` set to none.
    """

    content: str | None = None
    embeds: list[discord.Embed] = field(default_factory=list)
    ephemeral: bool = False
    view: discord.ui.View | None = None
    files: list[discord.File] = field(default_factory=list)

    def send_kwargs(self, *, channel: bool = False) -> dict[str, Any]:
        """Keyword arguments for sending this reply (``channel=True`` for ``Messageable.send``)."""
        kwargs: dict[str, Any] = {"allowed_mentions": NO_MENTIONS}
        if self.content is not None:
            kwargs["content"] = self.content
        if self.embeds:
            kwargs["embeds"] = self.embeds
        if self.view is not None:
            kwargs["view"] = self.view
        if self.files:
            kwargs["files"] = self.files
        if not channel:
            kwargs["ephemeral"] = self.ephemeral
        return kwargs


def user_error(message: str) -> Reply:
    """A polite ephemeral explanation of what was wrong with the user's input."""
    return Reply(content=shorten(message, MESSAGE_LIMIT), ephemeral=True)


COMMAND_CHANGED = (
    "This command changed: it will be updated shortly. Close the command and type it again in "
    "a minute (if it does not show the new options, restart Discord with Ctrl+R)."
)


def cooldown(retry_after: float) -> Reply:
    """The ephemeral answer to a costly command sent too often (``retry_after`` seconds)."""
    return user_error(
        f"You are going a little fast for this command: try again in {max(1, round(retry_after))} s."
    )


def command_changed() -> Reply:
    """The ephemeral answer to a command or option the bot no longer has."""
    return user_error(COMMAND_CHANGED)


OWNER_ONLY = "Only the bot's owner can sync its commands."
SYNCED = "Commands synced."
SYNC_FAILED = "Discord refused to register the commands; see the bot's log."


def sync_failed(status: int, code: int, text: str, dev_guild: int | None) -> str:
    """The log line for a command sync Discord refused: what happened and what to do.

    ``status``/``code``/``text`` are the HTTP status, Discord's JSON error code and message.
    """
    where = f"in the server {dev_guild} (discord.dev_guild_id)" if dev_guild else "globally"
    if code == 50001 and dev_guild:
        advice = (
            "the bot is not in that server, or was invited without the applications.commands "
            "scope: invite it there, or unset discord.dev_guild_id"
        )
    elif code == 30034:
        advice = (
            "Discord's daily limit on creating commands (200 a day) is used up: the commands "
            "registered before stay; the next start tries again"
        )
    elif status == 429:
        advice = "Discord is rate limiting command updates: the next start tries again"
    else:
        advice = "the commands registered before stay; the next start tries again"
    return f"could not register the slash commands {where}: {status} (code {code}) {text}; {advice}"


def sync_rate_limited(retry_after: float, dev_guild: int | None) -> str:
    """The log line for a command sync Discord asks to retry only after ``retry_after`` seconds
    (its daily limit on creating commands, code 30034, answers with hours)."""
    where = f"in the server {dev_guild} (discord.dev_guild_id)" if dev_guild else "globally"
    hours = retry_after / 3600
    wait = f"{hours:.1f} h" if hours >= 1 else f"{retry_after:.0f} s"
    return (
        f"could not register the slash commands {where}: Discord asks to wait {wait} (its daily "
        "limit on creating commands, 200 a day, is probably used up); the commands registered "
        "before stay; the next start tries again"
    )


APOLOGY = "Sorry, something went wrong while answering that. It has been logged; please try again in a moment."


def notice(message: str) -> Reply:
    """A short ephemeral confirmation (e.g. after an owner command)."""
    return Reply(content=shorten(message, MESSAGE_LIMIT), ephemeral=True)


def apology() -> Reply:
    """The short apology a user sees when a command failed for a reason that is not theirs."""
    return Reply(content=APOLOGY, ephemeral=True)


def fit_embed(embed: discord.Embed) -> discord.Embed:
    """Bring an embed within every Discord limit, shortening lowest-priority parts first.

    Priority (kept longest): title, description, then fields in order; the footer and the
    trailing fields go first when the 6000-character total is exceeded.
    """
    if embed.title:
        embed.title = shorten(embed.title, EMBED_TITLE_LIMIT)
    if embed.description:
        embed.description = shorten(embed.description, EMBED_DESCRIPTION_LIMIT)
    if embed.footer and embed.footer.text:
        embed.set_footer(text=shorten(embed.footer.text, EMBED_FOOTER_LIMIT))
    if embed.author and embed.author.name:
        embed.set_author(name=shorten(embed.author.name, EMBED_AUTHOR_LIMIT), url=embed.author.url)
    fields = list(embed.fields)[:EMBED_FIELD_COUNT_LIMIT]
    embed.clear_fields()
    for f in fields:
        embed.add_field(
            name=shorten(f.name or "-", EMBED_FIELD_NAME_LIMIT),
            value=shorten(f.value or "-", EMBED_FIELD_VALUE_LIMIT),
            inline=bool(f.inline),
        )
    while len(embed) > EMBED_TOTAL_LIMIT:
        excess = len(embed) - EMBED_TOTAL_LIMIT
        if embed.fields:
            last = embed.fields[-1]
            value = last.value or ""
            if len(value) - excess >= 200:
                embed.set_field_at(
                    len(embed.fields) - 1,
                    name=last.name,
                    value=shorten(value, len(value) - excess),
                    inline=bool(last.inline),
                )
            else:
                embed.remove_field(len(embed.fields) - 1)
        elif embed.description:
            embed.description = shorten(embed.description, max(len(embed.description) - excess, 1))
        else:  # pragma: no cover - title/footer alone cannot exceed 6000 after the cuts above
            break
    return embed


def _embed(title: str | None = None, description: str | None = None) -> discord.Embed:
    return discord.Embed(title=title, description=description, colour=COLOUR)


def document_label(document: Document) -> str:
    """How a document is named to users: its title, and the author when known."""
    if document.author:
        return f"{document.title} ({document.author})"
    return document.title


# ---- /quote ---------------------------------------------------------------------------------


def attribution(quote: Quote, document: Document) -> str:
    """Plain-text attribution: '— Speaker, quoted in Title by Author', '— quoted in Title by
    Author' (speech whose speaker is not known) or '— Author, Title'."""
    by = f" by {document.author}" if document.author else ""
    if quote.speaker:
        return f"— {quote.speaker}, quoted in {document.title}{by}"
    if quote.quoted:
        return f"— quoted in {document.title}{by}"
    if document.author:
        return f"— {document.author}, {document.title}"
    return f"— {document.title}"


def quote_reply(quote: Quote, document: Document) -> Reply:
    """Render a quote as one embed: the words, who said them, where (paragraph N of Title)."""
    words = escaped_shorten(quote.text, EMBED_DESCRIPTION_LIMIT - 400)
    if not quote.text.startswith(("“", '"', "‘", "'", "«")):  # joined speech keeps its own marks
        words = f"“{words}”"
    embed = _embed(description=f"{words}\n\n{escaped_shorten(attribution(quote, document), 300)}")
    embed.set_footer(text=location(document, quote.paragraph, bare="Paragraph {}"))
    return Reply(embeds=[fit_embed(embed)])


def quote_record(quote: Quote, document: Document) -> dict[str, Any]:
    """The fields the quote embed shows, as JSON-ready values."""
    return {
        "text": quote.text,
        "speaker": quote.speaker,
        "quoted": quote.quoted,
        "author": document.author,
        "document_id": document.id,
        "title": document.title,
        "paragraph": quote.paragraph,
        "paragraph_in_section": paragraph_in_section(document, quote.paragraph),
        "location": quote_location(quote, document),
        "attribution": attribution(quote, document),
    }


def location(
    document: Document | None,
    paragraph: int,
    last: int | None = None,
    *,
    bare: str = "paragraph {}",
) -> str:
    """Where paragraph ``paragraph`` (to ``last``) of ``document`` is, for every place a location
    is shown (quote, search hit, summary line, citation, More context).

    In a titled section: ``"Chapter 3, ¶12"`` (``"Chapter 3, ¶12–14"``), the paragraph counted
    within the section. Elsewhere (no sections, text before the first heading, a range across
    sections, an unknown document): as before sections existed, ``bare`` with the document-wide
    number (``"paragraph 12"``, ``"Paragraph 12"``, ``"¶12"``; ``"paragraphs 12–14"``).
    """
    section = document.section_of(paragraph) if document is not None else None
    return section_span(section, paragraph, last, bare=bare)


def section_span(
    section: Section | None, paragraph: int, last: int | None = None, *, bare: str = "paragraph {}"
) -> str:
    """:func:`location` once the section holding ``paragraph`` is known (``None``: none)."""
    if section is not None and section.title and (last is None or last <= section.last):
        first_in = section.paragraph_in_section(paragraph)
        span = (
            f"¶{first_in}"
            if last in (None, paragraph)
            else (f"¶{first_in}–{section.paragraph_in_section(last)}")
        )
        return f"{section.title}, {span}"
    if last is None or last == paragraph:
        return bare.format(paragraph)
    return bare.replace("paragraph", "paragraphs").format(f"{paragraph}–{last}")


def paragraph_in_section(document: Document | None, paragraph: int) -> int | None:
    """For JSON: ``paragraph`` (document-wide) counted within its titled section, else ``None``."""
    section = document.section_of(paragraph) if document is not None else None
    return section.paragraph_in_section(paragraph) if section and section.title else None


def quote_location(quote: Quote, document: Document) -> str:
    """Where a quote is (:func:`location`): "Chapter 3, ¶12", else "paragraph 12"."""
    return location(document, quote.paragraph)


def ranked_quotes_text(quotes: Sequence[Quote], document: Document) -> str:
    """``corpusbot quotes``: one block per quote, best first: rank, score, location, speaker."""
    if not quotes:
        return f"No quotable lines in {document.title}."
    blocks = []
    for rank, quote in enumerate(quotes, 1):
        who = (
            f" — {quote.speaker}"
            if quote.speaker
            else (" — (speaker unknown)" if quote.quoted else "")
        )
        where = quote_location(quote, document)
        blocks.append(f"{rank:>3}. [{quote.score:.3f}] {quote.text}{who}\n     ({where})")
    return "\n".join(blocks)


def ranked_quotes_record(quotes: Sequence[Quote], document: Document) -> list[dict[str, Any]]:
    """``corpusbot quotes --json``: rank, score, text, speaker and location of each quote."""
    return [
        {
            "rank": rank,
            "score": quote.score,
            "text": quote.text,
            "speaker": quote.speaker,
            "quoted": quote.quoted,
            "document_id": document.id,
            "paragraph": quote.paragraph,
            "paragraph_in_section": paragraph_in_section(document, quote.paragraph),
            "section": getattr(document.section_of(quote.paragraph), "title", None),
            "location": quote_location(quote, document),
        }
        for rank, quote in enumerate(quotes, 1)
    ]


# ---- /search --------------------------------------------------------------------------------

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
    start, end = hit.match_start, hit.match_end
    left = max(0, start - context)
    if left > 0:
        space = text.find(" ", left, start)
        left = space + 1 if space != -1 else left
    right = min(len(text), end + context)
    if right < len(text):
        space = text.rfind(" ", end, right)
        right = space if space != -1 else right
    before = (ELLIPSIS if left > 0 or hit.passage.start > 0 else "") + text[left:start]
    window_cut = paragraph_length is not None and hit.passage.end < paragraph_length
    after = text[end:right] + (ELLIPSIS if right < len(text) or window_cut else "")
    return before, text[start:end], after


def _highlight(hit: SearchHit, limit: int, paragraph_length: int | None = None) -> str:
    before, match, after = snippet(hit, paragraph_length=paragraph_length)
    match = shorten(match, max(limit - 40, 40))
    body = f"{escape(before)}**{escape(match)}**{escape(after)}"
    context = SNIPPET_CONTEXT
    while len(body) > limit and context > 0:
        context //= 2
        before, _, after = snippet(hit, context=context, paragraph_length=paragraph_length)
        body = f"{escape(before)}**{escape(match)}**{escape(after)}"
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
            value=_highlight(hit, EMBED_FIELD_VALUE_LIMIT, _paragraph_length(corpus, hit)),
            inline=False,
        )
    noun = "passage" if len(hits) == 1 else "passages"
    embed.set_footer(text=f"{len(hits)} {noun}; matched words in bold")
    return Reply(embeds=[fit_embed(embed)])


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


# ---- /summary -------------------------------------------------------------------------------


def summary_reply(summary: Summary, document: Document, *, bullets: bool = False) -> Reply:
    """Render a summary: the standfirst (marked) and each verbatim sentence with its paragraph.

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
        f"{mark}{escape(s.text)} ({location(document, s.paragraph, bare='¶{}')})"
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


def _join_within(lines: Iterable[str], sep: str, limit: int) -> str:
    out: list[str] = []
    size = 0
    for line in lines:
        extra = len(line) + (len(sep) if out else 0)
        if size + extra > limit:
            if not out:
                out.append(shorten(line, limit))
            break
        out.append(line)
        size += extra
    return sep.join(out)


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


# ---- plain text (console, CLI) --------------------------------------------------------------


def _unescape(text: str) -> str:
    out = []
    i = 0
    while i < len(text):
        if text[i] == "\\" and i + 1 < len(text):
            out.append(text[i + 1])
            i += 2
            continue
        out.append(text[i])
        i += 1
    return "".join(out)


def reply_text(reply: Reply) -> str:
    """A reply as plain terminal text: what the embed shows, Markdown escapes removed, bold kept as **."""
    parts: list[str] = []
    if reply.content:
        parts.append(("(only you can see this) " if reply.ephemeral else "") + reply.content)
    for embed in reply.embeds:
        if embed.title:
            parts.append(f"== {embed.title} ==")
        if embed.author and embed.author.name:
            parts.append(f"by {embed.author.name}")
        if embed.description:
            parts.append(_unescape(embed.description))
        for f in embed.fields:
            parts.append(f"{f.name}\n  {_unescape(f.value or '')}")
        if embed.footer and embed.footer.text:
            parts.append(f"[{embed.footer.text}]")
    return "\n".join(parts)


# ---- autocomplete ---------------------------------------------------------------------------


#: Characters that show nothing on their own: format characters (zero-width space, joiners, RTL
#: and LTR marks, U+FEFF), controls, and the blank letters Hangul fillers and the Braille blank.
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")


def _visible(text: str) -> bool:
    return any(
        not ch.isspace() and ch not in _BLANK_LETTERS and unicodedata.category(ch)[0] not in "CZ"
        for ch in text
    )


def choices(pairs: Iterable[tuple[str, str]]) -> list[discord.app_commands.Choice[str]]:
    """Autocomplete choices from ``(name, value)`` pairs: at most 25, unique values.

    A value is sent back by Discord as the option's value, so it is never altered: one that is
    empty or longer than 100 characters is left out (document ids come as short keys, see
    ``Library.document_value``). A name that shows nothing (only zero-width, RTL or BOM
    characters) is replaced by the value; names are cut to 100 characters.
    """
    out: list[discord.app_commands.Choice[str]] = []
    seen: set[str] = set()
    for name, value in pairs:
        if not 1 <= len(value) <= CHOICE_NAME_LIMIT or value in seen:
            continue
        seen.add(value)
        shown = name if _visible(name) else value
        out.append(discord.app_commands.Choice(name=choice_name(shown), value=value))
        if len(out) == CHOICE_LIMIT:
            break
    return out


# ---- /about ---------------------------------------------------------------------------------


def about_reply(corpus: Corpus) -> Reply:
    """What the bot serves: documents with their sizes, and the privacy note."""
    embed = _embed(title="About this bot")
    lines = []
    for doc in corpus.documents[:20]:
        count = len(doc.paragraphs)
        lines.append(
            f"• {escape(document_label(doc))} — {count} paragraph{'s' if count != 1 else ''}"
        )
    if len(corpus) > 20:
        lines.append(f"…and {len(corpus) - 20} more")
    embed.description = _join_within(lines, "\n", EMBED_DESCRIPTION_LIMIT - 500)
    embed.add_field(
        name="Commands",
        value=(
            "/quote · /search · /summary · /sources · Apps → Where is this from? (on a message) · "
            "/daily, /reading, /card_style (server managers)"
        ),
        inline=False,
    )
    embed.add_field(
        name="Privacy",
        value=(
            "This bot reads no messages on its own: it sees the slash commands you send it, and "
            "a message only when you pick Apps → Where is this from? on it (not stored). It "
            "stores each server's daily-post and reading-club settings and card style, which "
            "quotes and instalments were posted, and each channel's last quote (to avoid "
            "repeats). No message content, no user data."
        ),
        inline=False,
    )
    return Reply(embeds=[fit_embed(embed)], ephemeral=True)


# ---- context and citations ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Fitted:
    """An excerpt text brought within a length limit around an anchor span.

    Attributes:
        text: what is shown: the kept text, Markdown-escaped, with ``…`` where text was left out.
        start/end: the kept range ``[start, end)`` of the source text (raw character offsets).
        cut: whether anything was left out.
    """

    text: str
    start: int
    end: int
    cut: bool

    @property
    def size(self) -> int:
        """How many source characters are shown."""
        return self.end - self.start


_SNAP = 400  # at most this many characters are given up to end an excerpt at a boundary


def _snap_left(text: str, lo: int, limit_at: int) -> int:
    """Move ``lo`` forward (never past ``limit_at``) to the start of a paragraph, sentence or word."""
    if lo <= 0:
        return 0
    region = text[lo:limit_at]
    for sep in ("\n\n", ". ", "! ", "? ", "\n", " "):
        at = region.find(sep)
        if at != -1:
            return lo + at + len(sep)
    return lo


def _snap_right(text: str, hi: int, limit_at: int) -> int:
    """Move ``hi`` back (never before ``limit_at``) to the end of a paragraph, sentence or word."""
    if hi >= len(text):
        return len(text)
    region = text[limit_at:hi]
    for sep in ("\n\n", ". ", "! ", "? ", "\n", " "):
        at = region.rfind(sep)
        if at != -1:
            return limit_at + at + (1 if sep in (". ", "! ", "? ") else 0)
    return hi


def _window(text: str, start: int, end: int, extra: int) -> Fitted:
    """``[start, end)`` grown by about ``extra`` characters shared between both sides, snapped."""
    before, after = start, len(text) - end
    left = min(before, extra // 2)
    right = min(after, extra - left)
    left = min(before, extra - right)  # what one side cannot use goes to the other
    lo, hi = start - left, end + right
    lo = _snap_left(text, lo, lo + min(left // 2, _SNAP)) if lo > 0 else 0
    hi = _snap_right(text, hi, hi - min(right // 2, _SNAP)) if hi < len(text) else len(text)
    while lo < hi and text[lo].isspace():
        lo += 1
    while hi > lo and text[hi - 1].isspace():
        hi -= 1
    body = escape(text[lo:hi])
    shown = (ELLIPSIS if lo > 0 else "") + body + (ELLIPSIS if hi < len(text) else "")
    return Fitted(shown, lo, hi, lo > 0 or hi < len(text))


def fit_around(text: str, start: int, end: int, limit: int = EMBED_DESCRIPTION_LIMIT) -> Fitted:
    """``text`` Markdown-escaped within ``limit`` characters, kept centred on ``[start, end)``.

    When the escaped text is too long, the anchor span ``[start, end)`` (the quote or match, or
    what the previous context step showed) is kept whole and the room left is shared equally
    between the text before and after it (what one side cannot use goes to the other); each
    end is cut at a paragraph, sentence or word boundary and marked with ``…``. Only when the
    anchor alone does not fit is it shortened itself (from its end). The largest such window
    is found by bisection on the number of characters added. Offsets are raw characters of
    ``text``; ``0 <= start <= end <= len(text)``.
    """
    whole = escape(text)
    if len(whole) <= limit:
        return Fitted(whole, 0, len(text), False)
    first = _window(text, start, end, 0)
    if len(first.text) > limit:
        kept = escaped_shorten(text[start:end], max(limit - 2 * len(ELLIPSIS), 1))
        shown = (ELLIPSIS if start > 0 else "") + kept + ELLIPSIS
        return Fitted(shown, start, start + len(_unescape(kept).rstrip(ELLIPSIS)), True)
    lo, hi = 0, len(text)  # bisection on the extra characters: lo fits
    best = first
    while lo < hi:
        mid = (lo + hi + 1) // 2
        candidate = _window(text, start, end, mid)
        if len(candidate.text) <= limit:
            lo, best = mid, candidate if candidate.size >= best.size else best
        else:
            hi = mid - 1
    return best


#: A wider step that had to be cut is shown only if it adds at least this many characters
#: (about a short sentence) to the previous one; an uncut one if it adds anything.
MIN_CONTEXT_GAIN = 40


@dataclass(frozen=True, slots=True)
class ContextStep:
    """One "More context" step as shown: the excerpt, what of it fits, and whether it is the last."""

    excerpt: Excerpt
    fitted: Fitted
    widest: bool


def context_steps(
    excerpts: Sequence[Excerpt], limit: int = EMBED_DESCRIPTION_LIMIT
) -> list[ContextStep]:
    """The "More context" steps to show, each showing strictly more than the one before.

    ``excerpts`` are :func:`bot.core.context.steps` (nested, growing). The first one is the span
    itself, which the result already shows, so it is shown only when nothing wider exists. A
    step too long for ``limit`` is cut around what the previous step showed (so it keeps it
    and the quote or match), and a step that adds nothing to what the previous one showed (or,
    when cut, fewer than :data:`MIN_CONTEXT_GAIN` characters) is skipped. The last step is marked ``widest``.
    """
    out: list[ContextStep] = []
    anchor: tuple[int, int] | None = None  # previous shown range, in the previous excerpt's text
    previous: Excerpt | None = None
    for excerpt in excerpts:
        if previous is None or anchor is None:
            lo, hi = excerpt.target_start, excerpt.target_end
        else:
            shift = excerpt.target_start - previous.target_start
            lo, hi = anchor[0] + shift, anchor[1] + shift
        fitted = fit_around(excerpt.text, lo, hi, limit)
        gain = MIN_CONTEXT_GAIN if fitted.cut else 1
        if previous is not None and out and fitted.size < out[-1].fitted.size + gain:
            continue
        out.append(ContextStep(excerpt, fitted, False))
        anchor, previous = (fitted.start, fitted.end), excerpt
    if len(out) > 1:
        out = out[1:]
    out[-1] = ContextStep(out[-1].excerpt, out[-1].fitted, True)
    return out


def context_reply(
    excerpt: Excerpt,
    document: Document,
    fitted: Fitted | None = None,
    *,
    step: int | None = None,
    widest: bool | None = None,
) -> Reply:
    """An ephemeral excerpt around a result, saying which paragraphs it spans and whether it can widen.

    ``fitted`` is what of the excerpt fits (default: :func:`fit_around` its span); ``step`` the
    1-based number shown in the footer (default: the excerpt's level + 1); ``widest`` whether
    another press would show more (default: ``excerpt.widest``).
    """
    if fitted is None:
        fitted = fit_around(excerpt.text, excerpt.target_start, excerpt.target_end)
    where = location(document, excerpt.first_paragraph, excerpt.last_paragraph)
    embed = _embed(title=shorten(f"{document.title} — {where}", EMBED_TITLE_LIMIT))
    embed.description = fitted.text
    last = excerpt.widest if widest is None else widest
    if not last:
        hint = "press More context again to widen"
    elif fitted.cut:
        hint = "the widest context that fits in one message"
    else:
        hint = "the widest context"
    embed.set_footer(text=f"Context step {step or excerpt.level + 1} · {hint}")
    return Reply(embeds=[fit_embed(embed)], ephemeral=True)


def citation_reply(text: str) -> Reply:
    """A ready-to-paste citation in a code block (ephemeral)."""
    safe = text.replace("```", "ʼʼʼ")
    return Reply(content=shorten(f"```\n{safe}\n```", MESSAGE_LIMIT), ephemeral=True)


BUTTONS_EXPIRED = "These buttons have expired: run the command again."

NOT_YOURS = (
    "These buttons belong to the person who ran the command. Run it yourself to get your own."
)


# ---- /daily ---------------------------------------------------------------------------------


def discord_timestamps(instants: Sequence[datetime]) -> str:
    """``<t:…:F>`` markers, which every reader's client shows in their own time zone."""
    return ", ".join(f"<t:{int(t.timestamp())}:F>" for t in instants)


def _zone_words(zone: str) -> str:
    """``"Europe/Berlin"`` as it is; an ``Etc/GMT±N`` zone with its real offset first."""
    offset = zone_offset_label(zone)
    return f"{offset}, {zone}" if offset and offset != "UTC" else zone


def describe_schedule(schedule: DailySchedule) -> str:
    """One line: when, where, who is mentioned."""
    line = (
        f"every day at {schedule.time.strftime('%H:%M')} ({_zone_words(schedule.timezone)}) "
        f"in <#{schedule.channel_id}>"
    )
    if schedule.mention_role_id:
        line += f", mentioning <@&{schedule.mention_role_id}>"
    return line


def status_text(status: GuildStatus) -> str:
    """The guild's daily-post status in words (``/daily show``), from its code and facts.

    A status written before storage schema 2 has no channel and a sentence as its detail: that
    sentence is returned as it is.
    """
    if status.channel_id is None or status.local_date is None:
        return status.detail
    channel, day = f"<#{status.channel_id}>", status.local_date.isoformat()
    if status.status == STATUS_OK:
        return f"posted the quote of {day} in {channel}"
    if status.status == STATUS_PAUSED:
        return f"the bot lost {status.detail or 'Send Messages'} in {channel} on {day}"
    if status.status == STATUS_CHANNEL_MISSING:
        return (
            f"channel {channel} was deleted or hidden from the bot on {day}; "
            "set the daily post again with /daily set"
        )
    if status.status == STATUS_FAILING:
        return (
            f"Discord kept failing ({status.detail}) for the post of {day} in {channel}; "
            "the next day is tried again"
        )
    if status.status == STATUS_NO_QUOTES:
        return f"no quote could be chosen for {day}: {status.detail}"
    if status.status == STATUS_WRONG_GUILD:
        return (
            f"the post of {day} was not sent: channel {status.channel_id} belongs to another "
            f"server (guild {status.detail}), not this one. Choose a channel of this server with "
            "/daily set, or fix daily[].channel_id in the bot's config file"
        )
    return status.detail or status.status.replace("_", " ")


def show_text(
    record: ScheduleRecord | None,
    status: GuildStatus | None,
    last: PostRecord | None,
    now: datetime,
    removed: Sequence[str] = (),
) -> str:
    """The ``/daily show`` answer; ``removed``: the schedule's documents no longer in the
    corpus (a reload took them away), noted so the server knows why they are not posted."""
    if record is None:
        return "No daily quote is set for this server. Set one with `/daily set`."
    lines = [f"Daily quote: {describe_schedule(record.schedule)}."]
    if record.enabled:
        lines.append(f"Next posts: {discord_timestamps(next_send_times(record.schedule, now))}.")
    else:
        lines.append("It is **off**. Turn it on again with `/daily set`.")
    if record.source == "config":
        lines.append("This schedule comes from the bot's config file.")
    if last is not None:
        lines.append(f"Last post: {last.local_date.isoformat()} ({last.status.value}).")
    if status is not None and status.status != STATUS_OK:
        lines.append(f"**{status.status.replace('_', ' ')}**: {status_text(status)}")
    if removed:
        names = ", ".join(f"`{escape(d)}`" for d in removed)
        lines.append(
            f"No longer in the corpus, so left out of the daily post: {names}. Choose the "
            "documents again with `/daily set`."
        )
    return "\n".join(lines)


def now_text(outcome: PostOutcome) -> str:
    """The ``/daily now`` answer for each outcome of :meth:`DailyScheduler.post_now`."""
    where = f"<#{outcome.channel_id}>"
    why = f" ({outcome.detail})" if outcome.detail else ""
    if outcome.result in (PostResult.SENT, PostResult.RESENT):
        return "Posted today's quote here. The scheduled post resumes tomorrow."
    if outcome.result == PostResult.ALREADY_POSTED:
        return f"Today's quote was already posted in {where}."
    if outcome.result in (PostResult.BEING_POSTED, PostResult.ALREADY_CLAIMED):
        return f"Today's quote is being posted in {where} right now."
    if outcome.result == PostResult.ALREADY_FAILED:
        return (
            f"Today's quote could not be posted in {where}{why}, and it is not retried today. "
            "The next post is tomorrow's."
        )
    if outcome.result in (PostResult.ALREADY_UNKNOWN, PostResult.ABANDONED):
        return (
            f"I cannot tell whether today's quote reached {where}{why}. It is not sent again, "
            "so it appears at most once; the next post is tomorrow's."
        )
    if outcome.result == PostResult.UNCONFIRMED:
        return (
            f"Discord did not confirm today's post in {where}{why}. I will resend it for a "
            "minute or two with the same nonce, so it appears at most once."
        )
    if outcome.result == PostResult.UNREACHED:
        return "I could not reach Discord to post today's quote. I will try again in a minute."
    if outcome.result == PostResult.FORBIDDEN:
        return f"I could not post here: I am missing the {outcome.detail} permission."
    if outcome.result == PostResult.NOT_FOUND:
        return "I could not post here: I cannot see this channel."
    if outcome.result == PostResult.WRONG_GUILD:
        return "I could not post here: this channel belongs to another server."
    if outcome.result == PostResult.FAILED_HERE:
        return f"I could not post here{why}. Today's scheduled post is not affected."
    if outcome.result == PostResult.NO_QUOTES:
        return outcome.detail
    if outcome.result in (PostResult.FAILED, PostResult.GAVE_UP):
        return f"Today's quote could not be posted{why}, and it is not retried today."
    return f"I could not post today's quote ({outcome.detail or outcome.result}). Try again later."


def with_offset_note(reply: Reply, zone: str) -> Reply:
    """``reply`` with :func:`~bot.core.daily.zone_offset_note` added for an ``Etc/GMT±N`` zone,
    whose name reads as the opposite offset (``Etc/GMT+2`` is UTC-2); unchanged otherwise."""
    note = zone_offset_note(zone)
    if note and reply.content is not None:
        reply.content = shorten(f"{reply.content}\n{note}", MESSAGE_LIMIT)
    return reply


def daily_reply(text: str) -> Reply:
    """An ephemeral ``/daily`` answer."""
    return Reply(content=shorten(text, MESSAGE_LIMIT), ephemeral=True)


NO_DAILY = "No daily quote is set for this server. Set one with `/daily set`."
DAILY_OFF = "The daily quote is off. Turn it on again with `/daily set`."


def and_list(items: Sequence[str]) -> str:
    """``["a"]`` → ``"a"``, ``["a", "b"]`` → ``"a and b"``, ``["a", "b", "c"]`` → ``"a, b and c"``."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def daily_missing_permissions(
    channel_mention: str, missing: Sequence[str], *, command: str = "/daily set"
) -> Reply:
    """``/daily set`` (or ``/daily now``, named by ``command``) refused: the bot lacks the
    permissions ``missing`` (names as Discord shows them) in the channel; "permission" or
    "permissions" by their number."""
    noun = "permission" if len(missing) == 1 else "permissions"
    pronoun = "it" if len(missing) == 1 else "them"
    return user_error(
        f"I cannot post in {channel_mention}: I am missing the {and_list(missing)} {noun} "
        f"there. Allow {pronoun} in the channel's settings and run `{command}` again."
    )


def daily_set_reply(
    schedule: DailySchedule, next_times: Sequence[datetime], *, config_owned: bool
) -> Reply:
    """``/daily set`` done: the schedule and its next send times as Discord timestamps."""
    text = (
        f"Daily quote set: {describe_schedule(schedule)}.\n"
        f"Next posts: {discord_timestamps(next_times)}."
    )
    if config_owned:
        text += (
            "\nNote: the bot's config file also sets this server's schedule; it wins at the "
            "next restart."
        )
    return daily_reply(text)


def daily_off_reply(*, stopped: bool) -> Reply:
    """``/daily off``: whether a schedule was turned off."""
    if stopped:
        return daily_reply("The daily quote is off. `/daily set` turns it on again.")
    return daily_reply("No daily quote was set for this server.")


def daily_preview(reply: Reply, when: Sequence[datetime]) -> Reply:
    """``/daily preview``: the next quote, privately, with when it will be posted."""
    reply.content = f"Next daily quote ({discord_timestamps(when)}):"
    reply.ephemeral = True
    return reply


# ---- /sources -------------------------------------------------------------------------------

#: Documents per ``/sources`` page.
SOURCES_PER_PAGE = 10
#: Sections listed by ``/sources document:`` before "…and N more".
SOURCE_SECTIONS_SHOWN = 15
#: Characters of a document's one-line description in the list.
SOURCE_DESCRIPTION_CHARS = 140
NO_SOURCES = "No documents are available here."
SOURCES_PREVIOUS = "Previous"
SOURCES_NEXT = "Next"


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}{'' if number == 1 else 's'}"


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


# ---- /reload --------------------------------------------------------------------------------

RELOAD_OWNER_ONLY = "Only the bot's owners can reload the corpus."
#: Document ids listed per kind of change before "and N more".
RELOAD_LISTED = 10


def _listed(ids: Sequence[str]) -> str:
    shown = ", ".join(f"`{i}`" for i in ids[:RELOAD_LISTED])
    more = len(ids) - RELOAD_LISTED
    return shown + (f" and {more} more" if more > 0 else "")


def reload_text(
    *,
    ok: bool,
    error: str | None,
    added: Sequence[str],
    removed: Sequence[str],
    changed: Sequence[str],
    problems: Sequence[str],
    documents: int,
    seconds: float,
) -> str:
    """What a reload did, for the owner who asked (and the log)."""
    if not ok:
        return (
            f"Reload failed; still serving the previous corpus ({_count(documents, 'document')}).\n"
            f"Why: {error}"
        )
    lines = [f"Corpus reloaded in {seconds:.1f} s: {_count(documents, 'document')}."]
    for label, ids in (("Added", added), ("Removed", removed), ("Changed", changed)):
        if ids:
            lines.append(f"{label}: {_listed(ids)}")
    if not (added or removed or changed):
        lines.append("No document changed.")
    if problems:
        lines.append(f"Files with problems ({len(problems)}):")
        lines += [f"• {escaped_shorten(p, 300)}" for p in problems[:RELOAD_LISTED]]
    return "\n".join(lines)


def reload_reply(text: str) -> Reply:
    """The ephemeral answer to ``/reload``."""
    return Reply(content=shorten(text, MESSAGE_LIMIT), ephemeral=True)


# ---- /documents -----------------------------------------------------------------------------


def collection_label(folder: str) -> str:
    """How a collection (a folder of documents) is named to users."""
    return f"Folder: {folder}"


def no_such_collection(folder: str) -> str:
    return f"There is no folder called “{folder}” in the corpus. Pick one from the list."


def _seen(summary: tuple[int, int]) -> str:
    seen, total = summary
    return f"This server now sees {seen} of {_count(total, 'document')}."


def documents_reply(summary: tuple[int, int], label: str, enabled: bool) -> Reply:
    """The answer to ``/documents enable`` or ``disable``."""
    done = "Turned on" if enabled else "Turned off"
    return Reply(content=f"{done}: {escape(label)}. {_seen(summary)}", ephemeral=True)


def document_choices_reply(choices: dict[str, bool], summary: tuple[int, int]) -> Reply:
    """``/documents list``: the server's choices, then how many documents it sees."""
    if not choices:
        return Reply(
            content=f"No choices made: every document is on. {_seen(summary)}", ephemeral=True
        )
    lines = [
        f"{'on ' if enabled else 'off'} · `{name}`" for name, enabled in sorted(choices.items())
    ]
    text = "\n".join(lines[:40]) + (f"\n…and {len(lines) - 40} more" if len(lines) > 40 else "")
    return Reply(content=shorten(f"{text}\n{_seen(summary)}", MESSAGE_LIMIT), ephemeral=True)


def documents_reset_reply(count: int) -> Reply:
    """``/documents reset``."""
    return Reply(
        content=f"Forgot {_count(count, 'choice')}: every document is on again.", ephemeral=True
    )
