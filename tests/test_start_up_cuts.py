"""Start-up cuts of a cold `fritekst code` (speed9) are pure speed: each test compares with the plain work.

* the compact dictionaries' remembered SQLite answers and one-query reads (compact._SqliteDictionary);
* the Bokmål/Nynorsk variants applied with fewer substitutions (standards._variants);
* drop_negated matching only the answers that can lose a coding;
* the tokenizer built from a Norwegian subclass (analyzer._build_tokenizer).
"""

from __future__ import annotations

import csv
import re
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from fritekst.coding import classify
from fritekst.coding.coder import code_corpus
from fritekst.language import compact
from fritekst.language.standards import _COMPILED, _variants, _variants_by_definition, other_spellings
from fritekst.rules.codebook import load_codebook
from fritekst.rules.keyword import KeywordMatcher
from fritekst.sources.corpus import load_corpus

REPO = Path(__file__).resolve().parent.parent
FORMS = ["stillingar", "Stillingar", "tenestene", "kommunen", "økonomien", "ansette", "erfaringskonsulenter",
         "rekrutteringsutfordringar", "budsjettsituasjonen", "ikkje", "IKKJE", "manglende", "brukarmedverknad",
         "xqzv", "FACT-teamet", "2019", "a", "", "ab", "øknoomi", "erfaringskonsulentstillinger"]


def _corpus_words() -> list[str]:
    words: dict[str, None] = {}
    with open(REPO / "corpus" / "svar.csv", encoding="utf-8-sig") as file:
        for row in csv.DictReader(file):
            for value in row.values():
                words.update(dict.fromkeys(re.findall(r"[^\W\d_]+", (value or "").lower())))
    return list(words)


@pytest.fixture
def fresh_factory(monkeypatch):  # type: ignore[no-untyped-def]
    """compact's lemmatizer over new SQLite readers (another test may have loaded the whole dictionaries)."""
    factory = compact._CompactFactory()
    monkeypatch.setattr(compact, "_factory", factory)
    monkeypatch.setattr(compact, "_lemmatizer", None)
    return factory


@pytest.mark.parametrize("lang", ["nb", "nn"])
def test_remembered_and_paired_answers_are_the_dictionarys(lang: str) -> None:
    path = compact._dictionary_file(lang)
    assert path is not None
    reader = compact._SqliteDictionary(lang, path, limit=10**9)
    whole = compact._flat_dictionary(lang)
    assert whole is not None
    keys = [*FORMS, *(f.capitalize() for f in FORMS), *(f.upper() for f in FORMS), "Stilling", "stilling"]
    for _ in range(2):  # first from SQLite, then remembered
        assert [reader.get(k) for k in keys] == [(v.decode() if (v := whole.get(k.encode())) else None) for k in keys]
    assert reader.get("xqzv", "none") == "none" and "stilling" in reader and "xqzv" not in reader
    # a key and its case-reversed twin were read in one query each, and no key was read twice
    read: set[str] = set()
    queries = 0
    for key in keys:
        if key not in read:
            queries += 1
            read |= {key, key.lower() if key[:1].isupper() else key.capitalize()}
    assert reader._lookups == queries < len(set(keys))


@pytest.mark.parametrize("form", ["rekrutteringsutfordringar", "erfaringskonsulentstillinger", "xqzv", "ab", "",
                                  "Budsjettsituasjonen"])
def test_prefetch_reads_what_lookups_would(form: str) -> None:
    path = compact._dictionary_file("nb")
    assert path is not None
    reader = compact._SqliteDictionary("nb", path, limit=10**9)
    whole = compact._flat_dictionary("nb")
    assert whole is not None
    reader.prefetch(form)
    pieces = {form[:i] for i in range(len(form) + 1)} | {form[i:] for i in range(len(form) + 1)}
    assert {k: v for k, v in reader._seen.items()} == {
        k: (v.decode() if (v := whole.get(k.encode())) else None) for k in reader._seen}
    assert all(p in reader._seen for p in pieces if len(p) >= compact._PREFETCH_MIN)
    before = reader._lookups
    assert [reader.get(p) for p in sorted(pieces) if len(p) >= compact._PREFETCH_MIN] == [
        (v.decode() if (v := whole.get(p.encode())) else None) for p in sorted(pieces) if len(p) >= compact._PREFETCH_MIN]
    assert reader._lookups == before  # all remembered


def test_lemmas_through_sqlite_are_simplemmas(fresh_factory) -> None:
    import simplemma

    forms = [f for f in (*FORMS, *_corpus_words()[:400]) if f]  # simplemma refuses ""
    assert [compact.lemmatize(f, lang) for f in forms for lang in ("nb", "nn")] == \
        [simplemma.lemmatize(f, lang) for f in forms for lang in ("nb", "nn")]
    nb = fresh_factory.get_dictionary("nb")
    assert isinstance(nb, compact._SqliteDictionary) and nb._full is None  # still read row by row
    assert nb._seen  # answers remembered


def test_nn_is_loaded_whole_after_the_least_number_of_lookups() -> None:
    # its flat copy loads in ~0.065 s, about 2,600 lookups: it waits only LOOKUPS_BEFORE_FULL_LOAD
    assert compact._lookup_limit("nn") == compact.LOOKUPS_BEFORE_FULL_LOAD
    assert compact._lookup_limit("nb") > compact.LOOKUPS_BEFORE_FULL_LOAD


@pytest.mark.parametrize("word", ["tjeneste", "tilbod", "tilskudd", "hjemmel", "søkere", "vurdere", "drøfte",
                                  "øremerke", "hvilke", "bruker", "ønske", "kjøkkenkjeks", "gjegje", "øyøy", "for"])
def test_variants_are_every_one_or_two_rule_spelling(word: str) -> None:
    for rules in ([(a, b) for a, b, _c, _d in _COMPILED], [(c, d) for _a, _b, c, d in _COMPILED]):
        assert _variants(word, rules) == _variants_by_definition(word, rules)


def test_variants_of_the_example_corpus_are_the_same() -> None:
    for word in _corpus_words():
        for rules in ([(a, b) for a, b, _c, _d in _COMPILED], [(c, d) for _a, _b, c, d in _COMPILED]):
            assert _variants(word, rules) == _variants_by_definition(word, rules), word
    assert sorted(other_spellings("tjeneste")) == ["tenesta", "teneste"]


def _drop_negated_by_definition(classifier: pd.DataFrame, answers: pd.DataFrame, codebook,  # type: ignore[no-untyped-def]
                                keyword_codings: pd.DataFrame) -> pd.DataFrame:
    """drop_negated as it was: every answer with a classifier coding matched by the negated rules."""
    specs = [replace(rule.spec, negation="require", rule_id=f"{rule.id}:negated")
             for rule in codebook.rules("keyword") if rule.spec is not None and rule.spec.negation == "forbid"]
    matcher = KeywordMatcher(specs)
    texts = classifier[["case_id", "question"]].drop_duplicates().merge(
        answers[["case_id", "question", "text"]], on=["case_id", "question"], how="left")
    coded = set(zip(keyword_codings["case_id"], keyword_codings["question"], keyword_codings["code_id"]))
    vetoed = {(row.case_id, row.question, hit.code_id) for row in texts.itertuples(index=False)
              for hit in matcher.match(row.text)} - coded
    keep = [(c, q, k) not in vetoed for c, q, k in zip(classifier["case_id"], classifier["question"],
                                                        classifier["code_id"])]
    return classifier[keep].reset_index(drop=True)


@pytest.mark.parametrize("book", ["ansette", "recovery"])
def test_drop_negated_matches_fewer_answers_and_drops_the_same(book: str, monkeypatch) -> None:
    codebook = load_codebook(REPO / "codebooks" / f"{book}.yaml")
    questions = ["grunn_ja", "grunn_nei", "grunn_vet_ikke"] if book == "ansette" else ["recovery_stor_grad", "recovery_liten_grad"]
    corpus = load_corpus(REPO / "corpus" / "svar.csv", "case_id", questions)
    keyword = code_corpus(corpus, [codebook], classifiers=False)
    answers = corpus.answers
    # a classifier coding of every forbid-rule code on every answer: the most vetoes possible
    forbidding = sorted({r.code_id for r in codebook.rules("keyword") if r.spec and r.spec.negation == "forbid"})
    rows = [(c, q, code) for c, q in zip(answers["case_id"], answers["question"]) for code in forbidding]
    classifier = pd.DataFrame(rows, columns=["case_id", "question", "code_id"])
    classifier = classifier.assign(start=pd.array([pd.NA] * len(rows), dtype="Int64"),
                                   end=pd.array([pd.NA] * len(rows), dtype="Int64"),
                                   method="classifier", rule_id="r", score=0.9)
    classifier = classifier.astype({"case_id": answers["case_id"].dtype, "question": answers["question"].dtype})
    expected = _drop_negated_by_definition(classifier, answers, codebook, keyword)
    matched: list[str] = []
    real = KeywordMatcher.match
    monkeypatch.setattr(KeywordMatcher, "match", lambda self, text: matched.append(text) or real(self, text))
    got = classify.drop_negated(classifier, answers, codebook, keyword)
    pd.testing.assert_frame_equal(got, expected)
    assert len(got) < len(classifier)  # some were vetoed
    # no answer matched whose every forbid code is keyword-coded
    coded = set(zip(keyword["case_id"], keyword["question"], keyword["code_id"]))
    all_coded = {(c, q) for c, q in zip(answers["case_id"], answers["question"])
                 if all((c, q, k) in coded for k in forbidding)}
    assert len(matched) == len(answers) - len(all_coded)


def test_drop_negated_matches_nothing_when_no_answer_can_lose_a_coding(monkeypatch) -> None:
    codebook = load_codebook(REPO / "codebooks" / "recovery.yaml")
    others = [c for c in codebook.code_ids
              if c not in {r.code_id for r in codebook.rules("keyword") if r.spec and r.spec.negation == "forbid"}]
    classifier = pd.DataFrame({"case_id": ["a"], "question": ["q"], "code_id": [others[0]],
                               "start": pd.array([pd.NA], dtype="Int64"), "end": pd.array([pd.NA], dtype="Int64"),
                               "method": ["classifier"], "rule_id": ["r"], "score": [0.9]})
    answers = pd.DataFrame({"case_id": ["a"], "question": ["q"], "text": ["Vi har ikke noe av dette."]})
    monkeypatch.setattr(classify, "KeywordMatcher", None)  # building a matcher would fail
    got = classify.drop_negated(classifier, answers, codebook, None)
    pd.testing.assert_frame_equal(got, classifier)


def test_tokenizer_has_blank_nb_patterns_plus_ours() -> None:
    import spacy
    from spacy.lang.char_classes import ALPHA
    from spacy.util import compile_infix_regex, compile_prefix_regex

    from fritekst.language.analyzer import _WORDS_NOT_ABBREVIATIONS, _build_tokenizer

    blank = spacy.blank("nb")
    punct = r"[;,:!?/()]"
    infixes = [*blank.Defaults.infixes, rf"(?<=[{ALPHA};,:!?/()]){punct}(?=[{ALPHA};,:!?/()])"]
    prefixes = [*blank.Defaults.prefixes, rf"[-–—](?=[{ALPHA}])"]
    built = _build_tokenizer()
    assert built.infix_finditer.__self__.pattern == compile_infix_regex(infixes).pattern
    assert built.prefix_search.__self__.pattern == compile_prefix_regex(prefixes).pattern
    assert built.suffix_search.__self__.pattern == blank.tokenizer.suffix_search.__self__.pattern
    assert built.rules == {k: v for k, v in blank.tokenizer.rules.items() if k not in _WORDS_NOT_ABBREVIATIONS}
    assert built.token_match == blank.tokenizer.token_match and built.url_match == blank.tokenizer.url_match
