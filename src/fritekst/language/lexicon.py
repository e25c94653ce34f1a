"""A Norwegian word list (Bokmål + Nynorsk), compound heads and one-edit typo tests.

The lexicon is the set of word forms in simplemma's Bokmål and Nynorsk dictionaries (about 640 000
and 140 000 forms), which ship inside the simplemma wheel: nothing is downloaded, and the
dictionaries are the ones the lemmatizer loads anyway, so asking whether a form is known costs no
extra memory.

Compound heads
    Norwegian writes compounds as one word ("budsjettkutt", "oppfølgingsteamet"). A form of at
    least :data:`MIN_COMPOUND` letters is split at every point where the right part (the *head*, at
    least :data:`MIN_HEAD` letters) is a known form and the left part is a known form of at least
    :data:`MIN_MODIFIER` letters (or two such forms, "lav"+"terskel"), optionally followed by the linking letter ``s`` or ``e``
    ("oppfølging+s+teamet", "barn+e+vern"). All such heads are returned, longest first, so
    "helsetjenestetilbud" gives both "tjenestetilbud" and "tilbud".

Typos
    :func:`within_one_edit` is the optimal-string-alignment distance ≤ 1 (one substitution,
    insertion, deletion or swap of neighbours), which is how most typos in the survey answers look
    ("øknoomi", "kostndaene"). The keyword matcher only tries it on long forms the lexicon does not
    know; see :mod:`fritekst.rules.keyword`.

Examples
--------
>>> compound_heads("budsjettkutt")
('kutt',)
>>> "teamet" in compound_heads("oppfølgingsteamet")
True
>>> compound_heads("stilling")
()
>>> compound_modifier("oppfølgingsteamet", "teamet"), compound_modifier("budsjettkutt", "kutt")
('oppfølging', 'budsjett')
>>> within_one_edit("øknoomi", "økonomi"), within_one_edit("økonomi", "økologi")
(True, False)
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from operator import ne
from typing import Any

__all__ = ["is_known", "compound_heads", "compound_modifier", "within_one_edit", "typo_of_word_starting", "OneEditIndex",
           "MIN_COMPOUND", "MIN_HEAD", "MIN_MODIFIER"]

#: Shortest form that is tried as a compound.
MIN_COMPOUND = 7
#: Shortest head (right part) of a compound: 4 keeps out "råd" in "forråd", "is" in "kris".
MIN_HEAD = 4
#: Shortest modifier (left part, without its linking letter).
MIN_MODIFIER = 3
_LINKS = ("s", "e")


@lru_cache(maxsize=1)
def _dictionaries() -> tuple[Any, Any]:
    # The same data as simplemma's own dictionaries, from the compact copies the lemmatizer reads:
    # one SQLite row per question until a corpus asks enough to make loading everything cheaper.
    from .compact import dictionary

    return dictionary("nb"), dictionary("nn")


#: The bytes dicts of both dictionaries, once both are loaded whole (see :func:`_raw_dictionaries`).
_raw: tuple[dict[bytes, bytes], dict[bytes, bytes]] | None = None


def _raw_dictionaries() -> tuple[dict[bytes, bytes], dict[bytes, bytes]] | None:
    """The bytes dicts behind both dictionaries once each is loaded whole (the compact copy's, or
    simplemma's behind its str wrapper), else None. A membership test is then one encode and two C
    lookups; through the wrappers it was three Python calls per dictionary, and splitting a long
    unknown form into compound parts asks dozens (0.2 s of CPU at 200k answers). Until the copies
    are loaded whole (small corpora), the question goes to SQLite."""
    global _raw
    if _raw is None:
        raw = tuple(getattr(d, "_raw", None) or getattr(d, "_dict", None) for d in _dictionaries())
        if all(isinstance(d, dict) for d in raw):
            _raw = raw  # type: ignore[assignment]
    return _raw


def is_known(form: str) -> bool:
    """Whether a lowercase form is in simplemma's Bokmål or Nynorsk dictionary."""
    raw = _raw or _raw_dictionaries()
    if raw is not None:
        key = form.encode()
        return key in raw[0] or key in raw[1]
    nb, nn = _dictionaries()
    return form in nb or form in nn


def _known_or_pair(left: str) -> bool:
    """A known form, or two known forms of at least MIN_MODIFIER letters ("lav"+"terskel")."""
    if is_known(left):
        return True
    return any(is_known(left[:cut]) and is_known(left[cut:])
               for cut in range(MIN_MODIFIER, len(left) - MIN_MODIFIER + 1))


def _modifier_ok(left: str) -> bool:
    if len(left) >= MIN_MODIFIER and _known_or_pair(left):
        return True
    return len(left) > MIN_MODIFIER and left[-1] in _LINKS and _known_or_pair(left[:-1])


def compound_modifier(form: str, head: str) -> str:
    """The modifier of ``form`` read as a compound ending in ``head``, without its linking letter.

    The letter goes by the rule :func:`compound_heads` splits by: an ``s`` or ``e`` is a linking
    letter only when the modifier is not itself a known form (or pair of forms) and is one without
    it ("oppfølgings" → "oppfølging", "barne" → "barn", but "prosess" stays "prosess").
    """
    modifier = form[:len(form) - len(head)]
    if (len(modifier) > MIN_MODIFIER and modifier[-1] in _LINKS and not _known_or_pair(modifier)
            and _known_or_pair(modifier[:-1])):
        return modifier[:-1]
    return modifier


@lru_cache(maxsize=200_000)
def compound_heads(form: str) -> tuple[str, ...]:
    """Heads of a lowercase form read as a compound, longest first (empty if it is not one)."""
    if len(form) < MIN_COMPOUND or not form.isalpha():
        return ()
    heads = []
    for cut in range(MIN_MODIFIER, len(form) - MIN_HEAD + 1):
        right = form[cut:]
        if is_known(right) and _modifier_ok(form[:cut]):
            heads.append(right)
    return tuple(heads)


def within_one_edit(a: str, b: str) -> bool:
    """Whether ``a`` and ``b`` differ by exactly one edit (substitution, insertion, deletion, swap)."""
    if a == b:
        return False
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    if la == lb:
        # Most pairs the typo search tries differ in many letters: count them at C speed first.
        mismatches = sum(map(ne, a, b))
        if mismatches != 2:
            return mismatches == 1
        diffs = [i for i in range(la) if a[i] != b[i]]
        return diffs[1] == diffs[0] + 1 and a[diffs[0]] == b[diffs[1]] and a[diffs[1]] == b[diffs[0]]
    if la > lb:
        a, b = b, a
    # b is one longer: skipping one of its letters must give a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i:] == b[i + 1:]


def typo_of_word_starting(form: str, start: str) -> bool:
    """Whether one edit turns ``form`` into a word (known, or a compound of known forms) that
    begins with ``start``: the test that a long unknown form is a typo of a prefix pattern.

    A start one edit from the pattern is not enough: "kompetansemangel" begins one letter short of
    ``kompetanseh*``, and no word "kompetanseh..." is one edit away; "kostndaene" is one swap from
    "kostnadene", "relasjoanr" one swap from "relasjonar". A form that already begins with
    ``start`` meets it as itself.

    >>> typo_of_word_starting("kostndaene", "kostnad"), typo_of_word_starting("kompetansemangel", "kompetanseh")
    (True, False)
    """
    if form.startswith(start):
        return True
    n = len(start)
    # A word one edit from the form that begins with ``start`` has the edit among its first n
    # letters, so it is ``start`` and the rest of the form after the edit: the form shifted by an
    # insertion (-1), a deletion (+1), neither (a substitution or swap inside), or a swap across
    # the prefix's end. Each candidate is then checked for being one edit away and a word.
    candidates = {start + form[n:], start + form[n + 1:], start + form[n - 1:]}
    if len(form) > n:
        candidates.add(start + form[n - 1] + form[n + 1:])
    return any(within_one_edit(form, c) and (is_known(c) or bool(compound_heads(c))) for c in candidates)


class OneEditIndex:
    """Targets one edit from a query (:func:`within_one_edit`) and with its first letter, found by
    testing only a few candidates.

    One edit changes one place, so two strings of at least :data:`SHORTEST_INDEXED` letters one edit
    apart agree in their first two letters (the edit is at the third letter or later) or else in
    their last two (the edit is in the first three letters, and at least two follow it), and differ
    in length by at most one. When the target has six letters or more, the first *three* letters
    do as well: the edit is at the fourth letter or later, or else in the first three and the last
    two letters lie after it (a swap of the third and fourth letters reaches the fourth; six
    letters leave two after it, and a query one shorter than a six-letter target differs by an
    insertion or a deletion, which moves but does not change the letters after it). Each target is
    filed under its head (three letters, or two below six) and its first and last two letters, for
    queries of its length and one more or less, and a query tests the targets filed under its own
    head and ends at its length: the same targets as testing all of those with its first letter, a
    few instead of dozens. Shorter strings are tested against all targets with their first letter.

    Examples
    --------
    >>> index = OneEditIndex([("økonomi", 1), ("økologi", 2), ("budsjett", 3)])
    >>> set(index.near("øknoomi")), index.near("økonomien"), index.near("bdusjett")
    ({1}, [], [3])
    """

    #: The shortest string the two-letter argument holds for (a swap of the 2nd and 3rd letters of
    #: four changes both pairs).
    SHORTEST_INDEXED = 5

    def __init__(self, targets: Iterable[tuple[str, int]]) -> None:
        # Filed by the length of the queries that may meet them (a target of n letters under n - 1,
        # n and n + 1), then by head and, apart, by first and last two letters: a query reads three
        # lists from two dicts instead of six from six (the typo search asks ~100k queries per
        # corpus, most meeting nothing), and the three-letter heads leave fewer to test.
        self._by_query_length: dict[int, tuple[dict[str, list[tuple[str, int]]],
                                               dict[str, list[tuple[str, int]]]]] = {}
        self._by_first: dict[str, list[tuple[str, int]]] = {}
        self._short: dict[str, list[tuple[str, int]]] = {}
        for text, wid in targets:
            self._by_first.setdefault(text[:1], []).append((text, wid))
            if len(text) < self.SHORTEST_INDEXED:
                self._short.setdefault(text[:1], []).append((text, wid))
            else:
                n = len(text)
                head = text[:3] if n >= self.SHORTEST_INDEXED + 1 else text[:2]
                for length in (n - 1, n, n + 1):
                    heads, ends = self._by_query_length.setdefault(length, ({}, {}))
                    heads.setdefault(head, []).append((text, wid))
                    ends.setdefault(text[0] + text[-2:], []).append((text, wid))

    @property
    def filed(self) -> dict[int, tuple[dict[str, list[tuple[str, int]]], dict[str, list[tuple[str, int]]]]]:
        """Query length -> (targets by head, targets by first and last two letters), for callers
        that skip queries no target is filed for before building them (read only)."""
        return self._by_query_length

    def near(self, query: str) -> list[int]:
        """Ids of the targets one edit from ``query`` that begin with its first letter (an id may
        repeat)."""
        return [wid for _, wid in self.near_targets(query)]

    def near_targets(self, query: str) -> list[tuple[str, int]]:
        """``(text, id)`` of the targets one edit from ``query`` that begin with its first letter
        (a target may repeat)."""
        if len(query) < self.SHORTEST_INDEXED:
            candidates = self._by_first.get(query[:1], [])
        else:
            filed = self._by_query_length.get(len(query))
            short = self._short.get(query[0]) if self._short else None
            if filed is None:
                candidates = short or []
            else:
                heads, ends = filed
                candidates = heads.get(query[:2], []) + heads.get(query[:3], []) + ends.get(query[0] + query[-2:], [])
                if short:
                    candidates += short
            if not candidates:
                return []
        return [target for target in candidates if within_one_edit(query, target[0])]
