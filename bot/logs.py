"""Log hygiene: credentials never reach a log line, whatever the level.

An interaction's token is a credential for 15 minutes (it lets anyone answer, edit or delete the
bot's replies), and discord.py writes it at DEBUG in every interaction URL
(``/interactions/{id}/{token}/callback``, ``/webhooks/{app}/{token}``) and in the gateway event it
logs. :class:`RedactCredentials` replaces those tokens with ``[token]`` in every record a handler
emits; :func:`install` puts it on the root logger's handlers.
"""

from __future__ import annotations

import logging
import re

_URL_TOKEN = re.compile(r"(/(?:interactions|webhooks)/\d+/)(?!@original)[A-Za-z0-9_\-.]{16,}")
_FIELD_TOKEN = re.compile(r"""((['"])token\2\s*:\s*)(['"])[^'"]+\3""")


def redact(text: str) -> str:
    """``text`` with interaction/webhook tokens in URLs and ``"token": ...`` fields replaced."""
    text = _URL_TOKEN.sub(r"\1[token]", text)
    return _FIELD_TOKEN.sub(r"\1\3[token]\3", text)


class RedactCredentials(logging.Filter):
    """A handler filter that redacts a record's message (arguments included) in place."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # a malformed record: leave it to the handler
            return True
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


def install(logger: logging.Logger | None = None) -> None:
    """Add :class:`RedactCredentials` to every handler of ``logger`` (the root logger)."""
    for handler in (logger or logging.getLogger()).handlers:
        if not any(isinstance(f, RedactCredentials) for f in handler.filters):
            handler.addFilter(RedactCredentials())
