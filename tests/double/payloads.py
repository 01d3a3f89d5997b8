"""Builders for INTERACTION_CREATE payloads, to pass to ``DiscordDouble.send_interaction``.

The builders are pure: they return the parts a test cares about (command name,
options, who and where) and leave out what the double fills in when it
delivers the payload (interaction id and token, application id, the full
``member``/``channel`` objects, ``app_permissions``, ``data.id`` of the synced
command, ``data.resolved`` for user/channel/role options). Without
``guild_id``/``channel_id``/``user_id`` the double's default guild, channel and
member are used.

Shapes follow https://discord.com/developers/docs/interactions/receiving-and-responding
(interaction type 2 application command, 3 message component, 4 autocomplete,
5 modal submit; option types below).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

__all__ = [
    "BOOLEAN",
    "CHANNEL",
    "INTEGER",
    "MENTIONABLE",
    "NUMBER",
    "ROLE",
    "STRING",
    "USER",
    "autocomplete",
    "component",
    "message",
    "message_command",
    "modal_submit",
    "option",
    "slash_command",
    "user_install",
]

# Application command option types.
SUB_COMMAND, SUB_COMMAND_GROUP = 1, 2
STRING, INTEGER, BOOLEAN, USER, CHANNEL, ROLE, MENTIONABLE, NUMBER = 3, 4, 5, 6, 7, 8, 9, 10

Options = Mapping[str, Any] | Sequence[Mapping[str, Any]] | None


def option(name: str, value: Any, type: int | None = None) -> dict[str, Any]:
    """One command option ``{"name", "type", "value"}``.

    ``type`` defaults from the Python value: ``bool`` → BOOLEAN (5), ``int`` →
    INTEGER (4), ``float`` → NUMBER (10), anything else → STRING (3). Pass
    ``USER``/``CHANNEL``/``ROLE`` with a snowflake string for those (the double adds
    ``data.resolved``).
    """
    if type is None:
        if isinstance(value, bool):
            type = BOOLEAN
        elif isinstance(value, int):
            type = INTEGER
        elif isinstance(value, float):
            type = NUMBER
        else:
            type = STRING
    return {"name": name, "type": type, "value": value}


def _options(options: Options) -> list[dict[str, Any]]:
    if options is None:
        return []
    if isinstance(options, Mapping):
        return [option(k, v) for k, v in options.items()]
    return [dict(o) for o in options]


def _nest(
    opts: list[dict[str, Any]], subcommand: str | None, group: str | None
) -> list[dict[str, Any]]:
    if group is not None and subcommand is None:
        raise ValueError("a subcommand group needs a subcommand")
    if subcommand is not None:
        opts = [{"name": subcommand, "type": SUB_COMMAND, "options": opts}]
    if group is not None:
        opts = [{"name": group, "type": SUB_COMMAND_GROUP, "options": opts}]
    return opts


def _where(
    payload: dict[str, Any],
    *,
    guild_id: str | None,
    channel_id: str | None,
    user_id: str | None,
    permissions: str | int | None,
    dm: bool,
    locale: str | None,
) -> dict[str, Any]:
    if dm:
        if guild_id is not None:
            raise ValueError("a DM interaction has no guild")
        payload["dm"] = True
    elif guild_id is not None:
        payload["guild_id"] = str(guild_id)
    if channel_id is not None:
        payload["channel_id"] = str(channel_id)
    if user_id is not None:
        payload["user_id"] = str(user_id)
    if permissions is not None:
        payload["permissions"] = str(permissions)
    if locale is not None:
        payload["locale"] = locale
    return payload


def slash_command(
    name: str,
    options: Options = None,
    *,
    subcommand: str | None = None,
    group: str | None = None,
    guild_id: str | None = None,
    channel_id: str | None = None,
    user_id: str | None = None,
    permissions: str | int | None = None,
    dm: bool = False,
    locale: str | None = None,
) -> dict[str, Any]:
    """An application command invocation (interaction type 2, command type 1 CHAT_INPUT).

    ``options`` is ``{"query": "war", "limit": 3}`` or a list of :func:`option`
    dicts; with ``subcommand`` (and ``group``) they are nested as Discord nests
    them. ``permissions`` is the invoking member's permission integer in the
    channel (default: computed by the double from roles). ``dm=True`` makes a DM
    invocation (``user`` instead of ``member``, no guild).
    """
    payload: dict[str, Any] = {
        "type": 2,
        "data": {"name": name, "type": 1, "options": _nest(_options(options), subcommand, group)},
    }
    return _where(
        payload,
        guild_id=guild_id,
        channel_id=channel_id,
        user_id=user_id,
        permissions=permissions,
        dm=dm,
        locale=locale,
    )


def autocomplete(
    name: str,
    options: Options,
    *,
    focused: str,
    subcommand: str | None = None,
    group: str | None = None,
    guild_id: str | None = None,
    channel_id: str | None = None,
    user_id: str | None = None,
    dm: bool = False,
) -> dict[str, Any]:
    """An autocomplete request (interaction type 4) while the user types option ``focused``.

    ``options`` holds what is typed so far; the focused option's value is sent as
    a string (as Discord does, whatever the option's type) with ``"focused": true``.
    Raises ``ValueError`` if ``focused`` is not among ``options``.
    """
    opts = _options(options)
    for opt in opts:
        if opt["name"] == focused:
            opt["focused"] = True
            opt["value"] = str(opt["value"])
            break
    else:
        raise ValueError(f"focused option {focused!r} not in options")
    payload: dict[str, Any] = {
        "type": 4,
        "data": {"name": name, "type": 1, "options": _nest(opts, subcommand, group)},
    }
    return _where(
        payload,
        guild_id=guild_id,
        channel_id=channel_id,
        user_id=user_id,
        permissions=None,
        dm=dm,
        locale=None,
    )


def component(
    custom_id: str,
    message: Mapping[str, Any],
    *,
    user_id: str | None = None,
    component_type: int = 2,
    values: Sequence[str] | None = None,
) -> dict[str, Any]:
    """A click on a component (interaction type 3) of ``message`` (message JSON, e.g. from
    ``handle.final()`` or ``double.messages``).

    ``component_type`` 2 is a button, 3 a string select (pass the chosen ``values``).
    The channel and guild come from the message.
    """
    data: dict[str, Any] = {"custom_id": custom_id, "component_type": component_type}
    if values is not None:
        data["values"] = list(values)
    payload: dict[str, Any] = {"type": 3, "data": data, "message": dict(message)}
    guild_id = message.get("guild_id")
    return _where(
        payload,
        guild_id=guild_id,
        channel_id=message.get("channel_id"),
        user_id=user_id,
        permissions=None,
        dm=guild_id is None,
        locale=None,
    )


def modal_submit(
    custom_id: str,
    values: Mapping[str, str],
    *,
    guild_id: str | None = None,
    channel_id: str | None = None,
    user_id: str | None = None,
) -> dict[str, Any]:
    """A submitted modal (interaction type 5): ``values`` maps each text input's ``custom_id`` to its text."""
    rows = [
        {"type": 1, "components": [{"type": 4, "custom_id": cid, "value": value}]}
        for cid, value in values.items()
    ]
    payload: dict[str, Any] = {"type": 5, "data": {"custom_id": custom_id, "components": rows}}
    return _where(
        payload,
        guild_id=guild_id,
        channel_id=channel_id,
        user_id=user_id,
        permissions=None,
        dm=False,
        locale=None,
    )


def message(
    content: str,
    *,
    message_id: str = "900000000000000001",
    author_id: str = "900000000000000002",
    author_name: str = "someone",
    embeds: Sequence[Mapping[str, Any]] = (),
) -> dict[str, Any]:
    """A chat message as Discord sends it in ``data.resolved.messages`` (the channel is filled
    in by :func:`message_command`)."""
    return {
        "id": message_id,
        "type": 0,
        "content": content,
        "author": {
            "id": author_id,
            "username": author_name,
            "discriminator": "0",
            "global_name": None,
            "avatar": None,
        },
        "timestamp": "2026-01-01T00:00:00.000000+00:00",
        "edited_timestamp": None,
        "tts": False,
        "mention_everyone": False,
        "mentions": [],
        "mention_roles": [],
        "attachments": [],
        "embeds": [dict(e) for e in embeds],
        "pinned": False,
        "flags": 0,
        "components": [],
    }


def message_command(
    name: str,
    target: Mapping[str, Any],
    *,
    guild_id: str | None = None,
    channel_id: str | None = None,
    user_id: str | None = None,
    dm: bool = False,
) -> dict[str, Any]:
    """A message context-menu command (interaction type 2, command type 3 MESSAGE) run on
    ``target`` (from :func:`message`): ``data.target_id`` and ``data.resolved.messages``."""
    target = dict(target)
    payload: dict[str, Any] = {
        "type": 2,
        "data": {
            "name": name,
            "type": 3,
            "target_id": target["id"],
            "resolved": {"messages": {target["id"]: target}},
        },
    }
    payload = _where(
        payload,
        guild_id=guild_id,
        channel_id=channel_id,
        user_id=user_id,
        permissions=None,
        dm=dm,
        locale=None,
    )
    return payload


def user_install(payload: dict[str, Any], user_id: str, *, context: int = 1) -> dict[str, Any]:
    """``payload`` as Discord sends it to an app the user installed to their account: authorised
    by the user (``authorizing_integration_owners {"1": user_id}``), in ``context`` 1 (a DM with
    the bot), 2 (a group DM or another DM, where the bot is not a member) or 0 (a server the bot
    is not in: the member and channel come with the payload, the guild is unknown to the bot)."""
    if context == 0:
        guild_id, channel_id = "900000000000000004", "900000000000000005"
        user = {"id": user_id, "username": "visitor", "discriminator": "0", "avatar": None}
        payload.update(
            guild_id=guild_id,
            channel_id=channel_id,
            channel={
                "id": channel_id,
                "type": 0,
                "guild_id": guild_id,
                "name": "elsewhere",
                "position": 0,
                "flags": 0,
                "parent_id": None,
                "nsfw": False,
                "topic": None,
                "last_message_id": None,
                "rate_limit_per_user": 0,
                "permissions": "0",
            },
            member={"user": user, "roles": [], "permissions": "0", "flags": 0},
            context=0,
            authorizing_integration_owners={"1": user_id},
        )
        return payload
    payload["dm"] = True
    payload["user_id"] = user_id
    payload["context"] = context
    payload["authorizing_integration_owners"] = {"1": user_id}
    if context == 2:
        payload["channel_id"] = payload.get("channel_id") or "900000000000000003"
        payload["channel"] = {"id": payload["channel_id"], "type": 3, "recipients": []}
    return payload
