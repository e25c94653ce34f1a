"""The ninth round's engine mechanisms, table-driven in Bokmål and Nynorsk with exact hits
(docs/keyword-rules.md, "Ninth round")."""

from __future__ import annotations

import pytest

from fritekst.language import cues
from fritekst.rules.keyword import KeywordMatcher, KeywordRuleSpec as R

MODELS = R("m", "modeller", ["fact*", "act"], negation="forbid", hedge="forbid")
MODELS_HEDGED = R("mh", "planlagt", ["fact*", "act"], hedge="require")
MONEY = R("k", "okonomi", ["midler", "midlar", "pengar", "penger"], hedge="forbid")
COUNCIL = R("b", "brukerråd", ["brukerråd*", "brukarråd*"], hedge="forbid")


def hits(rules: list[R], text: str) -> list[tuple[str, str]]:
    return [(h.code_id, text[h.start:h.end]) for h in KeywordMatcher(rules).match(text)]


# (answer, exact hits of MODELS + MODELS_HEDGED + MONEY + COUNCIL)
FRONTED_CONDITIONS = [
    # a condition opening the sentence: its own clause and the main clause after the comma are hedged
    ("Dersom vi får midler, vil vi innføre FACT.", [("planlagt", "FACT")]),
    ("Dersom vi får midlar, vil vi innføre FACT.", [("planlagt", "FACT")]),
    ("Hvis vi får penger, starter vi FACT-team.", [("planlagt", "FACT-team")]),
    ("Viss vi får pengar, startar vi eit FACT-team.", [("planlagt", "FACT-team")]),
    ("Om Statsforvaltaren gir oss pengar, blir det FACT.", [("planlagt", "FACT")]),
    ("Ifall vi får midler, kommer FACT.", [("planlagt", "FACT")]),
    # the clause after the main clause is firm again, and so is the next sentence
    ("Dersom vi får midler, vil vi innføre FACT, og vi har allerede brukerråd.",
     [("planlagt", "FACT"), ("brukerråd", "brukerråd")]),
    ("Dersom vi får midlar, vil vi innføre FACT. Vi har brukarråd.",
     [("planlagt", "FACT"), ("brukerråd", "brukarråd")]),
    # not opening its sentence: the condition hedges its own clause only (as before)
    ("Vi har FACT, og vi vil utvide om vi får midler.", [("modeller", "FACT")]),
    ("Vi har FACT. Om vi får midlar, vil vi ha brukarråd.", [("modeller", "FACT")]),
    # "om" elsewhere is a preposition: nothing hedged
    ("Vi samarbeider om FACT, midler er det nok av.", [("modeller", "FACT"), ("okonomi", "midler")]),
    ("Me har FACT-team og pengar.", [("modeller", "FACT-team"), ("okonomi", "pengar")]),
]


@pytest.mark.parametrize(("text", "expected"), FRONTED_CONDITIONS, ids=lambda v: v if isinstance(v, str) else None)
def test_fronted_condition_hedges_its_main_clause(text: str, expected: list[tuple[str, str]]) -> None:
    assert hits([MODELS, MODELS_HEDGED, MONEY, COUNCIL], text) == expected


def test_the_switch_restores_the_condition_ending_at_its_comma(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "Dersom vi får midler, vil vi innføre FACT."
    monkeypatch.setattr(cues, "CONDITIONS_REACH_MAIN_CLAUSE", False)
    assert hits([MODELS, MODELS_HEDGED], text) == [("modeller", "FACT")]


LACK_OF_MONEY = R("o", "okonomi", ["penge*", "kostnad*", "økonomi*", "pengar"], negation="require")
NO_POSTS = R("s", "ingen_stillinger", ["hjemler", "heimlar", "stilling*"], negation="require")
NOT_RELEVANT = R("a", "ikke_aktuelt", ["ikke aktuelt"])

# (answer, exact hits of LACK_OF_MONEY + NO_POSTS + NOT_RELEVANT)
CONTRASTS = [
    # "det er ikke X, det er Y": X dismissed, Y asserted
    ("Det er ikke kostnaden, det er at vi mangler ledige hjemler.", [("ingen_stillinger", "hjemler")]),
    ("Det er ikkje kostnaden, det er at vi manglar ledige heimlar.", [("ingen_stillinger", "heimlar")]),
    ("Det er ikke et pengespørsmål, det er bare ikke aktuelt.", [("ikke_aktuelt", "ikke aktuelt")]),
    ("Det er ikkje eit pengespørsmål, det er berre ikkje aktuelt.", [("ikke_aktuelt", "ikkje aktuelt")]),
    ("Det var ikke økonomien, det handler om at vi ikke har stillinger.", [("ingen_stillinger", "stillinger")]),
    ("Det var ikkje økonomien, det handlar om at vi ikkje har stillingar.", [("ingen_stillinger", "stillingar")]),
    # "det handler ikke om X, men om Y" (a dismissal of cues.DISMISSALS)
    ("Det handler ikke om penger, men om at vi ikke har ledige hjemler.", [("ingen_stillinger", "hjemler")]),
    ("Det handlar ikkje om pengar, men om at vi ikkje har ledige heimlar.", [("ingen_stillinger", "heimlar")]),
    # no contrast: the negated money stays
    ("Det er ikke penger til nye stillinger.", [("okonomi", "penger"), ("ingen_stillinger", "stillinger")]),
    ("Det er ikkje pengar. Det er synd.", [("okonomi", "pengar")]),
    # "ikke bare X, det er også Y": X stays
    ("Det er ikke bare pengene, det er også stillingene.", []),
    # the cleft not opening its sentence is not the contrast
    ("Vi har ingen midler og det er ikke penger, det er trist.", [("okonomi", "penger")]),
]


@pytest.mark.parametrize(("text", "expected"), CONTRASTS, ids=lambda v: v if isinstance(v, str) else None)
def test_contrast_of_clefts_dismisses_the_first(text: str, expected: list[tuple[str, str]]) -> None:
    assert hits([LACK_OF_MONEY, NO_POSTS, NOT_RELEVANT], text) == expected


def test_the_switch_restores_the_negated_first_cleft(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "Det er ikke kostnaden, det er at vi mangler ledige hjemler."
    monkeypatch.setattr(cues, "CONTRASTS_DISMISS", False)
    assert hits([LACK_OF_MONEY, NO_POSTS], text) == [("okonomi", "kostnaden"), ("ingen_stillinger", "hjemler")]


NO_FUNDS = R("f", "okonomi", ["finansiering", "midler", "midlar"], negation="require")
HIRE = R("h", "ansette", ["ansette", "tilsetje", "erfaringskonsulent*"], negation="forbid", hedge="forbid")
HIRE_MAYBE = R("u", "usikkert", ["ansette", "tilsetje", "erfaringskonsulent*"], negation="forbid", hedge="require")

# (answer, exact hits of NO_FUNDS + HIRE + HIRE_MAYBE)
DOUBLE_NEGATIONS = [
    # "ikke mulig uten X": X is needed, not lacking
    ("Ikke mulig uten statlig finansiering.", []),
    ("Ikkje mogleg utan statlege midlar.", []),
    # (the hire is not denied; the money it waits for is not lacking)
    ("Vi ansetter ikke uten at vi får midler.", [("ansette", "ansetter")]),
    ("Vi tilset ikkje utan at vi får midlar.", [("ansette", "tilset")]),
    # "ikke umulig": possible, a hedge
    ("Det er ikke umulig at vi ansetter en erfaringskonsulent.",
     [("usikkert", "ansetter"), ("usikkert", "erfaringskonsulent")]),
    ("Det er ikkje umogleg at vi tilset ein erfaringskonsulent.",
     [("usikkert", "tilset"), ("usikkert", "erfaringskonsulent")]),
    # "ingen grunn til å ikke": a reason to
    ("Det er ingen grunn til å ikke ansette en erfaringskonsulent.",
     [("ansette", "ansette"), ("ansette", "erfaringskonsulent")]),
    ("Det er ingen grunn til å ikkje tilsetje ein erfaringskonsulent.",
     [("ansette", "tilsetje"), ("ansette", "erfaringskonsulent")]),
    # a single negation still negates
    ("Vi har ikke midler.", [("okonomi", "midler")]),
    ("Vi har ingen midlar, så vi kan ikkje tilsetje.", [("okonomi", "midlar")]),
    ("Det er umulig uten midler.", [("okonomi", "midler")]),
]


@pytest.mark.parametrize(("text", "expected"), DOUBLE_NEGATIONS, ids=lambda v: v if isinstance(v, str) else None)
def test_double_negation_negates_nothing(text: str, expected: list[tuple[str, str]]) -> None:
    assert hits([NO_FUNDS, HIRE, HIRE_MAYBE], text) == expected


PARTICIPATION = R("bm", "brukermedvirkning", ["brukermedvirkning", "brukarmedverknad", "brukarmedverknaden"],
                  hedge="forbid")
WISHED = R("w", "ønsket", ["brukermedvirkning", "brukarmedverknad", "brukarmedverknaden"], hedge="require")

# (answer, exact hits of PARTICIPATION + WISHED)
WISHES = [
    # a wish for more is not the practice
    ("Ønsker mer brukermedvirkning på systemnivå.", [("ønsket", "brukermedvirkning")]),
    ("Ønskjer meir brukarmedverknad på systemnivå.", [("ønsket", "brukarmedverknad")]),
    ("Vi vil gjerne ha mer brukermedvirkning.", [("ønsket", "brukermedvirkning")]),
    ("Vi vil gjerne ha meir brukarmedverknad.", [("ønsket", "brukarmedverknad")]),
    ("Vi skulle gjerne hatt mer brukermedvirkning.", [("ønsket", "brukermedvirkning")]),
    # the practice stated, and the wish in its own conjunct
    ("Vi har brukermedvirkning og ønsker mer av det.", [("brukermedvirkning", "brukermedvirkning")]),
    ("Vi har brukarmedverknad, men ønskjer meir tid.", [("brukermedvirkning", "brukarmedverknad")]),
    # bare "ønsker" (what the users wish) is a fact
    ("Brukerne ønsker brukermedvirkning, og det får de.", [("brukermedvirkning", "brukermedvirkning")]),
]


@pytest.mark.parametrize(("text", "expected"), WISHES, ids=lambda v: v if isinstance(v, str) else None)
def test_a_wish_for_more_is_a_plan(text: str, expected: list[tuple[str, str]]) -> None:
    assert hits([PARTICIPATION, WISHED], text) == expected


IMPORTANT = R("v", "hva_er_viktig", ["viktig for deg", "viktig for dei"])
DIALOGUE = R("d", "nettverk", ["open dialog", "åpen dialog"])
SERVICES = R("t", "tiltak", ["tiltak*", "planer"])
FIRST = R("f", "først", ["først"])

# (answer, exact hits of IMPORTANT + DIALOGUE + SERVICES + FIRST)
FIVE_LETTER_TYPOS = [
    # a letter dropped from a word of six letters or more
    ("Hva er vikig for deg?", [("hva_er_viktig", "vikig for deg")]),
    ("Kva er viktg for dei?", [("hva_er_viktig", "viktg for dei")]),
    ("Åpen dialg.", [("nettverk", "Åpen dialg")]),
    ("Open dialg med familien.", [("nettverk", "Open dialg")]),
    ("Vi har mange titak.", [("tiltak", "titak")]),
    ("Me har mange tiltk og planr.", [("tiltak", "tiltk"), ("tiltak", "planr")]),
    # never in capitals (an acronym), nor a known word ("tilta", one letter short of "tiltak"), nor a word of four letters
    ("TITAK og PLANR.", []),
    ("Dei tilta ikkje.", []),
    ("Vi har tilt.", []),
    # pattern words of five letters are never typo targets: "first" is not "først"
    ("First and foremost.", []),
    ("Først og fremst.", [("først", "Først")]),
]


@pytest.mark.parametrize(("text", "expected"), FIVE_LETTER_TYPOS, ids=lambda v: v if isinstance(v, str) else None)
def test_five_letter_forms_meet_long_words_one_letter_short(text: str, expected: list[tuple[str, str]]) -> None:
    assert hits([IMPORTANT, DIALOGUE, SERVICES, FIRST], text) == expected


def test_a_five_letter_acronym_and_its_lowercase_spelling_are_remembered_apart() -> None:
    matcher = KeywordMatcher([SERVICES])
    assert [m.code_id for m in matcher.match("TITAK")] == []
    assert [m.code_id for m in matcher.match("titak")] == ["tiltak"]
    assert [m.code_id for m in matcher.match("TITAK")] == []
    assert [m.code_id for m in matcher.match("Titak-arbeid")] == ["tiltak"]
    assert [m.code_id for m in matcher.match("TITAK-arbeid")] == []


# matched whole (a rule with "near" or "unless" sees the whole answer) and sentence by sentence
# (the sentence memo), a fronted condition or a contrast never reaches into the next sentence
ACROSS_SENTENCES = [
    ("Om. FACT-team.", [("modeller", "FACT-team")]),
    ("Dersom vi får midlar. Vi har FACT.", [("modeller", "FACT")]),
    ("Hvis ja. FACT-team og brukerråd.", [("modeller", "FACT-team"), ("brukerråd", "brukerråd")]),
]


@pytest.mark.parametrize(("text", "expected"), ACROSS_SENTENCES, ids=lambda v: v if isinstance(v, str) else None)
def test_a_fronted_condition_stops_at_its_sentence(text: str, expected: list[tuple[str, str]]) -> None:
    near = R("n", "brukerråd", ["brukerråd*", "brukarråd*"], hedge="forbid", unless=["xyzzy"])
    assert hits([MODELS, MODELS_HEDGED, COUNCIL], text) == expected
    assert hits([MODELS, MODELS_HEDGED, near], text) == expected
    whole = KeywordMatcher([MODELS, MODELS_HEDGED, COUNCIL])._match(text)  # the answer matched whole
    assert [(h.code_id, text[h.start:h.end]) for h in whole] == expected


def test_a_contrast_stops_at_its_sentence() -> None:
    near = R("o2", "okonomi", ["penge*", "kostnad*"], negation="require", unless=["xyzzy"])
    for rules in ([LACK_OF_MONEY], [near]):
        assert hits(rules, "Det er ikke penger. Det er synd.") == [("okonomi", "penger")]
        assert hits(rules, "Det er ikke kostnaden, det er at vi mangler folk.") == []
        whole = KeywordMatcher(rules)._match("Det er ikke penger. Det er synd.")
        assert [h.code_id for h in whole] == ["okonomi"]
