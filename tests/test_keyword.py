"""Keyword rules on real Norwegian answers: exact spans, negation, proximity, unless, modes."""

from __future__ import annotations

import csv
import functools
import json
import pickle
from pathlib import Path

import pytest

from fritekst.errors import PatternError
from fritekst.rules.keyword import Hit, KeywordMatcher, KeywordRuleSpec
from fritekst.language.analyzer import TRIPLED_LETTER, Analyzer, get_default_analyzer
from fritekst.language.cues import (
    CLEFT_REACH,
    CLEFTS,
    DIMINISHER_REACH,
    DIMINISHERS,
    DISMISSAL_BREAKS,
    DISMISSAL_HEADS,
    DISMISSAL_REACH,
    DISMISSALS,
    IDIOMS,
    NOT_NEGATING,
    PREDICATIVE_DIMINISHERS,
    RELATIVE_MARKERS,
    RELATIVE_REACH,
    SCOPE_ENDS,
    SUBJECT_BREAKS,
    SUBJECT_VERBS,
    cue_spellings,
    with_object_pronouns,
)
from fritekst.language.standards import other_spellings
from fritekst.rules.patterns import PatternWord, parse_pattern

DATA = Path(__file__).parent / "data" / "keyword"
R = KeywordRuleSpec


@pytest.fixture(scope="session")
def analyzer() -> Analyzer:
    return get_default_analyzer()


# (rule, answer, expected spans as (start, end, covered text))
CASES = [
    # lemma mode: inflection in Bokmål and Nynorsk, never inside a compound
    (R("r", "c", ["stilling"]), "Vi har tre stillingar og stillingen er ny, men ingen stillingsprosent.",
     [(11, 21, "stillingar"), (25, 35, "stillingen")]),
    (R("r", "c", ["ledige stillinger"]), "Ingen ledige stillingar. Ledig stilling? ledige,\nstillinger",
     [(6, 23, "ledige stillingar"), (25, 39, "Ledig stilling")]),
    # a word meets its spelling in the other written standard (fritekst.language.standards)
    (R("r", "c", ["teneste"]), "Tenestene er gode; tjenesten er ny.", [(0, 9, "Tenestene"), (19, 28, "tjenesten")]),
    (R("r", "c", ["teneste"], match="exact"), "Tenestene er gode; tjenesten er ny.", []),
    (R("r", "c", ["budsjett"]), "Budsjettet er stramt, budsjettsituasjonen vanskelig", [(0, 10, "Budsjettet")]),
    # wildcards, tested on the surface form and the lemmas; ALL-CAPS
    (R("r", "c", ["økonomi*"]), "ØKONOMIEN er trang, kommuneøkonomi og økonomisk støtte",
     [(0, 9, "ØKONOMIEN"), (38, 47, "økonomisk")]),
    (R("r", "c", ["*situasjon"]), "budsjettsituasjonen er vanskelig, situasjonen uklar",
     [(0, 19, "budsjettsituasjonen"), (34, 45, "situasjonen")]),
    (R("r", "c", ["*tilbud*"]), "Lavterskeltilbudet og tilbud og tilbudene, botilbudsløsning",
     [(0, 18, "Lavterskeltilbudet"), (22, 28, "tilbud"), (32, 41, "tilbudene"), (43, 59, "botilbudsløsning")]),
    # typos are not corrected
    (R("r", "c", ["erfaringskonsulent*"]), "Vi har ein erfaringskonsulnet (typo) og to erfaringskonsulentar",
     [(43, 63, "erfaringskonsulentar")]),
    # hyphen compounds: the whole token and each part
    (R("r", "c", ["fact", "team*"]), "FACT-teamet og ACT team samarbeider",
     [(0, 4, "FACT"), (5, 11, "teamet"), (19, 23, "team")]),
    (R("r", "c", ["fact*"]), "FACT-teamet og FACT", [(0, 11, "FACT-teamet"), (15, 19, "FACT")]),
    (R("r", "c", ["nav"]), "NAV-kontoret og NAV samarbeider med navkontoret", [(0, 3, "NAV"), (16, 19, "NAV")]),
    (R("r", "c", ["recovery orientert"]), "Vi jobber recovery-orientert og recovery orientert.",
     [(10, 28, "recovery-orientert"), (32, 50, "recovery orientert")]),
    # (a negation word stands for all its spellings: "ikke" meets "ikkje")
    (R("r", "c", ["ikke lovpålagt"]), "Det er ikke-lovpålagt, ikke lovpålagt og ikkje lovpålagt.",
     [(7, 21, "ikke-lovpålagt"), (23, 37, "ikke lovpålagt"), (41, 56, "ikkje lovpålagt")]),
    # phrases: only whitespace between the words, punctuation breaks them
    (R("r", "c", ["ikke råd"]), "Vi har ikke råd. IKKE RÅD! ikke, råd", [(7, 15, "ikke råd"), (17, 25, "IKKE RÅD")]),
    (R("r", "c", ["hva er viktig for deg"]), "«Hva er viktig for deg?» spør vi. Hva er viktig, for deg?",
     [(1, 22, "Hva er viktig for deg")]),
    # exact mode: lowercase surface form only
    (R("r", "c", ["ledige stillinger"], match="exact"), "LEDIGE STILLINGER, ledige stillingar, ledig stilling",
     [(0, 17, "LEDIGE STILLINGER")]),
    (R("r", "c", ["stilling*"], match="exact"), "Stillingen og stillingar", [(0, 10, "Stillingen"), (14, 24, "stillingar")]),
    (R("r", "c", ["*tenesta"], match="exact"), "Tenesta og helsetenesta, helsetenestene", [(0, 7, "Tenesta"), (11, 23, "helsetenesta")]),
    # negation in the same clause
    (R("r", "c", ["stilling"], negation="require"), "Vi har ikkje stillingar, men stillinga er fin.", [(13, 23, "stillingar")]),
    (R("r", "c", ["stilling"], negation="forbid"), "Vi har ikkje stillingar, men stillinga er fin.", [(29, 38, "stillinga")]),
    (R("r", "c", ["midler"], negation="require"), "Mangler midler\nmidler finst", [(8, 14, "midler")]),
    (R("r", "c", ["midler"], negation="require"), "Vi har aldri fått midler; midler kom seinere", [(18, 24, "midler")]),
    (R("r", "c", ["midler"], negation="require"), "Vi har  ikke midler\n\nmidler  finst,  midler", [(13, 19, "midler")]),
    (R("r", "c", ["midler"], negation="forbid"), "Vi har  ikke midler\n\nmidler  finst,  midler", [(21, 27, "midler"), (37, 43, "midler")]),
    (R("r", "c", ["midlar"], negation="require"), "Kommunen manglar midlar fordi midlar gjekk til anna", [(17, 23, "midlar")]),
    (R("r", "c", ["lovpålagt*"], negation="require"), "ikke-lovpålagte tiltak", [(5, 15, "lovpålagte")]),
    # a cue inside the hit counts
    (R("r", "c", ["ikke aktuelt"], negation="require"), "Ikke aktuelt.", [(0, 12, "Ikke aktuelt")]),
    # proximity: at most `within` words apart, punctuation not counted, either side
    (R("r", "c", ["erfaringskonsulent*"], near=["ansatt*", "tilsett*"], within=3),
     "Vi har ansatt en erfaringskonsulent. Erfaringskonsulenten er dyktig. Vi har ikke lyst til å ansette erfaringskonsulenter.",
     [(17, 35, "erfaringskonsulent"), (37, 57, "Erfaringskonsulenten")]),
    (R("r", "c", ["erfaringskonsulent*"], near=["ansatt*"], within=3),
     "Vi har ansatt en ny, svært dyktig erfaringskonsulent.", []),
    (R("r", "c", ["erfaringskonsulent*"], near=["tilsett"], within=1),
     "Erfaringskonsulenten, tilsett i fjor", [(0, 20, "Erfaringskonsulenten")]),
    (R("r", "c", ["erfaringskonsulent*"], near=["fast ansatt"], within=2),
     "erfaringskonsulenten er fast ansatt", [(0, 20, "erfaringskonsulenten")]),
    (R("r", "c", ["erfaringskonsulent*"], near=["fast ansatt"], within=1),
     "erfaringskonsulenten er fast ansatt", []),
    # unless: anywhere in the answer
    (R("r", "c", ["budsjett*"], unless=["ikke aktuelt"]), "Budsjettet er trangt. Ikke aktuelt.", []),
    (R("r", "c", ["budsjett*"], unless=["ikke aktuelt"]), "Budsjettet er trangt. Aktuelt.", [(0, 10, "Budsjettet")]),
    # empty and whitespace-only answers
    (R("r", "c", ["nei"]), "", []),
    (R("r", "c", ["nei"]), " \n ", []),
]


@pytest.mark.parametrize(("rule", "text", "expected"), CASES)
def test_rule_spans(rule: KeywordRuleSpec, text: str, expected: list[tuple[int, int, str]]) -> None:
    # the literal semantics: compound heads and typo matching have their own tables below
    hits = KeywordMatcher([rule], compounds=False, typos=False).match(text)
    assert [(h.start, h.end, text[h.start : h.end]) for h in hits] == expected
    assert all(h.code_id == "c" and h.rule_id == "r" for h in hits)


def test_one_hit_per_rule_and_span_overlaps_of_rules_kept() -> None:
    matcher = KeywordMatcher(
        [
            R("bred", "okonomi", ["økonomi*", "økonomien", "trang økonomi"]),
            R("smal", "okonomi", ["trang økonomi"]),
            R("annen", "ressurser", ["økonomi"], negation="forbid"),
        ]
    )
    assert matcher.match("Trang økonomien i år") == [
        Hit("okonomi", "bred", 0, 15),
        Hit("okonomi", "smal", 0, 15),
        Hit("okonomi", "bred", 6, 15),
        Hit("ressurser", "annen", 6, 15),
    ]


def test_match_many_and_pickle() -> None:
    matcher = KeywordMatcher([R("r", "c", ["ledige stillinger"], near=["ingen"], negation="require")])
    texts = ["Ingen ledige stillingar.", "Ledige stillinger finst", ""]
    expected = [[Hit("c", "r", 6, 23)], [], []]
    assert matcher.match_many(texts) == expected
    clone = pickle.loads(pickle.dumps(matcher))
    assert clone.match_many(texts) == expected
    assert len(pickle.dumps(matcher)) < 1000  # only the specs travel to worker processes


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        (R("r1", "c", ["ikke råd"], negation="forbid"),
         'rule "r1": keyword "ikke råd" contains the negation cue "ikke", so negation: forbid can never let it fire; drop the cue from the keyword or set negation: any'),
        (R("r2", "c", ["økonomi**"]),
         'rule "r2", keywords: invalid pattern "økonomi**": "økonomi**" has a doubled "*"; use a single "*", e.g. "økonomi*"'),
        (R("r3", "c", ["stilling"], near=["*"]),
         'rule "r3", near: invalid pattern "*": "*" alone is not a word; put letters with it, e.g. "økonomi*"'),
        (R("r4", "c", ["stilling"], unless=["ikke  aktuelt"]),
         'rule "r4", unless: invalid pattern "ikke  aktuelt": it has two spaces in a row; separate words with single spaces'),
        (R("r5", "c", []), 'rule "r5": has no keywords; add at least one, e.g. keywords: ["økonomi*"]'),
        (R("r6", "c", ["x"], within=-1), 'rule "r6": within is -1; expected a whole number of words from 1 to 50, e.g. 5'),
        (R("r7", "c", ["x"], negation="no"), "rule \"r7\": negation is 'no'; expected any, require or forbid"),  # type: ignore[arg-type]
        (R("r8", "c", ["x"], match="fuzzy"), "rule \"r8\": match is 'fuzzy'; expected lemma or exact"),  # type: ignore[arg-type]
    ],
)
def test_invalid_rules(rule: KeywordRuleSpec, message: str) -> None:
    with pytest.raises(PatternError) as info:
        KeywordMatcher([R("ok", "c", ["stilling"]), rule])
    assert str(info.value) == message


# --- agreement with a slow, obviously-correct reference on a sample corpus ----------------------


@functools.cache
def _word_ok(analyzer: Analyzer, word: PatternWord, mode: str, lower: str, lemmas: frozenset[str]) -> bool:
    forms = lemmas if mode == "lemma" else {lower}
    if word.kind == "word":
        spellings = cue_spellings(word.text)  # a negation word stands for all its spellings
        if mode == "lemma":  # ... and a word its spelling in the other written standard
            return any(analyzer.lemmas(spelling) & lemmas for spelling in spellings | other_spellings(word.text))
        return lower in spellings
    if word.kind == "prefix":
        stems = {word.text} | (other_spellings(word.text) if mode == "lemma" else set())
        return any(f.startswith(stem) for f in forms for stem in stems)
    if word.kind == "suffix":
        return any(f.endswith(word.text) for f in forms)
    return any(word.text in f for f in forms)


@functools.cache
def _parsed(source: str) -> tuple[PatternWord, ...]:
    return parse_pattern(source).words


def _reference(analyzer: Analyzer, rules: list[KeywordRuleSpec], text: str) -> list[Hit]:
    # positions: tokens, with hyphenated tokens replaced by their parts
    positions = []  # (lower, lemmas, start, end, is_punct, clause, is_cue, word index)
    units = []  # (p0, p1, lower, lemmas, start, end, whole unit or None)
    word = 0
    for tok in analyzer.analyze(text):
        if tok.parts:
            p0 = len(positions)
            whole = (p0, p0 + len(tok.parts), tok.lower, tok.lemmas, tok.start, tok.end, None)
            units.append(whole)
            for part in tok.parts:
                positions.append((part.lower, part.lemmas, part.start, part.end, False, tok.clause, part.is_negation_cue, word))
                units.append((len(positions) - 1, len(positions), part.lower, part.lemmas, part.start, part.end, whole))
                word += 1
        else:
            positions.append((tok.lower, tok.lemmas, tok.start, tok.end, tok.is_punct, tok.clause, tok.is_negation_cue, word))
            if not tok.is_punct:
                units.append((len(positions) - 1, len(positions), tok.lower, tok.lemmas, tok.start, tok.end, None))
                word += 1
    # cues: (clause, word, whole clause); a cue reaches its whole clause when it is a lack word
    # or no word follows it in its clause
    cues = []
    for k, p in enumerate(positions):
        if not p[6]:
            continue
        rest = [q for q in positions[k + 1 :] if q[5] == p[5] and not q[4]]
        cues.append((p[5], p[7], analyzer.is_lack_cue(p[0]) or not rest))

    starting_at: dict[int, list[tuple]] = {}
    for u in units:
        starting_at.setdefault(u[0], []).append(u)

    def word_ok(word: PatternWord, mode: str, lower: str, lemmas: frozenset[str]) -> bool:
        # a form with a tripled letter is also read with two ("grunnnar")
        fixed = TRIPLED_LETTER.sub(r"\1\1", lower)
        return _word_ok(analyzer, word, mode, lower, lemmas) or (
            fixed != lower and _word_ok(analyzer, word, mode, fixed, analyzer.lemmas(fixed)))

    def occurrences(source: str, mode: str) -> list[tuple[tuple, tuple]]:
        # "tatt opp" also meets "tatt det opp"
        return [o for variant in with_object_pronouns(source) for o in literal(variant, mode)]

    def literal(source: str, mode: str) -> list[tuple[tuple, tuple]]:
        words = _parsed(source)
        found = []
        for u in units:
            if not word_ok(words[0], mode, u[2], u[3]):
                continue
            whole = u[6]
            if whole is not None and word_ok(words[0], mode, whole[2], whole[3]):
                continue  # the whole hyphenated token takes this pattern
            ends = [u]
            for w in words[1:]:
                ends = [v for e in ends for v in starting_at.get(e[1], ()) if word_ok(w, mode, v[2], v[3])]
            found += [(u, e) for e in ends[:1]]
        return found

    def clause(u: tuple) -> int:
        return positions[u[0]][5]

    def word_of(u: tuple, last: bool) -> int:
        return positions[u[1] - 1 if last else u[0]][7]

    cancelled = {w for t in NOT_NEGATING for a, b in occurrences(t, "lemma")
                 for w in range(word_of(a, False), word_of(b, True) + 1)}
    dismissed = {clause(x) for t in DISMISSALS for a, b in occurrences(t, "exact") for x in (a, b)}
    # a word of lack in a relative clause ("brukere som mangler nettverk") does not reach the head,
    # unless a cleft ("det er kompetanse som mangler") ends at most CLEFT_REACH words before the "som"
    relatives = [(clause(a), word_of(a, False)) for t in RELATIVE_MARKERS for a, _ in occurrences(t, "exact")]
    clefts = [(clause(b), word_of(b, True)) for t in CLEFTS for _, b in occurrences(t, "exact")]
    cues = [(c, w, whole and not any(rc == c and 0 < w - s <= RELATIVE_REACH
                                     and not any(cc == c and 0 <= s - e <= CLEFT_REACH for cc, e in clefts)
                                     for rc, s in relatives)) for c, w, whole in cues]
    # "ikke X som er problemet" dismisses X's clause
    breaks = [(clause(a), word_of(a, False)) for t in DISMISSAL_BREAKS for a, _ in occurrences(t, "exact")]
    dismissed |= {clause(a) for t in DISMISSAL_HEADS for a, _ in occurrences(t, "exact")
                  if any(c == clause(a) and 0 < word_of(a, False) - w <= DISMISSAL_REACH and not whole and w not in cancelled
                         and not any(bc == c and w < bw < word_of(a, False) for bc, bw in breaks)
                         for c, w, whole in cues)}
    # a cue's phrase ends before a "for" at least two words after it
    stops = [(clause(a), word_of(a, False)) for t in SCOPE_ENDS for a, _ in occurrences(t, "exact")]
    ends = {(c, w): min([s - 1 for sc, s in stops if sc == c and s > w + 1], default=1 << 30) for c, w, _ in cues}
    # "lite kunnskap": a diminisher negates the next DIMINISHER_REACH words
    short = [(clause(b), word_of(b, True) + 1, word_of(b, True) + DIMINISHER_REACH)
             for t in DIMINISHERS for _, b in occurrences(t, "exact")]
    # "behovet er lite": a predicative diminisher negates its predicate and its subject, back from the
    # verb to the word after "at", "som", "om", "og", "eller", "samt" or to the clause's start
    subject_breaks = [(clause(a), word_of(a, False)) for t in SUBJECT_BREAKS + DISMISSAL_BREAKS
                      for a, _ in occurrences(t, "exact")]
    short += [(clause(a), max((w + 1 for c, w in subject_breaks if c == clause(a) and w < word_of(a, False)), default=0),
               word_of(b, True) + DIMINISHER_REACH)
              for t in PREDICATIVE_DIMINISHERS for a, b in occurrences(t, "exact")]
    # the word before a cue is negated, across a copula or verb of sufficiency the word before that
    verbs = {(clause(a), word_of(a, False)) for t in SUBJECT_VERBS for a, _ in occurrences(t, "exact")}
    short += [(c, w - 2 if (c, w - 1) in verbs else w - 1, w - 1) for c, w, whole in cues
              if not whole and w not in cancelled]
    idioms = [(a[4], b[5]) for t in IDIOMS for a, b in occurrences(t, "lemma")]

    def negated(u: tuple, last: int) -> bool:
        return any(c == clause(u) and w not in cancelled and (whole or w <= last <= ends[(c, w)])
                   for c, w, whole in cues) or any(c == clause(u) and lo <= last <= hi for c, lo, hi in short)

    hits = set()
    for rule in rules:
        if any(occurrences(p, rule.match) for p in rule.unless):
            continue
        near = [o for p in rule.near for o in occurrences(p, rule.match)]
        for keyword in rule.keywords:
            for a, b in occurrences(keyword, rule.match):
                if clause(a) in dismissed or clause(b) in dismissed:
                    continue
                last = word_of(b, True)
                neg = negated(a, last) or negated(b, last)
                if rule.negation == "require" and not neg or rule.negation == "forbid" and neg:
                    continue
                if rule.near:
                    lo, hi = word_of(a, False), word_of(b, True)
                    dists = [max(word_of(c, False) - hi, lo - word_of(d, True), 0) for c, d in near]
                    if not dists or min(dists) > rule.within:
                        continue
                if any(lo <= a[4] and b[5] <= hi and b[5] - a[4] < hi - lo for lo, hi in idioms):
                    continue  # inside a fixed expression ("tatt stilling til")
                hits.add(Hit(rule.code_id, rule.rule_id, a[4], b[5]))
    return sorted(hits, key=lambda h: (h.start, h.end, h.code_id, h.rule_id))


@pytest.fixture(scope="module")
def sample() -> tuple[list[str], dict[str, list[str]]]:
    with (DATA / "sample_answers.csv").open(encoding="utf-8") as f:
        texts = [row["text"] for row in csv.DictReader(f)]
    codes = json.loads((DATA / "bench_dict.json").read_text(encoding="utf-8"))["codes"]
    return texts, codes


@pytest.mark.parametrize("mode", ["lemma", "exact"])
def test_agrees_with_reference_on_sample_corpus(analyzer: Analyzer, sample, mode: str) -> None:
    texts, codes = sample
    items = list(codes.items())
    rules = [R(f"{c}_kw", c, pats, match=mode) for c, pats in items]
    rules += [R(f"{c}_neg", c, pats, match=mode, negation="require") for c, pats in items[::4]]
    rules += [R(f"{c}_near", c, pats, match=mode, near=["vi", "kommune*", "*tjeneste*"], within=2) for c, pats in items[1::4]]
    rules += [
        R(f"{c}_pos", c, [p for p in pats if not any(analyzer.is_negation_cue(w) for w in p.split())] or ["nei"],
          match=mode, negation="forbid", unless=["ikke aktuelt", "nei"])
        for c, pats in items[2::4]
    ]
    texts = texts[:80] + ["FACT-teamet og recovery-orientert, ikke-lovpålagt IPS-metoden", "NAV-kontoret\nmangler  midler",
                          "Brukere som mangler nettverk og midler", "Det er midler som mangler i kommunen"]
    matcher = KeywordMatcher(rules, analyzer, compounds=False, typos=False)
    got = matcher.match_many(texts)
    total = 0
    for text, hits in zip(texts, got):
        assert hits == _reference(analyzer, rules, text), text
        total += len(hits)
    assert total > 300  # the sample really exercises the rules
