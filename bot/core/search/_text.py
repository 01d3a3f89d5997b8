"""Text rules of the search: the matching key, query validation, passage windows, word edges.

Everything here works on strings; the index (numpy) and the scoring (rapidfuzz) build on it.
"""

from __future__ import annotations

import re
import unicodedata

from bot.core.errors import QueryError
from bot.core.graphemes import safe_cut
from bot.core.normalize import normalize_text
from bot.core.text import STOP_WORDS

#: Whether the matching key keeps punctuation. Stripped (``False``): people type queries without
#: the commas and quotation marks, and recall@1 was 0.5-1 point higher than with punctuation kept
#: (benchmarks/README.md).
MATCH_PUNCTUATION = False


_WORD = re.compile(r"\S+")


def match_key(text: str) -> str:
    """The normalised form used for matching (corpus and query).

    ``normalize_text(text, punctuation=MATCH_PUNCTUATION)``: case folded, punctuation stripped,
    whitespace collapsed (see :mod:`bot.core.normalize`).
    """
    return normalize_text(text, punctuation=MATCH_PUNCTUATION)


def validate(query: str, *, min_chars: int, max_chars: int) -> str:
    """The query's matching key, or :class:`QueryError` saying why it cannot be searched."""
    key = match_key(query)
    letters = sum(ch.isalnum() for ch in key)
    if letters == 0:
        raise QueryError(
            "There is nothing to search for: the query has no letters or digits. "
            "Type a few words you remember from the passage.",
            reason="nothing_to_search",
        )
    if len(key) > max_chars:
        raise QueryError(
            f"That query is {len(key):,} characters long; searches are limited to "
            f"{max_chars:,} characters. Try a shorter, distinctive phrase from the passage.",
            reason="too_long",
        )
    words = key.split()
    if _weight(key) < min_chars or (len(words) <= 2 and all(w in STOP_WORDS for w in words)):
        raise QueryError(
            f"“{shorten(query.strip(), 40)}” is too short to search for: type a few more words "
            f"from the passage (at least {min_chars} letters, and more than a word like "
            "“the” or “a”).",
            reason="too_short",
        )
    return key


def _weight(key: str) -> int:
    """Length of a query for the ``min_chars`` rule: letters, digits and combining marks count
    one, wide (East Asian) letters two, so ``"평화"`` and ``"शांति"`` are long enough."""
    total = 0
    for ch in key:
        if ch.isalnum():
            total += 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        elif unicodedata.category(ch)[0] == "M":
            total += 1
    return total


def windows(text: str, window: int, overlap: int) -> list[tuple[int, int]]:
    """``[start, end)`` spans covering ``text``: the whole text if short, else overlapping windows.

    Windows end and start at whitespace (unless a single word is longer than half a window) and
    have surrounding whitespace trimmed.
    """
    n = len(text)
    if n <= window:
        return [_trim(text, 0, n)]
    spans: list[tuple[int, int]] = []
    start = 0
    while True:
        end = min(start + window, n)
        if end < n:
            cut = text.rfind(" ", start + window // 2, end)
            if cut > start:
                end = cut
        spans.append(_trim(text, start, end))
        if end >= n:
            break
        nxt = max(end - overlap, start + 1)
        space = text.find(" ", nxt, end)
        start = space + 1 if space != -1 else nxt
    return spans


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def is_word_char(ch: str) -> bool:
    """A letter, digit or combining mark (part of a word); spaces and punctuation are not."""
    return ch.isalnum() or unicodedata.category(ch)[0] == "M"


#: Scripts written without spaces between words (Han, kana, Thai, Lao, Khmer, Myanmar): any
#: offset next to one of their characters may be a word boundary.
_UNSPACED = (
    (0x0E00, 0x0EFF),  # Thai, Lao
    (0x1000, 0x109F),  # Myanmar
    (0x1780, 0x17FF),  # Khmer
    (0x3040, 0x30FF),  # Hiragana, Katakana
    (0x31F0, 0x31FF),  # Katakana phonetic extensions
    (0x3400, 0x4DBF),  # CJK extension A
    (0x4E00, 0x9FFF),  # CJK unified ideographs
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
    (0xFF66, 0xFF9F),  # half-width Katakana
    (0x20000, 0x3134F),  # CJK extensions B-G
)


def _unspaced(ch: str) -> bool:
    """Whether ``ch`` belongs to a script written without spaces (see :data:`_UNSPACED`)."""
    code = ord(ch)
    return code >= 0x0E00 and any(lo <= code <= hi for lo, hi in _UNSPACED)


def at_word_boundary(text: str, i: int) -> bool:
    """Whether offset ``i`` of ``text`` is not inside a word: an edge, a non-word character on
    at least one side, or a character of a script written without spaces on either side."""
    if i <= 0 or i >= len(text):
        return True
    before, after = text[i - 1], text[i]
    return (
        not (is_word_char(before) and is_word_char(after)) or _unspaced(before) or _unspaced(after)
    )


def find_whole(key: str, text: str) -> int:
    """Offset of the first occurrence of ``key`` in ``text`` at word boundaries, else ``-1``.

    An occurrence counts when the character before it and the one after it are non-word
    characters or the text's edge (``"peace"`` in ``"peace, now"``, not in ``"peaceful"``), the
    whole-word rule of ``\\b``-delimited regular-expression search. In scripts written without
    spaces (Japanese, Chinese, Thai, ...) any offset next to one of their characters counts as a
    boundary, since words there are not delimited.
    """
    start = text.find(key)
    while start >= 0:
        if at_word_boundary(text, start) and at_word_boundary(text, start + len(key)):
            return start
        start = text.find(key, start + 1)
    return -1


def snap_to_words(text: str, start: int, end: int) -> tuple[int, int]:
    """Move a span's ends to word boundaries: a word mostly inside the span is taken whole.

    ``text`` is a matching key (words separated by single spaces). Never returns an end inside a
    word: a span within a single word, too small to keep any word whole, becomes that word.
    """
    while start < end and text[start] == " ":
        start += 1
    while end > start and text[end - 1] == " ":
        end -= 1
    if start >= end:
        return start, end
    words = [(m.start(), m.end()) for m in _WORD.finditer(text)]
    new_start, new_end = start, end
    for ws, we in words:
        # an end next to a character of a script written without spaces is already an edge
        if ws < start < we and not at_word_boundary(text, start):  # start cuts this word
            new_start = ws if start - ws <= we - start else we
        if ws < end < we and not at_word_boundary(text, end):  # end cuts this word
            new_end = we if we - end <= end - ws else ws
    new_start = min(new_start, len(text))
    while new_start < len(text) and text[new_start] == " ":
        new_start += 1
    while new_end > new_start and text[new_end - 1] == " ":
        new_end -= 1
    if new_end <= new_start:  # the span is a small part of one word: take that word whole
        outer_start = max((ws for ws, we in words if ws <= start < we), default=start)
        outer_end = min((we for ws, we in words if ws < end <= we), default=end)
        return outer_start, outer_end
    return new_start, new_end


def snippet(text: str, start: int, limit: int) -> str:
    """At most ``limit`` characters of ``text`` from the word containing ``start``."""
    begin = text.rfind(" ", 0, start) + 1 if start > 0 else 0
    if start - begin > 20:
        begin = start
    snippet = " ".join(text[begin:].split())
    if len(snippet) <= limit:
        return snippet
    cut = snippet.rfind(" ", 0, limit - 1)
    if cut < limit // 2:
        cut = limit - 1
    return snippet[:cut].rstrip() + "…"


def shorten(text: str, limit: int) -> str:
    """``text`` on one line, cut to ``limit`` characters at a grapheme edge (with "…")."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: safe_cut(text, limit - 1)].rstrip() + "…"
