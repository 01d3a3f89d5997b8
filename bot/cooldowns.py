"""Cooldowns on the costly commands, so one member's burst cannot slow everyone else down.

``/quote contains:`` on novels, ``/search`` and ``/summary`` take 0.3-3 s of core time each and
share one worker thread. :func:`costly` puts two of discord.py's own cooldowns on such a command:
per user and per channel (``app_commands.checks.dynamic_cooldown``). A refused interaction is
answered ephemerally with ``render.cooldown`` ("try again in N s") at no core cost.

The limits are the bot's :attr:`CorpusBot.cooldowns` (:class:`Limits`; ``None`` turns them off);
buckets are per bot instance, so bots in one process (tests) do not share them.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, TypeVar

import discord
from discord import app_commands

T = TypeVar("T")


@dataclass(frozen=True)
class Limits:
    """At most ``per_user`` costly commands per member and ``per_channel`` per channel in any
    ``seconds``-long window."""

    per_user: int = 4
    per_channel: int = 12
    seconds: float = 30.0


def _limits(interaction: discord.Interaction[Any]) -> Limits | None:
    limits = getattr(interaction.client, "cooldowns", None)
    return limits if isinstance(limits, Limits) else None


def costly(when: Callable[[discord.Interaction[Any]], bool] | None = None) -> Callable[[T], T]:
    """Decorate a command whose core call is costly; ``when(interaction)`` narrows it (e.g. only
    ``/quote`` with ``contains``)."""

    def applies(interaction: discord.Interaction[Any]) -> Limits | None:
        limits = _limits(interaction)
        return limits if limits is not None and (when is None or when(interaction)) else None

    def per_user(interaction: discord.Interaction[Any]) -> app_commands.Cooldown | None:
        limits = applies(interaction)
        return None if limits is None else app_commands.Cooldown(limits.per_user, limits.seconds)

    def per_channel(interaction: discord.Interaction[Any]) -> app_commands.Cooldown | None:
        limits = applies(interaction)
        return None if limits is None else app_commands.Cooldown(limits.per_channel, limits.seconds)

    def user_key(interaction: discord.Interaction[Any]) -> Hashable:
        return (id(interaction.client), interaction.user.id)

    def channel_key(interaction: discord.Interaction[Any]) -> Hashable:
        return (id(interaction.client), interaction.channel_id)

    def decorate(func: T) -> T:
        # Checks run in the order they are added: the member's own limit first, so a refused
        # burst does not use up the channel's allowance.
        func = app_commands.checks.dynamic_cooldown(per_user, key=user_key)(func)
        return app_commands.checks.dynamic_cooldown(per_channel, key=channel_key)(func)

    return decorate
