"""``/quote`` speaker autocomplete through the real client: the chosen document's speakers (else
every document's), people who speak only, never a document's author."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bot.core.library import Library
from bot.core.loader import load_corpus
from tests.double import DiscordDouble, connect_bot, payloads

pytestmark = pytest.mark.e2e

BALL = """---
title: The Ball at Netherfield
author: Alice, Bob
---

The rooms were crowded, and the music was loud enough to cover any quarrel at all.

“I have never seen so many pleasant girls in my whole life as this evening,” said Bingley.

“You are dancing with the only handsome girl in the whole of the room tonight,” said Elizabeth.
"""

WHALE = """---
title: The Whale Hunt
author: Charles Dickens
---

The ship rolled on the long grey swell, and the watch kept silent under the stars.

“Hast seen the White Whale anywhere upon these dark and endless seas, my friend?” cried Ahab.
"""


@pytest.fixture(scope="module")
def two_books(tmp_path_factory: pytest.TempPathFactory) -> Library:
    folder = tmp_path_factory.mktemp("speakers")
    (folder / "ball.md").write_text(BALL, encoding="utf-8")
    (folder / "whale.md").write_text(WHALE, encoding="utf-8")
    return Library.build(load_corpus([folder]))


async def _offered(double: DiscordDouble, options: dict[str, str]) -> list[str]:
    payload = payloads.autocomplete("quote", options, focused="speaker")
    reply = await (await double.send_interaction(payload)).final()
    return [c["value"] for c in reply["choices"]]


async def test_speakers_of_the_chosen_document_only_and_never_authors(
    make_bot: Any, discord_double: DiscordDouble, two_books: Library
) -> None:
    async with connect_bot(make_bot(library=two_books), discord_double):
        ball = await _offered(discord_double, {"document": "ball", "speaker": ""})
        assert ball == ["Bingley", "Elizabeth"]
        whale = await _offered(discord_double, {"document": "whale", "speaker": ""})
        assert whale == ["Ahab"]
        everyone = await _offered(discord_double, {"speaker": ""})
        assert everyone == ["Ahab", "Bingley", "Elizabeth"]
        assert await _offered(discord_double, {"document": "ball", "speaker": "eliz"}) == [
            "Elizabeth"
        ]
        assert await _offered(discord_double, {"document": "ball", "speaker": "ahab"}) == []
        for name in ball:  # every name offered is served with that document
            payload = payloads.slash_command("quote", {"document": "ball", "speaker": name})
            quoted = await (await discord_double.send_interaction(payload)).final()
            assert name in str(quoted)
            assert "went wrong" not in str(quoted)


async def test_without_a_document_the_speakers_of_what_the_server_sees(
    tmp_path: Path, discord_double: DiscordDouble
) -> None:
    from bot.client import CorpusBot
    from bot.loading import load_library
    from bot.settings import load_settings
    from tests.double.server import MANAGE_GUILD

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "ball.md").write_text(BALL, encoding="utf-8")
    (corpus / "whale.md").write_text(WHALE, encoding="utf-8")
    config = tmp_path / "config.yaml"
    config.write_text(
        f"corpus:\n  paths: [{corpus}]\nstorage:\n  path: {tmp_path / 'bot.sqlite3'}\n",
        encoding="utf-8",
    )
    settings = load_settings(config, env={})
    library = load_library(settings, quiet=True).library
    bot = CorpusBot(settings, library, sync=True, guild_ready_timeout=0.1)
    async with connect_bot(bot, discord_double):
        payload = payloads.slash_command(
            "documents", {"name": "whale"}, subcommand="disable", permissions=MANAGE_GUILD
        )
        await (await discord_double.send_interaction(payload)).final()
        assert await _offered(discord_double, {"speaker": ""}) == ["Bingley", "Elizabeth"]
        # a turned-off document is not a way round the server's choice
        assert await _offered(discord_double, {"document": "whale", "speaker": ""}) == [
            "Bingley",
            "Elizabeth",
        ]
