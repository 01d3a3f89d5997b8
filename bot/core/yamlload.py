"""The one strict YAML loader: ``config.yaml``, ``corpus.yaml`` manifests and front matter.

PyYAML's ``SafeLoader`` hides mistakes: a key given twice keeps only the last value, an unknown
tag raises from deep inside construction, ``2020-02-30`` aborts the whole document, and YAML 1.1
silently turns ``012`` (octal), ``0b1010`` (binary), ``0x1F`` (hex) and ``1:2:3`` (base 60) into
numbers. :func:`load` reads one document with :class:`StrictLoader`, which instead:

* records every duplicate key with both lines (:class:`Duplicate`);
* constructs any tag outside the safe schema (``!!python/...``, ``!custom``) as ``None`` and records
  it (:class:`RejectedTag`); nothing is imported or executed;
* constructs a timestamp that is not a real date as :class:`InvalidValue`, so one key is lost,
  not the document;
* constructs an integer written in a YAML 1.1 non-decimal form as :class:`WrittenInt` (an ``int``
  that keeps the text as written), so a caller can refuse it where only plain digits make sense
  (Discord ids, times);
* indexes the line and the raw text of every value by key path (``("daily", 0, "time")``).

Syntax errors stay :class:`yaml.MarkedYAMLError`; :func:`syntax_problems` turns one into messages
with line and column (every tab character listed, with the fix). Pure Python, no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

__all__ = [
    "Duplicate",
    "InvalidValue",
    "Loaded",
    "RejectedTag",
    "StrictLoader",
    "SyntaxProblem",
    "WrittenInt",
    "describe_error",
    "load",
    "syntax_problems",
]

Loc = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class Duplicate:
    """A key given twice in one mapping: ``first`` and ``second`` are 1-based lines."""

    key: str
    first: int
    second: int
    loc: Loc  # key path of the repeated key
    top_level: bool

    @property
    def message(self) -> str:
        return (
            f"duplicate key {self.key!r} on line {self.first} and again on line {self.second}; "
            "YAML would silently keep only the last one. Delete the one you do not want."
        )


@dataclass(frozen=True, slots=True)
class RejectedTag:
    """A tagged value that was not constructed (``!!python/object``, ``!custom``)."""

    tag: str  # as written: "!!python/object/apply:os.system"
    line: int
    loc: Loc | None

    @property
    def message(self) -> str:
        if "python/" in self.tag:
            return (
                f"the tag {self.tag} is not allowed: Python tags can run code, so this file is "
                "read with a safe loader and nothing was constructed or executed. Write a plain "
                "value instead."
            )
        return f"the tag {self.tag} is not supported here; write a plain value without a tag."


@dataclass(frozen=True, slots=True)
class InvalidValue:
    """A value that could not be constructed (e.g. the date ``2020-02-30``)."""

    text: str
    why: str
    line: int  # 1-based

    def __repr__(self) -> str:
        return self.text


class WrittenInt(int):
    """An integer YAML 1.1 read from a non-decimal form; ``written`` is the text in the file and
    ``form`` one of ``"octal"``, ``"binary"``, ``"hexadecimal"``, ``"base-60"``."""

    written: str
    form: str

    def __new__(cls, value: int, written: str, form: str) -> WrittenInt:
        self = super().__new__(cls, value)
        self.written = written
        self.form = form
        return self

    def __reduce__(self) -> tuple[type[WrittenInt], tuple[int, str, str]]:
        return (WrittenInt, (int(self), self.written, self.form))


@dataclass(frozen=True, slots=True)
class SyntaxProblem:
    """A syntax error in words, with 1-based line and column when known."""

    message: str
    line: int | None
    column: int | None


@dataclass
class Loaded:
    """The result of :func:`load`."""

    data: Any
    duplicates: list[Duplicate] = field(default_factory=list)
    rejected_tags: list[RejectedTag] = field(default_factory=list)
    lines: dict[Loc, int] = field(default_factory=dict)  # key path -> line where its entry starts
    raw: dict[Loc, str] = field(default_factory=dict)  # key path -> plain scalar as written


_NON_DECIMAL = (
    (re.compile(r"[-+]?0b[01_]+"), "binary"),
    (re.compile(r"[-+]?0x[0-9a-fA-F_]+"), "hexadecimal"),
    (re.compile(r"[-+]?0[0-7_]+"), "octal"),
    (re.compile(r"[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+"), "base-60"),
)


class StrictLoader(yaml.SafeLoader):
    """A :class:`yaml.SafeLoader` that records what plain PyYAML hides (see the module notes)."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.duplicates: list[Duplicate] = []
        self.rejected_tags: list[RejectedTag] = []
        self.lines: dict[Loc, int] = {}
        self.raw: dict[Loc, str] = {}
        self._node_locs: dict[int, Loc] = {}
        self._root: yaml.Node | None = None

    def construct_document(self, node: yaml.Node) -> Any:
        self._root = node
        self._index(node, (), node.start_mark.line + 1, 0)
        return super().construct_document(node)

    def _index(self, node: yaml.Node, loc: Loc, line: int, depth: int) -> None:
        # ``line`` is where the entry starts: the key's line for a mapping value. Aliases share
        # node objects: each node is indexed once, at its first path.
        if depth > 100 or id(node) in self._node_locs:
            return
        self._node_locs[id(node)] = loc
        self.lines[loc] = line
        if isinstance(node, yaml.ScalarNode) and not node.style:
            self.raw[loc] = str(node.value)
        elif isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                if isinstance(key_node, yaml.ScalarNode):
                    key_line = key_node.start_mark.line + 1
                    self._index(value_node, (*loc, str(key_node.value)), key_line, depth + 1)
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                self._index(item, (*loc, i), item.start_mark.line + 1, depth + 1)

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        if isinstance(node, yaml.MappingNode):
            loc = self._node_locs.get(id(node), ())
            seen: dict[Any, int] = {}
            for key_node, _ in node.value:
                if not isinstance(key_node, yaml.ScalarNode) or key_node.tag.endswith(":merge"):
                    continue
                key = self.construct_object(key_node, deep=True)
                try:
                    first = seen.get(key)
                except TypeError:  # unhashable key: SafeLoader reports it
                    continue
                line = key_node.start_mark.line + 1
                if first is None:
                    seen[key] = line
                else:
                    top = node is self._root
                    self.duplicates.append(Duplicate(str(key), first, line, (*loc, str(key)), top))
        return super().construct_mapping(node, deep=deep)

    def construct_lenient_timestamp(self, node: yaml.ScalarNode) -> object:
        try:
            return self.construct_yaml_timestamp(node)
        except ValueError as error:
            return InvalidValue(str(node.value), str(error), node.start_mark.line + 1)

    def construct_written_int(self, node: yaml.ScalarNode) -> int:
        value = int(self.construct_yaml_int(node))
        text = str(node.value)
        for pattern, form in _NON_DECIMAL:
            if pattern.fullmatch(text) and text.lstrip("+-") != "0":
                return WrittenInt(value, text, form)
        return value

    def reject_tag(self, node: yaml.Node) -> None:
        tag = str(node.tag)
        shown = "!!" + tag.removeprefix("tag:yaml.org,2002:") if tag.startswith("tag:") else tag
        loc = self._node_locs.get(id(node))
        self.rejected_tags.append(RejectedTag(shown, node.start_mark.line + 1, loc))


def _reject_tagged(loader: StrictLoader, _suffix: str, node: yaml.Node) -> None:
    loader.reject_tag(node)


def _reject_unknown_tag(loader: StrictLoader, node: yaml.Node) -> None:
    loader.reject_tag(node)


StrictLoader.add_constructor(
    "tag:yaml.org,2002:timestamp", StrictLoader.construct_lenient_timestamp
)
StrictLoader.add_constructor("tag:yaml.org,2002:int", StrictLoader.construct_written_int)
StrictLoader.add_multi_constructor("tag:yaml.org,2002:python/", _reject_tagged)
StrictLoader.add_multi_constructor("!", _reject_tagged)
StrictLoader.add_constructor(None, _reject_unknown_tag)


def load(text: str) -> Loaded:
    """Parse one YAML document from ``text`` with :class:`StrictLoader`.

    Raises:
        yaml.YAMLError: not valid YAML (a :class:`yaml.MarkedYAMLError` carries line/column);
            :func:`syntax_problems` puts it in words.
    """
    loader = StrictLoader(text)
    try:
        data = loader.get_single_data()
    finally:
        loader.dispose()
    return Loaded(data, loader.duplicates, loader.rejected_tags, loader.lines, loader.raw)


def _tab_positions(text: str) -> list[tuple[int, int]]:
    """(line, column), 1-based, of the first tab outside quotes and comments on each line."""
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        quote = ""
        for col, ch in enumerate(line):
            if quote:
                if ch == quote:
                    quote = ""
            elif ch in "\"'":
                quote = ch
            elif ch == "#" and (col == 0 or line[col - 1] in " \t"):
                break
            elif ch == "\t":
                found.append((number, col + 1))
                break
    return found


def syntax_problems(text: str, error: yaml.MarkedYAMLError) -> list[SyntaxProblem]:
    """A syntax error in words: one problem per tab character when tabs caused it.

    Built from the marks and PyYAML's short problem phrases only: the offending line is never
    quoted (it could hold a secret).
    """
    mark = error.problem_mark or error.context_mark
    line = mark.line + 1 if mark is not None else None
    column = mark.column + 1 if mark is not None else None
    lines = text.splitlines()
    at_tab = (
        mark is not None
        and mark.line < len(lines)
        and mark.column < len(lines[mark.line])
        and lines[mark.line][mark.column] == "\t"
    )
    if at_tab or "\\t" in str(error.problem) or "\t" in str(error.problem):
        tabs = _tab_positions(text)
        if line is not None and column is not None and (line, column) not in tabs:
            tabs.insert(0, (line, column))
        return [
            SyntaxProblem(
                "tab character; YAML does not allow tabs for indentation or before a comment: "
                "replace tabs with spaces.",
                tab_line,
                tab_column,
            )
            for tab_line, tab_column in sorted(tabs)
        ]
    parts = [str(p) for p in (error.context, error.problem) if p]
    what = "; ".join(parts) or "syntax error"
    return [SyntaxProblem(f"not valid YAML: {what}.", line, column)]


def describe_error(error: Exception, line_offset: int = 0) -> str:
    """``" at line L, column C (problem)"`` for a YAML error; ``line_offset`` file lines come
    before the YAML text (front matter starts on line 2)."""
    mark = getattr(error, "problem_mark", None)
    at = f" at line {mark.line + 1 + line_offset}, column {mark.column + 1}" if mark else ""
    problem = getattr(error, "problem", None) or str(error) or type(error).__name__
    if "\t" in str(problem) or "\\t" in str(problem):
        problem = f"{problem}; replace tabs with spaces"
    return f"{at} ({problem})"
