"""Which words of an answer stand in a negation or a hedge: the classifier's scope marks.

A bag of words sees "vi har ikke FACT-team" and "vi har FACT-team" as nearly the same answer, and
"om det blir behov" as an answer about a need. :class:`~fritekst.rules.features.FeatureSpace` with
``scope`` set gives every word inside a negation or a hedge a second word feature beside its own
(``¬team``, ``?behov``), so a classifier can learn per code whether the negated or hedged mention
still means the code ("ingen midler" *is* ``okonomi``; "ikkje FACT" is not ``modeller``), while the
plain feature keeps what the two mentions share.

The scope is deliberately simpler than the keyword matcher's (:mod:`fritekst.rules.keyword_scope`),
because it must be cheap for every word of every answer and needs no rule to anchor it; it reads
the same cue tables (:mod:`fritekst.language.cues`, :mod:`fritekst.language.analyzer`):

* a clause ends at clause punctuation (``. , ; : ! ? …`` and free-standing dashes) and before a
  clause conjunction ("men", "fordi", ...);
* a negation cue ("ikke", "ingen", "aldri", ...) negates the rest of its clause and the one word
  before it (the finite verb of a main clause, the subject of a subordinate one); followed by
  "bare", "berre", "kun", "minst" ("ikke bare X") it negates nothing;
* a cue of lack ("mangler", "manglande") negates its whole clause, unless a negation follows it
  ("mangler ikke": a double negation);
* a diminisher ("lite", "begrenset", "knappe", ...) negates the next two words;
* a hedge (the single-word entries of :data:`~fritekst.language.cues.HEDGES`, "om" opening a
  clause or after "på", and "vurderer"/"planlegger") hedges its whole clause.

A cue word itself is never marked.

Examples
--------
>>> scope_marks("Vi har ikke FACT-team, men gode erfaringer")
[0, 1, 0, 1, 1, 0, 0, 0]
>>> scope_marks("Ikke bare økonomi")
[0, 0, 0]
>>> scope_marks("Dersom det blir behov")
[0, 2, 2, 2]
"""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["scope_marks", "NEGATED", "HEDGED", "SCOPES", "MARKERS"]

#: Bits of a word's mark.
NEGATED, HEDGED = 1, 2
#: ``FeatureSpace(scope=...)`` values and the marks each one sets.
SCOPES: dict[str, int] = {"none": 0, "negation": NEGATED, "hedge": HEDGED, "both": NEGATED | HEDGED}
#: Prefix of the feature a marked word adds, per bit.
MARKERS: dict[int, str] = {NEGATED: "¬", HEDGED: "?"}

# Words (as TOKEN_RE in features finds them) and the clause punctuation between them.
_TOKEN_RE = re.compile(r"(\w+)|[.,;:!?…–—]|(?<!\w)-(?!\w)")
_NOT_NEGATING_NEXT = frozenset({"bare", "berre", "bara", "kun", "minst", "utelukkende", "utelukkande"})
_DIMINISHER_REACH = 2
_HEDGE_OPENERS = frozenset({"det", "vi", "me", "dei", "de", "behovet", "man", "ein", "en"})
_PLAN_WORDS = frozenset({"vurderer", "vurderar", "planlegger", "planlegg", "planlegges", "planleggast"})


@lru_cache(maxsize=1)
def _cues() -> tuple[frozenset[str], tuple[str, ...], frozenset[str], tuple[str, ...]]:
    """Single-word diminishers and hedges from the cue tables: exact words and ``*`` prefixes."""
    from ..language.cues import DIMINISHERS, HEDGES

    def split(entries: tuple[str, ...]) -> tuple[frozenset[str], tuple[str, ...]]:
        single = [e for e in entries if " " not in e]
        return (frozenset(e for e in single if "*" not in e),
                tuple(e.rstrip("*") for e in single if e.endswith("*") and "*" not in e[:-1]))

    diminish, diminish_prefixes = split(DIMINISHERS)
    hedge, hedge_prefixes = split(HEDGES)
    return diminish | frozenset(diminish_prefixes), hedge_prefixes, hedge | _PLAN_WORDS, diminish_prefixes


def scope_marks(text: str, kinds: int = NEGATED | HEDGED) -> list[int]:
    """One mark per word of ``text`` (``\\w+`` runs of its lower-case form): 0, NEGATED, HEDGED or both.

    ``kinds`` chooses which scopes are marked (a bit mask of :data:`NEGATED` and :data:`HEDGED`).
    """
    from ..language.analyzer import CLAUSE_CONJUNCTIONS, get_default_analyzer

    analyzer = get_default_analyzer()
    diminishers, hedge_prefixes, hedges, diminisher_prefixes = _cues()
    words: list[str] = []
    clauses: list[list[int]] = [[]]
    for match in _TOKEN_RE.finditer(text.lower()):
        word = match.group()
        if match.lastindex is None:  # clause punctuation
            if clauses[-1]:
                clauses.append([])
            continue
        if word in CLAUSE_CONJUNCTIONS and clauses[-1]:
            clauses.append([])
        clauses[-1].append(len(words))
        words.append(word)
    marks = [0] * len(words)
    cancelled: set[int] = set()  # the "ikkje" of "manglar ikkje"
    for clause in clauses:
        for k, i in enumerate(clause):
            word = words[i]
            if i in cancelled:
                continue
            after = words[clause[k + 1]] if k + 1 < len(clause) else ""
            if kinds & NEGATED:
                if analyzer.is_negation_cue(word):
                    if after in _NOT_NEGATING_NEXT:
                        continue
                    if analyzer.is_lack_cue(word):
                        if after and analyzer.is_negation_cue(after):
                            cancelled.add(clause[k + 1])
                            continue
                        targets = [j for j in clause if j != i]
                    else:
                        targets = clause[max(k - 1, 0):k] + clause[k + 1:]
                    for j in targets:
                        if not analyzer.is_negation_cue(words[j]):
                            marks[j] |= NEGATED
                    continue
                if word in diminishers or word.startswith(diminisher_prefixes):
                    for j in clause[k + 1:k + 1 + _DIMINISHER_REACH]:
                        marks[j] |= NEGATED
                    continue
            if kinds & HEDGED:
                before = words[clause[k - 1]] if k else ""
                if (word in hedges or (hedge_prefixes and word.startswith(hedge_prefixes))
                        or (word == "om" and (k == 0 or before == "på" or after in _HEDGE_OPENERS))):
                    for j in clause:
                        if j != i:
                            marks[j] |= HEDGED
    return marks
