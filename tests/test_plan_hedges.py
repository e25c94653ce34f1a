"""Plans, wishes and things considered as clause-scoped hedges, exact "etter hvert", and a negated
phrase that contains the "for" its scope ends at; table-driven in Bokmål and Nynorsk
(docs/keyword-rules.md, "Plans and wishes" and "Scope ends")."""

from __future__ import annotations

from pathlib import Path

import pytest

from fritekst.coding.coder import keyword_specs
from fritekst.language.analyzer import Analyzer
from fritekst.rules.codebook import load_codebook
from fritekst.rules.keyword import KeywordMatcher, KeywordRuleSpec as R

TOOL = R("t", "tilbakemelding", ["fit", "kor", "brukerundersøk*", "brukarundersøk*"], hedge="forbid")
MODEL = R("m", "modeller", ["fact*"], hedge="forbid")
POSTS = R("s", "ingen_stillinger", ["stilling*"], hedge="forbid")
ASKED = R("h", "hva_er_viktig", ["kva som er viktig", "hva som er viktig"], hedge="forbid")

# (rule, answer, does the rule fire?)
PLANS = [
    # plans, wishes, things considered or applied for: not a current practice
    (TOOL, "Vi har planer om å innføre FIT.", False),
    (TOOL, "Har planar om å innføre KOR neste år.", False),
    (TOOL, "Vi planlegger å ta i bruk FIT.", False),
    (TOOL, "Me planlegg å ta i bruk FIT.", False),
    (TOOL, "Vi ønsker å ta i bruk brukerundersøkelser.", False),
    (TOOL, "Vi ønskjer å ta i bruk brukarundersøkingar.", False),
    (TOOL, "Kommunen skal innføre FIT til hausten.", False),
    (TOOL, "Vi jobber med å få på plass FIT.", False),
    (TOOL, "Vi kunne vært flinkere til å bruke brukerundersøkelser.", False),
    (TOOL, "Vi kunne vore flinkare til å bruke FIT.", False),
    (MODEL, "Vi har vurdert FACT, men har for få brukere.", False),
    (MODEL, "Vi vurderer FACT-team saman med nabokommunen.", False),
    (MODEL, "Vi vurderar FACT.", False),
    (MODEL, "Kommunen har søkt om midler til FACT-team.", False),
    (ASKED, "Vi ønskjer å bli betre på å spørje kva som er viktig for folk.", False),
    (ASKED, "Vi ønsker å bli bedre på å spørre hva som er viktig for folk.", False),
    # the same words as a firm statement
    (TOOL, "Vi bruker FIT i alle samtaler.", True),
    (TOOL, "Vi nyttar KOR i alle samtalar.", True),
    (MODEL, "Vi har FACT-team.", True),
    (ASKED, "Vi spør alltid hva som er viktig for personen.", True),
    # clause scope: only what the plan governs is hedged
    (R("t", "t", ["fit"], hedge="forbid"), "Vi bruker FIT og planlegger KOR.", True),
    (R("t", "t", ["kor"], hedge="forbid"), "Vi bruker FIT og planlegger KOR.", False),
    (R("t", "t", ["fit"], hedge="forbid"), "Vi nyttar FIT og planlegg å innføre KOR.", True),
    (R("t", "t", ["brukerundersøk*"], hedge="forbid"),
     "Vi planlegger å ta i bruk FIT, og bruker brukerundersøkelser i dag.", True),
    (R("t", "t", ["fit"], hedge="forbid"), "Vi planlegger å ta i bruk FIT, og bruker brukerundersøkelser i dag.", False),
    (R("t", "t", ["kor"], hedge="forbid"), "KOR er noe vi planlegger å innføre.", False),
    # the next clause is not hedged
    (MODEL, "Vi har vurdert ACT, men valde FACT.", True),
    # hedge: require sees a plan as a hedge
    (R("t", "t", ["fit"], hedge="require"), "Vi planlegger å ta i bruk FIT.", True),
    (R("t", "t", ["fit"], hedge="require"), "Vi bruker FIT.", False),
    # a rule whose keyword is the wish itself still hits: the cue hedges what it governs, not itself
    (R("s", "ser_behov", ["ønsker å", "ønskjer å"], hedge="forbid"), "Vi ønsker å ansette en erfaringskonsulent.", True),
    (R("s", "ser_behov", ["ønsker å", "ønskjer å"], hedge="forbid"), "Vi ønskjer å tilsetje ein erfaringskonsulent.", True),
    # a bare "vurdering" or "ønsker" (not intent) does not hedge
    (R("t", "t", ["fit"], hedge="forbid"), "Vi bruker FIT i vurderingen av tilbudet.", True),
    (R("t", "t", ["fit"], hedge="forbid"), "Brukerne ønsker FIT, og vi bruker det.", True),
    # a completed consideration hedges its own conjunct, not the firm statement after "og"
    (POSTS, "Vi har vurdert det grundig og ser at vi ikke har stillinger å tilby.", True),
    (POSTS, "Vi har vurdert det og ser at vi ikkje har stillingar å tilby.", True),
    (POSTS, "Vi har vurdert å opprette en stilling.", False),
    (POSTS, "Vi har vurdert å opprette ei stilling.", False),
    (MODEL, "Vi har vurdert FACT og ACT.", False),
    (MODEL, "Me har vurdera FACT i fleire år.", False),
    # considering now is a plan; other forms of "vurdere" are not ("ber brukarane vurdere")
    (MODEL, "Vi vurderer å starte FACT, og har allerede ACT.", False),
    (TOOL, "Vi ber brukerne vurdere hver samtale med KOR.", True),
    (TOOL, "Vi ber brukarane vurdere kvar samtale med KOR.", True),
]

ROLE = R("s", "ser_behov", ["erfaringskonsulent*"], hedge="forbid")
SESSION = R("t", "tilbakemelding", ["kor-skjema*", "ors", "pcoms", "evaluer*", "tilbakemeld*"], hedge="forbid")
EXACT_HEDGES = [
    # "etter hver time" is a routine, "etter hvert" (in time) a hedge
    (SESSION, "KOR-skjema etter hver time.", True),
    (SESSION, "Evaluerer med brukarane etter kvar samtale ved hjelp av ORS og SRS.", True),
    (SESSION, "Vi henter inn tilbakemeldinger etter hvert kurs.", True),
    (SESSION, "Vi hentar inn tilbakemeldingar etter kvart møte.", True),
    (SESSION, "Vi vil ta i bruk PCOMS etter hvert.", False),
    (SESSION, "Vi skal evaluere etter kvart som tilbodet veks.", False),
    # the counterfactual "kunne vært" hedges; the present "kan være" states (the lemmas of "kan"
    # include "kunne", so the counterfactual is matched exactly)
    (ROLE, "Det kunne vært nyttig med en erfaringskonsulent.", False),
    (ROLE, "Det kunne vore nyttig med ein erfaringskonsulent.", False),
    (ROLE, "Ein erfaringskonsulent kunne ha vore ein ressurs.", False),
    (ROLE, "Erfaringskonsulenter kan være rollemodeller for dem som står fast.", True),
    (ROLE, "Ein erfaringskonsulent kan vere eit bindeledd mellom brukar og teneste.", True),
    (ROLE, "Erfaringskonsulenten kan bli en viktig ressurs.", True),
]

VIKTIG = R("h", "hva_er_viktig", ["viktig for deg", "viktig for dei"], negation="forbid")
SCOPE_END = [
    # a negated phrase that contains the "for" its scope ends at is negated
    (VIKTIG, "Vi har ikke begynt med «Hva er viktig for deg» ennå.", False),
    (VIKTIG, "Vi har ikkje teke i bruk «kva er viktig for deg»-samtalar.", False),
    (VIKTIG, "Vi har ikkje spurt kva som er viktig for dei.", False),
    (VIKTIG, "Vi spør alltid «Hva er viktig for deg».", True),
    (VIKTIG, "Vi har innført «kva er viktig for deg»-samtalar.", True),
    # what follows the "for" stays outside the scope
    (R("s", "stilling", ["stilling"], negation="forbid"), "Vi har ikke behov for en egen stilling.", True),
    (R("s", "stilling", ["stilling"], negation="forbid"), "Vi har ikkje behov for ei eiga stilling.", True),
    (R("b", "behov", ["behov for"], negation="require"), "Vi har ikke behov for en egen stilling.", True),
    (R("b", "behov", ["trong for"], negation="require"), "Vi har ikkje trong for ei eiga stilling.", True),
]

COUNCIL = R("b", "brukermedvirkning", ["brukerråd*", "brukarråd*", "brukerrepresentant*", "brukarrepresentant*"],
            hedge="forbid")
# A plan verb in a subordinate clause of time or place, or a relative clause, is the practice: the
# main clause before the subordinator is not hedged (cues.SUBORDINATORS, cues.subordinate_start).
SUBORDINATE_PLANS = [
    (COUNCIL, "Brukarrepresentantar er med når vi planlegg kurs.", True),
    (COUNCIL, "Brukerrepresentanter er med når vi planlegger kurs.", True),
    (COUNCIL, "Brukerrådet deltar når vi planlegger nye tiltak.", True),
    (COUNCIL, "Brukarrådet deltek når vi planlegg nye tiltak.", True),
    (COUNCIL, "Brukerrådet er med i møtene der vi planlegger tilbudet.", True),
    (COUNCIL, "Brukarrådet er med i møta der vi planlegg tilbodet.", True),
    (COUNCIL, "Brukerrådet sitter med i møtene hvor vi planlegger tilbudet.", True),
    (COUNCIL, "Vi har et brukerråd som planlegger kursene sammen med oss.", True),
    (COUNCIL, "Vi har eit brukarråd som planlegg kursa saman med oss.", True),
    # the plan in its main clause, or after a cleft, still hedges
    (COUNCIL, "Vi planlegger å starte et brukerråd.", False),
    (COUNCIL, "Vi planlegg å starte eit brukarråd.", False),
    (COUNCIL, "Det er et brukerråd som vi planlegger å starte.", False),
    (COUNCIL, "Det er eit brukarråd som vi planlegg å starte.", False),
    # inside its own clause the plan still governs what follows it
    (R("t", "t", ["kor"], hedge="forbid"), "Brukerne er med når vi planlegger å innføre KOR.", False),
    (R("t", "t", ["kor"], hedge="forbid"), "Brukarane er med når vi planlegg å innføre KOR.", False),
]


@pytest.mark.parametrize(("rule", "text", "fires"), PLANS + EXACT_HEDGES + SCOPE_END + SUBORDINATE_PLANS,
                         ids=lambda v: v if isinstance(v, str) else None)
def test_mechanism(rule: R, text: str, fires: bool) -> None:
    assert bool(KeywordMatcher([rule]).match(text)) is fires


def test_a_quote_mark_is_not_part_of_a_hyphen_part() -> None:
    token = Analyzer().analyze("«kva er viktig for deg»-samtalar")[-1]
    assert [(p.text, p.start, p.end) for p in token.parts] == [("deg", 19, 22), ("samtalar", 24, 32)]


RECOVERY = Path(__file__).resolve().parent.parent / "codebooks" / "recovery.yaml"


@pytest.mark.parametrize(("text", "codes"), [
    ("Har planar om å innføre KOR neste år.", set()),
    ("Vi planlegger å ta i bruk FIT, og bruker brukerundersøkelser i dag.", {"tilbakemelding"}),
    ("Vi bruker FIT og planlegger KOR.", {"tilbakemelding"}),
    ("Vi har vurdert FACT, men har for få brukere.", {"fa_brukere"}),
    ("Vi ønskjer å bli betre på å spørje kva som er viktig for folk.", set()),
    ("Vi har ikke begynt med «Hva er viktig for deg» ennå.", set()),
    ("Vi har ikkje teke i bruk «kva er viktig for deg»-samtalar.", set()),
    ("Brukarrepresentantar er med når vi planlegg nye tiltak.", {"brukermedvirkning"}),
    ("Brukerrepresentanter er med når vi planlegger nye tiltak.", {"brukermedvirkning"}),
])
def test_recovery_codebook_reads_plans_and_negated_phrases(text: str, codes: set[str]) -> None:
    matcher = KeywordMatcher(keyword_specs(load_codebook(RECOVERY)))
    assert {h.code_id for h in matcher.match(text)} == codes
