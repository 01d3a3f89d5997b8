"""The CLI in a terminal and in a pipeline: closed pipes, Ctrl-C, --version, unquoted queries,
line editing in the console."""

from __future__ import annotations

import builtins
import io
import json
import logging
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot import cli
from bot.cli import main

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.chdir(tmp_path)
    for name in ("DISCORD_TOKEN", "CORPUSBOT_CONFIG", "CORPUSBOT_STORAGE"):
        monkeypatch.delenv(name, raising=False)
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def _corpusbot(*args: str, **kwargs: object) -> subprocess.Popen[bytes]:
    return subprocess.Popen(  # type: ignore[call-overload, no-any-return]
        [sys.executable, "-m", "bot", *args],
        cwd=ROOT,
        stderr=subprocess.PIPE,
        env={k: v for k, v in os.environ.items() if k != "DISCORD_TOKEN"},
        **kwargs,
    )


def test_output_into_a_closed_pipe_ends_quietly() -> None:
    # The reader is gone before the answer is written (what `| head -1` does after one line):
    # every write gets EPIPE, so this fails the same way on every run.
    read, write = os.pipe()
    os.close(read)
    process = _corpusbot("quote", stdout=write)
    os.close(write)
    _, err = process.communicate(timeout=60)
    assert b"Traceback" not in err, err.decode()
    assert b"BrokenPipeError" not in err
    assert process.returncode == 0


def _sigint_as_at_a_terminal() -> None:
    # A shell running tests in the background (CI runners do) starts them with SIGINT ignored,
    # and Python then installs no KeyboardInterrupt handler: give the child the terminal's default.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_ctrl_c_in_the_console_ends_without_a_traceback() -> None:
    process = _corpusbot(
        "console",
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        preexec_fn=_sigint_as_at_a_terminal,
    )
    assert process.stdout is not None
    banner = process.stdout.readline()  # the corpus is loaded, the console waits for a line
    assert b"corpusbot console" in banner
    time.sleep(0.2)
    process.send_signal(signal.SIGINT)
    # stdin stays open until the process has ended: closing it first (as communicate() does)
    # could let the console see end of input before the signal on a busy machine, and end with 0.
    process.wait(timeout=30)
    assert process.stderr is not None
    err = process.stderr.read()
    assert process.stdin is not None
    process.stdin.close()
    process.stdout.close()
    assert b"Traceback" not in err, err.decode()
    assert b"KeyboardInterrupt" not in err
    assert process.returncode == cli.EXIT_INTERRUPTED


def test_ctrl_c_at_the_interactive_prompt_drops_the_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    typed = iter([KeyboardInterrupt(), "/search jaw jaw", EOFError()])

    def fake_input(prompt: str = "") -> str:
        item = next(typed)
        if isinstance(item, BaseException):
            raise item
        return item

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(builtins, "input", fake_input)
    monkeypatch.delitem(sys.modules, "readline", raising=False)
    settings = cli.load_settings_from_args(cli.build_parser().parse_args(["console"]))
    assert (
        cli.cmd_console(cli.build_parser().parse_args(["console"]), settings, stdin=Terminal()) == 0
    )
    assert "jaw jaw" in capsys.readouterr().out
    assert "readline" in sys.modules  # line editing and history are on at the prompt


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--version"])
    assert exited.value.code == 0
    assert capsys.readouterr().out.strip() == "corpusbot 0.1.0"


def test_an_unquoted_search_joins_the_words(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["search", "jaw", "jaw", "is", "beter", "--json"]) == 0
    hits = json.loads(capsys.readouterr().out)
    assert "jaw jaw" in hits[0]["text"].lower()
