"""``/sources``: the documents this server sees, a page at a time, or one document's details."""

from __future__ import annotations

from discord import Interaction, app_commands
from discord.ext import commands

from bot import installs, render
from bot.choices import allowed_for, document_autocomplete
from bot.client import CorpusBot
from bot.errors import send
from bot.paging import PageView


class Sources(commands.Cog):
    """The corpus, as a list of sources."""

    def __init__(self, bot: CorpusBot) -> None:
        self.bot = bot

    @installs.everywhere
    @app_commands.command(name="sources", description="List the documents, or show one in detail")
    @app_commands.describe(document="One document's details, sections and short summary")
    async def sources(
        self, interaction: Interaction[CorpusBot], document: str | None = None
    ) -> None:
        """List (paginated, buttons for the invoker only) or one document's details."""
        library = self.bot.library
        allowed = allowed_for(self.bot, interaction.guild_id, library)
        if document:
            source, doc, summary = await self.bot.run_core(
                interaction, library.source, document, allowed
            )
            await send(interaction, render.source_reply(source, doc, summary))
            return
        listed = await self.bot.run_core(interaction, library.sources, allowed)
        reply = render.sources_page(listed, 0)
        pages = render.sources_page_count(len(listed))
        if listed and pages > 1:
            view = PageView(
                interaction.user.id, pages, lambda page: render.sources_page(listed, page)
            )
            view.interaction = interaction
            reply.view = view
        await send(interaction, reply)

    @sources.autocomplete("document")
    async def document_autocomplete(
        self, interaction: Interaction[CorpusBot], current: str
    ) -> list[app_commands.Choice[str]]:
        return document_autocomplete(self.bot, interaction.guild_id, current)


async def setup(bot: CorpusBot) -> None:
    await bot.add_cog(Sources(bot))
