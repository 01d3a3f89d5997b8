"""What a word, a stop word, a personal name and an honorific are: the one place the core says so.

The reader, search, summaries and quotes all ask these questions; they ask them here so the
answers agree. The word lists are data (``data/*.txt``, one entry a line, ``#`` comments), read
once at import.

- :data:`WORD` / :func:`words`: a word is a run of letters or digits, joined across an inner
  apostrophe or hyphen ("don't", "well-known", "O'Brien" are one word each).
- :func:`count_words`: words as a reader counts them: space-separated tokens, with each character
  of a script written without spaces (Chinese, Japanese, Thai, ...) counted as one word.
- :data:`STOP_WORDS`: English function words (lower case).
- :data:`NOT_NAME_WORDS`: capitalised words that do not start a personal name ("The", "Monday").
- :data:`HONORIFICS` / :func:`honorific`: "Mr", "Mrs", "Madame", "Dr", ... and what each stands for.
- :data:`TITLES`: titles before a name ("President", "Capt"), honorifics included.
- :data:`NAME_PARTICLES`: lower-case particles inside names ("van", "de", "ibn").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from importlib import resources
from types import MappingProxyType
from typing import Protocol

__all__ = [
    "HONORIFICS",
    "NAME_PARTICLES",
    "NOT_NAME_WORDS",
    "NO_SPACE_SCRIPT",
    "STOP_WORDS",
    "TITLES",
    "WORD",
    "SentenceWords",
    "count_words",
    "honorific",
    "sentence_words",
    "title_case",
    "words",
]


def _entries(name: str) -> list[str]:
    """The non-comment, non-blank lines of ``data/<name>``, stripped."""
    text = resources.files("bot.core.text").joinpath("data", name).read_text(encoding="utf-8")
    lines = (line.strip() for line in text.splitlines())
    return [line for line in lines if line and not line.startswith("#")]


#: A word: letters or digits, joined across an inner apostrophe (straight or curly) or hyphen.
WORD = re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*")

# Scripts written without spaces between words: Han ideographs (CJK unified, extensions,
# compatibility, radicals), kana, CJK symbols and punctuation, full-width forms, Thai, Lao,
# Khmer and Myanmar. Hangul is written with spaces and is not here.
_NO_SPACE_CHARS = (
    "\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u2e80-\u2fdf\u3000-\u30ff\u31f0-\u31ff"
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef\U00020000-\U0003134f"
)
#: One character of a script written without spaces between words.
NO_SPACE_SCRIPT = re.compile(f"[{_NO_SPACE_CHARS}]")

#: English function words, lower case ("the", "of", "which", ...).
STOP_WORDS: frozenset[str] = frozenset(_entries("stop_words.txt"))
#: Capitalised words that are not (the start of) a personal name, as written ("The", "May").
NOT_NAME_WORDS: frozenset[str] = frozenset(_entries("not_name_words.txt"))
#: Lower-case particles inside personal names ("van", "de", "ibn").
NAME_PARTICLES: frozenset[str] = frozenset(_entries("name_particles.txt"))
#: Titles written before a name, as written ("President", "Vice President", "Capt").
TITLES: tuple[str, ...] = tuple(_entries("titles.txt"))
#: Personal honorific (lower case, no full stop) -> the one it stands for ("mme" -> "madam").
HONORIFICS: Mapping[str, str] = MappingProxyType(
    {form: canonical for form, canonical in (line.split() for line in _entries("honorifics.txt"))}
)


def words(text: str) -> list[str]:
    """The words of ``text`` (see :data:`WORD`), as written."""
    return WORD.findall(text)


class _Located(Protocol):
    """A sentence as :func:`sentence_words` reads it."""

    @property
    def paragraph(self) -> int: ...
    @property
    def index(self) -> int: ...
    @property
    def text(self) -> str: ...


SentenceWords = Mapping[tuple[int, int], Sequence[str]]
"""Each sentence's :data:`WORD` tokens by ``(paragraph, index)``."""


def sentence_words(sentences: Iterable[_Located]) -> dict[tuple[int, int], list[str]]:
    """The :data:`WORD` tokens of each sentence by ``(paragraph number, index)``: found once per
    document and shared by the stages that read every sentence's words (quote scores, headings,
    summaries)."""
    return {(s.paragraph, s.index): WORD.findall(s.text) for s in sentences}


def count_words(text: str) -> int:
    """Words in ``text``: space-separated tokens, with each character of a script written
    without spaces between words (Chinese, Japanese, Thai, ...) counted as one word."""
    return len(NO_SPACE_SCRIPT.findall(text)) + len(NO_SPACE_SCRIPT.sub(" ", text).split())


def honorific(word: str) -> str | None:
    """The honorific ``word`` stands for ("Mrs." -> "mrs", "Madame" -> "madam"), else ``None``."""
    return HONORIFICS.get(word.rstrip(".").casefold())


_SMALL_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "as",
        "at",
        "but",
        "by",
        "for",
        "from",
        "in",
        "into",
        "nor",
        "of",
        "on",
        "or",
        "the",
        "to",
        "upon",
        "with",
    ]
)
_ROMAN = re.compile(r"(?=[MDCLXVI])M*(?:C[MD]|D?C{0,3})(?:X[CL]|L?X{0,3})(?:I[XV]|V?I{0,3})")


def title_case(text: str) -> str:
    """``text`` in title case when it is written in capitals, else unchanged.

    "PRIDE AND PREJUDICE" -> "Pride and Prejudice", "CHAPTER IV. THE WHALE" -> "Chapter IV. The
    Whale", "MOBY-DICK; OR, THE WHALE" -> "Moby-Dick; or, the Whale" (small words stay lower case
    except first), Roman numerals stay in capitals, "O'BRIEN" -> "O'Brien". A text with any
    lower-case letter is the author's own casing and is kept.
    """
    if not any(c.isupper() for c in text) or any(c.islower() for c in text):
        return text
    out: list[str] = []
    for i, token in enumerate(re.split(r"(\s+)", text)):
        if not token or token.isspace():
            out.append(token)
            continue
        core = token.strip(".,;:!?()[]\"'“”‘’—–-")
        if core and _ROMAN.fullmatch(core) and core not in ("I", "MIX", "DIM", "MILD", "LID"):
            out.append(token)
        elif (
            i > 0
            and core.lower() in _SMALL_WORDS
            and out[-2][-1:] not in ".:!?—–-"
            and not out[-2].rstrip(",;").isdigit()  # "190 A Four-Leaved Clover"
        ):
            out.append(token.lower())
        else:
            out.append(_capitalise(token.lower()))
    return "".join(out)


def _capitalise(word: str) -> str:
    """ "moby-dick" -> "Moby-Dick", "o'brien" -> "O'Brien", "whale's" -> "Whale's"."""
    parts = re.split(r"([-'’—–])", word)
    for k in range(0, len(parts), 2):
        after_apostrophe = k > 0 and parts[k - 1] in "'’"
        if not after_apostrophe or len(parts[k - 2].lstrip('“‘"(')) == 1:
            parts[k] = re.sub(r"[^\W\d_]", lambda m: m.group(0).upper(), parts[k], count=1)
    return "".join(parts)
