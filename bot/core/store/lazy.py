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
import functools
import mmap
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import overload

from bot.core.models import Document, Paragraph
from bot.core.store.codec import Head, decode_head, decode_paragraphs, decode_texts
from bot.core.store.records import StoreDamaged, decode_record

__all__ = [
    "DECODED_CHARS",
    "MappedRecord",
    "StoredParagraphs",
    "mapped_record",
    "stored_document",
]

#: Characters of decoded bodies kept in memory (the most recently used documents).
DECODED_CHARS = 24_000_000

_lock = threading.Lock()
_decoded: OrderedDict[int, tuple[StoredParagraphs, tuple[Paragraph, ...]]] = OrderedDict()
_decoded_chars = 0


class MappedRecord:
    """The payload of the record of ``kind`` at ``path``, checked again and read from a
    read-only memory map of the file at each call (``()``). Raises :class:`StoreDamaged`."""

    __slots__ = ("_map", "kind", "path")

    def __init__(self, path: Path, kind: str, mapping: mmap.mmap) -> None:
        self.path, self.kind, self._map = path, kind, mapping

    def __call__(self) -> bytes:
        try:
            return decode_record(self.path, self.kind, self._map[:])
        finally:  # the bytes stay in the page cache, not in this process's resident set
            with contextlib.suppress(OSError, ValueError, AttributeError):
                self._map.madvise(mmap.MADV_DONTNEED)


def mapped_record(path: Path, kind: str, payload: bytes) -> Callable[[], bytes]:
    """What gives the checked ``payload`` of the record at ``path`` again later: a
    :class:`MappedRecord`, or (when the file cannot be mapped) the bytes kept in memory."""
    try:
        with path.open("rb") as handle:
            return MappedRecord(path, kind, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ))
    except (OSError, ValueError):
        return functools.partial(bytes, payload)


class StoredParagraphs(Sequence[Paragraph]):
    """The paragraphs of the document record at ``path`` (head ``head``), decoded on first use.

    ``on_damage(message)`` reports a body found damaged then; ``reread(document id)`` gives the
    document read again from its own file (or raises :class:`StoreDamaged`). Knows :attr:`word_count`,
    :attr:`sentence_count` and :attr:`chars` without decoding. Equal to any sequence of equal
    paragraphs; two of the same record are equal without decoding.
    """

    __slots__ = ("_head", "_on_damage", "_record", "_reread")

    def __init__(
        self,
        head: Head,
        record: MappedRecord,
        on_damage: Callable[[str], None],
        reread: Callable[[str], Document],
    ) -> None:
        self._head, self._record = head, record
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

    def texts(self) -> list[str]:
        """The paragraphs' texts, without building their sentences when not decoded yet (the
        search index reads only these)."""
        with _lock:
            found = _decoded.get(id(self))
        if found is None:
            try:
                return decode_texts(self._record(), self._head)
            except (StoreDamaged, ValueError):
                pass  # reported, and repaired, by the full decode
        return [paragraph.text for paragraph in self._paragraphs()]

    @overload
    def __getitem__(self, index: int) -> Paragraph: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[Paragraph]: ...

    def __getitem__(self, index: int | slice) -> Paragraph | Sequence[Paragraph]:
        return self._paragraphs()[index]

    def __iter__(self) -> Iterator[Paragraph]:
        return iter(self._paragraphs())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, StoredParagraphs) and other._record.path == self._record.path:
            return True
        if not isinstance(other, Sequence):
            return NotImplemented
        return len(self) == len(other) and tuple(self) == tuple(other)

    def __hash__(self) -> int:
        return hash(len(self))

    def __repr__(self) -> str:
        return f"StoredParagraphs({self._record.path.name}, {len(self)} paragraphs)"

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
            return decode_paragraphs(self._record(), self._head)
        except (StoreDamaged, ValueError) as error:
            path = self._record.path
            self._on_damage(str(error) if isinstance(error, StoreDamaged) else f"{path}: {error}")
            document = self._reread(self._head.document.id)
            if document.id != self._head.document.id or len(document.paragraphs) != len(self):
                raise StoreDamaged(path, "damaged, and its file has changed since") from None
            return tuple(document.paragraphs)


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
    reread: Callable[[str], Document],
) -> Document:
    """The document of the checked record ``payload`` read from ``path``, its paragraphs left
    on disk (decoded in full when the file cannot be mapped). Raises ``ValueError`` for a
    damaged head."""
    head = decode_head(payload)
    record = mapped_record(path, "document", payload)
    if not isinstance(record, MappedRecord):
        return replace(head.document, paragraphs=decode_paragraphs(payload, head))
    return replace(head.document, paragraphs=StoredParagraphs(head, record, on_damage, reread))
