"""Load benchmark: 1,000 interactions through the real CorpusBot and the Discord double.

Usage::

    .venv/bin/python -m benchmarks.load [--interactions 1000] [--corpus DIR ...] [--concurrency N]
                                          [--double process|loop]

For each corpus (default: the seed essays and the ten gathered novels in ``benchmarks/data/books``,
fetched by :func:`benchmarks._summary_data.fetch_books`) and each way of running core calls, the
benchmark starts :class:`tests.double.DiscordDouble` in a separate process (``--double loop``: on
the bot's event loop instead), logs an unmodified :class:`bot.client.CorpusBot` into it (commands
synced) and fires ``--interactions`` interactions as fast as the double can deliver them, at most
``--concurrency`` in flight. The mix (seeded) is
20 % ``/quote`` (some with a document or a misspelt ``contains``), 30 % ``/search`` with misspelt
phrases taken from the corpus (3-40 words, some with a document and a ``limit``), 15 %
``/summary`` (every length, whole books included), 20 % document autocomplete (for each command,
0-6 typed characters) and 15 % autocomplete of the search query.

Measured, per interaction: *ack* = the double's receipt time of the first interaction callback
(:attr:`tests.double.RecordedRequest.at`) minus the time the INTERACTION_CREATE was sent
(:attr:`tests.double.InteractionHandle.delivered_at`), both ``time.monotonic()``; whether the first
response came within Discord's 3 s (the double also records 10062 violations); whether it was a
deferral (callback type 5); both times are taken in the double's process, whose clock is
Discord's. Per run: the worst event-loop stall of the bot, from a probe task on the bot's loop
that sleeps 5 ms in a loop and records how late it wakes. With the double in its own process,
as Discord is in production, the probe sees the bot's loop alone; both processes and the core
thread share the machine's two cores.

Compared in the same run: ``thread`` (the product: ``CorpusBot.run_core`` runs command core
calls in the bot's one core worker thread and defers after ``DEFER_AFTER``;
``CorpusBot.run_autocomplete`` runs query suggestions in one autocomplete thread) against
``loop`` (the obvious alternative: the same bot with every core call made directly on the event
loop, by patching both methods for the run). The table also gives the longest cyclic-GC
collection (a collection holds the GIL, so it stalls the loop from any thread) and the 1-minute
load average at the start of the run (the machine is shared; stalls grow with its load).

Goals (issue 4): no first response later than 3 s, worst stall < 50 ms on a 2-core machine.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import logging
import multiprocessing
import os
import random
import shutil
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from benchmarks._summary_data import SEED_DIR, fetch_books
from bot.client import CorpusBot
from bot.core.library import Library
from bot.core.loader import load_corpus
from bot.settings import Settings, load_settings
from tests.double import DiscordDouble, InteractionHandle, connect_bot, payloads

DEADLINE = 3.0
PROBE_INTERVAL = 0.005
STALL_GOAL = 0.050
CB_DEFER = 5

#: (kind, weight) of the interaction mix.
MIX: tuple[tuple[str, float], ...] = (
    ("quote", 0.20),
    ("search", 0.30),
    ("summary", 0.15),
    ("ac-document", 0.20),
    ("ac-query", 0.15),
)
LENGTHS = ("short", "medium", "long", "key_points")
MODES = ("thread", "loop")


# --------------------------------------------------------------------------- workload


def typo(text: str, rng: random.Random, rate: float = 0.3) -> str:
    """``text`` with about ``rate`` of its words (4+ letters) misspelt once: a swap, a dropped,
    doubled or replaced letter."""
    words = text.split()
    for i, word in enumerate(words):
        if len(word) < 4 or rng.random() >= rate:
            continue
        j = rng.randrange(1, len(word) - 1)
        edit = rng.randrange(4)
        if edit == 0:
            word = word[: j - 1] + word[j] + word[j - 1] + word[j + 1 :]
        elif edit == 1:
            word = word[:j] + word[j + 1 :]
        elif edit == 2:
            word = word[:j] + word[j] + word[j:]
        else:
            word = word[:j] + rng.choice("aeiourstn") + word[j + 1 :]
        words[i] = word
    return " ".join(words)


@dataclass(frozen=True)
class Job:
    """One interaction to send: its kind (a key of :data:`MIX`) and the payload builder's output."""

    kind: str
    payload: dict[str, Any]


def _phrase(library: Library, rng: random.Random, lo: int, hi: int) -> tuple[str, str]:
    """A run of ``lo``-``hi`` words from a random paragraph, and its document id."""
    doc = rng.choice(library.corpus.documents)
    para = rng.choice(doc.paragraphs)
    words = para.text.split()
    n = min(len(words), rng.randint(lo, hi))
    start = rng.randrange(0, len(words) - n + 1)
    return " ".join(words[start : start + n]), doc.id


def workload(library: Library, n: int, seed: int = 0) -> list[Job]:
    """``n`` interactions in the :data:`MIX` proportions, shuffled; deterministic for a seed."""
    rng = random.Random(seed)
    docs = library.corpus.documents
    kinds = [k for k, _ in MIX]
    weights = [w for _, w in MIX]
    jobs: list[Job] = []
    for _ in range(n):
        kind = rng.choices(kinds, weights)[0]
        doc = rng.choice(docs)
        if kind == "quote":
            opts: dict[str, Any] = {}
            roll = rng.random()
            if roll < 0.3:
                opts["document"] = doc.id
            elif roll < 0.5:
                word = max(_phrase(library, rng, 3, 6)[0].split(), key=len)
                opts["contains"] = typo(word, rng, 1.0)[:100]
            jobs.append(Job(kind, payloads.slash_command("quote", opts)))
        elif kind == "search":
            heavy = rng.random() < 0.2
            phrase, doc_id = _phrase(library, rng, 12 if heavy else 3, 40 if heavy else 10)
            opts = {"query": typo(phrase, rng)[:300]}
            if rng.random() < 0.2:
                opts["document"] = doc_id
            if rng.random() < 0.3:
                opts["limit"] = rng.randint(1, 10)
            jobs.append(Job(kind, payloads.slash_command("search", opts)))
        elif kind == "summary":
            opts = {"document": doc.id if rng.random() < 0.7 else typo(doc.title, rng)}
            opts["length"] = rng.choice(LENGTHS)
            jobs.append(Job(kind, payloads.slash_command("summary", opts)))
        elif kind == "ac-document":
            command = rng.choice(("quote", "search", "summary"))
            typed = doc.title[: rng.randint(0, 6)]
            opts = {"document": typed}
            if command == "search":
                opts = {"query": "", **opts}
            jobs.append(Job(kind, payloads.autocomplete(command, opts, focused="document")))
        else:
            phrase, _ = _phrase(library, rng, 2, 8)
            typed = typo(phrase, rng)[: rng.randint(3, 40)]
            jobs.append(
                Job(kind, payloads.autocomplete("search", {"query": typed}, focused="query"))
            )
    return jobs


# --------------------------------------------------------------------------- measurement


class LagProbe:
    """Sleeps :data:`PROBE_INTERVAL` in a loop and records how late each wake-up is (seconds)."""

    def __init__(self, interval: float = PROBE_INTERVAL) -> None:
        self.interval = interval
        self.lags: list[float] = []
        self._task: asyncio.Task[None] | None = None

    async def _run(self) -> None:
        while True:
            t0 = time.perf_counter()
            await asyncio.sleep(self.interval)
            self.lags.append(max(0.0, time.perf_counter() - t0 - self.interval))

    def start(self) -> None:
        self._task = asyncio.create_task(self._run())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task


class GcPauses:
    """Records the duration of every cyclic-GC collection (seconds), via ``gc.callbacks``.

    A collection holds the GIL, so a long one stalls the event loop whichever thread runs it.
    """

    def __init__(self) -> None:
        self.pauses: list[float] = []
        self._t0 = 0.0

    def _callback(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._t0 = time.perf_counter()
        else:
            self.pauses.append(time.perf_counter() - self._t0)

    def __enter__(self) -> GcPauses:
        gc.callbacks.append(self._callback)
        return self

    def __exit__(self, *exc: object) -> None:
        gc.callbacks.remove(self._callback)


class _ErrorCounter(logging.Handler):
    """Counts ERROR records (the bot logs every failed command at ERROR)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.count = 0
        self.first: str | None = None

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1
        if self.first is None:
            self.first = record.getMessage()


@dataclass(frozen=True)
class Result:
    """One run: per-interaction ack times (s, ``None`` = never acknowledged) and the run's totals."""

    corpus: str
    mode: str
    acks: tuple[float | None, ...]
    kinds: tuple[str, ...]
    deferred: int
    violations_10062: int
    other_violations: int
    errors: int
    wall: float
    lags: tuple[float, ...]
    gc_pauses: tuple[float, ...]
    load: float

    @property
    def answered(self) -> list[float]:
        return [a for a in self.acks if a is not None]

    @property
    def missed(self) -> int:
        return sum(1 for a in self.acks if a is None or a > DEADLINE)

    def pct(self, q: float) -> float:
        """The ``q``-quantile (0-1) of ack times in seconds (nearest rank)."""
        xs = sorted(self.answered)
        return xs[min(len(xs) - 1, max(0, round(q * len(xs)) - 1))] if xs else float("nan")

    @property
    def worst_stall(self) -> float:
        return max(self.lags, default=0.0)


@contextlib.contextmanager
def core_calls_on_loop() -> Iterator[None]:
    """Patch the bot so every core call runs directly on the event loop (the alternative)."""

    async def run_core(
        self: CorpusBot, interaction: Any, fn: Callable[..., Any], /, *args: Any, **kwargs: Any
    ) -> Any:
        return fn(*args, **kwargs)

    async def run_autocomplete(
        self: CorpusBot, fn: Callable[..., Any], /, *args: Any, **kwargs: Any
    ) -> Any:
        return fn(*args, **kwargs)

    old = CorpusBot.run_core, CorpusBot.run_autocomplete
    CorpusBot.run_core = run_core  # type: ignore[method-assign]
    CorpusBot.run_autocomplete = run_autocomplete  # type: ignore[method-assign]
    try:
        yield
    finally:
        CorpusBot.run_core, CorpusBot.run_autocomplete = old  # type: ignore[method-assign]


class _History:
    """Reads the double's records as they arrive: the first callback time per interaction id.

    With ``forget``, the double's history of finished interactions (recorded requests, gateway
    frames, handles, messages) is dropped once summarised, so the benchmark's process holds what
    a bot holds in production and not, in addition, everything the double saw: otherwise the
    double's records are half of what each full GC collection scans (see the README).
    """

    def __init__(self, double: DiscordDouble, *, forget: bool) -> None:
        self.double = double
        self.forget = forget
        self.first_callback: dict[str, float] = {}
        self._seen = 0

    def scan(self) -> None:
        recorded = self.double.recorded
        for r in recorded[self._seen :]:
            if (
                r.method == "POST"
                and r.path.startswith("/interactions/")
                and r.path.endswith("/callback")
            ):
                self.first_callback.setdefault(r.path.split("/")[2], r.at)
        self._seen = len(recorded)

    def ack(self, handle: InteractionHandle) -> float | None:
        """Seconds from dispatch to the first callback the double received, if one was accepted."""
        self.scan()
        at = self.first_callback.get(handle.id)
        return at - handle.delivered_at if handle.responded and at is not None else None

    def done(self, handle: InteractionHandle) -> None:
        """Forget a finished interaction (only if answered: a missed one keeps its deadline timer)."""
        if not self.forget or not handle.responded:
            return
        double = self.double
        double.interactions.pop(handle.id, None)
        for msg in [handle.original, *handle.followup_messages]:
            if msg is not None:
                double.messages.pop(str(msg.get("id")), None)
        if len(double.recorded) > 200:
            self.scan()
            del double.recorded[:]
            self._seen = 0
            double.gateway_sent.clear()
            double.gateway_received.clear()
            double.outgoing.clear()


@dataclass(frozen=True)
class _Outcome:
    ack: float | None
    deferred: bool


async def _drive(double: DiscordDouble, history: _History, job: Job, patience: float) -> _Outcome:
    """Send one interaction; return once it is answered (after a defer: once followed up)."""
    handle = await double.send_interaction(job.payload)
    with contextlib.suppress(TimeoutError):
        body = await handle.response(patience)
        if body["type"] == CB_DEFER:
            await handle.followups(1, patience)
    outcome = _Outcome(
        history.ack(handle), handle.callback is not None and handle.callback["type"] == CB_DEFER
    )
    history.done(handle)
    return outcome


async def _fire(
    double: DiscordDouble,
    history: _History,
    jobs: Sequence[Job],
    concurrency: int,
    patience: float,
) -> list[_Outcome]:
    outcomes: list[_Outcome | None] = [None] * len(jobs)
    queue = iter(enumerate(jobs))

    async def worker() -> None:
        for i, job in queue:
            outcomes[i] = await _drive(double, history, job, patience)

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return [o for o in outcomes if o is not None]


async def _drain(patience: float) -> None:
    """Wait until the bot's command tasks are done (``/quote`` writes to storage after replying)."""
    pending = [
        t for t in asyncio.all_tasks() if t.get_name() == "CommandTree-invoker" and not t.done()
    ]
    if pending:
        await asyncio.wait(pending, timeout=patience)


@dataclass(frozen=True)
class _Address:
    """Where a double in another process listens (a :class:`tests.double.DoubleAddress`)."""

    api_base: str
    gateway_url: str
    token: str


async def _recv(conn: Connection, expected: str) -> tuple[Any, ...]:
    """The next message on ``conn`` (read in a thread), which must be tagged ``expected``."""
    message: tuple[Any, ...] = await asyncio.to_thread(conn.recv)
    if message[0] != expected:
        raise RuntimeError(f"double process: expected {expected!r}, got {message!r}")
    return message


async def _serve_double(
    conn: Connection, jobs: list[tuple[str, dict[str, Any]]], concurrency: int, patience: float
) -> None:
    """The double process's side of a run; see :func:`run_once` for the conversation."""
    async with DiscordDouble() as double:
        conn.send(("listening", double.api_base, double.gateway_url, double.token))
        await _recv(conn, "connected")
        history = _History(double, forget=True)
        batch = [Job(kind, payload) for kind, payload in jobs]
        warm = {j.kind: j for j in batch}
        await _fire(double, history, list(warm.values()), len(warm), patience)
        conn.send(("warm",))
        await _recv(conn, "go")
        measured_from = len(double.violations)
        t0 = time.perf_counter()
        outcomes = await _fire(double, history, batch, concurrency, patience)
        wall = time.perf_counter() - t0
        conn.send(("done", [(o.ack, o.deferred) for o in outcomes], wall))
        await _recv(conn, "drained")
        violations = double.violations[measured_from:]
        n10062 = sum(1 for v in violations if v.code == 10062)
        conn.send(("violations", n10062, len(violations) - n10062))
        await _recv(conn, "stop")


def _double_process_main(
    conn: Connection, jobs: list[tuple[str, dict[str, Any]]], concurrency: int, patience: float
) -> None:
    """Entry point of the double's process (``spawn``ed: nothing of the bot's state is copied)."""
    try:
        asyncio.run(_serve_double(conn, jobs, concurrency, patience))
    finally:
        conn.close()


async def run_once(
    name: str,
    library: Library,
    jobs: Sequence[Job],
    *,
    mode: str,
    concurrency: int,
    double_in: str = "process",
    forget: bool = True,
    patience: float = 20.0,
    settings: Settings | None = None,
    during: Callable[[CorpusBot], Awaitable[Any]] | None = None,
) -> Result:
    """Connect a fresh CorpusBot to a fresh double, warm up, fire ``jobs``; measure.

    ``double_in="process"`` (default) runs the double and the client side of the benchmark in
    a separate process, as Discord is in production, so the probe sees the bot's event loop
    alone. The two processes talk over a pipe: the double says where it listens; the bot
    connects and says so; the double sends one interaction of each kind (warm-up); the bot waits
    until those commands are done, starts the probe and says go; the double fires ``jobs`` and
    sends back each outcome and the wall time; the bot waits for its command tasks, stops the
    probe and says drained; the double counts its violations; the bot disconnects and says stop.
    ``double_in="loop"`` runs the double on the bot's own event loop (its work is then part of
    what the probe sees).
    """
    counter = _ErrorCounter()
    logging.getLogger().addHandler(counter)
    with tempfile.TemporaryDirectory() as tmp, contextlib.ExitStack() as stack:
        if mode == "loop":
            stack.enter_context(core_calls_on_loop())
        settings = settings or load_settings(
            None, env={"CORPUSBOT_STORAGE": str(Path(tmp) / "bot.sqlite3")}
        )
        bot = CorpusBot(settings, library, sync=True, guild_ready_timeout=0.1)
        # Every job comes from the double's one member: with the costly-command cooldowns most
        # would be refused at no cost. This run measures the core under load, so they are off;
        # benchmarks/burst.py measures what the cooldowns do for the other members.
        bot.cooldowns = None
        background: asyncio.Task[Any] | None = None
        probe = LagProbe()
        collections = stack.enter_context(GcPauses())
        if double_in == "process":
            ctx = multiprocessing.get_context("spawn")
            conn, child_conn = ctx.Pipe()
            process = ctx.Process(
                target=_double_process_main,
                args=(child_conn, [(j.kind, j.payload) for j in jobs], concurrency, patience),
                name="discord-double",
                daemon=True,
            )
            process.start()
            child_conn.close()
            try:
                _, api_base, gateway_url, token = await _recv(conn, "listening")
                async with connect_bot(bot, _Address(api_base, gateway_url, token), timeout=30.0):
                    conn.send(("connected",))
                    await _recv(conn, "warm")
                    await _drain(patience)
                    counter.count = 0
                    collections.pauses.clear()
                    load = os.getloadavg()[0]
                    probe.start()
                    if during is not None:  # e.g. a reload, while the interactions arrive
                        background = asyncio.create_task(during(bot))
                    conn.send(("go",))
                    _, pairs, wall = await _recv(conn, "done")
                    outcomes = [_Outcome(ack, deferred) for ack, deferred in pairs]
                    await _drain(patience)
                    await probe.stop()
                    if background is not None:
                        await background
                    conn.send(("drained",))
                    _, violations_10062, other_violations = await _recv(conn, "violations")
                conn.send(("stop",))
                await asyncio.to_thread(process.join, 30.0)
            finally:
                if process.is_alive():
                    process.kill()
                conn.close()
        else:
            async with DiscordDouble() as double, connect_bot(bot, double, timeout=30.0):
                history = _History(double, forget=forget)
                warm = {j.kind: j for j in jobs}
                await _fire(double, history, list(warm.values()), len(warm), patience)
                await _drain(patience)
                measured_from = len(double.violations)
                counter.count = 0
                collections.pauses.clear()
                load = os.getloadavg()[0]
                probe.start()
                t0 = time.perf_counter()
                outcomes = await _fire(double, history, jobs, concurrency, patience)
                wall = time.perf_counter() - t0
                await _drain(patience)
                await probe.stop()
                violations = double.violations[measured_from:]
                violations_10062 = sum(1 for v in violations if v.code == 10062)
                other_violations = len(violations) - violations_10062
        gc_pauses = tuple(collections.pauses)
    logging.getLogger().removeHandler(counter)
    if counter.first:
        print(f"  [{name}/{mode}] first logged error: {counter.first}", file=sys.stderr)
    return Result(
        corpus=name,
        mode=mode,
        acks=tuple(o.ack for o in outcomes),
        kinds=tuple(j.kind for j in jobs),
        deferred=sum(o.deferred for o in outcomes),
        violations_10062=violations_10062,
        other_violations=other_violations,
        errors=counter.count,
        wall=wall,
        lags=tuple(probe.lags),
        gc_pauses=gc_pauses,
        load=load,
    )


# --------------------------------------------------------------------------- report


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f}" if seconds == seconds else "–"


def table(results: Sequence[Result]) -> str:
    """The Markdown table: one row per (corpus, mode), then the loop ÷ thread ratios per corpus."""
    head = (
        "| corpus | core calls | interactions/s | ack p50 ms | ack p99 ms | ack max ms "
        "| missed 3 s (10062) | deferred | worst stall ms | stalls > 50 ms | worst GC ms "
        "| errors | load avg |\n"
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    )
    rows = [head]
    for r in results:
        label = "worker thread" if r.mode == "thread" else "on the event loop"
        rows.append(
            f"| {r.corpus} | {label} | {len(r.acks) / r.wall:,.0f} | {_ms(r.pct(0.5))} "
            f"| {_ms(r.pct(0.99))} | {_ms(max(r.answered, default=float('nan')))} "
            f"| {r.missed} ({r.violations_10062}) | {r.deferred} | {_ms(r.worst_stall)} "
            f"| {sum(1 for x in r.lags if x > STALL_GOAL)} | {_ms(max(r.gc_pauses, default=0.0))} "
            f"| {r.errors + r.other_violations} | {r.load:.1f} |"
        )
    by = {(r.corpus, r.mode): r for r in results}
    for corpus in dict.fromkeys(r.corpus for r in results):
        t, lp = by.get((corpus, "thread")), by.get((corpus, "loop"))
        if t is None or lp is None:
            continue

        def ratio(a: float, b: float) -> str:
            return f"{a / b:.1f}×" if b > 0 else "–"

        rows.append(
            f"| {corpus} | loop ÷ thread | {ratio(len(lp.acks) / lp.wall, len(t.acks) / t.wall)} "
            f"| {ratio(lp.pct(0.5), t.pct(0.5))} | {ratio(lp.pct(0.99), t.pct(0.99))} "
            f"| {ratio(max(lp.answered), max(t.answered))} | | "
            f"| {ratio(lp.worst_stall, t.worst_stall)} | | | | |"
        )
    return "\n".join(rows)


def load_library(paths: Sequence[Path], index_cache: Path | None = None) -> Library:
    """Load and index the corpus under ``paths`` and warm it (as ``corpusbot run`` does)."""
    return Library.build(load_corpus(list(paths)), index_cache=index_cache)


async def main_async(args: argparse.Namespace) -> list[Result]:
    corpora: list[tuple[str, list[Path]]]
    if args.corpus:
        corpora = [(Path(p).name or str(p), [Path(p)]) for p in args.corpus]
    else:
        corpora = [("seed", [SEED_DIR])]
        books = fetch_books()
        if books is None:
            print("books unavailable (gather_books.sh failed): seed corpus only", file=sys.stderr)
        else:
            corpora.append(("10 novels", [books]))
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for n, (name, paths) in enumerate(corpora):
            index_cache = Path(tmp) / f"index-{n}"
            jobs: list[Job] = []
            for mode in args.modes:
                # A fresh library per run: the first run would otherwise leave the summaries it
                # computed cached for the second (Library caches them per document and length).
                # The search index is built once and then loaded from a cache.
                t0 = time.perf_counter()
                library = load_library(paths, index_cache)
                if not jobs:
                    print(
                        f"{name}: {len(library.corpus)} documents, {len(library.index):,} "
                        f"passages, loaded in {time.perf_counter() - t0:.1f} s",
                        file=sys.stderr,
                    )
                    jobs = workload(library, args.interactions, args.seed)
                result = await run_once(
                    name,
                    library,
                    jobs,
                    mode=mode,
                    concurrency=args.concurrency,
                    double_in=args.double,
                    forget=not args.keep_double_history,
                )
                results.append(result)
                print(
                    f"  {mode}: {result.wall:.1f} s, p99 {_ms(result.pct(0.99))} ms, "
                    f"stall {_ms(result.worst_stall)} ms",
                    file=sys.stderr,
                )
            if args.reload and jobs:
                results.append(await reload_run(name, paths, jobs, args, Path(tmp) / f"r{n}"))
    return results


async def reload_run(
    name: str, paths: Sequence[Path], jobs: Sequence[Job], args: argparse.Namespace, tmp: Path
) -> Result:
    """The product (worker thread) while a live reload runs: a copy of the corpus with its store
    filled, one file changed as the interactions start, ``CorpusBot.reloader.reload`` (issue 11:
    acks within 2x of the quiet run)."""
    from bot.loading import load_library as load_through_store

    corpus = tmp / "corpus"
    for given in paths:
        shutil.copytree(given, corpus / Path(given).name)
    config = tmp / "config.yaml"
    config.write_text(
        f"corpus:\n  paths: [{corpus}]\n  cache_dir: {tmp / 'store'}\n"
        f"storage:\n  path: {tmp / 'bot.sqlite3'}\n",
        encoding="utf-8",
    )
    settings = load_settings(config, env={})
    library = load_through_store(settings, quiet=True).library  # the store, as after a start
    library.warm_up()
    victim = sorted(corpus.rglob("*.txt"))[0]
    seconds: list[float] = []

    async def reload(bot: CorpusBot) -> None:
        with victim.open("a", encoding="utf-8") as handle:
            handle.write("\n\nA paragraph added while the bot runs.\n")
        outcome = await bot.reloader.reload("benchmark")
        seconds.append(outcome.seconds if outcome.ok else float("nan"))

    result = await run_once(
        f"{name} + reload",
        library,
        jobs,
        mode="thread",
        concurrency=args.concurrency,
        double_in=args.double,
        settings=settings,
        during=reload,
    )
    print(f"  reload during the run: {seconds[0]:.1f} s", file=sys.stderr)
    return result


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark and print the table. Exit status 1 if a goal is missed by the product."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.load", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--interactions", type=int, default=1000)
    parser.add_argument(
        "--corpus",
        action="append",
        metavar="DIR",
        help="a corpus folder (repeat for several corpora; default: seeds and the ten novels)",
    )
    parser.add_argument("--concurrency", type=int, default=50, help="interactions in flight")
    parser.add_argument("--modes", nargs="+", choices=MODES, default=list(MODES))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--reload",
        action="store_true",
        help="also the product while a live reload of the corpus runs (changed file, store)",
    )
    parser.add_argument(
        "--double",
        choices=("process", "loop"),
        default="process",
        help="run the Discord double in its own process, as Discord is in production "
        "(default), or on the bot's event loop",
    )
    parser.add_argument(
        "--keep-double-history",
        action="store_true",
        help="with --double loop: keep every record the double makes (more for the GC to scan; "
        "default: forget finished interactions)",
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    results = asyncio.run(main_async(args))
    print(table(results))
    product = [r for r in results if r.mode == "thread"]
    ok = all(r.missed == 0 and r.worst_stall < STALL_GOAL for r in product)
    verdict = ("met" if ok else "MISSED") if product else "not measured (no worker-thread run)"
    print(f"\ngoals (worker thread): 0 missed, worst stall < {STALL_GOAL * 1000:.0f} ms: {verdict}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
