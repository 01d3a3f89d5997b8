"""Building problem messages from the pydantic error list (never from pydantic's own text,
which echoes inputs): key path, line, bad value (never a secret) and a valid example."""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from typing import Any, get_args, get_origin

from pydantic import (
    BaseModel,
)

from bot.settings._errors import (
    _EXAMPLE_CONFIG,
    _SNOWFLAKE_EXAMPLE,
    _TOKEN_LOC,
    _TOKEN_SHAPE,
    Loc,
    _dotted,
    _Parsed,
    _Problem,
)
from bot.settings._model import _FileSettings

# --------------------------------------------------------------------------------------------
# Error messages
# --------------------------------------------------------------------------------------------

_EXAMPLES: Mapping[str, str] = {
    "discord.token": "leave it out and set the DISCORD_TOKEN environment variable",
    "discord.dev_guild_id": _SNOWFLAKE_EXAMPLE,
    "discord.sync_commands": "false",
    "discord.api_base": "http://127.0.0.1:8080/api/v10",
    "discord.gateway_url": "ws://127.0.0.1:8080/gateway",
    "discord.owner_ids": f"[{_SNOWFLAKE_EXAMPLE}]",
    "discord.owner_ids[]": _SNOWFLAKE_EXAMPLE,
    "discord.intents": "{members: false, presences: false, message_content: false}",
    "discord.intents.members": "false",
    "discord.intents.presences": "false",
    "discord.intents.message_content": "false",
    "corpus.paths": "[seeds]",
    "corpus.paths[]": "seeds",
    "corpus.language": "en",
    "corpus.cache_dir": ".cache/corpusbot",
    "search.limit": "3",
    "search.min_query_chars": "3",
    "search.max_query_chars": "300",
    "search.threshold": "70",
    "summary.length": "medium",
    "storage.path": "corpusbot.sqlite3",
    "health.port": "9102",
    "health.host": "127.0.0.1",
    "discord.shard_count": "12",
    "discord.shard_ids": "0-3",
    "discord.identify_interval": "5",
    "storage.url": "postgresql://corpusbot@localhost:5432/corpusbot",
    "scheduler.grace_minutes": "360",
    "daily": f'[{{guild_id: {_SNOWFLAKE_EXAMPLE}, channel_id: 234567890123456789, time: "09:00", '
    "timezone: Europe/Berlin}]",
    "daily[]": f'{{guild_id: {_SNOWFLAKE_EXAMPLE}, channel_id: 234567890123456789, time: "09:00", '
    "timezone: Europe/Berlin}",
    "daily[].guild_id": _SNOWFLAKE_EXAMPLE,
    "daily[].channel_id": "234567890123456789",
    "daily[].time": '"09:00"',
    "daily[].timezone": "Europe/Berlin",
    "daily[].mention_role_id": "345678901234567890",
    "daily[].documents": "[]",
    "daily[].documents[]": "my-essay",
    "logging.level": "INFO",
    "bot.status_text": '"Reading the corpus"',
}

_TYPE_PHRASES: Mapping[str, str] = {
    "string_type": "expected text",
    "int_type": "expected a whole number",
    "int_parsing": "expected a whole number",
    "int_from_float": "expected a whole number",
    "float_type": "expected a number",
    "float_parsing": "expected a number",
    "bool_type": "expected true or false",
    "bool_parsing": "expected true or false",
    "model_type": "expected a section of indented key: value lines",
    "dict_type": "expected a section of indented key: value lines",
    "tuple_type": "expected a list such as [a, b]",
    "list_type": "expected a list such as [a, b]",
    "path_type": "expected a file or folder path",
    "missing": "required key is missing",
}


# Error kinds of keys that take text: there a YAML boolean is answered with a quoting hint.
_TEXT_KINDS = frozenset({"string_type", "literal_error", "time_type", "path_type"})


def _example_for(loc: Loc) -> str | None:
    pattern = ""
    for part in loc:
        if isinstance(part, int):
            pattern += "[]"
        else:
            pattern += f".{part}" if pattern else part
    example = _EXAMPLES.get(pattern)
    if example is None:
        if len(loc) == 1 and pattern in _FileSettings.model_fields:
            return f"see the {pattern}: section in {_EXAMPLE_CONFIG}"
        return None
    if not loc or isinstance(loc[-1], int):
        return f"for example: {example}"
    if pattern == "discord.token":
        return example
    return f"for example: {loc[-1]}: {example}"


def _show(value: Any) -> str:
    if isinstance(value, str):
        text = value if len(value) <= 80 else value[:77] + "..."
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, dict):
        return "a section"
    if isinstance(value, list | tuple):
        return "a list" if value else "an empty list"
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _model_at(loc: Loc) -> type[BaseModel] | None:
    """The model class that validates the mapping found at ``loc`` (for unknown-key hints)."""
    model: type[BaseModel] | None = _FileSettings
    for part in loc:
        if isinstance(part, int):
            continue
        field = model.model_fields.get(part) if model is not None else None
        if field is None:
            return None
        model = _find_model(field.annotation)
    return model


def _find_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if get_origin(annotation) is not None:
        for arg in get_args(annotation):
            found = _find_model(arg)
            if found is not None:
                return found
    return None


def _problem_from_error(error: Mapping[str, Any], parsed: _Parsed | None) -> _Problem:
    loc: Loc = tuple(p for p in error["loc"] if isinstance(p, str | int))
    kind = str(error["type"])
    value = error.get("input")
    line, raw = _where(parsed, loc)
    secret = loc[:2] == _TOKEN_LOC
    example = _example_for(loc)
    if kind == "extra_forbidden":
        return _Problem(_unknown_key_message(loc), line=line, loc=loc)
    if isinstance(value, bool) and kind not in ("bool_type", "bool_parsing") and not secret:
        return _Problem(_boolean_message(kind, loc, value, raw, example), line=line, loc=loc)
    if kind == "time_number":
        return _Problem(_time_number_message(loc, value, raw), line=line, loc=loc)
    message = _value_message(error, loc, raw, secret=secret)
    if example:
        message += f"; {example}"
    return _Problem(message + ".", line=line, loc=loc)


def _where(parsed: _Parsed | None, loc: Loc) -> tuple[int | None, str | None]:
    """The line of ``loc`` (or of its nearest parent written in the file) and the text written
    there; ``(None, None)`` without a file."""
    if parsed is None:
        return None, None
    line = next(
        (parsed.lines[loc[:cut]] for cut in range(len(loc), 0, -1) if loc[:cut] in parsed.lines),
        None,
    )
    return line, parsed.raw.get(loc)


def _unknown_key_message(loc: Loc) -> str:
    """An unknown key: the closest known one, and every known key of its section."""
    parent = _model_at(loc[:-1])
    known = list(parent.model_fields) if parent is not None else []
    if parent is _FileSettings:
        known = [k for k in known if k not in ("warnings", "config_path")]
    close = difflib.get_close_matches(str(loc[-1]), known, n=1)
    hint = f" Did you mean {close[0]}?" if close else ""
    where = _dotted(loc[:-1]) or "the top level"
    return f"unknown key.{hint} Known keys in {where}: {', '.join(known)}."


def _boolean_message(kind: str, loc: Loc, value: bool, raw: str | None, example: str | None) -> str:
    """A YAML 1.1 boolean (``yes``, ``off``) where this key takes something else."""
    written = raw if raw is not None else str(value).lower()
    message = f"YAML 1.1 reads the unquoted word {written} as the boolean {str(value).lower()}"
    if kind in _TEXT_KINDS:
        message += f', but text is expected here: write {loc[-1]}: "{written}" (in quotes)'
    else:
        message += ", which this key does not take"
    if example:
        message += f"; {example}"
    return message + "."


def _value_message(error: Mapping[str, Any], loc: Loc, raw: str | None, *, secret: bool) -> str:
    """What is wrong with a value, and what was written (never for the token)."""
    kind = str(error["type"])
    value = error.get("input")
    if value is None and kind != "missing" and not secret:
        message = "has no value; give one or delete the line to use the default"
    else:
        message = _TYPE_PHRASES.get(kind) or str(error.get("msg", "invalid value"))
        if message.startswith("Input should be "):
            message = "should be " + message.removeprefix("Input should be ")
        elif message.startswith("Value error, "):
            message = message.removeprefix("Value error, ")
    if kind in ("float_type", "float_parsing", "int_type", "int_parsing") and isinstance(
        value, str
    ):
        message += " without quotes"
    if kind not in ("missing",) and not secret and not isinstance(value, dict):
        shown = raw if raw is not None and not isinstance(value, str) else _show(value)
        if value is not None:
            message += f"; got {shown}"
        if kind == "string_type" and raw is not None and not isinstance(value, str):
            # e.g. an unquoted date or number where text is expected
            message += f'; if you mean the text, write {loc[-1]}: "{raw}" (in quotes)'
    return message


def _time_number_message(loc: Loc, value: Any, raw: str | None) -> str:
    """A time YAML read as a number: ``10:30`` (base 60) or a bare ``600``."""
    written = raw if raw is not None else _show(value)
    if ":" in written:
        return (
            f"YAML 1.1 reads the unquoted time {written} as the base-60 number {value}; write "
            f'{loc[-1]}: "{written}" (in quotes).'
        )
    message = f'expected a time written as "HH:MM" in quotes; got the number {written}'
    if isinstance(value, int) and 0 <= value < 24 * 60:
        hhmm = f"{value // 60:02d}:{value % 60:02d}"
        message += (
            f", which is what YAML 1.1 makes of the unquoted time {hhmm}; if you mean {hhmm}, "
            f'write {loc[-1]}: "{hhmm}" (in quotes)'
        )
    return message + "."


def _scrub(text: str, secrets: Sequence[str]) -> str:
    for secret in secrets:
        if len(secret) >= 6:
            text = text.replace(secret, "[redacted]")
    return _TOKEN_SHAPE.sub("[redacted]", text)
