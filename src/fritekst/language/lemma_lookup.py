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

from typing import Any

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
