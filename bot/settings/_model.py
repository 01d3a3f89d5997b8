"""The frozen pydantic models: one per ``config.yaml`` section, and :class:`Settings`."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    SecretStr,
    ValidationInfo,
    model_validator,
)
from pydantic_core import PydanticCustomError

from bot.core.daily import DailySchedule as CoreDailySchedule
from bot.settings._errors import _PRIVILEGED_SWITCHES
from bot.settings._fields import (
    Int,
    ResolvedPath,
    Snowflake,
    _at_least_one,
    _hhmm,
    _language,
    _no_bool,
    _non_empty_path,
    _none_to_empty,
    _one_or_many,
    _resolve,
    _resolve_all,
    _timezone,
    _token,
    _upper,
    _url,
    default_corpus_path,
)

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
