"""``/about`` for everyone and the owner-only ``/sync``, through the real client."""

from __future__ import annotations

import pytest

from bot.client import CorpusBot
from tests.double import DiscordDouble, payloads

EPHEMERAL = 1 << 6
pytestmark = pytest.mark.e2e


async def test_about_lists_documents_and_the_privacy_note(
    running_bot: CorpusBot, discord_double: DiscordDouble
) -> None:
    handle = await discord_double.send_interaction(payloads.slash_command("about"))
    shown = await handle.final()
    assert int(shown.get("flags", 0)) & EPHEMERAL
    embed = shown["embeds"][0]
    assert "Benedict Rogers" in embed["description"]
    privacy = next(f for f in embed["fields"] if f["name"] == "Privacy")
    assert "reads no messages" in privacy["value"]


async def test_sync_is_refused_to_others_and_done_for_the_owner(
    running_bot: CorpusBot, discord_double: DiscordDouble
) -> None:
    before = len(discord_double.syncs)
    handle = await discord_double.send_interaction(payloads.slash_command("sync"))
    refused = await handle.final()
    assert int(refused.get("flags", 0)) & EPHEMERAL
    assert "Only the bot's owner" in refused["content"]
    assert len(discord_double.syncs) == before

    owner = discord_double.add_member(
        discord_double.guild_id, "owner", user_id=discord_double.owner_user["id"]
    )
    handle = await discord_double.send_interaction(payloads.slash_command("sync", user_id=owner))
    done = await handle.final()
    assert done["content"] == "Commands synced."
    assert len(discord_double.syncs) == before + 1
