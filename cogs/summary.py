"""``/summary``: an extractive summary of a document, every line verbatim."""

from __future__ import annotations

from typing import Literal

from discord import Interaction, app_commands
from discord.ext import commands

from bot import cooldowns, installs, render
from bot.choices import allowed_for, document_autocomplete
from bot.client import CorpusBot
from bot.errors import send

Length = Literal["short", "medium", "long", "key_points"]


class Summaries(commands.Cog):
    """Extractive summaries: the most central sentences, in document order."""

    def __init__(self, bot: CorpusBot) -> None:
        self.bot = bot

    @installs.everywhere
    @app_commands.command(
        name="summary", description="Summarise a document with sentences taken verbatim from it"
    )
    @app_commands.describe(
        document="Which document (default: the first)",
        length="short (1-2 sentences), medium (3-5), long (about 10%, at most 25) or key points",
        sentences="Exactly this many sentences (1-25), instead of a length",
        section="Only this chapter or section (pick from the list)",
    )
    @cooldowns.costly()
    async def summary(
        self,
        interaction: Interaction[CorpusBot],
        document: str | None = None,
        length: Length | None = None,
        sentences: app_commands.Range[int, 1, 25] | None = None,
        section: str | None = None,
    ) -> None:
        """Parse options, summarise (off the event loop), render, send."""
        chosen = length or self.bot.settings.summary.length
        library = self.bot.library
        summary, doc = await self.bot.run_core(
            interaction,
            library.summary,
            document,
            length=chosen,
            sentences=sentences,
            section=section,
            allowed=allowed_for(self.bot, interaction.guild_id, library),
        )
        await send(interaction, render.summary_reply(summary, doc, bullets=chosen == "key_points"))

    @summary.autocomplete("document")
    async def document_autocomplete(
        self, interaction: Interaction[CorpusBot], current: str
    ) -> list[app_commands.Choice[str]]:
        return document_autocomplete(self.bot, interaction.guild_id, current)

    @summary.autocomplete("section")
    async def section_autocomplete(
        self, interaction: Interaction[CorpusBot], current: str
    ) -> list[app_commands.Choice[str]]:
        document = getattr(interaction.namespace, "document", None)
        return render.choices(self.bot.library.section_choices(document, current))


async def setup(bot: CorpusBot) -> None:
    await bot.add_cog(Summaries(bot))
