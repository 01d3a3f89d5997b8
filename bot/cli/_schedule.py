"""``corpusbot schedule``: the configured daily posts' next send times."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from typing import Any

from bot.cli._setup import EXIT_BAD_INPUT, EXIT_OK, _print_json, check_with_corpus, load_library
from bot.core.daily import EARLIEST_NOW, LATEST_NOW, zone_label
from bot.settings import Settings


def _schedule_rows(settings: Settings, now: datetime, count: int = 3) -> list[dict[str, Any]]:
    try:
        from bot.core.daily import next_send_times
    except ImportError:  # pragma: no cover - daily posts not built in this checkout
        return []
    rows = []
    for schedule in settings.daily:
        times = next_send_times(schedule.to_core(), now, count)
        rows.append(
            {
                "guild_id": schedule.guild_id,
                "channel_id": schedule.channel_id,
                "time": schedule.time.strftime("%H:%M"),
                "timezone": schedule.timezone,
                "next": [
                    {
                        "utc": t.astimezone(UTC).isoformat(),
                        "local": t.astimezone(schedule.zone).isoformat(),
                        "utc_short": t.astimezone(UTC).strftime("%Y-%m-%d %H:%M"),
                        "local_short": t.astimezone(schedule.zone).strftime("%Y-%m-%d %H:%M %Z"),
                    }
                    for t in times
                ],
            }
        )
    return rows


def _utc_text(instant: datetime) -> str:
    """``0002-01-01T00:00:00Z``: ISO 8601 in UTC with a ``Z`` (four-digit years)."""
    return instant.astimezone(UTC).isoformat().replace("+00:00", "Z")


def cmd_schedule(args: argparse.Namespace, settings: Settings) -> int:
    """Print each configured schedule's next send times as of ``--now``."""
    if args.now:
        try:
            now = datetime.fromisoformat(args.now)
        except ValueError:
            sys.stderr.write(
                f"--now: {args.now!r} is not an ISO instant; example: 2026-03-29T00:30:00+00:00\n"
            )
            return EXIT_BAD_INPUT
        if now.tzinfo is None:
            sys.stderr.write("--now needs a UTC offset, e.g. 2026-03-29T00:30:00Z or +01:00\n")
            return EXIT_BAD_INPUT
        if not EARLIEST_NOW <= now <= LATEST_NOW:
            sys.stderr.write(
                f"--now: {args.now!r} is outside the range the schedule can be computed for: "
                f"from {_utc_text(EARLIEST_NOW)} to {_utc_text(LATEST_NOW)}\n"
            )
            return EXIT_BAD_INPUT
    else:
        now = datetime.now(UTC)
    if settings.daily:
        library, _ = load_library(settings, warm=False)
        check_with_corpus(settings, library)
    rows = _schedule_rows(settings, now)
    if args.json:
        _print_json({"now": now.astimezone(UTC).isoformat(), "schedules": rows})
        return EXIT_OK
    if not rows:
        print("No daily schedules in the config (servers set theirs with /daily set).")
        return EXIT_OK
    for row in rows:
        print(
            f"guild {row['guild_id']} channel {row['channel_id']}: {row['time']} "
            f"{zone_label(row['timezone'])}"
        )
        for t in row["next"]:
            print(f"  {t['utc']}  (local {t['local']})")
    return EXIT_OK
