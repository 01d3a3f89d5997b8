"""``/healthz`` and ``/metrics`` of a bot connected to the Discord double."""

from __future__ import annotations

import socket
from typing import Any

import aiohttp
import pytest

from bot import health
from bot.client import CorpusBot
from bot.settings import load_settings
from tests.double import DiscordDouble, payloads

pytestmark = pytest.mark.e2e


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_the_endpoints_are_off_by_default() -> None:
    assert load_settings(None, env={}).health.port is None


async def test_healthz_reports_gateway_database_corpus_and_metrics_count_commands(
    running_bot: CorpusBot, discord_double: DiscordDouble
) -> None:
    port = _free_port()
    runner = await health.serve(running_bot, "127.0.0.1", port)
    try:
        async with aiohttp.ClientSession() as session:
            async with session.get(f"http://127.0.0.1:{port}/healthz") as answer:
                assert answer.status == 200
                report: dict[str, Any] = await answer.json()
            assert report["status"] == "ok"
            assert report["gateway"]["ready"] is True
            assert report["database"]["ok"] is True
            assert report["database"]["schema_version"] >= 1
            assert report["corpus"]["documents"] >= 1

            handle = await discord_double.send_interaction(
                payloads.slash_command("search", {"query": "jaw jaw is beter than war war"})
            )
            await handle.final()
            async with session.get(f"http://127.0.0.1:{port}/metrics") as answer:
                text = await answer.text()
            assert 'corpusbot_commands_total{command="search"} 1.0' in text
            assert "corpusbot_command_seconds_bucket" in text
            assert "corpusbot_guilds 1.0" in text

            working, running_bot.storage = running_bot.storage, _Broken()  # the database fails
            try:
                async with session.get(f"http://127.0.0.1:{port}/healthz") as answer:
                    assert answer.status == 503
                    report = await answer.json()
            finally:
                running_bot.storage = working
            assert report["database"]["ok"] is False
            assert "database is gone" in report["database"]["error"]
    finally:
        await runner.cleanup()


class _Broken:
    async def schema_version(self) -> int:
        raise ConnectionError("database is gone")
