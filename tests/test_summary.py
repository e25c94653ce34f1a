"""Summary frames on small hand-made corpora, with every expected number worked out by hand."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd
import pytest

from fritekst.errors import InputError, ProjectError
from fritekst.analysis.quotes import select_quotes, shorten
from fritekst.outputs.texts import with_statements
from fritekst.analysis.summary import (ALL, NO_THEME, build_base, cooccurrence, group_order, group_tests,
                              published_counts, response_overview, table_link, theme_frequencies,
                              trends)


@dataclass(frozen=True)
class Code:
    id: str
    label: str
    parent: str | None = None
    colour: str = "#336699"


@dataclass
class Book:
    id: str
    title: str
    codes: list[Code]


@dataclass(frozen=True)
class Question:
    column: str
    label: str
    codebook: str = "mini"
    asked_if: dict[str, list[str]] = field(default_factory=dict)
    table: str | None = None


BOOK = Book("mini", "Ansettelse", [Code("mot", "Grunner mot"), Code("okonomi", "Økonomi", "mot"),
                                   Code("ingen_stillinger", "Ingen ledige stillinger", "mot"),
                                   Code("ikke_lovpalagt", "Ikke lovpålagt", "mot"),
                                   Code("ser_behov", "Ser behov")])
NEI = Question("grunn_nei", "Hvorfor ikke?", asked_if={"planer": ["Nei"]}, table="t")

# a1–a5 were asked in 2023 (a5 left the box empty); a6 said "Ja" yet wrote in the "Nei" box;
# b1, b2 were asked in 2022 (b2 has no size class and no answer).
CASES = pd.DataFrame({
    "case_id": ["a1", "a2", "a3", "a4", "a5", "a6", "b1", "b2"],
    "aar": ["2023"] * 6 + ["2022"] * 2,
    "storrelse": ["Under 5 000", "Under 5 000", "20 000 og over", "20 000 og over", "5 000–19 999",
                  "Under 5 000", "Under 5 000", ""],
    "planer": ["Nei", "Nei", "Nei", "Nei", "Nei", "Ja", "Nei", "Nei"],
})
TEXTS = {"a1": "Vi har ikke penger, og det er ingen ledige stillinger. Pengene går til drift.",
         "a2": "Økonomien er stram.", "a3": "Ikke lovpålagt.", "a4": "Ikke aktuelt nå.",
         "a6": "Penger", "b1": "Lite penger."}
ANSWERS = pd.DataFrame({"case_id": list(TEXTS), "question": "grunn_nei", "text": list(TEXTS.values())})


def coding(case_id: str, code_id: str, word: str, occurrence: int = 0) -> dict[str, object]:
    text = TEXTS[case_id]
    start = -1
    for _ in range(occurrence + 1):
        start = text.find(word, start + 1)
    return {"case_id": case_id, "question": "grunn_nei", "code_id": code_id, "start": start,
            "end": start + len(word), "method": "keyword", "rule_id": code_id, "score": 1.0}


CODINGS = pd.DataFrame([
    coding("a1", "okonomi", "penger"), coding("a1", "okonomi", "Pengene"),  # twice: counts once
    coding("a1", "ingen_stillinger", "ledige stillinger"),
    coding("a2", "okonomi", "Økonomien"), coding("a3", "ikke_lovpalagt", "lovpålagt"),
    coding("a6", "okonomi", "Penger"),  # not asked: never counted
    coding("b1", "okonomi", "penger"),
])


@pytest.fixture(scope="module")
def base():
    return build_base(CASES, ANSWERS, CODINGS, NEI, BOOK, year_column="aar")


@pytest.fixture(scope="module")
def freq(base):
    return theme_frequencies(base, ["storrelse"])


def row(freq: pd.DataFrame, year: str, group_by: str, group: str, code_id: str) -> dict[str, object]:
    found = freq[(freq["year"] == year) & (freq["group_by"] == group_by) & (freq["group"] == group)
                 & (freq["code_id"] == code_id)]
    assert len(found) == 1, (year, group_by, group, code_id)
    return found.iloc[0].to_dict()


def test_frequencies_count_respondents_asked_answered_and_coded(freq: pd.DataFrame) -> None:
    okonomi = row(freq, "2023", ALL, ALL, "okonomi")
    # asked: a1–a5 (a6 said Ja); answered: a1–a4; coded: a1 (twice, counted once) and a2.
    assert (okonomi["n_group"], okonomi["n_answered"], okonomi["n_coded"]) == (5, 4, 2)
    assert okonomi["pct"] == 0.5
    assert (round(okonomi["ci_low"], 4), round(okonomi["ci_high"], 4)) == (0.1500, 0.8500)
    lov = row(freq, "2023", ALL, ALL, "ikke_lovpalagt")
    assert (lov["n_coded"], lov["pct"]) == (1, 0.25)
    assert (round(lov["ci_low"], 4), round(lov["ci_high"], 4)) == (0.0456, 0.6994)
    assert lov["code_label"] == "Ikke lovpålagt"
    assert lov["code_path"] == "Grunner mot / Ikke lovpålagt"


def test_parent_code_counts_anyone_with_a_child_code(freq: pd.DataFrame) -> None:
    parent = row(freq, "2023", ALL, ALL, "mot")
    assert (parent["n_coded"], parent["pct"]) == (3, 0.75)  # a1, a2, a3
    assert (round(parent["ci_low"], 4), round(parent["ci_high"], 4)) == (0.3006, 0.9544)


def test_answered_but_no_theme_is_an_explicit_row(freq: pd.DataFrame, base) -> None:
    none = row(freq, "2023", ALL, ALL, NO_THEME)
    assert (none["n_coded"], none["n_answered"], none["code_label"]) == (1, 4, "Svarte, men uten tema")
    assert base.coded.loc["a4", NO_THEME] and not base.coded.loc["a1", NO_THEME]
    codes = freq.loc[(freq["year"] == "2023") & (freq["group_by"] == ALL), "code_id"].tolist()
    assert codes == ["mot", "okonomi", "ingen_stillinger", "ikke_lovpalagt", "ser_behov", NO_THEME]


def test_years_are_reported_one_by_one_and_pooled(freq: pd.DataFrame) -> None:
    assert list(dict.fromkeys(freq["year"])) == ["2022", "2023", ALL]
    pooled = row(freq, ALL, ALL, ALL, "okonomi")
    assert (pooled["n_group"], pooled["n_answered"], pooled["n_coded"]) == (7, 5, 3)
    assert pooled["pct"] == 0.6
    assert (round(pooled["ci_low"], 4), round(pooled["ci_high"], 4)) == (0.2307, 0.8824)


def test_groups_in_natural_order_with_unanswered_groups_kept(freq: pd.DataFrame) -> None:
    groups = freq.loc[(freq["year"] == "2023") & (freq["group_by"] == "storrelse"), "group"]
    assert list(dict.fromkeys(groups)) == ["Under 5 000", "5 000–19 999", "20 000 og over"]
    small = row(freq, "2023", "storrelse", "Under 5 000", "okonomi")
    assert (small["n_group"], small["n_answered"], small["n_coded"], small["pct"]) == (2, 2, 2, 1.0)
    assert round(small["ci_low"], 4) == 0.3424
    empty = row(freq, "2023", "storrelse", "5 000–19 999", "okonomi")
    assert (empty["n_group"], empty["n_answered"]) == (1, 0)
    assert math.isnan(empty["pct"]) and math.isnan(empty["ci_low"])
    unknown = row(freq, "2022", "storrelse", "Ukjent", "okonomi")
    assert (unknown["n_group"], unknown["n_answered"]) == (1, 0)


def test_group_order_puts_size_classes_by_number() -> None:
    assert group_order(["Over 50 000", "Ukjent", "5 000 - 9 999", "Under 5 000", "10 000-49 999"]) == \
        ["Under 5 000", "5 000 - 9 999", "10 000-49 999", "Over 50 000", "Ukjent"]


def test_response_overview_with_published_counts(base) -> None:
    overview = response_overview(base, published={"2023": 5, "2022": 3})
    records = overview.set_index("year")[["n_cases", "n_asked", "n_answered", "n_answered_not_asked",
                                          "published_n", "published_match"]].to_dict("index")
    assert records["2023"] == {"n_cases": 6, "n_asked": 5, "n_answered": 4, "n_answered_not_asked": 1,
                               "published_n": 5, "published_match": True}
    assert records["2022"] == {"n_cases": 2, "n_asked": 2, "n_answered": 1, "n_answered_not_asked": 0,
                               "published_n": 3, "published_match": False}
    assert records[ALL]["published_n"] == 8 and not records[ALL]["published_match"]
    assert overview.set_index("year").loc["2023", "pct_answered"] == 0.8


def test_year_selection_keeps_only_those_years() -> None:
    only = build_base(CASES, ANSWERS, CODINGS, NEI, BOOK, year_column="aar", years=["2022"])
    freq = theme_frequencies(only)
    assert set(freq["year"]) == {"2022"}  # no pooled rows for a single year
    assert row(freq, "2022", ALL, ALL, "okonomi")["n_coded"] == 1


def test_trends_are_the_whole_sample_rows_per_year(freq: pd.DataFrame) -> None:
    okonomi = trends(freq).query("code_id == 'okonomi'")
    assert okonomi[["year", "n_answered", "n_coded", "pct"]].values.tolist() == \
        [["2022", 1, 1, 1.0], ["2023", 4, 2, 0.5]]


def test_cooccurrence_counts_answers_with_both_themes(base) -> None:
    pairs = cooccurrence(base).set_index(["code_a", "code_b"])["n_both"]
    assert pairs[("okonomi", "ingen_stillinger")] == 1 and pairs[("ingen_stillinger", "okonomi")] == 1
    assert pairs[("okonomi", "okonomi")] == 3  # a1, a2, b1 over both years
    assert pairs[("okonomi", "ikke_lovpalagt")] == 0
    assert pairs[("mot", "okonomi")] == 3


def test_codings_with_a_foreign_code_are_rejected() -> None:
    bad = pd.concat([CODINGS, pd.DataFrame([{**coding("a2", "okonomi", "Økonomien"),
                                             "code_id": "rekruttering"}])])
    with pytest.raises(InputError, match="code 'rekruttering' is not in codebook 'mini'"):
        build_base(CASES, ANSWERS, bad, NEI, BOOK, year_column="aar")


def test_asked_if_naming_a_missing_column_is_a_project_error() -> None:
    wrong = Question("grunn_nei", "Hvorfor ikke?", asked_if={"planer_ansette": ["Nei"]})
    with pytest.raises(ProjectError, match="column 'planer_ansette' is not in the corpus"):
        build_base(CASES, ANSWERS, CODINGS, wrong, BOOK, year_column="aar")


# Called from Python no project file is involved: each message names the argument to fix (the
# project's own check, outputs.report.check_project_data, names fritekst.toml and its keys).
WRONG_CALLS = {
    "year_column": (lambda: build_base(CASES, ANSWERS, CODINGS, NEI, BOOK, year_column="år"),
                    "year_column: column 'år' is not in the corpus (columns: aar, storrelse, planer); "
                    "fix year_column"),
    "asked_if": (lambda: build_base(CASES, ANSWERS, CODINGS, Question("grunn_nei", "?", asked_if={"plan": ["Nei"]}),
                                    BOOK, year_column="aar"),
                 "question grunn_nei asked_if: column 'plan' is not in the corpus (columns: aar, storrelse, "
                 "planer); fix the column name"),
    "group_by": (lambda: theme_frequencies(build_base(CASES, ANSWERS, CODINGS, NEI, BOOK, year_column=None),
                                                   ["fylke"]),
                 "group_by: column 'fylke' is not in the corpus (columns: aar, storrelse, planer); fix group_by"),
    "table column": (lambda: table_link(CASES, pd.DataFrame(columns=["aar", "svar", "antall", "prosent"]), "svar",
                                        {}, year_column="aar"),
                     "table: column 'svar' is not in the corpus (columns: aar, storrelse, planer); "
                     "fix the column name"),
    "table year_column": (lambda: table_link(CASES, pd.DataFrame(columns=["aar", "svar", "antall", "prosent"]),
                                             "planer", {}, year_column="year"),
                          "year_column: column 'year' is not in the corpus (columns: aar, storrelse, planer); "
                          "fix year_column"),
}


@pytest.mark.parametrize("call, message", WRONG_CALLS.values(), ids=WRONG_CALLS.keys())
def test_a_missing_column_is_named_in_the_callers_terms(call, message: str) -> None:
    with pytest.raises(ProjectError) as raised:
        call()
    assert (str(raised.value), raised.value.code) == (message, "E304")


def test_a_foreign_code_is_fixed_by_the_codebook_passed_or_the_code_id() -> None:
    bad = pd.DataFrame([{**coding("a2", "okonomi", "Økonomien"), "code_id": "rekruttering"}])
    with pytest.raises(InputError) as raised:
        build_base(CASES, ANSWERS, bad, NEI, BOOK, year_column="aar")
    assert (str(raised.value), raised.value.code) == (
        "codings for question 'grunn_nei': code 'rekruttering' is not in codebook 'mini' (codes: mot, okonomi, "
        "ingen_stillinger, ikke_lovpalagt, ser_behov); pass the codebook that coded this question, or fix the "
        "code id", "E112")


# --- the link to the published table ----------------------------------------------------------

TABLE_CASES = pd.DataFrame({
    "case_id": [f"c{i}" for i in range(9)],
    "aar": ["2023"] * 9,
    "ansatt": ["Nei"] * 8 + ["Ja"],
    "svar": ["Ja", "Ja", "Nei", "Nei", "Nei", "", "Kanskje", "Vet ikke", "Nei"],
})


def published(nei: int) -> pd.DataFrame:
    return pd.DataFrame({"aar": ["2022", "2023", "2023", "2023", "2023", "2023"],
                         "svar": ["Ja", "Ja", "Nei", "Vet ikke", "Ikke svart", "Totalt"],
                         "antall": [5, 2, nei, 1, 1, 8], "prosent": [100, 25, 38, 12, 12, 100]})


def test_table_link_shows_both_counts_and_flags_every_mismatch() -> None:
    link = table_link(TABLE_CASES, published(nei=3), "svar", {"ansatt": ["Nei"]}, year_column="aar")
    cells = link.set_index(["year", "svar"])
    assert cells.loc[("2023", "Nei"), ["published_n", "corpus_n", "match", "flag"]].tolist() == [3, 3, True, ""]
    assert cells.loc[("2023", "Ikke svart"), "corpus_n"] == 1          # the empty answer
    assert cells.loc[("2023", "Totalt"), ["corpus_n", "match"]].tolist() == [8, True]  # c8 is outside
    assert cells.loc[("2023", "Ja"), "corpus_pct"] == 25.0
    # A published year the corpus does not have, and an answer the table does not have: both flagged.
    assert cells.loc[("2022", "Ja"), ["published_n", "corpus_n", "flag"]].tolist() == [5, 0, "AVVIK"]
    extra = cells.loc[("2023", "Kanskje")]
    assert pd.isna(extra["published_n"]) and extra["corpus_n"] == 1 and extra["flag"] == "AVVIK"
    assert link["flag"].tolist().count("AVVIK") == 2


def test_a_deliberately_wrong_table_is_flagged() -> None:
    link = table_link(TABLE_CASES, published(nei=4), "svar", {"ansatt": ["Nei"]}, year_column="aar")
    wrong = link[~link["match"]][["year", "svar", "published_n", "corpus_n", "flag"]].values.tolist()
    assert wrong == [["2022", "Ja", 5, 0, "AVVIK"], ["2023", "Nei", 4, 3, "AVVIK"],
                     ["2023", "Kanskje", pd.NA, 1, "AVVIK"]]


def test_published_counts_sum_the_answers_a_question_follows() -> None:
    assert published_counts(published(nei=3), ["Ja", "Vet ikke"]) == {"2022": 5, "2023": 3}


# --- differences between groups ---------------------------------------------------------------

def test_group_test_reports_a_clear_difference_in_plain_words() -> None:
    # 20 answers in each size class: 15 of the small and 5 of the large mention money.
    ids = [f"s{i}" for i in range(20)] + [f"l{i}" for i in range(20)]
    cases = pd.DataFrame({"case_id": ids, "aar": "2023", "planer": "Nei",
                          "storrelse": ["Under 5 000"] * 20 + ["20 000 og over"] * 20})
    answers = pd.DataFrame({"case_id": ids, "question": "grunn_nei", "text": "Lite penger."})
    coded = [i for i in ids[:15]] + [i for i in ids[20:25]]
    codings = pd.DataFrame({"case_id": coded, "question": "grunn_nei", "code_id": "okonomi",
                            "start": 5, "end": 11})
    base = build_base(cases, answers, codings, NEI, BOOK, year_column="aar")
    tests = with_statements(group_tests(theme_frequencies(base, ["storrelse"])),
                            names={"storrelse": "kommunestørrelse"})
    money = tests[tests["code_id"] == "okonomi"].iloc[0]
    # Expected 10 in every cell: chi2 = 4 × 25 / 10 = 10, df = 1, p = 0.00157.
    assert money["testable"] and money["significant"]
    assert money["chi2"] == pytest.approx(10.0)
    assert money["p_value"] == pytest.approx(0.0015654, abs=1e-7)
    assert money["statement"] == ("«Økonomi» varierer etter kommunestørrelse (2023): fra 25 % "
                                  "(20 000 og over) til 75 % (Under 5 000) (χ² = 10,0, df = 1, p = 0,002).")
    behov = tests[tests["code_id"] == "ser_behov"].iloc[0]
    assert not behov["testable"]
    assert behov["statement"] == ("«Ser behov» etter kommunestørrelse (2023): ikke testet – alle eller "
                                  "ingen har temaet, så det er ingen forskjell å teste.")


def test_group_test_refuses_small_numbers(freq: pd.DataFrame) -> None:
    tests = with_statements(group_tests(freq))
    small = tests[(tests["year"] == "2023") & (tests["code_id"] == "okonomi")].iloc[0]
    assert not small["testable"] and math.isnan(small["p_value"])
    assert "ikke testet – for små tall" in small["statement"]
    # With two years there is also a test across years on the pooled answers.
    assert ((tests["year"] == ALL) & (tests["group_by"] == "år")).any()


# --- quotes -----------------------------------------------------------------------------------

def test_quotes_are_reproducible_varied_and_mark_the_coded_passage(base) -> None:
    first = select_quotes(base, per_code=2, seed=2023, attributes=["storrelse"])
    again = select_quotes(base, per_code=2, seed=2023, attributes=["storrelse"])
    pd.testing.assert_frame_equal(first, again)
    assert "a6" not in set(first["case_id"])              # not asked: never quoted
    assert "mot" not in set(first["code_id"])             # parents are quoted through their children
    money = first[first["code_id"] == "okonomi"]
    assert len(money) == 2 and money["case_id"].is_unique
    for quote in first.itertuples():
        if quote.code_id != NO_THEME:
            passage = quote.quote[quote.mark_start:quote.mark_end].lower()
            assert passage in {"penger", "pengene", "økonomien", "ledige stillinger", "lovpålagt"}
    none = first[first["code_id"] == NO_THEME]
    assert none[["case_id", "quote", "year", "storrelse"]].values.tolist() == \
        [["a4", "Ikke aktuelt nå.", "2023", "20 000 og over"]]


def test_quote_choice_depends_on_the_seed() -> None:
    ids = [f"k{i:02d}" for i in range(30)]
    cases = pd.DataFrame({"case_id": ids, "aar": "2023", "planer": "Nei", "storrelse": "Under 5 000"})
    answers = pd.DataFrame({"case_id": ids, "question": "grunn_nei",
                            "text": [f"Kommune {i} har for lite penger til en slik stilling nå." for i in range(30)]})
    codings = pd.DataFrame({"case_id": ids, "question": "grunn_nei", "code_id": "okonomi",
                            "start": answers["text"].str.find("penger"),
                            "end": answers["text"].str.find("penger") + 6})
    base = build_base(cases, answers, codings, NEI, BOOK, year_column="aar")
    picks = {tuple(select_quotes(base, 3, seed, ["storrelse"])["case_id"]) for seed in range(5)}
    assert len(picks) > 1
    assert all(len(set(p)) == 3 for p in picks)


def test_long_answers_are_cut_to_the_sentence_with_the_passage() -> None:
    text = ("Kommunen har mange oppgaver og lite folk. " * 4 + "Vi har ingen ledige stillinger i år. "
            + "Det er uansett ikke lovpålagt og vi prioriterer andre ting først. " * 3)
    start = text.index("ledige")
    quote, mark_start, mark_end, truncated = shorten(text, start, start + len("ledige stillinger"), 120)
    assert truncated
    assert quote == "Vi har ingen ledige stillinger i år."
    assert quote[mark_start:mark_end] == "ledige stillinger"
    # A single sentence longer than the limit: a window around the passage, cut between words.
    words = "og så videre " * 40
    long = words + "mangler midler " + words
    start = long.index("midler")
    quote, mark_start, mark_end, truncated = shorten(long, start, start + 6, 60)
    assert quote.startswith("…") and quote.endswith("…") and len(quote) <= 62
    assert quote[mark_start:mark_end] == "midler"
    assert " " + quote.strip("…").split(" ")[0] in " " + long  # starts on a whole word
