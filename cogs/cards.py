"""Quote cards: ``/card_style`` (a server's look) and the card that ``/quote card:true``, a
quote's "Card" button and a card daily post send. Drawing runs in the bot's worker thread."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any, Literal

from discord import Interaction, app_commands
from discord.ext import commands

from bot import installs, render, render_community
from bot.cards import DEFAULT_STYLE, STYLES, render_card
from bot.client import CorpusBot
from bot.core.models import Document, Quote
from bot.errors import send

#: Storage meta key of a server's card style.
STYLE_KEY = "card_style:{guild_id}"


async def card_style(bot: CorpusBot, guild_id: int | None) -> str:
    """The card style a server chose (the default outside servers or when none was chosen)."""
    if guild_id is None:
        return DEFAULT_STYLE
    stored = await bot.storage.get_meta(STYLE_KEY.format(guild_id=guild_id))
    return stored if stored in STYLES else DEFAULT_STYLE


def draw_quote_card(quote: Quote, document: Document, style: str) -> bytes:
    """The PNG of a quote's card (CPU work: call it off the event loop)."""
    return render_card(*render_community.card_text(quote, document), style)


async def quote_card_reply(
    bot: CorpusBot, interaction: Interaction[Any], quote: Quote, document: Document
) -> render.Reply:
    """The card of ``quote`` in the style of the interaction's server, ready to send."""
    style = await card_style(bot, interaction.guild_id)
    png = await bot.run_core(interaction, draw_quote_card, quote, document, style)
    return render_community.card_reply(png, quote, document)


def card_button_callback(
    bot: CorpusBot, quote: Quote, document: Document
) -> Callable[[Interaction[Any]], Awaitable[None]]:
    """What a quote's "Card" button does: post the quote's card."""

    async def callback(interaction: Interaction[Any]) -> None:
        await send(interaction, await quote_card_reply(bot, interaction, quote, document))

    return callback


class Cards(commands.Cog):
    """The server's card style."""

    def __init__(self, bot: CorpusBot) -> None:
        self.bot = bot

    @installs.servers_only
    @app_commands.command(
        name="card_style", description="Choose how this server's quote cards look"
    )
    @app_commands.describe(style="light, dark, or ink (white on blue)")
    @app_commands.default_permissions(manage_guild=True)
    async def card_style_command(
        self, interaction: Interaction[CorpusBot], style: Literal["light", "dark", "ink"]
    ) -> None:
        if not interaction.permissions.manage_guild:
            raise app_commands.MissingPermissions(["manage_guild"])
        assert interaction.guild_id is not None
        await self.bot.storage.set_meta(STYLE_KEY.format(guild_id=interaction.guild_id), style)
        await send(interaction, render_community.card_style_set(style))


async def setup(bot: CorpusBot) -> None:
    await bot.add_cog(Cards(bot))


#: Storage meta key: "1" when a server's daily post is a card.
DAILY_CARD_KEY = "daily_card:{guild_id}"


async def daily_card(bot: CorpusBot, guild_id: int) -> bool:
    """Whether the server chose card daily posts (``/daily set card:true``)."""
    stored = await bot.storage.get_meta(DAILY_CARD_KEY.format(guild_id=guild_id))
    return bool(stored == "1")


async def set_daily_card(bot: CorpusBot, guild_id: int, on: bool) -> None:
    """Make the server's daily posts cards (or embeds again)."""
    await bot.storage.set_meta(DAILY_CARD_KEY.format(guild_id=guild_id), "1" if on else "0")


async def daily_card_reply(
    bot: CorpusBot, guild_id: int, quote: Quote, document: Document
) -> render.Reply:
    """A daily post as a card in the server's style (drawn in a worker thread)."""
    style = await card_style(bot, guild_id)
    png = await asyncio.to_thread(draw_quote_card, quote, document, style)
    return render_community.card_reply(png, quote, document)
