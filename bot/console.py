"""``corpusbot console``: the slash commands answered in a terminal, as text.

Lines are parsed by :func:`bot.cli.parse_console_line` and answered by the same code as the
one-shot commands; on top of that the console writes a quote card (``/quote card:true``) to a
PNG file and says where (a terminal cannot show an image), names the commands that only work in
a Discord server instead of calling them unknown, and reloads the corpus on ``/reload`` and on
``SIGHUP``, as ``corpusbot run`` does.
"""

from __future__ import annotations

import contextlib
import signal
import sys
import tempfile
import time
from collections.abc import Iterator
from types import FrameType
from typing import TextIO

from bot import render
from bot.core.errors import CorpusError, UserError
from bot.core.library import Library
from bot.settings import ConfigError, Settings

#: Commands that act on a Discord server (its channels, members or settings): the console
#: explains instead of answering.
DISCORD_ONLY = {
    "reading": "/reading runs a reading club in a Discord channel, so it only works in Discord. "
    "To see a document's instalments here, run: corpusbot reading DOCUMENT",
    "documents": "/documents turns documents on and off for a Discord server, so it only works "
    "in Discord. Here every document is on.",
    "card_style": "/card_style sets a Discord server's card look, so it only works in Discord. "
    "To choose a look here, run: corpusbot card --style light|dark|ink --out FILE.png",
    "sync": "/sync registers the commands with Discord, so it only works in Discord. From the "
    "shell: corpusbot run --sync",
}

_YES = {"true", "yes", "on", "1"}
_NO = {"false", "no", "off", "0", ""}


def _flag(options: dict[str, str], name: str) -> bool:
    """A true/false option (``card:true``), removed from ``options``."""
    value = options.pop(name, "false").strip().lower()
    if value in _YES:
        return True
    if value in _NO:
        return False
    raise UserError(f"{name}: takes true or false, not “{value}”.")


class ConsoleSession:
    """The console's library and settings, and the answer to one line.

    ``reload`` replaces the library the way the bot's reloader does (a failed reload keeps the
    old one and says why); ``on_hangup`` is the ``SIGHUP`` handler: it reloads at once while the
    console waits for input, or right after the command being answered.
    """

    def __init__(self, settings: Settings, library: Library, out: TextIO) -> None:
        self.settings = settings
        self.library = library
        self.out = out
        self.busy = False
        self.pending = False

    def answer(self, line: str) -> str:
        """The text reply to one console line (a user error is answered, not raised)."""
        from bot.cli import _answer, parse_console_line

        try:
            command, options = parse_console_line(line)
            if command in DISCORD_ONLY:
                raise UserError(DISCORD_ONLY[command])
            if command == "reload":
                return self.reload("/reload")
            if command == "quote" and _flag(options, "card"):
                return self._card(options)
            reply, _ = _answer(self.library, self.settings, command, options)
        except UserError as error:
            reply = render.user_error(str(error))
        return render.reply_text(reply)

    def _card(self, options: dict[str, str]) -> str:
        """``/quote card:true``: the quote as text, and its card written to a PNG file."""
        from bot.cards import DEFAULT_STYLE, render_card
        from bot.render_community import card_text

        quote, document = self.library.quote(
            document=options.get("document"),
            contains=options.get("contains"),
            speaker=options.get("speaker"),
        )
        png = render_card(*card_text(quote, document), DEFAULT_STYLE)
        handle, name = tempfile.mkstemp(prefix="corpusbot-card-", suffix=".png")
        with open(handle, "wb") as file:
            file.write(png)
        text = render.reply_text(render.quote_reply(quote, document))
        return f"{text}\n(A terminal cannot show the card: it is in {name}, {len(png):,} bytes.)"

    def reload(self, trigger: str) -> str:
        """Read the corpus again; the words for what changed (or why nothing did)."""
        from bot.cli import load_library
        from bot.reload import ReloadOutcome, compare, failure_reason, reload_text

        started = time.perf_counter()
        old = self.library
        try:
            new, _ = load_library(self.settings)
        except (CorpusError, ConfigError) as error:
            reason = failure_reason(error)
            outcome = ReloadOutcome(False, reason, documents=len(old.corpus), trigger=trigger)
            return reload_text(outcome)
        self.library = new
        added, removed, changed = compare(old, new)
        problems = tuple(f"{p.path}: {p.reason}" for p in new.corpus.problems if not p.skipped)
        seconds = time.perf_counter() - started
        outcome = ReloadOutcome(
            True, None, added, removed, changed, problems, len(new.corpus), seconds, trigger
        )
        return reload_text(outcome)

    def on_hangup(self, signum: int, frame: FrameType | None) -> None:
        """``SIGHUP``: reload now, or after the command being answered."""
        if self.busy:
            self.pending = True
            return
        self._say_reload()

    def _say_reload(self) -> None:
        self.pending = False
        self.out.write(f"\n(SIGHUP) {self.reload('SIGHUP')}\n\n")
        self.out.flush()

    @contextlib.contextmanager
    def answering(self) -> Iterator[None]:
        """Around one command: a ``SIGHUP`` meanwhile reloads once it is answered."""
        self.busy = True
        try:
            yield
        finally:
            self.busy = False
            if self.pending:
                self._say_reload()

    @contextlib.contextmanager
    def hangup_reloads(self) -> Iterator[None]:
        """Install :meth:`on_hangup` for ``SIGHUP`` (where the platform has it, from the main
        thread), and put the previous handler back afterwards."""
        hangup = getattr(signal, "SIGHUP", None)
        previous = None
        if hangup is not None:
            with contextlib.suppress(ValueError):  # not the main thread
                previous = signal.signal(hangup, self.on_hangup)
        try:
            yield
        finally:
            if hangup is not None and previous is not None:
                signal.signal(hangup, previous)


def _lines(stdin: TextIO, interactive: bool) -> Iterator[str]:
    """The lines typed, until end of input; Ctrl-C drops a line at the prompt."""
    while True:
        if interactive:
            try:
                line = input("> ")
            except EOFError:
                return
            except KeyboardInterrupt:  # Ctrl-C drops the line, as in Python's own prompt
                print()
                continue
        else:
            line = stdin.readline()
            if not line:
                return
        yield line


def _prompt(session: ConsoleSession, stdin: TextIO) -> None:
    """Answer the lines typed until end of input or /quit."""
    from bot.cli import CONSOLE_HELP, _line_editing

    interactive = stdin.isatty()
    if interactive:
        _line_editing()
    for raw in _lines(stdin, interactive):
        line = raw.strip()
        if not line:
            continue
        if line in ("/quit", "/exit", "quit", "exit"):
            break
        if line.split()[0] in ("/help", "help", "?"):
            print(CONSOLE_HELP, flush=True)
            continue
        if not interactive:
            print(f"> {line}")
        with session.answering():
            try:
                text = session.answer(line)
            except KeyboardInterrupt:
                if not interactive:
                    raise
                print("(interrupted)")
                continue
            print(text, end="\n\n", flush=True)


def run_console(settings: Settings, *, stdin: TextIO | None = None) -> int:
    """An interactive prompt that answers slash commands as the bot would, rendered as text."""
    from bot.cli import EXIT_OK, load_library

    stdin = stdin or sys.stdin
    library, _ = load_library(settings)
    session = ConsoleSession(settings, library, sys.stdout)
    with session.hangup_reloads():  # before the banner: a SIGHUP after it reloads
        count = len(library.corpus)
        print(
            f"corpusbot console: {count} document{'s' if count != 1 else ''} loaded. "
            "Type /help, /quit to leave.",
            flush=True,
        )
        _prompt(session, stdin)
    return EXIT_OK
