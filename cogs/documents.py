"""``/documents``: a server's managers turn documents, or whole folders (collections), on and off.

Every command that reads the corpus (``/quote``, ``/search``, ``/summary``, ``/sources``, their
autocompletes, the daily post) then sees only the documents that are on. Manage Server only.
"""

from __future__ import annotations

from typing import Any

from discord import Interaction, app_commands
from discord.ext import commands

from bot import installs, render
from bot.choices import COG_NAME, DocumentChoices
from bot.client import CorpusBot
from bot.core.sources import COLLECTION_PREFIX, collections, visible_documents
from bot.errors import send


@installs.servers_only
@app_commands.guild_only()
@app_commands.default_permissions(manage_guild=True)
class Documents(
    commands.GroupCog,
    name=COG_NAME,
    group_name="documents",
    group_description="Choose which documents this server sees",
):
    """The ``/documents`` group and the servers' choices."""

    def __init__(self, bot: CorpusBot) -> None:
        self.bot = bot
        self.choices = DocumentChoices(bot.storage)
        super().__init__()

    async def cog_load(self) -> None:
        await self.choices.load()

    async def interaction_check(self, interaction: Interaction[Any]) -> bool:
        """Manage Server is required even where the default permissions were overridden."""
        if not interaction.permissions.manage_guild:
            raise app_commands.MissingPermissions(["manage_guild"])
        return True

    def _name(self, typed: str) -> tuple[str, str]:
        """``(choice name, label)`` for what the user picked: a collection or a document."""
        library = self.bot.library
        roots = list(self.bot.settings.corpus.paths)
        if typed.startswith(COLLECTION_PREFIX):
            folder = typed.removeprefix(COLLECTION_PREFIX)
            if folder not in collections(library.corpus, roots):
                raise app_commands.AppCommandError(render.no_such_collection(folder))
            return typed, render.collection_label(folder)
        document = library.document(typed)
        assert document is not None
        return document.id, render.document_label(document)

    async def _set(self, interaction: Interaction[CorpusBot], name: str, enabled: bool) -> None:
        assert interaction.guild_id is not None
        choice, label = self._name(name)
        await self.choices.set(interaction.guild_id, choice, enabled)
        await send(interaction, render.documents_reply(self._summary(interaction), label, enabled))

    def _summary(self, interaction: Interaction[CorpusBot]) -> tuple[int, int]:
        library = self.bot.library
        assert interaction.guild_id is not None
        seen = visible_documents(
            library.corpus,
            self.choices.of(interaction.guild_id),
            list(self.bot.settings.corpus.paths),
        )
        total = len(library.corpus)
        return (total if seen is None else len(seen)), total

    @app_commands.command(name="disable", description="Turn a document or a folder off here")
    @app_commands.describe(name="A document, or a folder (collection) of documents")
    async def disable(self, interaction: Interaction[CorpusBot], name: str) -> None:
        await self._set(interaction, name, False)

    @app_commands.command(name="enable", description="Turn a document or a folder on again")
    @app_commands.describe(name="A document, or a folder (collection) of documents")
    async def enable(self, interaction: Interaction[CorpusBot], name: str) -> None:
        await self._set(interaction, name, True)

    @app_commands.command(name="list", description="What this server has turned on and off")
    async def show(self, interaction: Interaction[CorpusBot]) -> None:
        assert interaction.guild_id is not None
        choices = self.choices.of(interaction.guild_id)
        await send(interaction, render.document_choices_reply(choices, self._summary(interaction)))

    @app_commands.command(name="reset", description="Every document on again")
    async def reset(self, interaction: Interaction[CorpusBot]) -> None:
        assert interaction.guild_id is not None
        count = await self.choices.clear(interaction.guild_id)
        await send(interaction, render.documents_reset_reply(count))

    @disable.autocomplete("name")
    @enable.autocomplete("name")
    async def name_autocomplete(
        self, interaction: Interaction[CorpusBot], current: str
    ) -> list[app_commands.Choice[str]]:
        library = self.bot.library
        roots = list(self.bot.settings.corpus.paths)
        typed = current.strip().casefold()
        labels = [
            (render.collection_label(folder), COLLECTION_PREFIX + folder)
            for folder in collections(library.corpus, roots)
        ]
        folders = [(label, value) for label, value in labels if typed in label.casefold()]
        return render.choices([*folders[:5], *library.document_choices(current)])


async def setup(bot: CorpusBot) -> None:
    await bot.add_cog(Documents(bot))
