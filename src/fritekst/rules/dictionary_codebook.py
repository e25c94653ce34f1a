"""Dictionaries (quanteda, LIWC, WordStat, Lexicoder, Yoshikoder) as fritekst codebooks.

Each category becomes a code (subcategories nested under it by ``parent``) with one keyword rule
listing its entries in fritekst's pattern syntax, matched ``exact`` (dictionaries list word forms):

| dictionary entry | fritekst pattern | note |
|---|---|---|
| ``word`` | ``word`` | case-insensitive in both |
| ``word*``, ``*word``, ``*word*`` | the same | a wildcard at either end of a word |
| ``word**`` | ``word*`` | a doubled star is one |
| ``two words``, ``TWO_WORDS`` | ``two words`` | a phrase (WordStat joins words with ``_``) |
| ``wo*rd``, ``w?rd``, ``(02 134)`` | — | a wildcard inside a word, one-character wildcards and LIWC's conditional entries cannot be written in fritekst; listed as not carried |

WordStat weights other than 1 are not carried (fritekst codes are present or absent); they are
listed. Entries fritekst's tokenizer would split (``fair-*``) are listed too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..errors import PatternError
from ..sources.dictionaries import Dictionary
from .codebook_draft import DraftCode, DraftRule, code_id_from_label, codebook_yaml
from .patterns import parse_pattern

_SPACES = re.compile(r"\s+")


@dataclass
class DictionaryCodebook:
    """The YAML of the codebook made from a dictionary, and what could not be carried."""

    codebook_id: str
    yaml_text: str
    n_codes: int
    n_patterns: int
    not_carried: list[str] = field(default_factory=list)


def fritekst_pattern(entry: str, fmt: str) -> tuple[str | None, str]:
    """An entry in fritekst's syntax, or ``None`` and why it cannot be.

    Examples
    --------
    >>> fritekst_pattern("Botswanan*", "wordstat")
    ('botswanan*', '')
    >>> fritekst_pattern("SOUTH_AFRICA", "wordstat")
    ('south africa', '')
    >>> fritekst_pattern("heckl**", "lexicoder")
    ('heckl*', '')
    >>> fritekst_pattern("w?rd", "yaml")[1]
    "'?' (any one character) has no fritekst equivalent"
    """
    text = entry.strip().lower()
    if fmt == "wordstat":
        text = text.replace("_", " ")
    text = _SPACES.sub(" ", text)
    text = re.sub(r"\*{2,}", "*", text)
    if not text:
        return None, "empty entry"
    if "?" in text:
        return None, "'?' (any one character) has no fritekst equivalent"
    if "(" in text or ")" in text:
        return None, "conditional entries (LIWC's parentheses) have no fritekst equivalent"
    if any("*" in word.strip("*") for word in text.split(" ")):
        return None, "a '*' inside a word has no fritekst equivalent (only at the start or end)"
    try:
        return parse_pattern(text).text, ""
    except PatternError as exc:
        return None, str(exc).split(": ", 1)[-1]


def dictionary_codebook(dictionary: Dictionary, codebook_id: str, title: str, source: str) -> DictionaryCodebook:
    """Codes with keyword rules from a dictionary's categories (see the module docstring)."""
    drafts: list[DraftCode] = []
    not_carried: list[str] = list(dictionary.problems)
    n_patterns = 0
    weights = 0
    for category in dictionary.categories:
        key = "\x1f".join(category.path)
        patterns: list[str] = []
        for entry, weight in category.entries:
            pattern, reason = fritekst_pattern(entry, dictionary.format)
            if pattern is None:
                not_carried.append(f"{' / '.join(category.path)}: {entry!r}: {reason}")
                continue
            if weight != 1:
                weights += 1
            if pattern not in patterns:
                patterns.append(pattern)
        n_patterns += len(patterns)
        drafts.append(DraftCode(key=key, label=category.path[-1] or "kategori",
                                parent="\x1f".join(category.path[:-1]) if len(category.path) > 1 else None,
                                colour=category.colour,
                                rules=[DraftRule(keywords=patterns, match="exact")] if patterns else []))
    if weights:
        not_carried.append(f"{weights} entry weights other than 1 (fritekst codes are present or absent)")
    header = [(f"Imported by fritekst from {source} ({dictionary.format} dictionary): {len(drafts)} categories, "
               f"{n_patterns} patterns (match: exact, the word forms as listed)")]
    if not_carried:
        header.append(f"Not carried over ({len(not_carried)}):")
        header += [f"- {line}" for line in not_carried[:50]]
        if len(not_carried) > 50:
            header.append(f"- … and {len(not_carried) - 50} more")
    book_id = code_id_from_label(codebook_id)
    text = codebook_yaml(book_id, title, drafts, header=header)
    return DictionaryCodebook(codebook_id=book_id, yaml_text=text, n_codes=len(drafts), n_patterns=n_patterns,
                              not_carried=not_carried)
