"""The sixth round's mechanisms, table-driven in Bokmål and Nynorsk (docs/keyword-rules.md): a
contrast "X og ikke Y" dismisses Y, not X; an indirect question after a verb of asking is not a
hedge; a word of lack right after a negation cue ("og ikkje manglar") does not reach its whole
clause; "under planlegging" is a plan."""

from __future__ import annotations

import pytest

from fritekst.language import cues
from fritekst.rules.keyword import KeywordMatcher, KeywordRuleSpec as R

STRENGTHS = R("s", "ressursfokus", ["muligheter", "moglegheiter", "ressurs*", "mestring", "meistring"],
              negation="forbid")
STRENGTHS_ANY = R("a", "ressursfokus", ["muligheter", "moglegheiter", "begrensning*", "avgrensing*"])
MONEY = R("m", "okonomi", ["penger", "pengar", "økonomi*"])
ASKED = R("q", "hva_er_viktig", ["hva som er viktig", "kva som er viktig", "hvilke mål", "kva mål"],
          negation="forbid", hedge="forbid")
FEEDBACK = R("f", "tilbakemelding", ["fornøyde", "fornøgde", "nøgde"], hedge="forbid")
COUNCIL = R("c", "brukermedvirkning", ["brukerrepresentant*", "brukarrepresentant*", "tilbakemeldingssystem*"],
            hedge="forbid")

# (rule, answer, does the rule fire?)
CONTRASTS = [
    # "X og ikke Y": the contrast dismisses Y, X stays
    (STRENGTHS, "Fokus på muligheter og ikke begrensninger.", True),
    (STRENGTHS, "Fokus på moglegheiter og ikkje avgrensingar.", True),
    (STRENGTHS, "Vi jobber med mestring og det er ikke diagnosen som er problemet.", True),
    (STRENGTHS, "Me jobbar med meistring, og det er ikkje diagnosen som er problemet.", True),
    # ... and Y is still dismissed: a rule without a negation check stays silent on it
    (STRENGTHS_ANY, "Vi har fokus på det friske og ikke begrensningene.", False),
    (STRENGTHS_ANY, "Vi har fokus på det friske og ikkje avgrensingane.", False),
    # no conjunction before the cue: the whole clause is dismissed, as before
    (MONEY, "Pengene er ikke problemet.", False),
    (MONEY, "Økonomien er ikkje hindringa.", False),
    (MONEY, "Det er ikke pengene som er problemet.", False),
    # the dismissed conjunct is after the "og", whatever comes before it
    (MONEY, "Vi har lite penger og det er ikke problemet.", True),
    (MONEY, "Vi har lite pengar, og det er ikkje problemet.", True),
]

NEGATED_LACK = [
    # a word of lack right after a cue is negated itself: "ikkje manglar" reaches forward only
    (STRENGTHS, "Vi fokuserer på ressursar og ikkje manglar.", True),
    (STRENGTHS, "Vi fokuserer på ressurser og ikke mangler.", True),
    # a word of lack on its own still reaches its whole clause
    (STRENGTHS, "Ressursane manglar.", False),
    (STRENGTHS, "Ressursene mangler.", False),
]

ASKED_QUESTIONS = [
    # asked: the question is the practice, not a doubt
    (ASKED, "Alle brukere får spørsmål om hva som er viktig for dem.", True),
    (ASKED, "Alle får spørsmålet om kva som er viktig for dei.", True),
    (ASKED, "Pasientene blir spurt om hvilke mål de har.", True),
    (ASKED, "Brukarane vert spurde om kva mål dei har.", True),
    (FEEDBACK, "Brukerne blir spurt om de er fornøyde.", True),
    (FEEDBACK, "Vi spør brukarane om dei er nøgde.", True),
    (FEEDBACK, "Vi spør systematisk om de er fornøyde.", True),
    # a doubt or a condition still hedges
    (FEEDBACK, "Vi veit ikkje om dei er nøgde.", False),
    (FEEDBACK, "Vi vet ikke om de er fornøyde.", False),
    (ASKED, "Vi er usikre på om vi spør hva som er viktig for dem.", False),
    (ASKED, "Det er et spørsmål om hva som er viktig for dem.", False),
]


PLANNED = [
    # something under planning is not there yet
    (COUNCIL, "Tilbakemeldingssystem er under planlegging.", False),
    (COUNCIL, "Eit tilbakemeldingssystem er under planlegging.", False),
    (COUNCIL, "Brukarrepresentant i rådet er planlagt innført.", False),
    (COUNCIL, "Vi har tilbakemeldingssystem og brukerrepresentanter.", True),
]


@pytest.mark.parametrize(("rule", "text", "fires"), CONTRASTS + NEGATED_LACK + ASKED_QUESTIONS + PLANNED,
                         ids=lambda v: v if isinstance(v, str) else None)
def test_mechanism(rule: R, text: str, fires: bool) -> None:
    assert bool(KeywordMatcher([rule]).match(text)) is fires


@pytest.mark.parametrize(("switch", "off", "rule", "text"), [
    ("DISMISSALS_BY_CONJUNCT", False, STRENGTHS, "Fokus på muligheter og ikke begrensninger."),
    ("NEGATED_LACK_IS_LOCAL", False, STRENGTHS, "Vi fokuserer på ressursar og ikkje manglar."),
    ("ASKED_QUESTIONS", (), ASKED, "Alle brukere får spørsmål om hva som er viktig for dem."),
])
def test_each_switch_restores_the_reading_of_before(monkeypatch: pytest.MonkeyPatch, switch: str, off: object,
                                                    rule: R, text: str) -> None:
    # the measurement switches of benchmarks/quality_mechanisms.py: off, the theme is lost again
    assert KeywordMatcher([rule]).match(text)
    import fritekst.rules.keyword_compile as keyword_compile

    monkeypatch.setattr(cues, switch, off)
    if hasattr(keyword_compile, switch):
        monkeypatch.setattr(keyword_compile, switch, off)
    assert not KeywordMatcher([rule]).match(text)


def test_the_contrast_keeps_the_span_of_the_first_theme() -> None:
    text = "Fokus på muligheter og ikke begrensninger."
    hits = KeywordMatcher([STRENGTHS_ANY]).match(text)
    assert [text[h.start:h.end] for h in hits] == ["muligheter"]
