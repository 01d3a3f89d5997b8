"""The error a saved search index raises when it cannot be used (see :mod:`._store`)."""

from __future__ import annotations


class IndexFileError(Exception):
    """A saved index cannot be used; the message names the file and says why.

    ``reason`` is ``"missing"`` (nothing saved there), ``"stale"`` (another format version, or
    built from another corpus or with other settings: rebuild quietly) or ``"damaged"`` (empty,
    truncated, corrupted or inconsistent files: worth a warning).
    """

    def __init__(self, message: str, *, reason: str = "damaged") -> None:
        super().__init__(message)
        self.reason = reason
