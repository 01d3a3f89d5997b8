"""What tests read and script: recorded requests, waits, violations and injected faults.

A part of :class:`~tests.double.server.DiscordDouble` (a mixin: the double's
``__init__`` sets the state it uses)."""

# Waiting helpers take `timeout=` on purpose: it is the tests' vocabulary (the brief asks for it).
# ruff: noqa: ASYNC109

from __future__ import annotations

import asyncio
import contextlib
import re
import time
from collections.abc import Callable
from typing import Any

from aiohttp import web

from tests.double.server._records import (
    DiscordError,
    InjectedFault,
    RecordedRequest,
    Violation,
    _json_response,
    ratelimit_headers,
)


class Inspection:
    """What tests read and script: recorded requests, waits, violations and injected faults."""

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
