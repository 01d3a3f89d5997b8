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

from bot.settings._checks import check_corpus_paths, check_daily_documents, check_storage
from bot.settings._errors import ENV_OVERRIDES, ConfigError, StrictSafeLoader
from bot.settings._fields import default_corpus_path
from bot.settings._load import load_settings
from bot.settings._model import (
    BotSettings,
    CorpusSettings,
    DailySchedule,
    DiscordSettings,
    HealthSettings,
    IntentSettings,
    LoggingSettings,
    SchedulerSettings,
    SearchSettings,
    Settings,
    StorageSettings,
    SummarySettings,
)

__all__ = [
    "ENV_OVERRIDES",
    "BotSettings",
    "ConfigError",
    "CorpusSettings",
    "DailySchedule",
    "DiscordSettings",
    "HealthSettings",
    "IntentSettings",
    "LoggingSettings",
    "SchedulerSettings",
    "SearchSettings",
    "Settings",
    "StorageSettings",
    "StrictSafeLoader",
    "SummarySettings",
    "check_corpus_paths",
    "check_daily_documents",
    "check_storage",
    "default_corpus_path",
    "load_settings",
]
