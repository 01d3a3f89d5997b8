"""``corpusbot run`` as a separate process, pointed at the double through settings."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

import pytest

from tests.double import DiscordDouble, payloads

pytestmark = pytest.mark.e2e


async def test_corpusbot_run_answers_a_search(
    discord_double: DiscordDouble, tmp_path: Path
) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(
        "discord:\n"
        f"  api_base: {discord_double.api_base}\n"
        f"  gateway_url: {discord_double.gateway_url}\n"
        "storage:\n"
        "  path: state.sqlite3\n",
        encoding="utf-8",
    )
    env = {**os.environ, "DISCORD_TOKEN": discord_double.token}
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        "--config",
        str(config),
        "--sync",
        cwd=tmp_path,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    try:
        await discord_double.wait_for_request(
            lambda r: "/commands" in r.path and r.method == "PUT", timeout=30
        )
        await discord_double.wait_for_gateway_op(2, timeout=30)  # IDENTIFY
        await asyncio.sleep(0.3)  # READY and GUILD_CREATE processed
        handle = await discord_double.send_interaction(
            payloads.slash_command("search", {"query": "sleep esay at night"})
        )
        shown = await handle.final(timeout=10)
        assert "paragraph 6" in shown["embeds"][0]["fields"][0]["name"]
        assert (tmp_path / "state.sqlite3").exists()
    finally:
        process.send_signal(signal.SIGINT)
        try:
            output, _ = await asyncio.wait_for(process.communicate(), 20)
        except TimeoutError:
            process.kill()
            output, _ = await process.communicate()
    log = output.decode()
    assert discord_double.token not in log  # the token never reaches a log line
    assert "Traceback" not in log, log
