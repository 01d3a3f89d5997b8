"""Cutting a corpus into passages for :class:`~bot.core.search.SearchIndex`, and reading them back.

:func:`index_corpus` windows every paragraph, feeds each passage's matching key to the
:class:`._build.Builder` and keeps the ``(doc, paragraph, start, end)`` columns;
:class:`PassageList` is the index's passages as a read-only sequence, made on access.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, overload

import numpy as np
import numpy.typing as npt

from bot.core.models import Corpus, Document, Passage
from bot.core.search._build import CHUNK_CHARS, Builder, release_free_memory, small_pages
from bot.core.search._grams import Postings
from bot.core.search._text import match_key, windows

if TYPE_CHECKING:
    from bot.core.search._index import SearchIndex

_HAS_ALNUM = re.compile(r"[^\W_]")  # a letter or digit (str.isalnum)

U8 = npt.NDArray[np.uint8]
I32 = npt.NDArray[np.int32]
I64 = npt.NDArray[np.int64]


class PassageList(Sequence[Passage]):
    """The index's passages in corpus order, made on access (a read-only sequence)."""

    def __init__(self, index: SearchIndex) -> None:
        self._index = index

    def __len__(self) -> int:
        return len(self._index)

    @overload
    def __getitem__(self, i: int) -> Passage: ...
    @overload
    def __getitem__(self, i: slice) -> Sequence[Passage]: ...
    def __getitem__(self, i: int | slice) -> Passage | Sequence[Passage]:
        if isinstance(i, slice):
            return tuple(self[j] for j in range(len(self))[i])
        if not -len(self) <= i < len(self):
            raise IndexError(i)
        return self._index.passage(self._index._layout.nth(i % len(self)))

    def __iter__(self) -> Iterator[Passage]:
        return (self[i] for i in range(len(self)))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]


def document_chars(document: Document) -> int:
    """A document's size as the hash width counts it (characters, two more per paragraph; from
    the counts a stored document knows without reading its body)."""
    return document.char_count + 2 * len(document.paragraphs)


def index_corpus(
    corpus: Corpus,
    window: int,
    overlap: int,
    progress: Callable[[int, int], None] | None,
    bits: int | None = None,
    texts: TextBuffer | None = None,
) -> tuple[Postings, U8, I64, dict[str, I32], list[int]]:
    """``(postings, keys, key_offsets, columns, sizes)`` of the corpus's passages, ``sizes`` per
    document (:func:`document_chars`); see :meth:`SearchIndex.build`, which says how
    ``progress`` is called. ``bits``: the hash width (default: from the corpus's size);
    ``texts``: where to pack the passages' texts as they are cut (each body read once)."""
    sizes = [document_chars(document) for document in corpus]
    chars = sum(sizes)
    total = len(corpus) + max(1, -(-chars // CHUNK_CHARS))
    chunks = None
    if progress is not None:
        report = progress
        chunks = lambda done: report(min(len(corpus) + done, total - 1), total)  # noqa: E731
    builder = Builder(chars, chunks, bits)
    with small_pages():
        columns = _cut(corpus, window, overlap, builder, progress, total, texts)
        postings, blob, offsets = builder.finish()
    del builder
    release_free_memory()  # the build's freed temporaries, back to the OS
    if progress is not None:
        progress(total, total)
    return postings, blob, offsets, columns, sizes


_COLUMNS = ("doc", "paragraph", "start", "end")


def _cut(
    corpus: Corpus,
    window: int,
    overlap: int,
    builder: Builder,
    progress: Callable[[int, int], None] | None,
    total: int,
    texts: TextBuffer | None = None,
) -> dict[str, I32]:
    """Feed every passage's matching key to ``builder`` (passages without a letter or digit
    dropped), and its text to ``texts``; return the ``(doc, paragraph, start, end)`` columns."""
    columns = {name: array("i") for name in _COLUMNS}
    docs, paragraphs, starts, ends = (columns[name] for name in _COLUMNS)
    for number, document in enumerate(corpus):
        kept: list[str] = []
        for paragraph_number, text in enumerate(document.texts(), 1):  # no sentences built
            for start, end in windows(text, window, overlap):
                key = match_key(text[start:end])
                if _HAS_ALNUM.search(key) is None:
                    continue
                builder.add(key)
                if texts is not None:
                    kept.append(text[start:end])
                docs.append(number)
                paragraphs.append(paragraph_number)
                starts.append(start)
                ends.append(end)
        if texts is not None:
            texts.add(kept)
        if progress is not None:
            progress(min(number + 1, total - 1), total)
    return {name: np.frombuffer(values, dtype=np.int32).copy() for name, values in columns.items()}


def pack(texts: list[str]) -> tuple[U8, I64]:
    """``texts`` as one UTF-8 buffer and ``len(texts) + 1`` byte offsets."""
    joined = "".join(texts)
    if joined.isascii():
        sizes = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
        data = joined.encode("ascii")
    else:
        encoded = [t.encode("utf-8", "surrogatepass") for t in texts]
        sizes = np.fromiter(map(len, encoded), dtype=np.int64, count=len(texts))
        data = b"".join(encoded)
    offsets = np.zeros(len(texts) + 1, dtype=np.int64)
    np.cumsum(sizes, out=offsets[1:])
    return np.frombuffer(data, dtype=np.uint8), offsets


class TextBuffer:
    """Passage texts packed as they are cut: one UTF-8 buffer and byte offsets."""

    def __init__(self) -> None:
        self._blob = bytearray()
        self._offsets = array("q", [0])

    def add(self, texts: list[str]) -> None:
        """Append ``texts`` (one document's passages)."""
        if texts:
            data, offsets = pack(texts)
            self._offsets.frombytes((offsets[1:] + len(self._blob)).tobytes())
            self._blob += data.tobytes()

    def finish(self) -> tuple[U8, I64]:
        """``(texts, offsets)`` as :func:`pack` gives them."""
        return np.frombuffer(self._blob, dtype=np.uint8), np.frombuffer(self._offsets, np.int64)


def blob_text(texts: U8, offsets: I64) -> Callable[[int], str]:
    """``text_of(pid)`` reading passage texts packed by :func:`pack` (or saved)."""

    def text_of(pid: int) -> str:
        return texts[offsets[pid] : offsets[pid + 1]].tobytes().decode("utf-8", "surrogatepass")

    return text_of


def corpus_text(documents: Sequence[Document], columns: dict[str, I32]) -> Callable[[int], str]:
    """``text_of(pid)`` for an index built from ``documents``: a slice of the paragraph."""
    doc, paragraph = columns["doc"], columns["paragraph"]
    start, end = columns["start"], columns["end"]

    def text_of(pid: int) -> str:
        paragraphs = documents[int(doc[pid])].paragraphs
        return paragraphs[int(paragraph[pid]) - 1].text[int(start[pid]) : int(end[pid])]

    return text_of
