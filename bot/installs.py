"""Where each command can be used: installed by a server, by a user, or both.

Discord lets a user install an app to their own account ("user install"); its commands then work
in DMs, group DMs and servers the bot is not a member of. Reading commands (``/quote``,
``/search``, ``/summary``, "Where is this from?") are offered everywhere; what configures or posts
on a server's behalf (``/daily``, ``/reading``, server settings) stays with servers that
installed the bot. Apply :func:`everywhere` or :func:`servers_only` to a command, group class or
context menu; ``corpusbot commands --json`` shows the result as Discord receives it.
"""

from __future__ import annotations

from typing import TypeVar

from discord import app_commands

T = TypeVar("T")


def everywhere(command: T) -> T:
    """Installable by servers and users; usable in servers, the bot's DMs and group DMs."""
    command = app_commands.allowed_installs(guilds=True, users=True)(command)
    return app_commands.allowed_contexts(guilds=True, dms=True, private_channels=True)(command)


def servers_only(command: T) -> T:
    """Installable by servers only; usable only in a server that installed the bot."""
    command = app_commands.allowed_installs(guilds=True, users=False)(command)
    return app_commands.allowed_contexts(guilds=True, dms=False, private_channels=False)(command)
