"""spaCy's tokenizer algorithm for one whitespace-free chunk, in plain Python over stored data.

The analyzer tokenizes every whitespace-free chunk on its own (see :mod:`.analyzer`). Building spaCy's
Norwegian tokenizer for the chunks its shortcuts miss cost ~0.66 s of a cold `fritekst code`
(importing spaCy and compiling its rules), a third of the run. What spaCy's tokenizer does with a chunk
is plain Python over data: regular expressions (Python's ``re``, as spaCy uses them) and a table of
special cases. So the data is copied once from the tokenizer :func:`.analyzer._build_tokenizer` builds
(:func:`.compact.spacy_tokenizer_data`) and :class:`ChunkTokenizer` repeats spaCy 3.8's
``Tokenizer.__call__`` for one chunk, step by step (``spacy/tokenizer.pyx``):

1. the chunk is a special case: its tokens (``_try_specials_and_cache``);
2. ``_split_affixes``: strip prefixes and suffixes one at a time until none is left, stopping at a
   ``token_match`` or at a special case (also the chunk minus the prefix just found, or minus the
   suffix: then only that affix is split off);
3. ``_attach_tokens``: the prefixes, then what is left (a special case, a ``token_match`` or
   ``url_match`` whole, or split at its infixes, skipping an infix at position 0), then the
   suffixes innermost first;
4. ``_apply_special_cases``: special cases whose text spaCy would itself split (they contain an
   affix, an infix or a space, spaCy's ``faster_heuristics``) are found as token sequences
   (spaCy's PhraseMatcher: every start, every length), kept longest first then leftmost unless
   their first or last token lies in a span looked at before (``_filter_special_spans``; rejected
   spans block too), and replaced by the special case's tokens if their text is a rule.

spaCy's chunk cache is left out: it only ever returns what tokenizing the chunk afresh returns.
tests/test_tokenizer.py checks the tokens equal spaCy's on every distinct chunk of the corpora, a
table of hostile chunks and random strings; the shared 200k workload was checked once (see
docs/benchmarks.md, "tok11").

Examples
--------
>>> from fritekst.language.analyzer import tokenizer_data
>>> ChunkTokenizer(tokenizer_data())("(f.eks.).")
((0, 1, '('), (1, 7, 'f.eks.'), (7, 8, ')'), (8, 9, '.'))
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Mapping, Sequence
from typing import Any

__all__ = ["ChunkTokenizer"]

Tokens = tuple[tuple[int, int, str], ...]


class _Lazy:
    """One stored pattern, compiled on first use (the infix expression alone costs ~20 ms)."""

    def __init__(self, stored: Sequence[Any] | None, method: str) -> None:
        self._stored = stored
        self._method = method
        self._bound: Callable[[str], Any] | None = None
        self._lock = threading.Lock()

    def __bool__(self) -> bool:
        return self._stored is not None

    def get(self) -> Callable[[str], Any]:
        bound = self._bound
        if bound is None:
            with self._lock:
                if self._bound is None:
                    assert self._stored is not None
                    pattern, flags = self._stored
                    self._bound = getattr(re.compile(pattern, flags), self._method)
                bound = self._bound
        return bound


class ChunkTokenizer:
    """spaCy's tokens of one whitespace-free chunk as ``(start, end, text)``, from stored data.

    ``data`` is what :func:`.compact.spacy_tokenizer_data` stores: ``prefix``, ``suffix``,
    ``infix``, ``token_match`` and ``url_match`` as ``[pattern, flags]`` or None, ``rules`` (special
    case -> its token texts) and ``matcher`` (the special cases spaCy matches again after the
    affix pass -> their tokens without special cases).
    """

    def __init__(self, data: Mapping[str, Any]) -> None:
        self._prefix = _Lazy(data["prefix"], "search")
        self._suffix = _Lazy(data["suffix"], "search")
        self._infix = _Lazy(data["infix"], "finditer")
        self._token_match = _Lazy(data["token_match"], "match")
        self._url_match = _Lazy(data["url_match"], "match")
        self._rules: dict[str, tuple[str, ...]] = {k: tuple(v) for k, v in data["rules"].items()}
        patterns = {tuple(v) for v in data["matcher"].values() if v}
        self._patterns = patterns
        # first token -> the lengths of the patterns starting with it (a quick "no match" test)
        lengths: dict[str, set[int]] = {}
        for p in patterns:
            lengths.setdefault(p[0], set()).add(len(p))
        self._pattern_lengths = {k: sorted(v) for k, v in lengths.items()}

    @property
    def special_cases(self) -> frozenset[str]:
        """The chunks spaCy tokenizes by its table of exceptions ("ca.", "f.eks.", "xD")."""
        return frozenset(self._rules)

    def __call__(self, chunk: str) -> Tokens:
        texts = self._tokenize_affixes(chunk)
        if self._pattern_lengths.keys() & set(texts):
            texts = self._apply_special_cases(texts)
        out = []
        pos = 0
        for text in texts:
            out.append((pos, pos + len(text), text))
            pos += len(text)
        return tuple(out)

    # -- spaCy's _tokenize_affixes for one chunk (with special cases) ---------------------------------
    def _tokenize_affixes(self, chunk: str) -> list[str]:
        rules = self._rules
        special = rules.get(chunk)
        if special is not None:
            return list(special)
        token_match = self._token_match.get() if self._token_match else None
        prefixes: list[str] = []
        suffixes: list[str] = []
        string = chunk
        last_size = 0
        # _split_affixes
        while string and len(string) != last_size:
            if token_match is not None and token_match(string):
                break
            if string in rules:
                break
            last_size = len(string)
            pre_len = self._find(self._prefix, string)
            if pre_len != 0:
                prefix = string[:pre_len]
                minus_pre = string[pre_len:]
                if minus_pre and minus_pre in rules:
                    string = minus_pre
                    prefixes.append(prefix)
                    break
            suf_len = self._find(self._suffix, string[pre_len:])
            if suf_len != 0:
                suffix = string[-suf_len:]
                minus_suf = string[:-suf_len]
                if minus_suf and minus_suf in rules:
                    string = minus_suf
                    suffixes.append(suffix)
                    break
            if pre_len and suf_len and (pre_len + suf_len) <= len(string):
                string = string[pre_len:-suf_len]
                prefixes.append(prefix)
                suffixes.append(suffix)
            elif pre_len:
                string = minus_pre
                prefixes.append(prefix)
            elif suf_len:
                string = minus_suf
                suffixes.append(suffix)
        # _attach_tokens
        tokens = prefixes
        if string:
            special = rules.get(string)
            if special is not None:
                tokens.extend(special)
            elif (token_match is not None and token_match(string)) or (
                self._url_match and self._url_match.get()(string)
            ):
                tokens.append(string)
            else:
                tokens.extend(self._split_infixes(string))
        tokens.extend(reversed(suffixes))
        return tokens

    @staticmethod
    def _find(search: _Lazy, string: str) -> int:
        # spaCy's find_prefix / find_suffix: the match's length, 0 for none (or an empty match)
        if not search:
            return 0
        match = search.get()(string)
        return (match.end() - match.start()) if match is not None else 0

    def _split_infixes(self, string: str) -> list[str]:
        if not self._infix:
            return [string]
        matches = list(self._infix.get()(string))
        if not matches:
            return [string]
        out = []
        start = 0
        for match in matches:
            infix_start, infix_end = match.start(), match.end()
            if infix_start == 0:  # spaCy skips an infix at the very start (start_before_infixes)
                continue
            if infix_start != start:
                out.append(string[start:infix_start])
            if infix_start != infix_end:
                out.append(string[infix_start:infix_end])
            start = infix_end
        if string[start:]:
            out.append(string[start:])
        return out

    # -- spaCy's _apply_special_cases ---------------------------------------------------------------
    def _apply_special_cases(self, texts: list[str]) -> list[str]:
        patterns, lengths = self._patterns, self._pattern_lengths
        n = len(texts)
        spans = [
            (i, i + size)
            for i in range(n)
            for size in lengths.get(texts[i], ())
            if i + size <= n and tuple(texts[i:i + size]) in patterns
        ]
        if not spans:
            return texts
        # _filter_special_spans: longest first, then leftmost; every span looked at blocks its tokens
        spans.sort(key=lambda s: (s[0] - s[1], s[0]))
        seen: set[int] = set()
        kept = []
        for start, end in spans:
            if start not in seen and end - 1 not in seen:
                kept.append((start, end))
            seen.update(range(start, end))
        kept.sort()
        out: list[str] = []
        i = 0
        for start, end in kept:
            out.extend(texts[i:start])
            rule = self._rules.get("".join(texts[start:end]))
            out.extend(rule if rule is not None else texts[start:end])
            i = end
        out.extend(texts[i:])
        return out
