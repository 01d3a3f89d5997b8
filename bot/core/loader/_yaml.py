"""YAML for ``corpus.yaml`` and front matter, through the one strict loader (:mod:`bot.core.yamlload`)."""

from __future__ import annotations

import yaml

from bot.core import yamlload

_BadValue = yamlload.InvalidValue
_Duplicate = yamlload.Duplicate


def _load_yaml(text: str) -> tuple[object, list[_Duplicate]]:
    """Parse ``text`` with the strict loader: (data, duplicate keys).

    Raises:
        yaml.YAMLError: the text is not valid YAML (mark on the error when known), or it holds a
            tag outside the safe schema.
    """
    loaded = yamlload.load(text)
    if loaded.rejected_tags:
        raise yaml.constructor.ConstructorError(None, None, loaded.rejected_tags[0].message)
    return loaded.data, loaded.duplicates


_yaml_error = yamlload.describe_error
