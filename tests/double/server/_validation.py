"""Discord's rules for messages, interaction callbacks and command definitions, as
``Invalid Form Body`` errors."""

# Waiting helpers take `timeout=` on purpose: it is the tests' vocabulary (the brief asks for it).

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from tests.double.server._constants import (
    CB_AUTOCOMPLETE,
    CB_MESSAGE,
    CB_UPDATE,
    FLAG_COMPONENTS_V2,
    MAX_ACTION_ROWS,
    MAX_AUTHOR_NAME,
    MAX_BUTTON_LABEL,
    MAX_CHOICE_LENGTH,
    MAX_CHOICES,
    MAX_CONTENT,
    MAX_CUSTOM_ID,
    MAX_EMBED_DESCRIPTION,
    MAX_EMBED_FIELDS,
    MAX_EMBED_TITLE,
    MAX_EMBED_TOTAL,
    MAX_EMBEDS,
    MAX_FIELD_NAME,
    MAX_FIELD_VALUE,
    MAX_FOOTER,
    MAX_ROW_COMPONENTS,
)
from tests.double.server._records import (
    DiscordError,
)

# --------------------------------------------------------------------------- validation


def _put_error(errors: dict[str, Any], path: Iterable[object], code: str, message: str) -> None:
    node = errors
    for key in path:
        node = node.setdefault(str(key), {})
    node.setdefault("_errors", []).append({"code": code, "message": message})


def _max_len(errors: dict[str, Any], path: tuple[object, ...], value: Any, limit: int) -> None:
    if isinstance(value, str | list) and len(value) > limit:
        _put_error(errors, path, "BASE_TYPE_MAX_LENGTH", f"Must be {limit} or fewer in length.")


def _embed_size(embed: Mapping[str, Any]) -> int:
    total = len(embed.get("title") or "") + len(embed.get("description") or "")
    total += len((embed.get("footer") or {}).get("text") or "")
    total += len((embed.get("author") or {}).get("name") or "")
    for f in embed.get("fields") or []:
        total += len(f.get("name") or "") + len(f.get("value") or "")
    return total


def validate_message(
    body: Mapping[str, Any], *, prefix: tuple[str, ...] = (), require_content: bool = True
) -> tuple[dict[str, Any], bool]:
    """Check a message body against Discord's limits.

    Returns ``(errors, empty)``: ``errors`` nested by field path under ``prefix``
    like Discord's 50035 body (``{}`` when valid); ``empty`` is true when
    ``require_content`` and the message has no content, embeds, components,
    attachments, poll or stickers (Discord answers 50006).
    """
    errors: dict[str, Any] = {}
    content = body.get("content")
    if content is not None:
        _max_len(errors, (*prefix, "content"), content, MAX_CONTENT)
    _check_embeds(errors, prefix, body.get("embeds") or [])
    if not int(body.get("flags") or 0) & FLAG_COMPONENTS_V2:
        _check_components(errors, prefix, body.get("components") or [])
    nonce = body.get("nonce")
    if isinstance(nonce, str) and len(nonce) > MAX_NONCE:
        # https://discord.com/developers/docs/resources/message#create-message: up to 25 characters
        _put_error(
            errors, (*prefix, "nonce"), "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length."
        )
    empty = require_content and not any(
        body.get(k)
        for k in ("content", "embeds", "components", "attachments", "poll", "sticker_ids", "files")
    )
    return errors, empty


def _check_embeds(errors: dict[str, Any], prefix: tuple[str, ...], embeds: list[Any]) -> None:
    """Discord's embed limits: count, title, description, fields, footer, author, total size."""
    if len(embeds) > MAX_EMBEDS:
        _max_len(errors, (*prefix, "embeds"), embeds, MAX_EMBEDS)
    total = 0
    for i, embed in enumerate(embeds):
        at = (*prefix, "embeds", i)
        _max_len(errors, (*at, "title"), embed.get("title"), MAX_EMBED_TITLE)
        _max_len(errors, (*at, "description"), embed.get("description"), MAX_EMBED_DESCRIPTION)
        fields = embed.get("fields") or []
        _max_len(errors, (*at, "fields"), fields, MAX_EMBED_FIELDS)
        for j, f in enumerate(fields):
            for key, limit in (("name", MAX_FIELD_NAME), ("value", MAX_FIELD_VALUE)):
                value = f.get(key)
                if not value:
                    _put_error(
                        errors,
                        (*at, "fields", j, key),
                        "BASE_TYPE_REQUIRED",
                        "This field is required",
                    )
                else:
                    _max_len(errors, (*at, "fields", j, key), value, limit)
        footer = embed.get("footer") or {}
        _max_len(errors, (*at, "footer", "text"), footer.get("text"), MAX_FOOTER)
        author = embed.get("author") or {}
        _max_len(errors, (*at, "author", "name"), author.get("name"), MAX_AUTHOR_NAME)
        total += _embed_size(embed)
    if total > MAX_EMBED_TOTAL:
        _put_error(
            errors,
            (*prefix, "embeds"),
            "MAX_EMBED_SIZE_EXCEEDED",
            f"Embed size exceeds maximum size of {MAX_EMBED_TOTAL}",
        )


def _check_components(errors: dict[str, Any], prefix: tuple[str, ...], rows: list[Any]) -> None:
    """Discord's limits on action rows of buttons and selects; ``custom_id`` unique per message."""
    _max_len(errors, (*prefix, "components"), rows, MAX_ACTION_ROWS)
    custom_ids: set[str] = set()
    for i, row in enumerate(rows):
        items = row.get("components") or []
        _max_len(errors, (*prefix, "components", i, "components"), items, MAX_ROW_COMPONENTS)
        for j, item in enumerate(items):
            at = (*prefix, "components", i, "components", j)
            _max_len(errors, (*at, "custom_id"), item.get("custom_id"), MAX_CUSTOM_ID)
            custom_id = item.get("custom_id")
            if custom_id is not None and custom_id in custom_ids:
                # "custom_id ... must be unique per message" (Discord's component reference,
                # https://discord.com/developers/docs/components/reference#button)
                _put_error(
                    errors,
                    (*at, "custom_id"),
                    "COMPONENT_CUSTOM_ID_DUPLICATED",
                    "Component custom id cannot be duplicated",
                )
            custom_ids.add(str(custom_id))
            _max_len(errors, (*at, "label"), item.get("label"), MAX_BUTTON_LABEL)
            _max_len(errors, (*at, "options"), item.get("options"), MAX_CHOICES)


def validate_callback(body: Mapping[str, Any]) -> dict[str, Any]:
    """Check an interaction callback body; returns Discord's nested ``errors`` (``{}`` if valid).

    Message callbacks (types 4 and 7) use :func:`validate_message` under ``data``;
    autocomplete (type 8) allows ≤ 25 choices whose ``name`` and string ``value``
    are 1–100 characters.
    """
    data = body.get("data") or {}
    errors: dict[str, Any] = {}
    if body.get("type") in (CB_MESSAGE, CB_UPDATE):
        errors, _ = validate_message(data, prefix=("data",), require_content=False)
    elif body.get("type") == CB_AUTOCOMPLETE:
        choices = data.get("choices") or []
        _max_len(errors, ("data", "choices"), choices, MAX_CHOICES)
        for i, choice in enumerate(choices):
            for key in ("name", "value"):
                value = choice.get(key)
                if key == "value" and not isinstance(value, str):
                    continue
                if not isinstance(value, str) or not 1 <= len(value) <= MAX_CHOICE_LENGTH:
                    _put_error(
                        errors,
                        ("data", "choices", i, key),
                        "BASE_TYPE_BAD_LENGTH",
                        f"Must be between 1 and {MAX_CHOICE_LENGTH} in length.",
                    )
    return errors


def _check_offered(d: Mapping[str, Any], registered: Mapping[str, Any]) -> None:
    """Raise ``ValueError`` when Discord would not offer the command where ``d`` invokes it: its
    ``contexts`` (0 server, 1 bot DM, 2 group DM) exclude the interaction's ``context``, or none
    of its ``integration_types`` is among ``d``'s ``authorizing_integration_owners``."""
    name = registered.get("name")
    contexts = registered.get("contexts")
    if contexts is not None and d.get("context") not in contexts:
        raise ValueError(
            f"Discord does not offer {name!r} in context {d.get('context')} (contexts {contexts})"
        )
    installs = registered.get("integration_types") or [0]
    owners = d.get("authorizing_integration_owners") or {}
    if not any(str(kind) in owners for kind in installs):
        raise ValueError(
            f"Discord does not offer {name!r} to installs {sorted(owners)} (types {installs})"
        )


def _type_as_registered(options: list[dict[str, Any]], defined: list[dict[str, Any]]) -> None:
    """Give each option the type of the option Discord holds under its name (sub-commands
    included): Discord sends an interaction's options with the types of the definition it holds,
    whatever a payload builder guessed from the Python value."""
    by_name = {o.get("name"): o for o in defined}
    for option in options:
        spec = by_name.get(option.get("name"))
        if spec is not None and spec.get("type") is not None:
            option["type"] = spec["type"]
            _type_as_registered(option.get("options") or [], spec.get("options") or [])


MAX_NONCE = 25


def command_option_errors(
    options: list[Any], errors: dict[str, Any], at: tuple[object, ...]
) -> None:
    """Discord's rules for a command's options that its OpenAPI description cannot state
    (https://discord.com/developers/docs/interactions/application-commands: "Application Command
    Naming", "Application Command Option Structure"): names match ``^[-_\\w]{1,32}$`` in lower
    case and are unique; required options come before optional ones; at most 25 choices;
    ``autocomplete`` may not be set together with ``choices``. Sub-commands are checked inside."""
    seen: set[str] = set()
    optional_seen = False
    for i, option in enumerate(options):
        where = (*at, i)
        name = str(option.get("name", ""))
        if not re.fullmatch(r"[-_\w]{1,32}", name) or name != name.lower():
            _put_error(
                errors,
                (*where, "name"),
                "APPLICATION_COMMAND_INVALID_NAME",
                "Command name is invalid",
            )
        if name in seen:
            _put_error(
                errors,
                (*where, "name"),
                "APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS",
                "Option names must be unique",
            )
        seen.add(name)
        if option.get("type") in (1, 2):
            command_option_errors(option.get("options") or [], errors, (*where, "options"))
            continue
        if option.get("required"):
            if optional_seen:
                _put_error(
                    errors,
                    (*where, "required"),
                    "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
                    "Required options must be placed before non-required options",
                )
        else:
            optional_seen = True
        choices = option.get("choices") or []
        _max_len(errors, (*where, "choices"), choices, MAX_CHOICES)
        if choices and option.get("autocomplete"):
            _put_error(
                errors,
                (*where, "autocomplete"),
                "APPLICATION_COMMAND_AUTOCOMPLETE_INVALID",
                "Autocomplete cannot be set with choices",
            )


def _invalid_form(errors: dict[str, Any], detail: str) -> DiscordError:
    return DiscordError(400, 50035, "Invalid Form Body", errors=errors, detail=detail)
