"""Discord's answer to a scheduled post, in the schedulers' terms (:class:`SendResult`).

One mapping for the daily quote and the reading club, because the exactly-once policy of
:mod:`bot.storage` rests on it: a refused request (403, 404, other 4xx) created no message; a
429/5xx may be retried; a connection that was never made (refused, DNS failure) never reached
Discord; a timeout or a dropped connection may have created the message, so it is resent only
with its nonce.
"""

from __future__ import annotations

import socket
from collections.abc import Callable

import aiohttp
import discord

from bot.scheduler import SendResult


def _send_messages(error: discord.Forbidden) -> str:
    return "Send Messages"


def failed_send(
    error: Exception, *, permission: Callable[[discord.Forbidden], str] = _send_messages
) -> SendResult | None:
    """The :class:`SendResult` for an exception ``channel.send`` raised, or ``None`` when it is
    not a failure of the send (a bug: let it propagate).

    Args:
        error: what ``channel.send`` raised.
        permission: the missing permission's name for a 403 (default ``"Send Messages"``).
    """
    if isinstance(error, discord.Forbidden):
        return SendResult.forbidden(permission(error))
    if isinstance(error, discord.NotFound):
        return SendResult.not_found(f"{error.status} {error.code} {error.text}".strip())
    if isinstance(error, discord.HTTPException):
        if error.status == 429 or error.status >= 500:
            detail = f"{error.status} {error.text}".strip()
            return SendResult.retryable(detail, retry_after=getattr(error, "retry_after", None))
        return SendResult.error(f"{error.status} {error.code} {error.text}".strip())
    if isinstance(error, aiohttp.ClientConnectorError | ConnectionRefusedError | socket.gaierror):
        # no connection was made (refused, DNS failure): the request never left
        return SendResult.unreached(repr(error))
    if isinstance(error, TimeoutError | aiohttp.ClientError | OSError):
        # the request may have reached Discord: resent only with its nonce, in time
        return SendResult.unknown(repr(error))
    return None
