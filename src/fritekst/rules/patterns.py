"""Keyword pattern strings: parsing and validation.

A pattern is one word or a phrase of words separated by single spaces, case-insensitive. A word may
carry a ``*`` wildcard at its start and/or end: ``økonomi*`` (starts with), ``*stilling`` (ends
with), ``*tilbud*`` (contains). The full syntax and matching rules are in ``docs/keyword-rules.md``;
matching itself lives in :mod:`fritekst.rules.keyword`.

Examples
--------
>>> p = parse_pattern("Ledige stilling*")
>>> p.text, [w.kind for w in p.words]
('ledige stilling*', ['word', 'prefix'])
"""

from __future__ import annotations

import unicodedata
import weakref
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from fritekst.errors import PatternError
from fritekst.sources.yaml_lines import yaml_kind

if TYPE_CHECKING:
    from fritekst.language.analyzer import Analyzer

__all__ = ["Pattern", "PatternWord", "parse_pattern", "WordKind"]

WordKind = Literal["word", "prefix", "suffix", "infix"]


@dataclass(frozen=True)
class PatternWord:
    """One word of a pattern.

    ``text`` is the lowercase word without its ``*``; ``kind`` says where the wildcard is:
    ``word`` (none), ``prefix`` (``text*``), ``suffix`` (``*text``), ``infix`` (``*text*``).
    """

    text: str
    kind: WordKind = "word"

    def __str__(self) -> str:
        star_before = self.kind in ("suffix", "infix")
        star_after = self.kind in ("prefix", "infix")
        return ("*" if star_before else "") + self.text + ("*" if star_after else "")


@dataclass(frozen=True)
class Pattern:
    """A parsed keyword pattern: one word, or a phrase (words in sequence)."""

    text: str
    words: tuple[PatternWord, ...]

    @property
    def is_phrase(self) -> bool:
        """True when the pattern has more than one word."""
        return len(self.words) > 1

    def __str__(self) -> str:
        return self.text


def _fail(pattern: str, what: str, fix: str) -> PatternError:
    return PatternError(f'invalid pattern "{pattern}": {what}; {fix}', code="E204")


def _parse_word(pattern: str, raw: str, analyzer: Analyzer) -> PatternWord:
    """One space-free word of ``pattern`` (shown in messages), validated."""
    if raw in ("*", "**"):
        raise _fail(
            pattern, f'"{raw}" alone is not a word', 'put letters with it, e.g. "økonomi*"'
        )
    star_before = raw.startswith("*")
    star_after = raw.endswith("*")
    core = raw[1 if star_before else 0 : len(raw) - 1 if star_after else len(raw)]
    if core.startswith("*") or core.endswith("*"):
        raise _fail(pattern, f'"{raw}" has a doubled "*"', 'use a single "*", e.g. "økonomi*"')
    if "*" in core:
        raise _fail(
            pattern,
            f'"{raw}" has a "*" inside the word',
            '"*" may only stand at the start or end of a word, e.g. "økonomi*" or "*tilbud"',
        )
    if not any(c.isalnum() for c in core):
        raise _fail(
            pattern, f'"{raw}" has no letter or digit', "patterns match words; drop the punctuation"
        )
    bad = [c for c in core if unicodedata.category(c)[0] in "CZ"]
    if bad:
        raise _fail(
            pattern,
            f"it contains the invisible or control character U+{ord(bad[0]):04X}",
            "retype the word",
        )
    pieces = analyzer.chunk_tokens(core)
    if len(pieces) != 1:
        split = " ".join(f'"{t}"' for _, _, t in pieces)
        raise _fail(
            pattern,
            f'"{raw}" is not one word, answers split it into {split}',
            "leave out the punctuation or write the pieces as words of a phrase",
        )
    kind: WordKind
    if star_before and star_after:
        kind = "infix"
    elif star_before:
        kind = "suffix"
    elif star_after:
        kind = "prefix"
    else:
        kind = "word"
    return PatternWord(core.lower(), kind)


def parse_pattern(s: str, analyzer: Analyzer | None = None) -> Pattern:
    """Parse and validate a keyword pattern.

    Parameters
    ----------
    s : str
        The pattern as written in the codebook, e.g. ``"ledige stilling*"``.
    analyzer : Analyzer, optional
        Checks that every word is one token of the tokenizer; defaults to the shared analyzer.

    Returns
    -------
    Pattern
        Lowercased (Unicode NFC) text and its words.

    Raises
    ------
    PatternError
        One line naming the pattern, what is wrong and how to fix it.

    Examples
    --------
    >>> parse_pattern("*tilbud*").words
    (PatternWord(text='tilbud', kind='infix'),)
    >>> parse_pattern("økonomi**")
    Traceback (most recent call last):
    ...
    fritekst.errors.PatternError: invalid pattern "økonomi**": "økonomi**" has a doubled "*"; use a single "*", e.g. "økonomi*"
    """
    if not isinstance(s, str):
        raise PatternError(
            f"invalid pattern {s!r}: a pattern must be text, got {yaml_kind(s)}; "
            'quote it in the codebook, e.g. "100"', code="E204"
        )
    if analyzer is None:
        from fritekst.language.analyzer import get_default_analyzer

        analyzer = get_default_analyzer()
    # A pattern's parse depends only on its text and the analyzer, and a project parses the same
    # texts several times (validating each rule, compiling it, drop_negated's negated copy): about
    # 2.3 parses per distinct text on the shipped codebooks. Patterns are frozen, so a parse is
    # kept per analyzer; a bad pattern is never kept, so it raises every time.
    memo = _PARSED.setdefault(analyzer, {})
    known = memo.get(s)
    if known is not None:
        return known
    pattern = _parse(s, analyzer)
    memo[s] = pattern
    return pattern


#: analyzer -> pattern text as written -> its parse (see parse_pattern); weak, so an analyzer
#: that is dropped takes its parses with it.
_PARSED: weakref.WeakKeyDictionary[Analyzer, dict[str, Pattern]] = weakref.WeakKeyDictionary()


def _parse(s: str, analyzer: Analyzer) -> Pattern:
    """parse_pattern without the memo."""
    original = unicodedata.normalize("NFC", s)
    shown = "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in original)
    if not original.strip():
        raise PatternError(
            f'invalid pattern "{shown}": the pattern is empty; write a word, e.g. "økonomi*"', code="E204"
        )
    if original != original.strip(" "):
        raise _fail(shown, "it starts or ends with a space", "remove the space")
    if any(c.isspace() and c != " " for c in original):
        raise _fail(
            shown,
            "it contains a tab, line break or other space",
            "separate words with single spaces",
        )
    raw_words = original.split(" ")
    if "" in raw_words:
        raise _fail(shown, "it has two spaces in a row", "separate words with single spaces")
    words = tuple(_parse_word(shown, w, analyzer) for w in raw_words)
    return Pattern(text=" ".join(str(w) for w in words), words=words)
