"""simplemma's dictionary lookup step, reading the loaded bytes dicts directly (same lemmas, fewer calls).

simplemma's search chain for a word form it does not know (typos, made-up compounds) asks its
dictionary lookup step about every split of the form: ~24 lookups per form and language, over half
a million on the shared 200k workload, two thirds of all lemmatizing time. Each lookup went through
four Python calls (the factory, the token's canonical form, and the compact copy's ``get`` twice,
which encodes the key and decodes the value). Once a language's whole dictionary is loaded
(:func:`fritekst.language.compact.expect_large_corpus`, or enough lookups), :class:`BytesLookup`
answers the common case itself with two ``dict.get`` on the bytes dict: a token without an
apostrophe, in a language whose tokens simplemma does not fold (Norwegian). Every other case (a
dictionary not yet loaded, an apostrophe, a folded language) is simplemma's own code, so every
lemma is exactly simplemma's.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import Any

from simplemma.strategies.affix_decomposition import AffixDecompositionStrategy
from simplemma.strategies.dictionary_lookup import DictionaryLookupStrategy
from simplemma.utils import CANON_LANGS, has_apostrophe


class BytesLookup(DictionaryLookupStrategy):
    """:class:`DictionaryLookupStrategy` with a fast path over the compact copies' bytes dicts.

    ``raw_of(lang)`` gives the loaded bytes dict of ``lang`` (form -> lemma, UTF-8), or None while
    the dictionary is read row by row; a dict once given is kept (it never changes).
    """

    __slots__ = ["_raw_of", "_raw"]

    def __init__(self, dictionary_factory: Any, raw_of: Any) -> None:
        super().__init__(dictionary_factory)
        self._raw_of = raw_of
        self._raw: dict[str, dict[bytes, bytes]] = {}

    def get_lemma(self, token: str, lang: str) -> str | None:
        raw = self._raw.get(lang)
        if raw is None:
            # "hy" has its own fallback, and folded languages look up the folded token
            if lang == "hy" or lang in CANON_LANGS or (raw := self._raw_of(lang)) is None:
                return super().get_lemma(token, lang)
            self._raw[lang] = raw
        # simplemma's order: the token, then the token with its first letter's case reversed,
        # then (only if the token has an apostrophe) the apostrophe variants
        value = raw.get(token.encode())
        if value is None:
            value = raw.get((token.lower() if token[:1].isupper() else token.capitalize()).encode())
            if value is None:
                return super().get_lemma(token, lang) if has_apostrophe(token) else None
        return value.decode()


def share_lookup(strategy: Any, lookup: DictionaryLookupStrategy) -> int:
    """Put ``lookup`` in place of ``strategy``'s dictionary lookup step, in it and in each of its
    steps that holds the same object; return how many places were changed.

    simplemma's ``DefaultStrategy`` builds one lookup step and hands it to the other steps; a step
    this does not find keeps the original, which gives the same lemmas, only slower.
    """
    original = getattr(strategy, "_dictionary_lookup", None)
    if original is None:
        return 0
    changed = 0
    for owner in (strategy, *(getattr(strategy, name, None) for name in _slots(strategy))):
        for name in _slots(owner):
            if getattr(owner, name, None) is original:
                setattr(owner, name, lookup)
                changed += 1
    return changed


def _slots(obj: Any) -> list[str]:
    names: list[str] = []
    for cls in type(obj).__mro__:
        slots = getattr(cls, "__slots__", ())
        names += [slots] if isinstance(slots, str) else list(slots)
    return names


# -- the affix step, bounded by the sorted keys ---------------------------------------------------

#: The simplemma release whose affix step :class:`BoundedAffix` reproduces (checked against it on
#: every split of the sample forms and on the shared workload's forms); any other release runs
#: simplemma's own step.
AFFIX_VERIFIED_FOR = "2.0.0"


def _common_prefix_length(a: bytes, b: bytes) -> int:
    n = min(len(a), len(b))
    i = 0
    while i < n and a[i] == b[i]:
        i += 1
    return i


class BoundedAffix(AffixDecompositionStrategy):
    """simplemma's affix step for a lowercase Norwegian form, skipping lookups that must miss.

    For a form it does not know, simplemma tries every start of it from the longest down (each
    twice: as written and capitalised), then every end: ~20 lookups per form and language, 1.1
    million on the shared 200k workload, the largest part of lemmatizing. A start that is a key
    sorts at or before the form and shares its first bytes with every key between itself and the
    form, so the largest key not after the form shares at least that start with it: starts longer
    than their common bytes cannot be keys (:func:`bisect_right` over the sorted keys, one per
    spelling). That leaves a fifth of the start lookups; every lookup that is made, and the order
    of them, is simplemma's, so the lemma is. A form that is not lowercase, has an apostrophe, or
    a dictionary not loaded whole goes to simplemma's own step.
    """

    __slots__ = ["_raw_of", "_sorted"]

    def __init__(self, dictionary_lookup: DictionaryLookupStrategy, raw_of: Any) -> None:
        super().__init__(False, dictionary_lookup)
        self._raw_of = raw_of
        self._sorted: dict[str, list[bytes]] = {}

    def get_lemma(self, token: str, lang: str) -> str | None:
        keys = self._sorted.get(lang)
        if keys is None:
            raw = self._raw_of(lang) if lang in _BOUNDED_LANGS else None
            if raw is None:
                return super().get_lemma(token, lang)
            # simplemma's dictionaries come nearly sorted: sorting them costs ~10 ms for both
            keys = self._sorted[lang] = sorted(raw)
        length = len(token)
        if length <= _MIN_LENGTH or length > _MAX_LENGTH:
            return None  # simplemma's bounds for nb and nn (greedy_min_length, MAXLEN)
        capital = token.capitalize()
        if (token != token.lower() or token[:1].isupper() or len(capital) != length
                or has_apostrophe(token)):
            return super().get_lemma(token, lang)
        get = self._raw_of(lang).get
        return (self._affixes(token, capital, keys, get, length)
                or self._suffixes(token, get, length))

    @staticmethod
    def _affixes(token: str, capital: str, keys: list[bytes], get: Any, length: int) -> str | None:
        # simplemma's _affix_decomposition with max_affix_len 2 and MINCOMPLEN 4: a start of at
        # least 4 letters, found as written, else capitalised (the lookup step's case reversal:
        # a lowercase start's first letter is not upper, and capital[:m] is start.capitalize())
        encoded, capital_encoded = token.encode(), capital.encode()
        at = bisect_right(keys, encoded)
        bound = _common_prefix_length(keys[at - 1], encoded) if at else 0
        at = bisect_right(keys, capital_encoded)
        capital_bound = _common_prefix_length(keys[at - 1], capital_encoded) if at else 0
        if not token.isascii():  # bytes shared -> letters shared
            bound = len(encoded[:bound].decode("utf-8", "ignore"))
            capital_bound = len(capital_encoded[:capital_bound].decode("utf-8", "ignore"))
        for m in range(min(length - 1, max(bound, capital_bound)), _MIN_COMPLEMENT - 1, -1):
            value = get(token[:m].encode()) if m <= bound else None
            if value is None:
                if m > capital_bound:
                    continue
                value = get(capital[:m].encode())
                if value is None:
                    continue
            if length - m <= _MAX_AFFIX:
                return value.decode()
            end = token[m:]
            second = _either_case(get, end)
            if second is None:
                continue
            lemma = second.decode()
            if len(lemma) < len(end) + _MAX_AFFIX:
                return token[:m] + lemma.lower()
        return None

    @staticmethod
    def _suffixes(token: str, get: Any, length: int) -> str | None:
        # simplemma's _suffix_decomposition: the longest end (4 letters or more, 4 left before it),
        # capitalised, then with its case reversed, whose lemma is not longer than it
        for count in range(length - _MIN_COMPLEMENT, _MIN_COMPLEMENT - 1, -1):
            value = _either_case(get, token[-count:].capitalize())
            if value is None:
                continue
            lemma = value.decode()
            if len(lemma) <= count:
                return token[:-count] + lemma.lower()
        return None


def _either_case(get: Any, piece: str) -> Any:
    """The lookup step's answer for a piece: as written, else with its first letter's case reversed."""
    value = get(piece.encode())
    if value is None:
        value = get((piece.lower() if piece[:1].isupper() else piece.capitalize()).encode())
    return value


def bounded_affix_applies() -> bool:
    """Whether :class:`BoundedAffix` reproduces the installed simplemma's affix step (its release
    and constants are the ones it was checked against)."""
    import simplemma
    from simplemma.strategies import affix_decomposition as affix
    from simplemma.strategies.greedy_dictionary_lookup import greedy_min_length

    return (simplemma.__version__ == AFFIX_VERIFIED_FOR and affix.MINCOMPLEN == _MIN_COMPLEMENT
            and affix.MAXLEN == _MAX_LENGTH and all(
                affix.AFFIX_LANGS.get(lang) == _MAX_AFFIX and lang not in affix.GREEDY_EXCLUDE
                and greedy_min_length(lang) == _MIN_LENGTH for lang in _BOUNDED_LANGS))


_BOUNDED_LANGS = frozenset({"nb", "nn"})
_MIN_LENGTH = 8  # greedy_min_length("nb"), ("nn")
_MAX_LENGTH = 100  # affix_decomposition.MAXLEN
_MAX_AFFIX = 2  # AFFIX_LANGS["nb"], ["nn"]
_MIN_COMPLEMENT = 4  # MINCOMPLEN
