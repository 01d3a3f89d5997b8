"""REST routes of interaction answers: callbacks, follow-ups and webhook message edits.

A part of :class:`~tests.double.server.DiscordDouble` (a mixin: the double's
``__init__`` sets the state it uses)."""

# Waiting helpers take `timeout=` on purpose: it is the tests' vocabulary (the brief asks for it).

from __future__ import annotations

import copy
import re
import time
from typing import Any

from aiohttp import web

from tests.double.server._constants import (
    CB_AUTOCOMPLETE,
    CB_DEFER,
    CB_DEFER_UPDATE,
    CB_MESSAGE,
    CB_MODAL,
    CB_UPDATE,
    FLAG_EPHEMERAL,
    FLAG_LOADING,
    INTERACTION_AUTOCOMPLETE,
    INTERACTION_COMMAND,
    INTERACTION_COMPONENT,
    INTERACTION_MODAL,
)
from tests.double.server._handle import InteractionHandle
from tests.double.server._records import (
    DiscordError,
    OutgoingMessage,
)
from tests.double.server._state import (
    _now_iso,
    _numbered,
)
from tests.double.server._validation import (
    _invalid_form,
    validate_callback,
    validate_message,
)


class MessageRoutes:
    """REST routes of interaction answers: callbacks, follow-ups and webhook message edits."""

    def _record_outgoing(
        self, kind: str, request: web.Request, path_body: dict[str, Any], interaction_id: str | None
    ) -> None:
        self.outgoing.append(
            OutgoingMessage(
                kind=kind,
                method=request.method,
                path=request.path.removeprefix("/api/v10"),
                body=path_body,
                allowed_mentions=path_body.get("allowed_mentions"),
                interaction_id=interaction_id,
                at=time.monotonic(),
            )
        )

    def _make_message(
        self,
        channel_id: str,
        body: dict[str, Any],
        blobs: dict[str, bytes],
        *,
        guild_id: str | None,
        msg_type: int = 0,
        flags: int = 0,
        interaction: InteractionHandle | None = None,
    ) -> dict[str, Any]:
        mid = self.snowflake()
        msg: dict[str, Any] = {
            "id": mid,
            "channel_id": channel_id,
            "author": self.bot_user,
            "content": body.get("content") or "",
            "timestamp": _now_iso(),
            "edited_timestamp": None,
            "tts": bool(body.get("tts", False)),
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "attachments": self._attachments(channel_id, mid, body, blobs),
            "embeds": body.get("embeds") or [],
            "components": _numbered(body.get("components") or []),
            "pinned": False,
            "type": msg_type,
            "flags": flags | int(body.get("flags") or 0),
        }
        if guild_id is not None:
            msg["guild_id"] = guild_id  # kept for the double's own use; not sent over REST
        if interaction is not None:
            msg["webhook_id"] = self.application_id
            msg["application_id"] = self.application_id
        if "poll" in body:
            msg["poll"] = body["poll"]
        self.messages[mid] = msg
        return msg

    def _attachments(
        self, channel_id: str, mid: str, body: dict[str, Any], blobs: dict[str, bytes]
    ) -> list[dict[str, Any]]:
        out = []
        for i, att in enumerate(body.get("attachments") or []):
            blob = blobs.get(f"files[{att.get('id', i)}]", b"")
            filename = att.get("filename", f"file{i}")
            url = f"http://127.0.0.1:{self._port}/attachments/{channel_id}/{mid}/{filename}"
            self.attachment_blobs[url] = blob
            out.append(
                {
                    "id": self.snowflake(),
                    "filename": filename,
                    "size": len(blob),
                    "url": url,
                    "proxy_url": url,
                    # Discord leaves the key out when the bot gave no description
                    **({"description": att["description"]} if att.get("description") else {}),
                }
            )
        return out

    def _edit_message(
        self, msg: dict[str, Any], body: dict[str, Any], blobs: dict[str, bytes]
    ) -> dict[str, Any]:
        for key in ("content", "embeds", "components", "poll"):
            if key in body:
                msg[key] = body[key] if body[key] is not None else ([] if key != "content" else "")
        msg["components"] = _numbered(msg.get("components") or [])
        if "attachments" in body:
            msg["attachments"] = self._attachments(msg["channel_id"], msg["id"], body, blobs)
        if "flags" in body and body["flags"] is not None:
            msg["flags"] = (int(msg.get("flags", 0)) & FLAG_EPHEMERAL) | int(body["flags"])
        msg["flags"] = int(msg.get("flags", 0)) & ~FLAG_LOADING
        msg["edited_timestamp"] = _now_iso()
        return msg

    def _handle_for_token(self, token: str, app: str | None = None) -> InteractionHandle:
        if app is not None and app != self.application_id:
            raise DiscordError(404, 10015, "Unknown Webhook")
        for handle in self.interactions.values():
            if handle.token == token:
                return handle
        raise DiscordError(
            404, 10015, "Unknown Webhook", detail=f"no interaction with token {token[:12]}…"
        )

    def _check_token_alive(self, handle: InteractionHandle) -> None:
        if time.monotonic() - handle.delivered_at > self.interaction_token_lifetime:
            raise DiscordError(
                401,
                50027,
                "Invalid Webhook Token",
                detail=f"interaction token older than {self.interaction_token_lifetime}s",
            )

    async def _callback(
        self, request: web.Request, m: re.Match[str], body_blobs: Any
    ) -> tuple[int, Any]:
        body, blobs = body_blobs
        handle = self._check_callback(m, body)
        ctype = body["type"]
        data = body.get("data") or {}
        self._record_outgoing("callback", request, data, handle.id)
        handle.callback = {"type": ctype, "data": data}
        if handle._deadline_timer is not None:
            handle._deadline_timer.cancel()
        interaction = {"id": handle.id, "type": handle.type}
        out: dict[str, Any] = {"interaction": interaction}
        msg = self._answer_message(handle, ctype, data, blobs, interaction)
        if msg is not None and ctype in (CB_MESSAGE, CB_UPDATE):
            # Discord returns the message only for these two types (deferrals have none yet)
            out["resource"] = {"type": ctype, "message": copy.deepcopy(msg)}
        handle._event(
            "response",
            copy.deepcopy(msg) if msg is not None else dict(handle.callback),
            shown=ctype not in (CB_DEFER, CB_DEFER_UPDATE),
        )
        if request.query.get("with_response") not in ("1", "true", "True"):
            return 204, None
        return 200, out

    def _check_callback(self, m: re.Match[str], body: Any) -> InteractionHandle:
        """The interaction a callback answers, once Discord's rules for it hold: a live
        interaction, a valid type for it, a first answer within the deadline, the limits."""
        handle = self.interactions.get(m.group("iid"))
        if handle is None or handle.token != m.group("token"):
            raise DiscordError(
                404, 10062, "Unknown interaction", detail="no such interaction id/token"
            )
        if not isinstance(body, dict) or "type" not in body:
            raise _invalid_form(
                {
                    "type": {
                        "_errors": [
                            {"code": "BASE_TYPE_REQUIRED", "message": "This field is required"}
                        ]
                    }
                },
                "callback without type",
            )
        elapsed = time.monotonic() - handle.delivered_at
        if handle.callback is not None:
            raise DiscordError(
                400,
                40060,
                "Interaction has already been acknowledged.",
                detail=f"second initial response (type {body['type']})",
            )
        if elapsed > self.interaction_deadline:
            raise DiscordError(
                404,
                10062,
                "Unknown interaction",
                detail=f"first response {elapsed:.2f}s after delivery (deadline {self.interaction_deadline}s)",
            )
        ctype = body["type"]
        _check_callback_type(handle, ctype)
        errors = validate_callback(body)
        if errors:
            raise _invalid_form(errors, f"callback type {ctype} breaks Discord's limits")
        data = body.get("data") or {}
        if ctype == CB_MESSAGE:
            _, empty = validate_message(data)
            if empty:
                raise DiscordError(400, 50006, "Cannot send an empty message")
        return handle

    def _answer_message(
        self,
        handle: InteractionHandle,
        ctype: int,
        data: dict[str, Any],
        blobs: Any,
        interaction: dict[str, Any],
    ) -> dict[str, Any] | None:
        """The message a callback creates or updates (``None`` for none), noted in
        ``interaction`` as Discord's callback response notes it."""
        channel_id = handle.payload.get("channel_id", "")
        guild_id = handle.payload.get("guild_id")
        msg: dict[str, Any] | None = None
        if ctype in (CB_MESSAGE, CB_DEFER):
            msg_type = 20 if handle.type == INTERACTION_COMMAND else 19
            flags = int(data.get("flags") or 0)
            if ctype == CB_DEFER:
                flags = (flags & FLAG_EPHEMERAL) | FLAG_LOADING
                data_for_msg: dict[str, Any] = {}
            else:
                data_for_msg = data
            msg = self._make_message(
                channel_id,
                data_for_msg,
                blobs,
                guild_id=guild_id,
                msg_type=msg_type,
                flags=flags,
                interaction=handle,
            )
            handle.original = msg
            interaction.update(
                response_message_id=msg["id"],
                response_message_loading=ctype == CB_DEFER,
                response_message_ephemeral=bool(msg["flags"] & FLAG_EPHEMERAL),
            )
        elif ctype in (CB_UPDATE, CB_DEFER_UPDATE) and handle.payload.get("message"):
            # @original of a component interaction is the message carrying the component.
            target = handle.payload["message"]
            msg = self.messages.get(str(target.get("id")))
            if msg is None:
                msg = copy.deepcopy(target)
                self.messages[str(target.get("id"))] = msg
            if ctype == CB_UPDATE:
                self._edit_message(msg, data, blobs)
            handle.original = msg
            interaction.update(
                response_message_id=msg["id"],
                response_message_loading=False,
                response_message_ephemeral=bool(int(msg.get("flags", 0)) & FLAG_EPHEMERAL),
            )
        return msg

    async def _followup(
        self, request: web.Request, m: re.Match[str], body_blobs: Any
    ) -> tuple[int, Any]:
        body, blobs = body_blobs
        handle = self._handle_for_token(m.group("token"), m.group("app"))
        if handle.callback is None or handle.callback["type"] in (CB_AUTOCOMPLETE, CB_MODAL):
            raise DiscordError(
                404,
                10015,
                "Unknown Webhook",
                detail="follow-up before the interaction was acknowledged",
            )
        self._check_token_alive(handle)
        body = body if isinstance(body, dict) else {}
        errors, empty = validate_message(body)
        if errors:
            raise _invalid_form(errors, "follow-up breaks Discord's limits")
        if empty:
            raise DiscordError(400, 50006, "Cannot send an empty message")
        self._record_outgoing("followup", request, body, handle.id)
        original = handle.original
        if (
            handle.callback["type"] == CB_DEFER
            and original is not None
            and int(original.get("flags", 0)) & FLAG_LOADING
        ):
            # Discord: the first follow-up after a "thinking" defer fills that message; its
            # ephemerality is the defer's.
            msg = self._edit_message(
                original, {k: v for k, v in body.items() if k != "flags"}, blobs
            )
        else:
            msg = self._make_message(
                handle.payload.get("channel_id", ""),
                body,
                blobs,
                guild_id=handle.payload.get("guild_id"),
                flags=0,
                interaction=handle,
            )
        handle.followup_messages.append(msg)
        handle._event("followup", copy.deepcopy(msg))
        wait = request.query.get("wait", "false").lower() in ("1", "true")
        return (200, copy.deepcopy(msg)) if wait else (204, None)

    async def _webhook_message(
        self, request: web.Request, m: re.Match[str], body_blobs: Any
    ) -> tuple[int, Any]:
        body, blobs = body_blobs
        handle = self._handle_for_token(m.group("token"), m.group("app"))
        self._check_token_alive(handle)
        mid = m.group("mid")
        if mid == "@original":
            msg = handle.original
        else:
            msg = self.messages.get(mid)
            if (
                msg is not None
                and msg is not handle.original
                and msg not in handle.followup_messages
            ):
                msg = None
        if msg is None or msg["id"] not in self.messages:
            raise DiscordError(
                404, 10008, "Unknown Message", detail=f"no message {mid} for this interaction"
            )
        if request.method == "GET":
            return 200, copy.deepcopy(msg)
        if request.method == "DELETE":
            del self.messages[msg["id"]]
            if msg is handle.original:
                # Discord: with the original (e.g. the "thinking" message) deleted, the next
                # follow-up is a new message with its own flags.
                handle.original = None
            handle._event("delete", {"id": msg["id"]}, shown=False)
            return 204, None
        body = body if isinstance(body, dict) else {}
        errors, _ = validate_message(body, require_content=False)
        if errors:
            raise _invalid_form(errors, "edit breaks Discord's limits")
        kind = "edit_original" if mid == "@original" else "edit_webhook_message"
        self._record_outgoing(kind, request, body, handle.id)
        self._edit_message(msg, body, blobs)
        handle._event(kind if mid == "@original" else "edit_followup", copy.deepcopy(msg))
        return 200, copy.deepcopy(msg)


def _check_callback_type(handle: InteractionHandle, ctype: int) -> None:
    """Discord's callback types for each interaction type (a modal cannot answer a modal...)."""
    allowed = {
        INTERACTION_COMMAND: {CB_MESSAGE, CB_DEFER, CB_MODAL},
        INTERACTION_COMPONENT: {CB_MESSAGE, CB_DEFER, CB_DEFER_UPDATE, CB_UPDATE, CB_MODAL},
        INTERACTION_AUTOCOMPLETE: {CB_AUTOCOMPLETE},
        INTERACTION_MODAL: {CB_MESSAGE, CB_DEFER, CB_DEFER_UPDATE, CB_UPDATE},
    }.get(handle.type, set())
    if ctype not in allowed:
        raise _invalid_form(
            {
                "type": {
                    "_errors": [
                        {
                            "code": "INTERACTION_RESPONSE_TYPE_INVALID",
                            "message": "Invalid interaction response type",
                        }
                    ]
                }
            },
            f"callback type {ctype} is not valid for interaction type {handle.type}",
        )
