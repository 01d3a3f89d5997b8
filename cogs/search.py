"""``/search``: the passages that best match a half-remembered, misspelt phrase."""

from __future__ import annotations

import asyncio

from discord import Interaction, app_commands
from discord.ext import commands

from bot import cooldowns, installs, render, views
from bot.choices import allowed_for, document_autocomplete
from bot.client import CorpusBot
from bot.errors import send

#: Autocomplete cannot be deferred: give up (and offer nothing) after this many seconds.
AUTOCOMPLETE_BUDGET = 2.0


class Search(commands.Cog):
    """Fuzzy passage search with the match highlighted."""

    def __init__(self, bot: CorpusBot) -> None:
        self.bot = bot

    @installs.everywhere
    @app_commands.command(
        name="search", description="Find the passages that best match a phrase, typos and all"
    )
    @app_commands.describe(
        query="The phrase as you remember it",
        document="Only search this document",
        limit="How many passages to show (1-10)",
    )
    @cooldowns.costly()
    async def search(
        self,
        interaction: Interaction[CorpusBot],
        query: app_commands.Range[str, 1, 2000],
        document: str | None = None,
        limit: app_commands.Range[int, 1, 10] | None = None,
    ) -> None:
        """Parse options, search (off the event loop), render the hits, send."""
        cfg = self.bot.settings.search
        library = self.bot.library  # one library for the whole command, even across a reload
        hits = await self.bot.run_core(
            interaction,
            library.search,
            query,
            document=document,
            limit=limit or cfg.limit,
            threshold=cfg.threshold,
            min_chars=cfg.min_query_chars,
            max_chars=cfg.max_query_chars,
            allowed=allowed_for(self.bot, interaction.guild_id, library),
        )
        reply = render.search_reply(query, hits, library.corpus)
        view = views.hits_view(library, interaction.user.id, hits, lambda: self.bot.library)
        reply.view = view
        await send(interaction, reply)
        view.interaction = interaction

    @search.autocomplete("query")
    async def query_autocomplete(
        self, interaction: Interaction[CorpusBot], current: str
    ) -> list[app_commands.Choice[str]]:
        if len(current.strip()) < 3:
            return []
        try:
            suggestions = await asyncio.wait_for(
                self.bot.run_autocomplete(self.bot.library.index.suggest, current),
                AUTOCOMPLETE_BUDGET,
            )
        except (TimeoutError, ValueError):
            return []
        return render.choices((s, s) for s in suggestions)

    @search.autocomplete("document")
    async def document_autocomplete(
        self, interaction: Interaction[CorpusBot], current: str
    ) -> list[app_commands.Choice[str]]:
        return document_autocomplete(self.bot, interaction.guild_id, current)


async def setup(bot: CorpusBot) -> None:
    await bot.add_cog(Search(bot))
