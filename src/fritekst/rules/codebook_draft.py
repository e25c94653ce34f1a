"""Writing a fritekst YAML codebook from codes read elsewhere (REFI-QDA codebooks, dictionaries).

Importers describe codes as :class:`DraftCode` (label, hierarchy, description, colour, keyword
patterns) and :func:`codebook_yaml` turns them into a codebook file that ``fritekst check`` accepts:
ids derived from labels (Norwegian letters spelled out, unique), colours kept when valid, keyword
rules with ``match: exact`` (a dictionary lists word forms, not lemmas).

Examples
--------
>>> code_id_from_label("Økonomi og ressurser")
'okonomi_og_ressurser'
>>> code_id_from_label("Årsak: Tid/ressurser")
'aarsak_tid_ressurser'
>>> code_id_from_label("3. Retorikai eszköz")
'k_3_retorikai_eszkoz'
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

import yaml

from .codebook import COLOUR_RE, ID_RE

#: Letters NFKD does not decompose into an ASCII base letter, spelled as Norwegians write them in ids.
_LETTERS = str.maketrans({"æ": "ae", "ø": "o", "å": "aa", "Æ": "ae", "Ø": "o", "Å": "aa", "ß": "ss",
                          "đ": "d", "ð": "d", "þ": "th", "ł": "l", "œ": "oe"})
_NON_ID = re.compile(r"[^a-z0-9]+")
MAX_ID_LENGTH = 48


@dataclass
class DraftRule:
    """A keyword rule: patterns in fritekst's syntax and the match mode."""

    keywords: list[str]
    match: str = "exact"


@dataclass
class DraftCode:
    """A code to write: ``key`` identifies it among the drafts (a GUID, a path), ``parent`` is a key."""

    key: str
    label: str
    parent: str | None = None
    description: str = ""
    include: str = ""
    exclude: str = ""
    colour: str | None = None
    code_id: str | None = None
    rules: list[DraftRule] = field(default_factory=list)


class _Dumper(yaml.SafeDumper):
    """Safe YAML with multi-line texts (memos, descriptions) as readable ``|`` blocks."""


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value and not any(c in value for c in "\r\t") and value == value.strip() else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)


def code_id_from_label(label: str) -> str:
    """A valid code id (``^[a-z][a-z0-9_]*$``) from a label, with Norwegian letters spelled out."""
    text = unicodedata.normalize("NFKD", label.translate(_LETTERS).lower().translate(_LETTERS))
    text = "".join(c for c in text if not unicodedata.combining(c))
    slug = _NON_ID.sub("_", text).strip("_")[:MAX_ID_LENGTH].strip("_")
    if not slug:
        return "kode"
    return slug if slug[0].isalpha() else f"k_{slug}"


def assign_ids(codes: Sequence[DraftCode], reserved: Sequence[str] = ()) -> dict[str, str]:
    """Key → code id: a given valid ``code_id`` is kept, others derive from the label; all unique."""
    taken = set(reserved)
    ids: dict[str, str] = {}
    for code in codes:  # explicit ids first, so a derived id never steals one
        if code.code_id and ID_RE.match(code.code_id) and code.code_id not in taken:
            ids[code.key] = code.code_id
            taken.add(code.code_id)
    for code in codes:
        if code.key in ids:
            continue
        base = code_id_from_label(code.label)
        candidate, n = base, 2
        while candidate in taken:
            candidate, n = f"{base}_{n}", n + 1
        ids[code.key] = candidate
        taken.add(candidate)
    return ids


def valid_colour(value: str | None) -> str | None:
    """``#rrggbb`` from REFI/Lexicoder colours (``#RRGGBB``, ``#AARRGGBB``, ``RRGGBB``), else None.

    Examples
    --------
    >>> valid_colour("#FF8040"), valid_colour("#80FF8040"), valid_colour("red")
    ('#ff8040', '#ff8040', None)
    """
    if not value:
        return None
    text = value.strip().lstrip("#")
    if len(text) == 8:  # ARGB as .NET writes it
        text = text[2:]
    colour = "#" + text.lower()
    return colour if COLOUR_RE.match(colour) else None


def codebook_yaml(codebook_id: str, title: str, codes: Sequence[DraftCode], *, description: str = "",
                  header: Sequence[str] = ()) -> str:
    """The YAML text of a codebook with ``codes`` (in order; parents before or after children).

    ``header`` lines become comments at the top (where the codebook came from, what was not carried).
    """
    ids = assign_ids(codes)
    by_key = {code.key: code for code in codes}
    entries = []
    for code in codes:
        entry: dict[str, object] = {"id": ids[code.key], "label": code.label or ids[code.key],
                                    "parent": ids[code.parent] if code.parent in by_key else None}
        for key in ("description", "include", "exclude"):
            value = getattr(code, key).strip()
            if value:
                entry[key] = value
        colour = valid_colour(code.colour)
        if colour:
            entry["colour"] = colour
        rules = []
        for number, rule in enumerate(code.rules, start=1):
            item: dict[str, object] = {"id": f"{ids[code.key]}_{number}" if len(code.rules) > 1
                                       else f"{ids[code.key]}_ord", "keywords": list(rule.keywords)}
            if rule.match != "lemma":
                item["match"] = rule.match
            rules.append(item)
        if rules:
            entry["rules"] = rules
        entries.append(entry)
    data: dict[str, object] = {"codebook": codebook_id, "title": title}
    if description.strip():
        data["description"] = description.strip()
    data["codes"] = entries
    body = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100,
                     default_flow_style=False)
    comments = "".join(f"# {line}\n" if line else "#\n" for text in header for line in text.splitlines() or [""])
    return comments + body
