"""Documents whose paragraphs stay on disk until a command needs them.

A restart reads each document record once to check it (checksum, head) and keeps only its head
(title, sections, counts) and a read-only memory map of the file: 440 novels' paragraphs as
Python objects are gigabytes, and most commands never touch most documents (the search index
holds its own passage texts, quotes and summaries their own sentences). The first use of
:attr:`Document.paragraphs` decodes the body (a novel: tens of milliseconds); the most recently
used bodies stay decoded, up to :data:`DECODED_CHARS` characters in all. The map keeps the file's
bytes reachable even when a newer corpus's clean-up deletes the file (POSIX ``unlink`` semantics),
and its pages are released after each decode, so they do not stay in the resident set.

A body that turns out damaged on first use (altered with a valid checksum) is reported and the
document is read again from its own file (``reread``), never served wrong.
"""

from __future__ import annotations

import contextlib
import mmap
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import overload

from bot.core.models import Document, Paragraph
from bot.core.store.codec import Head, decode_head, decode_paragraphs
from bot.core.store.records import StoreDamaged, decode_record

__all__ = ["DECODED_CHARS", "StoredParagraphs", "chars_of", "stored_document"]

#: Characters of decoded bodies kept in memory (the most recently used documents).
DECODED_CHARS = 24_000_000

_lock = threading.Lock()
_decoded: OrderedDict[int, tuple[StoredParagraphs, tuple[Paragraph, ...]]] = OrderedDict()
_decoded_chars = 0


class StoredParagraphs(Sequence[Paragraph]):
    """The paragraphs of the document record at ``path`` (head ``head``), decoded on first use.

    ``on_damage(message)`` reports a body found damaged then; ``reread()`` gives the document
    read again from its own file (or raises :class:`StoreDamaged`). Knows :attr:`word_count`,
    :attr:`sentence_count` and :attr:`chars` without decoding. Equal to any sequence of equal
    paragraphs; two of the same record are equal without decoding.
    """

    __slots__ = ("_head", "_map", "_on_damage", "_path", "_reread")

    def __init__(
        self,
        head: Head,
        path: Path,
        mapping: mmap.mmap,
        on_damage: Callable[[str], None],
        reread: Callable[[], Document],
    ) -> None:
        self._head, self._path, self._map = head, path, mapping
        self._on_damage, self._reread = on_damage, reread

    @property
    def word_count(self) -> int:
        return self._head.words

    @property
    def sentence_count(self) -> int:
        return self._head.sentences

    @property
    def chars(self) -> int:
        return self._head.chars

    def __len__(self) -> int:
        return self._head.paragraphs

    @overload
    def __getitem__(self, index: int) -> Paragraph: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[Paragraph]: ...

    def __getitem__(self, index: int | slice) -> Paragraph | Sequence[Paragraph]:
        return self._paragraphs()[index]

    def __iter__(self) -> Iterator[Paragraph]:
        return iter(self._paragraphs())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, StoredParagraphs) and other._path == self._path:
            return True
        if not isinstance(other, Sequence):
            return NotImplemented
        return len(self) == len(other) and tuple(self) == tuple(other)

    def __hash__(self) -> int:
        return hash(len(self))

    def __repr__(self) -> str:
        return f"StoredParagraphs({self._path.name}, {len(self)} paragraphs)"

    def __reduce__(self) -> tuple[type[tuple[Paragraph, ...]], tuple[tuple[Paragraph, ...]]]:
        return tuple, (self._paragraphs(),)  # another process gets them decoded

    def _paragraphs(self) -> tuple[Paragraph, ...]:
        with _lock:
            found = _decoded.get(id(self))
            if found is not None:  # held there, so id(self) is not another object's
                _decoded.move_to_end(id(self))
                return found[1]
        paragraphs = self._decode()
        _keep(self, paragraphs)
        return paragraphs

    def _decode(self) -> tuple[Paragraph, ...]:
        try:
            payload = decode_record(self._path, "document", self._map[:])
            return decode_paragraphs(payload, self._head)
        except (StoreDamaged, ValueError) as error:
            message = str(error) if isinstance(error, StoreDamaged) else f"{self._path}: {error}"
            self._on_damage(message)
            document = self._reread()
            if document.id != self._head.document.id or len(document.paragraphs) != len(self):
                raise StoreDamaged(self._path, "damaged, and its file has changed since") from None
            return tuple(document.paragraphs)
        finally:  # the bytes stay in the page cache, not in this process's resident set
            with contextlib.suppress(OSError, ValueError, AttributeError):
                self._map.madvise(mmap.MADV_DONTNEED)


def _keep(owner: StoredParagraphs, paragraphs: tuple[Paragraph, ...]) -> None:
    global _decoded_chars
    with _lock:
        if id(owner) in _decoded:
            return
        _decoded[id(owner)] = (owner, paragraphs)
        _decoded_chars += owner.chars
        while _decoded_chars > DECODED_CHARS and len(_decoded) > 1:
            _, (evicted, _) = _decoded.popitem(last=False)
            _decoded_chars -= evicted.chars


def stored_document(
    path: Path,
    payload: bytes,
    on_damage: Callable[[str], None],
    reread: Callable[[], Document],
) -> Document:
    """The document of the checked record ``payload`` read from ``path``, its paragraphs left
    on disk (decoded in full when the file cannot be mapped). Raises ``ValueError`` for a
    damaged head."""
    head = decode_head(payload)
    try:
        with path.open("rb") as handle:
            mapping = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
    except (OSError, ValueError):
        return replace(head.document, paragraphs=decode_paragraphs(payload, head))
    return replace(
        head.document, paragraphs=StoredParagraphs(head, path, mapping, on_damage, reread)
    )


def chars_of(document: Document) -> int:
    """Characters in ``document``'s paragraphs (without decoding a stored one)."""
    known = getattr(document.paragraphs, "chars", None)
    return known if isinstance(known, int) else sum(len(p.text) for p in document.paragraphs)
