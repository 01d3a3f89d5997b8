"""Which section of a document a user means: "Chapter 1", "chapter one", "56", "loomings".

Titles and queries are compared as words, with numbers after a division word ("Chapter IV",
"Book Two") or standing alone ("IV.", "56") read as their value, so ``I = 1 = one = first``.
Tiers, first that matches wins (:func:`resolve_section`):

1. an autocomplete value ``"#7"``: section 7 by position;
2. a bare number ("56", "LVI", "fifty-six"): the sections numbered so ("Chapter 56", "Volume I,
   Chapter 56"); when no title carries a number at all, the section at that position;
3. the title's words equal the query's ("chapter 1" = "CHAPTER 1. Loomings." is not equal, but
   "Chapter I" = "Chapter One");
4. the title starts with the query's words ("Chapter 1" = "Chapter 1. Loomings.", never
   "Chapter 10");
5. the title ends with the query's words ("Ned Land" = "Chapter IV: Ned Land", not "Ned
   Land's Tempers");
6. the query's words appear in the title in a row ("loomings", "Ned Land", "chapter i" in
   "Volume II, Chapter I");
7. a word of the title starts with the query as typed (a partial word, "loom").

Several sections in the first tier that matches is a true ambiguity
(:class:`AmbiguousSection`, listing them); no tier matching is :class:`bot.core.errors.NotFound`.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence
from typing import Final

from bot.core.errors import NotFound
from bot.core.models import Document, Section

__all__ = ["AmbiguousSection", "matching_sections", "resolve_section", "title_words"]

_UNITS: Final = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS: Final = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_ORDINALS: Final = [
    "zeroth",
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
    "eleventh",
    "twelfth",
    "thirteenth",
    "fourteenth",
    "fifteenth",
    "sixteenth",
    "seventeenth",
    "eighteenth",
    "nineteenth",
    "twentieth",
]
_DIVISIONS: Final = frozenset(
    ["chapter", "book", "part", "volume", "letter", "stave", "canto", "act", "scene", "section"]
)
_ABBREVIATIONS: Final = {
    "ch": "chapter",
    "chap": "chapter",
    "chapt": "chapter",
    "bk": "book",
    "pt": "part",
    "vol": "volume",
    "sec": "section",
    "sect": "section",
}
"""Short forms of division words, read as the word ("chap 3", "Vol. II")."""
_ROMAN: Final = re.compile(
    r"(?=[mdclxvi])m{0,3}(?:c[md]|d?c{0,3})(?:x[cl]|l?x{0,3})(?:i[xv]|v?i{0,3})"
)
_ROMAN_VALUES: Final = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100, "d": 500, "m": 1000}
_TOKEN: Final = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")
CANDIDATES_SHOWN: Final = 10
"""How many candidates an ambiguity lists."""


class AmbiguousSection(NotFound):
    """The words name several sections equally well.

    Attributes:
        candidates: the sections' titles (all of them), in document order.
    """

    def __init__(self, document: Document, typed: str, sections: Sequence[Section]) -> None:
        self.candidates = [s.title or f"Section {s.number}" for s in sections]
        shown = "; ".join(f"“{t}”" for t in self.candidates[:CANDIDATES_SHOWN])
        more = len(self.candidates) - CANDIDATES_SHOWN
        super().__init__(
            f"“{typed}” could be any of {len(self.candidates)} sections of “{document.title}”: "
            f"{shown}{f' and {more} more' if more > 0 else ''}. Type more of the one you mean."
        )


def _roman(token: str) -> int | None:
    if not _ROMAN.fullmatch(token):
        return None
    total = 0
    for here, after in zip(token, [*token[1:], ""], strict=True):
        value = _ROMAN_VALUES[here]
        total += -value if after and _ROMAN_VALUES[after] > value else value
    return total


def _spelled(token: str) -> int | None:
    if token in _UNITS:
        return _UNITS.index(token)
    if token in _ORDINALS:
        return _ORDINALS.index(token)
    tens, _, unit = token.partition("-")
    if tens in _TENS and (not unit or unit in _UNITS[1:10] or unit in _ORDINALS[1:10]):
        ones = _UNITS.index(unit) if unit in _UNITS else _ORDINALS.index(unit) if unit else 0
        return 20 + 10 * _TENS.index(tens) + ones
    return None


def _number(token: str) -> int | None:
    """``token`` (lower case) as a number: digits, a Roman numeral or spelled out."""
    if token.isdigit():
        return int(token)
    return _roman(token) if _ROMAN.fullmatch(token) else _spelled(token)


def title_words(text: str) -> tuple[str, ...]:
    """``text`` as comparable words: lower case, punctuation dropped, a number after a division
    word or standing first read as its value ("CHAPTER IV. Ned" -> ``("chapter", "4", "ned")``;
    "the" in "Chapter the First" skipped; "chap", "vol" and other short forms read as the
    division word)."""
    words: list[str] = []
    for token in _TOKEN.findall(text.casefold()):
        token = _ABBREVIATIONS.get(token, token)
        after_division = bool(words) and words[-1] in _DIVISIONS
        if after_division and token == "the":
            continue
        value = _number(token) if after_division or not words else None
        words.append(str(value) if value is not None else token)
    return tuple(words)


def _chapter_number(words: tuple[str, ...]) -> str | None:
    """The number after the title's last division word ("volume 2 chapter 1" -> "1"), or a
    title that is a number alone ("4")."""
    found = words[0] if len(words) == 1 and words[0].isdigit() else None
    for word, after in itertools.pairwise(words):
        if word in _DIVISIONS and after.isdigit():
            found = after
    return found


def _in_a_row(query: tuple[str, ...], words: tuple[str, ...]) -> bool:
    n = len(query)
    return any(words[i : i + n] == query for i in range(len(words) - n + 1))


def _tiers(typed: str, query: tuple[str, ...]) -> list[Callable[[Section, tuple[str, ...]], bool]]:
    starts_a_word = re.compile(r"\b" + re.escape(typed.casefold()))
    return [
        lambda s, words: words == query,
        lambda s, words: words[: len(query)] == query,
        lambda s, words: words[-len(query) :] == query,
        lambda s, words: _in_a_row(query, words),
        lambda s, words: starts_a_word.search((s.title or "").casefold()) is not None,
    ]


def _candidates(document: Document, typed: str) -> tuple[list[Section], bool]:
    """The sections the first matching tier finds, and whether the result is by number."""
    sections = document.sections
    if typed.startswith("#") and typed[1:].isdigit():
        position = int(typed[1:])
        return ([sections[position - 1]] if 1 <= position <= len(sections) else []), True
    query = title_words(typed)
    if not query:
        return [], False
    titled = [(s, title_words(s.title or "")) for s in sections]
    value = _number(query[0]) if len(query) == 1 else None
    if value is not None:
        numbers = [_chapter_number(words) for _, words in titled]
        numbered = [s for (s, _), n in zip(titled, numbers, strict=True) if n == str(value)]
        if numbered or any(numbers):
            return numbered, True
        if 1 <= value <= len(sections):
            return [sections[value - 1]], True
    for tier in _tiers(typed, query):
        found = [s for s, words in titled if tier(s, words)]
        if found:
            return found, False
    return [], False


def resolve_section(document: Document, typed: str) -> int:
    """The number (position, 1-based) of the section of ``document`` that ``typed`` names (see
    the module docstring).

    Raises:
        AmbiguousSection: several sections match equally well (the message lists them).
        NotFound: the document has no sections, or none matches (the message says how to pick).
    """
    typed = typed.strip()
    if not document.sections:
        raise NotFound(f"“{document.title}” has no chapters or sections to choose from.")
    found, _ = _candidates(document, typed)
    if len(found) == 1:
        return found[0].number
    if found:
        raise AmbiguousSection(document, typed, found)
    count = len(document.sections)
    raise NotFound(
        f"“{document.title}” has no section called “{typed}”. Give a chapter's number or "
        f"title (e.g. “{document.sections[-1].title or count}”), or a position from 1 to {count}."
    )


def matching_sections(document: Document, typed: str) -> list[Section]:
    """Sections for autocomplete: those :func:`resolve_section` would consider for ``typed``
    (every section when nothing is typed), in document order."""
    typed = typed.strip()
    if not typed:
        return list(document.sections)
    found, _ = _candidates(document, typed)
    return found
