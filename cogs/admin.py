"""``/about`` for everyone, and ``/sync`` for the bot's owners."""

from __future__ import annotations

from discord import Interaction, app_commands
from discord.ext import commands

from bot import installs, render
from bot.client import CorpusBot
from bot.errors import send
from bot.reload import reload_text


class Admin(commands.Cog):
    """Corpus information and owner-only maintenance."""

    def __init__(self, bot: CorpusBot) -> None:
        self.bot = bot

    @installs.everywhere
    @app_commands.command(name="about", description="What this bot serves, and what it stores")
    async def about(self, interaction: Interaction[CorpusBot]) -> None:
        await send(interaction, render.about_reply(self.bot.library.corpus))

    @installs.servers_only
    @app_commands.command(
        name="sync", description="Owner only: register the slash commands with Discord again"
    )
    @app_commands.default_permissions(administrator=True)
    async def sync(self, interaction: Interaction[CorpusBot]) -> None:
        if not await self.bot.is_owner(interaction.user):
            await send(interaction, render.user_error(render.OWNER_ONLY))
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        synced = await self.bot.sync_if_needed(force=True)
        await send(interaction, render.notice(render.SYNCED if synced else render.SYNC_FAILED))

    @installs.servers_only
    @app_commands.command(
        name="reload", description="Owner only: read the corpus files again, without a restart"
    )
    @app_commands.default_permissions(administrator=True)
    async def reload(self, interaction: Interaction[CorpusBot]) -> None:
        if not await self.bot.is_owner(interaction.user):
            await send(interaction, render.user_error(render.RELOAD_OWNER_ONLY))
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        outcome = await self.bot.reloader.reload(f"/reload by user {interaction.user.id}")
        await send(interaction, render.reload_reply(reload_text(outcome)))


async def setup(bot: CorpusBot) -> None:
    await bot.add_cog(Admin(bot))
