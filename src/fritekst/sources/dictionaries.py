"""Reading content-analysis dictionaries: quanteda YAML, LIWC ``.dic``, WordStat ``.cat``, Lexicoder
``.lc3`` and Yoshikoder ``.ykd``, into plain categories with their entries (as written in the file).

Each reader returns :class:`Dictionary`: categories in file order, each with its path (parent names
first), its entries (pattern text and weight) and an optional colour. Turning entries into fritekst
keyword patterns is :mod:`fritekst.rules.dictionary_codebook`'s job.

Formats, as quanteda reads them (its test files are public samples of each):

* **quanteda YAML**: nested mappings; a list (or one text) of entries at the leaves; the key ``''``
  holds a category's own entries next to its subcategories.
* **LIWC** ``.dic``: between the first two ``%`` lines ``<number> <category>``, then one entry per
  line followed by the numbers of its categories.
* **WordStat** ``.cat``: categories and entries indented by tabs; an entry ends with its weight in
  parentheses, ``WORD (1)``; ``_`` joins the words of a phrase.
* **Lexicoder** ``.lc3``: ``+category`` lines (optionally ``+category#RRGGBB``), then entries.
* **Yoshikoder** ``.ykd``: XML, ``<cnode name=…>`` categories nesting ``<pnode name=…>`` entries; the
  outermost ``cnode`` is the dictionary itself.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..errors import InputError
from .refi_import import parse_xml

MAX_DICTIONARY_BYTES = 64 * 1024 * 1024
FORMATS = ("yaml", "liwc", "wordstat", "lexicoder", "yoshikoder")
SUFFIXES = {".yml": "yaml", ".yaml": "yaml", ".dic": "liwc", ".cat": "wordstat", ".lc3": "lexicoder",
            ".lcd": "lexicoder", ".ykd": "yoshikoder"}
_WEIGHT = re.compile(r"^(.*?)\s*\(\s*(-?[0-9]+(?:[.,][0-9]+)?)\s*\)\s*$")


@dataclass
class Category:
    """One category: ``path`` is the names from the top category down to this one."""

    path: tuple[str, ...]
    entries: list[tuple[str, float]] = field(default_factory=list)
    colour: str | None = None


@dataclass
class Dictionary:
    """A dictionary's categories in file order (parents before their children)."""

    format: str
    categories: list[Category]
    problems: list[str] = field(default_factory=list)


def detect_format(path: Path, data: bytes) -> str:
    """The format from the file's suffix, else from its first bytes."""
    by_suffix = SUFFIXES.get(path.suffix.lower())
    if by_suffix:
        return by_suffix
    head = data[:200].lstrip(b"\xef\xbb\xbf").lstrip()
    if head.startswith(b"<"):
        return "yoshikoder"
    if head.startswith(b"%"):
        return "liwc"
    if head.startswith(b"+"):
        return "lexicoder"
    return "yaml"


def read_dictionary(path: str | Path, fmt: str | None = None) -> Dictionary:
    """Read a dictionary file; ``fmt`` (one of :data:`FORMATS`) overrides detection.

    Raises
    ------
    InputError
        The file is missing, too large, not text, or not in the format (one line, with the fix).
    """
    path = Path(path)
    try:
        if path.stat().st_size > MAX_DICTIONARY_BYTES:
            raise InputError(f"{path}: larger than {MAX_DICTIONARY_BYTES} bytes; not a dictionary fritekst reads",
                             code="E118")
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file; check the path", code="E101") from None
    fmt = fmt or detect_format(path, data)
    if fmt not in READERS:
        raise InputError(f"{path}: dictionary format {fmt!r} is unknown; expected one of {', '.join(FORMATS)}",
                         code="E104")
    if fmt == "yoshikoder":
        return _yoshikoder(path, data)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")  # older LIWC and WordStat files
    dictionary = READERS[fmt](path, text)
    if not dictionary.categories:
        raise InputError(f"{path}: no categories found; expected a {fmt} dictionary (see "
                         "docs/refi-qda.md, 'Dictionaries')", code="E117")
    return dictionary


def _category(found: dict[tuple[str, ...], Category], path: tuple[str, ...]) -> Category:
    for depth in range(1, len(path) + 1):  # parents first, so the order is always top-down
        if path[:depth] not in found:
            found[path[:depth]] = Category(path[:depth])
    return found[path]


def _yaml(path: Path, text: str) -> Dictionary:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark is not None else str(path)
        raise InputError(f"{where}: not valid YAML ({getattr(exc, 'problem', exc)}); fix the file",
                         code="E117") from None
    if not isinstance(data, dict):
        raise InputError(f"{path}: a quanteda dictionary is a mapping of categories to entries; "
                         "expected e.g. 'okonomi: [penger, budsjett*]'", code="E117")
    found: dict[tuple[str, ...], Category] = {}
    problems: list[str] = []

    def walk(node: object, trail: tuple[str, ...]) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                name = "" if key is None else str(key).strip()
                walk(value, trail + (name,) if name else trail)
        elif isinstance(node, (list, tuple)):
            for item in node:
                walk(item, trail)
        elif node is not None:
            if not trail:
                problems.append(f"entry {node!r} outside any category; left out")
                return
            _category(found, trail).entries.append((str(node), 1.0))

    walk(data, ())
    return Dictionary("yaml", list(found.values()), problems)


def _liwc(path: Path, text: str) -> Dictionary:
    lines = text.splitlines()
    marks = [i for i, line in enumerate(lines) if line.strip() == "%"]
    if len(marks) < 2:
        raise InputError(f"{path}: a LIWC dictionary starts with a '%' line, the numbered categories and "
                         "another '%' line; neither was found", code="E117")
    names: dict[str, Category] = {}
    for line in lines[marks[0] + 1:marks[1]]:
        parts = line.split(None, 1)
        if len(parts) == 2:
            names[parts[0]] = Category((parts[1].strip(),))
    problems: list[str] = []
    for number, line in enumerate(lines[marks[1] + 1:], start=marks[1] + 2):
        if not line.strip():
            continue
        # The entry is everything before the trailing category numbers (entries may be phrases).
        tokens = line.split()
        numbers: list[str] = []
        while len(tokens) > 1 and tokens[-1].isdigit():
            numbers.insert(0, tokens.pop())
        entry = " ".join(tokens)
        if not numbers:
            problems.append(f"line {number}: {line.strip()!r} names no category; left out")
            continue
        for category_number in numbers:
            category = names.get(category_number) or names.get(category_number.lstrip("0") or "0")
            if category is None:
                problems.append(f"line {number}: category {category_number} of {entry!r} is not declared; left out")
                continue
            category.entries.append((entry, 1.0))
    return Dictionary("liwc", list(names.values()), problems)


def _wordstat(path: Path, text: str) -> Dictionary:
    found: dict[tuple[str, ...], Category] = {}
    trail: list[str] = []
    problems: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        depth = len(line.lstrip(" ")) - len(line.lstrip(" ").lstrip("\t"))
        content = line.strip()
        match = _WEIGHT.match(content)
        if match:  # an entry: "WORD (1)"
            if not trail:
                problems.append(f"line {number}: entry {content!r} outside any category; left out")
                continue
            weight = float(match.group(2).replace(",", "."))
            _category(found, tuple(trail[:depth] or trail)).entries.append((match.group(1), weight))
            continue
        trail = trail[:depth] + [content]
        _category(found, tuple(trail))
    return Dictionary("wordstat", list(found.values()), problems)


def _lexicoder(path: Path, text: str) -> Dictionary:
    found: list[Category] = []
    problems: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        content = line.strip()
        if not content:
            continue
        if content.startswith("+"):
            name, _, colour = content[1:].partition("#")
            found.append(Category((name.strip(),), colour=f"#{colour}" if colour else None))
        elif not found:
            problems.append(f"line {number}: entry {content!r} before the first +category; left out")
        else:
            found[-1].entries.append((content, 1.0))
    return Dictionary("lexicoder", found, problems)


def _yoshikoder(path: Path, data: bytes) -> Dictionary:
    root = parse_xml(data, str(path))
    if root.tag != "dictionary":
        raise InputError(f"{path}: a Yoshikoder dictionary is XML with a <dictionary> root; found <{root.tag}>",
                         code="E117")
    found: dict[tuple[str, ...], Category] = {}
    tops = root.findall("cnode")
    # The outermost cnode names the dictionary itself (quanteda leaves it out too).
    start = tops[0].findall("cnode") if len(tops) == 1 else tops

    def walk(node, trail: tuple[str, ...]) -> None:  # type: ignore[no-untyped-def]
        name = (node.get("name") or "").strip()
        here = trail + (name,)
        category = _category(found, here)
        for child in node:
            if child.tag == "pnode" and child.get("name"):
                category.entries.append((str(child.get("name")), 1.0))
            elif child.tag == "cnode":
                walk(child, here)

    for node in start:
        walk(node, ())
    if len(tops) == 1:
        for child in tops[0].findall("pnode"):
            if child.get("name"):
                _category(found, (tops[0].get("name") or "ord",)).entries.append((str(child.get("name")), 1.0))
    return Dictionary("yoshikoder", list(found.values()), [])


READERS: dict[str, Callable[[Path, str], Dictionary]] = {
    "yaml": _yaml, "liwc": _liwc, "wordstat": _wordstat, "lexicoder": _lexicoder,
    "yoshikoder": lambda path, text: _yoshikoder(path, text.encode("utf-8")),
}
