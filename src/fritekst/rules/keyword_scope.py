"""Scope decisions: from an answer's pattern occurrences and cues to the rules' hits.

The negation, hedge and dismissal facts of an answer (:class:`_Scope`, built by
:meth:`ScopeDecisions._scope`) and the per-answer decisions of :meth:`ScopeDecisions._rules_on`:
which occurrences fire which rules (negation, hedges, ``near``, ``unless``, dismissals, idioms).
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import accumulate
from typing import Any

from fritekst.language import cues as cue_tables
from fritekst.language.cues import (DIMINISHER_REACH, DISMISSAL_REACH, conjunct_scope, plan_hedged, plan_scope,
                                   concession_span, refusal_scope,
                                   subordinate_start)
from fritekst.rules.keyword_compile import _CHUNK, _CL, _CLAUSE, _CE, _CS, _UNIT, _W0, _W1, _WORD, _Rule
from fritekst.rules.keyword_records import ChunkRecords

#: A hit as the matcher's inner parts pass it on: ``(start, end, code_id, rule_id)``, so that a
#: sort orders hits as :meth:`~fritekst.rules.keyword.KeywordMatcher.match` returns them.
Span = tuple[int, int, str, str]
#: A hit of a rule with ``near`` or ``unless`` left to decide: a span, its rule's index in the
#: compiled conditional rules, and its first and last word (see ``ScopeDecisions._rules_on``).
Deferred = tuple[int, int, str, str, int, int, int]


def word_distance(lo: int, hi: int, other_lo: int, other_hi: int) -> int:
    """Words between the spans lo..hi and other_lo..other_hi (0 when they overlap): ``near``'s measure."""
    if other_lo > hi:
        return other_lo - hi
    if other_hi < lo:
        return lo - other_hi
    return 0


class _Scope:
    """Negation, hedge and dismissal facts of one answer (clause and word indices)."""

    __slots__ = ("cues", "cancelled", "hedged", "dismissed", "clause_scope", "short", "planned", "dismissed_from",
                 "dismissed_spans")

    def __init__(self, cues: list[list[Any]], cancelled: set[int], hedged: set[int],
                 dismissed: set[int], clause_scope: bool,
                 short: list[tuple[int, int, int]] | None = None) -> None:
        self.cues = cues  # [clause, word, reaches_whole_clause, last word of the scope]
        self.cancelled = cancelled  # word indices of cues that negate nothing ("ikke bare")
        self.hedged = hedged
        self.dismissed = dismissed
        self.clause_scope = clause_scope
        # (clause, first word, last word) negated by a diminisher ("lite kunnskap")
        self.short = short or []
        self.planned: list[tuple[int, int, int, int, int]] = []  # fritekst.language.cues.plan_scope
        # clause -> first word of a dismissed conjunct ("muligheter og ikke begrensninger": from "ikke")
        self.dismissed_from: dict[int, int] = {}
        # (clause, first word, last word) of a concession granted ("sjølv om økonomien er god")
        self.dismissed_spans: list[tuple[int, int, int]] = []

    def dismisses(self, clause: int, word: int) -> bool:
        """Whether a hit in ``clause`` starting at ``word`` lies in a dismissal (whole clause or conjunct)."""
        if clause in self.dismissed:
            return True
        start = self.dismissed_from.get(clause)
        if start is not None and word >= start:
            return True
        return any(c == clause and first <= word <= last for c, first, last in self.dismissed_spans)

    @property
    def negates_nothing(self) -> bool:
        """True when :meth:`negated` is False for every hit (no cue, no short scope)."""
        return not self.cues and not self.short

    def negated(self, clause: int, last_word: int, whole_clause: bool = False, first_word: int = -1) -> bool:
        """Whether a hit in ``clause`` ending at word ``last_word`` is in a cue's scope.

        ``whole_clause``: any cue of the clause counts (the scope of ``negation: require``).
        ``first_word``: where the hit starts; one that starts inside a scope ending at a "for" is
        negated even when it runs past the "for" ("ikke begynt med «viktig for deg»").
        """
        whole_clause = whole_clause or self.clause_scope
        start = last_word if first_word < 0 else first_word
        for c, w, whole, end in self.cues:
            if c == clause and w not in self.cancelled and (
                    whole or whole_clause or w <= last_word and start <= end):
                return True
        for c, first, last in self.short:
            if c == clause and first <= last_word <= last:
                return True
        return False



class ScopeDecisions(ChunkRecords):
    """The per-answer half of matching: scopes, then each rule's conditions at each occurrence."""

    def _scope(self, cues: list[list[Any]], pattern_hits: dict[int, list[tuple[Any, Any]]],
               sentence_starts: Sequence[int] = (), sentence_clauses: Sequence[int] = ()) -> _Scope:
        """:meth:`_full_scope`, with a shortcut for the commonest case: no pattern of the cue tables
        occurs (no "ikke bare", dismissal, hedge, "for", diminisher, copula or dismissal head), so
        each cue's scope runs to its clause's end and it negates the word before it (measured:
        most sentences of the shared workload). Any mechanism added to :meth:`_full_scope` that
        acts without a cue-table pattern must be added here too (tests compare both)."""
        if not self._scope_pids.isdisjoint(pattern_hits):
            return self._full_scope(cues, pattern_hits, sentence_starts, sentence_clauses)
        if not cues:
            return _Scope([], set(), set(), set(), self._clause_scope, [])
        whole_scopes = [[c, w, whole, 1 << 30] for c, w, whole in cues]
        short = [(c, w - 1, w - 1) for c, w, whole in cues if not whole] if self._reaches_back else []
        return _Scope(whole_scopes, set(), set(), set(), self._clause_scope, short)

    def _full_scope(self, cues: list[list[Any]], pattern_hits: dict[int, list[tuple[Any, Any]]],
                    sentence_starts: Sequence[int] = (), sentence_clauses: Sequence[int] = ()) -> _Scope:
        """Negation, hedge and dismissal facts of one answer from its cues and pattern occurrences.

        ``sentence_starts``: the words where a sentence starts after the first, ``sentence_clauses``
        the clauses they start (a refusal, a fronted condition and a contrast stop at a sentence)."""
        cancelled: set[int] = set()
        hedged: set[int] = set()
        dismissed: set[int] = set()
        conjunct_hedges: list[tuple[int, int]] = []  # (clause, first word) of a hedge
        # "etter hvert kurs", "får spørsmål om": a hedge whose first word lies inside one of these
        # ("Spørs om det er noko å hente": a doubt, cues.DOUBTFUL)
        doubtful = {a[_WORD] + a[_UNIT][_W0] for pid in self._doubtful_pids.intersection(pattern_hits)
                    for a, _b in pattern_hits[pid]}
        unhedged = {w for pid in self._not_hedging_pids.intersection(pattern_hits) for a, b in pattern_hits[pid]
                    if a[_WORD] + a[_UNIT][_W0] not in doubtful
                    for w in range(a[_WORD] + a[_UNIT][_W0], b[_WORD] + b[_UNIT][_W1] + 1)}
        breaks = [
            (a[_CLAUSE] + a[_UNIT][_CL], a[_WORD] + a[_UNIT][_W0])
            for pid in self._dismiss_break_pids.intersection(pattern_hits) for a, _b in pattern_hits[pid]
        ]
        asking = sorted(a[_WORD] + a[_UNIT][_W0] for pid in self._asking_pids.intersection(pattern_hits)
                        for a, _b in pattern_hits[pid])
        if asking:  # "spør etter kvar samtale om vi er på rett spor": an asked "om" is no condition
            unhedged.update(self._asked(asking, pattern_hits, sentence_starts))
        seen = [(b[_CLAUSE] + b[_UNIT][_CL], b[_WORD] + b[_UNIT][_W1])
                for pid in self._seeing_pids.intersection(pattern_hits) for _a, b in pattern_hits[pid]]
        dismissed_from: dict[int, int] = {}

        def dismiss(clause: int, cue_word: int) -> None:
            """Dismiss ``clause``, or only its conjunct from the last conjunction before ``cue_word``."""
            start = max((b for c, b in breaks if c == clause and b < cue_word), default=-1)
            if start < 0 or not cue_tables.DISMISSALS_BY_CONJUNCT:
                dismissed.add(clause)
            else:
                dismissed_from[clause] = min(dismissed_from.get(clause, start + 1), start + 1)
        for pid, occurrences in pattern_hits.items():
            if pid in self._cancel_pids:
                for a, b in occurrences:
                    cancelled.update(range(a[_WORD] + a[_UNIT][_W0], b[_WORD] + b[_UNIT][_W1] + 1))
            if pid in self._dismiss_pids:
                for a, b in occurrences:
                    clause_a, clause_b = a[_CLAUSE] + a[_UNIT][_CL], b[_CLAUSE] + b[_UNIT][_CL]
                    dismiss(clause_a, a[_WORD] + a[_UNIT][_W0])
                    if clause_b != clause_a:
                        dismissed.add(clause_b)
            if pid in self._hedge_pids:
                for a, b in occurrences:
                    first = a[_WORD] + a[_UNIT][_W0]
                    if first in unhedged:
                        continue
                    clause_a, clause_b = a[_CLAUSE] + a[_UNIT][_CL], b[_CLAUSE] + b[_UNIT][_CL]
                    if seen and pid in self._counterfactual_pids and any(  # "ser at det kunne vært nyttig"
                            c == clause_a and 0 < first - w <= cue_tables.SEEN_REACH for c, w in seen):
                        continue
                    if clause_a == clause_b and cue_tables.HEDGES_BY_CONJUNCT:
                        conjunct_hedges.append((clause_a, first))  # ranged once the conjunctions are known
                    else:
                        hedged.update((clause_a, clause_b))
        contrasts = self._contrast_pids.intersection(pattern_hits) if cue_tables.CONTRASTS_DISMISS else ()
        if contrasts:
            # "Det er ikke kostnaden, det er at vi mangler hjemler": the first cleft's clause is dismissed
            opening = {0, *sentence_starts}
            assertions = [(a[_CLAUSE] + a[_UNIT][_CL], a[_WORD] + a[_UNIT][_W0])
                          for pid in self._assertion_pids.intersection(pattern_hits) for a, _b in pattern_hits[pid]]
            for pid in contrasts:
                for a, b in pattern_hits[pid]:
                    clause, last = a[_CLAUSE] + a[_UNIT][_CL], b[_WORD] + b[_UNIT][_W1]
                    if (a[_WORD] + a[_UNIT][_W0] in opening and last not in cancelled
                            and clause + 1 not in sentence_clauses
                            and any(c == clause + 1 and 0 < w - last <= cue_tables.CONTRAST_REACH
                                    for c, w in assertions)):
                        dismissed.add(clause)
        if cue_tables.CONDITIONS_REACH_MAIN_CLAUSE:
            # "Dersom vi får midler, vil vi innføre FACT": a condition opening its sentence hedges
            # its own clause and the main clause after it (cues.FRONTED_CONDITIONS)
            opening = {0, *sentence_starts}
            # "Nei, men dersom ...": after openers that stand at the sentence's start (cues.CONDITION_OPENERS)
            for first, last in sorted((a[_WORD] + a[_UNIT][_W0], b[_WORD] + b[_UNIT][_W1])
                                      for pid in self._opener_pids.intersection(pattern_hits)
                                      for a, b in pattern_hits[pid]):
                if first in opening:
                    opening.add(last + 1)
            for pid in self._condition_pids.intersection(pattern_hits):
                for a, _b in pattern_hits[pid]:
                    if a[_WORD] + a[_UNIT][_W0] in opening:
                        clause = a[_CLAUSE] + a[_UNIT][_CL]
                        hedged.add(clause)
                        if clause + 1 not in sentence_clauses:  # the main clause is in its sentence
                            hedged.add(clause + 1)
        short: list[tuple[int, int, int]] = []
        # A cue's phrase ends before a "for" that follows a negated word: in "ikke behov for en
        # egen stilling" the need is absent, not the position.
        ends = sorted(
            (a[_CLAUSE] + a[_UNIT][_CL], a[_WORD] + a[_UNIT][_W0])
            for pid in self._scope_end_pids.intersection(pattern_hits) for a, _b in pattern_hits[pid]
        )
        cues = [
            [c, w, whole, next((s - 1 for sc, s in ends if sc == c and s > w + 1), 1 << 30)]
            for c, w, whole in cues
        ]
        relatives = [(a[_CLAUSE] + a[_UNIT][_CL], a[_WORD] + a[_UNIT][_W0])
                     for pid in self._relative_pids.intersection(pattern_hits) for a, _b in pattern_hits[pid]]
        if relatives and cue_tables.LACK_STOPS_AT_RELATIVE:
            # "brukere som mangler nettverk": a word of lack in a relative clause does not reach the head
            clefts = [(b[_CLAUSE] + b[_UNIT][_CL], b[_WORD] + b[_UNIT][_W1])
                      for pid in self._cleft_pids.intersection(pattern_hits) for _a, b in pattern_hits[pid]]
            for lack in cues:
                if lack[2] and any(
                        rc == lack[0] and 0 < lack[1] - s <= cue_tables.RELATIVE_REACH
                        and not any(cc == rc and 0 <= s - e <= cue_tables.CLEFT_REACH for cc, e in clefts)
                        for rc, s in relatives):
                    lack[2] = False
        for pid in self._diminisher_pids.intersection(pattern_hits):
            for _a, b in pattern_hits[pid]:
                last = b[_WORD] + b[_UNIT][_W1]
                short.append((b[_CLAUSE] + b[_UNIT][_CL], last + 1, last + DIMINISHER_REACH))
        verbs = {
            (a[_CLAUSE] + a[_UNIT][_CL], a[_WORD] + a[_UNIT][_W0])
            for pid in self._subject_verb_pids.intersection(pattern_hits) for a, _b in pattern_hits[pid]
        }
        # The word before a cue is negated (the finite verb of a main clause: "kjenner ikke til",
        # the subject of a subordinate one: "at pengene ikke strekker til"), and across a copula,
        # or a verb of sufficiency the word before that ("økonomien strekker ikke til").
        forward = {a[_WORD] + a[_UNIT][_W0] for pid in self._forward_pids.intersection(pattern_hits)
                   for a, _b in pattern_hits[pid]}  # "utan å miste": the word before is not negated
        for c, w, whole, _end in cues if self._reaches_back else ():
            if whole or w in cancelled or w in forward:
                continue
            back = w - 2 if (c, w - 1) in verbs else w - 1
            short.append((c, back, w - 1))
        for pid in self._refusal_pids.intersection(pattern_hits):  # "søkte om tilskot, men fekk avslag"
            for a, b in pattern_hits[pid]:
                first = a[_WORD] + a[_UNIT][_W0]
                short.extend(refusal_scope(a[_CLAUSE] + a[_UNIT][_CL], first, b[_CLAUSE] + b[_UNIT][_CL],
                                           b[_WORD] + b[_UNIT][_W1],
                                           max((w for w in sentence_starts if w <= first), default=0)))
        predicatives = self._predicative_pids.intersection(pattern_hits)
        subject_breaks = [
            (a[_CLAUSE] + a[_UNIT][_CL], a[_WORD] + a[_UNIT][_W0])
            for pid in self._subject_break_pids.intersection(pattern_hits) for a, _b in pattern_hits[pid]
        ] + breaks if predicatives else []
        for pid in predicatives:
            for a, b in pattern_hits[pid]:  # "behovet er lite": the subject and the predicate
                clause, verb = a[_CLAUSE] + a[_UNIT][_CL], a[_WORD] + a[_UNIT][_W0]
                if not cue_tables.PREDICATIVE_IS_LOCAL:
                    cues.append([clause, verb, True, 1 << 30])
                    continue
                subject = max((w + 1 for c, w in subject_breaks if c == clause and w < verb), default=0)
                short.append((clause, subject, b[_WORD] + b[_UNIT][_W1] + DIMINISHER_REACH))
        for pid in self._dismiss_head_pids.intersection(pattern_hits):
            # "det er ikke pengene som er problemet": a cue (not of lack) before the head
            for a, _b in pattern_hits[pid]:
                clause, head = a[_CLAUSE] + a[_UNIT][_CL], a[_WORD] + a[_UNIT][_W0]
                cue = next((w for c, w, whole, _end in cues
                            if c == clause and 0 < head - w <= DISMISSAL_REACH and not whole and w not in cancelled
                            and not any(bc == c and w < b < head for bc, b in breaks)), None)
                if cue is not None:
                    dismiss(clause, cue)
        scope = _Scope(cues, cancelled, hedged, dismissed, self._clause_scope, short)
        scope.dismissed_from = {c: w for c, w in dismissed_from.items() if c not in dismissed}
        if cue_tables.CONCESSIONS_DISMISS:
            scope.dismissed_spans = self._concessions(pattern_hits, cues)
        plan_pids = self._plan_pids.intersection(pattern_hits)
        subordinators = [  # "er med når vi planlegg kurs": a plan in a subordinate clause (cues.SUBORDINATORS)
            (a[_CLAUSE] + a[_UNIT][_CL], a[_WORD] + a[_UNIT][_W0])
            for pid in self._subordinator_pids.intersection(pattern_hits) for a, _b in pattern_hits[pid]
        ] if plan_pids and cue_tables.PLANS_STOP_AT_SUBORDINATOR else []
        cleft_ends = [(b[_CLAUSE] + b[_UNIT][_CL], b[_WORD] + b[_UNIT][_W1])
                      for pid in self._cleft_pids.intersection(pattern_hits) for _a, b in pattern_hits[pid]
                      ] if subordinators or relatives else []

        def plan_breaks(clause: int, first: int) -> list[int]:
            """The clause's conjunctions, and the word before the subordinator that opens the plan's clause."""
            own = [w for bc, w in breaks if bc == clause]
            if not cue_tables.PLANS_STOP_AT_SUBORDINATOR:
                return own
            start = subordinate_start(first, [w for c, w in subordinators if c == clause], own,
                                      [w for c, w in relatives if c == clause],
                                      [w for c, w in cleft_ends if c == clause])
            return own + [start - 1] if start >= 0 else own
        scope.planned = [  # "planlegger å innføre KOR": what the plan governs is hedged
            plan_scope(c, first, b[_WORD] + b[_UNIT][_W1], plan_breaks(c, first))
            for pid in plan_pids for a, b in pattern_hits[pid]
            for c, first in ((a[_CLAUSE] + a[_UNIT][_CL], a[_WORD] + a[_UNIT][_W0]),)]
        scope.planned.extend(  # "har vurdert det og ser at ...": only its own conjunct
            plan_scope(c, a[_WORD] + a[_UNIT][_W0], b[_WORD] + b[_UNIT][_W1], [w for bc, w in breaks if bc == c],
                       conjunct=cue_tables.CONSIDERED_IS_CONJUNCT)
            for pid in self._considered_pids.intersection(pattern_hits) for a, b in pattern_hits[pid]
            for c in (a[_CLAUSE] + a[_UNIT][_CL],))
        # "økonomien er usikker og vi har ingen ledige hjemler": a hedge or doubt governs its own
        # conjunct (cues.conjunct_scope), its own words included ("om behovet blir større")
        scope.planned.extend(conjunct_scope(c, w, [bw for bc, bw in breaks if bc == c]) for c, w in conjunct_hedges)
        return scope

    def _asked(self, asking: list[int], pattern_hits: dict[int, list[tuple[Any, Any]]],
               sentence_starts: Sequence[int]) -> set[int]:
        """The words of each "om" that opens an embedded question (:data:`cues.ASKING_VERBS`): at most
        :data:`cues.ASKED_REACH` words after a verb of asking, or after an "om" so asked, in its sentence."""
        oms = sorted(a[_WORD] + a[_UNIT][_W0] for pid in self._om_pids.intersection(pattern_hits)
                     for a, _b in pattern_hits[pid])
        anchors, asked = list(asking), set()
        for om in oms:
            if any(0 < om - v <= cue_tables.ASKED_REACH and not any(v < s <= om for s in sentence_starts)
                   for v in anchors):
                asked.add(om)
                anchors.append(om)
        return asked

    def _concessions(self, pattern_hits: dict[int, list[tuple[Any, Any]]],
                     cues: list[list[Any]]) -> list[tuple[int, int, int]]:
        """The (clause, first, last) words of each concession granted (:func:`cues.concession_span`)."""
        concessives = self._concessive_pids.intersection(pattern_hits)
        positives = [
            (a[_CLAUSE] + a[_UNIT][_CL], a[_WORD] + a[_UNIT][_W0], b[_WORD] + b[_UNIT][_W1])
            for pid in self._positive_pids.intersection(pattern_hits) for a, b in pattern_hits[pid]
        ] if concessives else []
        if not positives:
            return []
        # a negation cue or a diminisher ("lite pengar") between them: the concession grants nothing
        stops = [(c, w) for c, w, *_rest in cues] + [
            (a[_CLAUSE] + a[_UNIT][_CL], a[_WORD] + a[_UNIT][_W0])
            for pid in (self._diminisher_pids | self._predicative_pids).intersection(pattern_hits)
            for a, _b in pattern_hits[pid]]
        copulas = [(a[_CLAUSE] + a[_UNIT][_CL], a[_WORD] + a[_UNIT][_W0])
                   for pid in self._subject_verb_pids.intersection(pattern_hits) for a, _b in pattern_hits[pid]]
        spans = []
        for pid in concessives:
            for _a, b in pattern_hits[pid]:
                clause = b[_CLAUSE] + b[_UNIT][_CL]
                span = concession_span(b[_WORD] + b[_UNIT][_W1],
                                       [(first, last) for c, first, last in positives if c == clause],
                                       [w for c, w in stops if c == clause], [w for c, w in copulas if c == clause])
                if span is not None:
                    spans.append((clause, *span))
        return spans

    @staticmethod
    def _chunk_offsets(text: str, chunk_texts: list[str]) -> list[int]:
        """Character offset of every chunk of ``text.split()``."""
        lengths = [len(c) + 1 for c in chunk_texts]
        if sum(lengths) == len(text) + 1 and "\n" not in chunk_texts:
            # Single whitespace characters between chunks, none around: a running sum does it.
            return [0, *accumulate(lengths[:-1])]
        # Otherwise each chunk is the first occurrence after the previous one.
        offsets = []
        pos = 0
        find = text.find
        for chunk in chunk_texts:
            pos = find(chunk, pos)
            offsets.append(pos)
            pos += len(chunk)
        return offsets

    def _rules_on(
        self,
        text: str,
        chunk_texts: list[str],
        fixed: list[tuple[int, int, int, tuple[Any, ...]]],
        negatable: list[tuple[int, int, int, tuple[Any, ...]]],
        pattern_hits: dict[int, list[tuple[Any, Any]]],
        scope: _Scope,
        deferred: list[Deferred] | None = None,
    ) -> list[Span]:
        """The hits of one answer (or sentence), sorted.

        ``deferred``: the hits of rules with ``near`` or ``unless`` that pass every other
        condition are appended there as ``(start, end, code_id, rule_id, rule index, first word,
        last word)`` instead of being decided, for the sentence memo to decide across its
        answer's sentences (:meth:`~fritekst.rules.keyword_memo.SentenceMemo._conditional_spans`).
        """
        offsets = self._chunk_offsets(text, chunk_texts)
        # a dismissed clause, or only a conjunct of one ("X og ikke Y"): then the hit's word decides
        dismissed = scope.dismissed
        dismisses = scope.dismisses if scope.dismissed_from or scope.dismissed_spans else None
        found: set[tuple[Any, ...]] = set()
        add = found.add
        for i, clause, word, hits in fixed:
            offset = offsets[i]
            for start, end, hit_clause, code_id, rule_id in hits:
                if dismisses is not None:
                    if dismisses(clause + hit_clause, word):
                        continue
                elif dismissed and clause + hit_clause in dismissed:
                    continue
                add((offset + start, offset + end, code_id, rule_id))
        has_cues = not scope.negates_nothing  # most answers: nothing is negated
        require_clause = self._require_clause
        for i, clause, word, negatable_hits in negatable:
            offset = offsets[i]
            for start, end, hit_clause, hit_word, code_id, rule_id, required in negatable_hits:
                c = clause + hit_clause
                if c in dismissed or dismisses is not None and dismisses(c, word + hit_word):
                    continue
                negated = has_cues and scope.negated(c, word + hit_word, required and require_clause)
                if negated is required:
                    add((offset + start, offset + end, code_id, rule_id))
        plain_get = self._plain_phrases.get
        conditional_by_pid = self._conditional_by_pid
        for pid, occurrences in pattern_hits.items():
            outputs = plain_get(pid)
            if outputs is not None:
                for a, b in occurrences:
                    if dismissed and (a[_CLAUSE] + a[_UNIT][_CL] in dismissed
                                      or b[_CLAUSE] + b[_UNIT][_CL] in dismissed):
                        continue
                    if dismisses is not None and dismisses(a[_CLAUSE] + a[_UNIT][_CL], a[_WORD] + a[_UNIT][_W0]):
                        continue
                    span = (offsets[a[_CHUNK]] + a[_UNIT][_CS], offsets[b[_CHUNK]] + b[_UNIT][_CE])
                    for output in outputs:
                        add(span + output)
            if pid not in conditional_by_pid:
                continue
            for index in conditional_by_pid[pid]:
                rule = self._conditional[index]
                defer = deferred is not None and bool(rule.near or rule.unless)
                if rule.unless and not defer and not rule.unless.isdisjoint(pattern_hits):
                    continue
                for a, b in occurrences:
                    clause_a = a[_CLAUSE] + a[_UNIT][_CL]
                    clause_b = b[_CLAUSE] + b[_UNIT][_CL]
                    if dismissed and (clause_a in dismissed or clause_b in dismissed):
                        continue
                    if dismisses is not None and dismisses(clause_a, a[_WORD] + a[_UNIT][_W0]):
                        continue
                    if rule.negation != "any":
                        last = b[_WORD] + b[_UNIT][_W1]
                        whole = rule.negation == "require" and self._require_clause
                        first = a[_WORD] + a[_UNIT][_W0]
                        negated = (scope.negated(clause_a, last, whole, first)
                                   or scope.negated(clause_b, last, whole, first))
                        if negated != (rule.negation == "require"):
                            continue
                    if rule.hedge != "any":
                        hedged = (clause_a in scope.hedged or clause_b in scope.hedged
                                  or plan_hedged(scope.planned, clause_a, a[_WORD] + a[_UNIT][_W0]))
                        if hedged != (rule.hedge == "require"):
                            continue
                    if defer:
                        assert deferred is not None
                        deferred.append(
                            (offsets[a[_CHUNK]] + a[_UNIT][_CS], offsets[b[_CHUNK]] + b[_UNIT][_CE],
                             rule.code_id, rule.rule_id, index, a[_WORD] + a[_UNIT][_W0], b[_WORD] + b[_UNIT][_W1])
                        )
                        continue
                    if rule.near and not self._near(a, b, rule, pattern_hits):
                        continue
                    found.add(
                        (offsets[a[_CHUNK]] + a[_UNIT][_CS], offsets[b[_CHUNK]] + b[_UNIT][_CE],
                         rule.code_id, rule.rule_id)
                    )
        idioms = [
            (offsets[a[_CHUNK]] + a[_UNIT][_CS], offsets[b[_CHUNK]] + b[_UNIT][_CE])
            for pid in self._idiom_pids.intersection(pattern_hits) for a, b in pattern_hits[pid]
        ]
        if idioms:  # "ta stilling til": the words of a fixed expression are not keywords
            found = {f for f in found if not any(
                lo <= f[0] and f[1] <= hi and f[1] - f[0] < hi - lo for lo, hi in idioms)}
            if deferred:
                deferred[:] = [f for f in deferred if not any(
                    lo <= f[0] and f[1] <= hi and f[1] - f[0] < hi - lo for lo, hi in idioms)]
        return sorted(found)

    @staticmethod
    def _near(
        a: tuple[Any, ...],
        b: tuple[Any, ...],
        rule: _Rule,
        pattern_hits: dict[int, list[tuple[Any, Any]]],
    ) -> bool:
        lo = a[_WORD] + a[_UNIT][_W0]
        hi = b[_WORD] + b[_UNIT][_W1]
        for pid in rule.near:
            for c, d in pattern_hits.get(pid, ()):
                if word_distance(lo, hi, c[_WORD] + c[_UNIT][_W0], d[_WORD] + d[_UNIT][_W1]) <= rule.within:
                    return True
        return False
