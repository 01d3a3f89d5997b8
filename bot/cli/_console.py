"""``corpusbot console``: parsing a typed slash command line into a command and options
(the prompt itself is :mod:`bot.console`).
"""

from __future__ import annotations

import argparse
import contextlib
import re
import shlex
from typing import TextIO

from bot.core.errors import UserError
from bot.settings import Settings

CONSOLE_HELP = """\
Type a slash command as you would in Discord; options as name:value (quote values with spaces).
  /quote [document:ID] [contains:WORDS] [speaker:NAME] [card:true (written to a PNG file)]
  /search QUERY [document:ID] [limit:N]
  /summary [document:ID] [length:short|medium|long|key_points] [sentences:N] [section:N]
  /sources [document:ID]
  /about      /reload (read the corpus again; SIGHUP does it too)      /help      /quit
"""

_PRIMARY = {"search": "query", "summary": "document", "quote": "contains", "sources": "document"}
"""The option that a command's free text (words without ``name:``) fills."""

CONSOLE_OPTIONS: dict[str, tuple[str, ...]] = {
    "quote": ("document", "contains", "speaker", "card"),
    "search": ("query", "document", "limit"),
    "summary": ("document", "length", "sentences", "section"),
    "sources": ("document",),
    "about": (),
    "reload": (),
}
"""The options each console command accepts, as in Discord."""

_OPTION_TOKEN = re.compile(r"^(?P<name>[A-Za-z_][A-Za-z0-9_-]*):(?P<value>.*)$", re.DOTALL)


def _console_tokens(text: str) -> list[str]:
    """Shell-like words; an apostrophe alone ("don't") is a letter, an unclosed " an error."""
    try:
        return shlex.split(text)
    except ValueError:
        pass
    lexer = shlex.shlex(text, posix=True)
    lexer.whitespace_split = True
    lexer.commenters = ""
    lexer.quotes = '"'
    try:
        return list(lexer)
    except ValueError:
        raise UserError(
            f"A quotation mark is not closed in “/{text}”. Close it, e.g. "
            '/quote contains:"sleep easy".'
        ) from None


def parse_console_line(line: str) -> tuple[str, dict[str, str]]:
    """Split a console line like ``/search jaw jaw limit:2`` into ``("search", {...})``.

    Words of the form ``name:value`` are options (quote a value with spaces:
    ``contains:"sleep easy"``); other words are the command's free text (the query of
    ``/search``, the document of ``/summary``, the phrase of ``/quote``). Commands other than
    those of :data:`CONSOLE_OPTIONS` are returned as typed, for the caller to refuse.

    Raises:
        UserError: the line is not a slash command; a quotation mark is not closed; an option
            the command does not have (the message lists its options); an option given twice;
            free text and the option it fills given both (``/summary emma document:kim``).
    """
    line = line.strip()
    if not line.startswith("/"):
        raise UserError("Commands start with a slash, e.g. /quote or /search jaw jaw. Type /help.")
    tokens = _console_tokens(line[1:])
    if not tokens:
        raise UserError("Type a command after the slash, e.g. /quote. Type /help.")
    command, rest = tokens[0].lower(), tokens[1:]
    allowed = CONSOLE_OPTIONS.get(command)
    options: dict[str, str] = {}
    free: list[str] = []
    for token in rest:
        match = _OPTION_TOKEN.match(token)
        if match is None:
            free.append(token)
            continue
        name, value = match.group("name").lower(), match.group("value")
        if allowed is not None and name not in allowed and (not value or value.startswith("/")):
            free.append(token)  # "Note:" or "https://…" in a query is a word, not an option
            continue
        if allowed is not None and name not in allowed:
            listed = ", ".join(f"{o}:" for o in allowed) if allowed else "none"
            raise UserError(
                f"/{command} has no option “{match.group('name')}:”. Its options: {listed}."
            )
        if name in options:
            raise UserError(f"The option {name}: is given twice; give it once.")
        options[name] = value
    if free and command in _PRIMARY:
        primary = _PRIMARY[command]
        if primary in options:
            raise UserError(
                f"“{' '.join(free)}” and {primary}:{options[primary]} both give the {primary}; "
                "give it once."
            )
        options[primary] = " ".join(free)
    elif free and allowed is not None:
        raise UserError(f"/{command} takes no text, only options; “{' '.join(free)}” is extra.")
    return command, options


def _line_editing() -> None:
    """Line editing and history (arrow keys, Ctrl-R) for ``input()``: importing the standard
    ``readline`` module turns them on; absent on some platforms, where the prompt stays plain."""
    with contextlib.suppress(ImportError):  # Windows without pyreadline
        import readline  # noqa: F401


def cmd_console(
    args: argparse.Namespace, settings: Settings, *, stdin: TextIO | None = None
) -> int:
    """An interactive prompt that answers slash commands as the bot would (see bot.console)."""
    from bot.console import run_console

    return run_console(settings, stdin=stdin)
