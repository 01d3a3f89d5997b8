"""The ``bot`` fixture of the double's own tests: a :class:`TinyBot` logged into the double,
its commands synced."""

from __future__ import annotations

import pytest

from tests.double import DiscordDouble, connect_bot
from tests.double.tinybot import TinyBot


@pytest.fixture
async def bot(discord_double: DiscordDouble):
    tiny = TinyBot()
    async with connect_bot(tiny, discord_double):
        await tiny.tree.sync()
        yield tiny
