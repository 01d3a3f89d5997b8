"""A fast clock for simulations of a fleet: ``CORPUSBOT_SIMULATED_CLOCK`` makes ``corpusbot
run`` live on a shared, accelerated timeline (tests and ``benchmarks.scale`` use it).

The variable is ``REAL_EPOCH,START,SCALE``: at Unix time ``REAL_EPOCH`` the simulated clock
reads ``START`` (an ISO instant with offset) and it runs ``SCALE`` times faster than the wall
clock. Every process given the same value shares one timeline, also across restarts. The daily
scheduler sleeps ``SCALE`` times shorter; Discord's nonce deduplication stays in real time (so
the scheduler's nonce window is ``SCALE`` times longer in simulated time). Unset: real time.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

ENV = "CORPUSBOT_SIMULATED_CLOCK"


@dataclass(frozen=True)
class SimulatedClock:
    """``clock()`` returns the simulated aware UTC instant."""

    real_epoch: float
    start: datetime
    scale: float

    def __call__(self) -> datetime:
        return self.start + timedelta(seconds=(time.time() - self.real_epoch) * self.scale)

    def to_text(self) -> str:
        """The environment value that reproduces this clock."""
        return f"{self.real_epoch},{self.start.isoformat()},{self.scale}"


def parse(value: str) -> SimulatedClock:
    """Parse ``REAL_EPOCH,START,SCALE``.

    Raises:
        ValueError: naming the variable and the expected shape.
    """
    try:
        epoch, start, scale = value.split(",")
        instant = datetime.fromisoformat(start)
        if instant.tzinfo is None or float(scale) <= 0:
            raise ValueError
        return SimulatedClock(float(epoch), instant.astimezone(UTC), float(scale))
    except ValueError:
        raise ValueError(
            f"{ENV} must be REAL_EPOCH,START,SCALE (e.g. 1767225600,2026-05-12T09:00:00+00:00,60)"
            f"; got {value!r}"
        ) from None
