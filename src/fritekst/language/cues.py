"""Cue tables for negation scope, dismissals and hedges (Bokmål and Nynorsk).

These are data, not code: the keyword matcher (:mod:`fritekst.rules.keyword`) compiles each entry
as a keyword pattern (same syntax: words separated by single spaces, ``*`` at a word's start or
end, lemma matching) and uses its hits as follows. ``docs/keyword-rules.md`` explains the design
and its measured effect.

:data:`NOT_NEGATING`
    The negation cues inside one of these phrases negate nothing: "ikke bare X" says X and more
    ("ikke bare økonomi, men også ..."), "ikke minst X" stresses X, and "manglar ikkje X" (a
    double negation) says X is there.

:data:`DISMISSALS`
    A theme named only to be dismissed is not that theme: "pengene er ikke hindringen", "det
    handlar ikkje om økonomi", "ikke på grunn av økonomi". A clause containing one of these
    phrases gives no keyword hits at all, whatever the rule's ``negation``.

:data:`CONCESSIVES`
    A concession with a positive predicate (:data:`POSITIVE_PREDICATES`) dismisses its own words:
    "sjølv om økonomien er god er det ikkje prioritert" names the money only to say it is not the
    reason (:func:`concession_span`); the main clause after it is read as before.

:data:`HEDGES`
    Conditions and doubt: "om det er behov", "dersom", "hvis"/"viss", "i tilfelle", "eventuelt",
    "usikre på om", "kanskje", "seinere"/"senere" (a future condition). A hit is *hedged* when one of
    these stands in its clause; rules say ``hedge: forbid`` (only firm statements), ``require``
    (only hedged ones) or ``any``. Doubt words ("usikkert", "uvisst") and indirect questions
    ("kva ein slik medarbeidar kan bidra med", "hvordan det skal organiseres") hedge too: what
    is asked about is not stated.

:data:`PLANS`
    Plans, wishes, things considered or applied for, and self-criticism ("planer om å innføre
    KOR", "vi ønskjer å bli betre på ...", "har vurdert FACT", "kunne vært flinkere til å ...")
    hedge like :data:`HEDGES`, but only what they govern (:func:`plan_scope`): the rest of their
    clause after them, and before them back to a coordinating conjunction. "Vi bruker FIT og
    planlegger KOR" keeps FIT firm, "KOR er noe vi planlegger" hedges KOR. The cue's own words
    are not hedged, so a rule whose keyword *is* the wish ("ønsker å") still hits.

:data:`CUE_SPELLINGS`
    A negation word in a pattern stands for all its spellings: ``ikke aktuelt`` meets "ikkje
    aktuelt", "itj aktuelt" and the typo "ikek aktuelt"; ``ingen krav`` meets "inga krav". So a
    codebook writes a negated phrase once, not once per written standard.

:data:`DISMISSAL_HEADS`
    The nouns of a dismissal in any word order: a clause where a negation cue (not one of lack)
    comes at most :data:`DISMISSAL_REACH` words before one of these is dismissed as well ("det er
    ikke pengene som er problemet", "økonomien er ikkje den største hindringa").

:data:`DIMINISHERS`
    Words of little ("lite kunnskap", "begrensede midler", "knappe ressursar", "låg
    etterspurnad") negate the next :data:`DIMINISHER_REACH` words, a short negation: little
    knowledge is lack of knowledge, little need is no clear need. :data:`PREDICATIVE_DIMINISHERS`
    ("behovet er lite", "midlane er knappe") say it of the subject and negate the subject and the
    predicate (back to :data:`SUBJECT_BREAKS`), not the rest of the clause.

:data:`BARE_DENIAL_WORDS`
    A theme named in a short fragment and denied by a bare denial after it ("Lønnsmidlar? Finst
    ikkje.", "FACT-team: nei.") is negated (:func:`elliptic_theme`).
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = [
    "NOT_NEGATING", "DISMISSALS", "DISMISSAL_HEADS", "DISMISSAL_REACH", "DISMISSAL_BREAKS", "DIMINISHERS",
    "DIMINISHER_REACH", "QUANTIFIED_FEW", "PREDICATIVE_DIMINISHERS", "HEAD_PHRASE_BLOCKERS",
    "HEADS_END_PHRASES", "HEDGES", "SCOPE_ENDS", "CUE_SPELLINGS", "cue_spellings",
    "SUBJECT_VERBS", "REACHES_BACK", "IDIOMS", "PLANS", "plan_scope", "plan_hedged", "EXACT_HEDGES", "NOT_HEDGING",
    "COUNTERFACTUALS",
    "HEDGES_BY_CONJUNCT", "conjunct_scope", "PARTICLES", "OBJECT_PRONOUNS", "with_object_pronouns",
    "REFUSALS", "REFUSAL_REACH", "refusal_scope", "ASKED_QUESTIONS", "DISMISSALS_BY_CONJUNCT",
    "NEGATED_LACK_IS_LOCAL", "SUBJECT_BREAKS", "PREDICATIVE_IS_LOCAL", "CONSIDERED", "CONSIDERING",
    "DISCUSSED", "PASSIVE_CONSIDERED", "CONSIDERED_IS_CONJUNCT", "RELATIVE_MARKERS", "RELATIVE_REACH", "CLEFTS", "CLEFT_REACH",
    "LACK_STOPS_AT_RELATIVE", "SUBORDINATORS", "SUBORDINATE_REACH", "PLANS_STOP_AT_SUBORDINATOR", "subordinate_start",
    "CONCESSIVES", "POSITIVE_PREDICATES", "CONCESSIVE_REACH", "CONCESSIONS_DISMISS",
    "concession_span", "FRONTED_CONDITIONS", "INVERTED_VERBS", "INVERTED_SUBJECTS", "INVERTED_CONDITIONS",
    "CONDITIONS_REACH_MAIN_CLAUSE", "CONDITION_OPENERS",
    "CONTRAST_CLEFTS", "CONTRAST_ASSERTIONS", "CONTRAST_REACH", "CONTRASTS_DISMISS",
    "ELLIPTIC_THEME_WORDS", "ELLIPTIC_DENIAL_WORDS", "DENYING_ANSWERS", "BARE_DENIAL_WORDS", "ELLIPTIC_DENIALS",
    "elliptic_theme", "FORWARD_CUES", "ASKING_VERBS", "ASKED_REACH", "SEEING", "SEEN_REACH",
    "ELLIPTIC_DISMISSAL_WORDS", "DOUBTFUL",
]

NOT_NEGATING: tuple[str, ...] = (
    "ikke bare", "ikkje berre", "ikkje bare", "ikke berre", "ikke kun", "ikkje kun", "ikke bara",
    "ikke minst", "ikkje minst", "ikke utelukkende", "ikkje utelukkande",
    # double negation: "vi manglar ikkje pengar" lacks nothing
    "mangler ikke", "manglar ikkje", "mangler ikkje", "manglar ikke", "mangla ikkje", "manglet ikke",
    # two negations that cancel: "ikke mulig uten statlig finansiering" (the money is needed, not
    # lacking), "ikkje umogleg" (possible), "ingen grunn til å ikke" (a reason to)
    "ikke uten", "ikkje utan", "ikke utan", "ikkje uten", "aldri uten", "aldri utan",
    "ikke mulig uten", "ikkje mogleg utan", "ikkje mogeleg utan", "ikkje mulig utan",
    "ikke umulig", "ikkje umogleg", "ikkje umogeleg", "ikkje umuleg", "ikke usannsynlig", "ikkje usannsynleg",
    "ingen grunn til å ikke", "ingen grunn til å ikkje", "ingen grunn til ikke", "ingen grunn til ikkje",
    # a litotes: "det er ikkje uvanleg at ..." says it is common
    "ikke uvanlig", "ikkje uvanleg", "ikkje uvanlig", "ikke uvanleg", "ikke ukjent", "ikkje ukjent",
)

DISMISSALS: tuple[str, ...] = (
    # "det handler ikke om X", "ikke på grunn av X" ("X er ikke problemet": DISMISSAL_HEADS)
    "handler ikke om", "handlar ikkje om", "dreier seg ikke om", "dreiar seg ikkje om",
    "dreier det seg ikke om", "gjelder ikke", "gjeld ikkje", "ikke snakk om", "ikkje snakk om",
    "ikke pga", "ikkje pga", "ikke på grunn av", "ikkje på grunn av", "ikke grunnet", "ikkje grunna",
    "ikke et spørsmål om", "ikkje eit spørsmål om", "ikke spørsmål om", "ikke et økonomisk spørsmål",
    "ikkje eit økonomisk spørsmål",
    # the reason denied, another given: "ikke fordi økonomien er dårlig, men ...", "ikkje primært pengar"
    "ikke fordi", "ikkje fordi", "ikke primært", "ikkje primært", "ikke først og fremst", "ikkje først og fremst",
)

DISMISSAL_HEADS: tuple[str, ...] = (
    "hindring*", "hinder", "hindret", "problem*", "utfordring*", "årsak*", "grunnen", "grunnar",
    "hovedgrunn*", "hovudgrunn*", "avgjørende", "avgjerande", "begrensning*", "avgrensing*",
    "flaskehals*", "stopper", "stoppar",
)

#: How many words after the cue a dismissal head may stand ("ikke mangel på kompetanse som er
#: årsaken": 6), with no coordinating conjunction of :data:`DISMISSAL_BREAKS` between them: in
#: "ikke prioritert og økonomien er utfordringa" the cue negates something else.
DISMISSAL_REACH = 6
DISMISSAL_BREAKS: tuple[str, ...] = ("og", "eller", "samt")
#: A dismissal covers its own conjunct: from the last coordinating conjunction of
#: :data:`DISMISSAL_BREAKS` before its cue to the end of the clause. "Fokus på muligheter og ikke
#: begrensninger" is a contrast, "X og ikke Y": Y is dismissed, X stays; "Pengene er ikke problemet"
#: (no conjunction before the cue) is dismissed whole, as before. Switched off only to measure it.
DISMISSALS_BY_CONJUNCT = True
#: A word of lack right after a negation cue is itself negated ("ressursar og ikkje manglar",
#: "ikke mangler, men muligheter"): it negates only what follows it, not its whole clause as a
#: word of lack otherwise does ("kompetansen manglar"). Switched off only to measure it.
NEGATED_LACK_IS_LOCAL = True
#: A word of lack in a relative clause ("brukere som mangler nettverk", "kompetanse som vi manglar")
#: negates what follows it in the relative clause, not the head noun before "som": the users are
#: there, the network is lacking. A "som" at most :data:`RELATIVE_REACH` words before the word of lack
#: makes it relative, unless a cleft ("det er kompetanse som mangler": :data:`CLEFTS`, at most
#: :data:`CLEFT_REACH` words before the "som") says the head is what is lacking.
RELATIVE_MARKERS: tuple[str, ...] = ("som",)
RELATIVE_REACH = 2
CLEFTS: tuple[str, ...] = ("det er", "det var", "er det", "var det", "det e")
CLEFT_REACH = 5
#: Whether a word of lack stops at its relative clause (switched off only to measure it).
LACK_STOPS_AT_RELATIVE = True

#: A contrast of clefts, "det er ikke X, det er Y": X is named to be dismissed, Y is asserted. A
#: cleft of :data:`CONTRAST_CLEFTS` opening its sentence, followed in the next clause at most
#: :data:`CONTRAST_REACH` words after it by one of :data:`CONTRAST_ASSERTIONS`, dismisses its own
#: clause ("Det er ikke kostnaden, det er at vi mangler ledige hjemler": no money code); the clause of
#: Y is read as usual. "Det er ikke bare X" (:data:`NOT_NEGATING`) dismisses nothing, and "det
#: handler ikke om X, men om Y" is a dismissal of :data:`DISMISSALS` already. Exact patterns (with
#: all spellings of the cue).
CONTRAST_CLEFTS: tuple[str, ...] = ("det er ikke", "det var ikke", "det e ikke", "det er jo ikke", "det var jo ikke")
CONTRAST_ASSERTIONS: tuple[str, ...] = ("det er", "det var", "det e", "det handler om", "det handlar om",
                                        "det dreier seg om", "det dreiar seg om", "det gjelder", "det gjeld")
CONTRAST_REACH = 5
#: Whether a contrast of clefts dismisses its first clause (switched off only to measure it).
CONTRASTS_DISMISS = True

#: A concession with a positive predicate says its theme is *not* the reason: "sjølv om økonomien er
#: god er det ikkje prioritert", "trass i at det er pengar", "selv om vi har god økonomi". Its words,
#: from the concessive to the positive predicate (and the noun right after an attributive one: "god
#: økonomi"), are dismissed, as "pengene er ikke problemet" is. Only a positive predicate at most
#: :data:`CONCESSIVE_REACH` words after the concessive, in its clause, with no negation cue or
#: diminisher between, counts: "selv om økonomien er stram", "sjølv om vi ikkje har pengar" and
#: "selv om det er behov" (a need granted is still a need seen) stay as they are, and so does "avgjer
#: sjølv om pårørande skal vere med" (whether, not although). Exact patterns.
CONCESSIVES: tuple[str, ...] = ("selv om", "sjølv om", "trass i at", "tross i at", "til tross for at", "trass i",
                                "tross i", "til tross for")
POSITIVE_PREDICATES: tuple[str, ...] = tuple(
    f"{adverb}{word}" for adverb in ("", "svært ", "veldig ", "ganske ", "relativt ", "rimeleg ", "rimelig ")
    for word in ("god", "godt", "gode", "bra", "grei", "greit", "greitt", "ok", "stabil", "stabilt", "sunn",
                 "sunt", "solid", "romslig", "romsleg", "tilstrekkelig", "tilstrekkeleg", "i orden", "på plass")
) + tuple(  # existence of the means: "det er pengar", "vi har råd", "det finst midlar"
    f"{verb} {means}" for verb in ("er", "var", "finnes", "fins", "finst", "har", "hadde", "får", "fekk", "fikk")
    for means in ("penger", "pengar", "midler", "midlar", "ressurser", "ressursar", "råd")
)
CONCESSIVE_REACH = 6
#: Whether a concession granted is dismissed (switched off only to measure it).
CONCESSIONS_DISMISS = True


def concession_span(cue_last: int, positives: Sequence[tuple[int, int]], stops: Sequence[int] = (),
                    copulas: Sequence[int] = ()) -> tuple[int, int] | None:
    """The words a concessive ending at ``cue_last`` dismisses, or None when it grants nothing.

    ``positives`` are the (first, last) words of :data:`POSITIVE_PREDICATES` in its clause, ``stops``
    the words of negation cues and diminishers there, ``copulas`` the words that are copulas or
    verbs of sufficiency (:data:`SUBJECT_VERBS`). The span runs from the first word after the
    concessive to the end of the first positive predicate at most :data:`CONCESSIVE_REACH` words on
    with no stop before it, and one word further when that word is no copula ("god økonomi").

    >>> concession_span(1, [(4, 4)], copulas=(3, 5))  # "Sjølv om økonomien er god er det ikkje prioritert"
    (2, 4)
    >>> concession_span(1, [(4, 4)], stops=(3,))  # "Selv om vi ikke har god økonomi"
    """
    for first, last in sorted(positives):
        if not 0 < first - cue_last <= CONCESSIVE_REACH:
            continue
        if any(cue_last < w <= last for w in stops):
            return None
        return cue_last + 1, last if last + 1 in copulas else last + 1
    return None


#: A theme named in a verbless fragment and denied in the next, elliptic one: "Lønnsmidlar? Finst
#: ikkje.", "Penger? Har ikke.", "FACT-team: nei." The denial has no noun of its own, so what it denies
#: is the fragment before it. A fragment of at most :data:`ELLIPTIC_THEME_WORDS` words that opens its
#: sentence and ends in "?" or ":" (one clause, no comma inside), followed by the rest of its sentence
#: made only of negation cues, :data:`DENYING_ANSWERS` and :data:`BARE_DENIAL_WORDS` (at most
#: :data:`ELLIPTIC_DENIAL_WORDS` words, at least one cue or denying answer), has its words negated, as
#: a negation cue's scope would (:func:`elliptic_theme`). A denial with a word of its own ("Økonomi?
#: Nei, det er ikke problemet", "Svar: ikkje prioritert") is an ordinary clause and negates nothing
#: before it. Whole words, lowercase, read from the answer's text.
ELLIPTIC_THEME_WORDS = 3
ELLIPTIC_DENIAL_WORDS = 4
#: "nei" is no negation cue (it answers a question, :mod:`fritekst.language.analyzer`), but as the
#: whole answer to a theme it denies it.
DENYING_ANSWERS: tuple[str, ...] = ("nei", "neida", "nope", "niks")
BARE_DENIAL_WORDS: tuple[str, ...] = (
    # existence and possession without their object: "Finst ikkje", "Har vi ikke", "Det har me ikkje"
    "finst", "finnes", "fins", "eksisterer", "har", "hadde", "er", "var", "vi", "me", "det", "dei", "de",
    # quantity and time without a noun: "Ikkje noko", "Ingen foreløpig", "Ikke ennå", "Nei, dessverre"
    "noko", "noe", "nokon", "noen", "nok", "dessverre", "foreløpig", "førebels", "ennå", "enno", "enda",
    "heller", "nå", "no",
)
#: Whether an elliptic denial negates its theme (switched off only to measure it).
ELLIPTIC_DENIALS = True
#: A theme fragment dismissed by the sentence after it: "Økonomi? Nei, det er ikke problemet.",
#: "Pengar? Ikkje utfordringa." The rest of the sentence is a bare denial (as above) with a noun of
#: :data:`DISMISSAL_HEADS` after its negation cue, at most this many words: the theme is named to be
#: dismissed, as in "økonomien er ikke problemet", so its words give no hits at all (a dismissal of
#: :data:`DISMISSALS`, not a negation: it is no lack of money either).
ELLIPTIC_DISMISSAL_WORDS = 6


def elliptic_theme(theme_last: int, sentence_first: int, denial_words: int) -> tuple[int, int] | None:
    """The (first, last) words an elliptic denial of ``denial_words`` words negates, or None.

    The theme fragment ends at word ``theme_last`` and its sentence starts at ``sentence_first``;
    the caller has checked that the rest of the sentence is a bare denial (negation cues, denying
    answers, :data:`BARE_DENIAL_WORDS`, at least one cue or denying answer).

    >>> elliptic_theme(0, 0, 2)  # "Lønnsmidlar? Finst ikkje."
    (0, 0)
    >>> elliptic_theme(5, 0, 1)  # "Penger, stillinger og kompetanse i teamet? Nei."
    """
    if not 0 <= theme_last - sentence_first < ELLIPTIC_THEME_WORDS or not 0 < denial_words <= ELLIPTIC_DENIAL_WORDS:
        return None
    return sentence_first, theme_last


#: A compound's head completes a phrase of a rule with compounds on ("nytt tilbud" meets "nytt
#: aktivitetstilbud", "ledige stillinger" "ledige deltidsstillingar"), unless the word before the
#: phrase's last word is one of these or a negation cue: after a preposition or a verb the phrase
#: is an idiom of its own ("på plass" is not "på arbeidsplassen", "har tid" not "har arbeidstid",
#: "ikke råd" not "ikke brukerråd"). Round 13; False switches it off (only to measure it).
HEAD_PHRASE_BLOCKERS: tuple[str, ...] = (
    "på", "i", "til", "for", "med", "av", "om", "fra", "frå", "etter", "ved", "over", "under", "mot",
    "hos", "hjå", "mellom", "gjennom", "innen", "innan", "rundt", "blant", "uten", "utan", "utenfor",
    "utanfor", "har", "ha", "hadde", "er", "var", "vere", "være", "blir", "bli", "vert", "får", "få",
    "fekk", "fikk", "gir", "gi", "gjev", "tar", "ta", "gjør", "gjer", "gjøre", "gjere", "å", "og", "eller",
    # participles: "tatt stilling" (decided) is not "tatt ei sjukepleiarstilling"
    "tatt", "teke", "fått", "hatt", "vært", "vore", "gjort", "gitt", "gjeve",
)
HEADS_END_PHRASES = True

SCOPE_ENDS: tuple[str, ...] = ("for",)

#: "uten"/"utan" is a preposition: it negates what follows it ("uten å miste tilbudet", "brukere uten
#: nettverk"), never the word before it as the other cues do (:data:`REACHES_BACK`): in "kan bytte
#: behandlar utan å miste tilbodet" the change of therapist is there. Exact (its spellings included).
FORWARD_CUES: tuple[str, ...] = ("uten", "utan")

#: The negation reaches back one word: in a main clause the finite verb stands before its
#: negation ("vi kjenner ikke til ordningen", "vi prioriterer ikkje dette", "det trengs ikke"), in a
#: subordinate or inverted clause the subject does ("at pengene ikke strekker til", "i år er
#: budsjettet ikkje stort nok"). It reaches back across one of :data:`SUBJECT_VERBS` (copulas and
#: verbs of sufficiency) to the word before: "økonomien strekker ikke til", "pengane rekk ikkje",
#: "behovet er ikkje kartlagt". Other verbs stop it, so "FACT-teamet har ikke ventetid" keeps FACT,
#: and so do pronouns: "ein verdi vi ikkje får til" is a relative clause, the value is there.
SUBJECT_VERBS: tuple[str, ...] = (
    "er", "var", "blir", "ble", "blei", "vert", "vart", "strekker", "strekk", "rekker", "rekk",
    "holder", "held", "finnes", "fins", "finst", "dekker", "dekkjer", "tillater", "tillet",
)
#: Fixed expressions whose words do not carry their own meaning: "ta stilling til" is to decide,
#: not a post; "etter behov" describes how a service is given, and "det dekker behovet" a need
#: already met, not a need seen. A hit that lies inside
#: one of these (and is shorter than it) is dropped, whatever the rule; a pattern that spells the
#: whole expression ("tatt stilling") still hits.
IDIOMS: tuple[str, ...] = (
    "ta stilling", "tar stilling", "tatt stilling", "tok stilling", "teke stilling", "tek stilling",
    "tatt noen stilling", "teke noka stilling", "etter behov", "ved behov", "ved eventuelt behov",
    # a need that is covered is not a need seen
    "dekke behov", "dekkje behov", "dekt behov", "dekka behov", "dekket behov", "i forhold til", "i stand til",
    "til rette",
    # prepositional "in relation to" and "is connected with": no relation to a person, nobody "saman med" anyone
    # (not Bokmål "henge sammen med": "sammen" is a particle, so the idiom would take every object pronoun
    # and make "de", "dei", "vi" pattern words, costing the shape memo; the codebook says it in an unless)
    "i relasjon til", "henge saman med",
)
#: Particle verbs take an unstressed pronoun object before the particle ("ta opp" → "tatt det
#: opp", "sette seg inn" → "satt oss inn"): a pattern with one of these particles after its first
#: word also meets the phrase with one of :data:`OBJECT_PRONOUNS` before the particle
#: (:func:`with_object_pronouns`). Prepositions ("tenkt på det") keep the pronoun after them.
PARTICLES: tuple[str, ...] = ("opp", "inn", "ut", "ned", "fram", "frem", "bort", "vekk", "igjen",
                              "tilbake", "sammen")
OBJECT_PRONOUNS: tuple[str, ...] = ("det", "dette", "den", "dei", "dem", "de", "oss", "seg", "meg",
                                    "deg", "han", "ho", "henne", "dykk")


def with_object_pronouns(pattern: str) -> tuple[str, ...]:
    """The pattern and its variants with an object pronoun before its first particle.

    >>> with_object_pronouns("tatt opp")[:3]
    ('tatt opp', 'tatt det opp', 'tatt dette opp')
    >>> with_object_pronouns("tenkt på")
    ('tenkt på',)
    """
    words = pattern.split(" ")
    for i, word in enumerate(words[1:], start=1):
        if word in PARTICLES:
            if words[i - 1] in OBJECT_PRONOUNS:
                break
            return (pattern, *(" ".join(words[:i] + [p] + words[i:]) for p in OBJECT_PRONOUNS))
    return (pattern,)


#: A refusal says that what was applied for is not there: "søkte om tilskot, men fekk avslag",
#: "søknaden om prosjektmidler ble avslått". The request and its refusal usually stand in two
#: clauses ("..., men fikk avslag"), so a refusal negates the :data:`REFUSAL_REACH` words before
#: it across clause boundaries (not across a sentence end: sentences are matched one by one), and
#: the rest of its own clause after it ("fikk avslag på søknaden om tilskudd"); see
#: :func:`refusal_scope`. Only words that cannot mean anything else: "fikk ikke" is also "fikk
#: ikke tak i folk" (rekruttering).
REFUSALS: tuple[str, ...] = (
    "avslag", "avslå", "avslått", "avslege", "avslegen", "avvist", "avvise", "fått nei", "fikk nei",
    "fekk nei", "ikke innvilget", "ikkje innvilga", "ikke innvilga", "ikke tildelt", "ikkje tildelt",
    # a grant not won: "fekk ikkje tilslag"
    "ikke tilslag", "ikkje tilslag",
)
REFUSAL_REACH = 6
#: How many clause boundaries back a refusal reaches (within its :data:`REFUSAL_REACH` words).
_REFUSAL_CLAUSES_BACK = 3


def refusal_scope(clause: int, first_word: int, last_clause: int, last_word: int, sentence_start: int = 0
                  ) -> tuple[tuple[int, int, int], ...]:
    """The ``(clause, first word, last word)`` ranges a refusal negates.

    Word indices count words of the whole answer, clause indices its clauses; the refusal spans
    ``first_word`` (in ``clause``) to ``last_word`` (in ``last_clause``), in the sentence that
    starts at word ``sentence_start`` (the reach back stops there).

    >>> refusal_scope(1, 5, 1, 6)  # "Søkte om tilskot i fjor, men fekk avslag"
    ((-2, 0, 4), (-1, 0, 4), (0, 0, 4), (1, 0, 4), (1, 7, 1073741824))
    """
    back = tuple((c, max(first_word - REFUSAL_REACH, sentence_start), first_word - 1)
                 for c in range(clause - _REFUSAL_CLAUSES_BACK, clause + 1))
    return (*back, (last_clause, last_word + 1, 1 << 30))


#: Whether the negation reaches back at all (switched off only to measure it).
REACHES_BACK = True

DIMINISHER_REACH = 2
#: "få" is "few" only after these words (round 13): alone it is far more often the verb "å få"
#: ("å få brukarstemma inn", "vi kan få tilskot"), but "vi har få brukarar", "svært få i
#: målgruppa", "dei få som treng det" are the quantifier, a diminisher like "lite".
QUANTIFIED_FEW: tuple[str, ...] = ("svært", "veldig", "for", "altfor", "så", "ganske", "relativt",
                                   "forholdsvis", "har", "hadde", "er", "var", "bare", "berre", "kun", "med",
                                   "de", "dei")

DIMINISHERS: tuple[str, ...] = (
    "lite", "liten", "lita", "for lite", "svært lite", "veldig lite", "begrenset", "begrensa",
    "begrensede", "avgrensa", "avgrensade", "knapp", "knappe", "knappt", "lav", "lavt", "låg",
    "lågt", "minimal*", "beskjeden", "beskjedne",
    # "hardly": "vi får neppe midlar", "behovet er neppe stort nok"
    "neppe", "knapt",
) + tuple(f"{word} få" for word in QUANTIFIED_FEW)

PREDICATIVE_DIMINISHERS: tuple[str, ...] = tuple(
    f"{verb} {adverb}{word}" for verb in ("er", "var", "blir", "vert")
    for adverb in ("", "svært ", "veldig ", "for ")
    for word in ("lite", "liten", "lita", "begrenset", "begrensa", "begrensede", "avgrensa", "knapp",
                 "knappe", "lavt", "lågt", "små", "minimalt", "neppe", "knapt")
)
#: A predicative diminisher negates its predicate and the subject before its verb, not the whole
#: clause: in "vi har diskutert det og kome fram til at behovet er for lite" the need is small, the
#: discussion took place. The subject runs back from the verb to the word after the last of these (or
#: of :data:`DISMISSAL_BREAKS`) in the clause, or to the clause's start.
SUBJECT_BREAKS: tuple[str, ...] = ("at", "som", "om")
#: Whether a predicative diminisher reaches its subject and predicate only (False: its whole clause;
#: switched off only to measure it).
PREDICATIVE_IS_LOCAL = True

HEDGES: tuple[str, ...] = (
    # conditions
    "dersom", "hvis", "viss", "i tilfelle", "ifall", "eventuelt", "evt", "ev", "ved behov",
    "ved eventuelt behov", "om det er", "om det blir", "om det finnes", "om det finst", "om det kjem",
    "om det kommer", "om vi", "om me", "om dei", "om de", "om behovet", "om det vil", "om det skulle",
    "om det trengs", "om det trengst", "om det trenges",
    # doubt
    "usikker* på om", "usikre på om", "usikkert om", "ikke sikker på om", "ikke sikre på om", "ikke sikkert om",
    "vet ikke om", "veit ikkje om", "vet ikkje om",
    "veit ikke om", "uvisst om", "uklart om", "tvil* på om", "kanskje", "muligens", "moglegvis", "mogelegvis",
    "kan hende", "kan henda", "ikke umulig", "ikkje umogleg", "ikkje umogeleg", "ikkje umuleg",
    "ikke usannsynlig", "ikkje usannsynleg", "kunne tenke", "kunne tenkje", "kunne vurdere", "kunne vurdert",
    "vil vurdere", "vil vurdera", "skal vurdere", "må vurdere", "må vurdera", "ønsker å vurdere",
    "usikker", "usikre", "usikkert", "uvisst", "uklart", "tvilsomt",
    # indirect questions: what is asked about is not stated
    "vet ikke hva", "vet ikke hvordan", "vet ikke hvilke*", "veit ikkje kva", "veit ikkje korleis",
    "veit ikkje kva for", "lurer på", "lurar på", "spørsmål om", "spørsmålet er",
    # a future condition
    "seinere", "senere", "seinare", "på sikt", "i framtida",
    "i fremtiden", "i framtiden", "på et senere tidspunkt", "på eit seinare tidspunkt",
)

#: A condition that opens its sentence governs the main clause after its comma: in "Dersom vi får midler,
#: vil vi innføre FACT" FACT is conditional, not a practice (:func:`main_clause_scope`). Exact words at
#: the sentence's first word: "om" there is a condition ("Om Statsforvaltaren gir oss pengar, blir det
#: truleg ja"), elsewhere mostly a preposition ("samarbeider med DPS om ..."). The condition's own clause
#: is hedged as well, both whole clauses (a comma ends the main clause too: "Dersom vi får midler, vil
#: vi ansette, og vi har allerede et brukerråd" keeps the council firm).
#: An inverted conditional, a finite verb before its subject opening the sentence ("Hadde det vore fleire
#: brukarar, hadde det vore aktuelt", "Var det pengar, ville vi tilsett", "Skulle det bli behov, ...",
#: :data:`INVERTED_CONDITIONS`) is a condition too. Only verb and subject pronoun: a telegraphic note
#: drops its subject ("Hadde møte med NAV i går") and is no condition.
INVERTED_VERBS: tuple[str, ...] = ("hadde", "var", "ble", "blei", "vart", "fikk", "fekk", "kom", "skulle")
#: Not "en"/"ein", also articles: "Hadde en aktuell person, men ..." is a note with its subject dropped.
INVERTED_SUBJECTS: tuple[str, ...] = ("det", "vi", "me", "dei", "de", "eg", "jeg", "man", "dette", "kommunen")
INVERTED_CONDITIONS: tuple[str, ...] = tuple(f"{verb} {subject}" for verb in INVERTED_VERBS
                                             for subject in INVERTED_SUBJECTS)
FRONTED_CONDITIONS: tuple[str, ...] = ("dersom", "hvis", "viss", "ifall", "i tilfelle", "om", "såfremt", "såframt",
                                       "så fremt", "så framt") + INVERTED_CONDITIONS
#: Words that may stand before a fronted condition and leave it fronted: an answer to the closed
#: question ("Nei, men dersom vi får midler, vil vi ansette", "Ja, om det blir behov, ...", "Kanskje,
#: dersom ...", "Jo, viss ...") and a conjunction opening the sentence ("Men hvis vi får tilskudd, ...",
#: "Og om det blir behov, ..."). A condition whose every word before it in its sentence is one of these
#: (exact words) reaches its main clause as one at the sentence's start does.
CONDITION_OPENERS: tuple[str, ...] = ("nei", "ja", "jo", "kanskje", "kan hende", "nja", "tja", "ok", "neida", "jada",
                                      "men", "og", "eller", "så")
#: Whether a fronted condition hedges its main clause (switched off only to measure it).
CONDITIONS_REACH_MAIN_CLAUSE = True


#: Hedges matched exactly: through the lemma "hver", "etter hvert" (in time) would meet "etter hver
#: samtale" (after each session), a routine, the opposite of a hedge.
#: The counterfactual: "det kunne vore nyttig" says what might be, not what is. Exact, because the
#: lemmas of "kan" include "kunne": through them "kunne vært" met the present "kan være", which
#: states a possibility as a fact of the role ("Kan være rollemodeller for dem som står fast").
COUNTERFACTUALS: tuple[str, ...] = tuple(
    f"{modal} {have}{be}" for modal in ("kunne", "kunna") for have in ("", "ha ")
    for be in ("vært", "vore", "vere", "blitt", "vorte")
) + ("kunne bli", "kunna bli", "kunne verte", "kunna verte")
#: A counterfactual stated as seen or believed is a value seen: "vi ser at det kunne vært nyttig",
#: "vi trur det kunne vore bra" (ansette's ``ser_behov``: the value is seen, what is unsure is named
#: apart), while a bare "det kunne vore nyttig, men vi har få brukarar" stays a hedge (the pool's
#: coders gave the doubt there, not the need). A counterfactual whose first word is at most
#: :data:`SEEN_REACH` words after the last word of one of these (exact), in its clause, hedges
#: nothing. "hadde vært/vore" is no counterfactual hedge at all ("Det hadde vore nyttig, men vi har
#: ikkje budsjett": the coders gave the need).
SEEING: tuple[str, ...] = ("ser", "ser at", "sett at", "trur", "tror", "trur at", "tror at", "veit at", "vet at",
                           "meiner", "mener", "tenker", "tenkjer", "synes", "synest", "syns")
SEEN_REACH = 4
EXACT_HEDGES: tuple[str, ...] = ("etter hvert", "etter kvart", "etterhvert", "etterkvart") + COUNTERFACTUALS
#: Phrases inside which an exact hedge hedges nothing: "etter hvert kurs" is after each course.
NOT_HEDGING: tuple[str, ...] = tuple(
    f"{after} {noun}" for after in ("etter hvert", "etter kvart")
    for noun in ("kurs", "møte", "besøk", "opphold", "tiltak", "forløp", "semester", "år", "halvår", "kvartal",
                 "gruppemøte", "treff", "samarbeidsmøte", "ansvarsgruppemøte")
) + (
    # "om" as a preposition before a quantifier: "samarbeider med DPS om de fleste brukerne" (about most of them)
    "om de fleste", "om dei fleste", "om de aller fleste", "om dei aller fleste",
)

#: The verbs of asking (exact: "spørs om det er noko å hente" is a doubt, and through its lemma it would
#: be "spørre"). An "om" at most :data:`ASKED_REACH` words after one of these in its sentence, or after
#: an "om" so asked, opens an embedded question, not a condition: "vi spør etter kvar samtale om vi er
#: på rett spor", "spør brukaren om hjelpa treff", "spør om kva som er viktig, og om vi hjelpte". Its
#: hedges of :data:`HEDGES` ("om vi", "om det er") hedge nothing, like :data:`ASKED_QUESTIONS`.
ASKING_VERBS: tuple[str, ...] = ("spør", "spørre", "spørje", "spørja", "spurte", "spurde", "spurt", "spurd",
                                 "spørres", "spørjast", "spørjer")
ASKED_REACH = 6
#: "Det spørs om ..." is a doubt (whether it is worth it), not a question asked, though its lemma is
#: that of "spør": an asked question of :data:`ASKED_QUESTIONS` opening with one of these (exact) leaves
#: its hedges be ("Spørs om det er noko å hente for oss").
DOUBTFUL: tuple[str, ...] = ("spørs",)

#: An indirect question after a verb of asking is what is asked, not a doubt or a condition:
#: "alle får spørsmål om kva som er viktig for dei", "brukerne blir spurt om de er fornøyde". A
#: hedge whose first word lies inside one of these (lemma patterns: "spurt om" meets "spurte om",
#: "spør om"; "får spørsmål om" meets "fekk spørsmålet om") hedges nothing, like :data:`NOT_HEDGING`.
ASKED_QUESTIONS: tuple[str, ...] = tuple(
    f"{verb} {noun} om" for verb in ("få", "får", "fått", "fikk", "fekk", "stille", "stiller", "stilt", "stilte")
    for noun in ("spørsmål", "spørsmålet")
) + tuple(
    f"{verb}{whom} om" for verb in ("spørre", "spør", "spurt", "spurte", "spørje", "spurd", "spurde", "spørres",
                                    "spørjast")
    for whom in ("", " dei", " dem", " de", " han", " ho", " henne", " bruker", " brukeren", " brukerne",
                 " brukar", " brukaren", " brukarane", " pasient", " pasienten", " pasientene", " pasientane",
                 " folk", " personen", " deltaker", " deltakar", " systematisk", " alltid", " jevnlig", " jamleg")
)

#: Lemma patterns, like :data:`HEDGES`: the forms that state intent. Not bare "ønsker" ("brukerne
#: ønsker det" is a fact) nor "vurdering" ("vurdering av behov" is a practice); "vurderer" is in,
#: so "vi vurderer behovet fortløpende" is hedged too (no training answer says so).
PLANS: tuple[str, ...] = (
    # plans and intentions
    # as lemmas "planlegges"/"planleggast" meet every form of the verb: "vi planlegger KOR" is a plan too;
    # in "er med når vi planlegg kurs" it is the practice: a plan after a SUBORDINATORS word leaves its main clause be
    "planer om", "planar om", "plan om", "planlegger å", "planlegg å", "planlegges", "planleggast",
    "under planlegging", "planlagt innført", "planlagd innført",
    "skal innføre", "skal innføra", "skal ta i bruk", "skal starte", "skal begynne", "skal byrje",
    "har søkt om", "har søkt", "jobber med å få på plass", "jobbar med å få på plass",
    "arbeider med å få på plass", "arbeider med å innføre", "jobber med å innføre", "i ferd med å",
    # wishes
    "ønsker å", "ønskjer å", "ynskjer å", "ønsker vi å", "ønskjer vi å", "ønsker å bli", "ønskjer å bli",
    # wishes for more: "ønsker mer brukermedvirkning" says it is not (yet) there
    "ønsker mer", "ønskjer meir", "ynskjer meir", "ønsker oss mer", "ønskjer oss meir", "ønsker enda mer",
    "vil gjerne ha", "vil gjerne ha mer", "vil gjerne ha meir", "skulle gjerne hatt", "skulle gjerne ha hatt",
    "skulle gjerne hatt mer", "skulle gjerne hatt meir", "skulle ønske vi hadde", "skulle ønskje vi hadde",
    # a wish in any word order: "skulle ønske det var mer", "gjerne skulle hatt", "skulle gjerne vore"
    "skulle ønske", "skulle ønskje", "skulle ynskje", "skulle gjerne ha", "skulle gjerne vært", "skulle gjerne vore",
    # (not bare "skulle hatt": as lemmas it is "skal ha", a fact of the role, "Mennesket skal ha kontrollen")
    "gjerne skulle hatt", "hadde gjerne sett", "ville gjerne hatt",
    # things considered
    "under vurdering",
    # self-criticism: what they should be better at is not what they do
    "kunne vært flinkere", "kunne vore flinkare", "kunne vert flinkare", "burde vært flinkere",
    "burde vore flinkare", "bør bli flinkere", "bør bli flinkare", "må bli flinkere", "må bli flinkare",
    "kunne vært bedre", "kunne vore betre",
)


#: A completed consideration ("har vurdert FACT", "har vurdert å tilsetje") hedges what it governs,
#: like :data:`PLANS`, but only to the end of its own conjunct: in "vi har vurdert det grundig og ser at
#: vi ikke har stillinger å tilby" the finding after "og" is firm. (Lemma patterns, as PLANS.)
#: Considering now, matched exactly: as lemma patterns "vurderer" met "vurdert" and "vurdere" too
#: (both have the lemma "vurdere"), so a completed consideration hedged its whole clause as a plan.
CONSIDERING: tuple[str, ...] = ("vurderer", "vurderar", "vurderer å", "vurderar å", "vurderes", "vurderast")
#: Passive: "FACT er vurdert, men vi er for små", "Brukarundersøking er planlagd", "det er søkt om midlar".
#: What was considered is the subject, before the cue: the conjunct from its start is hedged (lemma
#: patterns: "er vurdert" meets "var vurdert", "blir vurdert"). Not "er diskutert", "er drøfta":
#: "tilbakemeldingane er drøfta i teamet" is the practice of discussing feedback.
PASSIVE_CONSIDERED: tuple[str, ...] = (
    "er vurdert", "er blitt vurdert", "er vorte vurdert", "har vært vurdert", "har vore vurdert", "ble vurdert",
    "blei vurdert", "vart vurdert", "er vurdera", "er planlagt", "er planlagd", "er søkt om", "er søkt",
)
CONSIDERED: tuple[str, ...] = ("har vurdert", "har vurdert å", "hadde vurdert", "har vurdera", "har vurdera å",
                               ) + PASSIVE_CONSIDERED
#: Talking or thinking about doing something is a plan (exact: "snakka om å innføre KOR" was talked of,
#: while the present "vi snakker om å mestre hverdagen" may be the practice itself, so only the past and
#: the perfect of talking; thinking is a plan in any tense). Only before an infinitive ("om å", "på å"):
#: "vi snakker om drømmer", "det er snakk om to-tre personer" state a practice or a number.
DISCUSSED: tuple[str, ...] = tuple(
    f"{verb} om å" for verb in ("snakket", "snakka", "pratet", "prata", "snakk", "tanken", "tanke")
) + tuple(
    f"{verb} {prep}å" for verb in ("diskutert", "diskuterte", "diskutera", "drøftet", "drøfta", "drøftete")
    for prep in ("", "om ")
) + tuple(
    f"{verb} {prep}å" for verb in ("tenkt", "tenker", "tenkjer", "tenkte") for prep in ("", "på ")
) + tuple(f"{verb} på {chance} for å" for verb in ("ser", "sett", "sjekker", "sjekka", "sjekket")
          for chance in ("muligheten", "mulighetene", "moglegheita", "moglegheitene", "moglegheiten"))

#: Whether a consideration of :data:`CONSIDERED` ends at the next coordinating conjunction (False:
#: it hedges the rest of its clause, as a plan; switched off only to measure it).
CONSIDERED_IS_CONJUNCT = True

#: A plan cue in a subordinate clause of time or place ("brukarrepresentantar er med når vi planlegg
#: kurs", "møta der vi planlegg tilbodet") or in a relative clause ("brukarane som planlegg kurset")
#: describes what is done: the planning is the practice, so the main clause before the subordinator
#: is not hedged. Such a plan hedges from its subordinator on, not from the start of its conjunct. A
#: subordinator (these, or :data:`RELATIVE_MARKERS`) counts at most :data:`SUBORDINATE_REACH` words
#: before the plan ("når vi planlegg", "når brukar og vi planlegg"), with no conjunction between; a
#: "som" after a cleft ("det er ein erfaringskonsulent som vi planlegg å tilsetje", :data:`CLEFTS`)
#: leaves the head planned.
SUBORDINATORS: tuple[str, ...] = ("når", "der", "hvor")
SUBORDINATE_REACH = 3
#: Whether a plan in a subordinate clause stops at its subordinator (switched off only to measure it).
PLANS_STOP_AT_SUBORDINATOR = True


def subordinate_start(first_word: int, subordinators: Sequence[int], breaks: Sequence[int] = (),
                      relatives: Sequence[int] = (), cleft_ends: Sequence[int] = ()) -> int:
    """The first word a plan cue starting at ``first_word`` may hedge, given its clause's words.

    ``subordinators`` and ``relatives`` are the word indices of :data:`SUBORDINATORS` and
    :data:`RELATIVE_MARKERS` in the plan's clause, ``breaks`` its coordinating conjunctions and
    ``cleft_ends`` the last words of its :data:`CLEFTS`. Returns the nearest subordinator at most
    :data:`SUBORDINATE_REACH` words before the plan with no conjunction between (a relative one not
    right after a cleft), or -1 when the plan stands in its main clause.

    >>> subordinate_start(5, subordinators=(3,))  # "Brukarrepresentantar er med når vi planlegg kurs"
    3
    >>> subordinate_start(5, subordinators=(), relatives=(3,), cleft_ends=(1,))  # "det er X som vi planlegg"
    -1
    """
    near = [w for w in subordinators if 0 < first_word - w <= SUBORDINATE_REACH]
    near += [w for w in relatives if 0 < first_word - w <= SUBORDINATE_REACH
             and not any(0 <= w - e <= CLEFT_REACH for e in cleft_ends)]
    near = [w for w in near if not any(w < b < first_word for b in breaks)]
    return max(near, default=-1)


def plan_scope(clause: int, first_word: int, last_word: int, breaks: Sequence[int] = (),
               conjunct: bool = False) -> tuple[int, int, int, int, int]:
    """The ``(clause, first, last, cue first, cue last)`` range a plan cue hedges, but its own words.

    The cue spans words ``first_word`` to ``last_word`` of ``clause`` (word indices of the whole
    answer); ``breaks`` are the words of that clause that are coordinating conjunctions. The range
    runs from the word after the last break before the cue to the end of the clause (``conjunct``:
    to the word before the next break after the cue); a hit that starts on the cue's own words is
    not hedged by it.

    >>> plan_scope(0, 4, 4, breaks=(2,))  # "Vi bruker FIT og planlegger KOR"
    (0, 3, 1073741824, 4, 4)
    """
    start = max((b + 1 for b in breaks if b < first_word), default=0)
    end = min((b - 1 for b in breaks if b > last_word), default=1 << 30) if conjunct else 1 << 30
    return (clause, start, end, first_word, last_word)


#: Whether a hedge or doubt of :data:`HEDGES` governs only its own conjunct
#: (:func:`conjunct_scope`) instead of its whole clause (switched off only to measure it).
HEDGES_BY_CONJUNCT = True


def conjunct_scope(clause: int, word: int, breaks: Sequence[int] = ()) -> tuple[int, int, int, int, int]:
    """The range a hedge of :data:`HEDGES` starting at ``word`` hedges, in :func:`plan_scope`'s form.

    A condition or doubt governs its own conjunct: the words of its clause from the last
    coordinating conjunction before it (``breaks``) to the next one after it. In "økonomien er
    usikker og vi har ingen ledige hjemler" the posts are firm, in "behovet er usikkert" the need is
    hedged, and "usikre på om det er behov og om vi har råd" hedges both, since the second
    conjunct has its own hedge. Unlike a plan its own words are hedged too, so "om behovet blir
    større" is a hedged need.

    >>> conjunct_scope(0, 2, breaks=(3,))  # "økonomien er usikker og vi har ingen ledige hjemler"
    (0, 0, 2, -1, -1)
    >>> plan_hedged([conjunct_scope(0, 2, breaks=(3,))], 0, 0), plan_hedged([conjunct_scope(0, 2, breaks=(3,))], 0, 6)
    (True, False)
    """
    start = max((b + 1 for b in breaks if b < word), default=0)
    end = min((b - 1 for b in breaks if b > word), default=1 << 30)
    return (clause, start, end, -1, -1)


def plan_hedged(ranges: Sequence[tuple[int, int, int, int, int]], clause: int, word: int) -> bool:
    """Whether a hit in ``clause`` starting at ``word`` lies in one of :func:`plan_scope`'s ranges.

    >>> plan_hedged([plan_scope(0, 4, 4, breaks=(2,))], 0, 1), plan_hedged([(0, 3, 1 << 30, 4, 4)], 0, 5)
    (False, True)
    """
    return any(c == clause and first <= word <= last and not cue_first <= word <= cue_last
               for c, first, last, cue_first, cue_last in ranges)


CUE_SPELLINGS: tuple[frozenset[str], ...] = (
    frozenset({"ikke", "ikkje", "ikkj", "ikk", "ikek", "ike", "ikkke", "ikkej", "ikje", "itj", "ittj",
               "'kke", "’kke", "kke", "kje", "ikkee", "ikkie", "ikkjee"}),
    frozenset({"ingen", "inga", "ingi", "ingeen", "ingn"}),
    frozenset({"ingenting", "inkje"}),
    frozenset({"aldri", "aldir"}),
    frozenset({"uten", "utan"}),
    frozenset({"verken", "hverken", "korkje", "kverken"}),
)

_SPELLINGS = {form: family for family in CUE_SPELLINGS for form in family}


def cue_spellings(word: str) -> frozenset[str]:
    """All spellings of the negation word ``word`` (lowercase), or just ``word``.

    >>> sorted(cue_spellings("inga"))
    ['inga', 'ingeen', 'ingen', 'ingi', 'ingn']
    >>> cue_spellings("behov")
    frozenset({'behov'})
    """
    return _SPELLINGS.get(word, frozenset({word}))
