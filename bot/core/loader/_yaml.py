"""The strict YAML loader for ``corpus.yaml`` and front matter (duplicate keys, bad dates)."""

from __future__ import annotations

from dataclasses import dataclass

import yaml


@dataclass(frozen=True, slots=True)
class _BadValue:
    """A YAML value that could not be constructed (e.g. the date ``2020-02-30``)."""

    text: str
    why: str
    line: int  # 1-based, in the YAML text


@dataclass(frozen=True, slots=True)
class _Duplicate:
    key: str
    first: int  # 1-based lines in the YAML text
    second: int
    top_level: bool


class _MetadataLoader(yaml.SafeLoader):
    """A :class:`yaml.SafeLoader` for ``corpus.yaml`` and front matter that hides nothing.

    The same approach as ``bot.settings.StrictSafeLoader`` for ``config.yaml`` (that module is
    outside the pure core, so it is not imported here): after :meth:`get_single_data`,
    ``duplicates`` lists every key given twice in one mapping (plain PyYAML silently keeps the
    last one), and a timestamp that is not a real date (``2020-02-30``) is constructed as a
    :class:`_BadValue` instead of raising, so only that key is lost, not the whole block.
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.duplicates: list[_Duplicate] = []
        self._root: yaml.Node | None = None

    def construct_document(self, node: yaml.Node) -> object:
        self._root = node
        return super().construct_document(node)

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[object, object]:
        if isinstance(node, yaml.MappingNode):
            seen: dict[object, int] = {}
            for key_node, _ in node.value:
                if not isinstance(key_node, yaml.ScalarNode) or key_node.tag.endswith(":merge"):
                    continue
                key = self.construct_object(key_node, deep=True)
                try:
                    first = seen.get(key)
                except TypeError:  # unhashable: SafeLoader reports it
                    continue
                line = key_node.start_mark.line + 1
                if first is None:
                    seen[key] = line
                else:
                    self.duplicates.append(_Duplicate(str(key), first, line, node is self._root))
        return super().construct_mapping(node, deep=deep)

    def construct_lenient_timestamp(self, node: yaml.ScalarNode) -> object:
        try:
            return self.construct_yaml_timestamp(node)
        except ValueError as error:
            return _BadValue(str(node.value), str(error), node.start_mark.line + 1)


_MetadataLoader.add_constructor(
    "tag:yaml.org,2002:timestamp", _MetadataLoader.construct_lenient_timestamp
)


def _load_yaml(text: str) -> tuple[object, list[_Duplicate]]:
    """Parse ``text`` with :class:`_MetadataLoader`: (data, duplicate keys).

    Raises:
        yaml.YAMLError: the text is not valid YAML (mark on the error when known).
    """
    loader = _MetadataLoader(text)
    try:
        return loader.get_single_data(), loader.duplicates
    finally:
        loader.dispose()


def _yaml_error(error: Exception, line_offset: int) -> str:
    """``" at line L, column C (problem)"`` for a YAML error, lines counted in the file."""
    mark = getattr(error, "problem_mark", None)
    at = f" at line {mark.line + 1 + line_offset}, column {mark.column + 1}" if mark else ""
    problem = getattr(error, "problem", None) or str(error) or type(error).__name__
    return f"{at} ({problem})"
