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

from __future__ import annotations

from tests.double.server._constants import (
    ADD_REACTIONS,
    ADMINISTRATOR,
    ATTACH_FILES,
    CB_AUTOCOMPLETE,
    CB_DEFER,
    CB_DEFER_UPDATE,
    CB_MESSAGE,
    CB_MODAL,
    CB_UPDATE,
    CREATE_PUBLIC_THREADS,
    DEFAULT_PERMISSIONS,
    DISCORD_EPOCH_MS,
    EMBED_LINKS,
    FLAG_COMPONENTS_V2,
    FLAG_EPHEMERAL,
    FLAG_LOADING,
    INTERACTION_AUTOCOMPLETE,
    INTERACTION_COMMAND,
    INTERACTION_COMPONENT,
    INTERACTION_MODAL,
    INTERACTION_PING,
    MANAGE_GUILD,
    MAX_ACTION_ROWS,
    MAX_AUTHOR_NAME,
    MAX_BUTTON_LABEL,
    MAX_CHOICE_LENGTH,
    MAX_CHOICES,
    MAX_CONTENT,
    MAX_CUSTOM_ID,
    MAX_EMBED_DESCRIPTION,
    MAX_EMBED_FIELDS,
    MAX_EMBED_TITLE,
    MAX_EMBED_TOTAL,
    MAX_EMBEDS,
    MAX_FIELD_NAME,
    MAX_FIELD_VALUE,
    MAX_FOOTER,
    MAX_ROW_COMPONENTS,
    READ_MESSAGE_HISTORY,
    SEND_MESSAGES,
    USE_APPLICATION_COMMANDS,
    VIEW_CHANNEL,
)
from tests.double.server._double import DiscordDouble
from tests.double.server._handle import InteractionHandle
from tests.double.server._records import (
    CommandSync,
    DiscordError,
    InjectedFault,
    OutgoingMessage,
    RecordedRequest,
    Violation,
    ratelimit_headers,
)
from tests.double.server._state import Route
from tests.double.server._validation import (
    MAX_NONCE,
    command_option_errors,
    validate_callback,
    validate_message,
)

__all__ = [
    "ADD_REACTIONS",
    "ADMINISTRATOR",
    "ATTACH_FILES",
    "CB_AUTOCOMPLETE",
    "CB_DEFER",
    "CB_DEFER_UPDATE",
    "CB_MESSAGE",
    "CB_MODAL",
    "CB_UPDATE",
    "CREATE_PUBLIC_THREADS",
    "DEFAULT_PERMISSIONS",
    "DISCORD_EPOCH_MS",
    "EMBED_LINKS",
    "FLAG_COMPONENTS_V2",
    "FLAG_EPHEMERAL",
    "FLAG_LOADING",
    "INTERACTION_AUTOCOMPLETE",
    "INTERACTION_COMMAND",
    "INTERACTION_COMPONENT",
    "INTERACTION_MODAL",
    "INTERACTION_PING",
    "MANAGE_GUILD",
    "MAX_ACTION_ROWS",
    "MAX_AUTHOR_NAME",
    "MAX_BUTTON_LABEL",
    "MAX_CHOICES",
    "MAX_CHOICE_LENGTH",
    "MAX_CONTENT",
    "MAX_CUSTOM_ID",
    "MAX_EMBEDS",
    "MAX_EMBED_DESCRIPTION",
    "MAX_EMBED_FIELDS",
    "MAX_EMBED_TITLE",
    "MAX_EMBED_TOTAL",
    "MAX_FIELD_NAME",
    "MAX_FIELD_VALUE",
    "MAX_FOOTER",
    "MAX_NONCE",
    "MAX_ROW_COMPONENTS",
    "READ_MESSAGE_HISTORY",
    "SEND_MESSAGES",
    "USE_APPLICATION_COMMANDS",
    "VIEW_CHANNEL",
    "CommandSync",
    "DiscordDouble",
    "DiscordError",
    "InjectedFault",
    "InteractionHandle",
    "OutgoingMessage",
    "RecordedRequest",
    "Route",
    "Violation",
    "command_option_errors",
    "ratelimit_headers",
    "validate_callback",
    "validate_message",
]
