"""Prometheus metrics of one bot process (``prometheus-client``, the standard client library).

Counters and histograms are module-level (one bot per process); :class:`BotCollector` reads
the live values (shard latency, guilds, corpus size) from the bot at scrape time. The
``/metrics`` endpoint is served by :mod:`bot.health` when ``health.port`` is set.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

REGISTRY = CollectorRegistry()
"""The registry ``/metrics`` serves (not the library's global one: no process collectors
that would differ between platforms)."""

COMMANDS = Counter(
    "corpusbot_commands_total",
    "Slash commands completed, by command",
    ["command"],
    registry=REGISTRY,
)
COMMAND_SECONDS = Histogram(
    "corpusbot_command_seconds",
    "Time from the interaction's creation (Discord's timestamp) to the command's completion",
    ["command"],
    buckets=(0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0, 10.0, 30.0),
    registry=REGISTRY,
)
DAILY_POSTS = Counter(
    "corpusbot_daily_posts_total",
    "Daily-post outcomes of this process's scheduler, by result",
    ["result"],
    registry=REGISTRY,
)


def count_outcomes(results: Iterator[str] | list[str]) -> None:
    """Count daily-post outcomes (``PostResult`` values)."""
    for result in results:
        DAILY_POSTS.labels(str(result)).inc()


class BotCollector(Collector):
    """Gauges read from the running bot (:func:`watch`) at scrape time."""

    def __init__(self) -> None:
        self.bot: Any = None

    def collect(self) -> Iterator[GaugeMetricFamily]:
        if self.bot is None:
            return
        latency = GaugeMetricFamily(
            "corpusbot_shard_latency_seconds",
            "Gateway heartbeat latency per shard of this process",
            labels=["shard"],
        )
        for shard_id, seconds in getattr(self.bot, "latencies", []):
            if seconds == seconds:  # NaN before the first heartbeat ACK
                latency.add_metric([str(shard_id)], float(seconds))
        yield latency
        yield GaugeMetricFamily(
            "corpusbot_guilds", "Guilds this process's shards serve", value=len(self.bot.guilds)
        )
        yield GaugeMetricFamily(
            "corpusbot_corpus_documents",
            "Documents in the loaded corpus",
            value=len(list(self.bot.library.corpus)),
        )


_COLLECTOR = BotCollector()
REGISTRY.register(_COLLECTOR)


def watch(bot: Any) -> None:
    """Report ``bot``'s live gauges (the process's one bot)."""
    _COLLECTOR.bot = bot
