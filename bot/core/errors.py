"""Errors the core raises for bad input. Each carries a message fit to show a user as it is.

The bot layer turns :class:`UserError` subclasses into polite ephemeral replies; anything else is
a bug and is logged with context.
"""

from __future__ import annotations


class UserError(Exception):
    """Bad input from a user or operator; ``str(error)`` is a complete, polite explanation."""


class QueryError(UserError):
    """A search query or filter that cannot be answered as typed.

    Attributes:
        reason: a stable machine-readable code: ``"too_short"``, ``"too_long"``, ``"nothing_to_search"``.
    """

    def __init__(self, message: str, *, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


class NotFound(UserError):
    """Nothing in the corpus answers the request (no match, unknown document, no quote)."""


class CorpusError(Exception):
    """The corpus cannot be used at all (e.g. no document loaded). The message says why and what to do."""
