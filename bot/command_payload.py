"""``corpusbot commands``: the application commands exactly as the bot syncs them to Discord.

The payload comes from the same command tree ``corpusbot run`` builds (every cog loaded, against
a throwaway storage file and an empty corpus: no command's definition depends on either), turned
into JSON by discord.py's own ``to_dict``, the body of the sync request. So an operator can see,
and diff between versions, which commands, options, contexts (0 server, 1 the bot's DMs, 2 group
DMs) and installation types (0 server install, 1 user install) Discord will show.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import tempfile
from pathlib import Path
from typing import Any

from bot.settings import Settings

#: Names Discord uses for the numbers in ``contexts`` and ``integration_types``.
CONTEXTS = {0: "server", 1: "bot DM", 2: "group DM"}
INSTALLS = {0: "server install", 1: "user install"}
KINDS = {1: "slash", 2: "user menu", 3: "message menu"}


async def command_payload(settings: Settings) -> list[dict[str, Any]]:
    """The list of command objects the bot's sync request sends (``PUT .../commands``)."""
    from bot.client import CorpusBot
    from bot.core.library import Library
    from bot.core.models import Corpus
    from bot.storage import open_storage
    from cogs import EXTENSIONS

    with tempfile.TemporaryDirectory(prefix="corpusbot-commands-") as folder:
        bot = CorpusBot(settings, Library(Corpus(documents=())))
        bot.storage = await open_storage(Path(folder) / "commands.sqlite3")
        try:
            for name in EXTENSIONS:
                await bot.load_extension(name)
            return [command.to_dict(bot.tree) for command in bot.tree.get_commands()]
        finally:
            await bot.close()


def describe(payload: list[dict[str, Any]]) -> str:
    """One line per command: kind, name, where it can be used and who can install it."""
    lines = []
    for command in payload:
        kind = KINDS.get(command.get("type", 1), "?")
        name = command["name"] if kind != "slash" else f"/{command['name']}"
        where = ", ".join(CONTEXTS.get(c, str(c)) for c in command.get("contexts") or [0])
        who = ", ".join(INSTALLS.get(i, str(i)) for i in command.get("integration_types") or [0])
        lines.append(f"{name:<24} {kind:<13} {where:<28} {who}")
    return "\n".join(lines)


def cmd_commands(args: argparse.Namespace, settings: Settings) -> int:
    """Print the synced command payload (``--json``: exactly as sent) or a table of it."""
    payload = asyncio.run(command_payload(settings))
    if args.json:
        print(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        print(describe(payload))
    return 0
