"""REST routes of the application: the bot user, the gateway URL and command sync.

A part of :class:`~tests.double.server.DiscordDouble` (a mixin: the double's
``__init__`` sets the state it uses)."""

# Waiting helpers take `timeout=` on purpose: it is the tests' vocabulary (the brief asks for it).

from __future__ import annotations

import re
import time
from typing import Any

from aiohttp import web

from tests.double.server._records import (
    CommandSync,
    DiscordError,
)
from tests.double.server._state import (
    _command_fields_as_discord_returns,
    _seconds_to_utc_midnight,
)
from tests.double.server._validation import (
    _invalid_form,
    _max_len,
    _put_error,
    command_option_errors,
)


class AppRoutes:
    """REST routes of the application: the bot user, the gateway URL and command sync."""

    # ------------------------------------------------------------------ REST routes

    async def _get_me(self, request: web.Request, m: re.Match[str], body: Any) -> tuple[int, Any]:
        return 200, {**self.bot_user, "verified": True, "mfa_enabled": False, "locale": "en-US"}

    async def _get_app(self, request: web.Request, m: re.Match[str], body: Any) -> tuple[int, Any]:
        return 200, {
            "id": self.application_id,
            "name": self.bot_user["username"],
            "description": "Discord double application",
            "icon": None,
            "bot_public": False,
            "bot_require_code_grant": False,
            "owner": self.owner_user,
            "verify_key": "00" * 32,
            "type": None,
            "flags_new": "0",
            "redirect_uris": [],
            "interactions_endpoint_url": None,
            "role_connections_verification_url": None,
            "approximate_guild_count": len(self.guilds),
            "approximate_user_install_count": 0,
            "approximate_user_authorization_count": 0,
            "explicit_content_filter": 0,
            "eligible_oauth2_scopes": ["bot", "applications.commands"],
            "team": None,
            "flags": 0,
            "summary": "",
            "rpc_origins": [],
        }

    async def _get_gateway(
        self, request: web.Request, m: re.Match[str], body: Any
    ) -> tuple[int, Any]:
        if request.path.endswith("/bot"):
            return 200, self.sharding.gateway_bot(self.gateway_url)
        return 200, {"url": self.gateway_url}

    def _check_app(self, m: re.Match[str]) -> None:
        if m.group("app") != self.application_id:
            raise DiscordError(404, 10002, "Unknown Application")

    async def _get_commands(
        self, request: web.Request, m: re.Match[str], body: Any
    ) -> tuple[int, Any]:
        self._check_app(m)
        scope = m.groupdict().get("guild")
        return 200, list(self.commands.get(scope, {}).values())

    async def _put_commands(
        self, request: web.Request, m: re.Match[str], body: Any
    ) -> tuple[int, Any]:
        self._check_app(m)
        commands = body[0]
        scope = m.groupdict().get("guild")
        if scope is not None and scope not in self.guilds:
            raise DiscordError(403, 50001, "Missing Access", detail=f"bot is not in guild {scope}")
        if not isinstance(commands, list):
            raise _invalid_form(
                {
                    "_errors": [
                        {
                            "code": "LIST_TYPE_CONVERT",
                            "message": "Only iterables may be used in a ListType",
                        }
                    ]
                },
                "body is not a list",
            )
        errors, seen = _command_errors(commands)
        if errors:
            raise _invalid_form(errors, "invalid application command payload")
        existing = self.commands.get(scope, {})
        created = tuple(n for (n, t) in seen if (n, t) not in existing)
        used = self._creates_today.get(scope, 0)
        if used + len(created) > self.command_create_quota:
            self.syncs.append(CommandSync(scope, commands, created, False, time.monotonic()))
            raise DiscordError(
                429,
                30034,
                f"Max number of daily application command creates has been reached ({self.command_create_quota})",
                detail=f"{used} creates already today in scope {scope or 'global'}, {len(created)} more requested",
                retry_after=_seconds_to_utc_midnight(),
            )
        self._creates_today[scope] = used + len(created)
        registered = {
            (cmd["name"], cmd.get("type", 1)): self._as_registered(cmd, existing, scope)
            for cmd in commands
        }
        self.commands[scope] = registered
        self.syncs.append(CommandSync(scope, commands, created, True, time.monotonic()))
        return 200, list(registered.values())

    def _as_registered(
        self, cmd: dict[str, Any], existing: dict[tuple[str, int], Any], scope: str | None
    ) -> dict[str, Any]:
        """A command as Discord holds it after a sync: defaults filled, its id kept if it
        existed, a new version."""
        key = (cmd["name"], cmd.get("type", 1))
        old = existing.get(key)
        return {
            "description": "",
            "options": [],
            "default_member_permissions": None,
            "dm_permission": True,
            "nsfw": False,
            "contexts": None,
            "integration_types": [0],
            **cmd,
            **_command_fields_as_discord_returns(cmd),
            "type": key[1],
            "id": old["id"] if old else self.snowflake(),
            "application_id": self.application_id,
            "version": self.snowflake(),
            **({"guild_id": scope} if scope else {}),
        }


def _command_errors(
    commands: list[Any],
) -> tuple[dict[str, Any], set[tuple[str, int]]]:
    """Discord's rules for a bulk command overwrite: names, descriptions, options, no
    duplicates. Returns the nested ``errors`` (``{}`` if valid) and every ``(name, type)``."""
    errors: dict[str, Any] = {}
    seen: set[tuple[str, int]] = set()
    for i, cmd in enumerate(commands):
        name = cmd.get("name", "")
        ctype = cmd.get("type", 1)
        if (ctype == 1 and not re.fullmatch(r"[-_\w]{1,32}", name)) or (
            name != name.lower() and ctype == 1
        ):
            _put_error(
                errors,
                (i, "name"),
                "APPLICATION_COMMAND_INVALID_NAME",
                "Command name is invalid",
            )
        if ctype == 1 and not 1 <= len(cmd.get("description", "")) <= 100:
            _put_error(
                errors,
                (i, "description"),
                "BASE_TYPE_BAD_LENGTH",
                "Must be between 1 and 100 in length.",
            )
        _max_len(errors, (i, "options"), cmd.get("options") or [], 25)
        command_option_errors(cmd.get("options") or [], errors, (i, "options"))
        if (name, ctype) in seen:
            _put_error(
                errors,
                (i, "name"),
                "APPLICATION_COMMANDS_DUPLICATE_NAME",
                "Application command names must be unique",
            )
        seen.add((name, ctype))
    return errors, seen
