"""The loop every scheduler runs: one task per process that makes a pass, sleeps until the next
one may be due, and goes on whatever a pass raised (the daily quote and the reading club)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable
from typing import Any, ClassVar


class PassLoop(ABC):
    """A scheduler's loop task: :meth:`start` it once, :meth:`stop` it, :meth:`run` is the loop.

    A subclass makes the passes (:meth:`run_once`) and says how long to sleep between them
    (:meth:`seconds_to_next_pass`); it sets ``max_sleep`` (seconds, the sleep when that fails)
    and ``_sleep`` (``await _sleep(seconds)``, injectable for simulations).
    """

    TASK_NAME: ClassVar[str]
    """The asyncio task's name, also the loop's name in log lines."""
    LOG: ClassVar[logging.Logger]
    """Where the loop logs a failed pass."""

    max_sleep: float
    _sleep: Callable[[float], Awaitable[None]]
    _task: asyncio.Task[None] | None = None

    @abstractmethod
    async def run_once(self) -> list[Any]:
        """One pass; returns what it did."""

    @abstractmethod
    async def seconds_to_next_pass(self) -> float:
        """Seconds to sleep before the next pass."""

    async def before_passes(self) -> None:
        """What the loop does once before its first pass (nothing by default)."""
        return None

    def start(self) -> asyncio.Task[None]:
        """Start the loop as a task, once: while it runs, further calls return the same task."""
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self.run(), name=self.TASK_NAME)
        return self._task

    @property
    def running(self) -> bool:
        """Whether the loop task is alive."""
        return self._task is not None and not self._task.done()

    async def stop(self) -> None:
        """Cancel the loop and wait for it to end (a pass in progress is abandoned; its claim
        stays ``pending`` and is settled by the next start)."""
        task, self._task = self._task, None
        if task is not None and not task.done():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def run(self) -> None:
        """The loop: :meth:`before_passes`, then pass, sleep, pass... until cancelled.

        An exception in a pass or in computing the sleep is logged and the loop goes on (the
        sleep is then ``max_sleep``); only cancellation ends it.
        """
        await self.before_passes()
        while True:
            try:
                await self.run_once()
            except Exception:
                self.LOG.exception("%s pass failed", self.TASK_NAME)
            try:
                delay = await self.seconds_to_next_pass()
            except Exception:
                self.LOG.exception("%s could not compute its next wake-up", self.TASK_NAME)
                delay = self.max_sleep
            await self._sleep(delay)
