""" "Where is this from?": a message command that finds the corpus passage a message quotes."""

from __future__ import annotations

import discord
from discord import Interaction, app_commands
from discord.ext import commands

from bot import installs, render, render_community, views
from bot.client import CorpusBot
from bot.errors import send


def message_text(message: discord.Message) -> str:
    """The text of ``message`` to look up: its content, else its embeds' titles, descriptions
    and fields (a quote the bot posted is an embed)."""
    if message.content.strip():
        return message.content
    parts: list[str] = []
    for embed in message.embeds:
        parts.extend(p for p in (embed.title, embed.description) if p)
        parts.extend(f.value for f in embed.fields if f.value)
    return "\n".join(parts)


class WhereFrom(commands.Cog):
    """Registers the message command (context menus cannot be declared inside a cog class)."""

    def __init__(self, bot: CorpusBot) -> None:
        self.bot = bot
        self.menu = app_commands.ContextMenu(
            name=render_community.WHERE_FROM_NAME, callback=self.where_from
        )
        installs.everywhere(self.menu)

    async def cog_load(self) -> None:
        self.bot.tree.add_command(self.menu)

    async def cog_unload(self) -> None:
        self.bot.tree.remove_command(self.menu.name, type=self.menu.type)

    async def where_from(
        self, interaction: Interaction[CorpusBot], message: discord.Message
    ) -> None:
        """Look the message's text up (off the event loop); answer with the source or say why not."""
        text = message_text(message)
        if not text.strip():
            await send(interaction, render.user_error(render_community.NOTHING_TO_LOCATE))
            return
        found = await self.bot.run_core(interaction, self.bot.library.where_from, text)
        if found is None or not found.accepted:
            await send(interaction, render_community.not_from_corpus(found))
            return
        document = self.bot.library.corpus.get(found.hit.passage.document_id)
        assert document is not None
        reply = render_community.where_from_reply(found, document)
        view = views.hits_view(
            self.bot.library, interaction.user.id, [found.hit], lambda: self.bot.library
        )
        reply.view = view
        await send(interaction, reply)
        view.interaction = interaction


async def setup(bot: CorpusBot) -> None:
    await bot.add_cog(WhereFrom(bot))
