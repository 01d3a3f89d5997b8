"""``search --batch FILE``: reading the queries file safely (regular files only, capped,
decoded as the corpus loader does).
"""

from __future__ import annotations

import stat
import sys
from pathlib import Path
from typing import BinaryIO

from bot.core.errors import UserError

#: The largest ``--batch`` queries file read (bytes): far more queries than a benchmark needs,
#: and a guard against ``/dev/zero`` or a huge file by mistake.
BATCH_MAX_BYTES = 10 * 1024 * 1024


def read_batch_queries(
    source: str, *, stdin: BinaryIO | None = None
) -> tuple[list[str], list[str]]:
    """The lines of a ``--batch`` queries file, and warnings for the operator.

    ``source`` is a path to a regular file or ``-`` for standard input (read as bytes from
    ``stdin``, default ``sys.stdin.buffer``). Decoding as the corpus loader does
    (:func:`bot.core.loader.decode_text`): UTF-8 (with or without BOM), UTF-16 with a BOM, and
    a Windows-1252 fallback reported as a warning.

    Raises:
        UserError: not a regular file (a folder, a named pipe, a device such as ``/dev/zero``),
            unreadable, larger than :data:`BATCH_MAX_BYTES`, binary, or empty; the message names
            the file and the reason.
    """
    from bot.core.loader import DocumentError, decode_text

    name = "standard input" if source == "-" else source
    mb, rest = divmod(BATCH_MAX_BYTES, 1024 * 1024)
    limit = f"{mb} MB" if mb and not rest else f"{BATCH_MAX_BYTES} bytes"
    try:
        if source == "-":
            data = (stdin or sys.stdin.buffer).read(BATCH_MAX_BYTES + 1)
        else:
            path = Path(source)
            info = path.stat()
            if not stat.S_ISREG(info.st_mode):
                kind = "a folder" if stat.S_ISDIR(info.st_mode) else "not a regular file"
                raise UserError(
                    f"cannot read the queries file {name}: it is {kind}; give a text file with "
                    "one query per line, or - to read standard input"
                )
            if info.st_size > BATCH_MAX_BYTES:
                raise UserError(
                    f"cannot read the queries file {name}: it has {info.st_size} bytes, more than "
                    f"the {limit} allowed; split it into smaller files"
                )
            with path.open("rb") as handle:
                data = handle.read(BATCH_MAX_BYTES + 1)
    except OSError as error:
        raise UserError(f"cannot read the queries file {name}: {error.strerror or error}") from None
    if len(data) > BATCH_MAX_BYTES:
        raise UserError(
            f"cannot read the queries file {name}: more than the {limit} allowed; split it"
        )
    try:
        text, caveats = decode_text(data)
    except DocumentError as error:
        raise UserError(f"cannot read the queries file {name}: {error.reason}") from None
    return text.splitlines(), [f"queries file {name}: {c}" for c in caveats]
