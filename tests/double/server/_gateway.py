"""The gateway websocket: identify, resume, heartbeats, dispatch, and interactions sent
to the bot.

A part of :class:`~tests.double.server.DiscordDouble` (a mixin: the double's
``__init__`` sets the state it uses)."""

# Waiting helpers take `timeout=` on purpose: it is the tests' vocabulary (the brief asks for it).
# ruff: noqa: ASYNC109

from __future__ import annotations

import asyncio
import contextlib
import copy
import json
import secrets
import time
from collections.abc import Awaitable, Mapping
from typing import Any

from aiohttp import WSMsgType, web

from tests.double.server._constants import (
    DEFAULT_PERMISSIONS,
    INTERACTION_AUTOCOMPLETE,
    INTERACTION_COMMAND,
)
from tests.double.server._handle import InteractionHandle
from tests.double.server._records import (
    DiscordError,
)
from tests.double.server._state import (
    _Gateway,
)
from tests.double.server._validation import (
    _check_offered,
    _type_as_registered,
)


class GatewaySide:
    """The gateway websocket: identify, resume, heartbeats, dispatch, and interactions sent"""

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

    def _resolve_options(
        self, options: list[dict[str, Any]], gid: str | None, resolved: dict[str, dict[str, Any]]
    ) -> None:
        """Add to ``resolved`` the users, members, channels and roles that ``options`` (and
        their sub-options) name, as Discord resolves them for the bot."""
        for opt in options:
            if "options" in opt:
                self._resolve_options(opt["options"], gid, resolved)
            value = str(opt.get("value"))
            if opt.get("type") in (6, 9):
                user = self._find_user(value)
                if user is not None:
                    resolved.setdefault("users", {})[value] = user
                    if gid and value in self.guilds[gid].members:
                        m = {
                            k: v for k, v in self.guilds[gid].members[value].items() if k != "user"
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
        self._resolve_options(data.get("options") or [], d.get("guild_id"), resolved)
        for target in (data.get("resolved") or {}).get("messages", {}).values():
            target.setdefault("channel_id", d["channel_id"])  # a message command's message
        if resolved and "resolved" not in data:
            data["resolved"] = resolved
