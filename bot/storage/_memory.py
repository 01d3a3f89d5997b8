"""The in-memory backend: the same semantics as the SQL backends, no file, no server.

For tests, simulations and dry runs; several schedulers sharing one instance behave like
processes sharing one database.
"""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import date, datetime

from bot.core.daily import DailySchedule
from bot.storage._choices import DocumentChoiceMemory
from bot.storage._reading import ReadingMemory
from bot.storage._records import (
    USED_STATUSES,
    DailyStatus,
    GuildStatus,
    PostRecord,
    PostStatus,
    ScheduleReads,
    ScheduleRecord,
    failure_status,
)
from bot.storage._stamps import stored, utc_now


class MemoryStorage(ReadingMemory, DocumentChoiceMemory, ScheduleReads):
    """:class:`~bot.storage.Storage` in process memory: same semantics as :class:`SQLiteStorage`, no file.

    For tests, simulations and dry runs; state is lost when the object is dropped. Several
    schedulers sharing one instance behave like processes sharing one database.
    """

    def __init__(self) -> None:
        self._meta: dict[str, str] = {}
        self._schedules: dict[int, ScheduleRecord] = {}
        self._posts: dict[int, dict[date, PostRecord]] = {}
        self._latest: dict[int, date] = {}
        self._status: dict[int, GuildStatus] = {}
        self._last_quote: dict[int, str] = {}
        self._identify: dict[int, float] = {}

    async def close(self) -> None:
        return None

    async def get_meta(self, key: str) -> str | None:
        return self._meta.get(key)

    async def set_meta(self, key: str, value: str) -> None:
        self._meta[key] = value

    async def get_schedule_record(self, guild_id: int) -> ScheduleRecord | None:
        return self._schedules.get(guild_id)

    async def set_schedule(
        self, schedule: DailySchedule, *, source: str = "command", at: datetime | None = None
    ) -> None:
        self._status.pop(schedule.guild_id, None)
        self._schedules[schedule.guild_id] = ScheduleRecord(
            schedule, True, source, stored(at or utc_now())
        )

    async def disable_schedule(self, guild_id: int, *, at: datetime | None = None) -> bool:
        record = self._schedules.get(guild_id)
        if record is None:
            return False
        self._schedules[guild_id] = replace(
            record, enabled=False, updated_at=stored(at or utc_now())
        )
        return True

    async def all_schedule_records(self) -> list[ScheduleRecord]:
        return [self._schedules[g] for g in sorted(self._schedules)]

    async def last_post(self, guild_id: int) -> PostRecord | None:
        latest = self._latest.get(guild_id)
        return None if latest is None else self._posts[guild_id][latest]

    def _note_date(self, guild_id: int, local_date: date) -> None:
        latest = self._latest.get(guild_id)
        if latest is None or local_date > latest:
            self._latest[guild_id] = local_date

    async def get_post(self, guild_id: int, local_date: date) -> PostRecord | None:
        return self._posts.get(guild_id, {}).get(local_date)

    def _put(self, record: PostRecord) -> None:
        """Store ``record`` as its guild's row for its local date (new or replaced)."""
        self._note_date(record.guild_id, record.local_date)
        self._posts.setdefault(record.guild_id, {})[record.local_date] = record

    async def claim_post(
        self,
        guild_id: int,
        local_date: date,
        quote_key: str,
        channel_id: int,
        now: datetime,
        *,
        cycle: int = 0,
        nonce: str | None = None,
    ) -> bool:
        stamp = stored(now)
        existing = await self.get_post(guild_id, local_date)
        if existing is None:
            self._put(
                PostRecord(
                    guild_id,
                    local_date,
                    quote_key,
                    cycle,
                    channel_id,
                    PostStatus.PENDING,
                    nonce,
                    stamp,
                )
            )
            return True
        if existing.status != PostStatus.RETRY:
            return False
        self._put(
            replace(
                existing,
                status=PostStatus.PENDING,
                quote_key=quote_key,
                cycle=cycle,
                channel_id=channel_id,
                claimed_at=stamp,
                nonce=existing.nonce if existing.nonce is not None else nonce,
                attempts=existing.attempts + 1,
                error=None,
            )
        )
        return True

    async def complete_post(
        self, guild_id: int, local_date: date, message_id: int, posted_at: datetime
    ) -> None:
        existing = await self.get_post(guild_id, local_date)
        if existing is not None:
            self._put(
                replace(
                    existing,
                    status=PostStatus.SENT,
                    message_id=message_id,
                    posted_at=stored(posted_at),
                    error=None,
                )
            )

    async def fail_post(
        self, guild_id: int, local_date: date, status: PostStatus | str, error: str
    ) -> None:
        status = failure_status(status)
        existing = await self.get_post(guild_id, local_date)
        if existing is not None:
            self._put(replace(existing, status=status, error=error))

    async def release_post(self, guild_id: int, local_date: date, reason: str) -> bool:
        posts = self._posts.get(guild_id, {})
        existing = posts.get(local_date)
        if existing is None or existing.status != PostStatus.PENDING:
            return False
        if existing.attempts > 1:
            posts[local_date] = replace(
                existing, status=PostStatus.RETRY, attempts=existing.attempts - 1, error=reason
            )
            return True
        del posts[local_date]
        if posts:
            self._latest[guild_id] = max(posts)
        else:
            self._latest.pop(guild_id, None)
        return True

    async def record_post(
        self,
        guild_id: int,
        local_date: date,
        quote_key: str,
        channel_id: int,
        message_id: int,
        posted_at: datetime,
        *,
        cycle: int | None = None,
    ) -> bool:
        if local_date in self._posts.get(guild_id, {}):
            return False
        if cycle is None:
            cycle = await self.current_cycle(guild_id)
        # a claim and its completion in one step: the date had no row, so the claim succeeds
        await self.claim_post(guild_id, local_date, quote_key, channel_id, posted_at, cycle=cycle)
        await self.complete_post(guild_id, local_date, message_id, posted_at)
        return True

    async def current_cycle(self, guild_id: int) -> int:
        cycles = [
            p.cycle for p in self._posts.get(guild_id, {}).values() if p.status in USED_STATUSES
        ]
        return max(cycles, default=0)

    async def used_quote_keys(self, guild_id: int, cycle: int) -> set[str]:
        return {
            p.quote_key
            for p in self._posts.get(guild_id, {}).values()
            if p.cycle == cycle and p.status in USED_STATUSES
        }

    async def set_status(
        self,
        guild_id: int,
        status: DailyStatus | str,
        detail: str,
        at: datetime,
        *,
        channel_id: int | None = None,
        local_date: date | None = None,
    ) -> None:
        self._status[guild_id] = GuildStatus(
            guild_id,
            DailyStatus(status),
            detail,
            stored(at),
            channel_id=channel_id,
            local_date=local_date,
        )

    async def get_status(self, guild_id: int) -> GuildStatus | None:
        return self._status.get(guild_id)

    async def reserve_identify(self, bucket: int, interval: float) -> float:
        now = time.time()
        start = max(self._identify.get(bucket, now), now)
        self._identify[bucket] = start + interval
        return start - now

    async def last_quote_key(self, channel_id: int) -> str | None:
        return self._last_quote.get(channel_id)

    async def set_last_quote_key(self, channel_id: int, key: str) -> None:
        self._last_quote[channel_id] = key
