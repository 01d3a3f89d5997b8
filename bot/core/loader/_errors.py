"""The loader's error for a file that cannot be used as a document."""

from __future__ import annotations

from bot.core.errors import UserError


class DocumentError(UserError):
    """A file that cannot be used as a document.

    Attributes:
        reason: what is wrong, in plain words (e.g. ``"the file is empty"``).
        path: the file, as given, or ``""`` for text not read from a file.
    """

    def __init__(self, reason: str, *, path: str = "") -> None:
        super().__init__(f"{path}: {reason}" if path else reason)
        self.reason = reason
        self.path = path
