"""``/quote``: a quotable line from the corpus with its source."""

from __future__ import annotations

from discord import Interaction, app_commands
from discord.ext import commands

from bot import cooldowns, installs, render, views
from bot.choices import allowed_for, document_autocomplete
from bot.client import CorpusBot
from bot.core.quotes import quote_key
from bot.errors import send
from bot.speakers import speaker_choices
from cogs import cards


class Quotes(commands.Cog):
    """Serves quotable lines; never the same line twice in a row in one channel."""

    def __init__(self, bot: CorpusBot) -> None:
        self.bot = bot

    @installs.everywhere
    @app_commands.command(
        name="quote", description="A quotable line from the corpus, with its source"
    )
    @app_commands.describe(
        document="Only quote from this document",
        contains="A word or phrase the quote should contain (typos are fine)",
        speaker="Only words said by this person",
        card="Post the quote as an image card",
    )
    @cooldowns.costly(when=lambda i: bool(getattr(i.namespace, "contains", None)))
    async def quote(
        self,
        interaction: Interaction[CorpusBot],
        document: str | None = None,
        contains: app_commands.Range[str, 1, 100] | None = None,
        speaker: str | None = None,
        card: bool | None = None,
    ) -> None:
        """Parse options, pick one quote (excluding the channel's last), render, send."""
        storage = self.bot.storage
        last = (
            await storage.last_quote_key(interaction.channel_id) if interaction.channel_id else None
        )
        library = self.bot.library  # one library for the whole command, even across a reload
        quote, doc = await self.bot.run_core(
            interaction,
            library.quote,
            document=document,
            contains=contains,
            speaker=speaker,
            exclude={last} if last else (),
            rotation=str(interaction.channel_id) if interaction.channel_id else None,
            allowed=allowed_for(self.bot, interaction.guild_id, library),
        )
        view = views.quote_view(library, interaction.user.id, quote, lambda: self.bot.library)
        if card:
            reply = await cards.quote_card_reply(self.bot, interaction, quote, doc)
        else:
            reply = render.quote_reply(quote, doc)
            views.add_card_button(view, cards.card_button_callback(self.bot, quote, doc))
        reply.view = view
        await send(interaction, reply)
        view.interaction = interaction
        if interaction.channel_id:
            await storage.set_last_quote_key(interaction.channel_id, quote_key(quote))

    @quote.autocomplete("document")
    async def document_autocomplete(
        self, interaction: Interaction[CorpusBot], current: str
    ) -> list[app_commands.Choice[str]]:
        return document_autocomplete(self.bot, interaction.guild_id, current)

    @quote.autocomplete("speaker")
    async def speaker_autocomplete(
        self, interaction: Interaction[CorpusBot], current: str
    ) -> list[app_commands.Choice[str]]:
        library = self.bot.library
        names = speaker_choices(
            library,
            getattr(interaction.namespace, "document", None),
            allowed_for(self.bot, interaction.guild_id, library),
            current,
        )
        return render.choices((s, s) for s in names)


async def setup(bot: CorpusBot) -> None:
    await bot.add_cog(Quotes(bot))
