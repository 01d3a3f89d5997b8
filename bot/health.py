"""``/healthz`` and ``/metrics`` on a local HTTP port (off unless ``health.port`` is set).

``/healthz`` answers JSON about the gateway (ready, each shard's latency), the database (a
query answered, schema version) and the corpus (documents loaded): HTTP 200 when all three are
fine, 503 otherwise, so a supervisor or load balancer can act on it. ``/metrics`` is the
Prometheus text format of :mod:`bot.metrics`. Served with aiohttp (already discord.py's HTTP
library) on the bot's event loop.
"""

from __future__ import annotations

import asyncio
import math
import os
from typing import Any

import discord
from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from bot import metrics, sharding

DATABASE_TIMEOUT = 2.0
"""Seconds the database check may take before it counts as down."""


async def health_report(bot: Any) -> tuple[bool, dict[str, Any]]:
    """``(healthy, report)`` for ``/healthz``."""
    shards = {
        str(shard_id): {"latency_ms": None if math.isnan(s) else round(s * 1000, 1)}
        for shard_id, s in getattr(bot, "latencies", [])
    }
    gateway = {"ready": bot.is_ready() and not bot.is_closed(), "shards": shards}
    database: dict[str, Any] = {"ok": False}
    try:
        version = await asyncio.wait_for(bot.storage.schema_version(), DATABASE_TIMEOUT)
        database = {"ok": True, "schema_version": version}
    except Exception as error:  # any failure is the report's content, not a crash
        database["error"] = f"{type(error).__name__}: {error}"[:200]
    documents = len(list(bot.library.corpus))
    corpus = {"ok": documents > 0, "documents": documents}
    healthy = bool(gateway["ready"]) and bool(database["ok"]) and bool(corpus["ok"])
    report: dict[str, Any] = {
        "status": "ok" if healthy else "degraded",
        "process": os.getpid(),
        "shards": sharding.describe(bot.shard_count, bot.shard_ids),
        "gateway": gateway,
        "database": database,
        "corpus": corpus,
    }
    return healthy, report


async def on_command_done(interaction: discord.Interaction[Any], command: Any) -> None:
    """Count a completed slash command and its latency since Discord created it."""
    name = getattr(command, "qualified_name", str(command))
    metrics.COMMANDS.labels(name).inc()
    elapsed = (discord.utils.utcnow() - interaction.created_at).total_seconds()
    metrics.COMMAND_SECONDS.labels(name).observe(max(elapsed, 0.0))


async def serve(bot: Any, host: str, port: int) -> web.AppRunner:
    """Start the endpoints on ``host:port``; returns the runner (``await runner.cleanup()``).

    Raises:
        OSError: the port is taken or not allowed.
    """

    async def healthz(request: web.Request) -> web.Response:
        healthy, report = await health_report(bot)
        return web.json_response(report, status=200 if healthy else 503)

    async def metrics_page(request: web.Request) -> web.Response:
        body = generate_latest(metrics.REGISTRY)
        return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})

    metrics.watch(bot)
    bot.add_listener(on_command_done, "on_app_command_completion")
    app = web.Application()
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/metrics", metrics_page)
    runner = web.AppRunner(app, access_log=None, handle_signals=False)
    await runner.setup()
    await web.TCPSite(runner, host, port).start()
    return runner
