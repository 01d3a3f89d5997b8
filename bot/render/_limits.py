"""Discord's limits (characters), Markdown escaping, and cutting text at grapheme, word,
sentence and paragraph edges so it fits them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import discord

from bot.core.emphasis import CLOSE, OPEN, Span, clip, mark
from bot.core.graphemes import safe_cut

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


_MENTION = re.compile(r"<(@[!&]?|#|/[^:<>\s]+:)(\d{15,21})>")
"""Discord's mention syntax (user, role, channel, command): shown as text when escaped."""


def escape(text: str, emphasis: Sequence[Span] = ()) -> str:
    """Escape Discord Markdown and mention syntax so corpus or user text reads exactly as
    written (``<@123…>`` shows as those characters, not as a name); the ``emphasis`` spans of
    ``text`` (offsets into it) are then shown in italics (``*word*``).

    The whole text is escaped at once, with the spans marked by characters Markdown ignores
    (:mod:`bot.core.emphasis`), so escaping works as on plain text (a link is escaped whole).
    """
    marked = mark(text, emphasis) if emphasis else text
    escaped = _MENTION.sub(r"\\<\1\2>", discord.utils.escape_markdown(marked, ignore_links=False))
    return escaped.replace(OPEN, "*").replace(CLOSE, "*") if emphasis else escaped


def escaped_shorten(text: str, limit: int, emphasis: Sequence[Span] = ()) -> str:
    """Escape ``text`` and shorten it so the *escaped* form fits ``limit``, never leaving a
    dangling backslash; ``emphasis`` as for :func:`escape` (the part still shown)."""
    raw_limit = limit
    while True:
        short = shorten(text, raw_limit)
        kept = emphasis if short == text else clip(emphasis, 0, len(short) - len(ELLIPSIS))
        out = escape(short, kept)
        if len(out) <= limit:
            return out
        raw_limit -= max(1, len(out) - limit)


def choice_name(text: str) -> str:
    """An autocomplete choice name/value: 1-100 characters, single line."""
    flat = " ".join(text.split()) or "-"
    return shorten(flat, CHOICE_NAME_LIMIT)


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


def _unescape(text: str, *, italics: bool = True) -> str:
    """Discord Markdown as terminal text: escapes removed; with ``italics=False`` the italic
    markers (a lone ``*``, or the third of ``***``) go too, while bold ``**`` stays."""
    out = []
    i = 0
    while i < len(text):
        if text[i] == "\\" and i + 1 < len(text):
            out.append(text[i + 1])
            i += 2
            continue
        if text[i] == "*" and not italics:
            end = i
            while end < len(text) and text[end] == "*":
                end += 1
            out.append("*" * ((end - i) // 2 * 2))
            i = end
            continue
        out.append(text[i])
        i += 1
    return "".join(out)


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}{'' if number == 1 else 's'}"
