"""The twelfth round's engine changes, table-driven in Bokmål and Nynorsk with exact hits
(docs/keyword-rules.md, "Twelfth round, engine")."""

from __future__ import annotations

import pytest

from fritekst.rules.keyword import KeywordMatcher, KeywordRuleSpec as R


def hits(rules: list[R], text: str) -> list[tuple[str, str]]:
    return [(h.code_id, text[h.start:h.end]) for h in KeywordMatcher(rules).match(text)]


def whole(rules: list[R], text: str) -> list[tuple[str, str]]:
    """The hits of the answer matched whole, without the sentence memo (must equal :func:`hits`)."""
    return [(h.code_id, text[h.start:h.end]) for h in KeywordMatcher(rules)._match(text)]


CHANGE = R("b", "bytte", ["bytte*", "nettverk*"], negation="forbid")
NO_CHANGE = R("nb", "ikke_bytte", ["bytte*", "nettverk*"], negation="require")

# (answer, exact hits of CHANGE + NO_CHANGE)
FORWARD_CUES = [
    # "uten"/"utan" negates its own phrase, not the word before it
    ("Brukarane kan bytte utan å miste tilbodet.", [("bytte", "bytte")]),
    ("Brukerne kan bytte uten å miste tilbudet.", [("bytte", "bytte")]),
    ("Dei kan fritt bytte utan at det får følgjer.", [("bytte", "bytte")]),
    ("Brukaren kan bytte utan grunngjeving.", [("bytte", "bytte")]),
    # what follows it is negated, as before
    ("Vi gjer det utan bytte av behandlar.", [("ikke_bytte", "bytte")]),
    ("Folk kan bli med uten å bytte behandler.", [("ikke_bytte", "bytte")]),
    ("Brukere uten nettverk får ekstra hjelp.", [("ikke_bytte", "nettverk")]),
    # the other cues still reach back to the verb before them
    ("Vi bytter ikke behandler midt i et forløp.", [("ikke_bytte", "bytter")]),
    ("Me bytter ikkje behandlar midt i eit forløp.", [("ikke_bytte", "bytter")]),
]


@pytest.mark.parametrize(("text", "expected"), FORWARD_CUES, ids=lambda v: v if isinstance(v, str) else None)
def test_uten_negates_only_forward(text: str, expected: list[tuple[str, str]]) -> None:
    assert hits([CHANGE, NO_CHANGE], text) == expected
    assert whole([CHANGE, NO_CHANGE], text) == expected


FEEDBACK = R("f", "tilbakemelding", ["på rett spor", "fornøyd*", "nøgd*"], hedge="forbid")
FEEDBACK_HEDGED = R("fh", "tilbakemelding_hedged", ["på rett spor", "fornøyd*", "nøgd*"], hedge="require")

# (answer, exact hits of FEEDBACK + FEEDBACK_HEDGED)
ASKED_QUESTIONS = [
    # an "om" after a verb of asking opens an embedded question, also with words between them
    ("Vi spør etter kvar samtale om vi er på rett spor.", [("tilbakemelding", "på rett spor")]),
    ("Vi spør etter hver samtale om vi er på rett spor.", [("tilbakemelding", "på rett spor")]),
    ("Vi spør brukaren etter kvar time om dei er nøgde.", [("tilbakemelding", "nøgde")]),
    ("Brukerne blir spurt etter hver samtale om de er fornøyde.", [("tilbakemelding", "fornøyde")]),
    ("Vi spør brukarane munnleg om dei er nøgde.", [("tilbakemelding", "nøgde")]),
    # and an "om" coordinated with an asked one
    ("Vi spør om kva som er viktig, og om dei er nøgde.", [("tilbakemelding", "nøgde")]),
    ("Spør om hva som er viktig, og om de er fornøyde.", [("tilbakemelding", "fornøyde")]),
    # a condition or doubt stays one: no verb of asking before it, "spørs" (doubt), another sentence, too far
    ("Brukarane er nøgde om vi spør dei.", [("tilbakemelding_hedged", "nøgde")]),
    ("Vi veit ikkje om dei er nøgde.", [("tilbakemelding_hedged", "nøgde")]),
    ("Spørs om dei er nøgde med det.", [("tilbakemelding_hedged", "nøgde")]),
    ("Det spørs om de er fornøyde.", [("tilbakemelding_hedged", "fornøyde")]),
    ("Vi spør alle. Om de er fornøyde, fortsetter vi.", [("tilbakemelding_hedged", "fornøyde")]),
    ("Vi spør brukarane kvar veke i eit eige møte om dei er nøgde.", [("tilbakemelding_hedged", "nøgde")]),
]


@pytest.mark.parametrize(("text", "expected"), ASKED_QUESTIONS, ids=lambda v: v if isinstance(v, str) else None)
def test_an_om_after_a_verb_of_asking_is_no_condition(text: str, expected: list[tuple[str, str]]) -> None:
    assert hits([FEEDBACK, FEEDBACK_HEDGED], text) == expected
    assert whole([FEEDBACK, FEEDBACK_HEDGED], text) == expected


VALUE = R("v", "ser_behov", ["nyttig*", "bra"], hedge="forbid")
UNSURE = R("u", "usikkert_behov", ["nyttig*", "bra"], hedge="require")

# (answer, exact hits of VALUE + UNSURE)
SEEN_COUNTERFACTUALS = [
    # a counterfactual seen or believed is a value seen
    ("Vi ser at det kunne vært nyttig, men vet ikke om det er midler.", [("ser_behov", "nyttig")]),
    ("Vi ser at det kunne vore nyttig for nokre.", [("ser_behov", "nyttig")]),
    ("Ser at ein slik person kunne vore nyttig.", [("ser_behov", "nyttig")]),
    ("Vi trur det kunne vore bra for brukarane.", [("ser_behov", "bra")]),
    ("Vi tror det kunne vært bra.", [("ser_behov", "bra")]),
    # a bare counterfactual stays a hedge, and so does one with another hedge
    ("Det kunne vært nyttig, men vi er usikre på om vi har nok brukere.", [("usikkert_behov", "nyttig")]),
    ("Det kunne vore nyttig, men vi har få brukarar.", [("usikkert_behov", "nyttig")]),
    ("Vi ser at det kanskje kunne vore nyttig.", [("usikkert_behov", "nyttig")]),
    # "hadde vore" was never a counterfactual hedge
    ("Det hadde vore nyttig, men vi har ikkje budsjett.", [("ser_behov", "nyttig")]),
]


@pytest.mark.parametrize(("text", "expected"), SEEN_COUNTERFACTUALS,
                         ids=lambda v: v if isinstance(v, str) else None)
def test_a_counterfactual_seen_is_no_hedge(text: str, expected: list[tuple[str, str]]) -> None:
    assert hits([VALUE, UNSURE], text) == expected
    assert whole([VALUE, UNSURE], text) == expected


LACK_OF_MONEY = R("o", "okonomi", ["penge*", "pengar", "midler", "midlar", "økonomi*"], negation="require")
MONEY = R("k", "penger", ["penge*", "pengar", "midler", "midlar", "økonomi*"], negation="forbid")

# (answer, exact hits of LACK_OF_MONEY + MONEY)
ELLIPTIC_DISMISSALS = [
    # a theme dismissed in the next, elliptic sentence: neither present nor lacking
    ("Økonomi? Nei, det er ikke problemet.", []),
    ("Økonomien? Nei, det er ikkje problemet.", []),
    ("Pengar? Ikkje utfordringa.", []),
    ("Midler? Det er ikke hindringen.", []),
    ("Penger? Det er ikke grunnen.", []),
    # the next sentence is read as before
    ("Økonomi? Nei, det er ikke problemet. Vi mangler penger.", [("okonomi", "penger")]),
    # a bare denial still negates, a yes or a head without a cue leaves the theme
    ("Økonomi? Nei.", [("okonomi", "Økonomi")]),
    ("Økonomi? Nei, det er problemet.", [("penger", "Økonomi")]),
    ("Pengar? Ja, det er utfordringa.", [("penger", "Pengar")]),
    # a denial with other words, or too long, is an ordinary clause
    ("Økonomi? Nei, det er nok ikke det største problemet for oss.", [("penger", "Økonomi")]),
    ("Pengar? Ikkje prioritert.", [("penger", "Pengar")]),
]


@pytest.mark.parametrize(("text", "expected"), ELLIPTIC_DISMISSALS, ids=lambda v: v if isinstance(v, str) else None)
def test_an_elliptic_dismissal_dismisses_its_theme(text: str, expected: list[tuple[str, str]]) -> None:
    assert hits([LACK_OF_MONEY, MONEY], text) == expected
    assert whole([LACK_OF_MONEY, MONEY], text) == expected
