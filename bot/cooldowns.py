"""Cooldowns on the costly commands, so one member's burst cannot slow everyone else down.

``/quote contains:`` on novels, ``/search`` and ``/summary`` take 0.3-3 s of core time each and
share one worker thread. :func:`costly` puts two of discord.py's own cooldowns on such a command:
per user and per channel (``app_commands.checks.dynamic_cooldown``). A refused interaction is
answered ephemerally with ``render.cooldown`` ("try again in N s") at no core cost.

The limits are the bot's :attr:`CorpusBot.cooldowns` (:class:`Limits`; ``None`` turns them off);
buckets are per bot instance, so bots in one process (tests) do not share them. A command refused
for bad input (an unknown document, a query that cannot be searched) gives its tokens back
(:func:`refund`, with discord.py's public ``Cooldown.update_rate_limit(tokens=-1)``), so a member
correcting a typo is not told to slow down.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, TypeVar

import discord
from discord import app_commands

from bot.core.errors import NotFound, QueryError, UserError

T = TypeVar("T")

#: ``interaction.extras`` key: the cooldown buckets a costly command took a token from.
CHARGED = "cooldowns.charged"
#: Buckets remembered per command before the oldest are forgotten (they then cannot refund).
_KEPT = 4096


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


def _user_key(interaction: discord.Interaction[Any]) -> Hashable:
    return (id(interaction.client), "user", interaction.user.id)


def _channel_key(interaction: discord.Interaction[Any]) -> Hashable:
    return (id(interaction.client), "channel", interaction.channel_id)


class _Buckets:
    """The cooldowns one costly command made, by key, so a refused interaction can refund them."""

    def __init__(self) -> None:
        self.made: dict[Hashable, app_commands.Cooldown] = {}

    def new(self, key: Hashable, rate: int, seconds: float) -> app_commands.Cooldown:
        if len(self.made) >= _KEPT:
            self.made.clear()
        self.made[key] = app_commands.Cooldown(rate, seconds)
        return self.made[key]

    def charge(self, interaction: discord.Interaction[Any]) -> None:
        """Note on the interaction the buckets its command just took a token from."""
        keys = (_user_key(interaction), _channel_key(interaction))
        interaction.extras[CHARGED] = [self.made[k] for k in keys if k in self.made]


def costly(when: Callable[[discord.Interaction[Any]], bool] | None = None) -> Callable[[T], T]:
    """Decorate a command whose core call is costly; ``when(interaction)`` narrows it (e.g. only
    ``/quote`` with ``contains``)."""
    buckets = _Buckets()

    def applies(interaction: discord.Interaction[Any]) -> Limits | None:
        limits = _limits(interaction)
        return limits if limits is not None and (when is None or when(interaction)) else None

    def per_user(interaction: discord.Interaction[Any]) -> app_commands.Cooldown | None:
        limits = applies(interaction)
        if limits is None:
            return None
        return buckets.new(_user_key(interaction), limits.per_user, limits.seconds)

    def per_channel(interaction: discord.Interaction[Any]) -> app_commands.Cooldown | None:
        limits = applies(interaction)
        if limits is None:
            return None
        return buckets.new(_channel_key(interaction), limits.per_channel, limits.seconds)

    def charged(interaction: discord.Interaction[Any]) -> bool:
        if applies(interaction) is not None:
            buckets.charge(interaction)
        return True

    def decorate(func: T) -> T:
        # Checks run in the order they are added: the member's own limit first, so a refused
        # burst does not use up the channel's allowance; ``charged`` last, once both passed.
        func = app_commands.checks.dynamic_cooldown(per_user, key=_user_key)(func)
        func = app_commands.checks.dynamic_cooldown(per_channel, key=_channel_key)(func)
        return app_commands.check(charged)(func)

    return decorate


def bad_input(interaction: discord.Interaction[Any], error: BaseException) -> bool:
    """Whether ``error`` refused the command for its input (a query that cannot be searched, a
    document option naming no document) rather than for finding nothing."""
    if isinstance(error, QueryError):
        return True
    document = getattr(interaction.namespace, "document", None)
    library = getattr(interaction.client, "library", None)
    if not isinstance(error, UserError) or not document or library is None:
        return False
    try:
        library.document(document)
    except NotFound:
        return True
    return False


def refund(interaction: discord.Interaction[Any]) -> None:
    """Give back the tokens the interaction's costly command took (once; no-op otherwise)."""
    for bucket in interaction.extras.pop(CHARGED, ()):
        if bucket.get_tokens() < bucket.rate:
            bucket.update_rate_limit(tokens=-1)
