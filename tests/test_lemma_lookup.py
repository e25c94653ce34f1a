"""simplemma's dictionary lookup step over the loaded bytes dicts and its affix step bounded by the
sorted keys (lemma_lookup), and the affix lengths filed by edge (keyword_compile), are pure speed:
each test compares with the plain work."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from fritekst.language import compact
from fritekst.language.lemma_lookup import BoundedAffix, BytesLookup, bounded_affix_applies, share_lookup
from fritekst.rules.keyword import KeywordMatcher, KeywordRuleSpec
from fritekst.rules.keyword_compile import _lengths_by_edge

DATA = Path(__file__).resolve().parent / "data" / "keyword"


@pytest.fixture(scope="module")
def lookups():  # type: ignore[no-untyped-def]
    from simplemma.strategies.dictionary_lookup import DictionaryLookupStrategy

    compact.expect_large_corpus()
    return BytesLookup(compact._factory, compact._loaded_bytes), DictionaryLookupStrategy(compact._factory)


@pytest.mark.parametrize(("token", "lang", "expected"), [
    ("stillingar", "nn", "stilling"),      # found as it is
    ("Stillingar", "nn", "stilling"),      # found with its first letter's case reversed
    ("tenestene", "nn", "teneste"),
    ("stillinger", "nb", "stilling"),
    ("kommunen", "nb", "kommune"),
    ("xqzv", "nb", None),                  # not found: no apostrophe, so no variants
    ("", "nb", None),
    ("NAV's", "nb", None),                 # an apostrophe: simplemma's own variants
    ("kommune’n", "nb", None),
])
def test_bytes_lookup_answers_as_simplemmas_lookup(lookups, token: str, lang: str, expected: str | None) -> None:
    fast, plain = lookups
    assert fast.get_lemma(token, lang) == plain.get_lemma(token, lang) == expected


def test_bytes_lookup_on_every_split_of_the_sample_forms(lookups) -> None:
    """The lookups simplemma's search chain makes (every start and end of a form, capitalised)."""
    fast, plain = lookups
    with open(DATA / "sample_answers.csv", encoding="utf-8", newline="") as handle:
        forms = {w.strip(".,!?") for row in csv.DictReader(handle) for w in row["text"].split()}
    pieces = sorted({p for f in forms for k in range(1, len(f)) for p in (f[:k], f[k:].capitalize())})
    assert len(pieces) > 5000
    for lang in ("nb", "nn"):
        assert [fast.get_lemma(p, lang) for p in pieces] == [plain.get_lemma(p, lang) for p in pieces]


def test_bytes_lookup_asks_simplemma_until_a_dictionary_is_loaded_whole(lookups) -> None:
    _, plain = lookups
    asked: list[str] = []
    fast = BytesLookup(compact._factory, lambda lang: asked.append(lang))  # never loaded
    assert fast.get_lemma("stillingar", "nn") == plain.get_lemma("stillingar", "nn") == "stilling"
    assert fast.get_lemma("stillingar", "he") == plain.get_lemma("stillingar", "he")  # folded: not asked
    assert asked == ["nn"]


def test_share_lookup_replaces_the_step_everywhere_the_strategy_hands_it() -> None:
    from simplemma.strategies import DefaultStrategy

    strategy = DefaultStrategy(dictionary_factory=compact._factory)
    original = strategy._dictionary_lookup
    fast = BytesLookup(compact._factory, compact._loaded_bytes)
    changed = share_lookup(strategy, fast)
    holders = [strategy, *(getattr(strategy, name) for name in type(strategy).__slots__)]
    assert changed >= 6
    assert not any(getattr(h, "_dictionary_lookup", None) is original for h in holders)
    assert sum(getattr(h, "_dictionary_lookup", None) is fast for h in holders) == changed
    assert share_lookup(object(), fast) == 0


def test_lemmatizer_uses_the_bytes_lookup(monkeypatch: pytest.MonkeyPatch) -> None:
    import simplemma

    monkeypatch.setattr(compact, "_lemmatizer", None)
    forms = ["øknoomien", "budsjettkuttene", "erfaringskonsulentar", "kompetansemangelen", "FACT-teamet"]
    assert [compact.lemmatize(f, lang) for f in forms for lang in ("nb", "nn")] == \
        [simplemma.lemmatize(f, lang) for f in forms for lang in ("nb", "nn")]
    assert isinstance(compact._lemmatizer._lemmatization_strategy._dictionary_lookup, BytesLookup)


def _sample_forms() -> list[str]:
    with open(DATA / "sample_answers.csv", encoding="utf-8", newline="") as handle:
        return sorted({w.strip(".,!?:;()«»\"") for row in csv.DictReader(handle) for w in row["text"].split()} - {""})


@pytest.fixture(scope="module")
def affix_steps(lookups):  # type: ignore[no-untyped-def]
    from simplemma.strategies.affix_decomposition import AffixDecompositionStrategy

    if not bounded_affix_applies():
        pytest.skip("the installed simplemma is not the release BoundedAffix was checked against")
    fast_lookup, plain_lookup = lookups
    return BoundedAffix(fast_lookup, compact._loaded_bytes), AffixDecompositionStrategy(False, plain_lookup)


@pytest.mark.parametrize(("token", "lang"), [
    ("budsjettkuttene", "nb"),        # a start found ("budsjett"), the whole kept
    ("erfaringskonsulentar", "nn"),
    ("oppfølgingsteamet", "nb"),      # not ASCII: the byte bound is turned into letters
    ("kompetansemangelen", "nb"),
    ("tilbakemeldingsverktøya", "nn"),
    ("stillingsressursen", "nb"),
    ("xqzvxqzvxqzv", "nb"),           # nothing found
    ("kostnad", "nb"),                # too short for the step (greedy_min_length)
    ("Budsjettkuttene", "nb"),        # capitalised: simplemma's own step
    ("BUDSJETTKUTTENE", "nb"),
    ("kommune’nsbudsjett", "nb"),     # an apostrophe: simplemma's own step
    ("budsjettkuttene", "de"),        # another language: simplemma's own step
])
def test_bounded_affix_answers_as_simplemmas_affix_step(affix_steps, token: str, lang: str) -> None:
    bounded, plain = affix_steps
    assert bounded.get_lemma(token, lang) == plain.get_lemma(token, lang)


def test_bounded_affix_finds_what_the_compounds_need(affix_steps) -> None:
    bounded, _ = affix_steps
    assert bounded.get_lemma("kompetansemangelen", "nb") == "kompetansemangel"
    assert bounded.get_lemma("økonomiutfordringene", "nb") == "økonomiutfordring"  # not ASCII
    assert bounded.get_lemma("erfaringskonsulentar", "nn") == "erfaringskonsulent"
    assert bounded.get_lemma("erfaringskonsulentar", "nb") is None
    assert bounded.get_lemma("xqzvxqzvxqzv", "nb") is None


def test_bounded_affix_on_every_sample_form_and_its_endings(affix_steps) -> None:
    """Every form of the sample answers, and every end of it as a form of its own (the compounds'
    heads, which is where the bound cuts most), in both languages, lowercase and as written."""
    bounded, plain = affix_steps
    forms = _sample_forms()
    tokens = sorted({t for f in forms for t in (f, f.lower(), *(f.lower()[k:] for k in range(1, len(f) - 7)))})
    assert len(tokens) > 5000
    assert sum(len(t) > 8 and not t.isascii() for t in tokens) > 200
    for lang in ("nb", "nn"):
        assert [bounded.get_lemma(t, lang) for t in tokens] == [plain.get_lemma(t, lang) for t in tokens]


def test_lemmatizer_uses_the_bounded_affix_step_only_where_it_was_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    import simplemma

    monkeypatch.setattr(compact, "_lemmatizer", None)
    compact.expect_large_corpus()
    forms = [f.lower() for f in _sample_forms()]
    assert [compact.lemmatize(f, lang) for f in forms for lang in ("nb", "nn")] == \
        [simplemma.lemmatize(f, lang) for f in forms for lang in ("nb", "nn")]
    step = compact._lemmatizer._lemmatization_strategy._affix_search
    assert isinstance(step, BoundedAffix) == bounded_affix_applies()
    monkeypatch.setattr(simplemma, "__version__", "9.9.9")
    assert not bounded_affix_applies()
    monkeypatch.setattr(compact, "_lemmatizer", None)
    assert compact.lemmatize("budsjettkuttene", "nb") == simplemma.lemmatize("budsjettkuttene", "nb")
    assert not isinstance(compact._lemmatizer._lemmatization_strategy._affix_search, BoundedAffix)


@pytest.mark.parametrize(("stems", "prefix", "expected"), [
    ([], True, ((), {})),
    (["ab", "kompetanse", "komm", "kos", "a"], True,
     ((1, 2), {"kom": (4, 10), "kos": (3,)})),
    (["tjeneste", "este", "ab"], False, ((2,), {"ste": (4, 8)})),
])
def test_lengths_by_edge(stems: list[str], prefix: bool, expected) -> None:  # type: ignore[no-untyped-def]
    assert _lengths_by_edge({s: [0] for s in stems}, prefix) == expected


class _EveryLength(KeywordMatcher):
    """_word_ids trying every stem length, as before the lengths were filed by edge."""

    def _word_ids(self, lower, lemmas):  # type: ignore[no-untyped-def]
        ids = set()
        for lemma in lemmas:
            ids.update(self._by_lemma.get(lemma, ()))
        ids.update(self._by_form.get(lower, ()))
        for (kind, lemma_mode), table in self._affix.items():
            lengths = sorted({len(stem) for stem in table})
            for candidate in lemmas if lemma_mode else (lower,):
                for n in lengths:
                    if n <= len(candidate):
                        ids.update(table.get(candidate[:n] if kind == "prefix" else candidate[-n:], ()))
        for stem, lemma_mode, wid in self._infix:
            if any(stem in c for c in (lemmas if lemma_mode else (lower,))):
                ids.add(wid)
        return ids


def test_word_ids_by_edge_equal_trying_every_length() -> None:
    specs = [KeywordRuleSpec("a", "a", ["kompetanse*", "komm*", "ko*", "kos", "*tjeneste", "*ste", "*e",
                                        "økonomi*", "budsjett*", "ansett*", "stilling"])]
    fast, plain = KeywordMatcher(specs), _EveryLength(specs)
    with open(DATA / "sample_answers.csv", encoding="utf-8", newline="") as handle:
        forms = sorted({w.lower().strip(".,!?") for row in csv.DictReader(handle) for w in row["text"].split()})
    forms += ["ko", "k", "kos", "komm", "kompetansen", "ste", "e", "tjenestene"]
    analyzer = fast._analyzer
    found = [fast._word_ids(f, analyzer.lemmas(f)) for f in forms]
    assert found == [plain._word_ids(f, analyzer.lemmas(f)) for f in forms]
    assert sum(map(bool, found)) > 100
