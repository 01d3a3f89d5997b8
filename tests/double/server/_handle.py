"""The test's view of one interaction it sent: its response and follow-ups, awaited."""

# Waiting helpers take `timeout=` on purpose: it is the tests' vocabulary (the brief asks for it).
# ruff: noqa: ASYNC109

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from tests.double.server._constants import (
    CB_AUTOCOMPLETE,
    CB_DEFER,
    CB_DEFER_UPDATE,
    FLAG_EPHEMERAL,
)

if TYPE_CHECKING:
    from tests.double.server._double import DiscordDouble

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
