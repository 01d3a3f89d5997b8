"""What the double records (requests, violations, syncs, messages, injected faults) and
Discord's error answers."""

# Waiting helpers take `timeout=` on purpose: it is the tests' vocabulary (the brief asks for it).

from __future__ import annotations

import json
import re
import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from aiohttp import web

# --------------------------------------------------------------------------- records


@dataclass(frozen=True)
class RecordedRequest:
    """One HTTP request the client made.

    ``path`` is relative to the API base (``/channels/1/messages``), ``query``
    the decoded query string, ``json`` the decoded JSON body (for multipart
    uploads the ``payload_json`` part) or ``None``, ``headers`` the request
    headers, ``at`` a ``time.monotonic()`` timestamp in seconds, ``files`` the
    uploaded files as ``(field name, filename, size in bytes)``.
    """

    method: str
    path: str
    query: dict[str, str]
    json: Any
    headers: dict[str, str]
    at: float
    files: tuple[tuple[str, str, int], ...] = ()


@dataclass(frozen=True)
class Violation:
    """A request Discord would have rejected (and the double rejected).

    ``status`` / ``code`` are the HTTP status and Discord JSON error code sent
    back, ``errors`` the nested ``errors`` object (may be empty), ``detail`` a
    human-readable explanation.
    """

    method: str
    path: str
    status: int
    code: int
    message: str
    errors: dict[str, Any]
    detail: str
    at: float

    def __str__(self) -> str:
        extra = f" errors={json.dumps(self.errors)}" if self.errors else ""
        return f"{self.method} {self.path} → {self.status} code {self.code} {self.message}: {self.detail}{extra}"


@dataclass(frozen=True)
class CommandSync:
    """One bulk overwrite of application commands.

    ``guild_id`` is ``None`` for global commands; ``commands`` the request body;
    ``created`` the names of commands new to that scope (they count against the
    daily create quota); ``accepted`` whether the double accepted it.
    """

    guild_id: str | None
    commands: list[dict[str, Any]]
    created: tuple[str, ...]
    accepted: bool
    at: float


@dataclass(frozen=True)
class OutgoingMessage:
    """A message the bot sent or edited, with the ``allowed_mentions`` it carried.

    ``kind`` is one of ``callback``, ``followup``, ``edit_original``,
    ``edit_webhook_message``, ``channel_message``, ``edit_channel_message``;
    ``body`` the message part of the request (``data`` for a callback);
    ``allowed_mentions`` is ``None`` when the request had none.
    """

    kind: str
    method: str
    path: str
    body: dict[str, Any]
    allowed_mentions: dict[str, Any] | None
    interaction_id: str | None
    at: float


@dataclass
class InjectedFault:
    """A scripted answer for the next ``times`` requests matching ``method`` and ``path_regex``.

    ``status is None`` means "only delay, then answer normally"; with ``drop`` the request is
    carried out and then the connection is closed without an answer (a lost response).
    """

    method: str
    path_regex: re.Pattern[str]
    status: int | None
    times: int
    code: int | None = None
    retry_after: float | None = None
    delay: float | None = None
    message: str | None = None
    scope: str = "user"
    is_global: bool = False
    drop: bool = False
    hits: int = 0

    def matches(self, method: str, path: str) -> bool:
        return (
            self.hits < self.times
            and (self.method == "*" or self.method.upper() == method)
            and self.path_regex.search(path) is not None
        )


class DiscordError(Exception):
    """Internal: an answer with Discord's error shape. ``violation`` marks a rule broken by the bot."""

    def __init__(
        self,
        status: int,
        code: int,
        message: str,
        *,
        errors: dict[str, Any] | None = None,
        detail: str = "",
        violation: bool = True,
        retry_after: float | None = None,
        scope: str = "user",
    ) -> None:
        super().__init__(f"{status} {code} {message}")
        self.status = status
        self.code = code
        self.message = message
        self.errors = errors or {}
        self.detail = detail or message
        self.violation = violation
        self.retry_after = retry_after
        self.headers = {} if retry_after is None else ratelimit_headers(retry_after, scope)

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.errors:
            body["errors"] = self.errors
        if self.retry_after is not None:
            body["retry_after"] = self.retry_after
            body["global"] = False
        return body


def ratelimit_headers(retry: float, scope: str, *, is_global: bool = False) -> dict[str, str]:
    """The headers of a 429 as Discord sends them (https://discord.com/developers/docs/topics/rate-limits);
    ``Via`` is there because discord.py treats a 429 without it as a Cloudflare ban."""
    headers = {
        "Retry-After": str(max(1, int(retry + 0.999))),
        "X-RateLimit-Limit": "5",
        "X-RateLimit-Remaining": "0",
        "X-RateLimit-Reset": f"{time.time() + retry:.3f}",
        "X-RateLimit-Reset-After": f"{retry:.3f}",
        "X-RateLimit-Bucket": "double-" + secrets.token_hex(4),
        "X-RateLimit-Scope": scope,
        "Via": "1.1 google",
    }
    if is_global:
        headers["X-RateLimit-Global"] = "true"
    return headers


def _json_response(
    status: int, body: Any, headers: Mapping[str, str] | None = None
) -> web.Response:
    """A JSON response whose Content-Type is exactly ``application/json`` (no charset)."""
    resp = web.Response(status=status, body=json.dumps(body).encode(), headers=dict(headers or {}))
    resp.headers["Content-Type"] = "application/json"
    return resp
