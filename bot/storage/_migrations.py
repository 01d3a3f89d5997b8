"""Versioned schema migrations shared by the SQL backends (SQLite and PostgreSQL).

:data:`MIGRATIONS` is written once, in the SQL both databases accept; :func:`statements_for`
adapts it to one dialect. Rules for a new migration (append a tuple; never edit a shipped one):

* ``INTEGER`` for ids and numbers (PostgreSQL gets ``BIGINT``: snowflakes need 64 bits);
  ``TEXT`` for dates (``YYYY-MM-DD``) and instants (ISO 8601, UTC); booleans as ``INTEGER`` 0/1.
* Portable statements only: ``CREATE TABLE``/``INDEX``, ``ALTER TABLE ... ADD COLUMN``,
  ``INSERT``/``UPDATE``. Each migration runs in one transaction; a failure rolls it back whole.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Literal

Dialect = Literal["sqlite", "postgresql"]

MIGRATIONS: Sequence[tuple[str, ...]] = (
    # 1: initial schema
    (
        """CREATE TABLE meta (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        )""",
        """CREATE TABLE schedules (
            guild_id INTEGER PRIMARY KEY,
            channel_id INTEGER NOT NULL,
            local_time TEXT NOT NULL,
            timezone TEXT NOT NULL,
            mention_role_id INTEGER,
            documents TEXT NOT NULL DEFAULT '[]',
            enabled INTEGER NOT NULL DEFAULT 1,
            source TEXT NOT NULL DEFAULT 'command',
            updated_at TEXT NOT NULL
        )""",
        """CREATE TABLE posts (
            guild_id INTEGER NOT NULL,
            local_date TEXT NOT NULL,
            quote_key TEXT NOT NULL,
            cycle INTEGER NOT NULL DEFAULT 0,
            channel_id INTEGER NOT NULL,
            status TEXT NOT NULL,
            nonce TEXT,
            claimed_at TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 1,
            message_id INTEGER,
            posted_at TEXT,
            error TEXT,
            PRIMARY KEY (guild_id, local_date)
        )""",
        "CREATE INDEX posts_by_cycle ON posts (guild_id, cycle)",
        """CREATE TABLE guild_status (
            guild_id INTEGER PRIMARY KEY,
            status TEXT NOT NULL,
            detail TEXT NOT NULL,
            at TEXT NOT NULL
        )""",
        """CREATE TABLE channel_last_quote (
            channel_id INTEGER PRIMARY KEY,
            quote_key TEXT NOT NULL
        )""",
    ),
    # 2: a guild's status names its post's channel and date (bot.render words it)
    (
        "ALTER TABLE guild_status ADD COLUMN channel_id INTEGER",
        "ALTER TABLE guild_status ADD COLUMN local_date TEXT",
    ),
    # 3: the reading club (bot/storage/_reading.py)
    (
        """CREATE TABLE reading_clubs (
            guild_id INTEGER PRIMARY KEY,
            channel_id INTEGER NOT NULL,
            document_id TEXT NOT NULL,
            local_time TEXT NOT NULL,
            timezone TEXT NOT NULL,
            size INTEGER NOT NULL,
            thread INTEGER NOT NULL DEFAULT 0,
            next_day INTEGER NOT NULL DEFAULT 1,
            paused INTEGER NOT NULL DEFAULT 0,
            updated_at TEXT NOT NULL
        )""",
        """CREATE TABLE reading_posts (
            guild_id INTEGER NOT NULL,
            local_date TEXT NOT NULL,
            day INTEGER NOT NULL,
            channel_id INTEGER NOT NULL,
            status TEXT NOT NULL,
            nonce TEXT NOT NULL,
            claimed_at TEXT NOT NULL,
            message_id INTEGER,
            error TEXT,
            PRIMARY KEY (guild_id, local_date)
        )""",
    ),
    # 4: IDENTIFY slots shared by every process of a sharded bot (one row per rate-limit
    # bucket, ``shard_id % max_concurrency``): the next free instant, Unix seconds
    (
        """CREATE TABLE identify_slots (
            bucket INTEGER PRIMARY KEY,
            next_at DOUBLE PRECISION NOT NULL
        )""",
    ),
    # 5: each server's choice of documents and collections (bot/storage/_choices.py)
    (
        """CREATE TABLE guild_documents (
            guild_id INTEGER NOT NULL,
            name TEXT NOT NULL,
            enabled INTEGER NOT NULL,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (guild_id, name)
        )""",
    ),
)
"""Schema migrations, applied in order by every SQL backend; after migration ``i`` (1-based)
the database's schema version is ``i``. Append new migrations; never edit one that has shipped."""


_INTEGER = re.compile(r"\bINTEGER\b")


def statements_for(migration: Sequence[str], dialect: Dialect) -> list[str]:
    """The statements of one migration in ``dialect``'s SQL (``INTEGER`` is ``BIGINT`` in
    PostgreSQL, where ``INTEGER`` has 32 bits and a snowflake 64)."""
    if dialect == "sqlite":
        return list(migration)
    return [_INTEGER.sub("BIGINT", statement) for statement in migration]
