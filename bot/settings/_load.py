"""Loading: read ``config.yaml``, apply environment overrides, validate, and warn."""

from __future__ import annotations

import copy
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from pydantic import (
    ValidationError,
)

from bot.settings._errors import (
    _EXAMPLE_CONFIG,
    _PRIVILEGED_SWITCHES,
    ENV_OVERRIDES,
    ConfigError,
    Loc,
    _dotted,
    _parse_yaml,
    _Parsed,
    _Problem,
)
from bot.settings._messages import _problem_from_error, _scrub, _show
from bot.settings._model import Settings, _FileSettings

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


def _read_config(config_path: Path | None) -> tuple[_Parsed | None, Any]:
    """The config file parsed (``None`` without a file) and its data (``{}`` for no file or an
    empty one; ``None`` after a syntax error)."""
    if config_path is None:
        return None, {}
    parsed = _parse_yaml(_read_file(config_path))
    raw = parsed.data
    if raw is None and not parsed.problems:
        raw = {}
    return parsed, raw


def _file_token(raw: Any) -> Any:
    """What the file gives as ``discord.token`` (any type; ``None`` when absent)."""
    if isinstance(raw, dict) and isinstance(raw.get("discord"), dict):
        return raw["discord"].get("token")
    return None


def _validation_problems(
    error: ValidationError, parsed: _Parsed | None, problems: Sequence[_Problem]
) -> list[_Problem]:
    """The problems of a failed validation, except those the loader already explained (e.g. a
    rejected tag) under the same key."""
    reported = [p.loc for p in problems if p.loc is not None]
    extra = []
    for item in error.errors(include_url=False, include_context=False):
        problem = _problem_from_error(item, parsed)
        if problem.loc is not None and any(
            problem.loc[: len(r)] == r for r in reported if r is not None
        ):
            continue  # already explained by the loader (e.g. a rejected tag)
        extra.append(problem)
    return extra


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
    parsed, raw = _read_config(config_path)
    problems: list[_Problem] = list(parsed.problems) if parsed else []
    file_token = _file_token(raw)
    secrets = [environ.get("DISCORD_TOKEN", "").strip()]
    if isinstance(file_token, str):
        secrets.append(file_token.strip())

    def fail(extra: Sequence[_Problem], sources: Mapping[Loc, str] | None = None) -> ConfigError:
        ordered = sorted([*problems, *extra], key=_Problem.sort_key)
        lines = [_scrub(p.render(sources), secrets) for p in ordered]
        return ConfigError(config_path, lines)

    if parsed is not None and parsed.data is None and problems:
        raise fail(())  # a syntax error: nothing further can be checked
    if not isinstance(raw, dict):
        kind = "a list" if isinstance(raw, list) else _show(raw)
        mapping = f"the file must be a mapping of sections (discord:, corpus:, ...); got {kind}."
        raise fail([_Problem(mapping, line=1)])

    raw = copy.deepcopy(raw)
    if raw.get("storage") is None:
        raw["storage"] = {}  # so that the default path is resolved like a written one
    sources = _apply_overrides(raw, environ, corpus_paths, cwd)
    base_dir = config_path.parent if config_path is not None else cwd
    try:
        validated = _FileSettings.model_validate(raw, context={"base_dir": base_dir})
    except ValidationError as error:
        raise fail(_validation_problems(error, parsed, problems), sources) from None
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
