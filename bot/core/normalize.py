"""One text normalisation for matching, applied to the corpus and to queries alike.

Every comparison in the product (fuzzy search, exact-phrase detection) compares *normalised* text,
and the same function must be used on both sides (the contract stated in rank_bm25's README: "the
same preprocessing for the corpus and the query"). Steps, in order, per grapheme-like cluster:

1. fold typographic variants: curly and low-9 quotes, primes and guillemets to ``'`` or ``"``;
   hyphen and dash variants and the minus sign to ``-``; the ellipsis ``…`` to ``...``; soft
   hyphens, zero-width spaces, word joiners and byte-order marks removed (applied again after
   NFKC, which turns some compatibility characters such as ``"⁗"`` into folded ones);
2. Unicode NFKC (compatibility composition: full-width letters, ligatures, superscripts, NBSP);
3. ``str.casefold`` (full Unicode case folding: ``"ß" -> "ss"``, ``"THE" -> "the"``), then NFKC
   again where folding undid a composition;
4. optionally (``punctuation=False``, the *matching key* used by :mod:`bot.core.search`):
   apostrophes are deleted (``don't -> dont``) and every other punctuation or symbol character
   (Unicode general categories ``P*`` and ``S*``) becomes a space, taking any combining mark
   on it along;
5. runs of whitespace collapse to one space and the ends are stripped.

Combining marks (general category ``M*``) are kept and stay attached to their base character, so
Devanagari, Korean and accented Latin text stays searchable. A *cluster* is a character plus any
following marks (and Hangul medial/final jamo); NFKC and case folding run per cluster, which keeps a
map from every normalised character back to the original text: ``NormalizedText.to_original``
turns a span of the normalised string into the span of original text it came from (used to
highlight matches).

:func:`normalize_text` returns the same string as ``normalize(text).text`` without building the
offset map, with a fast path for ASCII-like text (the bulk of an English corpus); ``normalize``
itself has a word-at-a-time fast path for the matching key of such text. Property tests check
both fast paths against the per-cluster reference, and that the matching key is idempotent.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

__all__ = ["NormalizedText", "normalize", "normalize_text", "searchable_chars", "valid_text"]

# Step 1: typographic variants folded before NFKC (NFKC would turn "″" into two primes).
_FOLD: dict[int, str | None] = {
    **{ord(c): "'" for c in "‘’‚‛′‹›"},
    **{ord(c): '"' for c in "“”„‟″«»"},
    **{ord(c): "-" for c in "‐‑‒–—―−"},
    ord("…"): "...",
    **{ord(c): None for c in "\u00ad\u200b\u2060\ufeff"},
    ord("\u00a0"): " ",
    ord("\u202f"): " ",
}
_APOSTROPHE = "'"

# ASCII-only fast path tables (after step 1 every char of a "simple" text is ASCII).
_ASCII_PUNCT = {
    ord(c): ("" if c == _APOSTROPHE else " ")
    for c in map(chr, range(128))
    if unicodedata.category(c)[0] in "PS"
}
# The same for ASCII text as byte tables: every character str.split() takes for whitespace
# (\x1c-\x1f too) becomes a space, and for the matching key punctuation and symbols as well.
_ASCII_SPACE = bytes(0x20 if chr(c).isspace() else c for c in range(256))
_ASCII_KEY = bytes(
    0x20 if chr(c).isspace() or (c < 128 and _ASCII_PUNCT.get(c) == " ") else c for c in range(256)
)
_SIMPLE_CHARS = frozenset(map(chr, range(128))) | frozenset(chr(k) for k in _FOLD)
_NON_SIMPLE = re.compile("[^" + re.escape("".join(sorted(_SIMPLE_CHARS))) + "]")
# Simple characters the matching key deletes, and those it turns into a separator (space).
_DELETED = frozenset(
    c for c in _SIMPLE_CHARS if c == _APOSTROPHE or _FOLD.get(ord(c), c) in (None, _APOSTROPHE)
)
_SEPARATORS = frozenset(
    c
    for c in _SIMPLE_CHARS
    if c not in _DELETED
    and any(f.isspace() or unicodedata.category(f)[0] in "PS" for f in (_FOLD.get(ord(c)) or c))
)
_DELETED_RE = re.compile("[" + re.escape("".join(sorted(_DELETED))) + "]")
_WORD_RUN = re.compile("[^" + re.escape("".join(sorted(_SEPARATORS))) + "]+")


@dataclass(frozen=True, slots=True)
class NormalizedText:
    """A normalised string and its map back to the original.

    Attributes:
        original: the text as given.
        text: the normalised text.
        offsets: ``len(text) + 1`` ints; ``offsets[i]`` is the index in ``original`` of the first
            character of the cluster that produced ``text[i]``; ``offsets[len(text)]`` is
            ``len(original)`` minus any stripped trailing whitespace.
        ends: ``len(text)`` ints; ``ends[i]`` is one past the last original character of the
            cluster that produced ``text[i]``.
    """

    original: str
    text: str
    offsets: tuple[int, ...]
    ends: tuple[int, ...]

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map the normalised span ``[start, end)`` to the original span it came from.

        Returns ``(ostart, oend)`` with ``0 <= ostart <= oend <= len(original)``; the original
        slice contains every original character that produced ``text[start:end]``. An empty span
        maps to an empty span. Raises ``IndexError`` if the span is not within ``text``.
        """
        if not 0 <= start <= end <= len(self.text):
            raise IndexError(f"span [{start}, {end}) outside normalised text of {len(self.text)}")
        if start == end:
            return self.offsets[start], self.offsets[start]
        return self.offsets[start], self.ends[end - 1]


def _is_cluster_continuation(ch: str) -> bool:
    """Marks and Hangul medial/final jamo stay with the preceding character."""
    code = ord(ch)
    if 0x1160 <= code <= 0x11FF or 0xD7B0 <= code <= 0xD7FF:
        return True
    return unicodedata.category(ch)[0] == "M" or unicodedata.combining(ch) != 0


@functools.lru_cache(maxsize=8192)
def _fold_cluster(cluster: str, punctuation: bool) -> str:
    """Steps 1-4 for one cluster; whitespace comes out as ``" "`` (collapsed by the caller)."""
    folded = unicodedata.normalize("NFKC", cluster.translate(_FOLD)).casefold()
    if folded.isascii():
        if folded.isalnum():
            return folded
    else:  # case folding can undo composition ("ß́" -> "ss\u0301"): recompose
        folded = unicodedata.normalize("NFKC", folded)
    if not folded.isascii():  # compatibility forms that decompose to folded ones ("⁗")
        folded = folded.translate(_FOLD)
    out = []
    removed = False  # marks on a removed punctuation character go with it
    for ch in folded:
        category = unicodedata.category(ch)
        if ch.isspace():
            out.append(" ")
            removed = False
        elif not punctuation and category[0] in "PS":
            if ch != _APOSTROPHE:
                out.append(" ")
            removed = True
        elif not (removed and category[0] == "M"):
            out.append(ch)
            removed = False
    return "".join(out)


def normalize(text: str, *, punctuation: bool = True) -> NormalizedText:
    """Normalise ``text`` for matching and keep the map back to the original offsets.

    Args:
        text: any string.
        punctuation: keep punctuation and symbols (``True``), or turn them into spaces and
            delete apostrophes (``False``, the matching key of :mod:`bot.core.search`).

    Returns:
        a :class:`NormalizedText`; ``normalize(t).text == normalize_text(t)``.
    """
    if not punctuation and (text.isascii() or _NON_SIMPLE.search(text) is None):
        return _normalize_simple_key(text)
    return _normalize_clusters(text, punctuation)


def _normalize_simple_key(text: str) -> NormalizedText:
    """``normalize(text, punctuation=False)`` for text of ASCII and folded characters only.

    Same result as :func:`_normalize_clusters` (a property test checks), a word at a time: every
    such character is its own cluster and maps to nothing, a separator or itself lower-cased.
    """
    out: list[str] = []
    offsets: list[int] = []
    ends: list[int] = []
    separator_at = -1  # first separator after the last output character
    for match in _WORD_RUN.finditer(text):
        start, end = match.span()
        word = match.group()
        if _DELETED_RE.search(word) is None:
            if separator_at >= 0:
                out.append(" ")
                offsets.append(separator_at)
                ends.append(separator_at + 1)
            out.append(word.lower())
            offsets.extend(range(start, end))
            ends.extend(range(start + 1, end + 1))
        else:
            kept = [k for k, ch in enumerate(word, start) if ch not in _DELETED]
            if not kept:
                continue
            if separator_at >= 0:
                out.append(" ")
                offsets.append(separator_at)
                ends.append(separator_at + 1)
            out.append("".join(text[k] for k in kept).lower())
            offsets.extend(kept)
            ends.extend(k + 1 for k in kept)
        separator_at = end
    offsets.append(ends[-1] if ends else 0)
    return NormalizedText(text, "".join(out), tuple(offsets), tuple(ends))


def _normalize_clusters(text: str, punctuation: bool) -> NormalizedText:
    """The reference implementation of :func:`normalize`, one cluster at a time."""
    out: list[str] = []
    offsets: list[int] = []
    ends: list[int] = []
    pending_space: tuple[int, int] | None = None
    i, n = 0, len(text)
    while i < n:
        j = i + 1
        while j < n and text[j] >= "\u0300" and _is_cluster_continuation(text[j]):
            j += 1
        for ch in _fold_cluster(text[i:j], punctuation):
            if ch == " ":
                if pending_space is None and out:
                    pending_space = (i, j)
                continue
            if pending_space is not None:
                out.append(" ")
                offsets.append(pending_space[0])
                ends.append(pending_space[1])
                pending_space = None
            out.append(ch)
            offsets.append(i)
            ends.append(j)
        i = j
    offsets.append(ends[-1] if ends else 0)
    return NormalizedText(text, "".join(out), tuple(offsets), tuple(ends))


def normalize_text(text: str, *, punctuation: bool = True) -> str:
    """The normalised string alone: ``normalize(text, punctuation=...).text``, faster.

    Text made only of ASCII and the folded typographic characters (most English prose) takes a
    fast path of ``str.translate``/``str.lower``/``str.split`` calls; anything else goes through
    :func:`normalize`.
    """
    if text.isascii():  # one bytes.translate (none of _FOLD's characters is ASCII)
        data = text.encode("ascii").lower()
        data = data.translate(_ASCII_SPACE) if punctuation else data.translate(_ASCII_KEY, b"'")
        return b" ".join(data.split()).decode("ascii")
    if _NON_SIMPLE.search(text) is not None:
        return normalize(text, punctuation=punctuation).text
    folded = text.translate(_FOLD).lower()
    if not punctuation:
        folded = folded.translate(_ASCII_PUNCT)
    return " ".join(folded.split())


_SURROGATE = re.compile("[\ud800-\udfff]")


def valid_text(text: str) -> str:
    """``text`` with every lone surrogate (U+D800-U+DFFF) replaced by U+FFFD.

    A Discord client can send half of an emoji's UTF-16 pair as a JSON escape, and a shell
    argument that is not UTF-8 reaches Python as surrogates (PEP 383); neither can be encoded,
    printed or sent back. Apply to user text before it is used or echoed. Same length as
    ``text``, so offsets are unchanged.
    """
    return _SURROGATE.sub("\ufffd", text) if _SURROGATE.search(text) else text


def searchable_chars(text: str) -> int:
    """Number of letters and digits (``str.isalnum``) in the normalised ``text``.

    Zero means there is nothing to search for (``"!!!"``, ``"🙂"``, whitespace).
    """
    return sum(1 for ch in normalize_text(text) if ch.isalnum())
