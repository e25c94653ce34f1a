"""Load YAML into plain dicts and lists that remember the line each key and item came from.

Validation messages must point at ``file:line``; PyYAML's composed node tree carries the marks, so we
build the Python values from it ourselves instead of using ``safe_load``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from ..errors import CodebookError


class LineDict(dict):  # type: ignore[type-arg]
    """A mapping that knows its own line and the line of each key (1-based)."""

    line: int = 0
    key_lines: dict[str, int]


class LineList(list):  # type: ignore[type-arg]
    """A sequence that knows its own line and the line of each item (1-based)."""

    line: int = 0
    item_lines: list[int]


def yaml_kind(value: Any) -> str:
    """What a YAML value is, in the words of the format (messages never name Python classes).

    Examples
    --------
    >>> yaml_kind(LineList()), yaml_kind(None), yaml_kind(3)
    ('a list', 'empty (null)', 'a number')
    """
    if value is None:
        return "empty (null)"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return "a date or other value"


def line_of(container: Any, key: str | int | None = None, default: int = 0) -> int:
    """The line of ``container[key]`` (or of the container itself when ``key`` is None)."""
    if key is None:
        return int(getattr(container, "line", default))
    if isinstance(container, LineDict):
        return container.key_lines.get(str(key), container.line)
    if isinstance(container, LineList) and isinstance(key, int) and 0 <= key < len(container.item_lines):
        return container.item_lines[key]
    return default


#: Most values one YAML file may build. Aliases (``*name``) re-use a node, so a few kilobytes can
#: describe billions of values (a "billion laughs" bomb); a codebook has at most some thousands.
MAX_VALUES = 200_000
#: Deepest nesting of lists and mappings accepted; codebooks nest three or four levels.
MAX_DEPTH = 64


def load_yaml_with_lines(path: Path) -> Any:
    """Parse a YAML file; raise ``yaml.MarkedYAMLError`` on syntax errors.

    Raises :class:`~fritekst.errors.InputError` (one line, ``file:line``) for what ``safe_load``
    accepts silently or fails on badly: a key given twice in one mapping (YAML keeps the last, so a
    second ``rules:`` would silently replace the first), an alias that contains itself, nesting
    deeper than :data:`MAX_DEPTH`, more than :data:`MAX_VALUES` values after expanding aliases,
    and characters YAML does not allow (a NUL byte).
    """
    try:
        with path.open(encoding="utf-8") as handle:
            # libyaml's parser when PyYAML has it: the same nodes and marks, ~10x faster than pure
            # Python, and it refuses nesting past its own limit with a marked error.
            node = yaml.compose(handle, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.MarkedYAMLError:
        raise
    except yaml.YAMLError as exc:  # the reader's "unacceptable character" and friends
        raise CodebookError([f"{path}: {_first_line(exc)}; save the file as plain UTF-8 text"], code="E202") from exc
    except RecursionError:
        raise CodebookError([f"{path}: YAML nested too deeply; expected at most {MAX_DEPTH} levels of "
                              "lists and mappings"], code="E202") from None
    if node is None:
        return None
    constructor = yaml.SafeLoader(stream="")
    return _Builder(path, constructor).build(node, 0)


def _first_line(exc: BaseException) -> str:
    return " ".join(str(exc).split("\n")[0].split()) or type(exc).__name__


class _Builder:
    """Builds plain values from composed nodes, counting values and watching depth and cycles."""

    def __init__(self, path: Path, constructor: yaml.SafeLoader) -> None:
        self.path = path
        self.constructor = constructor
        self.values = 0
        self.active: set[int] = set()

    def fail(self, node: yaml.Node, message: str) -> CodebookError:
        return CodebookError([f"{self.path}:{node.start_mark.line + 1}: {message}"], code="E202")

    def build(self, node: yaml.Node, depth: int) -> Any:
        self.values += 1
        if self.values > MAX_VALUES:
            raise self.fail(node, f"YAML aliases expand to more than {MAX_VALUES:,} values; expected a "
                            "codebook of ordinary size (remove the repeated *alias references)")
        if depth > MAX_DEPTH:
            raise self.fail(node, f"YAML nested deeper than {MAX_DEPTH} levels; expected lists and "
                            "mappings a few levels deep")
        if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)):
            if id(node) in self.active:
                raise self.fail(node, "a YAML alias refers to the list or mapping that contains it; "
                                "remove the self-reference")
            self.active.add(id(node))
            try:
                return self.mapping(node, depth) if isinstance(node, yaml.MappingNode) \
                    else self.sequence(node, depth)
            finally:
                self.active.discard(id(node))
        # Scalars: let PyYAML resolve types (int, float, bool, null) exactly as safe_load would.
        return self.constructor.construct_object(node, deep=True)

    def mapping(self, node: yaml.MappingNode, depth: int) -> LineDict:
        result = LineDict()
        result.line = node.start_mark.line + 1
        result.key_lines = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise self.fail(key_node, "YAML merge keys ('<<') are not supported in codebooks; write "
                                "the keys out")
            key = self.build(key_node, depth + 1)
            key = str(key) if not isinstance(key, str) else key
            if key in result.key_lines:
                raise self.fail(key_node, f"key {key!r} appears twice in one mapping (first on line "
                                f"{result.key_lines[key]}); YAML would keep only the second, so merge "
                                "the two or remove one")
            result[key] = self.build(value_node, depth + 1)
            result.key_lines[key] = key_node.start_mark.line + 1
        return result

    def sequence(self, node: yaml.SequenceNode, depth: int) -> LineList:
        items = LineList(self.build(item, depth + 1) for item in node.value)
        items.line = node.start_mark.line + 1
        items.item_lines = [item.start_mark.line + 1 for item in node.value]
        return items
