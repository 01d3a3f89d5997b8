"""Shared pytest fixtures: the Discord double.

* ``discord_double`` — a started :class:`tests.double.DiscordDouble` per test; at
  teardown it fails the test if the bot broke a Discord rule or hit a route the
  double does not know, unless the test is marked
  ``@pytest.mark.discord_violations_expected`` (then the test asserts on
  ``discord_double.violations`` itself).
* ``connect_bot`` — re-exported from :mod:`tests.double`:
  ``async with connect_bot(bot, discord_double): ...`` (build the bot with
  ``guild_ready_timeout=0.1``).

Property tests explore new random examples on every developer run; with ``CI`` set (as
``.ci/run`` is run) they use Hypothesis's fixed, derandomised examples, so a CI verdict is the
same on every run and a red one can be reproduced. A failure found locally is kept as an
``@example``.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
from hypothesis import settings as hypothesis_settings

from tests import postgres_server as postgres_server_module
from tests.double import DiscordDouble, connect_bot

__all__ = ["connect_bot"]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "discord_violations_expected: the test provokes Discord rule violations on purpose; "
        "the discord_double fixture does not fail it for them",
    )


@pytest.fixture
async def discord_double(request: pytest.FixtureRequest) -> AsyncIterator[DiscordDouble]:
    """A started Discord double (default guild, #general, one member); stopped after the test."""
    double = DiscordDouble()
    await double.start()
    try:
        yield double
    finally:
        await double.stop()
    # Every answer of the double, and every request unless the test provokes violations on
    # purpose, is held to Discord's OpenAPI description (tests/double/spec.py).
    assert not double.spec_problems, "\n".join(dict.fromkeys(double.spec_problems))
    if request.node.get_closest_marker("discord_violations_expected") is None:
        double.assert_no_violations()
        requests = double.spec_request_problems
        assert not requests, "\n".join(dict.fromkeys(requests))


def _uses_postgres(item: pytest.Item) -> bool:
    names = getattr(item, "fixturenames", ())
    return "postgres_server" in names or "postgres_url" in names or "[postgresql" in item.nodeid


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Without PostgreSQL, leave its tests out and say so in one line at the end."""
    if postgres_server_module.available():
        return
    dropped = [item for item in items if _uses_postgres(item)]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = [item for item in items if not _uses_postgres(item)]
        config.stash[_PG_LEFT_OUT] = len(dropped)


_PG_LEFT_OUT = pytest.StashKey[int]()


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    left_out = config.stash.get(_PG_LEFT_OUT, 0)
    if left_out:
        terminalreporter.write_line(
            f"{left_out} {postgres_server_module.SKIP_REASON.replace('tests skipped', 'tests left out')}"
        )


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """The URL of a PostgreSQL server for the session (see :mod:`tests.postgres_server`);
    skips, with one line naming the package to install, when none is available."""
    server = postgres_server_module.start()
    if server is None:
        pytest.skip(postgres_server_module.SKIP_REASON)
    try:
        yield server.url
    finally:
        server.stop()


@pytest.fixture
async def postgres_url(postgres_server: str) -> AsyncIterator[str]:
    """A URL whose search path is a fresh, empty schema (dropped after the test)."""
    async with postgres_server_module.fresh_schema(postgres_server) as url:
        yield url


hypothesis_settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")
