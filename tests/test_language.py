"""The Norwegian language layer: tokens, offsets, lemmas, negation cues, clauses, hyphen parts."""

from __future__ import annotations

import csv
import pickle
from pathlib import Path

import pytest

from fritekst.language.analyzer import Analyzer, get_default_analyzer

DATA = Path(__file__).parent / "data" / "keyword"


@pytest.fixture(scope="session")
def analyzer() -> Analyzer:
    return get_default_analyzer()


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        # spaCy nb keeps abbreviations and hyphen compounds whole
        ("FACT-teamet og ROP-team, f.eks. bl.a. her", ["FACT-teamet", "og", "ROP-team", ",", "f.eks.", "bl.a.", "her"]),
        # punctuation squeezed between letters is split off (the extra infix rule)
        ("trang;budsjettsituasjonen", ["trang", ";", "budsjettsituasjonen"]),
        ("og/eller brukar,tilsett:leiar!kva?no", ["og", "/", "eller", "brukar", ",", "tilsett", ":", "leiar", "!", "kva", "?", "no"]),
        ("erfaringskonsulent(er)/likepersoner", ["erfaringskonsulent", "(", "er", ")", "/", "likepersoner"]),
        # quotes, percent, numbers with comma-dash stay as spaCy has them
        ("«Hva er viktig for deg?» 50 % kr. 500,-", ["«", "Hva", "er", "viktig", "for", "deg", "?", "»", "50", "%", "kr.", "500,-"]),
        # words spaCy would keep whole as abbreviations at the end of a sentence; real ones stay
        ("Det har vi ikkje no. Det veit eg. Via sms.", ["Det", "har", "vi", "ikkje", "no", ".", "Det", "veit", "eg", ".", "Via", "sms", "."]),
        ("ca. 5 stk. kl. 12, jf. bl.a.", ["ca.", "5", "stk.", "kl.", "12", ",", "jf.", "bl.a."]),
        # whitespace (also line breaks and double spaces) is never a token
        ("Nei.\n\n  Vet  ikke", ["Nei", ".", "Vet", "ikke"]),
        ("", []),
    ],
)
def test_tokens(analyzer: Analyzer, text: str, tokens: list[str]) -> None:
    assert [t.text for t in analyzer.analyze(text)] == tokens


def test_offsets_are_code_points_into_the_original_text(analyzer: Analyzer) -> None:
    text = "Økonomi –  «ikkje» råd\nNAV-kontoret"
    toks = analyzer.analyze(text)
    assert [(t.start, t.end) for t in toks] == [(0, 7), (8, 9), (11, 12), (12, 17), (17, 18), (19, 22), (23, 35)]
    assert all(text[t.start : t.end] == t.text for t in toks)
    assert [(p.text, p.start, p.end) for p in toks[-1].parts] == [("NAV", 23, 26), ("kontoret", 27, 35)]


@pytest.mark.parametrize(
    ("form", "expected"),
    [
        ("stillingar", {"stillingar", "stilling"}),  # Nynorsk plural
        ("Stillingene", {"stillingene", "stilling"}),  # Bokmål, capitalised
        ("tenestene", {"tenestene", "teneste"}),  # only Nynorsk knows it
        ("manglande", {"manglande", "mangle"}),  # only Nynorsk knows it
        ("lavterskeltilbudet", {"lavterskeltilbudet", "lavterskeltilbud"}),  # only Bokmål
        ("ledige", {"ledige", "ledig"}),
        ("50", {"50"}),
    ],
)
def test_lemma_sets_join_bokmal_and_nynorsk(analyzer: Analyzer, form: str, expected: set[str]) -> None:
    assert analyzer.lemmas(form) == expected


@pytest.mark.parametrize(
    ("form", "is_cue"),
    [
        ("ikke", True), ("IKKJE", True), ("ingen", True), ("inga", True), ("ingenting", True),
        ("aldri", True), ("uten", True), ("utan", True), ("verken", True), ("hverken", True),
        ("mangler", True), ("manglar", True), ("manglet", True), ("mangelen", True),
        ("manglende", True), ("manglande", True), ("'kke", True),
        ("nei", False), ("ei", False), ("ikkjeno", False), ("midler", False), ("men", False),
    ],
)
def test_negation_cues(analyzer: Analyzer, form: str, is_cue: bool) -> None:
    assert analyzer.is_negation_cue(form) is is_cue


@pytest.mark.parametrize(
    ("text", "clauses"),
    [
        # punctuation ends a clause; the conjunction starts the next one
        ("Vi har ikke råd, men vi prøver.", [0, 0, 0, 0, 0, 1, 1, 1, 1]),
        ("Ikkje aktuelt no; kanskje seinare", [0, 0, 0, 0, 1, 1]),
        ("Økonomi - ikke prioritert", [0, 0, 1, 1]),
        ("ikke penger fordi budsjettet da er brukt", [0, 0, 1, 1, 2, 2, 2]),
        # a line break ends a clause, a dash inside a word does not
        ("Mangler midler\nFACT-team fungerer", [0, 0, 1, 1]),
        # a conjunction as first word does not open an empty clause 0
        ("Men ikke nå", [0, 0, 0]),
    ],
)
def test_clauses(analyzer: Analyzer, text: str, clauses: list[int]) -> None:
    assert [t.clause for t in analyzer.analyze(text)] == clauses


def test_token_fields(analyzer: Analyzer) -> None:
    tok = analyzer.analyze("IKKE-lovpålagte stillingar")
    assert tok[0].lower == "ikke-lovpålagte"
    assert tok[0].is_negation_cue is False  # the cue is the part, not the whole token
    assert [(p.lower, p.is_negation_cue) for p in tok[0].parts] == [("ikke", True), ("lovpålagte", False)]
    assert tok[1].parts == ()
    assert tok[1].lemmas == frozenset({"stillingar", "stilling"})
    assert [t.is_punct for t in analyzer.analyze("Nei !")] == [False, True]


def test_not_hyphen_compounds(analyzer: Analyzer) -> None:
    # a lone dash, a leading or trailing dash is not a compound (a leading one is split off as a
    # list bullet); numbers are
    toks = analyzer.analyze("- 500,- FACT- -team 2020-2021")
    assert [(t.text, [p.text for p in t.parts]) for t in toks] == [
        ("-", []), ("500,-", []), ("FACT-", []), ("-", []), ("team", []), ("2020-2021", ["2020", "2021"])
    ]


def test_chunk_tokens_equal_spacy_on_whole_answers(analyzer: Analyzer) -> None:
    """Tokenizing chunk by chunk (cached) gives exactly spaCy's tokens of the whole answer."""
    with (DATA / "sample_answers.csv").open(encoding="utf-8") as f:
        texts = [row["text"] for row in csv.DictReader(f)]
    texts += [
        "trang;budsjett (test)/x",
        "NAV:s f.eks. \u00a0 www.nav.no",
        "xD 100%!",
        # the shortcuts' edge cases: abbreviations, initials, capitals, other scripts
        "A. Ab. NAV. ca. no. xD. aB. ØYA. 中文. Ωμέγα. kl. ab: ÆØÅ! ikkje, Nei? ok;",
    ]
    tokenizer = analyzer._tokenizer  # the spaCy tokenizer with the extra infix rule
    for text in texts:
        expected = [(t.idx, t.idx + len(t.text), t.text) for t in tokenizer(text) if not t.is_space]
        assert analyzer.tokenize(text) == expected, text


def test_analyzer_pickles_and_rebuilds(analyzer: Analyzer) -> None:
    clone = pickle.loads(pickle.dumps(analyzer))
    assert clone.analyze("Ingen stillingar.") == analyzer.analyze("Ingen stillingar.")


def test_compact_dictionaries_give_exactly_simplemmas_lemmas(monkeypatch) -> None:
    # Built from the installed simplemma on first use (once per machine), then read row by row.
    import simplemma

    from fritekst.language import compact

    monkeypatch.setattr(compact, "_lemmatizer", None)
    forms = ["stillingar", "tenestene", "kommunen", "økonomien", "ansette", "erfaringskonsulenter",
             "budsjettsituasjonen", "ikkje", "manglende", "brukarmedverknad", "xqzv", "FACT-teamet"]
    assert [compact.lemmatize(f, lang) for f in forms for lang in ("nb", "nn")] == \
        [simplemma.lemmatize(f, lang) for f in forms for lang in ("nb", "nn")]
    assert len(list(compact.cache_folder().glob("simplemma-*-n[bn]-*.sqlite"))) >= 2
