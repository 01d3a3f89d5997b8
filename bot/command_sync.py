"""Command sync: the slash commands are registered with Discord only when asked or when they
changed, in one scope (the dev guild, else global) and never both; a refused sync is logged with
what to do and leaves the bot running. :class:`CommandSyncBot` is a base class of
:class:`~bot.client.CorpusBot`.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging

import discord

from bot import render, sharding
from bot.staleness import command_shape

log = logging.getLogger("bot.client")  # the bot's own log lines keep one logger name

#: Storage meta key: the scope (``"global"`` or ``"guild:ID"``) of the last command sync.
SYNC_SCOPE_KEY = "commands_scope"


class CommandSyncBot(sharding.ShardedBot):
    """A :class:`~bot.sharding.ShardedBot` that syncs its command tree (see the module docstring).

    Subclasses set ``settings``, ``storage`` and ``sync_requested`` (``corpusbot run --sync``).
    """

    sync_requested: bool = False
    _resync: asyncio.Task[bool] | None = None

    def commands_fingerprint(self) -> str:
        """A hash of the command definitions, to sync only when they changed."""
        payload = [c.to_dict(self.tree) for c in self.tree.get_commands()]
        return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()

    async def sync_if_needed(self, *, force: bool = False) -> bool:
        """Sync to the dev guild when configured, else globally — when asked or when definitions changed.

        "Changed" compares with the fingerprint stored at the last sync, so the first start syncs
        once and ten restarts in a row sync no more.

        Never both: with a dev guild, global commands are copied to it and not synced globally,
        and any global commands Discord still holds for the bot are removed (with a warning);
        unsetting the dev guild removes the copy registered there by the last guild sync this
        storage recorded. So no server lists every command twice.

        A sync Discord refuses (the bot is not in the dev guild: 50001; the daily command-create
        quota: 30034; any HTTP error) is logged with what to do and leaves the bot running with
        the commands Discord already has; the fingerprint is not stored, so the next start tries
        again. Returns ``False`` after such a refusal, else ``True``.
        """
        dev_guild = self.settings.discord.dev_guild_id
        scope = f"guild:{dev_guild}" if dev_guild else "global"
        fingerprint = self.commands_fingerprint()
        key = f"commands_fingerprint:{scope}"
        last = await self.storage.get_meta(key)
        asked = force or self.sync_requested or self.settings.discord.sync_commands
        if not asked and last == fingerprint and await self._discord_holds_these(dev_guild):
            log.info("commands unchanged since the last sync (%s); not syncing", scope)
            return True
        try:
            if dev_guild:
                guild = discord.Object(id=dev_guild)
                self.tree.copy_global_to(guild=guild)
                synced = await self.tree.sync(guild=guild)
            else:
                synced = await self.tree.sync()
        except discord.HTTPException as error:
            log.error("%s", render.sync_failed(error.status, error.code, error.text, dev_guild))
            return False
        except discord.RateLimited as error:
            log.error("%s", render.sync_rate_limited(error.retry_after, dev_guild))
            return False
        await self.storage.set_meta(key, fingerprint)
        log.info("synced %d commands (%s)", len(synced), scope)
        try:
            await self._clear_other_scope(scope)
        except discord.HTTPException as error:
            log.warning("could not remove the commands of the other scope: %s", error)
        return True

    async def _discord_holds_these(self, dev_guild: int | None) -> bool:
        """Whether the commands Discord holds (one cheap GET) are the ones this version would
        sync; ``True`` when Discord cannot be asked (the local record is trusted then)."""
        guild = discord.Object(id=dev_guild) if dev_guild else None
        if guild is not None:
            self.tree.copy_global_to(guild=guild)
        local = sorted(
            command_shape(c.to_dict(self.tree)) for c in self.tree.get_commands(guild=guild)
        )
        assert self.application_id is not None  # set by login
        try:
            if dev_guild:
                held = await self.http.get_guild_commands(self.application_id, dev_guild)
            else:
                held = await self.http.get_global_commands(self.application_id)
        except (discord.HTTPException, discord.RateLimited) as error:
            log.warning("could not read the commands Discord holds: %s", error)
            return True
        remote = sorted(command_shape(c) for c in held)
        same = remote == local
        if not same:
            names = sorted({str(c[1]) for c in set(remote) ^ set(local)})
            log.info(
                "the commands Discord holds differ from this version's (%s); syncing",
                ", ".join(names),
            )
        return same

    def request_resync(self) -> None:
        """Sync the commands now, in the background (once at a time): an interaction showed that
        Discord holds older definitions than this version's."""
        if self._resync is not None and not self._resync.done():
            return
        self._resync = asyncio.get_running_loop().create_task(
            self.sync_if_needed(force=True), name="corpusbot-resync"
        )

    async def _clear_other_scope(self, scope: str) -> None:
        """Remove the commands registered in the scope that is not ``scope`` (see above)."""
        assert self.application_id is not None  # set by login
        previous = await self.storage.get_meta(SYNC_SCOPE_KEY)
        if scope != "global":
            # Discord is asked, not storage: a fresh storage file knows no earlier global sync
            if await self.http.get_global_commands(self.application_id):
                await self.http.bulk_upsert_global_commands(self.application_id, [])
                await self.storage.set_meta("commands_fingerprint:global", "")
                log.warning(
                    "removed the bot's global commands so that the dev guild does not list "
                    "them twice; unset discord.dev_guild_id to register them globally again"
                )
        elif previous and previous.startswith("guild:"):
            guild_id = int(previous.removeprefix("guild:"))
            await self.http.bulk_upsert_guild_commands(self.application_id, guild_id, [])
            await self.storage.set_meta(f"commands_fingerprint:{previous}", "")
            log.warning(
                "removed the commands registered earlier in the dev guild %s; they are "
                "registered globally now",
                guild_id,
            )
        await self.storage.set_meta(SYNC_SCOPE_KEY, scope)
