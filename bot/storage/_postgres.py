"""The PostgreSQL backend: one database shared by every process of a sharded deployment.

Driver: asyncpg (Apache-2.0, asyncio-native, maintained by MagicStack, binary protocol and
prepared-statement cache). psycopg 3 would do too, but it is LGPL-3.0; asyncpg keeps every
dependency under a permissive licence. One connection pool per process; every statement runs
on its own (autocommit), so the claim's ``INSERT ... ON CONFLICT`` on the primary key
``(guild_id, local_date)`` is what decides a race between processes, not timing. Migrations
run under a transaction-scoped advisory lock, so processes started together apply each one
once; the schema version lives in the table ``corpusbot_schema``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from typing import Any

import asyncpg

from bot.storage import _migrations
from bot.storage._migrations import statements_for
from bot.storage._sql import SQLStorage

MIGRATION_LOCK = 0x636F7270  # "corp": the advisory lock key held while migrating

_PLACEHOLDER = re.compile(r"\?")


@functools.lru_cache(maxsize=256)
def to_dollar(sql: str) -> str:
    """``?`` placeholders (the shared queries') as asyncpg's ``$1, $2, ...``."""
    counter = iter(range(1, 10_000))
    return _PLACEHOLDER.sub(lambda _: f"${next(counter)}", sql)


def _rows_changed(status: str) -> int:
    """Rows changed from a command tag (``"INSERT 0 1"``, ``"UPDATE 3"``, ``"DELETE 0"``)."""
    last = status.rsplit(" ", 1)[-1]
    return int(last) if last.isdigit() else 0


class PostgresStorage(SQLStorage):
    """:class:`~bot.storage.Storage` on a PostgreSQL database through an asyncpg pool.

    Open with ``await PostgresStorage.open("postgresql://user:pw@host:5432/db")``; any number
    of processes may open the same database.
    """

    NOW_SQL = "EXTRACT(EPOCH FROM clock_timestamp())::DOUBLE PRECISION"
    GREATEST_SQL = "GREATEST"

    def __init__(self, pool: Any, url: str) -> None:
        """Use :meth:`open`; this wraps an already created pool."""
        self._pool = pool
        self.url = url
        self.applied: tuple[int, ...] = ()
        """Versions of the migrations this :meth:`open` applied (empty if none was pending)."""

    @classmethod
    async def open(cls, url: str, *, max_connections: int = 10) -> PostgresStorage:
        """Connect (a pool of up to ``max_connections``) and apply pending migrations.

        Raises:
            OSError: the server cannot be reached; asyncpg.PostgresError: refused (password,
                unknown database) or a migration failed (rolled back).
        """
        pool = await asyncpg.create_pool(url, min_size=1, max_size=max_connections)
        storage = cls(pool, url)
        try:
            await storage._migrate()
        except BaseException:
            await pool.close()
            raise
        return storage

    async def _migrate(self) -> None:
        applied: list[int] = []
        async with self._pool.acquire() as conn:
            for version, migration in enumerate(_migrations.MIGRATIONS, start=1):
                async with conn.transaction():
                    await conn.execute("SELECT pg_advisory_xact_lock($1)", MIGRATION_LOCK)
                    await conn.execute(
                        "CREATE TABLE IF NOT EXISTS corpusbot_schema (version BIGINT NOT NULL)"
                    )
                    current = await conn.fetchval("SELECT MAX(version) FROM corpusbot_schema")
                    if (current or 0) >= version:
                        continue
                    for statement in statements_for(migration, "postgresql"):
                        await conn.execute(statement)
                    await conn.execute(
                        "INSERT INTO corpusbot_schema (version) VALUES ($1)", version
                    )
                    applied.append(version)
        self.applied = tuple(applied)

    async def schema_version(self) -> int:
        value = await self._pool.fetchval("SELECT MAX(version) FROM corpusbot_schema")
        return int(value or 0)

    async def close(self) -> None:
        await self._pool.close()

    async def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        return list(await self._pool.fetch(to_dollar(sql), *params))

    async def _write(self, sql: str, params: Sequence[Any] = ()) -> int:
        return _rows_changed(await self._pool.execute(to_dollar(sql), *params))
