"""The command line as a user runs it: ``corpusbot`` / ``python -m bot``."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.cli import main, parse_console_line
from bot.core.errors import UserError

ROOT = Path(__file__).resolve().parents[2]
SEED = (ROOT / "seeds" / "trump-must-hold-kim-jong-un-to-account.txt").read_text(encoding="utf-8")


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Run every command in an empty folder with no config and no token; afterwards put the
    root logger back (``main`` configures it with the test's captured stderr, which closes)."""
    import logging

    monkeypatch.chdir(tmp_path)
    for name in ("DISCORD_TOKEN", "CORPUSBOT_CONFIG", "CORPUSBOT_STORAGE"):
        monkeypatch.delenv(name, raising=False)
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def _json(capsys: pytest.CaptureFixture[str], argv: list[str]) -> object:
    assert main(argv) == 0
    return json.loads(capsys.readouterr().out)


def test_run_without_token_explains_how_to_get_one(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "DISCORD_TOKEN"}
    result = subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert "DISCORD_TOKEN" in result.stderr
    assert "Reset Token" in result.stderr
    assert "corpusbot console" in result.stderr
    assert "Traceback" not in result.stderr


def test_check_prints_the_seed_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check"]) == 0
    out = capsys.readouterr().out
    for row in ("documents", "paragraphs", "sentences", "words", "load time"):
        assert row in out
    assert "Benedict Rogers" in out
    assert "│ 11 " in out  # paragraphs


def test_check_says_loaded_only_for_files_that_loaded(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "page.rtf").write_text("{\\\\rtf1 a letter}\n")
    (corpus / "smart.txt").write_bytes(
        b"Smart Quotes\n\n\x93Quoted,\x94 she said, \x93in Windows-1252.\x94\n"
    )
    assert main(["check", "--corpus", str(corpus)]) == 0
    err = capsys.readouterr().err.splitlines()
    [page] = [line for line in err if "page.rtf:" in line]
    [smart] = [line for line in err if "smart.txt:" in line and "WARNING" in line]
    assert "unsupported file type" in page
    assert "(loaded)" not in page  # skipped, not loaded
    assert smart.endswith("(loaded)")  # loaded with a caveat


def test_search_finds_churchill_first_with_the_span(capsys: pytest.CaptureFixture[str]) -> None:
    hits = _json(capsys, ["search", "jaw jaw is beter than war war", "--json"])
    assert isinstance(hits, list)
    assert hits
    best = hits[0]
    assert best["paragraph"] == 1
    assert "jaw jaw” is better than “war war" in best["match"]
    assert best["text"][best["match_start"] : best["match_end"]] == best["match"]
    assert main(["search", "jaw jaw is beter than war war"]) == 0
    assert "**jaw jaw" in capsys.readouterr().out


def test_summary_is_verbatim_and_in_document_order(capsys: pytest.CaptureFixture[str]) -> None:
    record = _json(capsys, ["summary", "--json"])
    assert isinstance(record, dict)
    sentences = record["sentences"]
    assert 3 <= len(sentences) <= 5
    positions = [SEED.index(s["text"]) for s in sentences]  # raises if not verbatim
    assert positions == sorted(positions)


def test_quote_json_is_a_verbatim_sentence_by_the_author(
    capsys: pytest.CaptureFixture[str],
) -> None:
    record = _json(capsys, ["quote", "--json"])
    assert isinstance(record, dict)
    assert record["author"] == "Benedict Rogers"
    assert record["text"] in SEED
    assert record["paragraph"] >= 1


def test_no_match_is_a_clear_message_and_exit_1(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["search", "zzqqxx"]) == 1
    assert "No passage matched" in capsys.readouterr().err


def test_batch_search_answers_each_line_with_timing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    queries = tmp_path / "queries.txt"
    queries.write_text(
        "jaw jaw is beter than war war\n\nsleep easy at nite\n!!!\n", encoding="utf-8"
    )
    results = _json(capsys, ["search", "--batch", str(queries), "--json"])
    assert isinstance(results, list)
    assert [r["query"] for r in results] == [
        "jaw jaw is beter than war war",
        "sleep easy at nite",
        "!!!",
    ]
    assert results[1]["hits"][0]["paragraph"] == 6
    assert "error" in results[2]
    assert results[2]["hits"] == []
    assert all(r["ms"] >= 0 for r in results)


def test_console_answers_like_the_bot(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import io

    monkeypatch.setattr(
        sys, "stdin", io.StringIO("/search jaw jaw\n/summary length:short\nhello\n/quit\n")
    )
    assert main(["console"]) == 0
    out = capsys.readouterr().out
    assert "== Search: jaw jaw ==" in out
    assert "sentences taken verbatim" in out
    assert "Commands start with a slash" in out


def test_console_line_parsing() -> None:
    assert parse_console_line("/search jaw jaw limit:2") == (
        "search",
        {"query": "jaw jaw", "limit": "2"},
    )
    assert parse_console_line('/quote contains:"sleep easy"') == (
        "quote",
        {"contains": "sleep easy"},
    )
    with pytest.raises(UserError):
        parse_console_line("quote")


def test_bad_config_names_the_key(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "config.yaml"
    config.write_text("search:\n  limit: 50\n", encoding="utf-8")
    assert main(["check", "--config", str(config)]) == 2
    err = capsys.readouterr().err
    assert "search.limit" in err


@pytest.fixture
def mixed_folder(tmp_path: Path) -> Path:
    """A corpus folder with one good document and one empty file."""
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "good.txt").write_text(
        "A Title\n\nA body paragraph that says something.\n", encoding="utf-8"
    )
    (folder / "empty.txt").write_bytes(b"")
    return folder


def test_bad_files_are_reported_and_the_rest_loads(
    mixed_folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = mixed_folder
    assert main(["check", "--corpus", str(folder)]) == 1  # a file that did not load: an error
    captured = capsys.readouterr()
    assert "empty.txt" in captured.out + captured.err
    assert "│ 1 " in captured.out


def test_no_documents_refuses_to_start(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "empty.txt").write_bytes(b"")
    assert main(["check", "--corpus", str(folder)]) == 1  # a file did not load
    err = capsys.readouterr().err
    assert "empty.txt" in err
    assert "No document could be loaded" in err
    (folder / "empty.txt").unlink()
    assert main(["check", "--corpus", str(folder)]) == 2  # nothing to read: the paths are wrong
    assert "contains no documents" in capsys.readouterr().err


DAILY_CONFIG = """\
daily:
  - guild_id: 123456789012345678
    channel_id: "234567890123456789"
    time: "02:30"
    timezone: Europe/Berlin
"""


def test_schedule_shows_the_spring_forward_shift(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(DAILY_CONFIG, encoding="utf-8")
    out = _json(
        capsys, ["schedule", "--config", str(config), "--now", "2026-03-28T12:00:00Z", "--json"]
    )
    assert isinstance(out, dict)
    times = out["schedules"][0]["next"]
    # 02:30 does not exist on 2026-03-29 in Berlin: posted at the first valid instant, 03:00 CEST.
    assert times[0]["local"] == "2026-03-29T03:00:00+02:00"
    assert times[1]["utc"] == "2026-03-30T00:30:00+00:00"
    assert len(times) == 3


def test_schedule_rejects_a_naive_instant(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(DAILY_CONFIG, encoding="utf-8")
    assert main(["schedule", "--config", str(config), "--now", "2026-03-28T12:00:00"]) == 2
    assert "UTC offset" in capsys.readouterr().err


def test_check_lists_configured_schedules(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(DAILY_CONFIG, encoding="utf-8")
    assert main(["check", "--config", str(config)]) == 0
    out = capsys.readouterr().out
    assert "daily schedules" in out
    assert "Europe/Berlin" in out


def test_console_survives_bad_option_values(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import io

    lines = "/summary sentences:abc\n/search peace limit:abc\n/search peace limit:0\n/daily show\n/help me\n"
    monkeypatch.setattr(sys, "stdin", io.StringIO(lines))
    assert main(["console"]) == 0
    out = capsys.readouterr().out
    assert "sentences must be a whole number from 1 to 25, not “abc”" in out
    assert "limit must be a whole number from 1 to 10" in out
    assert "limit must be from 1 to 10, not 0" in out
    assert "only works in Discord" in out
    assert "Type a slash command" in out  # /help with an argument still helps


@pytest.mark.parametrize("limit", ["0", "-1", "99"])
def test_out_of_range_limit_is_refused(limit: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["search", "peace", "--limit", limit]) == 1
    assert "limit must be from 1 to 10" in capsys.readouterr().err


def test_batch_with_an_unreadable_file_is_a_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["search", "--batch", str(tmp_path / "missing.txt")]) == 2
    assert main(["search", "--batch", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "cannot read the queries file" in err
    assert "Traceback" not in err


def test_summary_accepts_document_as_option_and_id_prefix(
    capsys: pytest.CaptureFixture[str],
) -> None:
    record = _json(capsys, ["summary", "--document", "kim", "--json", "--length", "short"])
    assert isinstance(record, dict)
    assert record["document_id"] == "kim-human-rights"
    assert main(["summary", "nope-nothing"]) == 1
    err = capsys.readouterr().err
    assert "kim-human-rights" in err  # the message lists the documents there are


def test_check_fails_when_a_file_did_not_load_and_strict_fails_on_caveats_too(
    mixed_folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = mixed_folder
    assert main(["check", "--corpus", str(folder), "--strict"]) == 1
    assert "1 file not loaded" in capsys.readouterr().out
    assert main(["check", "--corpus", str(folder), "--json"]) == 1
    assert json.loads(capsys.readouterr().out)["not_loaded"] == 1
    caveats = tmp_path / "caveats"
    caveats.mkdir()
    (caveats / "smart.txt").write_bytes(b"Smart\n\n\x93Quoted,\x94 she said, in cp1252.\n")
    assert main(["check", "--corpus", str(caveats)]) == 0  # a warning only
    assert main(["check", "--corpus", str(caveats), "--json"]) == 0
    assert main(["check", "--corpus", str(caveats), "--strict"]) == 1
    assert main(["check", "--corpus", str(caveats), "--json", "--strict"]) == 1


def test_corpus_store_is_written_then_reused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "config.yaml"
    config.write_text("corpus:\n  cache_dir: cache\n", encoding="utf-8")
    assert main(["check", "--config", str(config)]) == 0
    out = capsys.readouterr().out
    assert "0 documents, 0 with quotes and summaries" in out  # from the store
    assert "1 parsed, 1 derived, search index" in out  # rebuilt
    assert list((tmp_path / "cache" / "index").glob("*/meta.json"))
    assert main(["check", "--config", str(config)]) == 0
    out = capsys.readouterr().out
    assert "1 document, 1 with quotes and summaries, search index" in out
    assert "0 parsed, 0 derived" in out
    hits = _json(capsys, ["search", "jaw jaw", "--json", "--config", str(config)])
    assert isinstance(hits, list)
    assert hits[0]["paragraph"] == 1


def test_run_without_discord_reachable_is_one_clear_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DISCORD_TOKEN", "not-a-real-token")
    monkeypatch.setenv("CORPUSBOT_API_BASE", "http://127.0.0.1:9/api/v10")  # nothing listens there
    import discord.http

    base = discord.http.Route.BASE
    try:
        assert main(["run"]) == 2
    finally:
        discord.http.Route.BASE = base  # run points the whole process at the api_base
    err = capsys.readouterr().err
    assert "cannot reach Discord at http://127.0.0.1:9/api/v10" in err
    assert "Traceback" not in err
    assert "not-a-real-token" not in err


def _daily_config(tmp_path: Path, documents: str) -> Path:
    config = tmp_path / "daily.yaml"
    config.write_text(
        "daily:\n"
        "  - {guild_id: 123456789012345678, channel_id: 234567890123456789, time: '09:00',\n"
        f"     timezone: UTC, documents: {documents}}}\n",
        encoding="utf-8",
    )
    return config


@pytest.mark.parametrize("command", [["check"], ["schedule"], ["schedule", "--json"]])
def test_an_unknown_daily_document_is_a_config_error(
    command: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = _daily_config(tmp_path, "[kim-human-right, nope]")
    assert main([*command, "--config", str(config)]) == 2
    captured = capsys.readouterr()
    assert "config and corpus OK" not in captured.out
    assert "daily[0].documents[0]" in captured.err
    assert "Did you mean kim-human-rights?" in captured.err
    assert 'daily[0].documents[1]: no document has the id "nope"' in captured.err
    assert "Document ids: kim-human-rights." in captured.err


def test_known_daily_documents_pass_check_and_schedule(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = _daily_config(tmp_path, "[kim-human-rights]")
    assert main(["check", "--config", str(config)]) == 0
    assert "config and corpus OK" in capsys.readouterr().out
    assert main(["schedule", "--config", str(config)]) == 0
    assert "guild 123456789012345678" in capsys.readouterr().out


def test_run_refuses_an_unknown_daily_document_before_connecting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DISCORD_TOKEN", "not-a-real-token")
    monkeypatch.setenv("CORPUSBOT_API_BASE", "http://127.0.0.1:9/api/v10")  # never reached
    config = _daily_config(tmp_path, "[nope]")
    assert main(["run", "--config", str(config)]) == 2
    err = capsys.readouterr().err
    assert "daily[0].documents[0]" in err
    assert "cannot reach Discord" not in err


def _storage_cases(tmp_path: Path) -> dict[str, tuple[str, str]]:
    not_sqlite = tmp_path / "notes.sqlite3"
    not_sqlite.write_text("not a database\n", encoding="utf-8")
    a_file = tmp_path / "plain-file"
    a_file.write_text("x", encoding="utf-8")
    return {
        "folder": (str(tmp_path), "is a folder"),
        "pseudo file system": ("/proc/x.sqlite3", "cannot create files in the folder /proc"),
        "not a database": (str(not_sqlite), "cannot be used as a SQLite database"),
        "under a file": (str(a_file / "x.db"), "is not a folder"),
    }


@pytest.mark.parametrize("case", ["folder", "pseudo file system", "not a database", "under a file"])
def test_check_reports_an_unusable_storage_path(
    case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    value, reason = _storage_cases(tmp_path)[case]
    monkeypatch.setenv("CORPUSBOT_STORAGE", value)
    assert main(["check"]) == 2
    captured = capsys.readouterr()
    assert "config and corpus OK" not in captured.out
    assert "storage.path (from the environment variable CORPUSBOT_STORAGE)" in captured.err
    assert reason in captured.err


def test_check_accepts_a_new_storage_file_and_does_not_create_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "new" / "bot.sqlite3"
    monkeypatch.setenv("CORPUSBOT_STORAGE", str(target))
    assert main(["check"]) == 0
    assert "config and corpus OK" in capsys.readouterr().out
    assert not target.exists()
    assert not target.parent.exists()


@pytest.mark.parametrize(
    "argv",
    [
        ["--corpus", "{folder}", "check"],
        ["check", "--corpus", "{folder}"],
        ["-v", "--config", "{config}", "check"],
    ],
)
def test_common_options_go_before_or_after_the_command(
    argv: list[str], mixed_folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "c.yaml"
    config.write_text(f"corpus:\n  paths: [{mixed_folder}]\n", encoding="utf-8")
    values = {"folder": str(mixed_folder), "config": str(config), "seeds": str(ROOT / "seeds")}
    assert main([a.format(**values) for a in argv]) == 1  # mixed_folder's empty.txt
    out = capsys.readouterr().out
    assert "A Title" in out  # the document of mixed_folder, not the seeds
    assert "Benedict Rogers" not in out


def test_corpus_before_and_after_the_command_adds_up_in_order(
    mixed_folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seeds = str(ROOT / "seeds")
    assert main(["--corpus", seeds, "check", "--corpus", str(mixed_folder)]) == 1  # empty.txt
    out = capsys.readouterr().out
    assert "A Title" in out  # the document of mixed_folder
    assert "Benedict Rogers" in out  # and the seeds
    assert out.index("Benedict Rogers") < out.index("A Title")  # in command-line order


def test_a_failed_storage_open_stops_its_sqlite_thread_before_returning(tmp_path: Path) -> None:
    """``run`` on an unusable storage file: aiosqlite's worker thread must be finished while the
    loop is still open, or it prints "RuntimeError: Event loop is closed" after exit."""
    import asyncio
    import sqlite3
    import threading

    from bot.storage import SQLiteStorage

    def workers() -> list[threading.Thread]:
        return [
            t
            for t in threading.enumerate()
            if "_connection_worker_thread" in t.name and t.is_alive()
        ]

    async def attempt() -> list[threading.Thread]:
        with pytest.raises(sqlite3.Error):
            await SQLiteStorage.open(tmp_path)  # a folder
        return workers()

    before = set(workers())
    for _ in range(5):
        assert [t for t in asyncio.run(attempt()) if t not in before] == []


# ---- empty corpus paths, odd time zones, messages ---------------------------------------------


def test_an_empty_corpus_path_is_refused_not_read_as_the_working_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "stray.txt").write_text("Stray\n\nA file that must not be loaded.\n")
    assert main(["check", "--corpus", ""]) == 2
    err = capsys.readouterr().err
    assert "corpus.paths[0] (from --corpus): an empty path" in err
    config = tmp_path / "sub" / "c.yaml"
    config.parent.mkdir()
    config.write_text('corpus:\n  paths: [""]\n', encoding="utf-8")
    assert main(["check", "--config", str(config)]) == 2
    captured = capsys.readouterr()
    assert "corpus.paths[0] (line 2): an empty path" in captured.err
    assert "Stray" not in captured.out


def test_a_missing_corpus_path_names_the_folder_it_was_resolved_from(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "conf"
    folder.mkdir()
    config = folder / "c.yaml"
    config.write_text("corpus:\n  paths: [nowhere]\n", encoding="utf-8")
    assert main(["check", "--config", str(config)]) == 2
    err = capsys.readouterr().err
    assert f"corpus.paths[0]: {folder / 'nowhere'} does not exist" in err
    assert f"resolved from the config file's folder {folder})" in err
    assert main(["check", "--config", str(config), "--corpus", "elsewhere"]) == 2
    err = capsys.readouterr().err
    assert "corpus.paths[0] (from --corpus)" in err
    assert f"resolved from the working directory {tmp_path})" in err


def test_batch_reads_only_regular_files_up_to_a_cap_and_falls_back_to_cp1252(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import threading

    import bot.cli._batch

    fifo = tmp_path / "queries.fifo"
    os.mkfifo(fifo)

    def release_a_blocked_reader() -> None:  # so that a regression fails instead of hanging
        if not done.wait(5):
            fd = os.open(fifo, os.O_WRONLY)
            os.close(fd)

    done = threading.Event()
    helper = threading.Thread(target=release_a_blocked_reader, daemon=True)
    helper.start()
    status = main(["search", "--batch", str(fifo)])
    done.set()
    helper.join()
    assert status == 2  # opening a named pipe blocks until a writer comes
    assert "not a regular file" in capsys.readouterr().err
    assert main(["search", "--batch", "/dev/zero"]) == 2
    assert "not a regular file" in capsys.readouterr().err

    monkeypatch.setattr(bot.cli._batch, "BATCH_MAX_BYTES", 64)
    big = tmp_path / "big.txt"
    big.write_text("jaw jaw\n" * 20, encoding="utf-8")
    assert main(["search", "--batch", str(big)]) == 2
    assert "has 160 bytes, more than the 64 bytes allowed" in capsys.readouterr().err
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"war\n" * 40)))
    assert main(["search", "--batch", "-"]) == 2
    assert "standard input: more than the 64 bytes allowed" in capsys.readouterr().err
    monkeypatch.undo()

    cp1252 = tmp_path / "cp1252.txt"
    cp1252.write_bytes("jaw jaw is better than war\ncaf\xe9 \x93quoted\x94\n".encode("latin-1"))
    assert main(["search", "--batch", str(cp1252), "--json"]) == 0
    captured = capsys.readouterr()
    assert [e["query"] for e in json.loads(captured.out)] == [
        "jaw jaw is better than war",
        "café “quoted”",
    ]
    assert "cp1252" in captured.err


@pytest.mark.parametrize("now", ["9999-12-31T23:59:00Z", "0001-01-01T00:00:00Z"])
def test_schedule_now_out_of_range_is_a_message_with_the_range(
    now: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "c.yaml"
    config.write_text(
        "daily:\n  - {guild_id: 123456789012345678, channel_id: 234567890123456789, "
        'time: "02:30", timezone: Europe/Berlin}\n',
        encoding="utf-8",
    )
    assert main(["schedule", "--config", str(config), "--now", now]) == 2
    err = capsys.readouterr().err
    assert "from 0002-01-01T00:00:00Z to 9997-12-31T23:59:59Z" in err
    assert "Traceback" not in err
    assert main(["schedule", "--config", str(config), "--now", "9997-12-31T23:59:59Z"]) == 0


def test_schedule_shows_etc_zones_with_their_real_offset(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "c.yaml"
    config.write_text(
        "daily:\n  - {guild_id: 123456789012345678, channel_id: 234567890123456789, "
        'time: "09:00", timezone: UTC+2}\n',
        encoding="utf-8",
    )
    assert main(["schedule", "--config", str(config), "--now", "2026-01-01T00:00:00Z"]) == 0
    out = capsys.readouterr().out
    assert "09:00 UTC+2 (Etc/GMT-2)" in out
    assert "2026-01-01T07:00:00+00:00" in out


def test_check_counts_files_and_manifests_in_words(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "m"
    folder.mkdir()
    (folder / "one.txt").write_text("Essay One\n\nThe only paragraph of it.\n", encoding="utf-8")
    (folder / "corpus.yaml").write_text(
        "documents:\n  one.txt:\n    id: a\n  one.txt:\n    id: b\n", encoding="utf-8"
    )
    assert main(["check", "--corpus", str(folder)]) == 1
    captured = capsys.readouterr()
    assert "1 document loaded, 1 corpus manifest not used" in captured.out
    assert "not loaded" not in captured.out.replace("files not loaded (or", "")
    assert "files with problems │ 1 (1 manifest not used)" in captured.out
    assert "INFO" not in captured.err  # only warnings, unless -v

    (folder / "corpus.yaml").unlink()
    (folder / "smart.txt").write_bytes(b"Smart\n\n\x93Quoted,\x94 she said, in cp1252.\n")
    (folder / "empty.txt").write_bytes(b"")
    assert main(["check", "--corpus", str(folder)]) == 1
    out = capsys.readouterr().out
    assert "files with problems │ 2 (1 not loaded)" in out  # the caveat counts as a problem
    assert "2 documents loaded, 1 file not loaded" in out
    assert main(["-v", "check", "--corpus", str(folder)]) == 1
    assert "INFO" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("/quote foo:bar", ["/quote has no option “foo:”", "document:, contains:, speaker:"]),
        ("/search whale foo:bar", ["/search has no option “foo:”", "query:, document:, limit:"]),
        ('/quote contains:"unterminated', ["quotation mark is not closed"]),
        ("/summary emma document:kim", ["both give the document"]),
        ("/search peace limit:1 limit:2", ["limit: is given twice"]),
    ],
)
def test_console_refuses_unknown_options_and_bad_quoting(line: str, expected: list[str]) -> None:
    with pytest.raises(UserError) as caught:
        parse_console_line(line)
    for text in expected:
        assert text in str(caught.value)


def test_console_keeps_apostrophes_and_colon_words_in_free_text() -> None:
    assert parse_console_line("/search don't panic") == ("search", {"query": "don't panic"})
    assert parse_console_line("/search Note: whale") == ("search", {"query": "Note: whale"})
    assert parse_console_line("/search see https://example.org/x") == (
        "search",
        {"query": "see https://example.org/x"},
    )
    assert parse_console_line("/quote Document:kim") == ("quote", {"document": "kim"})


def test_console_reports_an_unknown_option_instead_of_answering(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import io

    monkeypatch.setattr(sys, "stdin", io.StringIO("/quote foo:bar\n"))
    assert main(["console"]) == 0
    out = capsys.readouterr().out
    assert "/quote has no option “foo:”" in out
    assert "[Paragraph" not in out  # no random quote instead of the error


def test_summary_refuses_a_document_given_twice(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["summary", "nosuch", "--document", "kim-human-rights"]) == 2
    err = capsys.readouterr().err
    assert "nosuch" in err
    assert "not both" in err


def test_check_strict_fails_on_a_document_without_an_author(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "anonymous"
    folder.mkdir()
    (folder / "notes.txt").write_text(
        "Notes\n\nA paragraph long enough to be read as the body of a document.\n",
        encoding="utf-8",
    )
    assert main(["check", "--corpus", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "no author found" in out
    assert "1 file loaded with a caveat" in out  # the verdict does not say plainly "OK"
    assert main(["check", "--corpus", str(folder), "--strict"]) == 1
    assert main(["check", "--corpus", str(folder), "--strict", "--json"]) == 1


def test_check_json_lists_the_files_when_none_loaded(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "broken"
    folder.mkdir()
    (folder / "empty.txt").write_bytes(b"")
    (folder / "fake.docx").write_bytes(b"not a zip archive")
    assert main(["check", "--corpus", str(folder), "--json"]) == 1  # files did not load: 1
    record = json.loads(capsys.readouterr().out)
    assert record["documents"] == 0
    assert record["not_loaded"] == 2
    assert {Path(row["file"]).name for row in record["files"]} == {"empty.txt", "fake.docx"}
    assert {row["status"] for row in record["files"]} == {"not loaded"}
    assert main(["check", "--corpus", str(folder)]) == 1
    err = capsys.readouterr().err
    assert "fake.docx" in err
    assert "Traceback" not in err


def test_an_unknown_document_in_the_terminal_names_no_discord_option(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["quotes", "no-such-document"]) == 1
    err = capsys.readouterr().err
    assert "There is no document called “no-such-document”" in err
    assert "In Discord" not in err
