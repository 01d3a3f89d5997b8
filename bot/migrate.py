"""``corpusbot migrate``: apply the storage migrations to the configured database and say so.

``run`` migrates on start too; this command lets an operator do it once, before starting
several processes, and see what changed.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sqlite3
import sys
from urllib.parse import urlsplit, urlunsplit

from bot.settings import Settings, check_storage

log = logging.getLogger(__name__)

EXIT_OK, EXIT_FAILED = 0, 2


def redact(url: str) -> str:
    """``url`` with its password replaced by ``***`` (safe to print and log)."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.rsplit("@", 1)
    user = (parts.username or "") + ":***"
    return urlunsplit(parts._replace(netloc=f"{user}@{netloc[-1]}"))


def describe_target(settings: Settings) -> str:
    """The configured database in words, password hidden."""
    file = settings.storage.sqlite_file
    if file is not None:
        return f"SQLite file {file}"
    return f"PostgreSQL database {redact(str(settings.storage.url))}"


async def migrate(settings: Settings) -> tuple[tuple[int, ...], int]:
    """Open the configured storage (which applies pending migrations) and close it.

    Returns ``(versions applied now, schema version)``.
    """
    from bot.storage import open_storage

    storage = await open_storage(settings.storage.target)
    try:
        return tuple(getattr(storage, "applied", ())), await storage.schema_version()
    finally:
        await storage.close()


def cmd_migrate(args: argparse.Namespace, settings: Settings) -> int:
    """Apply pending migrations; print what was applied and the schema version."""
    check_storage(settings)
    target = describe_target(settings)
    try:
        applied, version = asyncio.run(migrate(settings))
    except (OSError, sqlite3.Error) as error:
        sys.stderr.write(f"cannot open the {target}: {error}\n")
        return EXIT_FAILED
    except Exception as error:  # the driver's own errors (refused login, unknown database)
        if type(error).__module__.split(".")[0] != "asyncpg":
            raise
        sys.stderr.write(f"the {target} refused the connection or a migration: {error}\n")
        return EXIT_FAILED
    if applied:
        numbers = ", ".join(str(v) for v in applied)
        print(f"{target}: applied migration(s) {numbers}; schema version is now {version}.")
    else:
        print(f"{target}: already up to date (schema version {version}); nothing to apply.")
    return EXIT_OK
