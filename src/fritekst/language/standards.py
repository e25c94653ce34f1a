"""Bokmål and Nynorsk spellings of the same word, from the regular spelling correspondences.

A codebook written in Bokmål should also code an answer written in Nynorsk, and the other way
round. simplemma lemmatizes each written standard to its own lemma ("tjenesten" → *tjeneste*,
"tenesta" → *teneste*), so a lemma pattern meets only the standard it is written in. The two
standards differ by a handful of regular correspondences, which :func:`other_spellings` applies
to a pattern word:

=========================  =================================  =================================
Bokmål                     Nynorsk                            example
=========================  =================================  =================================
``tj-`` (start)            ``t-``                             tjeneste / teneste
``hv-`` (start)            ``kv-``                            hvilke / kva for, hvor / kvar
``hje``                    ``hei``                            hjemmel / heimel
``-ud``, ``-udd``          ``-od``, ``-ot``                   tilbud / tilbod, tilskudd / tilskot
``ke``, ``ge`` + vowel     ``kje``, ``gje``                   ønske / ønskje, søker / søkjar
``-ere``, ``-te`` (verb)   ``-era``, ``-ta``                  vurdere / vurdera, drøfte / drøfta
``-er``, ``-ere`` (end)    ``-ar``, ``-arar``                 bruker / brukar, søkere / søkjarar
``ø``                      ``øy``                             øremerke / øyremerke
=========================  =================================  =================================

A variant counts only when the *other* standard's dictionary knows it and the word's own
standard does not (so "planer" does not become the Bokmål word "planar"): the correspondences
propose, the dictionaries decide. The same rules read backwards take a Nynorsk pattern word to
Bokmål. Words shorter than :data:`MIN_LENGTH` letters are left alone ("ser", "er", "for").

Examples
--------
>>> sorted(other_spellings("tjeneste"))  # "tenesta" too: its lemma is "teneste" as well
['tenesta', 'teneste']
>>> sorted(other_spellings("tilbod"))
['tilbud']
>>> other_spellings("for")
frozenset()
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import combinations
from typing import Any

__all__ = ["other_spellings", "MIN_LENGTH", "CORRESPONDENCES"]

#: Shortest word the correspondences are tried on.
MIN_LENGTH = 4

#: (Bokmål regex, Nynorsk replacement, Nynorsk regex, Bokmål replacement).
CORRESPONDENCES: tuple[tuple[str, str, str, str], ...] = (
    (r"^tj", "t", r"^t(?=[eu])", "tj"),
    (r"^hv", "kv", r"^kv", "hv"),
    (r"hje", "hei", r"hei", "hje"),
    (r"udd(?=[ae]|$)", "ot", r"ot(?=[ae]|$)", "udd"),
    (r"ud(?=[ae]|$)", "od", r"od(?=[ae]|$)", "ud"),
    (r"([kg])(?=e)", r"\1j", r"([kg])j(?=[ae])", r"\1"),
    (r"ere$", "era", r"era$", "ere"),
    (r"(?<=[^aeiouyæøå])te$", "ta", r"(?<=[^aeiouyæøå])ta$", "te"),
    (r"ere$", "arar", r"arar$", "ere"),
    (r"er$", "ar", r"ar$", "er"),
    (r"ø(?!y)", "øy", r"øy", "ø"),
)
_COMPILED = tuple((re.compile(a), b, re.compile(c), d) for a, b, c, d in CORRESPONDENCES)


def _dictionaries() -> tuple[Any, Any]:
    from .lexicon import _dictionaries as both

    return both()


def _variants(word: str, rules: list[tuple[re.Pattern[str], str]]) -> set[str]:
    """Every spelling reached by applying one or two of ``rules`` (each at all its places)."""
    # The same spellings as applying every combination of one or two rules in order, with fewer
    # substitutions: a pair whose first rule leaves the word alone gives what its second rule
    # alone gives, so only the pairs after a rule that changed the word are applied (most rules
    # meet nothing; this was ~230,000 substitutions, a fifth of compiling the example's codebooks).
    singles = [pattern.sub(replacement, word) for pattern, replacement in rules]
    out = {form for form in singles if form != word}
    for i, first in enumerate(singles):
        if first == word:
            continue
        for pattern, replacement in rules[i + 1:]:
            form = pattern.sub(replacement, first)
            if form != word:
                out.add(form)
    return out


def _variants_by_definition(word: str, rules: list[tuple[re.Pattern[str], str]]) -> set[str]:
    """:func:`_variants` as it is defined: every combination of one or two rules, in order (tests)."""
    out: set[str] = set()
    for n in (1, 2):
        for combo in combinations(rules, n):
            form = word
            for pattern, replacement in combo:
                form = pattern.sub(replacement, form)
            if form != word:
                out.add(form)
    return out


@lru_cache(maxsize=20_000)
def other_spellings(word: str) -> frozenset[str]:
    """Spellings of a lowercase word in the other written standard that its dictionary knows."""
    if len(word) < MIN_LENGTH or not word.isalpha():
        return frozenset()
    nb, nn = _dictionaries()
    found: set[str] = set()
    if word in nb:  # Bokmål -> Nynorsk
        found |= {v for v in _variants(word, [(a, b) for a, b, _c, _d in _COMPILED])
                  if v in nn and v not in nb}
    if word in nn:  # Nynorsk -> Bokmål
        found |= {v for v in _variants(word, [(c, d) for _a, _b, c, d in _COMPILED])
                  if v in nb and v not in nn}
    return frozenset(found)
