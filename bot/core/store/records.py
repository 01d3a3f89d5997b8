"""Store files: checksummed, versioned, written atomically and durably; never pickled.

Every file of the corpus store is a *record*: one header line, then the payload::

    corpusbot-store 1 <kind> <payload bytes> <sha256 of the payload, hex>\n<payload>

:func:`read_record` checks all of it (magic, format version, kind, length, checksum) before a
byte of the payload is used, so a missing, truncated (zero bytes included), corrupted or altered
file raises :class:`StoreDamaged` naming the file and what is wrong; the caller rebuilds it.
The checksum finds damage, not malice: whoever can write the folder can write a matching
checksum, and the payloads are JSON and plain numbers, never code (no pickle anywhere).

:func:`write_record` writes to a temporary file beside the target, ``fsync``s it, renames it over
the target and ``fsync``s the folder, so a crash or a full disk leaves the old file or the new
one, never a mix (the write-rename idiom of POSIX ``rename(2)``).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from pathlib import Path

__all__ = ["FORMAT", "StoreDamaged", "read_record", "write_atomic", "write_record"]

#: Version of the record layout; a file of another version is "damaged" (rebuilt).
FORMAT = 1
_MAGIC = b"corpusbot-store"
_MAX_HEADER = 200


class StoreDamaged(Exception):
    """A store file that cannot be used; ``str(error)`` names the file and the fault."""

    def __init__(self, path: Path, fault: str) -> None:
        super().__init__(f"{path}: {fault}")
        self.path = path
        self.fault = fault


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically and durably (temporary file, fsync, rename, fsync
    of the folder). Raises ``OSError`` when the folder cannot be written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{os.urandom(4).hex()}.tmp")
    try:
        with open(temporary, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise
    _fsync_folder(path.parent)


def _fsync_folder(folder: Path) -> None:
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - platforms without directory descriptors
        return
    try:
        os.fsync(descriptor)
    except OSError:  # pragma: no cover - some file systems refuse fsync on folders
        pass
    finally:
        os.close(descriptor)


def encode_record(kind: str, payload: bytes) -> bytes:
    """The bytes of a record of ``kind`` (a word without spaces) holding ``payload``."""
    digest = hashlib.sha256(payload).hexdigest()
    header = b"%s %d %s %d %s\n" % (_MAGIC, FORMAT, kind.encode(), len(payload), digest.encode())
    return header + payload


def write_record(path: Path, kind: str, payload: bytes) -> None:
    """Write ``payload`` as a record of ``kind`` at ``path`` (see :func:`write_atomic`)."""
    write_atomic(path, encode_record(kind, payload))


def read_record(path: Path, kind: str) -> bytes:
    """The payload of the record of ``kind`` at ``path``, after every check.

    Raises:
        StoreDamaged: the file is missing, unreadable, empty, truncated, of another format or
            kind, or its payload does not match its checksum.
    """
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise StoreDamaged(path, "missing") from None
    except OSError as error:
        raise StoreDamaged(path, f"unreadable ({error.strerror or error})") from None
    return decode_record(path, kind, data)


def decode_record(path: Path, kind: str, data: bytes) -> bytes:
    """The payload of record bytes ``data`` (read from ``path``); see :func:`read_record`."""
    if not data:
        raise StoreDamaged(path, "empty (zero bytes)")
    end = data.find(b"\n", 0, _MAX_HEADER)
    fields = data[:end].split(b" ") if end >= 0 else []
    if len(fields) != 5 or fields[0] != _MAGIC:
        raise StoreDamaged(path, "not a corpus store file (bad header)")
    _, version, found_kind, length, digest = fields
    if version != str(FORMAT).encode():
        raise StoreDamaged(path, f"store format {version.decode(errors='replace')}, not {FORMAT}")
    if found_kind != kind.encode():
        raise StoreDamaged(path, f"holds a {found_kind.decode(errors='replace')}, not a {kind}")
    payload = data[end + 1 :]
    if not length.isdigit() or int(length) != len(payload):
        raise StoreDamaged(
            path, f"truncated or padded ({len(payload)} of {length.decode(errors='replace')} bytes)"
        )
    if hashlib.sha256(payload).hexdigest().encode() != digest:
        raise StoreDamaged(path, "checksum mismatch (corrupted or altered)")
    return payload
