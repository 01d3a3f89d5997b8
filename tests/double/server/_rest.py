"""REST plumbing: the route table, request bodies, authentication and the OpenAPI check.

A part of :class:`~tests.double.server.DiscordDouble` (a mixin: the double's
``__init__`` sets the state it uses)."""

# Waiting helpers take `timeout=` on purpose: it is the tests' vocabulary (the brief asks for it).

from __future__ import annotations

import asyncio
import json
import re
import time
from typing import Any

from aiohttp import BodyPartReader, web

from tests.double import spec
from tests.double.server._records import (
    DiscordError,
    RecordedRequest,
    _json_response,
)
from tests.double.server._state import (
    Route,
    _as_rest,
)


class RestPlumbing:
    """REST plumbing: the route table, request bodies, authentication and the OpenAPI check."""

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
