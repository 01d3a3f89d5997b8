"""REST routes of channels, guilds, users and threads.

A part of :class:`~tests.double.server.DiscordDouble` (a mixin: the double's
``__init__`` sets the state it uses)."""

# Waiting helpers take `timeout=` on purpose: it is the tests' vocabulary (the brief asks for it).

from __future__ import annotations

import copy
import re
import time
from typing import Any

from aiohttp import web

from tests.double.server._constants import (
    ATTACH_FILES,
    CREATE_PUBLIC_THREADS,
    READ_MESSAGE_HISTORY,
    SEND_MESSAGES,
    VIEW_CHANNEL,
)
from tests.double.server._records import (
    DiscordError,
)
from tests.double.server._state import (
    _GUILD_DEFAULTS,
    _Channel,
    _Guild,
    _now_iso,
)
from tests.double.server._validation import (
    _invalid_form,
    validate_message,
)


class ChannelRoutes:
    """REST routes of channels, guilds, users and threads."""

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
