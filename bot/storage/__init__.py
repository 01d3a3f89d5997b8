"""Per-guild state: daily schedules, the posts made, guild status, small key/value metadata.

Everything goes through the :class:`Storage` protocol (``_records``); one module per backend:
SQLite (``_sqlite``, the default: one file, one process), PostgreSQL (``_postgres``, shared by
many processes) and memory (``_memory``, tests and dry runs). The SQL backends share their
queries (``_sql``) and the versioned :data:`MIGRATIONS` (``_migrations``).
:func:`open_storage` picks the backend from ``storage.url``.

Exactly-once policy for daily posts
-----------------------------------
A post for ``(guild, local_date)`` is *claimed* before it is sent: :meth:`Storage.claim_post`
inserts a ``pending`` row in one statement, and the primary key ``(guild_id, local_date)`` makes
the claim atomic across tasks and processes (the loser gets ``False`` and does not send). The
claim stores the Discord message nonce. After the send the row becomes ``sent`` (with the
message id) or a failure status. Statuses (:class:`PostStatus`):

``pending``  claimed; the send is in flight, or the process died before recording its result.
``sent``     delivered; ``message_id`` and ``posted_at`` are set.
``retry``    transient failures (429/5xx) exhausted this attempt; the date may be claimed again.
``failed``   permanent failure for that date (403, 404, an unexpected error); not retried.
``unknown``  a send whose result is unknown (a crash, a timeout) and that is too old to resend
             safely: it may or may not have been delivered, and it is never sent again.

A claim whose send certainly created no message and that must not cost the date its post (a
``/daily now`` in a channel where the bot may not post) is *released*
(:meth:`Storage.release_post`): the row is deleted, or returned to ``retry`` if it had been
claimed before, so the scheduled post can still claim the date.

A crash between the send and the record leaves a ``pending`` row; a send that timed out or lost
its connection leaves one too. The scheduler resends it with the *same* nonce, in the channel
stored with the claim (Discord deduplicates a nonce only within one channel), while Discord still
deduplicates it (``enforce_nonce``: a repeat within a few minutes returns the existing message
instead of creating one); after that window the row is marked ``unknown`` and never resent: at
most once, never twice.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

from bot.storage._memory import MemoryStorage
from bot.storage._migrations import MIGRATIONS, statements_for
from bot.storage._reading import ReadingPost, ReadingStorage, effective_next_day
from bot.storage._records import (
    USED_STATUSES,
    DailyStatus,
    GuildStatus,
    PostRecord,
    PostStatus,
    ScheduleRecord,
    Storage,
)
from bot.storage._sql import SQLStorage
from bot.storage._sqlite import SQLiteStorage

__all__ = [
    "MIGRATIONS",
    "SCHEMES",
    "USED_STATUSES",
    "DailyStatus",
    "GuildStatus",
    "MemoryStorage",
    "PostRecord",
    "PostStatus",
    "ReadingPost",
    "ReadingStorage",
    "SQLStorage",
    "SQLiteStorage",
    "ScheduleRecord",
    "Storage",
    "effective_next_day",
    "open_storage",
    "sqlite_path",
    "statements_for",
]

SCHEMES = ("sqlite", "postgresql", "postgres")
"""URL schemes :func:`open_storage` accepts."""


def sqlite_path(url_or_path: str | Path) -> Path | None:
    """The SQLite file a storage URL or path names, or ``None`` for a PostgreSQL URL.

    ``sqlite:///state.db`` is relative, ``sqlite:////var/lib/bot.db`` absolute (SQLAlchemy's
    convention), ``sqlite:///:memory:`` in memory; a plain path is a SQLite file.

    Raises:
        ValueError: an unknown scheme, or a ``sqlite:`` URL without a path.
    """
    if isinstance(url_or_path, Path):
        return url_or_path
    parts = urlsplit(url_or_path)
    if len(parts.scheme) <= 1 or "://" not in url_or_path:  # a path (or a Windows drive letter)
        return Path(url_or_path)
    scheme = parts.scheme.lower()
    if scheme in ("postgresql", "postgres"):
        return None
    if scheme != "sqlite":
        raise ValueError(
            f"unknown storage URL scheme {parts.scheme!r}: use sqlite:///path/to/file.sqlite3 "
            "or postgresql://user:password@host:5432/database"
        )
    path = unquote(url_or_path.split("://", 1)[1])
    if not path.startswith("/") or path == "/":
        raise ValueError(
            f"{url_or_path!r} names no file: write sqlite:///relative.sqlite3 or "
            "sqlite:////absolute/path.sqlite3"
        )
    return Path(path[1:])


async def open_storage(url_or_path: str | Path) -> SQLStorage:
    """Open the storage a URL or path names and apply pending migrations.

    ``sqlite:///...`` or a plain path: :class:`SQLiteStorage`; ``postgresql://...``:
    :class:`~bot.storage._postgres.PostgresStorage` (one connection pool per process).

    Raises:
        ValueError: an unknown scheme; the backend's own errors when it cannot connect.
    """
    path = sqlite_path(url_or_path)
    if path is not None:
        return await SQLiteStorage.open(path)
    from bot.storage._postgres import PostgresStorage

    return await PostgresStorage.open(str(url_or_path))
