"""YAML front matter at the top of a Markdown or plain-text file (rules in :mod:`._markdown`)."""

from __future__ import annotations

import re

import yaml

from bot.core.loader._manifest import _clean_metadata, _str_keys
from bot.core.loader._yaml import _load_yaml, _yaml_error

FRONT_MATTER_MAX_LINES = 200  # a closing '---' further down is not looked for


_FRONT_MATTER_KEY = re.compile(
    r"^(?:id|title|author|date|outlet|source_url|url|standfirst|description)\s*:"
)


_YAML_KEY_LINE = re.compile(r"^(?:[A-Za-z_][\w-]*[ \t]*:(?:[ \t]|$)|[ \t]+\S|-[ \t])")


def _split_front_matter(text: str, *, markdown: bool) -> tuple[dict[str, str], str, list[str]]:
    """Split YAML front matter off ``text``: (metadata, rest, notes for the operator).

    In Markdown any ``---`` block at the very start is front matter. In plain text it is front
    matter only when one of its lines starts with a known key (``title:``, ``author:``, ...), so a
    story that opens with a ``---`` divider stays text.

    An opening ``---`` with no closing ``---`` (or ``...``) line: when the ``key: value`` lines
    right after it, up to the first blank line, include a known key, they are read as the front
    matter and a note says the closing line is missing; in Markdown, with no such lines, a note says the file was read
    without front matter. Keys given twice are dropped (both values) and a value YAML cannot
    construct (``date: 2020-02-30``) drops only that key; each is noted with its line.
    """
    if not text.startswith("---"):
        return {}, text, []
    lines = text.split("\n")
    if lines[0].rstrip() != "---":
        return {}, text, []
    notes: list[str] = []
    for end in range(1, min(len(lines), FRONT_MATTER_MAX_LINES)):
        if lines[end].rstrip() in ("---", "..."):
            break
    else:
        end = 1
        while end < len(lines) and _YAML_KEY_LINE.match(lines[end]):
            end += 1
        keys = lines[1:end]
        if not any(_FRONT_MATTER_KEY.match(k) for k in keys):
            if markdown:
                notes.append(
                    "starts with a '---' line but has no closing '---' line, so it has no "
                    "front matter; read it all as text"
                )
            return {}, text, notes
        span = "line 2" if end == 2 else f"lines 2-{end}"
        notes.append(
            f"front matter has no closing '---' line; read {span} as front matter - "
            f"add a '---' line after line {end}"
        )
        block, rest = "\n".join(keys), "\n".join(lines[end:])
        return _parse_front_matter(block, rest, notes)
    if not markdown and not any(_FRONT_MATTER_KEY.match(line) for line in lines[1:end]):
        return {}, text, []
    block, rest = "\n".join(lines[1:end]), "\n".join(lines[end + 1 :])
    return _parse_front_matter(block, rest, notes)


def _parse_front_matter(
    block: str, rest: str, notes: list[str]
) -> tuple[dict[str, str], str, list[str]]:
    """Parse the YAML ``block`` (file lines from 2 on); returns (metadata, rest, notes)."""
    try:
        raw, duplicates = _load_yaml(block)
    except (yaml.YAMLError, ValueError, RecursionError) as error:
        notes.append(f"front matter is not valid YAML{_yaml_error(error, 1)}; ignored it")
        return {}, rest, notes
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        notes.append("front matter is not a mapping of keys to values; ignored it")
        return {}, rest, notes
    fields = _str_keys(raw)
    for d in duplicates:
        notes.append(
            f"front matter: duplicate key '{d.key}' on line {d.first + 1} and again on line "
            f"{d.second + 1}; ignored both - delete the one you do not want"
        )
        if d.top_level:
            fields.pop(d.key, None)
    cleaned, messages = _clean_metadata(fields, "front matter", strict=False, line_offset=1)
    return cleaned, rest, notes + messages
