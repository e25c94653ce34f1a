"""Load YAML into plain dicts and lists that remember the line each key and item came from.

Validation messages must point at ``file:line``; PyYAML's composed node tree carries the marks, so we
build the Python values from it ourselves instead of using ``safe_load``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml


class LineDict(dict):  # type: ignore[type-arg]
    """A mapping that knows its own line and the line of each key (1-based)."""

    line: int = 0
    key_lines: dict[str, int]


class LineList(list):  # type: ignore[type-arg]
    """A sequence that knows its own line and the line of each item (1-based)."""

    line: int = 0
    item_lines: list[int]


def line_of(container: Any, key: str | int | None = None, default: int = 0) -> int:
    """The line of ``container[key]`` (or of the container itself when ``key`` is None)."""
    if key is None:
        return int(getattr(container, "line", default))
    if isinstance(container, LineDict):
        return container.key_lines.get(str(key), container.line)
    if isinstance(container, LineList) and isinstance(key, int) and 0 <= key < len(container.item_lines):
        return container.item_lines[key]
    return default


def load_yaml_with_lines(path: Path) -> Any:
    """Parse a YAML file; raise ``yaml.YAMLError`` (with its mark) on syntax errors."""
    with path.open(encoding="utf-8") as handle:
        # libyaml's parser when PyYAML has it: the same nodes and marks, ~10x faster than pure Python.
        node = yaml.compose(handle, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    if node is None:
        return None
    constructor = yaml.SafeLoader(stream="")
    return _build(node, constructor)


def _build(node: yaml.Node, constructor: yaml.SafeLoader) -> Any:
    if isinstance(node, yaml.MappingNode):
        result = LineDict()
        result.line = node.start_mark.line + 1
        result.key_lines = {}
        for key_node, value_node in node.value:
            key = _build(key_node, constructor)
            key = str(key) if not isinstance(key, str) else key
            result[key] = _build(value_node, constructor)
            result.key_lines[key] = key_node.start_mark.line + 1
        return result
    if isinstance(node, yaml.SequenceNode):
        items = LineList(_build(item, constructor) for item in node.value)
        items.line = node.start_mark.line + 1
        items.item_lines = [item.start_mark.line + 1 for item in node.value]
        return items
    # Scalars: let PyYAML resolve types (int, float, bool, null) exactly as safe_load would.
    return constructor.construct_object(node, deep=True)
