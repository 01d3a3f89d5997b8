"""Queries for the search benchmark, made from the corpus the same way for every method.

Two kinds, from 5-9 (misspelt) or 6-10 (half-remembered) consecutive words of a random passage:

* **misspelt**: 0-3 character edits (dropped, swapped, replaced or inserted letters), a missing
  word (15%) or an extra word (10%);
* **half-remembered**: one or two word-level changes, each a word dropped (not the first or
  last), two neighbouring words swapped, or a word moved elsewhere in the phrase; no typos.

Both then get what people do when typing: the case changed (lower 50%, upper 10%, title 10%),
straight and curly quotes swapped (50%), punctuation other than apostrophes left out (50%).

A hit is *right* when it is the passage the query was taken from, or a passage whose normalised
text contains the phrase as it was before the changes (an equally right answer: in a corpus of
recombined sentences the same phrase occurs in several passages).
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

from bot.core.models import Corpus
from bot.core.search import match_key
from bot.core.search._text import windows

_EXTRA_WORDS = ("the", "and", "very", "that", "of", "old", "then", "so")
_PUNCT = re.compile(r"[^\w\s'’]")
_QUOTE_SWAP = str.maketrans({"'": "’", "’": "'", '"': "“", "“": '"', "”": '"', "‘": "'"})

#: (document id, paragraph number, start, end): what identifies a passage across index versions.
Where = tuple[str, int, int, int]


@dataclass(frozen=True)
class Query:
    kind: str  # "misspelt" or "half-remembered"
    text: str
    clean: str  # the phrase before the changes, normalised
    source: Where


def windowed(corpus: Corpus) -> list[tuple[Where, str]]:
    """Every 400-character window (100 overlap) the indexes cut, with its text."""
    out: list[tuple[Where, str]] = []
    for document in corpus:
        for paragraph in document.paragraphs:
            for start, end in windows(paragraph.text, 400, 100):
                text = paragraph.text[start:end]
                out.append(((document.id, paragraph.number, start, end), text))
    return out


def make_queries(corpus: Corpus, count: int, seed: int) -> list[Query]:
    """``count`` misspelt and ``count`` half-remembered queries (deterministic for a seed)."""
    passages = [p for p in windowed(corpus) if len(p[1].split()) >= 10]
    rng = random.Random(seed)
    queries: list[Query] = []
    for kind in ("misspelt", "half-remembered"):
        for _ in range(count):
            where, text = passages[rng.randrange(len(passages))]
            words = text.split()
            n = rng.randint(5, 9) if kind == "misspelt" else rng.randint(6, 10)
            start = rng.randrange(len(words) - n + 1)
            phrase = words[start : start + n]
            noisy = _misspell(phrase, rng) if kind == "misspelt" else _forget(phrase, rng)
            queries.append(Query(kind, _typed(noisy, rng), match_key(" ".join(phrase)), where))
    return queries


def _misspell(phrase: list[str], rng: random.Random) -> str:
    noisy = list(phrase)
    if rng.random() < 0.15:
        del noisy[rng.randrange(1, len(noisy) - 1)]
    if rng.random() < 0.10:
        noisy.insert(rng.randrange(1, len(noisy)), rng.choice(_EXTRA_WORDS))
    chars = list(" ".join(noisy))
    for _ in range(rng.choice((0, 1, 1, 2, 2, 3))):
        _edit(chars, rng)
    return "".join(chars)


def _forget(phrase: list[str], rng: random.Random) -> str:
    words = list(phrase)
    for _ in range(rng.choice((1, 1, 2))):
        change = rng.choice(("drop", "swap", "move"))
        if change == "drop" and len(words) > 4:
            del words[rng.randrange(1, len(words) - 1)]
        elif change == "swap":
            i = rng.randrange(len(words) - 1)
            words[i], words[i + 1] = words[i + 1], words[i]
        else:
            word = words.pop(rng.randrange(len(words)))
            words.insert(rng.randrange(len(words) + 1), word)
    return " ".join(words)


def _edit(chars: list[str], rng: random.Random) -> None:
    letters = [i for i, ch in enumerate(chars) if ch.isalpha()]
    if not letters:
        return
    i = rng.choice(letters)
    op = rng.choice(("drop", "swap", "replace", "insert"))
    if op == "drop":
        del chars[i]
    elif op == "swap" and i + 1 < len(chars):
        chars[i], chars[i + 1] = chars[i + 1], chars[i]
    elif op == "replace":
        chars[i] = rng.choice("abcdefghijklmnopqrstuvwxyz")
    else:
        chars.insert(i, rng.choice("aeioulnrst"))


def _typed(text: str, rng: random.Random) -> str:
    case = rng.random()
    if case < 0.5:
        text = text.lower()
    elif case < 0.6:
        text = text.upper()
    elif case < 0.7:
        text = text.title()
    if rng.random() < 0.5:
        text = text.translate(_QUOTE_SWAP)
    if rng.random() < 0.5:  # people rarely type the commas and quotation marks
        text = " ".join(_PUNCT.sub("", text).split())
    return text
