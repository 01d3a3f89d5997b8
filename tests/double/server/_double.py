"""The fake Discord itself: its state, its server's lifecycle and its addresses; the rest
comes from one mixin per side (world, inspection, gateway, REST)."""

# Waiting helpers take `timeout=` on purpose: it is the tests' vocabulary (the brief asks for it).

from __future__ import annotations

import asyncio
import contextlib
import itertools
from typing import Any

from aiohttp import web

from tests.double.server._gateway import GatewaySide
from tests.double.server._handle import InteractionHandle
from tests.double.server._inspection import Inspection
from tests.double.server._records import (
    CommandSync,
    InjectedFault,
    OutgoingMessage,
    RecordedRequest,
    Violation,
)
from tests.double.server._rest import RestPlumbing
from tests.double.server._routes_app import AppRoutes
from tests.double.server._routes_channels import ChannelRoutes
from tests.double.server._routes_messages import MessageRoutes
from tests.double.server._state import (
    _Gateway,
    _Guild,
)
from tests.double.server._world import WorldState
from tests.double.sharding import Sharding


class DiscordDouble(
    WorldState, Inspection, GatewaySide, RestPlumbing, AppRoutes, MessageRoutes, ChannelRoutes
):
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
