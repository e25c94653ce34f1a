"""The eleventh round's engine changes, table-driven in Bokmål and Nynorsk with exact hits
(docs/keyword-rules.md, "Eleventh round, engine")."""

from __future__ import annotations

import pytest

from fritekst.rules.keyword import KeywordMatcher, KeywordRuleSpec as R

LACK_OF_MONEY = R("o", "okonomi", ["penge*", "pengar", "midler", "midlar", "lønnsmid*"], negation="require")
MONEY = R("k", "penger", ["penge*", "pengar", "midler", "midlar", "lønnsmid*"], negation="forbid")
NO_TEAM = R("nt", "ingen_team", ["fact*", "brukerråd*", "brukarråd*"], negation="require")
TEAM = R("t", "team", ["fact*", "brukerråd*", "brukarråd*"], negation="forbid")


def hits(rules: list[R], text: str) -> list[tuple[str, str]]:
    return [(h.code_id, text[h.start:h.end]) for h in KeywordMatcher(rules).match(text)]


def whole(rules: list[R], text: str) -> list[tuple[str, str]]:
    """The hits of the answer matched whole, without the sentence memo (must equal :func:`hits`)."""
    return [(h.code_id, text[h.start:h.end]) for h in KeywordMatcher(rules)._match(text)]


def columns(rules: list[R], text: str) -> list[tuple[str, str]]:
    """The hits as :meth:`~fritekst.rules.keyword.KeywordMatcher.hits_into` gives them, column by
    column (it cuts the answer into sentences itself: must equal :func:`hits`)."""
    starts: list[int] = []
    ends: list[int] = []
    codes: list[str] = []
    matcher = KeywordMatcher(rules)
    n = matcher.hits_into(text, starts, ends, codes, [])
    assert n == len(codes)
    return [(c, text[s:e]) for c, s, e in zip(codes, starts, ends)]


# (answer, exact hits of LACK_OF_MONEY + MONEY + NO_TEAM + TEAM)
ELLIPTIC_DENIALS = [
    # a theme in a verbless fragment, denied by a bare denial after it
    ("Lønnsmidlar? Finst ikkje.", [("okonomi", "Lønnsmidlar")]),
    ("Lønnsmidler? Finnes ikke.", [("okonomi", "Lønnsmidler")]),
    ("Penger? Har ikke.", [("okonomi", "Penger")]),
    ("Pengar? Har vi ikkje.", [("okonomi", "Pengar")]),
    ("FACT-team: nei.", [("ingen_team", "FACT-team")]),
    ("Brukarråd: nei, dessverre.", [("ingen_team", "Brukarråd")]),
    ("Midler: ingen foreløpig.", [("okonomi", "Midler")]),
    ("Midlar? Ikkje noko enno.", [("okonomi", "Midlar")]),
    # the next sentence is read as before
    ("Penger? Har ikke. Vi har FACT.", [("okonomi", "Penger"), ("team", "FACT")]),
    ("Vi har FACT. Pengar? Finst ikkje.", [("team", "FACT"), ("okonomi", "Pengar")]),
    # a denial with a word of its own is an ordinary clause: the theme stands ...
    ("FACT-team: ikke prioritert.", [("team", "FACT-team")]),
    # ... but one naming a dismissal head dismisses it since the twelfth round (tests/test_engine_round12.py)
    ("Penger? Ikke noe problem.", []),
    ("Pengar? Ikkje problemet.", []),
    # a fragment with a verb or a comma, or longer than three words, is no theme
    ("Vi har et FACT-team: nei.", [("team", "FACT-team")]),
    ("Penger, stillinger og kompetanse i teamet? Nei.", [("penger", "Penger")]),
    ("FACT, brukarråd? Nei.", [("team", "FACT"), ("team", "brukarråd")]),
    # a yes is no denial
    ("Brukerråd: ja.", [("team", "Brukerråd")]),
    ("Pengar? Ja, det har vi.", [("penger", "Pengar")]),
]


@pytest.mark.parametrize(("text", "expected"), ELLIPTIC_DENIALS, ids=lambda v: v if isinstance(v, str) else None)
def test_an_elliptic_denial_negates_its_theme(text: str, expected: list[tuple[str, str]]) -> None:
    rules = [LACK_OF_MONEY, MONEY, NO_TEAM, TEAM]
    assert hits(rules, text) == expected
    assert whole(rules, text) == expected  # the sentence memo does not cut the theme from its denial
    assert columns(rules, text) == expected


def test_the_theme_and_its_denial_make_one_memo_sentence() -> None:
    matcher = KeywordMatcher([LACK_OF_MONEY, MONEY])
    assert matcher._sentences("Lønnsmidlar? Finst ikkje. Vi ser behov.") == [
        (0, "Lønnsmidlar? Finst ikkje."), (26, "Vi ser behov.")]
    assert matcher._sentences("Hva er viktig for deg? Vi spør alle.") == [
        (0, "Hva er viktig for deg?"), (23, "Vi spør alle.")]


MODELS = R("m", "modeller", ["fact*", "kor", "fit"], hedge="forbid")
MODELS_HEDGED = R("mh", "modeller_hedged", ["fact*", "kor", "fit"], hedge="require")

# (answer, exact hits of MODELS + MODELS_HEDGED)
OPENERS_BEFORE_CONDITIONS = [
    # an answer word or a conjunction before a fronted condition leaves it fronted: the main clause is hedged
    ("Nei, men dersom vi får midler, vil vi innføre FACT.", [("modeller_hedged", "FACT")]),
    ("Nei, men dersom vi får midlar, vil vi innføre FACT.", [("modeller_hedged", "FACT")]),
    ("Ja, om det blir behov, vil vi starte FACT.", [("modeller_hedged", "FACT")]),
    ("Jo, viss vi får pengar, tek vi i bruk FIT.", [("modeller_hedged", "FIT")]),
    ("Kanskje, dersom vi får midlar, vil vi ta i bruk FIT.", [("modeller_hedged", "FIT")]),
    ("Nei. Men hvis vi får tilskudd, skal vi ta i bruk KOR.", [("modeller_hedged", "KOR")]),
    ("Men viss vi får tilskot, skal vi ta i bruk KOR.", [("modeller_hedged", "KOR")]),
    # the clause after the main clause is firm again
    ("Ja, hvis vi får midler, vil vi innføre KOR, og vi har allerede FACT.",
     [("modeller_hedged", "KOR"), ("modeller", "FACT")]),
    # a condition after a clause of its own is not fronted: only its own conjunct is hedged
    ("Vi har FACT, men dersom vi får midler, vil vi utvide.", [("modeller", "FACT")]),
    ("Nei, vi har FACT.", [("modeller", "FACT")]),
    ("Nei, vi har FIT og tek i bruk KOR om vi får midlar.", [("modeller", "FIT"), ("modeller_hedged", "KOR")]),
]


@pytest.mark.parametrize(("text", "expected"), OPENERS_BEFORE_CONDITIONS,
                         ids=lambda v: v if isinstance(v, str) else None)
def test_an_opener_leaves_a_condition_fronted(text: str, expected: list[tuple[str, str]]) -> None:
    assert hits([MODELS, MODELS_HEDGED], text) == expected


# (answer, exact hits of MODELS + MODELS_HEDGED)
TALKED_OF_PLANS = [
    # talked of, discussed or thought of doing: a plan, not a practice
    ("Vi har snakka om å innføre KOR og FIT, men det har ikkje blitt noko av.",
     [("modeller_hedged", "KOR"), ("modeller_hedged", "FIT")]),
    ("Vi har snakket om å innføre FACT.", [("modeller_hedged", "FACT")]),
    ("Det har vært diskutert å ta i bruk FIT.", [("modeller_hedged", "FIT")]),
    ("Det har vore drøfta å ta i bruk FIT.", [("modeller_hedged", "FIT")]),
    ("Vi har diskutert om å starte FACT.", [("modeller_hedged", "FACT")]),
    ("Vi tenker å starte med FIT neste år.", [("modeller_hedged", "FIT")]),
    ("Vi tenkjer på å ta i bruk KOR.", [("modeller_hedged", "KOR")]),
    ("Det er snakk om å innføre FACT.", [("modeller_hedged", "FACT")]),
    ("Vi har sett på muligheten for å innføre FIT.", [("modeller_hedged", "FIT")]),
    # what is done stays firm: the conjunct before the plan, and a clause after it
    ("Vi bruker KOR og har snakket om å innføre FIT.", [("modeller", "KOR"), ("modeller_hedged", "FIT")]),
    ("Vi har snakka om å innføre FIT, men vi bruker KOR.", [("modeller_hedged", "FIT"), ("modeller", "KOR")]),
    # talking now, or about something, is no plan
    ("Vi snakker om FIT i teamet.", [("modeller", "FIT")]),
    ("Vi snakkar om KOR med brukarane.", [("modeller", "KOR")]),
    ("Resultata frå FIT blir drøfta i teamet.", [("modeller", "FIT")]),
]


@pytest.mark.parametrize(("text", "expected"), TALKED_OF_PLANS, ids=lambda v: v if isinstance(v, str) else None)
def test_a_plan_talked_of_is_a_plan(text: str, expected: list[tuple[str, str]]) -> None:
    assert hits([MODELS, MODELS_HEDGED], text) == expected


# (answer, exact hits of MODELS + MODELS_HEDGED)
PASSIVE_CONSIDERATIONS = [
    # considered, planned or applied for in the passive: the subject is hedged, to the end of its conjunct
    ("FACT er vurdert, men vi er for små.", [("modeller_hedged", "FACT")]),
    ("FACT har vore vurdert, men vi er for få.", [("modeller_hedged", "FACT")]),
    ("KOR ble vurdert i fjor.", [("modeller_hedged", "KOR")]),
    ("KOR vart vurdert i fjor.", [("modeller_hedged", "KOR")]),
    ("FIT er planlagt til høsten.", [("modeller_hedged", "FIT")]),
    ("FIT er planlagd til hausten.", [("modeller_hedged", "FIT")]),
    ("Det er søkt om midler til FACT, men ikke fått svar.", [("modeller_hedged", "FACT")]),
    ("Det er søkt om midlar til FACT.", [("modeller_hedged", "FACT")]),
    # the next conjunct or clause is firm
    ("FACT er vurdert og vi bruker FIT.", [("modeller_hedged", "FACT"), ("modeller", "FIT")]),
    ("FACT er vurdert, men vi bruker KOR.", [("modeller_hedged", "FACT"), ("modeller", "KOR")]),
    # a practice in the passive is no consideration
    ("FIT er innført i hele tjenesten.", [("modeller", "FIT")]),
    ("FIT er teke i bruk i heile tenesta.", [("modeller", "FIT")]),
]


@pytest.mark.parametrize(("text", "expected"), PASSIVE_CONSIDERATIONS,
                         ids=lambda v: v if isinstance(v, str) else None)
def test_a_passive_consideration_hedges_its_subject(text: str, expected: list[tuple[str, str]]) -> None:
    assert hits([MODELS, MODELS_HEDGED], text) == expected
