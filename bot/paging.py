"""Previous/Next buttons for a paginated reply (``/sources``): only its user can page.

The pages are rendered on demand by ``render_page(page)``; a press edits the reply in place.
After :data:`TIMEOUT` seconds the buttons are removed.
"""

from __future__ import annotations

import contextlib
import logging
import secrets
from collections.abc import Callable
from typing import Any

import discord

from bot import render, views
from bot.errors import send

log = logging.getLogger(__name__)

TIMEOUT = 600.0


class PageView(discord.ui.View):
    """Previous/Next for ``pages`` pages rendered by ``render_page`` (0-based), owner only."""

    def __init__(
        self,
        owner_id: int,
        pages: int,
        render_page: Callable[[int], render.Reply],
        *,
        timeout: float = TIMEOUT,
    ) -> None:
        super().__init__(timeout=timeout)
        self.owner_id = owner_id
        self.pages = pages
        self.page = 0
        self.render_page = render_page
        self.interaction: discord.Interaction[Any] | None = None
        tag = secrets.token_hex(4)
        views.register(tag, self)
        self.previous: discord.ui.Button[PageView] = discord.ui.Button(
            label=render.SOURCES_PREVIOUS,
            style=discord.ButtonStyle.secondary,
            custom_id=f"page:prev:{tag}",
        )
        self.next: discord.ui.Button[PageView] = discord.ui.Button(
            label=render.SOURCES_NEXT,
            style=discord.ButtonStyle.secondary,
            custom_id=f"page:next:{tag}",
        )
        self.previous.callback = self._turn(-1)  # type: ignore[method-assign]
        self.next.callback = self._turn(+1)  # type: ignore[method-assign]
        self.add_item(self.previous)
        self.add_item(self.next)
        self._refresh_buttons()

    def _refresh_buttons(self) -> None:
        self.previous.disabled = self.page <= 0
        self.next.disabled = self.page >= self.pages - 1

    async def interaction_check(self, interaction: discord.Interaction[Any]) -> bool:
        """Only the command's user may page; others get an ephemeral note."""
        if interaction.user.id == self.owner_id:
            return True
        await send(interaction, render.user_error(render.NOT_YOURS))
        return False

    def _turn(self, step: int) -> Any:
        async def callback(interaction: discord.Interaction[Any]) -> None:
            self.page = min(max(self.page + step, 0), self.pages - 1)
            self._refresh_buttons()
            reply = self.render_page(self.page)
            await interaction.response.edit_message(embeds=reply.embeds, view=self)

        return callback

    async def on_timeout(self) -> None:
        """Remove the buttons once they stop working."""
        if self.interaction is None:
            return
        with contextlib.suppress(discord.HTTPException):
            await self.interaction.edit_original_response(view=None)
