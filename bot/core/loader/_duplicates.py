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
the same thing). Of duplicates, the one kept is chosen by a rule that a new arrival cannot
change: the older file (modification time), then the one nearer the top folder, then the
shorter path, then load order (:func:`preference`); so dropping a copy into the corpus never
renames the document already served. Each one left out gets a non-fatal problem naming both
files. What the comparison needs of a document is its :class:`Fingerprint`, computed once when
the file is read (a store keeps it with the file's record, so a changed file does not cost a
pass over every other document's words).
"""

from __future__ import annotations

import hashlib
import os
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bot.core.models import Document, LoadProblem
from bot.core.text import WORD

SHINGLE_WORDS = 5
SAMPLE_EVERY = 8
NEAR_SHARE = 0.85
LENGTH_SHARE = 0.8
MIN_SAMPLED = 12  # fewer sampled shingles: only an exact duplicate is recognised
MIN_WORDS = 40  # shorter documents (a note, a test stub) are never called duplicates


def _words(document: Document) -> list[str]:
    """The document's words, case-folded, curly apostrophes straightened. An ASCII text is
    folded whole and scanned once (folding ASCII changes no word's extent; the paragraphs,
    joined by a line break, share no word); any other paragraph word by word, as folding may
    split a word ("İ" folds to "i" and a combining dot)."""
    words: list[str] = []
    ascii_run: list[str] = []
    for paragraph in document.paragraphs:
        if paragraph.text.isascii():
            ascii_run.append(paragraph.text)
            continue
        if ascii_run:
            words += WORD.findall("\n".join(ascii_run).lower())
            ascii_run = []
        words += [w.casefold().replace("’", "'") for w in WORD.findall(paragraph.text)]
    if ascii_run:
        words += WORD.findall("\n".join(ascii_run).lower())
    return words


def _sample(words: list[str]) -> set[int]:
    # CRC-32 of each shingle: fast, and the same in every process (Python's str hash is salted,
    # which would make the sample, and so a borderline verdict, change from run to run). Joined,
    # encoded and hashed by C functions in a row; the sampling by numpy.
    shingles = zip(*(words[k:] for k in range(SHINGLE_WORDS)), strict=False)
    count = max(0, len(words) - SHINGLE_WORDS + 1)
    values = np.fromiter(
        map(zlib.crc32, map(str.encode, map("\x1f".join, shingles))), np.uint32, count
    )
    return set(values[values % SAMPLE_EVERY == 0].tolist())


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """What duplicate detection compares of a document: its word count, a BLAKE2b (hex) of its
    words, and its sampled shingle hashes (sorted CRC-32 values)."""

    words: int
    exact: str
    sample: tuple[int, ...]


def fingerprint(document: Document) -> Fingerprint:
    """The :class:`Fingerprint` of ``document`` (linear in its words)."""
    words = _words(document)
    if len(words) < MIN_WORDS:
        return Fingerprint(len(words), "", ())
    exact = hashlib.blake2b(" ".join(words).encode(), digest_size=16).hexdigest()
    return Fingerprint(len(words), exact, tuple(sorted(_sample(words))))


def preference(path: str) -> tuple[float, int, int]:
    """Sort key of a document's file among its duplicates (lowest is kept): modification time
    in seconds (a file that cannot be read for it last), folder depth, path length."""
    try:
        mtime = os.stat(path).st_mtime
    except OSError:
        mtime = float("inf")
    return mtime, len(Path(path).parts), len(path)


#: A document left out: ``(document, the one kept instead, how alike: "the same text")``.
Duplicate = tuple[Document, Document, str]


def drop_duplicates(
    documents: Sequence[Document], fingerprints: Sequence[Fingerprint | None] | None = None
) -> tuple[list[int], list[Duplicate]]:
    """The positions in ``documents`` (in load order) of those kept, without exact or near
    duplicates: of each group the one :func:`preference` ranks first is kept. Also each
    document left out, with the one kept instead (report it with :func:`duplicate_problem`).
    ``fingerprints[i]``, when given and not ``None``, is :func:`fingerprint` of
    ``documents[i]`` (else it is computed)."""
    order = sorted(range(len(documents)), key=lambda n: (preference(documents[n].path), n))
    given = list(fingerprints) if fingerprints is not None else [None] * len(documents)
    prints = [f if f is not None else fingerprint(d) for d, f in zip(documents, given, strict=True)]
    dropped: list[Duplicate] = []
    survivors = set(_unique(documents, prints, order, dropped))
    return sorted(survivors), dropped


def duplicate_problem(duplicate: Duplicate, original_id: str) -> LoadProblem:
    """The non-fatal problem reporting a document left out as a duplicate."""
    document, original, how = duplicate
    return LoadProblem(
        document.path,
        f"duplicate of {original.path} ({how}): loaded once, as '{original_id}'",
        fatal=False,
    )


def _unique(
    documents: Sequence[Document],
    prints: Sequence[Fingerprint],
    order: list[int],
    dropped: list[Duplicate],
) -> list[int]:
    """Positions in ``order`` of documents not exact or near duplicates of one before."""
    kept: list[int] = []
    exact: dict[str, Document] = {}
    index = _SampleIndex([prints[position] for position in order])
    sizes: list[int] = []
    lengths: list[int] = []
    for rank, position in enumerate(order):
        document, found = documents[position], prints[position]
        if found.words < MIN_WORDS:
            kept.append(position)
            sizes.append(0)
            lengths.append(found.words)
            continue
        original = exact.get(found.exact)
        if original is not None:
            dropped.append((document, original, "the same text"))
            continue
        match = _near(index.shared(rank), len(found.sample), found.words, sizes, lengths)
        if match is not None:
            original, share = documents[kept[match[0]]], match[1]
            dropped.append((document, original, f"{share:.0%} the same text"))
            continue
        index.keep(rank, len(kept))
        kept.append(position)
        exact[found.exact] = document
        sizes.append(len(found.sample))
        lengths.append(found.words)
    return kept


class _SampleIndex:
    """Every document's sampled values, sorted by value, to count in bulk how many of one
    document's values each kept document has (numpy: a library's millions of shared values)."""

    def __init__(self, prints: Sequence[Fingerprint]) -> None:
        counts = [len(p.sample) if p.words >= MIN_WORDS else 0 for p in prints]
        values = np.fromiter(
            (v for p, n in zip(prints, counts, strict=True) if n for v in p.sample),
            dtype=np.int64,
            count=sum(counts),
        )
        if len(prints) >= 1 << 32 or (
            len(values) and (values.min() < 0 or values.max() >= 1 << 32)
        ):
            raise ValueError("sampled values are CRC-32s, documents fewer than 2**32")
        ranks = np.repeat(np.arange(len(prints), dtype=np.uint64), counts)
        # Sorted by (value, rank): a value's documents in rank order, so the documents before
        # one (in its value's group) run from the group's start up to that document's entry.
        order = np.argsort((values.astype(np.uint64) << np.uint64(32)) | ranks, kind="stable")
        self._ranks = ranks[order].astype(np.int64)
        self._where = np.empty_like(order)  # entry (in rank order) -> its place in the sort
        self._where[order] = np.arange(len(order))
        ordered = values[order]
        starts = np.flatnonzero(np.diff(ordered, prepend=-1)) if len(ordered) else ordered
        self._group = np.repeat(starts, np.diff(np.append(starts, len(ordered))))
        self._starts = np.concatenate(([0], np.cumsum(counts)))
        self._number = np.full(len(prints), -1, dtype=np.int64)  # rank -> kept number, or -1

    def keep(self, rank: int, number: int) -> None:
        """The document of ``rank`` is kept as number ``number``."""
        self._number[rank] = number

    def shared(self, rank: int) -> list[tuple[int, int]]:
        """``(kept number, shared values)`` of the kept documents sharing the most values with
        the document of ``rank`` (at most three, most first, then earlier kept first)."""
        high = self._where[self._starts[rank] : self._starts[rank + 1]]
        if not len(high):
            return []
        low = self._group[high]
        sizes = high - low
        total = int(sizes.sum())
        shifts = np.repeat(low - (np.cumsum(sizes) - sizes), sizes)
        numbers = self._number[self._ranks[np.arange(total, dtype=np.int64) + shifts]]
        numbers = numbers[numbers >= 0]
        if not len(numbers):
            return []
        counts = np.bincount(numbers)
        best = np.argsort(-counts, kind="stable")[:3]
        return [(int(n), int(counts[n])) for n in best if counts[n] > 0]


def _near(
    shared: list[tuple[int, int]],
    size: int,
    length: int,
    sizes: list[int],
    lengths: list[int],
) -> tuple[int, float] | None:
    """The kept document this one (``size`` sampled values, ``length`` words) nearly
    duplicates, with the shared share, or ``None``; ``shared`` from :meth:`_SampleIndex.shared`."""
    if size < MIN_SAMPLED:
        return None
    for number, count in shared:
        shorter = min(size, sizes[number])
        short_words, long_words = sorted((length, lengths[number]))
        if shorter and count / shorter >= NEAR_SHARE and short_words >= LENGTH_SHARE * long_words:
            return number, count / shorter
    return None
