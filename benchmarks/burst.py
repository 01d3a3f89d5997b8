"""One member's burst of costly commands, with and without the per-member cooldowns.

Usage::

    .venv/bin/python -m benchmarks.burst [--burst 40] [--others 5] [--corpus DIR ...]

The real :class:`bot.client.CorpusBot` serves the Discord double (on the same event loop, for
simplicity: the double's work is part of what is measured, which favours neither side). One member
sends ``--burst`` costly commands at once (``/search`` with 12-40 misspelt words taken from the
corpus, ``/summary`` of whole documents, ``/quote contains:``); 0.2 s later ``--others`` members,
each in their own channel, send three ``/search`` commands one after the other. Measured for the
other members, per interaction: *ack* (first response: Discord's 3 s deadline) and *answer* (the
reply itself, after a deferral the follow-up), from the double's dispatch time; and how many of
the burst were answered or refused ("try again in N s"). Compared in the same run: cooldowns on
(``bot.cooldowns.Limits()``, the product) against off. Default corpus: the ten novels of
``tools/gather_books.sh`` when gathered (``benchmarks/data/books``), else the seed essays.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks._summary_data import SEED_DIR, fetch_books
from benchmarks.load import LENGTHS, _phrase, load_library, typo
from bot import cooldowns
from bot.client import CorpusBot
from bot.core.library import Library
from bot.settings import load_settings
from tests.double import DiscordDouble, connect_bot, payloads

CB_DEFER = 5


@dataclass(frozen=True)
class Timing:
    ack: float
    answer: float
    refused: bool


@dataclass(frozen=True)
class Row:
    cooldowns: str
    burst_answered: int
    burst_refused: int
    others: tuple[Timing, ...]


def burst_payloads(library: Library, n: int, user_id: str, seed: int = 0) -> list[dict[str, Any]]:
    """``n`` costly commands from ``user_id``: searches, whole-document summaries, quotes."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        doc = rng.choice(library.corpus.documents)
        if i % 3 == 0:
            opts: dict[str, Any] = {"document": doc.id, "length": rng.choice(LENGTHS)}
            out.append(payloads.slash_command("summary", opts, user_id=user_id))
        elif i % 3 == 1:
            phrase, _ = _phrase(library, rng, 12, 40)
            opts = {"query": typo(phrase, rng)[:300]}
            out.append(payloads.slash_command("search", opts, user_id=user_id))
        else:
            word = max(_phrase(library, rng, 3, 6)[0].split(), key=len)
            opts = {"contains": typo(word, rng, 1.0)[:100]}
            out.append(payloads.slash_command("quote", opts, user_id=user_id))
    return out


async def _timed(double: DiscordDouble, payload: dict[str, Any], patience: float) -> Timing:
    handle = await double.send_interaction(payload)
    body = await handle.response(patience)
    ack = time.monotonic() - handle.delivered_at
    if body["type"] == CB_DEFER:
        await handle.followups(1, patience)
    answer = time.monotonic() - handle.delivered_at
    shown = handle.followup_messages[-1] if handle.followup_messages else handle.original
    refused = "try again in" in str((shown or {}).get("content") or "")
    return Timing(ack, answer, refused)


async def run(library: Library, *, limits: cooldowns.Limits | None, burst: int, others: int) -> Row:
    """One measured run (a fresh bot and double)."""
    with tempfile.TemporaryDirectory() as tmp:
        settings = load_settings(None, env={"CORPUSBOT_STORAGE": str(Path(tmp) / "b.sqlite3")})
        bot = CorpusBot(settings, library, sync=True, guild_ready_timeout=0.1)
        bot.cooldowns = limits
        async with DiscordDouble() as double, connect_bot(bot, double, timeout=30.0):
            double.interaction_deadline = 60.0  # measure lateness instead of failing on it
            gid = double.guild_id
            burster = double.add_member(gid, "burster")
            members = [
                (double.add_member(gid, f"member{i}"), double.add_channel(gid, f"room{i}"))
                for i in range(others)
            ]

            async def member(user_id: str, channel_id: str, seed: int) -> list[Timing]:
                rng = random.Random(seed)
                await asyncio.sleep(0.2)
                timings = []
                for _ in range(3):
                    phrase, _ = _phrase(library, rng, 3, 10)
                    payload = payloads.slash_command(
                        "search",
                        {"query": typo(phrase, rng)},
                        user_id=user_id,
                        channel_id=channel_id,
                    )
                    timings.append(await _timed(double, payload, 120.0))
                return timings

            jobs = burst_payloads(library, burst, burster)
            results = await asyncio.gather(
                asyncio.gather(*(_timed(double, p, 120.0) for p in jobs)),
                *(member(u, c, i) for i, (u, c) in enumerate(members)),
            )
        burst_timings: list[Timing] = list(results[0])
        other_timings = tuple(t for group in results[1:] for t in group)
    refused = sum(t.refused for t in burst_timings)
    return Row("on" if limits else "off", len(burst_timings) - refused, refused, other_timings)


def table(rows: Sequence[Row]) -> str:
    """A Markdown table, one row per setting, others' times in ms."""
    lines = [
        "| cooldowns | burst answered | burst refused | others ack max | others answer p50 "
        "| others answer max | others over 3 s |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        acks = [t.ack for t in row.others]
        answers = [t.answer for t in row.others]
        late = sum(a > 3.0 for a in answers)
        lines.append(
            f"| {row.cooldowns} | {row.burst_answered} | {row.burst_refused} "
            f"| {max(acks) * 1000:,.0f} | {statistics.median(answers) * 1000:,.0f} "
            f"| {max(answers) * 1000:,.0f} | {late} of {len(answers)} |"
        )
    return "\n".join(lines)


async def main_async(args: argparse.Namespace) -> list[Row]:
    paths = [Path(p) for p in args.corpus] if args.corpus else None
    if paths is None:
        books = fetch_books()
        paths = [books] if books is not None else [SEED_DIR]
    library = load_library(paths)
    rows = []
    for limits in (None, cooldowns.Limits()):
        rows.append(await run(library, limits=limits, burst=args.burst, others=args.others))
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    """Run both settings and print the table."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.burst", description=__doc__)
    parser.add_argument("--burst", type=int, default=40)
    parser.add_argument("--others", type=int, default=5)
    parser.add_argument("--corpus", nargs="*", help="corpus folders (default: the novels)")
    args = parser.parse_args(argv)
    rows = asyncio.run(main_async(args))
    print(table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
