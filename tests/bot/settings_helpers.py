"""What the settings tests share: the hand-made config files, the example config, a fake token,
writing a config and reading the error it gives."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from pydantic import BaseModel

import bot
from bot.settings import ConfigError, load_settings

REPO = Path(__file__).resolve().parents[2]
CASES = REPO / "tests" / "data" / "config"  # see tests/data/README.md
EXAMPLE = REPO / "config.example.yaml"
SEEDS = Path(bot.__file__).resolve().parent.parent / "seeds"
TOKEN = "MTIzNDU2Nzg5MDEyMzQ1Njc4.GhIjKl.AnotherFakeTokenThatLooksReal_abc123"


def write(tmp_path: Path, text: str, name: str = "config.yaml") -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def config_error(path: Path | None, **kwargs: object) -> str:
    with pytest.raises(ConfigError) as info:
        load_settings(path, env=kwargs.pop("env", {}), **kwargs)  # type: ignore[arg-type]
    return str(info.value)


def case(name: str) -> Path:
    return CASES / name


DAILY = """
daily:
  - guild_id: 123456789012345678
    channel_id: 234567890123456789
    time: {time}
    timezone: {zone}
"""


def model_keys(model: type[BaseModel], prefix: str = "") -> list[str]:
    keys = []
    for name, field in model.model_fields.items():
        keys.append(prefix + name)
        annotation = field.annotation
        candidates = [annotation, *getattr(annotation, "__args__", ())]
        for candidate in candidates:
            if isinstance(candidate, type) and issubclass(candidate, BaseModel):
                keys.extend(model_keys(candidate, prefix + name + "."))
    return keys
