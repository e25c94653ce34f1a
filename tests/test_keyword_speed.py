"""The keyword matcher's speed devices change no coding.

The phrase-link filter (units of a chunk that can only be phrase words are placed only when the
chunk links to a neighbour), the per-text cache of short answers, the per-sentence memo (answers cut
where a clause ends, each distinct sentence matched once) and the warm matchers a forked pool
inherits are pure speed: each test compares with the matcher doing the plain work on whole answers.
"""

from __future__ import annotations

import csv
import json
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fritekst.coding import coder
from fritekst.rules.codebook import load_codebook
from fritekst.rules.keyword import ANSWER_CACHE_LENGTH, KeywordMatcher, KeywordRuleSpec

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data" / "keyword"


def _bench_specs() -> list[KeywordRuleSpec]:
    codes = json.loads((DATA / "bench_dict.json").read_text(encoding="utf-8"))["codes"]
    return [KeywordRuleSpec(code, code, patterns) for code, patterns in codes.items()]


def _shipped_specs() -> list[KeywordRuleSpec]:
    return [spec for name in ("ansette", "recovery")
            for spec in coder.keyword_specs(load_codebook(ROOT / "codebooks" / f"{name}.yaml"))]


def _clause_local_specs() -> list[KeywordRuleSpec]:
    """The shipped rules without near/unless: negation, hedges and dismissals decide, sentences cut."""
    return [replace(spec, near=(), unless=()) for spec in _shipped_specs()]


class _Unfiltered(KeywordMatcher):
    """The same matcher with the link filter, the answer cache, the sentence memo and the scope
    shortcut off: every unit is placed, every answer is matched whole, every scope worked out in full."""

    def _links(self, units, n_positions):  # type: ignore[no-untyped-def]
        head, tail, _ = super()._links(units, n_positions)
        return head, tail, False

    def match(self, text):  # type: ignore[no-untyped-def]
        return self._match(text)

    def _scope(self, cues, pattern_hits, sentence_starts=(), sentence_clauses=()):  # type: ignore[no-untyped-def]
        return self._full_scope(cues, pattern_hits, sentence_starts, sentence_clauses)  # no shortcut


def _texts() -> list[str]:
    with open(DATA / "sample_answers.csv", encoding="utf-8", newline="") as handle:
        texts = [row["text"] for row in csv.DictReader(handle)]
    with open(ROOT / "corpus" / "svar.csv", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            texts += [row[c] for c in ("grunn_ja", "grunn_nei", "grunn_vet_ikke") if row[c]]
    return texts


@pytest.fixture(scope="module")
def matchers() -> dict[str, tuple[KeywordMatcher, KeywordMatcher]]:
    return {"bench": (KeywordMatcher(_bench_specs()), _Unfiltered(_bench_specs())),
            "shipped": (KeywordMatcher(_shipped_specs()), _Unfiltered(_shipped_specs())),
            "clause_local": (KeywordMatcher(_clause_local_specs()), _Unfiltered(_clause_local_specs()))}


@pytest.mark.parametrize("which", ["bench", "shipped", "clause_local"])
def test_link_filter_and_answer_cache_keep_every_hit(matchers, which: str) -> None:
    fast, plain = matchers[which]
    texts = _texts()
    assert len(texts) > 1300  # 600 sample answers + the shipped example's 730 free-text answers
    fast_hits = fast.match_many(texts)
    assert fast_hits == plain.match_many(texts)
    assert fast.match_many(texts) == fast_hits  # second pass from the caches
    assert sum(map(len, fast_hits)) > 1000
    # the filter does leave units out on real answers (else this test would prove nothing)
    droppable = [rec for rec in fast._chunks.values() if rec[5] and rec[12]]
    assert droppable


_WORDS = ["vi", "har", "ikke", "ikkje", "ledige", "stillinger", "stillingar", "er", "ansatt", "i",
          "løpet", "av", "på", "sikt", "hva", "viktig", "for", "deg", "en", "erfaringskonsulent",
          "økonomien", "mangler", "midler", "men", "fordi", "det", "arbeid", "og", "aktivitet",
          "FACT-team", "ikke-lovpålagt", "brukerråd", "ventetid", "kompetanse", "øknoomi"]
_SEPARATORS = [" ", " ", " ", "  ", "\n", ", ", ". ", " - ", "! ", "?\n", ".\n\n", " . ", ". ", " ikke. ",
               " ca. ", " bl.a. ", "\u00a0", " . \n"]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(_WORDS), st.sampled_from(_SEPARATORS)), min_size=1, max_size=25))
def test_link_filter_on_word_salad(matchers, pieces: list[tuple[str, str]]) -> None:
    text = "".join(word + sep for word, sep in pieces).strip()
    for fast, plain in matchers.values():
        assert fast.match(text) == plain.match(text)


def test_answer_cache_returns_fresh_lists() -> None:
    matcher = KeywordMatcher([KeywordRuleSpec("r", "stilling", ["ledige stillinger"])])
    first = matcher.match("Ingen ledige stillinger")
    assert [(h.start, h.end) for h in first] == [(6, 23)]
    first.clear()  # a caller's change does not reach the cache
    assert len(matcher.match("Ingen ledige stillinger")) == 1
    long_text = "Vi har ledige stillinger. " + "x" * ANSWER_CACHE_LENGTH
    assert len(matcher.match(long_text)) == 1
    assert long_text not in matcher._answers and "Ingen ledige stillinger" in matcher._answers


def test_init_worker_keeps_matchers_of_equal_rules() -> None:
    specs = {"a": [KeywordRuleSpec("r", "c", ["stilling*"])]}
    coder.init_worker(specs)
    first = coder.worker_matchers()["a"]
    coder.init_worker({"a": [KeywordRuleSpec("r", "c", ["stilling*"])]})  # equal rules: kept warm
    assert coder.worker_matchers()["a"] is first
    coder.init_worker({"a": [KeywordRuleSpec("r", "c", ["budsjett*"])]})  # other rules: recompiled
    assert coder.worker_matchers()["a"] is not first
    assert [h.code_id for h in coder.worker_matchers()["a"].match("budsjettet")] == ["c"]


def test_sentence_memo_is_used_only_where_no_rule_looks_past_its_clause(matchers) -> None:
    assert matchers["bench"][0]._segmentable and matchers["clause_local"][0]._segmentable
    assert not matchers["shipped"][0]._segmentable  # near/unless: answers are matched whole
    assert not KeywordMatcher([KeywordRuleSpec("r", "c", ["stilling"], unless=["vikar"])])._segmentable


def test_sentence_memo_cuts_where_a_clause_ends_and_no_cue_is_open() -> None:
    matcher = KeywordMatcher([KeywordRuleSpec("r", "stilling", ["stilling*"], negation="forbid")])
    text = "Vi har ikke stillinger. Stillingen er ny. Ca. tre stillinger, ca. to. Det har vi ikke."
    hits = matcher.match(text)
    assert hits == _Unfiltered(matcher.rules)._match(text)
    assert [text[h.start:h.end] for h in hits] == ["Stillingen", "stillinger"]
    # "Ca." is an abbreviation (no clause ends there), so that sentence runs on to "to."
    assert set(matcher._segments) == {"Vi har ikke stillinger.", "Stillingen er ny.",
                                      "Ca. tre stillinger, ca. to.", "Det har vi ikke."}
    again = "Stillingen er ny. Vi har ikke stillinger."  # the same sentences, other offsets
    assert [(h.start, h.end) for h in matcher.match(again)] == [(0, 10)]
    assert len(matcher._segments) == 4


def _sentences_by_splitting(matcher: KeywordMatcher, text: str) -> list[tuple[int, str]]:
    """SentenceMemo._sentences the plain way: split at the whitespace after . ! ? (a look-behind),
    each piece's last chunk deciding whether it is a cut; no cut after a question of at most
    ELLIPTIC_THEME_WORDS words since the last sentence end (the theme of an elliptic denial)."""
    from fritekst.language.cues import ELLIPTIC_THEME_WORDS
    from fritekst.rules.keyword_compile import _SENTENCE_END_RE

    def words(piece: str) -> int:
        return sum((matcher._chunks.get(c) or matcher._chunk_record(c))[1] for c in piece.split())

    parts = _SENTENCE_END_RE.split(text)  # [piece, whitespace, piece, ..., piece]
    sentences, start, pos, since = [], 0, 0, 0
    for k in range(0, len(parts), 2):
        end = pos + len(parts[k])
        if k + 1 < len(parts):
            rec = matcher._chunks.get(chunk := parts[k].rsplit(None, 1)[-1]) or matcher._chunk_record(chunk)
            pos = end + len(parts[k + 1])
            if not rec[4] or rec[9]:
                continue
            if chunk[-1] == "?" and words(text[since:end]) <= ELLIPTIC_THEME_WORDS:
                since = pos
                continue
        sentences.append((start, text[start:end]))
        start = since = pos
    return sentences


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(_WORDS + ["Ca.", "ikke.", "ikke!", "nei?!", "f.eks.", "a.b", "?", ".."]),
                          st.sampled_from(_SEPARATORS + [". ", ".\n", "!\t", "?\u00a0", ". \n  "])),
                min_size=0, max_size=25))
def test_sentences_cut_where_splitting_at_the_look_behind_cuts(matchers, pieces: list[tuple[str, str]]) -> None:
    fast = matchers["bench"][0]
    for text in ("".join(w + s for w, s in pieces), "".join(w + s for w, s in pieces).strip()):
        assert fast._sentences(text) == _sentences_by_splitting(fast, text)


def test_sentences_on_the_sample_answers(matchers) -> None:
    fast = matchers["bench"][0]
    texts = _texts()
    got = [fast._sentences(t) for t in texts]
    assert got == [_sentences_by_splitting(fast, t) for t in texts]
    assert sum(len(s) > 1 for s in got) > 500  # many answers fall into sentences


def test_sentence_memo_on_the_shared_workload_sample(matchers) -> None:
    """Answers of the shared generator (the benchmark's workload), joined two and three at a time
    so that sentences recur at other offsets and after other sentences."""
    fast, plain = matchers["bench"]
    texts = _texts()
    joined = [" ".join(texts[i:i + 1 + i % 3]) for i in range(0, 600)]
    assert [fast.match(t) for t in joined] == [plain._match(t) for t in joined]
    assert len(fast._segments) > 500


def test_code_corpus_frame_without_a_sort_equals_the_sorted_frame() -> None:
    """code_corpus orders answers first and builds its frame unsorted; the frame is the one
    codings_frame sorts from rows in corpus order (two codebooks per question, answers reversed)."""
    from dataclasses import replace as replace_corpus

    from fritekst.coding.frame import codings_frame
    from fritekst.sources.corpus import load_corpus

    corpus = load_corpus(ROOT / "corpus" / "svar.csv", "case_id", ["grunn_ja", "grunn_nei", "grunn_vet_ikke"])
    corpus = replace_corpus(corpus, answers=corpus.answers.iloc[::-1].reset_index(drop=True))
    codebooks = [load_codebook(ROOT / "codebooks" / f"{name}.yaml") for name in ("ansette", "recovery")]
    got = coder.code_corpus(corpus, codebooks, classifiers=False)
    matchers = [KeywordMatcher(coder.keyword_specs(cb)) for cb in codebooks]
    rows = [(case_id, question, h.code_id, h.start, h.end, "keyword", h.rule_id, 1.0)
            for case_id, question, text in corpus.answers[["case_id", "question", "text"]].itertuples(
                index=False, name=None)
            for m in matchers for h in m.match(text)]
    expected = codings_frame(rows)
    assert len(expected) > 1000
    assert got.equals(expected) and list(got.index) == list(range(len(got)))
    assert got.dtypes.to_dict() == expected.dtypes.to_dict()


def test_expect_large_corpus_loads_the_dictionaries_whole_and_changes_no_lemma() -> None:
    import simplemma

    from fritekst.language import compact

    forms = ["stillingar", "tenestene", "øknoomien", "budsjettkuttene", "erfaringskonsulentar", "ikkje"]
    before = [(compact.lemmatize(f, "nb"), compact.lemmatize(f, "nn")) for f in forms]
    compact.expect_large_corpus()
    for lang in ("nb", "nn"):
        found = compact.dictionary(lang)
        assert not isinstance(found, compact._SqliteDictionary) or found._full is not None
    compact._lemmatizer._cached_lemmatize.cache_clear()  # answer from the whole dictionaries now
    after = [(compact.lemmatize(f, "nb"), compact.lemmatize(f, "nn")) for f in forms]
    assert before == after == [(simplemma.lemmatize(f, "nb"), simplemma.lemmatize(f, "nn")) for f in forms]


def _typo_ids_by_testing_every_target(matcher: KeywordMatcher, lower: str) -> set[int]:
    """_typo_ids the plain way: every target of the form's first letter tested against the form."""
    from fritekst.language.lexicon import typo_of_word_starting, within_one_edit
    from fritekst.rules.keyword import TYPO_MIN_LENGTH
    from fritekst.rules.keyword_records import _TYPO_ENDINGS

    ids: set[int] = set()
    first = lower[0]
    variants = {lower} | {lower[: -len(e)] for e in _TYPO_ENDINGS
                          if lower.endswith(e) and len(lower) - len(e) >= TYPO_MIN_LENGTH}
    for text, kind, wid in matcher._typo_targets.get(first, ()):
        n = len(text)
        if kind == "word" and any(within_one_edit(v, text) for v in variants):
            ids.add(wid)
        if kind == "prefix" and any(within_one_edit(lower[:m], text) for m in (n - 1, n, n + 1)
                                    if m <= len(lower)) and typo_of_word_starting(lower, text):
            ids.add(wid)
    return ids


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(["økonomi", "budsjett", "stillingar", "kompetanse", "erfaringskonsulent",
                        "brukermedvirkning", "ventetid", "rekruttering", "finansiering"]),
       st.integers(0, 30), st.sampled_from("abeiknorstøå"), st.sampled_from(["", "en", "ene", "ar", "et", "er"]))
def test_typo_starts_looked_up_once_meet_the_same_targets(matchers, word: str, at: int, letter: str,
                                                        ending: str) -> None:
    fast = matchers["bench"][0]
    at = at % len(word)
    for form in {word[:at] + letter + word[at + 1:], word[:at] + letter + word[at:],
                 word[:at] + word[at + 1:], word + ending}:
        form += ending
        assert fast._typo_ids(form) == _typo_ids_by_testing_every_target(fast, form)


def test_typo_ids_on_the_sample_answers(matchers) -> None:
    fast = matchers["bench"][0]
    forms = {w.lower().strip(".,!?") for t in _texts() for w in t.split()}
    forms = [f for f in forms if len(f) >= 6 and f.isalpha()]
    assert len(forms) > 1000
    found = [fast._typo_ids(f) for f in forms]
    assert found == [_typo_ids_by_testing_every_target(fast, f) for f in forms]
    assert sum(map(bool, found)) > 50


@pytest.mark.parametrize("which", ["bench", "shipped", "clause_local"])
def test_hits_into_gives_the_columns_of_match(matchers, which: str) -> None:
    """The coder's column path (remembered sentence columns, shifted) equals match() hit by hit,
    on real answers and on answers joined so that sentences recur at other offsets."""
    fast, plain = matchers[which]
    texts = _texts()
    texts += [" ".join(texts[i:i + 1 + i % 3]) for i in range(0, 600)]
    starts: list[int] = []
    ends: list[int] = []
    codes: list[str] = []
    rules: list[str] = []
    counts = [fast.hits_into(t, starts, ends, codes, rules) for t in texts]
    expected = [h for t in texts for h in plain.match(t)]
    assert sum(counts) == len(expected) > 1000
    assert list(zip(codes, rules, starts, ends)) == [tuple(h) for h in expected]
    assert counts == [len(plain.match(t)) for t in texts]


def test_near_and_unless_are_decided_across_the_memo_sentences() -> None:
    """Rules with near/unless: sentences are matched once each, near and unless decided on the
    whole answer (words counted on across sentences), as matching the answer whole decides them."""
    rules = [KeywordRuleSpec("near", "stilling", ["stilling*"], near=["budsjett*"], within=3),
             KeywordRuleSpec("unless", "fast", ["stilling*"], unless=["vikar*"], negation="forbid")]
    matcher, plain = KeywordMatcher(rules), _Unfiltered(rules)
    texts = ["Vi har budsjett. Stillingen er ny.",  # near: 1 word apart across the cut
             "Budsjettet er stramt. Vi vet ikke om noe. Stillingen er ny.",  # 8 words apart: no
             "Stillingen er ny. Vi har vikarer.",  # unless in the other sentence
             "Stillingen er ny. Budsjett.",  # 3 words apart: near
             "Stillingen er ny."]
    got = [[(h.code_id, text[h.start:h.end]) for h in matcher.match(text)] for text in texts]
    assert got == [[("fast", "Stillingen"), ("stilling", "Stillingen")], [("fast", "Stillingen")], [],
                   [("fast", "Stillingen"), ("stilling", "Stillingen")], [("fast", "Stillingen")]]
    assert [matcher.match(t) for t in texts] == [plain.match(t) for t in texts]
    assert "Stillingen er ny." in matcher._facts and "Vi har vikarer." in matcher._facts


def test_sentence_memo_with_near_and_unless_on_joined_answers(matchers) -> None:
    """The shipped rules (near/unless): answers joined two and three at a time, so that sentences
    recur at other offsets and near/unless look across other answers' sentences."""
    fast, plain = matchers["shipped"]
    texts = _texts()
    joined = [" ".join(texts[i:i + 1 + i % 3]) for i in range(0, 1200, 2)]
    got = [fast.match(t) for t in joined]
    assert got == [plain._match(t) for t in joined]
    assert sum(map(len, got)) > 500 and len(fast._facts) > 500


# -- the shape memo: sentences matched once per shape of their chunks -----------------------------
# Words in groups whose members often have equal chunk shapes (same pattern words, other letters),
# in Bokmål and Nynorsk, with negation, hedge, plan, refusal and dismissal cues around them.
_SHAPE_WORDS = ["økonomi", "økonomien", "økonomiske", "Økonomien", "budsjett", "budsjettet",
                "stilling", "stillinger", "stillingar", "stillinga", "ledige", "ledig", "FACT-team",
                "ACT-team", "FACT-teamet", "ikke", "ikkje", "ingen", "inga", "mangler", "manglar",
                "kanskje", "dersom", "planlegger", "planlegg", "søkte", "søkje", "om", "tilskot",
                "tilskudd", "fekk", "fikk", "avslag", "handler", "handlar", "det", "er", "ikke-lovpålagt",
                "lite", "kunnskap", "kompetanse", "for", "behov", "ta", "stilling", "til", "vi", "har",
                "kommunen", "kommunar", "øknoomi", "erfaringskonsulent", "erfaringskonsulentar"]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(_SHAPE_WORDS), st.sampled_from(_SEPARATORS)), min_size=1, max_size=14))
def test_shape_memo_on_word_salad(matchers, pieces: list[tuple[str, str]]) -> None:
    """The matchers' memos live across examples, so later salads meet earlier salads' shapes with
    other words; every answer must still get exactly the hits of matching it whole."""
    text = "".join(word + sep for word, sep in pieces).strip()
    for fast, plain in matchers.values():
        assert fast.match(text) == plain.match(text)
        starts: list[int] = []
        ends: list[int] = []
        codes: list[str] = []
        rules: list[str] = []
        fast.hits_into(text, starts, ends, codes, rules)
        assert list(zip(codes, rules, starts, ends)) == [tuple(h) for h in plain.match(text)]


def test_sentences_of_one_shape_are_matched_once() -> None:
    """Sentences with the same chunk shapes share one matching; each gets hits on its own characters."""
    rules = [KeywordRuleSpec("r", "okonomi", ["økonomi*"], negation="forbid"),
             KeywordRuleSpec("s", "stilling", ["ledige stillinger"])]
    matcher, plain = KeywordMatcher(rules), _Unfiltered(rules)
    texts = ["Økonomien er stram og vi har ledige stillinger.",
             "Økonomi er stramt og dere har ledige stillingar.",  # same shapes, other letters
             "Økonomiane er strame og de har ledig stilling.",
             "Vi har ikke økonomi.", "Dei har ikkje økonomien.", "De har ikke økonomiske."]
    got = [matcher.match(t) for t in texts]
    assert got == [plain.match(t) for t in texts]
    assert [[t[h.start:h.end] for h in hits] for t, hits in zip(texts, got)] == [
        ["Økonomien", "ledige stillinger"], ["Økonomi", "ledige stillingar"], ["Økonomiane", "ledig stilling"],
        [], [], []]
    assert len(matcher._segments) == 6 and len(matcher._by_shape) < 6
    # an offset that is not one of its chunk's record offsets: sentences of that shape are matched
    # one by one
    sentence = "Vi har ikke økonomi."
    chunks = sentence.split()
    shaped = [matcher._shapes[c] for c in chunks]
    assert matcher._shape_hits(sentence, chunks, shaped, [(13, 19, "okonomi", "r")]) is None
    key = tuple(s[0] for s in shaped)
    matcher._by_shape[key] = None
    assert matcher._shaped_spans(sentence) == matcher._match_spans(sentence) == []


def test_shape_memo_is_emptied_with_its_ids() -> None:
    matcher = KeywordMatcher([KeywordRuleSpec("r", "okonomi", ["økonomi*"])])
    matcher.max_cache = 3
    texts = ["Økonomien er bra.", "Budsjett og økonomi.", "Vi har økonomi nok.", "Økonomiske ting."] * 2
    assert [matcher.match(t) for t in texts] == [_Unfiltered(matcher.rules).match(t) for t in texts]
    assert len(matcher._shapes) <= 3 + 4 and len(matcher._shape_ids) <= len(matcher._shapes)


@pytest.mark.parametrize(("first", "second"), [
    ("Vi har gode økonomi.", "Vi har ikke økonomi."),  # a cue where a plain word stood
    ("Vi har ikkje økonomi.", "Vi har gode økonomi."),
    ("Økonomi har vi gode.", "Økonomi har vi ikke."),  # a clause-final cue: the whole clause
    ("Økonomi fekk vi gode.", "Økonomi fekk vi aldri."),  # a cue with no pattern word in it
    ("Dei har kanskje økonomi.", "Dei har gode økonomi."),  # a hedge
    ("Det handlar om økonomi.", "Det handlar ikkje om økonomi."),  # a dismissal (Nynorsk)
    ("FACT-team er bra.", "ACT-teamet er bra."),  # hyphen parts at other offsets
    ("Økonomien er stram, ikke-lovpålagt arbeid.", "Økonomi er stramt, ikke-lovpålagte arbeid."),
])
def test_shape_memo_after_a_sentence_of_a_near_shape(first: str, second: str) -> None:
    negation = [KeywordRuleSpec("r", "okonomi", ["økonomi*"], negation="forbid"),
                KeywordRuleSpec("f", "fact", ["fact", "act", "team*"], negation="forbid")]
    rules = [*negation, KeywordRuleSpec("h", "sikker", ["økonomi*"], hedge="forbid"),
             KeywordRuleSpec("l", "lov", ["lovpålagt*"], negation="require")]
    for specs in (negation, rules):  # fewer rules, fewer pattern words: more chunks of one shape
        matcher, plain = KeywordMatcher(specs), _Unfiltered(specs)
        for text in (first, second, first):
            assert matcher.match(text) == plain.match(text), text


def test_flat_dictionary_copy_is_simplemmas_dictionary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The flat copy read back is the bytes dict simplemma decodes, entry for entry and in its order;
    a damaged copy is not used."""
    from simplemma.strategies.dictionaries.dictionary_factory import _load_dictionary_from_disk

    from fritekst.language import compact

    monkeypatch.setenv("FRITEKST_CACHE_DIR", str(tmp_path))
    expected = _load_dictionary_from_disk("nn")
    built = compact._flat_dictionary("nn")  # decodes and writes the copy
    [copy] = tmp_path.glob("simplemma-*-nn-*.flat")
    read = compact._flat_dictionary("nn")  # reads the copy
    assert built == read == expected and list(read or ()) == list(expected) and len(expected) > 100_000
    assert read is not None and len({id(v) for v in read.values()}) == len(set(expected.values()))  # shared
    copy.write_bytes(copy.read_bytes()[:-1])  # a damaged copy: decoded again, the same entries
    assert compact._flat_dictionary("nn") == expected
    found = compact._SqliteDictionary("nn", tmp_path / "none.sqlite")
    found._load_full()
    assert found._raw == expected and found.get("stillingar") == "stilling" and len(found) == len(expected)


def _one_edit_by_definition(a: str, b: str) -> bool:
    """Optimal-string-alignment distance exactly 1: some single substitution, insertion, deletion or
    swap of neighbours turns ``a`` into ``b`` (tried one by one)."""
    letters = set(a + b) | {"x"}
    edits = {a[:i] + a[i + 1:] for i in range(len(a))}
    edits |= {a[:i] + c + a[i + 1:] for i in range(len(a)) for c in letters}
    edits |= {a[:i] + c + a[i:] for i in range(len(a) + 1) for c in letters}
    edits |= {a[:i] + a[i + 1] + a[i] + a[i + 2:] for i in range(len(a) - 1)}
    return a != b and b in edits


@settings(max_examples=600, deadline=None)
@given(st.text(alphabet="abcøå", max_size=7), st.text(alphabet="abcøå", max_size=7))
def test_one_edit_is_the_definition(a: str, b: str) -> None:
    """within_one_edit counts mismatches first (speed): still exactly one edit, swaps included."""
    from fritekst.language.lexicon import within_one_edit

    assert within_one_edit(a, b) == _one_edit_by_definition(a, b)
    near = a[:1] + a[2:3] + a[1:2] + a[3:] if len(a) >= 3 else a + "x"  # a swap (or an insertion)
    assert within_one_edit(a, near) == _one_edit_by_definition(a, near)


@pytest.mark.parametrize("frozen_by_caller", [False, True])
def test_paused_gc_moves_what_the_block_kept_out_of_the_young_generation(frozen_by_caller: bool) -> None:
    """After a ``keep`` block, the objects it kept are not counted young (no collection walks them
    all at the next allocation); a caller's own frozen objects stay frozen, and the block's join
    them. Without ``keep`` they stay young."""
    import gc

    assert gc.isenabled() and gc.get_freeze_count() == 0
    # Every collection walks the young generation, and one it starts is counted under the oldest
    # generation it reaches (a young one when the older counts are low, else a middle or full
    # one), so collections are counted over all generations.
    collections = sum(stats["collections"] for stats in gc.get_stats())
    with coder.paused_gc():
        young = [[i] for i in range(50_000)]
    assert gc.isenabled() and gc.get_freeze_count() == 0 and len(young) == 50_000
    # Walked young, as they were: enough new objects after the block start a young collection
    # (whether one already ran inside the block's exit depends on the allocation count then).
    _trigger = [[i] for i in range(2 * gc.get_threshold()[0] + 10)]
    assert sum(stats["collections"] for stats in gc.get_stats()) > collections
    del _trigger
    gc.collect()
    if frozen_by_caller:
        gc.freeze()
    frozen = gc.get_freeze_count()
    try:
        with coder.paused_gc(keep=True):
            assert not gc.isenabled()
            kept = [[i] for i in range(50_000)]
        assert gc.isenabled()
        assert gc.get_count()[0] < 1_000
        if frozen_by_caller:
            assert gc.get_freeze_count() >= frozen + len(kept)
        else:
            assert gc.get_freeze_count() == 0
            assert gc.is_tracked(kept[0]) and gc.collect() >= 0 and kept[0] == [0]
    finally:
        gc.unfreeze()


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet="abeøå", min_size=1, max_size=8), min_size=1, max_size=40),
       st.text(alphabet="abeøå", min_size=1, max_size=9))
def test_one_edit_index_meets_the_targets_testing_each_meets(targets: list[str], query: str) -> None:
    """The pair buckets lose no target: near() finds exactly the targets with the query's first
    letter one edit away, for short and long strings; a target one edit from the query is found."""
    from fritekst.language.lexicon import OneEditIndex, within_one_edit

    index = OneEditIndex((t, i) for i, t in enumerate(targets + [query[:1] + query]))
    every = {i for i, t in enumerate(targets + [query[:1] + query]) if t[0] == query[0] and within_one_edit(query, t)}
    assert set(index.near(query)) == every and len(targets) in every  # the last target: one insertion


def test_is_known_asks_the_bytes_dicts_once_the_dictionaries_are_loaded_whole() -> None:
    """Once both dictionaries are loaded whole, the known-word test reads their bytes dicts
    directly, and answers as the dictionaries do (Bokmål, Nynorsk, neither)."""
    from fritekst.language import compact, lexicon

    compact.expect_large_corpus()
    raw = lexicon._raw_dictionaries()
    assert raw is not None and all(type(d) is dict for d in raw)
    nb, nn = compact.dictionary("nb"), compact.dictionary("nn")
    forms = ["stillingar", "stillinger", "tenestene", "øknoomien", "budsjettkutt", "ikkje", "kutt", "xqzv"]
    assert [lexicon.is_known(f) for f in forms] == [f in nb or f in nn for f in forms]
    assert [lexicon.is_known(f) for f in forms] == [True, True, True, False, True, True, True, False]
