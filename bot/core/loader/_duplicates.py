"""Exact and near-duplicate documents: the same article saved twice, an EPUB and a TXT of a book.

Two documents are compared by their words (:data:`bot.core.text.WORD`, case-folded, curly
apostrophes straightened, so punctuation, quotes, emphasis marks and line breaks do not count):

- **exact**: the same sequence of words;
- **near**: of the shingles (runs of :data:`SHINGLE_WORDS` words) of the shorter document, at
  least :data:`NEAR_SHARE` also occur in the longer one, and the shorter has at least 80% of
  the longer's words (so a chapter saved alone is not "a duplicate" of its book). Shingles are
  sampled (those whose hash is 0 modulo :data:`SAMPLE_EVERY`), the standard way of estimating
  resemblance (Broder, "On the resemblance and containment of documents", 1997), and found
  through an inverted index, so a corpus of many documents is not compared pair by pair.

Documents under :data:`MIN_WORDS` words are never duplicates (two short notes may well say
the same thing). The first document in load order is kept; each later duplicate is left out with a non-fatal
problem naming both files.
"""

from __future__ import annotations

import hashlib
import zlib
from collections import Counter, defaultdict
from collections.abc import Sequence

from bot.core.models import Document, LoadProblem
from bot.core.text import WORD

SHINGLE_WORDS = 5
SAMPLE_EVERY = 8
NEAR_SHARE = 0.85
LENGTH_SHARE = 0.8
MIN_SAMPLED = 12  # fewer sampled shingles: only an exact duplicate is recognised
MIN_WORDS = 40  # shorter documents (a note, a test stub) are never called duplicates


def _words(document: Document) -> list[str]:
    return [
        w.casefold().replace("’", "'") for p in document.paragraphs for w in WORD.findall(p.text)
    ]


def _sample(words: list[str]) -> set[int]:
    # CRC-32 of each shingle: fast, and the same in every process (Python's str hash is salted,
    # which would make the sample, and so a borderline verdict, change from run to run).
    shingles = zip(*(words[k:] for k in range(SHINGLE_WORDS)), strict=False)
    values = (zlib.crc32("\x1f".join(s).encode()) for s in shingles)
    return {value for value in values if value % SAMPLE_EVERY == 0}


def drop_duplicates(
    documents: Sequence[Document], problems: list[LoadProblem]
) -> tuple[Document, ...]:
    """``documents`` without later exact or near duplicates; each dropped one is reported."""
    kept: list[Document] = []
    exact: dict[str, Document] = {}
    index: defaultdict[int, list[int]] = defaultdict(list)
    samples: list[set[int]] = []
    lengths: list[int] = []
    for document in documents:
        words = _words(document)
        if len(words) < MIN_WORDS:
            kept.append(document)
            samples.append(set())
            lengths.append(len(words))
            continue
        key = hashlib.blake2b(" ".join(words).encode(), digest_size=16).hexdigest()
        original = exact.get(key)
        if original is not None:
            problems.append(_problem(document, original, "the same text"))
            continue
        sample = _sample(words)
        match = _near(sample, len(words), index, samples, lengths)
        if match is not None:
            original, share = kept[match[0]], match[1]
            problems.append(_problem(document, original, f"{share:.0%} the same text"))
            continue
        number = len(kept)
        kept.append(document)
        exact[key] = document
        samples.append(sample)
        lengths.append(len(words))
        for value in sample:
            index[value].append(number)
    return tuple(kept)


def _near(
    sample: set[int],
    length: int,
    index: defaultdict[int, list[int]],
    samples: list[set[int]],
    lengths: list[int],
) -> tuple[int, float] | None:
    """The kept document this one nearly duplicates, with the shared share, or ``None``."""
    if len(sample) < MIN_SAMPLED:
        return None
    shared: Counter[int] = Counter()
    for value in sample:
        shared.update(index.get(value, ()))
    for number, count in shared.most_common(3):
        shorter = min(len(sample), len(samples[number]))
        short_words, long_words = sorted((length, lengths[number]))
        if shorter and count / shorter >= NEAR_SHARE and short_words >= LENGTH_SHARE * long_words:
            return number, count / shorter
    return None


def _problem(document: Document, original: Document, how: str) -> LoadProblem:
    return LoadProblem(
        document.path,
        f"duplicate of {original.path} ({how}): loaded once, as '{original.id}'",
        fatal=False,
    )
