"""Guilds, channels, roles and members, and their permissions.

A part of :class:`~tests.double.server.DiscordDouble` (a mixin: the double's
``__init__`` sets the state it uses)."""

# Waiting helpers take `timeout=` on purpose: it is the tests' vocabulary (the brief asks for it).

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import Any

from tests.double.server._constants import (
    ADMINISTRATOR,
    DEFAULT_PERMISSIONS,
    DISCORD_EPOCH_MS,
)
from tests.double.server._state import (
    _Channel,
    _Guild,
    _now_iso,
)


class WorldState:
    """Guilds, channels, roles and members, and their permissions."""

    # ------------------------------------------------------------------ world state

    def snowflake(self) -> str:
        """A fresh Discord snowflake (string) carrying the current time."""
        ms = int(time.time() * 1000) - DISCORD_EPOCH_MS
        return str((ms << 22) | (next(self._snowflake_seq) & 0x3FFFFF))

    def _user(self, username: str, user_id: str | None = None) -> dict[str, Any]:
        return {
            "id": user_id or self.snowflake(),
            "username": username,
            "discriminator": "0",
            "global_name": username.title(),
            "avatar": None,
            "flags": 0,
            "public_flags": 0,
            "primary_guild": None,
        }

    def add_guild(
        self,
        name: str,
        *,
        everyone_permissions: int = DEFAULT_PERMISSIONS,
        guild_id: str | None = None,
    ) -> str:
        """Create a guild the bot is in (with its @everyone role and the bot as member); returns its id.

        Set up the world before the bot connects; a guild added later is sent as GUILD_CREATE.
        """
        gid = guild_id or self.snowflake()
        guild = _Guild(
            id=gid,
            name=name,
            owner_id=self.owner_user["id"],
            everyone_permissions=everyone_permissions,
        )
        guild.roles[gid] = self._role(gid, "@everyone", everyone_permissions, 0)
        guild.members[self.bot_user["id"]] = self._member(self.bot_user, [])
        guild.members[self.owner_user["id"]] = self._member(self.owner_user, [])
        self.guilds[gid] = guild
        if self._current is not None and self._current.ready.is_set():
            self._spawn(self._dispatch("GUILD_CREATE", self._guild_payload(guild)))
        return gid

    @staticmethod
    def _role(role_id: str, name: str, permissions: int, position: int) -> dict[str, Any]:
        return {
            "id": role_id,
            "name": name,
            "color": 0,
            "hoist": False,
            "position": position,
            "permissions": str(permissions),
            "managed": False,
            "mentionable": False,
            "flags": 0,
            "colors": {"primary_color": 0, "secondary_color": None, "tertiary_color": None},
            "icon": None,
            "unicode_emoji": None,
        }

    @staticmethod
    def _member(user: dict[str, Any], roles: list[str]) -> dict[str, Any]:
        return {
            "user": user,
            "roles": roles,
            "joined_at": _now_iso(),
            "deaf": False,
            "mute": False,
            "flags": 0,
            "nick": None,
        }

    def add_role(self, guild_id: str, name: str, *, permissions: int = 0) -> str:
        """Add a role to a guild; returns its id."""
        guild = self.guilds[guild_id]
        rid = self.snowflake()
        guild.roles[rid] = self._role(rid, name, permissions, len(guild.roles))
        return rid

    def add_member(
        self, guild_id: str, username: str, *, roles: Iterable[str] = (), user_id: str | None = None
    ) -> str:
        """Add a human member to a guild (reusing ``user_id``'s user if known); returns the user id."""
        user = self._find_user(user_id) if user_id else None
        user = user or self._user(username, user_id)
        self.guilds[guild_id].members[user["id"]] = self._member(user, list(roles))
        return str(user["id"])

    def add_channel(
        self,
        guild_id: str,
        name: str,
        *,
        permissions_for_bot: int | None = None,
        topic: str | None = None,
    ) -> str:
        """Add a text channel; returns its id.

        ``permissions_for_bot`` is the bot's effective permission integer in this
        channel (``None``: the guild's @everyone permissions). It is sent in
        GUILD_CREATE as a member overwrite, so ``channel.permissions_for(guild.me)``
        agrees with what the double enforces.
        """
        guild = self.guilds[guild_id]
        cid = self.snowflake()
        channel = _Channel(
            cid, guild_id, name, len(guild.channels), permissions_for_bot, topic=topic
        )
        guild.channels[cid] = channel
        if self._current is not None and self._current.ready.is_set():
            self._spawn(self._dispatch("CHANNEL_CREATE", self._channel_payload(channel)))
        return cid

    def _find_user(self, user_id: str | None) -> dict[str, Any] | None:
        if user_id == self.bot_user["id"]:
            return self.bot_user
        for guild in self.guilds.values():
            member = guild.members.get(str(user_id))
            if member is not None:
                user: dict[str, Any] = member["user"]
                return user
        return None

    def _find_channel(self, channel_id: str) -> _Channel | None:
        for guild in self.guilds.values():
            if channel_id in guild.channels:
                return guild.channels[channel_id]
        return None

    def bot_permissions(self, channel_id: str) -> int:
        """The bot's effective permissions in a channel (0 for an unknown channel)."""
        channel = self._find_channel(channel_id)
        if channel is None:
            return 0
        if channel.bot_permissions is not None:
            return channel.bot_permissions
        return self.guilds[channel.guild_id or ""].everyone_permissions

    def member_permissions(self, guild_id: str, user_id: str) -> int:
        """@everyone permissions OR the member's roles' permissions (ADMINISTRATOR implies all)."""
        guild = self.guilds[guild_id]
        perms = guild.everyone_permissions
        member = guild.members.get(user_id)
        for rid in member["roles"] if member else []:
            perms |= int(guild.roles[rid]["permissions"])
        if perms & ADMINISTRATOR or user_id == guild.owner_id:
            perms = (1 << 53) - 1
        return perms

    def _channel_payload(self, channel: _Channel) -> dict[str, Any]:
        overwrites = []
        if channel.bot_permissions is not None and channel.guild_id is not None:
            base = self.guilds[channel.guild_id].everyone_permissions
            overwrites.append(
                {
                    "id": self.bot_user["id"],
                    "type": 1,
                    "allow": str(channel.bot_permissions & ~base),
                    "deny": str(base & ~channel.bot_permissions),
                }
            )
        return {
            "id": channel.id,
            "type": channel.type,
            "guild_id": channel.guild_id,
            "name": channel.name,
            "position": channel.position,
            "permission_overwrites": overwrites,
            "topic": channel.topic,
            "nsfw": False,
            "parent_id": None,
            "rate_limit_per_user": 0,
            "last_message_id": None,
            "flags": 0,
        }

    def _guild_payload(self, guild: _Guild) -> dict[str, Any]:
        return {
            "id": guild.id,
            "name": guild.name,
            "icon": None,
            "owner_id": guild.owner_id,
            "unavailable": False,
            "large": False,
            "member_count": len(guild.members),
            "roles": list(guild.roles.values()),
            "channels": [self._channel_payload(c) for c in guild.channels.values()],
            "members": list(guild.members.values()),
            "threads": [],
            "emojis": [],
            "stickers": [],
            "features": [],
            "presences": [],
            "voice_states": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "soundboard_sounds": [],
            "preferred_locale": "en-US",
            "verification_level": 0,
            "default_message_notifications": 0,
            "explicit_content_filter": 0,
            "mfa_level": 0,
            "nsfw_level": 0,
            "premium_tier": 0,
            "system_channel_id": None,
            "joined_at": _now_iso(),
        }
