"""The tenth round's engine changes, table-driven in Bokmål and Nynorsk with exact hits
(docs/keyword-rules.md, "Tenth round, engine")."""

from __future__ import annotations

import pytest

from fritekst.rules.keyword import KeywordMatcher, KeywordRuleSpec as R

LACK_OF_MONEY = R("o", "okonomi", ["penge*", "pengar", "midler", "midlar"], negation="require")
MONEY = R("k", "penger", ["penge*", "pengar", "midler", "midlar"], negation="forbid")


def hits(rules: list[R], text: str) -> list[tuple[str, str]]:
    return [(h.code_id, text[h.start:h.end]) for h in KeywordMatcher(rules).match(text)]


# (answer, exact hits of LACK_OF_MONEY + MONEY)
DIALECT_NEGATION = [
    # dialect "kje" negates as "ikkje" does
    ("Me har kje pengar te slikt.", [("okonomi", "pengar")]),
    ("Vi har kje midlar.", [("okonomi", "midlar")]),
    ("Pengane rekk kje.", [("okonomi", "Pengane")]),
    # and a pattern's "ikkje" meets it
    ("Vi har ikke penger.", [("okonomi", "penger")]),
    ("Vi har penger.", [("penger", "penger")]),
    ("Me har pengar.", [("penger", "pengar")]),
]


@pytest.mark.parametrize(("text", "expected"), DIALECT_NEGATION, ids=lambda v: v if isinstance(v, str) else None)
def test_dialect_kje_negates(text: str, expected: list[tuple[str, str]]) -> None:
    assert hits([LACK_OF_MONEY, MONEY], text) == expected


def test_a_pattern_with_ikkje_meets_kje() -> None:
    rule = R("a", "ikke_aktuelt", ["ikkje aktuelt"])
    assert hits([rule], "Det er kje aktuelt no.") == [("ikke_aktuelt", "kje aktuelt")]
    assert hits([rule], "Det er ikke aktuelt nå.") == [("ikke_aktuelt", "ikke aktuelt")]


HOUSING = R("b", "bolig", ["bolig*", "bustad*"], negation="forbid")
NO_HOUSING = R("nb", "ingen_bolig", ["bolig*", "bustad*"], negation="require")

# (answer, exact hits of HOUSING + NO_HOUSING)
LITOTES = [
    # "ikkje uvanleg" (not uncommon) says it is common: nothing negated
    ("Det er ikkje uvanleg at same tilsett følgjer ein person i både bustad og på jobb.", [("bolig", "bustad")]),
    ("Det er ikke uvanlig at vi hjelper med bolig.", [("bolig", "bolig")]),
    ("Det er ikke ukjent for oss å skaffe bolig.", [("bolig", "bolig")]),
    ("Det er ikkje ukjent for oss å skaffe bustad.", [("bolig", "bustad")]),
    # a plain negation still negates
    ("Vi hjelper ikke med bolig.", [("ingen_bolig", "bolig")]),
    ("Vi hjelper ikkje med bustad.", [("ingen_bolig", "bustad")]),
    ("Det er uvanleg at vi skaffar bustad.", [("bolig", "bustad")]),
]


@pytest.mark.parametrize(("text", "expected"), LITOTES, ids=lambda v: v if isinstance(v, str) else None)
def test_not_uncommon_is_no_negation(text: str, expected: list[tuple[str, str]]) -> None:
    assert hits([HOUSING, NO_HOUSING], text) == expected


NEED = R("n", "ser_behov", ["aktuelt", "brukarar", "brukere", "behov"], hedge="forbid")
NEED_HEDGED = R("nh", "usikkert_behov", ["aktuelt", "brukarar", "brukere", "behov"], hedge="require")

# (answer, exact hits of NEED + NEED_HEDGED)
INVERTED_CONDITIONALS = [
    # verb before subject opening the sentence: a condition, hedging its clause and the main clause
    ("Hadde det vore fleire brukarar, hadde det vore aktuelt.",
     [("usikkert_behov", "brukarar"), ("usikkert_behov", "aktuelt")]),
    ("Hadde det vært flere brukere, hadde det vært aktuelt.",
     [("usikkert_behov", "brukere"), ("usikkert_behov", "aktuelt")]),
    ("Var det fleire brukarar, ville vi tilsett.", [("usikkert_behov", "brukarar")]),
    ("Var det flere brukere, ville vi ansatt.", [("usikkert_behov", "brukere")]),
    ("Skulle det bli behov, ansetter vi.", [("usikkert_behov", "behov")]),
    ("Skulle det bli behov, tilset vi.", [("usikkert_behov", "behov")]),
    # the next sentence is firm again
    ("Fikk vi midler, ville vi ansatt. Vi ser behov.", [("ser_behov", "behov")]),
    ("Fekk vi midlar, ville vi tilsett. Vi ser behov.", [("ser_behov", "behov")]),
    # a note with its subject dropped is no condition, nor is the verb after the subject
    ("Hadde en aktuell person, men vi ser behov.", [("ser_behov", "aktuell"), ("ser_behov", "behov")]),
    ("Hadde behov for hjelp i fjor.", [("ser_behov", "behov")]),
    ("Det hadde vore aktuelt for brukarar.", [("ser_behov", "aktuelt"), ("ser_behov", "brukarar")]),
    ("Vi hadde behov.", [("ser_behov", "behov")]),
]


@pytest.mark.parametrize(("text", "expected"), INVERTED_CONDITIONALS, ids=lambda v: v if isinstance(v, str) else None)
def test_inverted_conditional_is_a_condition(text: str, expected: list[tuple[str, str]]) -> None:
    assert hits([NEED, NEED_HEDGED], text) == expected


PRACTICE = R("p", "brukermedvirkning", ["brukermedvirkning", "brukarmedverknad", "erfaringskonsulent*"], hedge="forbid")
WISHED = R("w", "onske", ["brukermedvirkning", "brukarmedverknad", "erfaringskonsulent*"], hedge="require")

# (answer, exact hits of PRACTICE + WISHED)
WISHES = [
    # a wish is no present practice, in any word order
    ("Vi skulle ønske det var mer brukermedvirkning.", [("onske", "brukermedvirkning")]),
    ("Vi skulle ønskje det var meir brukarmedverknad.", [("onske", "brukarmedverknad")]),
    ("Vi skulle gjerne hatt en erfaringskonsulent, men har ikke fått det til.", [("onske", "erfaringskonsulent")]),
    ("Vi skulle gjerne hatt ein erfaringskonsulent.", [("onske", "erfaringskonsulent")]),
    ("Vi skulle gjerne vært bedre på brukermedvirkning.", [("onske", "brukermedvirkning")]),
    ("Me skulle gjerne vore betre på brukarmedverknad.", [("onske", "brukarmedverknad")]),
    ("Vi hadde gjerne sett mer brukermedvirkning.", [("onske", "brukermedvirkning")]),
    ("Vi ville gjerne hatt meir brukarmedverknad.", [("onske", "brukarmedverknad")]),
    # a practice stated, and "skal ha" (what the role has), stay firm
    ("Vi har brukermedvirkning i alle vedtak.", [("brukermedvirkning", "brukermedvirkning")]),
    ("Brukaren skal ha brukarmedverknad i eigen plan.", [("brukermedvirkning", "brukarmedverknad")]),
]


@pytest.mark.parametrize(("text", "expected"), WISHES, ids=lambda v: v if isinstance(v, str) else None)
def test_a_wish_is_no_present_practice(text: str, expected: list[tuple[str, str]]) -> None:
    assert hits([PRACTICE, WISHED], text) == expected


GET = R("g", "rekruttering", ["få tak i", "får", "få"])
SMALL = R("s", "usikkert_behov", ["liten kommune"])
EFFECT = R("e", "ser_behov", ["færre", "mindre"])

# (answer, exact hits of GET + SMALL + EFFECT)
OWN_FORMS = [
    # comparatives are their own forms, not the verb "få" nor "liten"
    ("Mindre tvang, færre innleggelser – det er det vi håper på.", [("ser_behov", "Mindre"), ("ser_behov", "færre")]),
    ("Mindre tvang og færre innleggingar.", [("ser_behov", "Mindre"), ("ser_behov", "færre")]),
    ("Færrest mogleg innleggingar.", []),
    ("Minst mogleg tvang.", []),
    # the verb and "liten" still meet their forms
    ("Vi får ikke tak i folk.", [("rekruttering", "får")]),
    ("Vi fekk ikkje tak i folk.", [("rekruttering", "fekk")]),
    ("Vi er ein liten kommune.", [("usikkert_behov", "liten kommune")]),
    ("Vi er en lita kommune.", [("usikkert_behov", "lita kommune")]),
    # "små" is its own form too: "liten kommune" does not meet "små kommunar"
    ("Små kommunar.", []),
]


@pytest.mark.parametrize(("text", "expected"), OWN_FORMS, ids=lambda v: v if isinstance(v, str) else None)
def test_comparatives_keep_their_own_forms(text: str, expected: list[tuple[str, str]]) -> None:
    assert hits([GET, SMALL, EFFECT], text) == expected
