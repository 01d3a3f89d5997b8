"""A Discord double on 127.0.0.1 for end-to-end tests of the real discord.py client.

What it simulates
-----------------
One Discord application with its bot user, a few guilds (text channels, roles,
members), the gateway over a websocket and the REST routes discord.py 2.7 calls
while a slash-command bot runs:

* Gateway (``ws://127.0.0.1:PORT/gateway``): HELLO, heartbeat ACK, IDENTIFY →
  READY + one GUILD_CREATE per guild (``member_count == len(members)`` so the
  client never asks for member chunks), RESUME (op 6) → RESUMED, op 9 session
  invalidation, INTERACTION_CREATE dispatch. Frames are plain-text JSON; the
  client asks for ``compress=zlib-stream`` but only inflates binary frames.
* REST (``http://127.0.0.1:PORT/api/v10``): ``/users/@me``,
  ``/oauth2/applications/@me``, ``/gateway[/bot]``, command sync (global and
  guild), interaction callbacks, follow-ups and original-message edits through
  ``/webhooks/{app}/{token}``, channel messages (post, get, edit, delete),
  ``GET /channels/{id}``, ``GET /guilds/{id}[/channels]``, ``GET /users/{id}``.
  Any other route answers 404 ``{"code": 0, "message": "404: Not Found"}`` and is recorded in
  :attr:`DiscordDouble.unknown_routes`, so a gap in the double is loud.

Every JSON response carries exactly ``Content-Type: application/json``
(discord.py compares the string exactly; aiohttp's ``json_response`` would add
``; charset=utf-8`` and break login).

What it enforces (Discord's rules, not discord.py's)
----------------------------------------------------
Violations answer with Discord's HTTP status and JSON error body, so the real
client raises exactly what production would, and each is appended to
:attr:`DiscordDouble.violations` (see :meth:`DiscordDouble.assert_no_violations`):

* first interaction response within :attr:`~DiscordDouble.interaction_deadline`
  seconds (3 s) else 404 code 10062 "Unknown interaction" (a timer also records
  an interaction that is never answered in time); a second initial response →
  400 code 40060; follow-ups/edits only while the token lives
  (:attr:`~DiscordDouble.interaction_token_lifetime`, 15 min) else 401 50027;
* message content ≤ 2000; ≤ 10 embeds; embed title ≤ 256, description ≤ 4096,
  ≤ 25 fields, field name ≤ 256 and value ≤ 1024 (both non-empty), footer ≤ 2048,
  author name ≤ 256, all embeds of a message together ≤ 6000; ≤ 5 action rows of
  ≤ 5 components, ``custom_id`` ≤ 100, button label ≤ 80 → 400 code 50035
  "Invalid Form Body" with ``errors`` nested by field path exactly like Discord,
  e.g. ``{"data": {"content": {"_errors": [{"code": "BASE_TYPE_MAX_LENGTH", ...}]}}}``
  for a callback; an empty message → 400 code 50006;
* autocomplete (callback type 8): ≤ 25 choices, name and string value 1–100
  characters;
* channel permissions (per channel, :meth:`DiscordDouble.add_channel`): no
  VIEW_CHANNEL → 403 50001, no SEND_MESSAGES → 403 50013; unknown channel →
  404 10003; unknown message → 404 10008;
* command sync: at most :attr:`~DiscordDouble.command_create_quota` (200) command
  *creates* per scope per day → code 30034, sent as Discord sends it: a 429 with
  ``retry_after`` (seconds to the next UTC midnight, hours), ``global: false`` and the
  rate-limit headers (``X-RateLimit-Scope``, ``Via``), so a client that would sleep that long
  inside ``tree.sync()`` is caught.

Deliberate simplifications: no rate limits unless scripted with
:meth:`DiscordDouble.fail_next`; no MESSAGE_CREATE echo of the bot's own
messages; ``mentions`` are not computed (assert on :attr:`allowed_mentions`
instead); embeds are accepted without EMBED_LINKS.

How to use it
-------------
::

    async with DiscordDouble() as double:          # default guild + #general
        bot = MyBot(..., guild_ready_timeout=0.1)
        async with connect_bot(bot, double):         # tests/double/__init__.py
            await bot.tree.sync()
            handle = await double.send_interaction(payloads.slash_command("quote"))
            body = await handle.response()           # {"type": 4, "data": {...}}
            shown = await handle.final()             # last message the user sees
        double.assert_no_violations()

In pytest use the ``discord_double`` fixture from ``tests/conftest.py``: it
starts and stops the double and fails the test on any violation unless the test
is marked ``@pytest.mark.discord_violations_expected``.
"""

# Waiting helpers take `timeout=` on purpose: it is the tests' vocabulary (the brief asks for it).
# ruff: noqa: ASYNC109

from __future__ import annotations

import asyncio
import contextlib
import copy
import datetime as dt
import itertools
import json
import re
import secrets
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from aiohttp import BodyPartReader, WSMsgType, web

from tests.double import spec
from tests.double.sharding import Sharding

__all__ = [
    "ADD_REACTIONS",
    "ADMINISTRATOR",
    "ATTACH_FILES",
    "DEFAULT_PERMISSIONS",
    "EMBED_LINKS",
    "MANAGE_GUILD",
    "READ_MESSAGE_HISTORY",
    "SEND_MESSAGES",
    "USE_APPLICATION_COMMANDS",
    "VIEW_CHANNEL",
    "CommandSync",
    "DiscordDouble",
    "InjectedFault",
    "InteractionHandle",
    "OutgoingMessage",
    "RecordedRequest",
    "Violation",
    "validate_callback",
    "validate_message",
]

# -- permission bits (https://discord.com/developers/docs/topics/permissions) --
ADMINISTRATOR = 1 << 3
MANAGE_GUILD = 1 << 5
ADD_REACTIONS = 1 << 6
VIEW_CHANNEL = 1 << 10
SEND_MESSAGES = 1 << 11
EMBED_LINKS = 1 << 14
ATTACH_FILES = 1 << 15
READ_MESSAGE_HISTORY = 1 << 16
USE_APPLICATION_COMMANDS = 1 << 31
CREATE_PUBLIC_THREADS = 1 << 35
DEFAULT_PERMISSIONS = (
    VIEW_CHANNEL
    | SEND_MESSAGES
    | EMBED_LINKS
    | ATTACH_FILES
    | READ_MESSAGE_HISTORY
    | ADD_REACTIONS
    | USE_APPLICATION_COMMANDS
    | CREATE_PUBLIC_THREADS
)
"""Permissions of @everyone (and so of the bot) unless a guild or channel says otherwise."""

DISCORD_EPOCH_MS = 1_420_070_400_000

# -- Discord limits (https://discord.com/developers/docs/resources/message) --
MAX_CONTENT = 2000
MAX_EMBEDS = 10
MAX_EMBED_TITLE = 256
MAX_EMBED_DESCRIPTION = 4096
MAX_EMBED_FIELDS = 25
MAX_FIELD_NAME = 256
MAX_FIELD_VALUE = 1024
MAX_FOOTER = 2048
MAX_AUTHOR_NAME = 256
MAX_EMBED_TOTAL = 6000
MAX_ACTION_ROWS = 5
MAX_ROW_COMPONENTS = 5
MAX_CUSTOM_ID = 100
MAX_BUTTON_LABEL = 80
MAX_CHOICES = 25
MAX_CHOICE_LENGTH = 100
FLAG_EPHEMERAL = 1 << 6
FLAG_LOADING = 1 << 7
FLAG_COMPONENTS_V2 = 1 << 15

# interaction types and callback types
INTERACTION_PING, INTERACTION_COMMAND, INTERACTION_COMPONENT = 1, 2, 3
INTERACTION_AUTOCOMPLETE, INTERACTION_MODAL = 4, 5
CB_MESSAGE, CB_DEFER, CB_DEFER_UPDATE, CB_UPDATE, CB_AUTOCOMPLETE, CB_MODAL = 4, 5, 6, 7, 8, 9


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


# --------------------------------------------------------------------------- validation


def _put_error(errors: dict[str, Any], path: Iterable[object], code: str, message: str) -> None:
    node = errors
    for key in path:
        node = node.setdefault(str(key), {})
    node.setdefault("_errors", []).append({"code": code, "message": message})


def _max_len(errors: dict[str, Any], path: tuple[object, ...], value: Any, limit: int) -> None:
    if isinstance(value, str | list) and len(value) > limit:
        _put_error(errors, path, "BASE_TYPE_MAX_LENGTH", f"Must be {limit} or fewer in length.")


def _embed_size(embed: Mapping[str, Any]) -> int:
    total = len(embed.get("title") or "") + len(embed.get("description") or "")
    total += len((embed.get("footer") or {}).get("text") or "")
    total += len((embed.get("author") or {}).get("name") or "")
    for f in embed.get("fields") or []:
        total += len(f.get("name") or "") + len(f.get("value") or "")
    return total


def validate_message(
    body: Mapping[str, Any], *, prefix: tuple[str, ...] = (), require_content: bool = True
) -> tuple[dict[str, Any], bool]:
    """Check a message body against Discord's limits.

    Returns ``(errors, empty)``: ``errors`` nested by field path under ``prefix``
    like Discord's 50035 body (``{}`` when valid); ``empty`` is true when
    ``require_content`` and the message has no content, embeds, components,
    attachments, poll or stickers (Discord answers 50006).
    """
    errors: dict[str, Any] = {}
    content = body.get("content")
    if content is not None:
        _max_len(errors, (*prefix, "content"), content, MAX_CONTENT)
    embeds = body.get("embeds") or []
    if len(embeds) > MAX_EMBEDS:
        _max_len(errors, (*prefix, "embeds"), embeds, MAX_EMBEDS)
    total = 0
    for i, embed in enumerate(embeds):
        at = (*prefix, "embeds", i)
        _max_len(errors, (*at, "title"), embed.get("title"), MAX_EMBED_TITLE)
        _max_len(errors, (*at, "description"), embed.get("description"), MAX_EMBED_DESCRIPTION)
        fields = embed.get("fields") or []
        _max_len(errors, (*at, "fields"), fields, MAX_EMBED_FIELDS)
        for j, f in enumerate(fields):
            for key, limit in (("name", MAX_FIELD_NAME), ("value", MAX_FIELD_VALUE)):
                value = f.get(key)
                if not value:
                    _put_error(
                        errors,
                        (*at, "fields", j, key),
                        "BASE_TYPE_REQUIRED",
                        "This field is required",
                    )
                else:
                    _max_len(errors, (*at, "fields", j, key), value, limit)
        footer = embed.get("footer") or {}
        _max_len(errors, (*at, "footer", "text"), footer.get("text"), MAX_FOOTER)
        author = embed.get("author") or {}
        _max_len(errors, (*at, "author", "name"), author.get("name"), MAX_AUTHOR_NAME)
        total += _embed_size(embed)
    if total > MAX_EMBED_TOTAL:
        _put_error(
            errors,
            (*prefix, "embeds"),
            "MAX_EMBED_SIZE_EXCEEDED",
            f"Embed size exceeds maximum size of {MAX_EMBED_TOTAL}",
        )
    if not int(body.get("flags") or 0) & FLAG_COMPONENTS_V2:
        rows = body.get("components") or []
        _max_len(errors, (*prefix, "components"), rows, MAX_ACTION_ROWS)
        custom_ids: set[str] = set()
        for i, row in enumerate(rows):
            items = row.get("components") or []
            _max_len(errors, (*prefix, "components", i, "components"), items, MAX_ROW_COMPONENTS)
            for j, item in enumerate(items):
                at = (*prefix, "components", i, "components", j)
                _max_len(errors, (*at, "custom_id"), item.get("custom_id"), MAX_CUSTOM_ID)
                custom_id = item.get("custom_id")
                if custom_id is not None and custom_id in custom_ids:
                    # "custom_id ... must be unique per message" (Discord's component reference,
                    # https://discord.com/developers/docs/components/reference#button)
                    _put_error(
                        errors,
                        (*at, "custom_id"),
                        "COMPONENT_CUSTOM_ID_DUPLICATED",
                        "Component custom id cannot be duplicated",
                    )
                custom_ids.add(str(custom_id))
                _max_len(errors, (*at, "label"), item.get("label"), MAX_BUTTON_LABEL)
                _max_len(errors, (*at, "options"), item.get("options"), MAX_CHOICES)
    nonce = body.get("nonce")
    if isinstance(nonce, str) and len(nonce) > MAX_NONCE:
        # https://discord.com/developers/docs/resources/message#create-message: up to 25 characters
        _put_error(
            errors, (*prefix, "nonce"), "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length."
        )
    empty = require_content and not any(
        body.get(k)
        for k in ("content", "embeds", "components", "attachments", "poll", "sticker_ids", "files")
    )
    return errors, empty


def validate_callback(body: Mapping[str, Any]) -> dict[str, Any]:
    """Check an interaction callback body; returns Discord's nested ``errors`` (``{}`` if valid).

    Message callbacks (types 4 and 7) use :func:`validate_message` under ``data``;
    autocomplete (type 8) allows ≤ 25 choices whose ``name`` and string ``value``
    are 1–100 characters.
    """
    data = body.get("data") or {}
    errors: dict[str, Any] = {}
    if body.get("type") in (CB_MESSAGE, CB_UPDATE):
        errors, _ = validate_message(data, prefix=("data",), require_content=False)
    elif body.get("type") == CB_AUTOCOMPLETE:
        choices = data.get("choices") or []
        _max_len(errors, ("data", "choices"), choices, MAX_CHOICES)
        for i, choice in enumerate(choices):
            for key in ("name", "value"):
                value = choice.get(key)
                if key == "value" and not isinstance(value, str):
                    continue
                if not isinstance(value, str) or not 1 <= len(value) <= MAX_CHOICE_LENGTH:
                    _put_error(
                        errors,
                        ("data", "choices", i, key),
                        "BASE_TYPE_BAD_LENGTH",
                        f"Must be between 1 and {MAX_CHOICE_LENGTH} in length.",
                    )
    return errors


def _check_offered(d: Mapping[str, Any], registered: Mapping[str, Any]) -> None:
    """Raise ``ValueError`` when Discord would not offer the command where ``d`` invokes it: its
    ``contexts`` (0 server, 1 bot DM, 2 group DM) exclude the interaction's ``context``, or none
    of its ``integration_types`` is among ``d``'s ``authorizing_integration_owners``."""
    name = registered.get("name")
    contexts = registered.get("contexts")
    if contexts is not None and d.get("context") not in contexts:
        raise ValueError(
            f"Discord does not offer {name!r} in context {d.get('context')} (contexts {contexts})"
        )
    installs = registered.get("integration_types") or [0]
    owners = d.get("authorizing_integration_owners") or {}
    if not any(str(kind) in owners for kind in installs):
        raise ValueError(
            f"Discord does not offer {name!r} to installs {sorted(owners)} (types {installs})"
        )


MAX_NONCE = 25


def command_option_errors(
    options: list[Any], errors: dict[str, Any], at: tuple[object, ...]
) -> None:
    """Discord's rules for a command's options that its OpenAPI description cannot state
    (https://discord.com/developers/docs/interactions/application-commands: "Application Command
    Naming", "Application Command Option Structure"): names match ``^[-_\\w]{1,32}$`` in lower
    case and are unique; required options come before optional ones; at most 25 choices;
    ``autocomplete`` may not be set together with ``choices``. Sub-commands are checked inside."""
    seen: set[str] = set()
    optional_seen = False
    for i, option in enumerate(options):
        where = (*at, i)
        name = str(option.get("name", ""))
        if not re.fullmatch(r"[-_\w]{1,32}", name) or name != name.lower():
            _put_error(
                errors,
                (*where, "name"),
                "APPLICATION_COMMAND_INVALID_NAME",
                "Command name is invalid",
            )
        if name in seen:
            _put_error(
                errors,
                (*where, "name"),
                "APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS",
                "Option names must be unique",
            )
        seen.add(name)
        if option.get("type") in (1, 2):
            command_option_errors(option.get("options") or [], errors, (*where, "options"))
            continue
        if option.get("required"):
            if optional_seen:
                _put_error(
                    errors,
                    (*where, "required"),
                    "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
                    "Required options must be placed before non-required options",
                )
        else:
            optional_seen = True
        choices = option.get("choices") or []
        _max_len(errors, (*where, "choices"), choices, MAX_CHOICES)
        if choices and option.get("autocomplete"):
            _put_error(
                errors,
                (*where, "autocomplete"),
                "APPLICATION_COMMAND_AUTOCOMPLETE_INVALID",
                "Autocomplete cannot be set with choices",
            )


def _invalid_form(errors: dict[str, Any], detail: str) -> DiscordError:
    return DiscordError(400, 50035, "Invalid Form Body", errors=errors, detail=detail)


# --------------------------------------------------------------------------- interactions


class InteractionHandle:
    """A delivered interaction and everything the bot answered to it.

    ``payload`` is the INTERACTION_CREATE ``d`` actually sent; ``delivered_at`` a
    ``time.monotonic()`` timestamp. Messages are Discord message JSON dicts.
    """

    def __init__(self, double: DiscordDouble, payload: dict[str, Any]) -> None:
        self._double = double
        self.payload = payload
        self.id: str = payload["id"]
        self.token: str = payload["token"]
        self.type: int = payload["type"]
        self.delivered_at = time.monotonic()
        self.callback: dict[str, Any] | None = None
        """The accepted initial response body ``{"type": N, "data": {...}}``."""
        self.original: dict[str, Any] | None = None
        """The original response message as it stands now, if the response made one."""
        self.followup_messages: list[dict[str, Any]] = []
        self.events: list[tuple[str, dict[str, Any]]] = []
        """``(kind, message-or-body)`` in order: response, edit_original, followup, edit_followup, delete."""
        self._latest: dict[str, Any] | None = None
        self._changed = asyncio.Event()
        self._deadline_timer: asyncio.TimerHandle | None = None

    @property
    def responded(self) -> bool:
        """Whether an initial response was accepted."""
        return self.callback is not None

    @property
    def ephemeral(self) -> bool:
        """Whether the original response is only visible to the invoking user."""
        return bool(self.original and int(self.original.get("flags", 0)) & FLAG_EPHEMERAL)

    def _event(self, kind: str, obj: dict[str, Any], *, shown: bool = True) -> None:
        self.events.append((kind, obj))
        if shown:
            self._latest = obj
        self._changed.set()
        self._changed = asyncio.Event()

    async def _wait(self, predicate: Callable[[], bool], timeout: float, what: str) -> None:
        loop = asyncio.get_running_loop()
        end = loop.time() + timeout
        while not predicate():
            remaining = end - loop.time()
            if remaining <= 0:
                raise TimeoutError(
                    f"interaction {self.id}: no {what} within {timeout}s; events so far: "
                    f"{[k for k, _ in self.events]}; violations: {[str(v) for v in self._double.violations]}"
                )
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), remaining)

    async def response(self, timeout: float = 5.0) -> dict[str, Any]:
        """Wait for the accepted initial response and return its body ``{"type", "data"}``.

        Raises ``TimeoutError`` if none is accepted within ``timeout`` seconds.
        """
        await self._wait(lambda: self.callback is not None, timeout, "initial response")
        assert self.callback is not None
        return self.callback

    async def followups(self, count: int = 1, timeout: float = 5.0) -> list[dict[str, Any]]:
        """Wait until at least ``count`` follow-up messages exist and return them all (message JSON).

        A first follow-up after a deferred response fills the "thinking" message
        (as on Discord) and is counted here too.
        """
        await self._wait(
            lambda: len(self.followup_messages) >= count, timeout, f"{count} follow-up(s)"
        )
        return list(self.followup_messages)

    async def final(self, timeout: float = 5.0, settle: float = 0.05) -> dict[str, Any]:
        """The last content the user sees, once the bot has gone quiet.

        Waits for the initial response; after a defer (types 5/6) also waits for
        the edit or follow-up that replaces it; then waits until nothing changed
        for ``settle`` seconds. Returns message JSON (the latest created or
        edited message: original, edited original or follow-up), or for an
        autocomplete the callback ``data`` (``{"choices": [...]}``).
        """
        await self.response(timeout)
        assert self.callback is not None
        if self.callback["type"] in (CB_DEFER, CB_DEFER_UPDATE):
            await self._wait(lambda: len(self.events) > 1, timeout, "message after the defer")
        while True:
            seen = len(self.events)
            await asyncio.sleep(settle)
            if len(self.events) == seen:
                break
        if self.callback["type"] == CB_AUTOCOMPLETE:
            return dict(self.callback.get("data") or {})
        if self._latest is None:
            raise AssertionError(f"interaction {self.id} shows no message: {self.events}")
        return self._latest

    def __repr__(self) -> str:
        return f"<InteractionHandle id={self.id} type={self.type} events={[k for k, _ in self.events]}>"


# --------------------------------------------------------------------------- state


@dataclass
class _Channel:
    id: str
    guild_id: str | None
    name: str
    position: int
    bot_permissions: int | None  # None: inherit the guild's @everyone permissions
    type: int = 0
    topic: str | None = None


@dataclass
class _Guild:
    id: str
    name: str
    owner_id: str
    everyone_permissions: int
    roles: dict[str, dict[str, Any]] = field(default_factory=dict)
    channels: dict[str, _Channel] = field(default_factory=dict)
    members: dict[str, dict[str, Any]] = field(default_factory=dict)


class _Gateway:
    """One websocket connection from the client."""

    def __init__(self, ws: web.WebSocketResponse) -> None:
        self.ws = ws
        self.session_id: str | None = None
        self.shard: tuple[int, int] | None = None
        self.ready = asyncio.Event()
        self.closed = asyncio.Event()


Route = Callable[[web.Request, "re.Match[str]", Any], Awaitable[tuple[int, Any]]]


def _type_as_registered(options: list[dict[str, Any]], defined: list[dict[str, Any]]) -> None:
    """Give each option the type of the option Discord holds under its name (sub-commands
    included): Discord sends an interaction's options with the types of the definition it holds,
    whatever a payload builder guessed from the Python value."""
    by_name = {o.get("name"): o for o in defined}
    for option in options:
        spec = by_name.get(option.get("name"))
        if spec is not None and spec.get("type") is not None:
            option["type"] = spec["type"]
            _type_as_registered(option.get("options") or [], spec.get("options") or [])


def _command_fields_as_discord_returns(cmd: Mapping[str, Any]) -> dict[str, Any]:
    """Discord returns ``default_member_permissions`` as a string of digits and
    ``integration_types`` / ``contexts`` as arrays (defaults when sent as null)."""
    perms = cmd.get("default_member_permissions")
    return {
        "default_member_permissions": None if perms is None else str(perms),
        "integration_types": cmd.get("integration_types") or [0],
        "contexts": cmd.get("contexts") or [0, 1, 2],
    }


#: The fields of ``GET /guilds/{id}`` the double has no model for, as an ordinary small server
#: without features has them (the description requires every one).
_GUILD_DEFAULTS: dict[str, Any] = {
    **dict.fromkeys(
        (
            "icon",
            "description",
            "home_header",
            "splash",
            "discovery_splash",
            "banner",
            "application_id",
            "afk_channel_id",
            "system_channel_id",
            "widget_channel_id",
            "max_presences",
            "vanity_url_code",
            "rules_channel_id",
            "safety_alerts_channel_id",
            "public_updates_channel_id",
            "incidents_data",
        )
    ),
    "region": "deprecated",  # the value Discord sends since voice regions moved
    "features": [],
    "afk_timeout": 300,
    "system_channel_flags": 0,
    "widget_enabled": False,
    "verification_level": 0,
    "default_message_notifications": 0,
    "mfa_level": 0,
    "explicit_content_filter": 0,
    "max_members": 500000,
    "max_stage_video_channel_users": 50,
    "max_video_channel_users": 25,
    "premium_tier": 0,
    "premium_subscription_count": 0,
    "preferred_locale": "en-US",
    "premium_progress_bar_enabled": False,
    "nsfw": False,
    "nsfw_level": 0,
    "emojis": [],
    "stickers": [],
}


def _numbered(components: list[Any]) -> list[Any]:
    """Components as Discord returns them: each with a numeric ``id`` (1, 2, ... in reading
    order, unless the bot gave one; https://discord.com/developers/docs/components/reference)."""
    counter = itertools.count(1)

    def walk(items: list[Any]) -> list[Any]:
        out = []
        for item in items:
            if isinstance(item, dict):
                item = {**item, "id": item.get("id") or next(counter)}
                if isinstance(item.get("components"), list):
                    item["components"] = walk(item["components"])
            out.append(item)
        return out

    return walk(copy.deepcopy(components))


def _as_rest(out: Any) -> Any:
    """A REST answer as Discord sends it: messages carry no ``guild_id`` (Discord puts it on
    gateway events only), also inside an interaction callback's ``resource``."""

    def strip(message: Any) -> Any:
        if isinstance(message, dict) and "author" in message and "channel_id" in message:
            return {k: v for k, v in message.items() if k != "guild_id"}
        return message

    if isinstance(out, list):
        return [strip(item) for item in out]
    if isinstance(out, dict) and isinstance(out.get("resource"), dict):
        resource = out["resource"]
        if "message" in resource:
            return {**out, "resource": {**resource, "message": strip(resource["message"])}}
    return strip(out)


def _seconds_to_utc_midnight() -> float:
    """When the daily command-create quota resets (the ``retry_after`` of a 30034)."""
    now = dt.datetime.now(dt.UTC)
    midnight = (now + dt.timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    return round((midnight - now).total_seconds(), 3)


def _now_iso() -> str:
    return dt.datetime.now(dt.UTC).isoformat()


class DiscordDouble:
    """The fake Discord: an aiohttp server on 127.0.0.1 with an ephemeral port.

    Construct, then ``await start()`` / ``await stop()`` (or ``async with``).
    By default one guild ("Test Guild", :attr:`guild_id`) with one text channel
    (``#general``, :attr:`channel_id`) and one human member (:attr:`user_id`)
    exists; pass ``default_guild=False`` for an empty world.

    Tunables (plain attributes, seconds): :attr:`interaction_deadline` (3.0),
    :attr:`interaction_token_lifetime` (900.0), :attr:`heartbeat_interval_ms`
    (41250), :attr:`command_create_quota` (200 per scope per day), :attr:`nonce_window`
    (300.0: how long a channel message's ``nonce`` is remembered for ``enforce_nonce``).
    """

    def __init__(
        self,
        *,
        token: str = "double-bot-token",
        default_guild: bool = True,
        bot_name: str = "corpusbot",
    ) -> None:
        self._snowflake_seq = itertools.count()
        self.token = token
        self.application_id = self.snowflake()
        self.bot_user: dict[str, Any] = {
            "id": self.application_id,
            "username": bot_name,
            "discriminator": "0000",
            "global_name": None,
            "avatar": None,
            "bot": True,
            "public_flags": 0,
            "primary_guild": None,
            "flags": 0,
        }
        self.owner_user: dict[str, Any] = self._user("owner")
        self.interaction_deadline = 3.0
        self.interaction_token_lifetime = 15 * 60.0
        self.heartbeat_interval_ms = 41250
        self.command_create_quota = 200
        self.nonce_window = 300.0
        self.sharding = Sharding()
        """Shard count, max_concurrency and IDENTIFY rate limit (:mod:`tests.double.sharding`)."""

        self.guilds: dict[str, _Guild] = {}
        self.messages: dict[str, dict[str, Any]] = {}
        """Every message the double knows, by id (message JSON)."""
        self.attachment_blobs: dict[str, bytes] = {}
        """The bytes of every uploaded attachment, by its ``url``."""
        self.threads: list[dict[str, Any]] = []
        """Every thread the bot started from a message (channel JSON)."""
        self.recorded: list[RecordedRequest] = []
        self.violations: list[Violation] = []
        self.unknown_routes: list[RecordedRequest] = []
        #: Answers (``spec_problems``) and requests that differ from Discord's OpenAPI
        #: description (``spec.py``).
        self.spec_problems: list[str] = []
        self.spec_request_problems: list[str] = []
        self.check_spec = True
        self.syncs: list[CommandSync] = []
        self.outgoing: list[OutgoingMessage] = []
        self.interactions: dict[str, InteractionHandle] = {}
        self.identify_payloads: list[dict[str, Any]] = []
        """The ``d`` of every IDENTIFY (token, properties, intents, ...)."""
        self.gateway_received: list[dict[str, Any]] = []
        """Every frame the client sent on the gateway, in order."""
        self.gateway_sent: list[dict[str, Any]] = []
        self.commands: dict[str | None, dict[tuple[str, int], dict[str, Any]]] = {}
        """Registered commands by scope (``None`` = global) and ``(name, type)``."""
        self._creates_today: dict[str | None, int] = {}
        self._nonces: dict[tuple[str, str], tuple[str, float]] = {}
        self._faults: list[InjectedFault] = []
        self._sessions: dict[str, int] = {}
        self._gateways: list[_Gateway] = []
        self._current: _Gateway | None = None
        self._changed = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self._port: int | None = None
        self._routes = self._route_table()

        self.guild_id: str = ""
        self.channel_id: str = ""
        self.user_id: str = ""
        if default_guild:
            self.guild_id = self.add_guild("Test Guild")
            self.channel_id = self.add_channel(self.guild_id, "general")
            self.user_id = self.add_member(self.guild_id, "tester")

    # ------------------------------------------------------------------ lifecycle

    async def start(self) -> DiscordDouble:
        """Listen on 127.0.0.1 (ephemeral port). Returns ``self``."""
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_get("/gateway", self._gateway_handler)
        app.router.add_route("*", "/api/v10/{tail:.*}", self._rest_handler)
        app.router.add_route("*", "/{tail:.*}", self._rest_handler)
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        server: Any = site._server
        assert server is not None
        assert server.sockets
        self._port = int(server.sockets[0].getsockname()[1])
        return self

    async def stop(self) -> None:
        """Close every websocket and the server; cancel pending deadline timers."""
        for handle in self.interactions.values():
            if handle._deadline_timer is not None:
                handle._deadline_timer.cancel()
        for gw in list(self._gateways):
            if not gw.ws.closed:
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(gw.ws.close(code=1001), 1.0)
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> DiscordDouble:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    @property
    def port(self) -> int:
        if self._port is None:
            raise RuntimeError("DiscordDouble is not started")
        return self._port

    @property
    def api_base(self) -> str:
        """Value for ``discord.http.Route.BASE``: ``http://127.0.0.1:PORT/api/v10``."""
        return f"http://127.0.0.1:{self.port}/api/v10"

    @property
    def gateway_url(self) -> str:
        """Value for ``DiscordWebSocket.DEFAULT_GATEWAY``: ``ws://127.0.0.1:PORT/gateway``."""
        return f"ws://127.0.0.1:{self.port}/gateway"

    # ------------------------------------------------------------------ world state

    def snowflake(self) -> str:
        """A fresh Discord snowflake (string) carrying the current time."""
        ms = int(time.time() * 1000) - DISCORD_EPOCH_MS
        return str((ms << 22) | (next(self._snowflake_seq) & 0x3FFFFF))

    def _user(self, username: str, user_id: str | None = None) -> dict[str, Any]:
        return {
            "id": user_id or self.snowflake(),
            "username": username,
            "discriminator": "0",
            "global_name": username.title(),
            "avatar": None,
            "flags": 0,
            "public_flags": 0,
            "primary_guild": None,
        }

    def add_guild(
        self,
        name: str,
        *,
        everyone_permissions: int = DEFAULT_PERMISSIONS,
        guild_id: str | None = None,
    ) -> str:
        """Create a guild the bot is in (with its @everyone role and the bot as member); returns its id.

        Set up the world before the bot connects; a guild added later is sent as GUILD_CREATE.
        """
        gid = guild_id or self.snowflake()
        guild = _Guild(
            id=gid,
            name=name,
            owner_id=self.owner_user["id"],
            everyone_permissions=everyone_permissions,
        )
        guild.roles[gid] = self._role(gid, "@everyone", everyone_permissions, 0)
        guild.members[self.bot_user["id"]] = self._member(self.bot_user, [])
        guild.members[self.owner_user["id"]] = self._member(self.owner_user, [])
        self.guilds[gid] = guild
        if self._current is not None and self._current.ready.is_set():
            self._spawn(self._dispatch("GUILD_CREATE", self._guild_payload(guild)))
        return gid

    @staticmethod
    def _role(role_id: str, name: str, permissions: int, position: int) -> dict[str, Any]:
        return {
            "id": role_id,
            "name": name,
            "color": 0,
            "hoist": False,
            "position": position,
            "permissions": str(permissions),
            "managed": False,
            "mentionable": False,
            "flags": 0,
            "colors": {"primary_color": 0, "secondary_color": None, "tertiary_color": None},
            "icon": None,
            "unicode_emoji": None,
        }

    @staticmethod
    def _member(user: dict[str, Any], roles: list[str]) -> dict[str, Any]:
        return {
            "user": user,
            "roles": roles,
            "joined_at": _now_iso(),
            "deaf": False,
            "mute": False,
            "flags": 0,
            "nick": None,
        }

    def add_role(self, guild_id: str, name: str, *, permissions: int = 0) -> str:
        """Add a role to a guild; returns its id."""
        guild = self.guilds[guild_id]
        rid = self.snowflake()
        guild.roles[rid] = self._role(rid, name, permissions, len(guild.roles))
        return rid

    def add_member(
        self, guild_id: str, username: str, *, roles: Iterable[str] = (), user_id: str | None = None
    ) -> str:
        """Add a human member to a guild (reusing ``user_id``'s user if known); returns the user id."""
        user = self._find_user(user_id) if user_id else None
        user = user or self._user(username, user_id)
        self.guilds[guild_id].members[user["id"]] = self._member(user, list(roles))
        return str(user["id"])

    def add_channel(
        self,
        guild_id: str,
        name: str,
        *,
        permissions_for_bot: int | None = None,
        topic: str | None = None,
    ) -> str:
        """Add a text channel; returns its id.

        ``permissions_for_bot`` is the bot's effective permission integer in this
        channel (``None``: the guild's @everyone permissions). It is sent in
        GUILD_CREATE as a member overwrite, so ``channel.permissions_for(guild.me)``
        agrees with what the double enforces.
        """
        guild = self.guilds[guild_id]
        cid = self.snowflake()
        channel = _Channel(
            cid, guild_id, name, len(guild.channels), permissions_for_bot, topic=topic
        )
        guild.channels[cid] = channel
        if self._current is not None and self._current.ready.is_set():
            self._spawn(self._dispatch("CHANNEL_CREATE", self._channel_payload(channel)))
        return cid

    def _find_user(self, user_id: str | None) -> dict[str, Any] | None:
        if user_id == self.bot_user["id"]:
            return self.bot_user
        for guild in self.guilds.values():
            member = guild.members.get(str(user_id))
            if member is not None:
                user: dict[str, Any] = member["user"]
                return user
        return None

    def _find_channel(self, channel_id: str) -> _Channel | None:
        for guild in self.guilds.values():
            if channel_id in guild.channels:
                return guild.channels[channel_id]
        return None

    def bot_permissions(self, channel_id: str) -> int:
        """The bot's effective permissions in a channel (0 for an unknown channel)."""
        channel = self._find_channel(channel_id)
        if channel is None:
            return 0
        if channel.bot_permissions is not None:
            return channel.bot_permissions
        return self.guilds[channel.guild_id or ""].everyone_permissions

    def member_permissions(self, guild_id: str, user_id: str) -> int:
        """@everyone permissions OR the member's roles' permissions (ADMINISTRATOR implies all)."""
        guild = self.guilds[guild_id]
        perms = guild.everyone_permissions
        member = guild.members.get(user_id)
        for rid in member["roles"] if member else []:
            perms |= int(guild.roles[rid]["permissions"])
        if perms & ADMINISTRATOR or user_id == guild.owner_id:
            perms = (1 << 53) - 1
        return perms

    def _channel_payload(self, channel: _Channel) -> dict[str, Any]:
        overwrites = []
        if channel.bot_permissions is not None and channel.guild_id is not None:
            base = self.guilds[channel.guild_id].everyone_permissions
            overwrites.append(
                {
                    "id": self.bot_user["id"],
                    "type": 1,
                    "allow": str(channel.bot_permissions & ~base),
                    "deny": str(base & ~channel.bot_permissions),
                }
            )
        return {
            "id": channel.id,
            "type": channel.type,
            "guild_id": channel.guild_id,
            "name": channel.name,
            "position": channel.position,
            "permission_overwrites": overwrites,
            "topic": channel.topic,
            "nsfw": False,
            "parent_id": None,
            "rate_limit_per_user": 0,
            "last_message_id": None,
            "flags": 0,
        }

    def _guild_payload(self, guild: _Guild) -> dict[str, Any]:
        return {
            "id": guild.id,
            "name": guild.name,
            "icon": None,
            "owner_id": guild.owner_id,
            "unavailable": False,
            "large": False,
            "member_count": len(guild.members),
            "roles": list(guild.roles.values()),
            "channels": [self._channel_payload(c) for c in guild.channels.values()],
            "members": list(guild.members.values()),
            "threads": [],
            "emojis": [],
            "stickers": [],
            "features": [],
            "presences": [],
            "voice_states": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "soundboard_sounds": [],
            "preferred_locale": "en-US",
            "verification_level": 0,
            "default_message_notifications": 0,
            "explicit_content_filter": 0,
            "mfa_level": 0,
            "nsfw_level": 0,
            "premium_tier": 0,
            "system_channel_id": None,
            "joined_at": _now_iso(),
        }

    # ------------------------------------------------------------------ inspection

    def requests(self, route_prefix: str = "", method: str | None = None) -> list[RecordedRequest]:
        """Recorded requests whose path starts with ``route_prefix`` (e.g. ``"/interactions/"``)."""
        return [
            r
            for r in self.recorded
            if r.path.startswith(route_prefix) and (method is None or r.method == method.upper())
        ]

    async def wait_for_request(
        self, predicate: Callable[[RecordedRequest], bool], timeout: float = 5.0
    ) -> RecordedRequest:
        """The first recorded request (past or future) satisfying ``predicate``.

        Raises ``TimeoutError`` after ``timeout`` seconds, listing what was recorded.
        """
        loop = asyncio.get_running_loop()
        end = loop.time() + timeout
        checked = 0
        while True:
            for request in self.recorded[checked:]:
                if predicate(request):
                    return request
            checked = len(self.recorded)
            remaining = end - loop.time()
            if remaining <= 0:
                seen = [f"{r.method} {r.path}" for r in self.recorded]
                raise TimeoutError(f"no matching request within {timeout}s; recorded: {seen}")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), remaining)

    async def wait_for_gateway_op(
        self, op: int, *, after: int = 0, timeout: float = 5.0
    ) -> dict[str, Any]:
        """The first client gateway frame with opcode ``op`` at index ≥ ``after`` in :attr:`gateway_received`."""
        loop = asyncio.get_running_loop()
        end = loop.time() + timeout
        while True:
            for frame in self.gateway_received[after:]:
                if frame.get("op") == op:
                    return frame
            remaining = end - loop.time()
            if remaining <= 0:
                ops = [f.get("op") for f in self.gateway_received]
                raise TimeoutError(f"no gateway op {op} within {timeout}s; ops seen: {ops}")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), remaining)

    def channel_messages(self, channel_id: str) -> list[dict[str, Any]]:
        """Messages in a channel, oldest first (channel posts and interaction responses)."""
        return [m for m in self.messages.values() if m["channel_id"] == channel_id]

    @property
    def allowed_mentions(self) -> list[dict[str, Any] | None]:
        """``allowed_mentions`` of every outgoing message, callback or edit, in order."""
        return [o.allowed_mentions for o in self.outgoing]

    def assert_no_violations(self) -> None:
        """Raise ``AssertionError`` listing every Discord rule broken and every unknown route hit."""
        problems = [str(v) for v in self.violations]
        problems += [f"unknown route {r.method} {r.path}" for r in self.unknown_routes]
        if problems:
            raise AssertionError("Discord double saw violations:\n  " + "\n  ".join(problems))

    def _bump(self) -> None:
        self._changed.set()
        self._changed = asyncio.Event()

    def _violation(self, method: str, path: str, err: DiscordError) -> None:
        self.violations.append(
            Violation(
                method,
                path,
                err.status,
                err.code,
                err.message,
                err.errors,
                err.detail,
                time.monotonic(),
            )
        )
        self._bump()

    # ------------------------------------------------------------------ fault injection

    def fail_next(
        self,
        method: str,
        path_regex: str,
        status: int,
        *,
        times: int = 1,
        code: int | None = None,
        retry_after: float | None = None,
        delay: float | None = None,
        message: str | None = None,
        scope: str = "user",
        is_global: bool = False,
    ) -> InjectedFault:
        """Answer the next ``times`` requests matching ``method`` (``"*"`` for any) and
        ``path_regex`` (``re.search`` on the path relative to the API base) with ``status``.

        429 answers carry Discord's body ``{"message", "retry_after", "global", "code"}``
        and headers ``Retry-After``, ``X-RateLimit-Limit/Remaining/Reset/Reset-After/Bucket/Scope``
        (``X-RateLimit-Global`` if ``is_global``) and ``Via`` (without it discord.py treats a 429 as a
        Cloudflare ban). ``retry_after`` is in seconds (default 0.05). ``delay`` sleeps before
        answering. Other statuses answer ``{"code": code or 0, "message": ...}``. Scripted faults are
        not violations. Returns the fault; its ``hits`` counts how often it fired.

        discord.py retries 500/502/504 itself after sleeping 1 s, 3 s, ... (webhooks: any 5xx), so
        a test of a server error that must stay fast should script 503 on a bot route (raised at
        once as ``DiscordServerError``) or expect those sleeps.
        """
        fault = InjectedFault(
            method=method.upper(),
            path_regex=re.compile(path_regex),
            status=status,
            times=times,
            code=code,
            retry_after=retry_after,
            delay=delay,
            message=message,
            scope=scope,
            is_global=is_global,
        )
        self._faults.append(fault)
        return fault

    def delay_next(
        self, method: str, path_regex: str, seconds: float, *, times: int = 1
    ) -> InjectedFault:
        """Delay the next ``times`` matching requests by ``seconds``, then answer normally.

        Interaction deadlines are checked after the delay, as if the request reached Discord late.
        """
        fault = InjectedFault(
            method=method.upper(),
            path_regex=re.compile(path_regex),
            status=None,
            times=times,
            delay=seconds,
        )
        self._faults.append(fault)
        return fault

    def drop_response_next(self, method: str, path_regex: str, *, times: int = 1) -> InjectedFault:
        """Carry out the next ``times`` matching requests, then close each connection unanswered.

        The client sees the connection drop (aiohttp ``ServerDisconnectedError``) although the
        request took effect (e.g. the message was created): the case a message ``nonce`` with
        ``enforce_nonce`` exists for.
        """
        fault = InjectedFault(
            method=method.upper(),
            path_regex=re.compile(path_regex),
            status=None,
            times=times,
            drop=True,
        )
        self._faults.append(fault)
        return fault

    def _fault_response(self, fault: InjectedFault) -> web.Response:
        status = fault.status or 500
        headers: dict[str, str] = {}
        if status == 429:
            retry = 0.05 if fault.retry_after is None else fault.retry_after
            body: dict[str, Any] = {
                "message": fault.message or "You are being rate limited.",
                "retry_after": retry,
                "global": fault.is_global,
                "code": fault.code or 0,
            }
            headers = ratelimit_headers(retry, fault.scope, is_global=fault.is_global)
        else:
            body = {
                "code": fault.code or 0,
                "message": fault.message or f"{status}: scripted failure",
            }
        return _json_response(status, body, headers)

    # ------------------------------------------------------------------ gateway

    async def _gateway_handler(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(autoping=True, max_msg_size=0)
        await ws.prepare(request)
        gw = _Gateway(ws)
        self._gateways.append(gw)
        try:
            await self._send(
                gw,
                {
                    "op": 10,
                    "d": {"heartbeat_interval": self.heartbeat_interval_ms},
                    "s": None,
                    "t": None,
                },
            )
            async for msg in ws:
                if msg.type != WSMsgType.TEXT:
                    continue
                frame = json.loads(msg.data)
                self.gateway_received.append(frame)
                self._bump()
                await self._on_frame(gw, frame)
        finally:
            gw.closed.set()
            if self._current is gw:
                self._current = None
            self._bump()
        return ws

    async def _send(self, gw: _Gateway, frame: dict[str, Any]) -> None:
        self.gateway_sent.append(frame)
        await gw.ws.send_str(json.dumps(frame))

    async def _on_frame(self, gw: _Gateway, frame: dict[str, Any]) -> None:
        op = frame.get("op")
        raw = frame.get("d")
        d: dict[str, Any] = raw if isinstance(raw, dict) else {}
        if op == 1:
            await self._send(gw, {"op": 11, "d": None, "s": None, "t": None})
        elif op == 2:
            self.identify_payloads.append(d)
            if d.get("token") != self.token:
                await gw.ws.close(code=4004, message=b"Authentication failed.")
                return
            admitted, problem = self.sharding.identify(gw, d)
            if not admitted:
                self._violation(
                    "GATEWAY", "IDENTIFY", DiscordError(429, 0, "IDENTIFY refused", detail=problem)
                )
                await self._send(gw, {"op": 9, "d": False, "s": None, "t": None})
                return
            session_id = secrets.token_hex(16)
            gw.session_id = session_id
            self._sessions[session_id] = 0
            ready = {
                "v": 10,
                "user": self.bot_user,
                "guilds": [
                    {"id": g, "unavailable": True}
                    for g in self.sharding.guilds_for(gw, self.guilds)
                ],
                "session_id": session_id,
                "resume_gateway_url": self.gateway_url,
                "application": {"id": self.application_id, "flags": 0},
                "private_channels": [],
                "relationships": [],
            }
            if gw.shard is not None:
                ready["shard"] = list(gw.shard)
            await self._dispatch("READY", ready, gw)
            for gid in self.sharding.guilds_for(gw, self.guilds):
                await self._dispatch("GUILD_CREATE", self._guild_payload(self.guilds[gid]), gw)
            self._current = gw
            gw.ready.set()
            self._bump()
        elif op == 6:
            session_id = str(d.get("session_id"))
            if session_id not in self._sessions or d.get("token") != self.token:
                await self._send(gw, {"op": 9, "d": False, "s": None, "t": None})
                return
            gw.session_id = session_id
            await self._dispatch("RESUMED", {}, gw)
            self._current = gw
            gw.ready.set()
            self._bump()

    async def _dispatch(self, event: str, data: dict[str, Any], gw: _Gateway | None = None) -> None:
        gw = gw or self.sharding.gateway_for(data) or self._current
        if gw is None or gw.session_id is None:
            raise RuntimeError(f"no gateway session to dispatch {event}")
        seq = self._sessions[gw.session_id] + 1
        self._sessions[gw.session_id] = seq
        await self._send(gw, {"op": 0, "t": event, "s": seq, "d": data})

    def _spawn(self, coro: Awaitable[Any]) -> None:
        task = asyncio.ensure_future(coro)
        task.add_done_callback(lambda t: t.cancelled() or t.exception())

    async def wait_until_connected(self, timeout: float = 5.0) -> None:
        """Wait until a client has identified (READY sent) or resumed."""
        loop = asyncio.get_running_loop()
        end = loop.time() + timeout
        while self._current is None or not self._current.ready.is_set() or self._current.ws.closed:
            remaining = end - loop.time()
            if remaining <= 0:
                raise TimeoutError(f"no gateway client connected within {timeout}s")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), remaining)

    async def drop_websocket(
        self, *, code: int = 4000, wait_resumed: bool = True, timeout: float = 5.0
    ) -> None:
        """Close the client's websocket (default code 4000, resumable) as a network blip would.

        With ``wait_resumed`` waits until the client has sent RESUME and got RESUMED.
        """
        gw = self._current
        if gw is None:
            raise RuntimeError("no gateway client connected")
        resumes_before = sum(1 for f in self.gateway_received if f.get("op") == 6)
        self._current = None
        gw.ready.clear()
        await gw.ws.close(code=code, message=b"double: dropped")
        if wait_resumed:
            loop = asyncio.get_running_loop()
            end = loop.time() + timeout
            while True:
                resumes = sum(1 for f in self.gateway_received if f.get("op") == 6)
                if resumes > resumes_before and self._current is not None:
                    return
                remaining = end - loop.time()
                if remaining <= 0:
                    raise TimeoutError(f"client did not resume within {timeout}s")
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._changed.wait(), remaining)

    async def invalidate_session(
        self, *, wait_identified: bool = True, timeout: float = 10.0
    ) -> None:
        """Send op 9 ``d=false`` (session not resumable): the client closes and re-IDENTIFYs.

        With ``wait_identified`` waits until the new session's READY was sent. discord.py's
        ``Client.before_identify_hook`` sleeps 5 s before every non-initial IDENTIFY; a test bot
        that overrides it with a no-op re-identifies at once.
        """
        gw = self._current
        if gw is None:
            raise RuntimeError("no gateway client connected")
        identifies_before = len(self.identify_payloads)
        if gw.session_id is not None:
            self._sessions.pop(gw.session_id, None)
        self._current = None
        gw.ready.clear()
        await self._send(gw, {"op": 9, "d": False, "s": None, "t": None})
        if wait_identified:
            loop = asyncio.get_running_loop()
            end = loop.time() + timeout
            while len(self.identify_payloads) <= identifies_before or self._current is None:
                remaining = end - loop.time()
                if remaining <= 0:
                    raise TimeoutError(f"client did not re-identify within {timeout}s")
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._changed.wait(), remaining)

    # ------------------------------------------------------------------ interactions

    async def send_interaction(
        self, payload: Mapping[str, Any], *, timeout: float = 5.0
    ) -> InteractionHandle:
        """Complete ``payload`` (from :mod:`tests.double.payloads`) and dispatch it as INTERACTION_CREATE.

        Fills what a builder leaves out: ``id``, ``token``, ``application_id``,
        ``version``, ``attachment_size_limit``, the default guild/channel/user,
        ``channel`` and ``member`` (with computed ``permissions``) or ``user`` for a
        DM, ``app_permissions``, ``data.id`` / ``data.guild_id`` of a synced command
        and ``data.resolved`` for user/channel/role options. Waits up to ``timeout``
        for a connected client. Returns the handle; the response deadline starts now.
        """
        await self.wait_until_connected(timeout)
        d = self._complete(copy.deepcopy(dict(payload)))
        handle = InteractionHandle(self, d)
        self.interactions[handle.id] = handle
        await self._dispatch("INTERACTION_CREATE", d)
        handle.delivered_at = time.monotonic()
        loop = asyncio.get_running_loop()
        handle._deadline_timer = loop.call_later(
            self.interaction_deadline, self._deadline_passed, handle
        )
        return handle

    def _deadline_passed(self, handle: InteractionHandle) -> None:
        if handle.callback is None:
            err = DiscordError(
                404,
                10062,
                "Unknown interaction",
                detail=f"interaction {handle.id} got no response within {self.interaction_deadline}s "
                "(the user sees 'The application did not respond')",
            )
            self._violation("-", f"/interactions/{handle.id}", err)

    def _complete(self, d: dict[str, Any]) -> dict[str, Any]:
        d.setdefault("id", self.snowflake())
        d.setdefault("token", "itok-" + secrets.token_urlsafe(24))
        d.setdefault("application_id", self.application_id)
        d.setdefault("version", 1)
        d.setdefault("attachment_size_limit", 10 * 1024 * 1024)
        d.setdefault("locale", "en-US")
        d.setdefault("entitlements", [])
        # a server install authorises by default (Discord sends "0" for a guild install in DMs)
        d.setdefault("authorizing_integration_owners", {"0": str(d.get("guild_id") or "0")})
        user_id = str(d.pop("user_id", None) or self.user_id or self.owner_user["id"])
        if d.pop("dm", False):
            user = self._find_user(user_id) or self._user("dm-user", user_id)
            d["user"] = user
            cid = str(d.get("channel_id") or self.snowflake())
            d["channel_id"] = cid
            d.setdefault(
                "channel", {"id": cid, "type": 1, "recipients": [user], "last_message_id": None}
            )
            d.setdefault("context", 1)
            d.setdefault("app_permissions", str(DEFAULT_PERMISSIONS))
        elif d.get("guild_id") and str(d["guild_id"]) not in self.guilds and "member" in d:
            # a user-installed app used in a server the bot is not in: Discord sends the member
            # and channel as given, and the bot has no cache of that server
            d.setdefault("context", 0)
            d.setdefault("app_permissions", str(DEFAULT_PERMISSIONS))
        else:
            gid = str(d.get("guild_id") or self.guild_id)
            if gid not in self.guilds:
                raise KeyError(f"unknown guild {gid}; add it with add_guild()")
            guild = self.guilds[gid]
            d["guild_id"] = gid
            cid = str(
                d.get("channel_id")
                or (self.channel_id if gid == self.guild_id else next(iter(guild.channels)))
            )
            channel = guild.channels[cid]
            d["channel_id"] = cid
            d.setdefault("channel", self._channel_payload(channel))
            d.setdefault("guild", {"id": gid, "locale": "en-US", "features": []})
            d.setdefault("guild_locale", "en-US")
            d.setdefault("context", 0)
            d.setdefault("app_permissions", str(self.bot_permissions(cid)))
            member = guild.members.get(user_id)
            if member is None:
                user_id = self.add_member(gid, "user", user_id=user_id)
                member = guild.members[user_id]
            permissions = d.pop("permissions", None)
            if permissions is None:
                permissions = self.member_permissions(gid, user_id)
            d.setdefault("member", {**member, "permissions": str(permissions)})
        data = d.get("data")
        if isinstance(data, dict) and d["type"] in (INTERACTION_COMMAND, INTERACTION_AUTOCOMPLETE):
            self._complete_command_data(d, data)
        return d

    def _complete_command_data(self, d: dict[str, Any], data: dict[str, Any]) -> None:
        key = (data["name"], data.get("type", 1))
        scope = data.get("guild_id")
        registered = None
        if scope is not None:
            registered = self.commands.get(scope, {}).get(key)
        else:
            registered = (
                self.commands.get(d.get("guild_id"), {}).get(key) if d.get("guild_id") else None
            )
            if registered is not None:
                data["guild_id"] = d["guild_id"]
            else:
                registered = self.commands.get(None, {}).get(key)
        if registered is not None:
            _check_offered(d, registered)
            _type_as_registered(data.get("options") or [], registered.get("options") or [])
        data.setdefault("id", registered["id"] if registered else self.snowflake())
        data.setdefault("type", 1)
        resolved: dict[str, dict[str, Any]] = {}
        gid = d.get("guild_id")

        def walk(options: list[dict[str, Any]]) -> None:
            for opt in options:
                if "options" in opt:
                    walk(opt["options"])
                value = str(opt.get("value"))
                if opt.get("type") in (6, 9):
                    user = self._find_user(value)
                    if user is not None:
                        resolved.setdefault("users", {})[value] = user
                        if gid and value in self.guilds[gid].members:
                            m = {
                                k: v
                                for k, v in self.guilds[gid].members[value].items()
                                if k != "user"
                            }
                            m["permissions"] = str(self.member_permissions(gid, value))
                            resolved.setdefault("members", {})[value] = m
                if opt.get("type") in (7,):
                    channel = self._find_channel(value)
                    if channel is not None:
                        payload = self._channel_payload(channel)
                        payload["permissions"] = str(self.bot_permissions(channel.id))
                        resolved.setdefault("channels", {})[value] = payload
                if opt.get("type") in (8, 9) and gid and value in self.guilds[gid].roles:
                    resolved.setdefault("roles", {})[value] = self.guilds[gid].roles[value]

        walk(data.get("options") or [])
        for target in (data.get("resolved") or {}).get("messages", {}).values():
            target.setdefault("channel_id", d["channel_id"])  # a message command's message
        if resolved and "resolved" not in data:
            data["resolved"] = resolved

    # ------------------------------------------------------------------ REST plumbing

    def _route_table(self) -> list[tuple[str, re.Pattern[str], Route]]:
        sf = r"(?P<{}>\d+)"
        tok = r"(?P<token>[^/]+)"
        table: list[tuple[str, str, Route]] = [
            ("GET", r"/users/@me", self._get_me),
            ("GET", r"/oauth2/applications/@me", self._get_app),
            ("GET", r"/gateway(?:/bot)?", self._get_gateway),
            ("PUT", r"/applications/{}/commands".format(sf.format("app")), self._put_commands),
            ("GET", r"/applications/{}/commands".format(sf.format("app")), self._get_commands),
            (
                "PUT",
                r"/applications/{}/guilds/{}/commands".format(sf.format("app"), sf.format("guild")),
                self._put_commands,
            ),
            (
                "GET",
                r"/applications/{}/guilds/{}/commands".format(sf.format("app"), sf.format("guild")),
                self._get_commands,
            ),
            ("POST", r"/interactions/{}/{}/callback".format(sf.format("iid"), tok), self._callback),
            ("POST", r"/webhooks/{}/{}".format(sf.format("app"), tok), self._followup),
            (
                "GET",
                r"/webhooks/{}/{}/messages/(?P<mid>@original|\d+)".format(sf.format("app"), tok),
                self._webhook_message,
            ),
            (
                "PATCH",
                r"/webhooks/{}/{}/messages/(?P<mid>@original|\d+)".format(sf.format("app"), tok),
                self._webhook_message,
            ),
            (
                "DELETE",
                r"/webhooks/{}/{}/messages/(?P<mid>@original|\d+)".format(sf.format("app"), tok),
                self._webhook_message,
            ),
            ("POST", r"/channels/{}/messages".format(sf.format("cid")), self._post_channel_message),
            ("GET", r"/channels/{}".format(sf.format("cid")), self._get_channel),
            (
                "POST",
                r"/channels/{}/messages/{}/threads".format(sf.format("cid"), sf.format("mid")),
                self._start_thread,
            ),
            ("GET", r"/guilds/{}".format(sf.format("gid")), self._get_guild),
            ("GET", r"/guilds/{}/channels".format(sf.format("gid")), self._get_guild_channels),
            ("GET", r"/users/{}".format(sf.format("uid")), self._get_user),
            (
                "GET",
                r"/channels/{}/messages/{}".format(sf.format("cid"), sf.format("mid")),
                self._channel_message,
            ),
            (
                "PATCH",
                r"/channels/{}/messages/{}".format(sf.format("cid"), sf.format("mid")),
                self._channel_message,
            ),
            (
                "DELETE",
                r"/channels/{}/messages/{}".format(sf.format("cid"), sf.format("mid")),
                self._channel_message,
            ),
        ]
        return [(m, re.compile(p + r"/?"), h) for m, p, h in table]

    async def _read_body(
        self, request: web.Request
    ) -> tuple[Any, tuple[tuple[str, str, int], ...], dict[str, bytes]]:
        ctype = request.headers.get("Content-Type", "")
        if ctype.startswith("multipart/"):
            payload: Any = None
            meta: list[tuple[str, str, int]] = []
            blobs: dict[str, bytes] = {}
            reader = await request.multipart()
            async for part in reader:
                if not isinstance(part, BodyPartReader):
                    continue
                data = await part.read()
                name = part.name or ""
                if name == "payload_json":
                    payload = json.loads(data)
                else:
                    meta.append((name, part.filename or name, len(data)))
                    blobs[name] = data
            return payload, tuple(meta), blobs
        raw = await request.read()
        if not raw:
            return None, (), {}
        try:
            return json.loads(raw), (), {}
        except ValueError:
            return raw.decode("utf-8", "replace"), (), {}

    async def _rest_handler(self, request: web.Request) -> web.StreamResponse:
        path = request.path
        if path.startswith("/api/v10"):
            path = path[len("/api/v10") :] or "/"
        body, files, blobs = await self._read_body(request)
        rec = RecordedRequest(
            method=request.method,
            path=path,
            query=dict(request.query),
            json=body,
            headers=dict(request.headers),
            at=time.monotonic(),
            files=files,
        )
        self.recorded.append(rec)
        self._bump()

        drop = False
        for fault in self._faults:
            if fault.matches(request.method, path):
                fault.hits += 1
                if fault.delay:
                    await asyncio.sleep(fault.delay)
                if fault.status is not None:
                    faulted = self._fault_response(fault)
                    self._check_spec(rec, faulted)
                    return faulted
                drop = fault.drop
                break
        if drop:
            response = await self._route(request, path, rec, body, blobs)
            if request.transport is not None:
                request.transport.abort()  # the effect happened; the answer is lost
            return response
        response = await self._route(request, path, rec, body, blobs)
        self._check_spec(rec, response)
        return response

    def _check_spec(self, rec: RecordedRequest, response: web.StreamResponse) -> None:
        """Hold the request and this answer to Discord's OpenAPI description (``spec.py``)."""
        if not self.check_spec or rec in self.unknown_routes:
            return
        body = response.body if isinstance(response, web.Response) else None
        raw = body if isinstance(body, bytes) else None
        self.spec_request_problems += spec.check_request(rec.method, rec.path, rec.query, rec.json)
        self.spec_problems += spec.check_response(rec.method, rec.path, response.status, raw)

    async def _route(
        self,
        request: web.Request,
        path: str,
        rec: RecordedRequest,
        body: Any,
        blobs: dict[str, bytes],
    ) -> web.StreamResponse:
        """Answer a REST request from the route table (after any scripted fault)."""
        for method, pattern, handler in self._routes:
            match = pattern.fullmatch(path)
            if match is None or method != request.method:
                continue
            try:
                if not path.startswith(("/interactions/", "/webhooks/")):
                    self._check_auth(request)
                status, out = await handler(request, match, (body, blobs))
            except DiscordError as err:
                if err.violation:
                    self._violation(request.method, path, err)
                return _json_response(err.status, err.body(), err.headers)
            if status == 204:
                return web.Response(status=204)
            return _json_response(status, _as_rest(out))

        self.unknown_routes.append(rec)
        self._bump()
        return _json_response(404, {"code": 0, "message": "404: Not Found"})

    def _check_auth(self, request: web.Request) -> None:
        if request.headers.get("Authorization") != f"Bot {self.token}":
            raise DiscordError(401, 0, "401: Unauthorized", violation=False)

    # ------------------------------------------------------------------ REST routes

    async def _get_me(self, request: web.Request, m: re.Match[str], body: Any) -> tuple[int, Any]:
        return 200, {**self.bot_user, "verified": True, "mfa_enabled": False, "locale": "en-US"}

    async def _get_app(self, request: web.Request, m: re.Match[str], body: Any) -> tuple[int, Any]:
        return 200, {
            "id": self.application_id,
            "name": self.bot_user["username"],
            "description": "Discord double application",
            "icon": None,
            "bot_public": False,
            "bot_require_code_grant": False,
            "owner": self.owner_user,
            "verify_key": "00" * 32,
            "type": None,
            "flags_new": "0",
            "redirect_uris": [],
            "interactions_endpoint_url": None,
            "role_connections_verification_url": None,
            "approximate_guild_count": len(self.guilds),
            "approximate_user_install_count": 0,
            "approximate_user_authorization_count": 0,
            "explicit_content_filter": 0,
            "eligible_oauth2_scopes": ["bot", "applications.commands"],
            "team": None,
            "flags": 0,
            "summary": "",
            "rpc_origins": [],
        }

    async def _get_gateway(
        self, request: web.Request, m: re.Match[str], body: Any
    ) -> tuple[int, Any]:
        if request.path.endswith("/bot"):
            return 200, self.sharding.gateway_bot(self.gateway_url)
        return 200, {"url": self.gateway_url}

    def _check_app(self, m: re.Match[str]) -> None:
        if m.group("app") != self.application_id:
            raise DiscordError(404, 10002, "Unknown Application")

    async def _get_commands(
        self, request: web.Request, m: re.Match[str], body: Any
    ) -> tuple[int, Any]:
        self._check_app(m)
        scope = m.groupdict().get("guild")
        return 200, list(self.commands.get(scope, {}).values())

    async def _put_commands(
        self, request: web.Request, m: re.Match[str], body: Any
    ) -> tuple[int, Any]:
        self._check_app(m)
        commands = body[0]
        scope = m.groupdict().get("guild")
        if scope is not None and scope not in self.guilds:
            raise DiscordError(403, 50001, "Missing Access", detail=f"bot is not in guild {scope}")
        if not isinstance(commands, list):
            raise _invalid_form(
                {
                    "_errors": [
                        {
                            "code": "LIST_TYPE_CONVERT",
                            "message": "Only iterables may be used in a ListType",
                        }
                    ]
                },
                "body is not a list",
            )
        errors: dict[str, Any] = {}
        seen: set[tuple[str, int]] = set()
        for i, cmd in enumerate(commands):
            name = cmd.get("name", "")
            ctype = cmd.get("type", 1)
            if (ctype == 1 and not re.fullmatch(r"[-_\w]{1,32}", name)) or (
                name != name.lower() and ctype == 1
            ):
                _put_error(
                    errors,
                    (i, "name"),
                    "APPLICATION_COMMAND_INVALID_NAME",
                    "Command name is invalid",
                )
            if ctype == 1 and not 1 <= len(cmd.get("description", "")) <= 100:
                _put_error(
                    errors,
                    (i, "description"),
                    "BASE_TYPE_BAD_LENGTH",
                    "Must be between 1 and 100 in length.",
                )
            _max_len(errors, (i, "options"), cmd.get("options") or [], 25)
            command_option_errors(cmd.get("options") or [], errors, (i, "options"))
            if (name, ctype) in seen:
                _put_error(
                    errors,
                    (i, "name"),
                    "APPLICATION_COMMANDS_DUPLICATE_NAME",
                    "Application command names must be unique",
                )
            seen.add((name, ctype))
        if errors:
            raise _invalid_form(errors, "invalid application command payload")
        existing = self.commands.get(scope, {})
        created = tuple(n for (n, t) in seen if (n, t) not in existing)
        used = self._creates_today.get(scope, 0)
        if used + len(created) > self.command_create_quota:
            self.syncs.append(CommandSync(scope, commands, created, False, time.monotonic()))
            raise DiscordError(
                429,
                30034,
                f"Max number of daily application command creates has been reached ({self.command_create_quota})",
                detail=f"{used} creates already today in scope {scope or 'global'}, {len(created)} more requested",
                retry_after=_seconds_to_utc_midnight(),
            )
        self._creates_today[scope] = used + len(created)
        registered: dict[tuple[str, int], dict[str, Any]] = {}
        for cmd in commands:
            key = (cmd["name"], cmd.get("type", 1))
            old = existing.get(key)
            registered[key] = {
                "description": "",
                "options": [],
                "default_member_permissions": None,
                "dm_permission": True,
                "nsfw": False,
                "contexts": None,
                "integration_types": [0],
                **cmd,
                **_command_fields_as_discord_returns(cmd),
                "type": key[1],
                "id": old["id"] if old else self.snowflake(),
                "application_id": self.application_id,
                "version": self.snowflake(),
                **({"guild_id": scope} if scope else {}),
            }
        self.commands[scope] = registered
        self.syncs.append(CommandSync(scope, commands, created, True, time.monotonic()))
        return 200, list(registered.values())

    def _record_outgoing(
        self, kind: str, request: web.Request, path_body: dict[str, Any], interaction_id: str | None
    ) -> None:
        self.outgoing.append(
            OutgoingMessage(
                kind=kind,
                method=request.method,
                path=request.path.removeprefix("/api/v10"),
                body=path_body,
                allowed_mentions=path_body.get("allowed_mentions"),
                interaction_id=interaction_id,
                at=time.monotonic(),
            )
        )

    def _make_message(
        self,
        channel_id: str,
        body: dict[str, Any],
        blobs: dict[str, bytes],
        *,
        guild_id: str | None,
        msg_type: int = 0,
        flags: int = 0,
        interaction: InteractionHandle | None = None,
    ) -> dict[str, Any]:
        mid = self.snowflake()
        msg: dict[str, Any] = {
            "id": mid,
            "channel_id": channel_id,
            "author": self.bot_user,
            "content": body.get("content") or "",
            "timestamp": _now_iso(),
            "edited_timestamp": None,
            "tts": bool(body.get("tts", False)),
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "attachments": self._attachments(channel_id, mid, body, blobs),
            "embeds": body.get("embeds") or [],
            "components": _numbered(body.get("components") or []),
            "pinned": False,
            "type": msg_type,
            "flags": flags | int(body.get("flags") or 0),
        }
        if guild_id is not None:
            msg["guild_id"] = guild_id  # kept for the double's own use; not sent over REST
        if interaction is not None:
            msg["webhook_id"] = self.application_id
            msg["application_id"] = self.application_id
        if "poll" in body:
            msg["poll"] = body["poll"]
        self.messages[mid] = msg
        return msg

    def _attachments(
        self, channel_id: str, mid: str, body: dict[str, Any], blobs: dict[str, bytes]
    ) -> list[dict[str, Any]]:
        out = []
        for i, att in enumerate(body.get("attachments") or []):
            blob = blobs.get(f"files[{att.get('id', i)}]", b"")
            filename = att.get("filename", f"file{i}")
            url = f"http://127.0.0.1:{self._port}/attachments/{channel_id}/{mid}/{filename}"
            self.attachment_blobs[url] = blob
            out.append(
                {
                    "id": self.snowflake(),
                    "filename": filename,
                    "size": len(blob),
                    "url": url,
                    "proxy_url": url,
                    # Discord leaves the key out when the bot gave no description
                    **({"description": att["description"]} if att.get("description") else {}),
                }
            )
        return out

    def _edit_message(
        self, msg: dict[str, Any], body: dict[str, Any], blobs: dict[str, bytes]
    ) -> dict[str, Any]:
        for key in ("content", "embeds", "components", "poll"):
            if key in body:
                msg[key] = body[key] if body[key] is not None else ([] if key != "content" else "")
        msg["components"] = _numbered(msg.get("components") or [])
        if "attachments" in body:
            msg["attachments"] = self._attachments(msg["channel_id"], msg["id"], body, blobs)
        if "flags" in body and body["flags"] is not None:
            msg["flags"] = (int(msg.get("flags", 0)) & FLAG_EPHEMERAL) | int(body["flags"])
        msg["flags"] = int(msg.get("flags", 0)) & ~FLAG_LOADING
        msg["edited_timestamp"] = _now_iso()
        return msg

    def _handle_for_token(self, token: str, app: str | None = None) -> InteractionHandle:
        if app is not None and app != self.application_id:
            raise DiscordError(404, 10015, "Unknown Webhook")
        for handle in self.interactions.values():
            if handle.token == token:
                return handle
        raise DiscordError(
            404, 10015, "Unknown Webhook", detail=f"no interaction with token {token[:12]}…"
        )

    def _check_token_alive(self, handle: InteractionHandle) -> None:
        if time.monotonic() - handle.delivered_at > self.interaction_token_lifetime:
            raise DiscordError(
                401,
                50027,
                "Invalid Webhook Token",
                detail=f"interaction token older than {self.interaction_token_lifetime}s",
            )

    async def _callback(
        self, request: web.Request, m: re.Match[str], body_blobs: Any
    ) -> tuple[int, Any]:
        body, blobs = body_blobs
        handle = self.interactions.get(m.group("iid"))
        if handle is None or handle.token != m.group("token"):
            raise DiscordError(
                404, 10062, "Unknown interaction", detail="no such interaction id/token"
            )
        if not isinstance(body, dict) or "type" not in body:
            raise _invalid_form(
                {
                    "type": {
                        "_errors": [
                            {"code": "BASE_TYPE_REQUIRED", "message": "This field is required"}
                        ]
                    }
                },
                "callback without type",
            )
        elapsed = time.monotonic() - handle.delivered_at
        if handle.callback is not None:
            raise DiscordError(
                400,
                40060,
                "Interaction has already been acknowledged.",
                detail=f"second initial response (type {body['type']})",
            )
        if elapsed > self.interaction_deadline:
            raise DiscordError(
                404,
                10062,
                "Unknown interaction",
                detail=f"first response {elapsed:.2f}s after delivery (deadline {self.interaction_deadline}s)",
            )
        ctype = body["type"]
        allowed = {
            INTERACTION_COMMAND: {CB_MESSAGE, CB_DEFER, CB_MODAL},
            INTERACTION_COMPONENT: {CB_MESSAGE, CB_DEFER, CB_DEFER_UPDATE, CB_UPDATE, CB_MODAL},
            INTERACTION_AUTOCOMPLETE: {CB_AUTOCOMPLETE},
            INTERACTION_MODAL: {CB_MESSAGE, CB_DEFER, CB_DEFER_UPDATE, CB_UPDATE},
        }.get(handle.type, set())
        if ctype not in allowed:
            raise _invalid_form(
                {
                    "type": {
                        "_errors": [
                            {
                                "code": "INTERACTION_RESPONSE_TYPE_INVALID",
                                "message": "Invalid interaction response type",
                            }
                        ]
                    }
                },
                f"callback type {ctype} is not valid for interaction type {handle.type}",
            )
        errors = validate_callback(body)
        if errors:
            raise _invalid_form(errors, f"callback type {ctype} breaks Discord's limits")
        data = body.get("data") or {}
        if ctype == CB_MESSAGE:
            _, empty = validate_message(data)
            if empty:
                raise DiscordError(400, 50006, "Cannot send an empty message")
        self._record_outgoing("callback", request, data, handle.id)
        handle.callback = {"type": ctype, "data": data}
        if handle._deadline_timer is not None:
            handle._deadline_timer.cancel()
        interaction = {"id": handle.id, "type": handle.type}
        out: dict[str, Any] = {"interaction": interaction}
        channel_id = handle.payload.get("channel_id", "")
        guild_id = handle.payload.get("guild_id")
        msg: dict[str, Any] | None = None
        if ctype in (CB_MESSAGE, CB_DEFER):
            msg_type = 20 if handle.type == INTERACTION_COMMAND else 19
            flags = int(data.get("flags") or 0)
            if ctype == CB_DEFER:
                flags = (flags & FLAG_EPHEMERAL) | FLAG_LOADING
                data_for_msg: dict[str, Any] = {}
            else:
                data_for_msg = data
            msg = self._make_message(
                channel_id,
                data_for_msg,
                blobs,
                guild_id=guild_id,
                msg_type=msg_type,
                flags=flags,
                interaction=handle,
            )
            handle.original = msg
            interaction.update(
                response_message_id=msg["id"],
                response_message_loading=ctype == CB_DEFER,
                response_message_ephemeral=bool(msg["flags"] & FLAG_EPHEMERAL),
            )
        elif ctype in (CB_UPDATE, CB_DEFER_UPDATE) and handle.payload.get("message"):
            # @original of a component interaction is the message carrying the component.
            target = handle.payload["message"]
            msg = self.messages.get(str(target.get("id")))
            if msg is None:
                msg = copy.deepcopy(target)
                self.messages[str(target.get("id"))] = msg
            if ctype == CB_UPDATE:
                self._edit_message(msg, data, blobs)
            handle.original = msg
            interaction.update(
                response_message_id=msg["id"],
                response_message_loading=False,
                response_message_ephemeral=bool(int(msg.get("flags", 0)) & FLAG_EPHEMERAL),
            )
        if msg is not None and ctype in (CB_MESSAGE, CB_UPDATE):
            # Discord returns the message only for these two types (deferrals have none yet)
            out["resource"] = {"type": ctype, "message": copy.deepcopy(msg)}
        handle._event(
            "response",
            copy.deepcopy(msg) if msg is not None else dict(handle.callback),
            shown=ctype not in (CB_DEFER, CB_DEFER_UPDATE),
        )
        if request.query.get("with_response") not in ("1", "true", "True"):
            return 204, None
        return 200, out

    async def _followup(
        self, request: web.Request, m: re.Match[str], body_blobs: Any
    ) -> tuple[int, Any]:
        body, blobs = body_blobs
        handle = self._handle_for_token(m.group("token"), m.group("app"))
        if handle.callback is None or handle.callback["type"] in (CB_AUTOCOMPLETE, CB_MODAL):
            raise DiscordError(
                404,
                10015,
                "Unknown Webhook",
                detail="follow-up before the interaction was acknowledged",
            )
        self._check_token_alive(handle)
        body = body if isinstance(body, dict) else {}
        errors, empty = validate_message(body)
        if errors:
            raise _invalid_form(errors, "follow-up breaks Discord's limits")
        if empty:
            raise DiscordError(400, 50006, "Cannot send an empty message")
        self._record_outgoing("followup", request, body, handle.id)
        original = handle.original
        if (
            handle.callback["type"] == CB_DEFER
            and original is not None
            and int(original.get("flags", 0)) & FLAG_LOADING
        ):
            # Discord: the first follow-up after a "thinking" defer fills that message; its
            # ephemerality is the defer's.
            msg = self._edit_message(
                original, {k: v for k, v in body.items() if k != "flags"}, blobs
            )
        else:
            msg = self._make_message(
                handle.payload.get("channel_id", ""),
                body,
                blobs,
                guild_id=handle.payload.get("guild_id"),
                flags=0,
                interaction=handle,
            )
        handle.followup_messages.append(msg)
        handle._event("followup", copy.deepcopy(msg))
        wait = request.query.get("wait", "false").lower() in ("1", "true")
        return (200, copy.deepcopy(msg)) if wait else (204, None)

    async def _webhook_message(
        self, request: web.Request, m: re.Match[str], body_blobs: Any
    ) -> tuple[int, Any]:
        body, blobs = body_blobs
        handle = self._handle_for_token(m.group("token"), m.group("app"))
        self._check_token_alive(handle)
        mid = m.group("mid")
        if mid == "@original":
            msg = handle.original
        else:
            msg = self.messages.get(mid)
            if (
                msg is not None
                and msg is not handle.original
                and msg not in handle.followup_messages
            ):
                msg = None
        if msg is None or msg["id"] not in self.messages:
            raise DiscordError(
                404, 10008, "Unknown Message", detail=f"no message {mid} for this interaction"
            )
        if request.method == "GET":
            return 200, copy.deepcopy(msg)
        if request.method == "DELETE":
            del self.messages[msg["id"]]
            if msg is handle.original:
                # Discord: with the original (e.g. the "thinking" message) deleted, the next
                # follow-up is a new message with its own flags.
                handle.original = None
            handle._event("delete", {"id": msg["id"]}, shown=False)
            return 204, None
        body = body if isinstance(body, dict) else {}
        errors, _ = validate_message(body, require_content=False)
        if errors:
            raise _invalid_form(errors, "edit breaks Discord's limits")
        kind = "edit_original" if mid == "@original" else "edit_webhook_message"
        self._record_outgoing(kind, request, body, handle.id)
        self._edit_message(msg, body, blobs)
        handle._event(kind if mid == "@original" else "edit_followup", copy.deepcopy(msg))
        return 200, copy.deepcopy(msg)

    def _channel_or_error(self, channel_id: str, *, need: int = 0) -> _Channel:
        channel = self._find_channel(channel_id)
        if channel is None:
            raise DiscordError(404, 10003, "Unknown Channel", detail=f"no channel {channel_id}")
        perms = self.bot_permissions(channel_id)
        if not perms & VIEW_CHANNEL:
            raise DiscordError(
                403, 50001, "Missing Access", detail=f"bot cannot view #{channel.name}"
            )
        if need and perms & need != need:
            raise DiscordError(
                403,
                50013,
                "Missing Permissions",
                detail=f"bot lacks {need & ~perms:#x} in #{channel.name}",
            )
        return channel

    async def _post_channel_message(
        self, request: web.Request, m: re.Match[str], body_blobs: Any
    ) -> tuple[int, Any]:
        body, blobs = body_blobs
        need = SEND_MESSAGES | (ATTACH_FILES if blobs else 0)
        channel = self._channel_or_error(m.group("cid"), need=need)
        body = body if isinstance(body, dict) else {}
        errors, empty = validate_message(body)
        if errors:
            raise _invalid_form(errors, "channel message breaks Discord's limits")
        if empty:
            raise DiscordError(400, 50006, "Cannot send an empty message")
        nonce = body.get("nonce")
        key = (channel.id, str(nonce))
        if nonce is not None and body.get("enforce_nonce"):
            # Discord: with enforce_nonce, a nonce seen from the same author in the past few
            # minutes returns that message and creates none.
            seen = self._nonces.get(key)
            if seen is not None and time.monotonic() - seen[1] <= self.nonce_window:
                earlier = self.messages.get(seen[0])
                if earlier is not None:
                    return 200, copy.deepcopy(earlier)
        self._record_outgoing("channel_message", request, body, None)
        msg = self._make_message(channel.id, body, blobs, guild_id=channel.guild_id)
        if nonce is not None:
            msg["nonce"] = nonce
            if body.get("enforce_nonce"):
                self._nonces[key] = (msg["id"], time.monotonic())
        return 200, copy.deepcopy(msg)

    def _guild_or_error(self, guild_id: str) -> _Guild:
        guild = self.guilds.get(guild_id)
        if guild is None:
            raise DiscordError(404, 10004, "Unknown Guild", detail=f"no guild {guild_id}")
        return guild

    async def _get_guild(
        self, request: web.Request, m: re.Match[str], body: Any
    ) -> tuple[int, Any]:
        guild = self._guild_or_error(m.group("gid"))
        payload = self._guild_payload(guild)
        for key in ("channels", "members", "threads", "presences", "voice_states", "joined_at"):
            payload.pop(key, None)
        payload["approximate_member_count"] = len(guild.members)
        return 200, {**_GUILD_DEFAULTS, **payload}

    async def _get_guild_channels(
        self, request: web.Request, m: re.Match[str], body: Any
    ) -> tuple[int, Any]:
        guild = self._guild_or_error(m.group("gid"))
        return 200, [self._channel_payload(c) for c in guild.channels.values()]

    async def _get_user(self, request: web.Request, m: re.Match[str], body: Any) -> tuple[int, Any]:
        user = self._find_user(m.group("uid"))
        if user is None:
            raise DiscordError(404, 10013, "Unknown User", detail=f"no user {m.group('uid')}")
        return 200, user

    async def _start_thread(
        self, request: web.Request, m: re.Match[str], body_blobs: Any
    ) -> tuple[int, Any]:
        """Start a thread from a message (``POST /channels/{id}/messages/{id}/threads``)."""
        body, _ = body_blobs
        channel = self._channel_or_error(m.group("cid"), need=CREATE_PUBLIC_THREADS)
        if m.group("mid") not in self.messages:
            raise DiscordError(404, 10008, "Unknown Message")
        name = str((body or {}).get("name", ""))
        if not 1 <= len(name) <= 100:
            raise _invalid_form(
                {
                    "name": {
                        "_errors": [
                            {
                                "code": "BASE_TYPE_BAD_LENGTH",
                                "message": "Must be between 1 and 100 in length.",
                            }
                        ]
                    }
                },
                "thread name length",
            )
        thread = {
            "id": m.group("mid"),  # Discord gives a message's thread the message's id
            "type": 11,
            "guild_id": channel.guild_id,
            "parent_id": channel.id,
            "name": name,
            "owner_id": self.bot_user["id"],
            "message_count": 0,
            "member_count": 1,
            "total_message_sent": 0,
            "flags": 0,
            "thread_metadata": {
                "archived": False,
                "auto_archive_duration": int((body or {}).get("auto_archive_duration") or 1440),
                "archive_timestamp": _now_iso(),
                "locked": False,
            },
        }
        self.threads.append(thread)
        return 201, thread

    async def _get_channel(
        self, request: web.Request, m: re.Match[str], body: Any
    ) -> tuple[int, Any]:
        channel = self._channel_or_error(m.group("cid"))
        return 200, self._channel_payload(channel)

    async def _channel_message(
        self, request: web.Request, m: re.Match[str], body_blobs: Any
    ) -> tuple[int, Any]:
        body, blobs = body_blobs
        channel = self._channel_or_error(
            m.group("cid"), need=READ_MESSAGE_HISTORY if request.method == "GET" else 0
        )
        msg = self.messages.get(m.group("mid"))
        if msg is None or msg["channel_id"] != channel.id:
            raise DiscordError(
                404,
                10008,
                "Unknown Message",
                detail=f"no message {m.group('mid')} in #{channel.name}",
            )
        if request.method == "GET":
            return 200, copy.deepcopy(msg)
        if msg["author"]["id"] != self.bot_user["id"]:
            raise DiscordError(403, 50005, "Cannot edit a message authored by another user")
        if request.method == "DELETE":
            del self.messages[msg["id"]]
            return 204, None
        body = body if isinstance(body, dict) else {}
        errors, _ = validate_message(body, require_content=False)
        if errors:
            raise _invalid_form(errors, "edit breaks Discord's limits")
        self._record_outgoing("edit_channel_message", request, body, None)
        return 200, copy.deepcopy(self._edit_message(msg, body, blobs))


def _json_response(
    status: int, body: Any, headers: Mapping[str, str] | None = None
) -> web.Response:
    """A JSON response whose Content-Type is exactly ``application/json`` (no charset)."""
    resp = web.Response(status=status, body=json.dumps(body).encode(), headers=dict(headers or {}))
    resp.headers["Content-Type"] = "application/json"
    return resp
