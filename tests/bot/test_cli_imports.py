"""The CLI loads what a command needs: ``check`` and the one-shot commands start without the
Discord client, the card renderer (Pillow, fonts) or readers of formats the corpus lacks."""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = ("discord", "aiohttp", "PIL", "bot.cards.card", "lxml", "markdown_it", "bot.render")


def test_importing_the_cli_leaves_the_heavy_modules_out() -> None:
    code = (
        "import json, sys; import bot.cli; from bot.cli._parser import build_parser; "
        "build_parser().parse_args(['check']); "
        f"print(json.dumps([m for m in {list(HEAVY)!r} if m in sys.modules]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert json.loads(result.stdout) == []
