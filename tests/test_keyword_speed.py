"""The keyword matcher's speed devices change no coding.

The phrase-link filter (units of a chunk that can only be phrase words are placed only when the
chunk links to a neighbour), the per-text cache of short answers and the warm matchers a forked
pool inherits are pure speed: each test compares with the matcher doing the plain work.
"""

from __future__ import annotations

import csv
import json
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


class _Unfiltered(KeywordMatcher):
    """The same matcher with the link filter and the answer cache off: every unit is placed."""

    def _links(self, units, n_positions):  # type: ignore[no-untyped-def]
        head, tail, _ = super()._links(units, n_positions)
        return head, tail, False

    def match(self, text):  # type: ignore[no-untyped-def]
        return self._match(text)


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
            "shipped": (KeywordMatcher(_shipped_specs()), _Unfiltered(_shipped_specs()))}


@pytest.mark.parametrize("which", ["bench", "shipped"])
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
_SEPARATORS = [" ", " ", " ", "  ", "\n", ", ", ". ", " - "]


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
