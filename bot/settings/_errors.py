"""Configuration problems: :class:`ConfigError`, one problem record, and the strict YAML parse
that turns syntax errors into problems with line and column."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot.core import yamlload

Loc = tuple[str | int, ...]

#: Environment variable → key path it overrides. ``DISCORD_TOKEN`` overrides ``discord.token``.
ENV_OVERRIDES: Mapping[str, tuple[str, str]] = {
    "DISCORD_TOKEN": ("discord", "token"),
    "CORPUSBOT_API_BASE": ("discord", "api_base"),
    "CORPUSBOT_GATEWAY_URL": ("discord", "gateway_url"),
    "CORPUSBOT_DEV_GUILD_ID": ("discord", "dev_guild_id"),
    "CORPUSBOT_STORAGE": ("storage", "path"),
    "CORPUSBOT_STORAGE_URL": ("storage", "url"),
    "CORPUSBOT_LOG_LEVEL": ("logging", "level"),
}

_EXAMPLE_CONFIG = "config.example.yaml"
_TOKEN_LOC: Loc = ("discord", "token")
# Shape of a Discord bot token: base64 user id . timestamp . HMAC (three dot-separated parts).
_TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_\-]{16,}\.[A-Za-z0-9_\-]{4,}\.[A-Za-z0-9_\-]{16,}")
_HHMM = re.compile(r"([01]?[0-9]|2[0-3]):([0-5][0-9])")
_DIGITS = re.compile(r"[0-9]+")
_SNOWFLAKE_EXAMPLE = "123456789012345678"
_PRIVILEGED_SWITCHES = {
    "members": "Server Members Intent",
    "presences": "Presence Intent",
    "message_content": "Message Content Intent",
}


# --------------------------------------------------------------------------------------------
# Errors
# --------------------------------------------------------------------------------------------


class ConfigError(Exception):
    """The configuration cannot be used.

    ``str(error)`` is a complete multi-line message: the first line starts with the config file
    path (or says there is no file), then one ``  - `` line per problem, each naming the key path,
    the line, the bad value (never a secret) and a valid example.

    Attributes:
        path: the config file, or ``None`` when no file was used.
        problems: one human-readable line per problem, in file order.
    """

    def __init__(self, path: Path | None, problems: Sequence[str], *, headline: str = "") -> None:
        self.path = path
        self.problems = tuple(problems)
        where = str(path) if path is not None else "configuration (no config file)"
        if not headline:
            count = len(self.problems)
            headline = f"{count} problem{'s' if count != 1 else ''} in the configuration:"
        lines = [f"{where}: {headline}"]
        lines.extend(f"  - {p}" for p in self.problems)
        if self.problems:
            lines.append(f"Every key is documented with an example in {_EXAMPLE_CONFIG}.")
        super().__init__("\n".join(lines))

    def records(self) -> list[dict[str, Any]]:
        """The problems as JSON-ready records (``check --json``): ``key`` (the dotted key path,
        ``None`` for a problem of the file as a whole), ``line`` (1-based or ``None``) and
        ``message`` (the problem without the key), in file order."""
        out: list[dict[str, Any]] = []
        for problem in self.problems:
            match = _PROBLEM_LINE.match(problem)
            if match is None or match["key"] == "line":
                at = re.match(r"line (\d+)(?:, column \d+)?: ", problem)
                line_only = int(at[1]) if at else None
                out.append({"key": None, "line": line_only, "message": problem})
                continue
            line = re.search(r"\bline (\d+)", match["where"] or "")
            out.append(
                {
                    "key": match["key"],
                    "line": int(line[1]) if line else None,
                    "message": match["message"],
                }
            )
        return out


_PROBLEM_LINE = re.compile(
    r"(?P<key>[A-Za-z_][\w.\[\]-]*)(?: \((?P<where>[^)]*)\))?: (?P<message>.*)", re.DOTALL
)


@dataclass(frozen=True)
class _Problem:
    """One problem found while reading or validating; formatted into a :class:`ConfigError`."""

    message: str
    line: int | None = None  # 1-based
    column: int | None = None  # 1-based
    loc: Loc | None = None

    def sort_key(self) -> tuple[int, int]:
        return (self.line if self.line is not None else 10**9, self.column or 0)

    def render(self, source: Mapping[Loc, str] | None = None) -> str:
        where = ""
        if self.loc is not None:
            where = _dotted(self.loc) or "(top level)"
        origin = _env_origin(self.loc, source) if self.loc is not None else None
        if origin:
            place = (
                f"(from the environment variable {origin})"
                if origin.isupper()
                else f"(from {origin})"
            )
        elif self.line is not None and self.column is not None and self.loc is None:
            place = f"line {self.line}, column {self.column}"
        elif self.line is not None:
            place = f"(line {self.line})"
        else:
            place = ""
        head = " ".join(part for part in (where, place) if part)
        return f"{head}: {self.message}" if head else self.message


def _env_origin(loc: Loc | None, source: Mapping[Loc, str] | None) -> str | None:
    if not loc or not source:
        return None
    for env_loc, var in source.items():
        if loc[: len(env_loc)] == env_loc:
            return var
    return None


def _dotted(loc: Sequence[str | int]) -> str:
    """``("daily", 0, "timezone")`` → ``"daily[0].timezone"``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


# --------------------------------------------------------------------------------------------
# YAML
# --------------------------------------------------------------------------------------------


StrictSafeLoader = yamlload.StrictLoader  # the one strict YAML loader (bot.core.yamlload)


@dataclass
class _Parsed:
    data: Any
    problems: list[_Problem]
    lines: dict[Loc, int]
    raw: dict[Loc, str]


def _parse_yaml(text: str) -> _Parsed:
    """Parse one YAML document with the strict loader; syntax errors become problems."""
    try:
        loaded = yamlload.load(text)
    except yaml.MarkedYAMLError as error:
        found = yamlload.syntax_problems(text, error)
        return _Parsed(
            None, [_Problem(p.message, line=p.line, column=p.column) for p in found], {}, {}
        )
    except yaml.YAMLError as error:  # pragma: no cover - unmarked errors are rare
        return _Parsed(None, [_Problem(f"not valid YAML: {type(error).__name__}")], {}, {})
    problems = [_Problem(d.message, line=d.second, loc=d.loc) for d in loaded.duplicates]
    problems += [_Problem(t.message, line=t.line, loc=t.loc) for t in loaded.rejected_tags]
    return _Parsed(loaded.data, problems, loaded.lines, loaded.raw)
