"""The double's world (guilds, channels, gateway connections) and the JSON shapes Discord
returns for them."""

# Waiting helpers take `timeout=` on purpose: it is the tests' vocabulary (the brief asks for it).

from __future__ import annotations

import asyncio
import copy
import datetime as dt
import itertools
import re
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

# --------------------------------------------------------------------------- state


@dataclass
class _Channel:
    id: str
    guild_id: str | None
    name: str
    position: int
    bot_permissions: int | None  # None: inherit the guild's @everyone permissions
    type: int = 0
    topic: str | None = None


@dataclass
class _Guild:
    id: str
    name: str
    owner_id: str
    everyone_permissions: int
    roles: dict[str, dict[str, Any]] = field(default_factory=dict)
    channels: dict[str, _Channel] = field(default_factory=dict)
    members: dict[str, dict[str, Any]] = field(default_factory=dict)


class _Gateway:
    """One websocket connection from the client."""

    def __init__(self, ws: web.WebSocketResponse) -> None:
        self.ws = ws
        self.session_id: str | None = None
        self.shard: tuple[int, int] | None = None
        self.ready = asyncio.Event()
        self.closed = asyncio.Event()


Route = Callable[[web.Request, "re.Match[str]", Any], Awaitable[tuple[int, Any]]]


def _command_fields_as_discord_returns(cmd: Mapping[str, Any]) -> dict[str, Any]:
    """Discord returns ``default_member_permissions`` as a string of digits and
    ``integration_types`` / ``contexts`` as arrays (defaults when sent as null)."""
    perms = cmd.get("default_member_permissions")
    return {
        "default_member_permissions": None if perms is None else str(perms),
        "integration_types": cmd.get("integration_types") or [0],
        "contexts": cmd.get("contexts") or [0, 1, 2],
    }


#: The fields of ``GET /guilds/{id}`` the double has no model for, as an ordinary small server
#: without features has them (the description requires every one).
_GUILD_DEFAULTS: dict[str, Any] = {
    **dict.fromkeys(
        (
            "icon",
            "description",
            "home_header",
            "splash",
            "discovery_splash",
            "banner",
            "application_id",
            "afk_channel_id",
            "system_channel_id",
            "widget_channel_id",
            "max_presences",
            "vanity_url_code",
            "rules_channel_id",
            "safety_alerts_channel_id",
            "public_updates_channel_id",
            "incidents_data",
        )
    ),
    "region": "deprecated",  # the value Discord sends since voice regions moved
    "features": [],
    "afk_timeout": 300,
    "system_channel_flags": 0,
    "widget_enabled": False,
    "verification_level": 0,
    "default_message_notifications": 0,
    "mfa_level": 0,
    "explicit_content_filter": 0,
    "max_members": 500000,
    "max_stage_video_channel_users": 50,
    "max_video_channel_users": 25,
    "premium_tier": 0,
    "premium_subscription_count": 0,
    "preferred_locale": "en-US",
    "premium_progress_bar_enabled": False,
    "nsfw": False,
    "nsfw_level": 0,
    "emojis": [],
    "stickers": [],
}


def _numbered(components: list[Any]) -> list[Any]:
    """Components as Discord returns them: each with a numeric ``id`` (1, 2, ... in reading
    order, unless the bot gave one; https://discord.com/developers/docs/components/reference)."""
    counter = itertools.count(1)

    def walk(items: list[Any]) -> list[Any]:
        out = []
        for item in items:
            if isinstance(item, dict):
                item = {**item, "id": item.get("id") or next(counter)}
                if isinstance(item.get("components"), list):
                    item["components"] = walk(item["components"])
            out.append(item)
        return out

    return walk(copy.deepcopy(components))


def _as_rest(out: Any) -> Any:
    """A REST answer as Discord sends it: messages carry no ``guild_id`` (Discord puts it on
    gateway events only), also inside an interaction callback's ``resource``."""

    def strip(message: Any) -> Any:
        if isinstance(message, dict) and "author" in message and "channel_id" in message:
            return {k: v for k, v in message.items() if k != "guild_id"}
        return message

    if isinstance(out, list):
        return [strip(item) for item in out]
    if isinstance(out, dict) and isinstance(out.get("resource"), dict):
        resource = out["resource"]
        if "message" in resource:
            return {**out, "resource": {**resource, "message": strip(resource["message"])}}
    return strip(out)


def _seconds_to_utc_midnight() -> float:
    """When the daily command-create quota resets (the ``retry_after`` of a 30034)."""
    now = dt.datetime.now(dt.UTC)
    midnight = (now + dt.timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    return round((midnight - now).total_seconds(), 3)


def _now_iso() -> str:
    return dt.datetime.now(dt.UTC).isoformat()
