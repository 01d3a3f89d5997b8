"""A tiny discord.py bot for the double's own tests: these tests prove the double (login,
gateway, interaction round trips, Discord's rules, fault injection), not the product's bot."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

FRUITS = ["apple", "apricot", "banana", "blackberry", "cherry"]


class TinyBot(commands.Bot):
    """Five commands that exercise each kind of answer; errors land in ``self.errors``."""

    def __init__(self, **options: Any) -> None:
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=discord.Intents.default(),
            guild_ready_timeout=0.1,
            allowed_mentions=discord.AllowedMentions.none(),
            **options,
        )
        self.errors: list[BaseException] = []
        self.post_channel: int | None = None

    async def setup_hook(self) -> None:
        self._add_answer_commands(self.tree)
        self._add_message_commands(self.tree)

        @self.tree.error
        async def on_error(
            interaction: discord.Interaction, error: app_commands.AppCommandError
        ) -> None:
            self.errors.append(getattr(error, "original", error))

    def _add_answer_commands(self, tree: app_commands.CommandTree[Any]) -> None:
        """Commands that answer in each way: at once, deferred, autocompleted, twice, late."""

        @tree.command(description="Repeat some text")
        async def echo(
            interaction: discord.Interaction, text: str, ephemeral: bool = False
        ) -> None:
            await interaction.response.send_message(text, ephemeral=ephemeral)

        @tree.command(description="Think, then answer with a follow-up")
        async def slow(interaction: discord.Interaction, words: int = 2) -> None:
            await interaction.response.defer(thinking=True)
            await asyncio.sleep(0.05)
            await interaction.followup.send(" ".join(["done"] * words))

        @tree.command(description="Fruit by prefix")
        async def fruit(interaction: discord.Interaction, name: str) -> None:
            await interaction.response.send_message(f"you picked {name}")

        @fruit.autocomplete("name")
        async def fruit_complete(
            interaction: discord.Interaction, current: str
        ) -> list[app_commands.Choice[str]]:
            if current.isdigit():  # "26" → 26 choices: lets a test cross the limit
                choices = [
                    app_commands.Choice(name=f"fruit {i}", value=f"f{i}")
                    for i in range(int(current))
                ]
                try:
                    await interaction.response.autocomplete(choices)
                except discord.HTTPException as exc:
                    self.errors.append(exc)
                return []
            return [app_commands.Choice(name=f, value=f) for f in FRUITS if f.startswith(current)]

        @tree.command(description="Answer twice (a bug on purpose)")
        async def twice(interaction: discord.Interaction) -> None:
            await interaction.response.send_message("first")
            # A fresh InteractionResponse bypasses discord.py's own guard, as a bug would.
            await discord.InteractionResponse(interaction).send_message("second")

        @tree.command(description="Answer after a delay")
        async def late(interaction: discord.Interaction, seconds: float) -> None:
            await asyncio.sleep(seconds)
            await interaction.response.send_message("finally")

    def _add_message_commands(self, tree: app_commands.CommandTree[Any]) -> None:
        """Commands that post to a channel, show buttons or an embed, and a command group."""

        @tree.command(description="Post to a channel")
        async def post(
            interaction: discord.Interaction, channel: discord.TextChannel, text: str
        ) -> None:
            await interaction.response.defer(ephemeral=True)
            message = await channel.send(text)
            await interaction.edit_original_response(content=f"posted {message.id}")

        @tree.command(description="Show a button")
        async def button(interaction: discord.Interaction) -> None:
            view = discord.ui.View(timeout=None)
            view.add_item(discord.ui.Button(label="More", custom_id="more:1"))
            view.add_item(discord.ui.Button(label="Refresh", custom_id="refresh"))
            await interaction.response.send_message("page 1", view=view)

        @tree.command(description="Answer with an embed")
        async def card(interaction: discord.Interaction, size: int, fields: int = 0) -> None:
            embed = discord.Embed(title="Card", description="d" * size)
            for i in range(fields):
                embed.add_field(name=f"f{i}", value="v")
            await interaction.response.defer()
            await interaction.followup.send(embed=embed)

        admin = app_commands.Group(name="admin", description="Admin tools")
        corpus = app_commands.Group(name="corpus", description="Corpus tools", parent=admin)

        @corpus.command(name="stats", description="Corpus statistics")
        async def stats(interaction: discord.Interaction, detail: bool = False) -> None:
            where = "dm" if interaction.guild_id is None else "guild"
            await interaction.response.send_message(f"stats detail={detail} in {where}")

        tree.add_command(admin)

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        """Skip discord.py's 5 s pause before a re-IDENTIFY (documented override point)."""

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        data = interaction.data or {}
        if (
            interaction.type is discord.InteractionType.component
            and data.get("custom_id") == "more:1"
        ):
            await interaction.response.edit_message(content="page 2", view=None)
        elif (
            interaction.type is discord.InteractionType.component
            and data.get("custom_id") == "refresh"
        ):
            await interaction.response.defer()  # type 6: deferred update of the clicked message
            await interaction.edit_original_response(content="refreshed")


async def wait_until(predicate: Callable[[], Any], timeout: float = 3.0) -> None:  # noqa: ASYNC109
    """Poll ``predicate`` every 10 ms until truthy; ``TimeoutError`` after ``timeout`` s."""
    end = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > end:
            raise TimeoutError("condition not met")
        await asyncio.sleep(0.01)
