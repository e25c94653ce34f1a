"""The train4 round's mechanisms, table-driven in Bokmål and Nynorsk (docs/keyword-rules.md):
a hedge or doubt governs its own conjunct, not the whole clause; "neppe"/"knapt" (hardly) are
diminishers; the counterfactual "kunne vært/vore" hedges."""

from __future__ import annotations

import pytest

from fritekst.language import cues
from fritekst.rules.keyword import KeywordMatcher, KeywordRuleSpec as R

POSTS = R("p", "ingen_stillinger", ["hjemler", "heimlar", "stilling"], negation="require", hedge="forbid")
NEED = R("n", "ser_behov", ["behov", "behovet"], negation="forbid", hedge="forbid")
NEED_HEDGED = R("h", "usikkert_behov", ["behov", "behovet"], hedge="require")
MONEY = R("m", "okonomi", ["midler", "midlar", "penger", "pengar"], negation="require")
VALUE = R("v", "ser_behov", ["nyttig*"], negation="forbid", hedge="forbid")

# (rule, answer, does the rule fire?)
CONJUNCTS = [
    # a doubt about one thing leaves the coordinated statement firm
    (POSTS, "Økonomien er usikker og vi har ingen ledige hjemler.", True),
    (POSTS, "Økonomien er usikker og vi har ingen ledige heimlar.", True),
    (POSTS, "Vi veit ikkje om vi får tilskot, og vi har ikkje ledig stilling.", True),
    # ... while what the hedge governs stays hedged, before it back to the conjunction and after it
    (POSTS, "Vi har ingen ledige hjemler, usikkert hvor lenge.", True),
    (NEED, "Behovet er usikkert og vi har ikke penger.", False),
    (NEED, "Vi er usikre på om det er behov og om vi har råd.", False),
    (NEED, "Usikkert om det er behov.", False),
    (NEED, "Vi veit ikkje om det er behov for det.", False),
    (NEED, "Vi ser behov og er usikre på økonomien.", True),
    (NEED, "Me ser eit behov og er usikre på pengane.", True),
    # the hedge's own words are hedged: a need named in the condition
    (NEED_HEDGED, "Om behovet blir større, vil vi vurdere det.", True),
    (NEED_HEDGED, "Dersom behovet aukar.", True),
    (NEED_HEDGED, "Vi ser eit klart behov.", False),
]

HARDLY = [
    # "neppe"/"knapt": a short negation like "lite"; said of the subject, the whole clause
    (NEED, "Behovet er neppe stort nok til en egen stilling.", False),
    (NEED, "Behovet er knapt stort nok.", False),
    (MONEY, "Vi får neppe midler til det.", True),
    (MONEY, "Me får neppe pengar til det.", True),
    (MONEY, "Vi har fått midler.", False),
]

COUNTERFACTUAL = [
    # "det kunne vært nyttig" is what might be, not a value seen
    (VALUE, "Det kunne vært nyttig, men vi er en liten kommune.", False),
    (VALUE, "Det kunne vore nyttig, men vi er ein liten kommune.", False),
    (VALUE, "Det kunne ha vært nyttig.", False),
    (VALUE, "Det er nyttig for brukerne.", True),
    (VALUE, "Det vil vere nyttig for brukarane.", True),
]


@pytest.mark.parametrize(("rule", "text", "fires"), CONJUNCTS + HARDLY + COUNTERFACTUAL,
                         ids=lambda v: v if isinstance(v, str) else None)
def test_mechanism(rule: R, text: str, fires: bool) -> None:
    assert bool(KeywordMatcher([rule]).match(text)) is fires


def test_the_clause_wide_hedge_of_before_is_what_the_switch_restores(monkeypatch: pytest.MonkeyPatch) -> None:
    # the measurement switch: with it off, a doubt hedges its whole clause again (the posts too)
    text = "Økonomien er usikker og vi har ingen ledige hjemler."
    assert KeywordMatcher([POSTS]).match(text)
    monkeypatch.setattr(cues, "HEDGES_BY_CONJUNCT", False)
    assert not KeywordMatcher([POSTS]).match(text)


def test_conjunct_scope_runs_between_the_coordinating_conjunctions() -> None:
    assert cues.conjunct_scope(0, 2, breaks=(3,)) == (0, 0, 2, -1, -1)
    assert cues.conjunct_scope(1, 6, breaks=(3, 9)) == (1, 4, 8, -1, -1)
    assert cues.conjunct_scope(0, 4) == (0, 0, 1 << 30, -1, -1)
