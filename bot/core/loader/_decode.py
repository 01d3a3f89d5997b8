"""Reading a file's bytes safely and decoding them to normalised text.

Decoding (:func:`decode_text`)
    UTF-8, with a leading byte-order mark dropped (UTF-16 with a BOM is accepted too). Bytes that
    are not valid UTF-8 but decode as **Windows-1252 (cp1252)** are read as cp1252, the usual
    encoding of "smart quotes" saved by Windows editors; :func:`load_corpus` then reports a
    non-fatal :class:`~bot.core.models.LoadProblem` so the operator can re-save the file as UTF-8.
    A file with NUL bytes, bytes that are neither UTF-8 nor cp1252, or more than 1% control
    characters (and more than 3) is "not a text file". Line endings CRLF and CR become LF;
    remaining control characters other than tab and newline are removed (form feed and vertical
    tab become newlines); the text is put in Unicode NFC (canonical composition only: NFKC would change characters such
    as ligatures and full-width forms, and the corpus is quoted verbatim).
"""

from __future__ import annotations

import codecs
import os
import re
import stat
import unicodedata
from pathlib import Path

from bot.core.loader._errors import DocumentError

#: Larger files are not read (the ten gathered books are 6.9 MB together; Moby Dick is 1.24 MB).
MAX_FILE_BYTES = 50_000_000


CONTROL_SHARE_MAX = 0.01


CONTROL_ALLOWED = 3  # a few stray control characters in a short file are removed, not fatal


_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")


def decode_text(data: bytes) -> tuple[str, list[str]]:
    """Decode file bytes to normalised text.

    Returns:
        ``(text, caveats)``: LF line endings, NFC, no BOM; ``caveats`` are plain-words notes for
        the operator (e.g. the cp1252 fallback), empty for clean UTF-8.

    Raises:
        DocumentError: empty (or whitespace only), or not a text file.
    """
    caveats: list[str] = []
    if not data.strip():
        raise DocumentError("the file is empty")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise DocumentError("not a text file (broken UTF-16)") from None
    elif b"\x00" in data:
        raise DocumentError("not a text file (it contains NUL bytes, so it looks binary)")
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            try:
                text = data.decode("cp1252")
            except UnicodeDecodeError:
                raise DocumentError(
                    "not a text file (its bytes are neither UTF-8 nor Windows-1252 text)"
                ) from None
            caveats.append(
                f"not valid UTF-8 (byte {error.start}); decoded as Windows-1252 (cp1252) - "
                "check its quotes and accents, and save it as UTF-8 to silence this"
            )
    if len(_CONTROL.findall(text)) > max(CONTROL_SHARE_MAX * len(text), CONTROL_ALLOWED):
        raise DocumentError("not a text file (too many control characters, so it looks binary)")
    text = _normalise(text)
    if not text.strip():
        raise DocumentError("the file is empty")
    return text, caveats


def _read_bytes(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes.

    The file is opened without blocking (``O_NONBLOCK``: opening a named pipe for reading would
    otherwise wait for a writer) and checked with ``fstat`` on the open descriptor, so a FIFO, a
    device (a link to ``/dev/zero`` or ``/dev/urandom``) or a socket is never read; at most
    ``limit + 1`` bytes are read, so a file that grows while it is read cannot exhaust memory.

    Raises:
        DocumentError: "could not be read (...)", "not a regular file (a named pipe)", or
            "too large (N MB; the limit is 50 MB)" (in bytes when N would round to 50).
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise DocumentError(f"could not be read ({reason})", path=str(path)) from None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise DocumentError(f"not a regular file ({_file_kind(info.st_mode)})", path=str(path))
        if info.st_size > limit:
            raise DocumentError(_too_large(info.st_size, limit), path=str(path))
        try:
            data = handle.read(limit + 1)
        except OSError as error:
            reason = error.strerror or type(error).__name__
            raise DocumentError(f"could not be read ({reason})", path=str(path)) from None
    if len(data) > limit:
        raise DocumentError(_too_large(len(data), limit), path=str(path))
    return data


def _too_large(size: int, limit: int) -> str:
    """``"too large (63.2 MB; the limit is 50 MB)"``; in bytes when one decimal of MB would show
    the size equal to the limit (``"50,000,001 bytes; the limit is 50 MB, 50,000,000 bytes"``)."""
    shown = f"{size / 1e6:,.1f}"
    if float(shown.replace(",", "")) * 1e6 > limit:
        return f"too large ({shown} MB; the limit is {limit / 1e6:,.0f} MB)"
    return f"too large ({size:,} bytes; the limit is {limit / 1e6:,.0f} MB, {limit:,} bytes)"


def _file_kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISDIR(mode):
        return "a folder"
    return "not a file"


def _normalise(text: str) -> str:
    if text.startswith("\ufeff"):
        text = text[1:]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u2029", "\n\n").replace("\u2028", "\n")
    text = text.replace("\f", "\n").replace("\v", "\n")
    text = _CONTROL.sub("", text)
    return unicodedata.normalize("NFC", text)
