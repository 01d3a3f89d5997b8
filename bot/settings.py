"""Settings: ``config.yaml`` plus environment overrides, validated once at start-up.

The result is an immutable :class:`Settings` tree (frozen pydantic v2 models, tuples instead of
lists) that is passed down explicitly; nothing is read at import time.

Reading the file:

* :class:`StrictSafeLoader` is a :class:`yaml.SafeLoader` that reports duplicate mapping keys
  (with both line numbers) instead of silently keeping the last one, never constructs
  ``!!python/...`` tags (it reports them; nothing is imported or executed), and records the line
  and the raw text of every value so that messages can point at the file.
* Scanner errors caused by tab characters are reported with file, line and column and the hint
  "replace tabs with spaces".

Validation:

* Every problem in the file is collected and reported together in one :class:`ConfigError`, each
  with its key path (``daily[0].timezone``), its line, the bad value and a valid example.
* Unknown keys are errors (``extra="forbid"``); their values are never shown.
* The bot token is a :class:`pydantic.SecretStr`. It never appears in an error, a warning or a
  ``repr``: messages are built here from the pydantic error list (never from pydantic's own text,
  which echoes inputs), values of ``discord.token`` and of unknown keys are never shown, and every
  message is finally scrubbed of the known token and of anything shaped like a Discord token.
* YAML 1.1 reads ``no``, ``off``, ``yes``, ``on`` as booleans and ``10:30`` as the base-60 number
  630. Where text or a time is expected such values are rejected with a message that suggests
  quotes; nothing is silently coerced.

Environment overrides (they win over the file): ``DISCORD_TOKEN``, ``CORPUSBOT_API_BASE``,
``CORPUSBOT_GATEWAY_URL``, ``CORPUSBOT_DEV_GUILD_ID``, ``CORPUSBOT_STORAGE``,
``CORPUSBOT_STORAGE_URL``, ``CORPUSBOT_LOG_LEVEL``. Empty variables are ignored.
"""

from __future__ import annotations

import copy
import datetime as dt
import difflib
import os
import re
import sqlite3
import tempfile
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal, get_args, get_origin
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    ValidationInfo,
    model_validator,
)
from pydantic_core import PydanticCustomError

from bot.core import yamlload
from bot.core.daily import DailySchedule as CoreDailySchedule
from bot.core.daily import ScheduleError, canonical_zone, zone_advice

__all__ = [
    "ENV_OVERRIDES",
    "BotSettings",
    "ConfigError",
    "CorpusSettings",
    "DailySchedule",
    "DiscordSettings",
    "IntentSettings",
    "LoggingSettings",
    "SchedulerSettings",
    "SearchSettings",
    "Settings",
    "StorageSettings",
    "StrictSafeLoader",
    "SummarySettings",
    "check_daily_documents",
    "check_storage",
    "default_corpus_path",
    "load_settings",
]

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


def default_corpus_path() -> Path:
    """The repository's ``seeds/`` folder (absolute), the default ``corpus.paths`` entry."""
    return Path(__file__).resolve().parent.parent / "seeds"


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


# --------------------------------------------------------------------------------------------
# Field types and validators
# --------------------------------------------------------------------------------------------


def _no_bool(value: Any) -> Any:
    """Numbers and ids: reject YAML booleans (pydantic would turn ``yes`` into ``1``)."""
    if isinstance(value, bool):
        raise PydanticCustomError("int_type", "expected a whole number")
    return value


def _snowflake(value: Any) -> int:
    """Discord id: an int or a string of digits, 1 ≤ id < 2**64. Floats are rejected."""
    if isinstance(value, bool):
        raise PydanticCustomError("snowflake_type", "expected a Discord id")
    if isinstance(value, float):
        raise PydanticCustomError(
            "snowflake_float",
            "a Discord id must be written as an integer or a quoted string of digits; this one "
            "is a floating-point number, so its last digits are already lost (a spreadsheet or a "
            "float conversion rounded it). Copy the id again from Discord (Developer Mode → "
            "right-click → Copy ID)",
        )
    if isinstance(value, yamlload.WrittenInt):
        raise PydanticCustomError(
            "snowflake_written",
            "{detail}",
            {
                "detail": f"YAML 1.1 reads the unquoted {value.written} as the {value.form} "
                f"number {int(value)}, not as the id you wrote; a Discord id is plain digits "
                "without a leading zero. Copy the id again from Discord (Developer Mode → "
                "right-click → Copy ID) and write it in quotes"
            },
        )
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and _DIGITS.fullmatch(value.strip()):
        number = int(value.strip())
    else:
        raise PydanticCustomError(
            "snowflake_type",
            "a Discord id must be an integer or a quoted string of digits",
        )
    if not 0 < number < 2**64:
        raise PydanticCustomError(
            "snowflake_range", "a Discord id is a positive number below 2**64"
        )
    return number


def _hhmm(value: Any) -> Any:
    """``"HH:MM"`` on the 24-hour clock → :class:`datetime.time`."""
    if isinstance(value, dt.time):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        raise PydanticCustomError(
            "time_number",
            "YAML 1.1 reads an unquoted time such as 10:30 as a base-60 number",
        )
    if not isinstance(value, str):
        raise PydanticCustomError("time_type", 'expected a time written as "HH:MM" in quotes')
    match = _HHMM.fullmatch(value.strip())
    if match is None:
        raise PydanticCustomError(
            "time_format",
            "not a valid 24-hour time; write HH:MM with hours 00-23 and minutes 00-59",
        )
    return dt.time(int(match.group(1)), int(match.group(2)))


def _timezone(value: Any) -> Any:
    """An IANA time zone name or a whole-hour UTC offset, by the rule of ``/daily set``
    (:func:`bot.core.daily.canonical_zone`); abbreviations and cities get suggestions."""
    if not isinstance(value, str):
        return value  # pydantic reports the type
    try:
        return canonical_zone(value)
    except ScheduleError:
        pass
    raise PydanticCustomError(
        "timezone",
        "{detail}",
        {"detail": f"not a time zone name. {zone_advice(value).rstrip('.')}"},
    )


_LANGUAGE = re.compile(r"[a-z]{2,3}(?:-[a-z0-9]{2,8})*")


def _language(value: Any) -> Any:
    """A language code (ISO 639-1/-3, optionally with a BCP 47 subtag: ``en``, ``pt-br``), folded
    to lower case with ``-``. sentencex falls back to its English rules for codes it lacks, so
    only the shape can be checked; a language name ("English") is refused with the code to use."""
    if not isinstance(value, str):
        return value  # pydantic reports the type
    code = value.strip().replace("_", "-").casefold()
    if _LANGUAGE.fullmatch(code):
        return code
    raise PydanticCustomError(
        "language",
        "{detail}",
        {"detail": "expected a language code such as en, de, fr or pt-br (ISO 639), not a name"},
    )


def _url(schemes: tuple[str, ...]) -> Any:
    def check(value: str) -> str:
        text = value.strip()
        parts = urlsplit(text)
        if parts.scheme not in schemes or not parts.netloc:
            raise PydanticCustomError(
                "url",
                "{detail}",
                {
                    "detail": f"expected a URL starting with {' or '.join(s + '://' for s in schemes)}"
                },
            )
        return text.rstrip("/")

    return check


def _none_to_empty(value: Any) -> Any:
    """An empty YAML list or section (``owner_ids:`` with nothing after it) is ``None``."""
    return () if value is None else value


def _one_or_many(value: Any) -> Any:
    if value is None:
        return ()
    return [value] if isinstance(value, str | Path) else value


def _resolve(value: Path, info: ValidationInfo) -> Path:
    """Expand ``~`` and resolve a relative path against ``context["base_dir"]`` if given."""
    if str(value) == ":memory:":
        return value
    path = value.expanduser()
    base = (info.context or {}).get("base_dir")
    if base is not None and not path.is_absolute():
        path = Path(base) / path
    return path


def _non_empty_path(value: Any) -> Any:
    """An empty entry would read as ``.``, a whole folder tree: refused (so is ``null``)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        raise PydanticCustomError(
            "path_empty",
            "an empty path; give a folder or file (write . if you really mean the whole folder)",
        )
    return value


def _at_least_one(values: tuple[Path, ...]) -> tuple[Path, ...]:
    """``corpus.paths`` needs at least one entry (the message replaces pydantic's wording)."""
    if not values:
        raise PydanticCustomError(
            "paths_empty", "needs at least one folder or file to read the documents from"
        )
    return values


def _resolve_all(values: tuple[Path, ...], info: ValidationInfo) -> tuple[Path, ...]:
    return tuple(_resolve(v, info) for v in values)


def _upper(value: Any) -> Any:
    return value.strip().upper() if isinstance(value, str) else value


def _token(value: Any) -> Any:
    """Strip a token; an empty one counts as unset."""
    if isinstance(value, str):
        return value.strip() or None
    return value


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


Snowflake = Annotated[int, BeforeValidator(_snowflake)]
Int = Annotated[int, BeforeValidator(_no_bool)]
ResolvedPath = Annotated[Path, AfterValidator(_resolve)]


# --------------------------------------------------------------------------------------------
# Models
# --------------------------------------------------------------------------------------------


class _Section(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _empty_section(cls, data: Any) -> Any:
        # "discord:" with every key commented out is None in YAML: treat it as an empty section.
        return {} if data is None else data


class IntentSettings(_Section):
    """Privileged gateway intents. The bot needs none (slash commands work without them)."""

    members: bool = False
    presences: bool = False
    message_content: bool = False

    def enabled(self) -> tuple[str, ...]:
        """Names of the enabled privileged intents, e.g. ``("members",)``."""
        return tuple(name for name in _PRIVILEGED_SWITCHES if getattr(self, name))


def _shard_range(value: Any) -> Any:
    """``shard_ids`` as a list, or a range written ``"0-3"`` (both ends included)."""
    if isinstance(value, str) and re.fullmatch(r"\s*\d+\s*-\s*\d+\s*", value):
        low, high = (int(part) for part in value.split("-"))
        if low > high:
            raise PydanticCustomError("shard_range", "a range is written low-high, e.g. 0-3")
        return list(range(low, high + 1))
    return value


class DiscordSettings(_Section):
    """Connection to Discord.

    Attributes:
        token: bot token as :class:`SecretStr` (``DISCORD_TOKEN`` wins over the file) or ``None``.
        dev_guild_id: if set, commands are synced to this guild only.
        sync_commands: sync the command tree at start (otherwise only with ``--sync``).
        api_base: REST base URL override (proxy or test double), e.g. ``http://127.0.0.1:8080/api/v10``.
        gateway_url: gateway URL override, e.g. ``ws://127.0.0.1:8080/gateway``.
        owner_ids: user ids allowed to run owner commands.
        intents: privileged intents (all off by default).
        shard_count: total shards across every process (``None``: Discord's recommendation
            from ``GET /gateway/bot``).
        shard_ids: the shards this process runs (a list or ``"0-3"``; ``None``: all of them).
        identify_interval: seconds between two IDENTIFYs of one rate-limit bucket (Discord: 5).
    """

    token: Annotated[SecretStr | None, BeforeValidator(_token)] = None
    dev_guild_id: Snowflake | None = None
    sync_commands: bool = False
    api_base: Annotated[str, AfterValidator(_url(("http", "https")))] | None = None
    gateway_url: Annotated[str, AfterValidator(_url(("ws", "wss")))] | None = None
    owner_ids: Annotated[tuple[Snowflake, ...], BeforeValidator(_none_to_empty)] = ()
    intents: IntentSettings = IntentSettings()
    shard_count: Annotated[Int, Field(ge=1, le=100_000)] | None = None
    shard_ids: (
        Annotated[tuple[Annotated[Int, Field(ge=0)], ...], BeforeValidator(_shard_range)] | None
    ) = None
    identify_interval: Annotated[float, BeforeValidator(_no_bool), Field(ge=0, le=60)] = 5.0

    @model_validator(mode="after")
    def _shards_fit(self) -> DiscordSettings:
        if self.shard_ids is not None and self.shard_count is None:
            raise PydanticCustomError(
                "shard_ids_without_count",
                "shard_ids needs shard_count (the total number of shards across every process)",
            )
        if self.shard_ids is not None and self.shard_count is not None:
            outside = [i for i in self.shard_ids if i >= self.shard_count]
            if outside:
                raise PydanticCustomError(
                    "shard_ids_outside",
                    "{detail}",
                    {
                        "detail": f"shard_ids {outside} are not below shard_count "
                        f"({self.shard_count}); shards are numbered 0 to {self.shard_count - 1}"
                    },
                )
        return self


class CorpusSettings(_Section):
    """Where the documents are.

    Attributes:
        paths: folders or files (absolute after :func:`load_settings`; relative entries in the
            file are resolved against the config file's folder). Default: the repo's ``seeds/``.
        language: sentence-splitting language code, e.g. ``"en"`` (lower-cased; a name such as
            ``English`` is refused).
        cache_dir: the corpus store folder (parsed documents, quotes, summaries, the search
            index); ``None``: ``.corpusbot-cache`` beside the SQLite file.
        watch: reload the corpus when its files change (checked every few seconds).
    """

    paths: Annotated[
        tuple[Annotated[Path, BeforeValidator(_non_empty_path)], ...],
        BeforeValidator(_one_or_many),
        AfterValidator(_at_least_one),
        AfterValidator(_resolve_all),
    ] = Field(default_factory=lambda: (default_corpus_path(),))
    language: Annotated[str, AfterValidator(_language)] = "en"
    cache_dir: ResolvedPath | None = None
    watch: bool = False


class SearchSettings(_Section):
    """``/search`` limits. ``threshold`` is a 0-100 score below which nothing matched."""

    limit: Annotated[Int, Field(ge=1, le=10)] = 3
    min_query_chars: Annotated[Int, Field(ge=1, le=100)] = 3
    max_query_chars: Annotated[Int, Field(ge=1, le=2000)] = 300
    threshold: Annotated[float, BeforeValidator(_no_bool), Field(ge=0, le=100)] = 70

    @model_validator(mode="after")
    def _min_below_max(self) -> SearchSettings:
        if self.min_query_chars > self.max_query_chars:
            raise PydanticCustomError(
                "query_bounds",
                "{detail}",
                {
                    "detail": f"min_query_chars ({self.min_query_chars}) is larger than "
                    f"max_query_chars ({self.max_query_chars})"
                },
            )
        return self


class SummarySettings(_Section):
    """Default summary length: ``short``, ``medium``, ``long`` or ``key_points``."""

    length: Literal["short", "medium", "long", "key_points"] = "medium"


def _storage_url(value: str | None, info: ValidationInfo) -> str | None:
    """A storage URL: ``postgresql://...`` as given; a ``sqlite:///`` URL's relative file is
    resolved like ``storage.path``."""
    from bot.storage import sqlite_path

    if value is None or not value.strip():
        return None
    try:
        path = sqlite_path(value.strip())
    except ValueError as error:
        raise PydanticCustomError("storage_url", str(error)) from None
    if path is None:
        return value.strip()
    return f"sqlite:///{_resolve(path, info)}"


class StorageSettings(_Section):
    """Where per-guild state lives: ``url`` (``sqlite:///file`` or ``postgresql://...``, for
    several processes) wins over ``path``, a SQLite file (relative to the config folder, or
    the working directory without a file)."""

    path: ResolvedPath = Field(default=Path("corpusbot.sqlite3"), validate_default=True)
    url: Annotated[str | None, AfterValidator(_storage_url)] = None

    @property
    def sqlite_file(self) -> Path | None:
        """The SQLite file in use, or ``None`` when ``url`` names a PostgreSQL database."""
        from bot.storage import sqlite_path

        return self.path if self.url is None else sqlite_path(self.url)

    @property
    def target(self) -> str | Path:
        """What :func:`bot.storage.open_storage` opens: ``url`` if set, else ``path``."""
        return self.path if self.url is None else self.url


class SchedulerSettings(_Section):
    """After downtime, today's post is still made if it is at most ``grace_minutes`` late."""

    grace_minutes: Annotated[Int, Field(ge=1, le=1440)] = 360


class DailySchedule(_Section):
    """A static daily quote post.

    Attributes:
        guild_id, channel_id: where to post (Discord ids).
        time: local wall-clock time of the post.
        timezone: IANA zone name, e.g. ``"Europe/Berlin"``; :attr:`zone` gives the ``ZoneInfo``.
        mention_role_id: role to mention in the post, or ``None``.
        documents: document ids to draw quotes from; empty means all.
    """

    guild_id: Snowflake
    channel_id: Snowflake
    time: Annotated[dt.time, BeforeValidator(_hhmm)]
    timezone: Annotated[str, AfterValidator(_timezone)]
    mention_role_id: Snowflake | None = None
    documents: Annotated[tuple[str, ...], BeforeValidator(_none_to_empty)] = ()

    @property
    def zone(self) -> ZoneInfo:
        """The :class:`zoneinfo.ZoneInfo` for :attr:`timezone`."""
        return ZoneInfo(self.timezone)

    def to_core(self) -> CoreDailySchedule:
        """The same schedule as the core's :class:`bot.core.daily.DailySchedule`."""
        return CoreDailySchedule(
            guild_id=self.guild_id,
            channel_id=self.channel_id,
            time=self.time,
            timezone=self.timezone,
            mention_role_id=self.mention_role_id,
            documents=tuple(self.documents),
        )


class LoggingSettings(_Section):
    """Log level: ``DEBUG``, ``INFO``, ``WARNING`` or ``ERROR`` (case-insensitive in the file)."""

    level: Annotated[Literal["DEBUG", "INFO", "WARNING", "ERROR"], BeforeValidator(_upper)] = "INFO"


class HealthSettings(_Section):
    """``/healthz`` and ``/metrics`` on ``host:port``; ``port: null`` (the default) turns them off."""

    port: Annotated[Int, Field(ge=1, le=65535)] | None = None
    host: str = "127.0.0.1"


class BotSettings(_Section):
    """Presentation. ``status_text`` is the bot's custom status line, or ``None`` for none."""

    status_text: str | None = None


class _FileSettings(BaseModel):
    """Everything that may appear in ``config.yaml``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    discord: DiscordSettings = DiscordSettings()
    corpus: CorpusSettings = Field(default_factory=CorpusSettings)
    search: SearchSettings = SearchSettings()
    summary: SummarySettings = SummarySettings()
    storage: StorageSettings = Field(default_factory=StorageSettings)
    scheduler: SchedulerSettings = SchedulerSettings()
    daily: Annotated[tuple[DailySchedule, ...], BeforeValidator(_none_to_empty)] = ()
    logging: LoggingSettings = LoggingSettings()
    health: HealthSettings = HealthSettings()
    bot: BotSettings = BotSettings()

    @model_validator(mode="after")
    def _one_schedule_per_guild(self) -> _FileSettings:
        seen: dict[int, int] = {}
        for i, schedule in enumerate(self.daily):
            if schedule.guild_id in seen:
                raise PydanticCustomError(
                    "daily_duplicate_guild",
                    "{detail}",
                    {
                        "detail": f"daily[{i}] repeats the guild_id of daily[{seen[schedule.guild_id]}] "
                        f"({schedule.guild_id}); a server has one daily post: merge or remove one entry"
                    },
                )
            seen[schedule.guild_id] = i
        return self


class Settings(_FileSettings):
    """Validated, immutable settings (assigning to any field raises ``ValidationError``).

    Sections: ``discord``, ``corpus``, ``search``, ``summary``, ``storage``, ``scheduler``,
    ``daily`` (tuple of :class:`DailySchedule`), ``logging``, ``bot``; plus ``warnings`` (non-fatal
    notes to log at start-up), ``config_path`` (the file read, or ``None``) and ``origins``
    (which keys came from an environment variable or ``--corpus``, for messages).

    Checks that need the file system or the loaded corpus are separate: :func:`check_storage`,
    :func:`check_corpus_paths` and :func:`check_daily_documents` (the CLI runs them in
    ``check``, ``schedule`` and ``run``; the corpus paths before every corpus load).
    ``repr``/``str`` show the token only as ``SecretStr('**********')``.
    """

    warnings: tuple[str, ...] = ()
    config_path: Path | None = None
    origins: tuple[tuple[str, str], ...] = ()
    """``(key path, source)`` of each value set from outside the file, e.g.
    ``("storage.path", "CORPUSBOT_STORAGE")`` or ``("corpus.paths", "--corpus")``."""

    def token(self) -> str | None:
        """The plain bot token, or ``None`` if neither ``DISCORD_TOKEN`` nor the file gives one."""
        secret = self.discord.token
        return secret.get_secret_value() if secret is not None else None


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
    line = None
    raw = None
    if parsed is not None:
        for cut in range(len(loc), 0, -1):
            if loc[:cut] in parsed.lines:
                line = parsed.lines[loc[:cut]]
                break
        raw = parsed.raw.get(loc)
    secret = loc[:2] == _TOKEN_LOC
    example = _example_for(loc)

    if kind == "extra_forbidden":
        parent = _model_at(loc[:-1])
        known = list(parent.model_fields) if parent is not None else []
        if parent is _FileSettings:
            known = [k for k in known if k not in ("warnings", "config_path")]
        close = difflib.get_close_matches(str(loc[-1]), known, n=1)
        hint = f" Did you mean {close[0]}?" if close else ""
        where = _dotted(loc[:-1]) or "the top level"
        message = f"unknown key.{hint} Known keys in {where}: {', '.join(known)}."
        return _Problem(message, line=line, loc=loc)

    if isinstance(value, bool) and kind not in ("bool_type", "bool_parsing") and not secret:
        written = raw if raw is not None else str(value).lower()
        message = f"YAML 1.1 reads the unquoted word {written} as the boolean {str(value).lower()}"
        if kind in _TEXT_KINDS:
            message += f', but text is expected here: write {loc[-1]}: "{written}" (in quotes)'
        else:
            message += ", which this key does not take"
        if example:
            message += f"; {example}"
        return _Problem(message + ".", line=line, loc=loc)

    if kind == "time_number":
        return _Problem(_time_number_message(loc, value, raw), line=line, loc=loc)

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
    if example:
        message += f"; {example}"
    return _Problem(message + ".", line=line, loc=loc)


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


# --------------------------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------------------------


def _read_file(path: Path) -> str:
    if not path.exists():
        raise ConfigError(
            path,
            (),
            headline=(
                f"config file not found. Copy {_EXAMPLE_CONFIG} to {path} and edit it, "
                "or start without a config file to use the defaults."
            ),
        )
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ConfigError(
            path, (), headline=f"cannot read the config file: {error.strerror or error}."
        ) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ConfigError(
            path,
            (),
            headline=f"the config file is not UTF-8 (bad byte on line {line}); save it as UTF-8.",
        ) from None


def _apply_overrides(
    raw: dict[str, Any],
    env: Mapping[str, str],
    corpus_paths: Sequence[Path | str] | None,
    cwd: Path,
) -> dict[Loc, str]:
    """Write environment and CLI overrides into ``raw``; return key path → source name."""
    sources: dict[Loc, str] = {}
    for var, (section, key) in ENV_OVERRIDES.items():
        value = env.get(var, "").strip()
        if not value:
            continue
        target = raw.setdefault(section, {})
        if target is None:
            target = raw[section] = {}
        if not isinstance(target, dict):
            continue  # the section's own error is reported by validation
        if var == "CORPUSBOT_STORAGE" and value != ":memory:":
            path = Path(value).expanduser()
            value = str(path if path.is_absolute() else cwd / path)
        target[key] = value
        sources[(section, key)] = var
    if corpus_paths is not None:
        target = raw.setdefault("corpus", {})
        if target is None:
            target = raw["corpus"] = {}
        if isinstance(target, dict):
            target["paths"] = [
                p if not str(p).strip() else str(Path(p) if Path(p).is_absolute() else cwd / p)
                for p in corpus_paths
            ]  # an empty entry stays empty, so that validation refuses it
            sources[("corpus", "paths")] = "--corpus"
    return sources


def _warnings(settings: _FileSettings, file_token: bool, env_token: bool, where: str) -> list[str]:
    notes = []
    if file_token:
        tail = " (DISCORD_TOKEN is set and wins)" if env_token else ""
        notes.append(
            f"token in config file {where}; prefer DISCORD_TOKEN: remove discord.token from the "
            f"file and set the DISCORD_TOKEN environment variable instead{tail}."
        )
    enabled = settings.discord.intents.enabled()
    if enabled:
        switches = "; ".join(
            f"Bot → Privileged Gateway Intents → {_PRIVILEGED_SWITCHES[name]}" for name in enabled
        )
        notes.append(
            f"privileged intents enabled in discord.intents: {', '.join(enabled)}. The bot needs "
            "none of them (slash commands work without). If you keep them, turn on in the "
            f"Discord Developer Portal, under your application: {switches}; otherwise Discord "
            "refuses the connection (close code 4014, disallowed intents)."
        )
    return notes


def load_settings(
    path: Path | None = None,
    *,
    env: Mapping[str, str] | None = None,
    corpus_paths: Sequence[Path | str] | None = None,
) -> Settings:
    """Read ``path`` (YAML), apply environment and CLI overrides, validate into :class:`Settings`.

    Args:
        path: the config file; ``None`` means no file (defaults plus overrides).
        env: environment to read overrides from; defaults to :data:`os.environ`. See
            :data:`ENV_OVERRIDES`; ``DISCORD_TOKEN`` wins over ``discord.token`` in the file.
        corpus_paths: from the CLI ``--corpus``: replaces ``corpus.paths`` (relative entries are
            resolved against the working directory; an empty string is refused, as it would
            read the whole working directory).

    Returns:
        Frozen :class:`Settings`. Relative paths in the file (``corpus.paths``,
        ``corpus.cache_dir``, ``storage.path``) are resolved against the file's folder, or the
        working directory without a file. ``warnings`` holds non-fatal notes (token in the file,
        privileged intents enabled with the portal switches to turn on).

    Raises:
        ConfigError: the file is missing or unreadable, is not valid YAML (tabs, duplicate keys,
            tags), or fails validation; the message lists every problem found, never the token.
    """
    environ: Mapping[str, str] = os.environ if env is None else env
    cwd = Path.cwd()
    config_path = path.expanduser().resolve() if path is not None else None
    secrets = [environ.get("DISCORD_TOKEN", "").strip()]

    parsed: _Parsed | None = None
    raw: Any = {}
    if config_path is not None:
        text = _read_file(config_path)
        parsed = _parse_yaml(text)
        raw = parsed.data
        if raw is None and not parsed.problems:
            raw = {}
    problems: list[_Problem] = list(parsed.problems) if parsed else []

    if isinstance(raw, dict) and isinstance(raw.get("discord"), dict):
        file_token = raw["discord"].get("token")
        if isinstance(file_token, str):
            secrets.append(file_token.strip())
    else:
        file_token = None

    def fail(extra: Sequence[_Problem], sources: Mapping[Loc, str] | None = None) -> ConfigError:
        ordered = sorted([*problems, *extra], key=_Problem.sort_key)
        lines = [_scrub(p.render(sources), secrets) for p in ordered]
        return ConfigError(config_path, lines)

    if parsed is not None and parsed.data is None and problems:
        raise fail(())  # a syntax error: nothing further can be checked
    if not isinstance(raw, dict):
        kind = "a list" if isinstance(raw, list) else _show(raw)
        raise fail(
            [
                _Problem(
                    f"the file must be a mapping of sections (discord:, corpus:, ...); got {kind}.",
                    line=1,
                )
            ]
        )

    raw = copy.deepcopy(raw)
    if raw.get("storage") is None:
        raw["storage"] = {}  # so that the default path is resolved like a written one
    sources = _apply_overrides(raw, environ, corpus_paths, cwd)
    base_dir = config_path.parent if config_path is not None else cwd
    try:
        validated = _FileSettings.model_validate(raw, context={"base_dir": base_dir})
    except ValidationError as error:
        reported = [p.loc for p in problems if p.loc is not None]
        extra = []
        for item in error.errors(include_url=False, include_context=False):
            problem = _problem_from_error(item, parsed)
            if problem.loc is not None and any(
                problem.loc[: len(r)] == r for r in reported if r is not None
            ):
                continue  # already explained by the loader (e.g. a rejected tag)
            extra.append(problem)
        raise fail(extra, sources) from None
    if problems:
        raise fail((), sources)

    notes = _warnings(
        validated,
        file_token=isinstance(file_token, str) and bool(file_token.strip()),
        env_token=bool(environ.get("DISCORD_TOKEN", "").strip()),
        where=str(config_path),
    )
    fields = {name: getattr(validated, name) for name in _FileSettings.model_fields}
    return Settings(
        **fields,
        warnings=tuple(_scrub(n, secrets) for n in notes),
        config_path=config_path,
        origins=tuple((_dotted(loc), var) for loc, var in sources.items()),
    )


# --------------------------------------------------------------------------------------------
# Checks that need the file system or the loaded corpus (``check``, ``schedule``, ``run``)
# --------------------------------------------------------------------------------------------


def _where(settings: Settings, key: str) -> str:
    origins = dict(settings.origins)
    origin = origins.get(key) or origins.get(key.partition("[")[0])
    return (
        f"{key} (from {'the environment variable ' + origin if origin.isupper() else origin})"
        if origin
        else key
    )


def _storage_problem(path: Path) -> str | None:
    """Why SQLite could not use ``path``, or ``None``. Probes by making (and removing) a
    temporary file in the folder, so a read-only or pseudo file system (``/proc``) is caught
    even for root, and opens an existing file read-only to see that it is a SQLite database."""
    if str(path) == ":memory:":
        return None
    if path.is_dir():
        return f"{path} is a folder; give the path of a file (it may be inside that folder)"
    folder = path.parent
    while not folder.exists() and folder != folder.parent:
        folder = (
            folder.parent
        )  # the bot creates missing folders, so the nearest existing one counts
    if not folder.is_dir():
        return f"{folder} is not a folder, so {path} cannot be created"
    try:
        with tempfile.TemporaryFile(dir=folder, prefix=".corpusbot-check-"):
            pass
    except OSError as error:
        return f"cannot create files in the folder {folder} ({error.strerror or error})"
    if path.exists():
        if not path.is_file():
            return f"{path} is not a regular file"
        try:
            db = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
            try:
                db.execute("PRAGMA schema_version").fetchone()
            finally:
                db.close()
        except sqlite3.Error as error:
            return f"{path} cannot be used as a SQLite database ({error})"
        if not os.access(path, os.R_OK | os.W_OK):
            return f"{path} is not readable and writable by this user"
        from bot.storage._sqlite import integrity_problem

        return integrity_problem(path)
    return None


def check_storage(settings: Settings) -> None:
    """Check that ``storage.path`` can be used as the SQLite file, without writing it.

    Accepted: ``:memory:``; an existing SQLite file; a new file whose folder exists or can be
    created (the bot creates missing folders) and accepts new files.

    Raises:
        ConfigError: naming ``storage.path`` (and ``CORPUSBOT_STORAGE`` when it came from
            there), the reason (a folder, not a SQLite file, folder not writable...) and an
            example.
    """
    file = settings.storage.sqlite_file
    problem = None if file is None else _storage_problem(file)
    if problem is not None:
        raise ConfigError(
            settings.config_path,
            [
                f"{_where(settings, 'storage.path')}: {problem}; for example: path: "
                f"{_EXAMPLES['storage.path']}."
            ],
        )


def check_corpus_paths(settings: Settings) -> None:
    """Check that every ``corpus.paths`` entry exists, before the corpus is loaded.

    Raises:
        ConfigError: one problem per missing path, naming ``corpus.paths[i]`` (and ``--corpus``
            when the paths came from the command line), the path as given, and the folder a
            relative path was resolved from: the config file's folder for the file's entries,
            the working directory for ``--corpus`` (or when there is no config file).
    """
    from_cli = dict(settings.origins).get("corpus.paths") is not None
    if from_cli or settings.config_path is None:
        base = f"the working directory {Path.cwd()}"
    else:
        base = f"the config file's folder {settings.config_path.parent}"
    example = "--corpus seeds" if from_cli else f"paths: {_EXAMPLES['corpus.paths']}"
    problems = [
        f"{_where(settings, f'corpus.paths[{i}]')}: {path} does not exist (relative paths are "
        f"resolved from {base}); for example: {example}."
        for i, path in enumerate(settings.corpus.paths)
        if not path.exists()
    ]
    if problems:
        raise ConfigError(settings.config_path, problems)


_MAX_IDS_SHOWN = 20


def check_daily_documents(
    settings: Settings,
    document_ids: Collection[str],
    *,
    aliases: Mapping[str, str] | None = None,
) -> None:
    """Check every ``daily[i].documents`` entry against the loaded corpus's document ids.

    Args:
        settings: validated settings.
        document_ids: the ids of the loaded documents (:attr:`bot.core.models.Document.id`).
        aliases: other names of documents, case-folded (file name stem, title) → id; an entry
            close to an id or to one of these names gets "did you mean <id>" (closeness as
            :func:`difflib.get_close_matches`, ratio ≥ 0.6).

    Raises:
        ConfigError: one problem per unknown id, naming ``daily[i].documents[j]``, the id, a
            close id ("did you mean") when there is one, and the valid ids (the first 20).
    """
    known = sorted(document_ids)
    shown = ", ".join(known[:_MAX_IDS_SHOWN])
    if len(known) > _MAX_IDS_SHOWN:
        shown += f", ... ({len(known)} in all; `corpusbot check` lists them)"
    problems = []
    for i, schedule in enumerate(settings.daily):
        for j, doc_id in enumerate(schedule.documents):
            if doc_id in document_ids:
                continue
            names = {k: k for k in known} | dict(aliases or {})
            close = difflib.get_close_matches(doc_id.strip().casefold(), names, n=1, cutoff=0.6)
            hint = f" Did you mean {names[close[0]]}?" if close else ""
            problems.append(
                f"daily[{i}].documents[{j}]: no document has the id {_show(doc_id)} in the loaded "
                f"corpus, so the daily post would have no quote.{hint} Document ids: {shown}."
            )
    if problems:
        raise ConfigError(settings.config_path, problems)
