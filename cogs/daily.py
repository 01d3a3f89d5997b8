"""``/daily``: a server's daily quote post (set, show, off, now, preview) and its scheduler.

Wiring (see docs/ARCHITECTURE.md): ``setup_hook`` opens storage, then loads this extension;
:meth:`Daily.cog_load` builds the process's one :class:`~bot.scheduler.DailyScheduler` and starts
it (``setup_hook`` runs once per process, ``on_ready`` after every reconnect), and
:meth:`Daily.cog_unload` (run by ``Bot.close``) stops it. The scheduler posts through
:meth:`Daily.send_daily`, which renders the quote like ``/quote`` and maps discord.py's
exceptions to :class:`~bot.scheduler.SendResult` outcomes.

Every ``/daily`` command needs Manage Server (hidden from others by default permissions and
checked again on use) and answers ephemerally, except the post ``/daily now`` makes.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

import aiohttp
import discord
from discord import Interaction, app_commands
from discord.ext import commands

from bot import installs, render, render_community
from bot.choices import allowed_for
from bot.client import CorpusBot
from bot.core.daily import (
    MAX_GRACE,
    DailySchedule,
    ScheduleError,
    canonical_zone,
    next_send_times,
    parse_local_time,
    timezone_suggestions,
)
from bot.core.errors import NotFound
from bot.core.models import Document, Quote
from bot.core.quotes import quote_key
from bot.delivery import failed_send
from bot.errors import send
from bot.scheduler import (
    DailyScheduler,
    SendResult,
)
from cogs import cards

log = logging.getLogger(__name__)

#: The permissions a daily post needs in its channel, with the names Discord shows.
NEEDED = (
    ("view_channel", "View Channel"),
    ("send_messages", "Send Messages"),
    ("embed_links", "Embed Links"),
)

#: Guilds a scheduler pass posts for at once: a thousand posts due at the same minute go out in
#: seconds, well under Discord's global 50 requests per second (benchmarks.scale).
DAILY_CONCURRENCY = 8

# -- pure helpers (tested without Discord) -----------------------------------------------


def missing_permissions(permissions: discord.Permissions) -> list[str]:
    """Names of the permissions a daily post needs that ``permissions`` lacks, in order."""
    return [label for flag, label in NEEDED if not getattr(permissions, flag)]


# -- the cog -------------------------------------------------------------------------------


@installs.servers_only
@app_commands.guild_only()
@app_commands.default_permissions(manage_guild=True)
class Daily(commands.GroupCog, group_name="daily", group_description="The daily quote post"):
    """The ``/daily`` group and the process's daily scheduler."""

    def __init__(self, bot: CorpusBot) -> None:
        self.bot = bot
        self.scheduler: DailyScheduler | None = None
        self._channel_guilds: dict[int, int] = {}  # channel id -> its guild, as Discord said
        self._order_library: object = None  # the library the memoised quote orders are over
        super().__init__()

    # -- lifecycle ----------------------------------------------------------------------
    def _grace(self) -> timedelta:
        minutes = self.bot.settings.scheduler.grace_minutes
        grace = timedelta(minutes=minutes)
        return min(max(grace, timedelta(minutes=1)), MAX_GRACE)

    def _config_schedules(self) -> list[DailySchedule]:
        return [s.to_core() for s in self.bot.settings.daily]

    async def cog_load(self) -> None:
        """Build and start the one scheduler (``start`` is idempotent)."""
        if self.scheduler is None:
            self.scheduler = DailyScheduler(
                self.bot.storage,
                send=self.send_daily,
                quote_order=self.quote_order,
                # the corpus of the moment: a reload can add or remove documents
                known_documents=lambda: frozenset(d.id for d in self.bot.library.corpus),
                clock=self.bot.clock,
                grace=self._grace(),
                config_schedules=self._config_schedules(),
                owns=self.bot.owns_guild,
                concurrency=DAILY_CONCURRENCY,
                # a simulated fast clock (bot.simclock): sleeps shrink, Discord's nonce
                # deduplication keeps its real duration
                sleep=lambda seconds: asyncio.sleep(seconds / self.bot.time_scale),
                nonce_window=timedelta(minutes=2) * self.bot.time_scale,
            )
        self.scheduler.start()

    async def cog_unload(self) -> None:
        if self.scheduler is not None:
            await self.scheduler.stop()

    async def interaction_check(self, interaction: Interaction[Any]) -> bool:
        """Manage Server is required even where the default permissions were overridden."""
        if not interaction.permissions.manage_guild:
            raise app_commands.MissingPermissions(["manage_guild"])
        return True

    # -- scheduler callbacks ------------------------------------------------------------
    def quote_order(self, schedule: DailySchedule) -> Sequence[str]:
        """The guild's permutation of quote keys over its chosen documents (memoised: it hashes
        and sorts every quotable line, and the scheduler asks on the event loop)."""
        library = self.bot.library
        if library is not self._order_library:  # a reload: orders over the old corpus are stale
            self._quote_order.cache_clear()
            self._order_library = library
        documents = schedule.documents
        allowed = allowed_for(self.bot, schedule.guild_id, library)
        if not documents and allowed is not None:  # the server's own choice of documents
            documents = tuple(d.id for d in library.corpus if d.id in allowed)
        return self._quote_order(documents, schedule.guild_id)

    @functools.lru_cache(maxsize=256)  # noqa: B019 - one cog per process, lives as long as it
    def _quote_order(self, documents: tuple[str, ...], guild_id: int) -> tuple[str, ...]:
        quotes = self.bot.library.quotes.cycle_order(documents or None, salt=str(guild_id))
        return tuple(quote_key(q) for q in quotes)

    def _quote(self, key: str) -> tuple[Quote, Document]:
        quote = self.bot.library.quotes.get(key)
        document = self.bot.library.corpus.get(quote.document_id) if quote else None
        if quote is None or document is None:
            raise NotFound(f"The quote {key} is no longer in the corpus.")
        return quote, document

    def _quote_reply(self, key: str) -> render.Reply:
        return render.quote_reply(*self._quote(key))

    def _missing_for(self, schedule: DailySchedule, error: discord.Forbidden) -> str:
        if error.code == 50001:
            return "View Channel"
        guild = self.bot.get_guild(schedule.guild_id)
        channel = guild.get_channel(schedule.channel_id) if guild else None
        if guild is not None and channel is not None and guild.me is not None:
            missing = missing_permissions(channel.permissions_for(guild.me))
            if missing:
                return missing[0]
        return "Send Messages"

    async def _other_guild(self, schedule: DailySchedule) -> int | None:
        """The id of the guild the schedule's channel belongs to when that is another guild than
        the schedule's (a config copy/paste slip); else ``None``.

        Asked of Discord (``GET /channels/{id}``, once per channel and process: a channel never
        moves between guilds), not of discord.py's cache, which is empty until the gateway has
        sent the guilds. When Discord does not answer (403, 404, an outage) ``None``: the send
        then gets Discord's own answer."""
        guild_id = self._channel_guilds.get(schedule.channel_id)
        if guild_id is None:
            try:
                data = await self.bot.http.get_channel(schedule.channel_id)
            except (discord.HTTPException, aiohttp.ClientError, TimeoutError, OSError):
                return None
            owner = dict(data).get("guild_id")  # absent for DM channels
            if owner is None:
                return None
            guild_id = self._channel_guilds[schedule.channel_id] = int(str(owner))
        return guild_id if guild_id != schedule.guild_id else None

    async def send_daily(self, schedule: DailySchedule, key: str, nonce: str) -> SendResult:
        """Post the quote ``key`` in the schedule's channel with ``nonce`` (discord.py adds
        ``enforce_nonce``, so Discord drops a repeat); map the outcome for the scheduler.

        A channel that Discord says belongs to another guild is not sent to
        (:meth:`SendResult.wrong_guild`)."""
        other = await self._other_guild(schedule)
        if other is not None:
            return SendResult.wrong_guild(other)
        try:
            quote, document = self._quote(key)
        except NotFound as exc:
            return SendResult.error(str(exc))
        if await cards.daily_card(self.bot, schedule.guild_id):
            reply = await cards.daily_card_reply(self.bot, schedule.guild_id, quote, document)
        else:
            reply = render.quote_reply(quote, document)
        kwargs = reply.send_kwargs(channel=True)
        if schedule.mention_role_id:
            kwargs["content"] = f"<@&{schedule.mention_role_id}>"
            kwargs["allowed_mentions"] = discord.AllowedMentions(
                everyone=False, users=False, roles=[discord.Object(schedule.mention_role_id)]
            )
        channel = self.bot.get_partial_messageable(schedule.channel_id, guild_id=schedule.guild_id)
        try:
            message = await channel.send(nonce=nonce, **kwargs)
        except Exception as exc:
            missing = functools.partial(self._missing_for, schedule)
            result = failed_send(exc, permission=missing)
            if result is None:
                raise
            return result
        return SendResult.ok(message.id)

    # -- commands -------------------------------------------------------------------------
    @app_commands.command(name="set", description="Post a quote in a channel every day")
    @app_commands.describe(
        channel="Where to post",
        time="Local time of the post, 24-hour HH:MM (e.g. 08:47)",
        timezone="Time zone, e.g. Europe/Berlin (type to search)",
        mention_role="A role to mention with each post (optional)",
        card="Post each quote as an image card (needs Attach Files)",
    )
    async def set_(
        self,
        interaction: Interaction[CorpusBot],
        channel: discord.TextChannel,
        time: app_commands.Range[str, 1, 8],
        timezone: app_commands.Range[str, 1, 64],
        mention_role: discord.Role | None = None,
        card: bool | None = None,
    ) -> None:
        assert interaction.guild is not None
        local_time = parse_local_time(time)
        zone_name = canonical_zone(timezone)
        me = interaction.guild.me
        if me is not None:
            missing = missing_permissions(channel.permissions_for(me))
            if card and not channel.permissions_for(me).attach_files:
                missing.append("Attach Files")  # a card is an uploaded image
            if missing:
                await send(interaction, render.daily_missing_permissions(channel.mention, missing))
                return
        storage = self.bot.storage
        previous = await storage.get_schedule_record(interaction.guild.id)
        schedule = DailySchedule(
            guild_id=interaction.guild.id,
            channel_id=channel.id,
            time=local_time,
            timezone=zone_name,
            mention_role_id=mention_role.id if mention_role else None,
            documents=previous.schedule.documents if previous else (),
        )
        now = self.bot.clock()
        await storage.set_schedule(schedule, source="command", at=now)
        config_owned = previous is not None and previous.source == "config"
        reply = render.daily_set_reply(
            schedule, next_send_times(schedule, now), config_owned=config_owned
        )
        if card is not None:
            await cards.set_daily_card(self.bot, interaction.guild.id, card)
        reply = render_community.with_card_note(reply, card)
        await send(interaction, render.with_offset_note(reply, schedule.timezone))

    @set_.autocomplete("timezone")
    async def timezone_autocomplete(
        self, interaction: Interaction[CorpusBot], current: str
    ) -> list[app_commands.Choice[str]]:
        """Zones for what was typed: names, UTC offsets ("UTC+2" → Etc/GMT-2), abbreviations and
        cities as suggestions; each choice's name says the real offset, its value is the IANA
        name (:func:`bot.core.daily.timezone_suggestions`)."""
        return render.choices(timezone_suggestions(current))

    @app_commands.command(name="show", description="Show this server's daily quote settings")
    async def show(self, interaction: Interaction[CorpusBot]) -> None:
        assert interaction.guild_id is not None
        storage = self.bot.storage
        record = await storage.get_schedule_record(interaction.guild_id)
        status = await storage.get_status(interaction.guild_id)
        last = await storage.last_post(interaction.guild_id)
        corpus = self.bot.library.corpus
        removed = [d for d in record.schedule.documents if corpus.get(d) is None] if record else []
        reply = render.daily_reply(
            render.show_text(record, status, last, self.bot.clock(), removed=removed)
        )
        await send(
            interaction, render.with_offset_note(reply, record.schedule.timezone if record else "")
        )

    @app_commands.command(name="off", description="Stop the daily quote post")
    async def off(self, interaction: Interaction[CorpusBot]) -> None:
        assert interaction.guild_id is not None
        stopped = await self.bot.storage.disable_schedule(interaction.guild_id, at=self.bot.clock())
        await send(interaction, render.daily_off_reply(stopped=stopped))

    async def _schedule_or_explain(self, interaction: Interaction[CorpusBot]) -> DailySchedule:
        assert interaction.guild_id is not None
        record = await self.bot.storage.get_schedule_record(interaction.guild_id)
        if record is None:
            raise ScheduleError(render.NO_DAILY)
        if not record.enabled:  # turned off with /daily off: say so, as /daily show does
            raise ScheduleError(render.DAILY_OFF)
        schedule: DailySchedule = record.schedule
        return schedule

    @app_commands.command(name="now", description="Post today's quote here now (once a day)")
    async def now(self, interaction: Interaction[CorpusBot]) -> None:
        schedule = await self._schedule_or_explain(interaction)
        assert self.scheduler is not None
        assert interaction.channel_id is not None
        # the post is embed-only: check here like /daily set, before the day is claimed
        missing = missing_permissions(interaction.app_permissions)
        if missing:
            await send(
                interaction,
                render.daily_missing_permissions(
                    f"<#{interaction.channel_id}>", missing, command="/daily now"
                ),
            )
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        outcome = await self.scheduler.post_now(schedule, channel_id=interaction.channel_id)
        await send(interaction, render.daily_reply(render.now_text(outcome)))

    @app_commands.command(name="preview", description="See the next daily quote (only you)")
    async def preview(self, interaction: Interaction[CorpusBot]) -> None:
        schedule = await self._schedule_or_explain(interaction)
        assert self.scheduler is not None
        key = await self.scheduler.next_quote_key(schedule)
        when = next_send_times(schedule, self.bot.clock(), 1)
        await send(interaction, render.daily_preview(self._quote_reply(key), when))


async def setup(bot: CorpusBot) -> None:
    await bot.add_cog(Daily(bot))
