"""``/reading``: a server's reading club (start, status, pause, resume, skip, stop), the
scheduler that posts its daily instalments, and the members' previous/next pager.

Every ``/reading`` command needs Manage Server and answers ephemerally. Each instalment is posted
as its first page with "◀ Previous" / "Next ▶" buttons; anyone may press them, and gets their own
private pager through the pages of every instalment posted so far. The buttons are
:class:`discord.ui.DynamicItem`\\ s (their custom_id says which page to show), so they keep
working after a restart.
"""

from __future__ import annotations

import functools
import logging
from typing import Any

import discord
from discord import Interaction, app_commands
from discord.ext import commands

from bot import installs, render, render_community
from bot.client import CorpusBot
from bot.core.daily import (
    ScheduleError,
    canonical_zone,
    next_send_times,
    parse_local_time,
    timezone_suggestions,
)
from bot.core.models import Document
from bot.core.reading import CHAPTER, MAX_PARAGRAPHS, Instalment, ReadingClub, instalments
from bot.delivery import failed_send
from bot.errors import send
from bot.reading_scheduler import ReadingScheduler
from bot.scheduler import SendResult
from bot.storage import effective_next_day
from cogs.daily import missing_permissions

log = logging.getLogger(__name__)

Page = tuple[int, int]  # (day, page), both 1-based


class PageButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"reading:(?P<day>[0-9]{1,5}):(?P<page>[0-9]{1,4}):(?P<way>[pn])",
):
    """A pager button: shows page ``page`` of instalment ``day`` to whoever presses it."""

    def __init__(self, day: int, page: int, forward: bool, *, disabled: bool = False) -> None:
        way = "n" if forward else "p"
        super().__init__(
            discord.ui.Button(
                label="Next ▶" if forward else "◀ Previous",
                style=discord.ButtonStyle.secondary,
                custom_id=f"reading:{day}:{page}:{way}",
                disabled=disabled,
            )
        )
        self.day, self.page = day, page

    @classmethod
    async def from_custom_id(
        cls, interaction: Interaction[Any], item: discord.ui.Item[Any], match: Any
    ) -> PageButton:
        return cls(int(match["day"]), int(match["page"]), match["way"] == "n")

    async def callback(self, interaction: Interaction[Any]) -> None:
        cog: Any = interaction.client.get_cog("Reading")
        await cog.show_page(interaction, (self.day, self.page))


@installs.servers_only
@app_commands.guild_only()
@app_commands.default_permissions(manage_guild=True)
class Reading(commands.GroupCog, group_name="reading", group_description="The reading club"):
    """The ``/reading`` group, the club scheduler and the pager."""

    def __init__(self, bot: CorpusBot) -> None:
        self.bot = bot
        self.scheduler: ReadingScheduler | None = None
        super().__init__()

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(PageButton)
        if self.scheduler is None:
            self.scheduler = ReadingScheduler(
                self.bot.storage,
                send=self.send_instalment,
                total_days=self.total_days,
                clock=self.bot.clock,
            )
        self.scheduler.start()

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(PageButton)
        if self.scheduler is not None:
            await self.scheduler.stop()

    async def interaction_check(self, interaction: Interaction[Any]) -> bool:
        """Manage Server is required even where the default permissions were overridden."""
        if not interaction.permissions.manage_guild:
            raise app_commands.MissingPermissions(["manage_guild"])
        return True

    # -- instalments ----------------------------------------------------------------------
    @functools.lru_cache(maxsize=64)  # noqa: B019 - one cog per process, lives as long as it
    def _plan(self, document_id: str, size: int) -> tuple[Instalment, ...]:
        document = self.bot.library.corpus.get(document_id)
        return tuple(instalments(document, size)) if document is not None else ()

    @functools.lru_cache(maxsize=64)  # noqa: B019
    def _pages(self, document_id: str, size: int, day: int) -> tuple[str, ...]:
        document = self.bot.library.corpus.get(document_id)
        assert document is not None
        return tuple(
            render_community.instalment_pages(document, self._plan(document_id, size)[day - 1])
        )

    def total_days(self, club: ReadingClub) -> int | None:
        """How many instalments the club's document has (``None`` if it left the corpus)."""
        return len(self._plan(club.document_id, club.size)) or None

    def _neighbours(
        self, club: ReadingClub, at: Page, last_day: int
    ) -> tuple[Page | None, Page | None]:
        day, page = at
        pages = len(self._pages(club.document_id, club.size, day))
        before = (day, page - 1) if page > 1 else None
        if before is None and day > 1:
            before = (day - 1, len(self._pages(club.document_id, club.size, day - 1)))
        after = (day, page + 1) if page < pages else ((day + 1, 1) if day < last_day else None)
        return before, after

    def _page_reply(
        self, club: ReadingClub, document: Document, at: Page, last_day: int, *, private: bool
    ) -> render.Reply:
        day, page = at
        pages = list(self._pages(club.document_id, club.size, day))
        instalment = self._plan(club.document_id, club.size)[day - 1]
        reply = render_community.instalment_reply(
            document, instalment, pages, page, private=private
        )
        before, after = self._neighbours(club, at, last_day)
        view = discord.ui.View(timeout=None)
        view.add_item(PageButton(*(before or at), False, disabled=before is None))
        view.add_item(PageButton(*(after or at), True, disabled=after is None))
        reply.view = view
        return reply

    async def send_instalment(self, club: ReadingClub, day: int, nonce: str) -> SendResult:
        """Post page 1 of instalment ``day`` with ``nonce``; open its thread when asked."""
        document = self.bot.library.corpus.get(club.document_id)
        if document is None:
            return SendResult.error(f"document {club.document_id} is no longer in the corpus")
        reply = self._page_reply(club, document, (day, 1), day, private=False)
        channel = self.bot.get_partial_messageable(club.channel_id, guild_id=club.guild_id)
        try:
            message = await channel.send(nonce=nonce, **reply.send_kwargs(channel=True))
        except Exception as exc:
            result = failed_send(exc)
            if result is None:
                raise
            return result
        if club.thread:
            name = render_community.instalment_heading(
                self._plan(club.document_id, club.size)[day - 1]
            )
            try:
                await message.create_thread(name=render.shorten(name, 100))
            except discord.HTTPException as exc:
                log.warning("could not open the discussion thread of day %s: %s", day, exc)
        return SendResult.ok(message.id)

    async def show_page(self, interaction: Interaction[Any], at: Page) -> None:
        """A pager button: the page, privately (a new message, or the pager updated in place)."""
        club = await self.bot.storage.get_reading_club(interaction.guild_id or 0)
        document = self.bot.library.corpus.get(club.document_id) if club else None
        total = self.total_days(club) or 0 if club is not None else 0
        if club is None or document is None or not 1 <= at[0] <= total:
            await send(interaction, render.user_error(render_community.CLUB_OVER))
            return
        last_day = await self.bot.storage.last_sent_reading_day(club.guild_id)
        if at[0] > last_day:
            await send(interaction, render.user_error(render_community.NOT_YET))
            return
        pages = self._pages(club.document_id, club.size, at[0])
        at = (at[0], min(max(at[1], 1), len(pages)))
        reply = self._page_reply(club, document, at, last_day, private=True)
        message = interaction.message
        if message is not None and message.flags.ephemeral:
            await interaction.response.edit_message(embeds=reply.embeds, view=reply.view)
        else:
            await send(interaction, reply)

    # -- commands -------------------------------------------------------------------------
    async def _club(self, interaction: Interaction[CorpusBot]) -> ReadingClub:
        club: ReadingClub | None = await self.bot.storage.get_reading_club(
            interaction.guild_id or 0
        )
        if club is None:
            raise ScheduleError(render_community.NO_CLUB)
        return club

    @app_commands.command(name="start", description="Post a document here in daily instalments")
    @app_commands.describe(
        document="What to read",
        channel="Where to post",
        time="Local time of each post, 24-hour HH:MM (e.g. 07:30)",
        timezone="Time zone, e.g. Europe/Berlin (type to search)",
        paragraphs="Paragraphs a day (default: a chapter a day)",
        thread="Open a discussion thread on each instalment",
    )
    async def start(
        self,
        interaction: Interaction[CorpusBot],
        document: str,
        channel: discord.TextChannel,
        time: app_commands.Range[str, 1, 8],
        timezone: app_commands.Range[str, 1, 64],
        paragraphs: app_commands.Range[int, 1, MAX_PARAGRAPHS] | None = None,
        thread: bool = False,
    ) -> None:
        assert interaction.guild is not None
        if paragraphs is not None and not 1 <= paragraphs <= MAX_PARAGRAPHS:
            raise ScheduleError(render_community.bad_instalment_size(paragraphs, MAX_PARAGRAPHS))
        me = interaction.guild.me
        if me is not None:
            allowed = channel.permissions_for(me)
            missing = missing_permissions(allowed)
            if thread and not allowed.create_public_threads:
                missing.append("Create Public Threads")
            if missing:
                await send(
                    interaction,
                    render.daily_missing_permissions(
                        channel.mention, missing, command="/reading start"
                    ),
                )
                return
        doc = self.bot.library.document(document) or self.bot.library.corpus.documents[0]
        club = ReadingClub(
            guild_id=interaction.guild.id,
            channel_id=channel.id,
            document_id=doc.id,
            time=parse_local_time(time),
            timezone=canonical_zone(timezone),
            size=paragraphs or CHAPTER,
            thread=thread,
        )
        await self.bot.storage.set_reading_club(club)
        total = self.total_days(club) or 0
        first = next_send_times(club.schedule, self.bot.clock())
        await send(interaction, render_community.reading_started(club, doc, total, first))

    @start.autocomplete("document")
    async def document_autocomplete(
        self, interaction: Interaction[CorpusBot], current: str
    ) -> list[app_commands.Choice[str]]:
        return render.choices(self.bot.library.document_choices(current))

    @start.autocomplete("timezone")
    async def timezone_autocomplete(
        self, interaction: Interaction[CorpusBot], current: str
    ) -> list[app_commands.Choice[str]]:
        return render.choices(timezone_suggestions(current))

    @app_commands.command(name="status", description="Where the reading club is")
    async def status(self, interaction: Interaction[CorpusBot]) -> None:
        club = await self._club(interaction)
        document = self.bot.library.corpus.get(club.document_id)
        if document is None:
            raise ScheduleError(render_community.CLUB_OVER)
        next_day = await effective_next_day(self.bot.storage, club)
        when = next_send_times(club.schedule, self.bot.clock(), 1)
        total = self.total_days(club) or 0
        await send(
            interaction, render_community.reading_status(club, document, next_day, total, when)
        )

    async def _change(self, interaction: Interaction[CorpusBot], what: str) -> None:
        club = await self._club(interaction)
        next_day = await effective_next_day(self.bot.storage, club)
        storage = self.bot.storage
        if what == "stop":
            await storage.delete_reading_club(club.guild_id)
        elif what == "skip":
            if next_day > (self.total_days(club) or 0):
                raise ScheduleError(render_community.NOTHING_TO_SKIP)
            next_day += 1
            await storage.update_reading_club(club.guild_id, next_day=next_day)
        else:
            await storage.update_reading_club(club.guild_id, paused=what == "pause")
        await send(interaction, render_community.reading_changed(what, next_day))

    @app_commands.command(name="pause", description="Pause the reading club")
    async def pause(self, interaction: Interaction[CorpusBot]) -> None:
        await self._change(interaction, "pause")

    @app_commands.command(name="resume", description="Resume the reading club")
    async def resume(self, interaction: Interaction[CorpusBot]) -> None:
        await self._change(interaction, "resume")

    @app_commands.command(name="skip", description="Skip the next instalment")
    async def skip(self, interaction: Interaction[CorpusBot]) -> None:
        await self._change(interaction, "skip")

    @app_commands.command(name="stop", description="End the reading club")
    async def stop(self, interaction: Interaction[CorpusBot]) -> None:
        await self._change(interaction, "stop")


async def setup(bot: CorpusBot) -> None:
    await bot.add_cog(Reading(bot))
