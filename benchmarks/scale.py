"""The 1,000-guild minute: how long 1, 2 and 3 bot processes take to make 1,000 daily posts
due at the same minute, with duplicates and losses counted, on one PostgreSQL.

    python -m benchmarks.scale [--guilds 1000] [--processes 1,2,3] [--runs 1]

Each run starts ``corpusbot run`` processes (shards ``i`` of N) against the Discord double
(tests/double, in this process) and a throwaway PostgreSQL (tests/postgres_server: needs the
server binaries, or ``CORPUSBOT_TEST_POSTGRES_URL``). The bots' clock runs 60x faster
(bot.simclock) only so that the minute arrives quickly; posting runs at real speed. Time to
post all is real seconds from the slot to the double's last message; memory is each process's
resident set size (VmRSS) after the posts.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from tests.double import DiscordDouble
from tests.fleet import Fleet, make_guilds, posts_per_guild
from tests.postgres_server import SKIP_REASON, fresh_schema, start


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def one_run(server_url: str, processes: int, guilds: int) -> dict[str, float]:
    """One fleet of ``processes`` posting for ``guilds`` guilds; returns the measurements."""
    double = DiscordDouble(default_guild=False)
    double.sharding.shard_count = processes
    double.sharding.identify_interval = 0.3
    channels = make_guilds(double, guilds)
    await double.start()
    try:
        async with fresh_schema(server_url) as url:
            with tempfile.TemporaryDirectory(prefix="corpusbot-scale-") as folder:
                fleet = Fleet(double, url, Path(folder), size=processes, scale=60.0)
                try:
                    await fleet.start_all(wait_s=120)
                    slot = await fleet.schedule_all(channels, lead=timedelta(seconds=30))
                    slot_real = fleet.clock.real_epoch + (
                        (slot - fleet.clock.start).total_seconds() / fleet.scale
                    )
                    deadline = time.time() + 120
                    last = time.time()
                    while time.time() < deadline:
                        counts = posts_per_guild(double, channels)
                        if all(counts.values()):
                            break
                        await asyncio.sleep(0.05)
                    stamps = [
                        m["timestamp"] for m in double.messages.values() if "webhook_id" not in m
                    ]
                    last = max(_epoch(s) for s in stamps) if stamps else last
                    await asyncio.sleep(2.0)  # late duplicates would show now
                    counts = posts_per_guild(double, channels)
                    rss = [_rss_mb(p.pid) for p in fleet.processes.values()]
                finally:
                    await fleet.kill_all()
    finally:
        await double.stop()
    took = max(last - slot_real, 0.0)
    return {
        "seconds": took,
        "per_minute": guilds / took * 60 if took else float("inf"),
        "duplicates": sum(n - 1 for n in counts.values() if n > 1),
        "losses": sum(1 for n in counts.values() if n == 0),
        "rss_mb": statistics.median(rss),
    }


def _epoch(iso: str) -> float:
    from datetime import datetime

    return datetime.fromisoformat(iso).timestamp()


async def main_async(guilds: int, sizes: list[int], runs: int) -> None:
    server = start()
    if server is None:
        raise SystemExit(SKIP_REASON)
    try:
        print(f"{guilds} guilds due at the same minute; median of {runs} run(s) per row")
        print(
            "| processes | time to post all (s) | posts/min | duplicates | losses | RSS/process (MB) |"
        )
        print("|---:|---:|---:|---:|---:|---:|")
        for size in sizes:
            results = [await one_run(server.url, size, guilds) for _ in range(runs)]
            med = {k: statistics.median(r[k] for r in results) for k in results[0]}
            print(
                f"| {size} | {med['seconds']:.1f} | {med['per_minute']:.0f} | "
                f"{max(r['duplicates'] for r in results):.0f} | "
                f"{max(r['losses'] for r in results):.0f} | {med['rss_mb']:.0f} |",
                flush=True,
            )
    finally:
        server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--guilds", type=int, default=1000)
    parser.add_argument("--processes", default="1,2,3", help="comma-separated fleet sizes")
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    sizes = [int(x) for x in args.processes.split(",")]
    asyncio.run(main_async(args.guilds, sizes, args.runs))


if __name__ == "__main__":
    main()
