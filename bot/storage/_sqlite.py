"""The SQLite backend: one file, for one process (or a few on one machine).

WAL journal (readers run beside the single writer), ``synchronous=FULL`` (a claim is on disk
before the message is sent), ``busy_timeout`` (a writer waits for the lock instead of failing);
the schema version is ``PRAGMA user_version``. The queries are :mod:`bot.storage._sql`'s.
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import aiosqlite

from bot.storage import _migrations
from bot.storage._migrations import statements_for
from bot.storage._sql import SQLStorage


def integrity_problem(path: Path) -> str | None:
    """Run SQLite's ``PRAGMA integrity_check`` on the existing file ``path`` (read-only, without
    the busy handler's writes): ``None`` if it says ``ok``, else why the file cannot be trusted and
    what to do, naming the path. Reads every page: about a second per 100 MB."""
    try:
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            rows = db.execute("PRAGMA integrity_check(3)").fetchall()
        finally:
            db.close()
        lines = [line for row in rows for line in str(row[0]).splitlines()]
        found = "; ".join(line for line in lines if not line.startswith("***"))
    except sqlite3.DatabaseError as error:
        found = str(error)
    if found == "ok":
        return None
    return (
        f"{path} is damaged (SQLite's integrity check says: {found}). Stop every bot using it and "
        f"keep a copy; then restore a backup, or save what is readable with "
        f"`sqlite3 {path} .recover | sqlite3 {path.with_suffix('.recovered' + path.suffix)}` and "
        "point storage.path at the new file, or delete the file to start with empty schedules"
    )


class SQLiteStorage(SQLStorage):
    """:class:`~bot.storage.Storage` on one SQLite file through aiosqlite.

    Open with ``await SQLiteStorage.open(path)``; several instances (or processes) may open the
    same file: WAL lets readers run beside the single writer, and ``busy_timeout`` makes a
    writer wait for the lock instead of failing.
    """

    BUSY_TIMEOUT_MS = 10_000

    def __init__(self, db: aiosqlite.Connection, path: Path) -> None:
        """Use :meth:`open`; this wraps an already configured connection."""
        self._db = db
        self.path = path
        self.applied: tuple[int, ...] = ()
        """Versions of the migrations this :meth:`open` applied (empty if none was pending)."""

    @classmethod
    async def open(cls, path: str | Path) -> SQLiteStorage:
        """Open (creating if needed) the database at ``path`` and apply pending migrations.

        Raises:
            sqlite3.Error: the file is not a database or cannot be written.
        """
        path = Path(path)
        if str(path) != ":memory:":
            path.parent.mkdir(parents=True, exist_ok=True)
        connection = aiosqlite.connect(str(path), isolation_level=None)
        try:
            db = await connection
        except BaseException:
            # A failed connect queues the worker thread's stop without awaiting it; the thread
            # then reports to this loop. Wait for it while the loop is open, or it prints
            # "RuntimeError: Event loop is closed" after ``asyncio.run`` has returned.
            worker = getattr(connection, "_thread", None)
            if isinstance(worker, threading.Thread) and worker.is_alive():
                await asyncio.to_thread(worker.join, 5.0)
            raise
        try:
            await db.execute(f"PRAGMA busy_timeout = {cls.BUSY_TIMEOUT_MS}")
            await cls._use_wal(db)
            await db.execute("PRAGMA synchronous = FULL")
            storage = cls(db, path)
            await storage._migrate()
        except BaseException:
            await db.close()
            raise
        return storage

    @classmethod
    async def _use_wal(cls, db: aiosqlite.Connection) -> None:
        """Switch the file to WAL. SQLite answers "database is locked" at once (without the busy
        handler) when another connection switches a fresh file at the same moment: retry."""
        delay = 0.01
        deadline = asyncio.get_running_loop().time() + cls.BUSY_TIMEOUT_MS / 1000
        while True:
            try:
                await db.execute("PRAGMA journal_mode = WAL")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or asyncio.get_running_loop().time() > deadline:
                    raise
            await asyncio.sleep(delay)
            delay = min(delay * 2, 0.2)

    async def _migrate(self) -> None:
        applied: list[int] = []
        for version, migration in enumerate(_migrations.MIGRATIONS, start=1):
            await self._db.execute("BEGIN IMMEDIATE")
            try:
                row = await self._row("PRAGMA user_version")
                current = int(row[0]) if row else 0
                if current < version:
                    for statement in statements_for(migration, "sqlite"):
                        await self._db.execute(statement)
                    await self._db.execute(f"PRAGMA user_version = {version}")
                    applied.append(version)
                await self._db.execute("COMMIT")
            except BaseException:
                await self._db.execute("ROLLBACK")
                raise
        self.applied = tuple(applied)

    async def schema_version(self) -> int:
        """The database's ``PRAGMA user_version`` (``len(MIGRATIONS)`` once open)."""
        return int(await self._scalar("PRAGMA user_version") or 0)

    async def journal_mode(self) -> str:
        """The journal mode in effect (``"wal"``)."""
        return str(await self._scalar("PRAGMA journal_mode"))

    async def close(self) -> None:
        await self._db.close()

    async def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        """Run a query and fetch every row in one trip to the connection's thread."""
        return list(await self._db.execute_fetchall(sql, params))

    async def _write(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Run one statement (atomic on its own in autocommit mode); return the rows changed."""
        cursor = await self._db.execute(sql, params)
        changed = cursor.rowcount
        await cursor.close()
        return changed
