"""Compiling keyword rules: pattern words, patterns and the tables that turn forms into them.

:class:`CompiledRules` is the base of :class:`~fritekst.rules.keyword.KeywordMatcher`: it numbers
every pattern word and pattern of the rules (and of the cue tables of
:mod:`fritekst.language.cues`), indexes the words by lemma, form, affix, typo target and compound
head, and sorts each pattern into how its hits become rule hits (unconditional, negation only, or
decided per answer). It also defines the plain-tuple layouts of units and chunk records that the
other parts share.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, NamedTuple

from fritekst.errors import PatternError
from fritekst.language.analyzer import Analyzer
from fritekst.language.lexicon import OneEditIndex
from fritekst.language.cues import (
    ASKED_QUESTIONS,
    ASKING_VERBS,
    COUNTERFACTUALS,
    DOUBTFUL,
    FORWARD_CUES,
    SEEING,
    CLEFTS,
    CONCESSIVES,
    CONDITION_OPENERS,
    CONSIDERED,
    CONSIDERING,
    CONTRAST_ASSERTIONS,
    CONTRAST_CLEFTS,
    DIMINISHERS,
    HEAD_PHRASE_BLOCKERS,
    HEADS_END_PHRASES,
    DISCUSSED,
    DISMISSAL_BREAKS,
    DISMISSAL_HEADS,
    DISMISSALS,
    EXACT_HEDGES,
    FRONTED_CONDITIONS,
    HEDGES,
    IDIOMS,
    NOT_HEDGING,
    NOT_NEGATING,
    PLANS,
    POSITIVE_PREDICATES,
    PREDICATIVE_DIMINISHERS,
    REACHES_BACK,
    REFUSALS,
    RELATIVE_MARKERS,
    SCOPE_ENDS,
    SUBJECT_BREAKS,
    SUBJECT_VERBS,
    SUBORDINATORS,
    cue_spellings,
    with_object_pronouns,
)
from fritekst.language.standards import other_spellings
from fritekst.rules.keyword_spec import TYPO_MIN_LENGTH, KeywordRuleSpec, Hit, validate_rule
from fritekst.rules.patterns import Pattern, parse_pattern

# A unit is a token, a hyphen part or a whole hyphenated token that satisfies some pattern word.
# Chunk records hold units relative to their chunk as plain tuples (cheap in the hot loop):
# positions [P0, P1), word indices W0..W1, clause, character span [CS, CE), the pattern-word ids,
# the one-word patterns it hits, {second word id: phrase patterns it may start}, and the patterns
# to skip because the whole hyphenated token around this part already hit them.
_P0, _P1, _W0, _W1, _CL, _CS, _CE, _IDS, _SINGLES, _PHRASES, _SKIP = range(11)
# Per answer a unit is placed as (absolute start position, position offset of its chunk, word
# offset, clause offset, chunk index, unit).
_ABS, _POS, _WORD, _CLAUSE, _CHUNK, _UNIT = range(6)
_EMPTY: frozenset[int] = frozenset()
#: Whether the long words (TYPO_MIN_LENGTH letters or more, never a word in capitals) of an exact
#: *phrase* of a rule with typos on are matched with typos too: "vikitg" meets "hva er viktig". An
#: exact single word stays exact: it is exact to keep out other forms, which a typo would let in.
EXACT_PHRASE_TYPOS = True
# Record of the commonest chunk: one word that satisfies no pattern word.
_PLAIN_WORD: tuple[Any, ...] = (1, 1, False, 0, False, (), (), (), (), False, _EMPTY, _EMPTY, False)
# Record of a line break chunk: no token, ends the clause.
_NEWLINE: tuple[Any, ...] = (0, 0, False, 0, True, (), (), (), (), False, _EMPTY, _EMPTY, False)
# Fields of a chunk record used by the phrase-link filter (see _chunk_record and match).
_HEAD, _TAIL, _DROPPABLE = 10, 11, 12
# Whitespace-free chunks plus line breaks.
_CHUNK_RE = re.compile(r"\S+|\n")
# The whitespace after a chunk ending in . ! ?: where an answer may fall into sentences.
_SENTENCE_END_RE = re.compile(r"(?<=[.!?])(\s+)")


class _FormRecord(NamedTuple):
    ids: frozenset[int]  # pattern words the form satisfies (as itself or as a typo)
    singles: tuple[int, ...]  # one-word patterns it hits (also through a compound head)
    phrases: dict[int, tuple[int, ...]]  # second word id -> phrase patterns it may start
    starts: frozenset[int]  # all patterns it hits or may start


class _Rule(NamedTuple):
    code_id: str
    rule_id: str
    near: tuple[int, ...]
    within: int
    negation: str
    unless: frozenset[int]
    hedge: str



class CompiledRules:
    """The compiled tables of a set of keyword rules (built by :meth:`_compile`)."""

    #: The chunk cache is cleared when it grows past this many entries.
    max_cache: int = 300_000
    # Set by KeywordMatcher.__init__ before _compile.
    _specs: list[KeywordRuleSpec]
    _analyzer: Analyzer
    _clause_scope: bool
    _require_clause: bool
    _typo_prefix_lengths: dict[str, list[int]]
    _typo_prefix_near: dict[str, tuple[tuple[int, str], ...]]
    _typo_word_index: OneEditIndex
    _typo_prefix_index: OneEditIndex

    def _compile(self) -> None:
        analyzer = self._analyzer
        for spec in self._specs:
            problems = validate_rule(spec, analyzer)
            if problems:
                raise PatternError(problems[0], code="E204")
        word_ids: dict[tuple[str, str, str], int] = {}
        pattern_ids: dict[tuple[str, str], int] = {}
        self._pattern_words: list[tuple[int, ...]] = []
        self._pattern_text: list[str] = []
        # How forms are turned into pattern-word ids (see _form_record).
        self._by_lemma: dict[str, list[int]] = {}
        self._by_form: dict[str, list[int]] = {}
        self._affix: dict[tuple[str, bool], dict[str, list[int]]] = {
            (kind, lemma): {} for kind in ("prefix", "suffix") for lemma in (True, False)
        }
        self._infix: list[tuple[str, bool, int]] = []
        # first letter -> (text, kind, word id) of long lemma-mode words, for typo matching
        self._typo_targets: dict[str, list[tuple[str, str, int]]] = {}
        self._acronyms: set[str] = set()  # words written in capitals in an exact phrase
        # compound heads meet only the words of rules with compounds on
        self._head_lemma: dict[str, list[int]] = {}
        self._head_prefix: dict[str, list[int]] = {}
        first_word: dict[int, list[int]] = {}

        def pattern_id(pattern: Pattern, mode: str) -> int:
            key = (pattern.text, mode)
            if key in pattern_ids:
                return pattern_ids[key]
            wids = []
            for word in pattern.words:
                wkey = (word.text, word.kind, mode)
                wid = word_ids.get(wkey)
                if wid is None:
                    wid = word_ids[wkey] = len(word_ids)
                    self._index_word(word.text, word.kind, mode, wid)
                wids.append(wid)
            pid = pattern_ids[key] = len(self._pattern_words)
            self._pattern_words.append(tuple(wids))
            self._pattern_text.append(pattern.text)
            first_word.setdefault(wids[0], []).append(pid)
            return pid

        # pattern id -> how its hits become rule hits: (code_id, rule_id) of rules that fire
        # unconditionally; (code_id, rule_id, negation required) of one-word keywords whose only
        # condition is negation (both decided per chunk, see _chunk_record); indices of the other
        # conditional rules (decided per answer, see _rules_on).
        plain: dict[int, list[tuple[str, str]]] = {}
        negation_only: dict[int, list[tuple[str, str, bool]]] = {}
        conditional: dict[int, list[int]] = {}
        self._conditional: list[_Rule] = []
        # Line breaks end clauses, and dismissals work by clause for every rule.
        self._needs_clauses = True

        def pattern_ids_of(texts: Sequence[str], mode: str) -> tuple[int, ...]:
            # "tatt opp" also meets "tatt det opp" (a pronoun object before the particle)
            pids = (pattern_id(parse_pattern(v, analyzer), mode)
                    for t in texts for v in with_object_pronouns(t))
            return tuple(dict.fromkeys(pids))  # unique, in order

        def rule_pattern_ids(texts: Sequence[str], spec: KeywordRuleSpec) -> tuple[int, ...]:
            """pattern_ids_of in the rule's mode; an exact phrase of a rule with typos on is matched
            with typos too (EXACT_PHRASE_TYPOS), its single exact words are not."""
            if spec.mode != "exact" or not spec.typos or not EXACT_PHRASE_TYPOS:
                return pattern_ids_of(texts, spec.mode)
            for text in texts:  # "KORUS-samling": an acronym is never read as a typo
                self._acronyms.update(w.lower() for w in text.replace("-", " ").split() if w.isupper())
            return tuple(dict.fromkeys(
                pid for text in texts
                for pid in pattern_ids_of((text,), "exact+typos" if " " in text.strip() else "exact")))

        for spec in self._specs:
            keyword_pids = rule_pattern_ids(spec.keywords, spec)
            near = rule_pattern_ids(spec.near, spec)
            unless = frozenset(rule_pattern_ids(spec.unless, spec))
            if not near and not unless and spec.negation == "any" and spec.hedge == "any":
                for pid in keyword_pids:
                    plain.setdefault(pid, []).append((spec.code_id, spec.rule_id))
                continue
            if not near and not unless and spec.hedge == "any":
                for pid in keyword_pids:
                    if len(self._pattern_words[pid]) == 1:
                        negation_only.setdefault(pid, []).append(
                            (spec.code_id, spec.rule_id, spec.negation == "require")
                        )
                keyword_pids = tuple(p for p in keyword_pids if len(self._pattern_words[p]) > 1)
            index = len(self._conditional)
            self._conditional.append(
                _Rule(spec.code_id, spec.rule_id, near, spec.within, spec.negation, unless,
                      spec.hedge)
            )
            for pid in keyword_pids:
                conditional.setdefault(pid, []).append(index)
        # The cue tables of fritekst.language.cues are patterns too; their hits are never rule
        # hits, they only mark cues as not negating, clauses as dismissing or hedged.
        self._cancel_pids = frozenset(pattern_ids_of(NOT_NEGATING, "lemma"))
        # exact: the lemma of "snakket" is "snakk", and "ikke snakket om" is not "ikke snakk om"
        self._dismiss_pids = frozenset(pattern_ids_of(DISMISSALS, "exact"))
        # exact: through the lemma "avgjere", "avgjerande" (a head) would also meet "avgjort"
        self._dismiss_head_pids = frozenset(pattern_ids_of(DISMISSAL_HEADS, "exact"))
        self._dismiss_break_pids = frozenset(pattern_ids_of(DISMISSAL_BREAKS, "exact"))
        # exact: the lemma of "lite" is "liten", which "små" ("små kommunar") shares
        self._diminisher_pids = frozenset(pattern_ids_of(DIMINISHERS, "exact"))
        self._predicative_pids = frozenset(pattern_ids_of(PREDICATIVE_DIMINISHERS, "exact"))
        self._subject_break_pids = frozenset(pattern_ids_of(SUBJECT_BREAKS, "exact"))
        self._relative_pids = frozenset(pattern_ids_of(RELATIVE_MARKERS, "exact"))
        self._cleft_pids = frozenset(pattern_ids_of(CLEFTS, "exact"))
        # "det er ikke kostnaden, det er at ...": a contrast of clefts (exact, as the dismissals)
        self._contrast_pids = frozenset(pattern_ids_of(CONTRAST_CLEFTS, "exact"))
        self._assertion_pids = frozenset(pattern_ids_of(CONTRAST_ASSERTIONS, "exact"))
        self._subordinator_pids = frozenset(pattern_ids_of(SUBORDINATORS, "exact"))
        # exact: the lemma of "selv" would make "selve" a concessive, and of "god" "gode" a predicate
        self._concessive_pids = frozenset(pattern_ids_of(CONCESSIVES, "exact"))
        self._positive_pids = frozenset(pattern_ids_of(POSITIVE_PREDICATES, "exact"))
        self._scope_end_pids = frozenset(pattern_ids_of(SCOPE_ENDS, "exact"))
        self._reaches_back = REACHES_BACK
        # "utan å miste tilbodet": a cue that never negates the word before it
        self._forward_pids = frozenset(pattern_ids_of(FORWARD_CUES, "exact"))
        self._idiom_pids = frozenset(pattern_ids_of(IDIOMS, "lemma"))
        self._refusal_pids = frozenset(pattern_ids_of(REFUSALS, "lemma"))
        self._subject_verb_pids = frozenset(pattern_ids_of(SUBJECT_VERBS, "exact"))
        uses_hedge = any(spec.hedge != "any" for spec in self._specs)
        self._hedge_pids = frozenset(pattern_ids_of(HEDGES, "lemma") + pattern_ids_of(EXACT_HEDGES, "exact")
                                     ) if uses_hedge else _EMPTY
        # lemma: "blir spurt om" meets "vart spurde om"; an asked question is not a doubt
        self._not_hedging_pids = frozenset(pattern_ids_of(NOT_HEDGING, "exact") + pattern_ids_of(ASKED_QUESTIONS, "lemma")
                                           ) if uses_hedge else _EMPTY
        self._plan_pids = frozenset(pattern_ids_of(PLANS, "lemma") + pattern_ids_of(CONSIDERING, "exact")
                                    + pattern_ids_of(DISCUSSED, "exact")
                                    ) if uses_hedge else _EMPTY
        self._considered_pids = frozenset(pattern_ids_of(CONSIDERED, "lemma")) if uses_hedge else _EMPTY
        # exact: "om" opening a sentence ("Om vi får midlar, ...") is a condition, and only there
        self._condition_pids = frozenset(pattern_ids_of(FRONTED_CONDITIONS, "exact")) if uses_hedge else _EMPTY
        # "Nei, men dersom ...": words that leave a condition after them fronted
        self._opener_pids = frozenset(pattern_ids_of(CONDITION_OPENERS, "exact")) if uses_hedge else _EMPTY
        # "spør etter kvar samtale om vi ...": an "om" after a verb of asking opens no condition (exact
        # words: the "om" is that of FRONTED_CONDITIONS); "ser at det kunne vært nyttig": a counterfactual seen
        self._asking_pids = frozenset(pattern_ids_of(ASKING_VERBS, "exact")) if uses_hedge else _EMPTY
        self._doubtful_pids = frozenset(pattern_ids_of(DOUBTFUL, "exact")) if uses_hedge else _EMPTY
        self._om_pids = frozenset(pattern_ids_of(("om",), "exact")) if uses_hedge else _EMPTY
        self._seeing_pids = frozenset(pattern_ids_of(SEEING, "exact")) if uses_hedge else _EMPTY
        self._counterfactual_pids = frozenset(pattern_ids_of(COUNTERFACTUALS, "exact")) if uses_hedge else _EMPTY
        self._plain = {pid: tuple(v) for pid, v in plain.items()}
        self._negation_only = {pid: tuple(v) for pid, v in negation_only.items()}
        self._plain_phrases = {
            pid: v for pid, v in self._plain.items() if len(self._pattern_words[pid]) > 1
        }
        self._continuation_ids = frozenset(
            wid for words in self._pattern_words for wid in words[1:]
        )
        self._head_last_ids = _head_last_ids(self._pattern_words, word_ids, analyzer)
        self._conditional_pids = frozenset(conditional).union(
            *(rule.near for rule in self._conditional), *(rule.unless for rule in self._conditional),
            self._cancel_pids, self._dismiss_pids, self._hedge_pids, self._dismiss_head_pids,
            self._dismiss_break_pids,
            self._diminisher_pids, self._predicative_pids, self._scope_end_pids,
            self._subject_verb_pids, self._idiom_pids, self._refusal_pids, self._plan_pids,
            self._not_hedging_pids, self._subject_break_pids, self._considered_pids, self._relative_pids,
            self._cleft_pids, self._subordinator_pids, self._concessive_pids, self._positive_pids,
            self._condition_pids, self._contrast_pids, self._assertion_pids, self._opener_pids,
            self._forward_pids, self._asking_pids, self._om_pids, self._seeing_pids, self._doubtful_pids,
        )
        # Every pattern whose occurrences _full_scope reads (see _scope's shortcut).
        self._scope_pids = frozenset().union(
            self._cancel_pids, self._dismiss_pids, self._hedge_pids, self._scope_end_pids,
            self._diminisher_pids, self._subject_verb_pids, self._predicative_pids,
            self._dismiss_break_pids, self._dismiss_head_pids, self._refusal_pids, self._plan_pids,
            self._not_hedging_pids, self._considered_pids, self._relative_pids, self._concessive_pids,
            self._condition_pids, self._contrast_pids, self._forward_pids,
        )
        self._conditional_by_pid = {pid: tuple(v) for pid, v in conditional.items()}
        self._first_word = {wid: tuple(pids) for wid, pids in first_word.items()}
        self._long_phrases = frozenset(
            pid for pid, words in enumerate(self._pattern_words) if len(words) > 2
        )
        # The stems' lengths filed by a stem's edge (first three letters of a prefix, last three of
        # a suffix): a form's affix of n >= 3 letters can be a stem only if its edge is the edge
        # of a stem of n letters, so a form tries those lengths and the short ones only (one
        # lookup instead of ~20 per lemma).
        self._affix_edges = {key: _lengths_by_edge(table, key[0] == "prefix") for key, table in self._affix.items()}
        self._head_prefix_lengths = sorted({len(stem) for stem in self._head_prefix})
        # Word ids that follow a word id in some pattern ("har" -> "ansatt", "ikke", ...): a unit
        # can only be part of a phrase occurrence if it links to a neighbour this way.
        successors: dict[int, set[int]] = {}
        for words in self._pattern_words:
            for first, second in zip(words, words[1:]):
                successors.setdefault(first, set()).add(second)
        self._successors = {wid: frozenset(s) for wid, s in successors.items()}
        # The typo targets by first letter and length: a word one edit away differs in length
        # by at most one, so only three buckets are tried per variant (same ids, fewer tests).
        self._typo_words: dict[tuple[str, int], list[tuple[str, int]]] = {}
        self._typo_prefixes: dict[str, list[tuple[str, int]]] = {}
        for first_letter, targets in self._typo_targets.items():
            for text, kind, wid in targets:
                if kind == "word":
                    self._typo_words.setdefault((first_letter, len(text)), []).append((text, wid))
                else:
                    self._typo_prefixes.setdefault(first_letter, []).append((text, wid))
        self._forms: dict[str, _FormRecord | None] = {}
        self._chunks: dict[str, tuple[Any, ...]] = {"\n": _NEWLINE}
        self._answers: dict[str, tuple[Hit, ...]] = {}

    def _index_word(self, text: str, kind: str, mode: str, wid: int) -> None:
        lemma_mode = mode.startswith("lemma")
        if "compounds" in mode:
            if kind == "word":
                for lemma in self._analyzer.lemmas(text):
                    self._head_lemma.setdefault(lemma, []).append(wid)
            elif kind == "prefix":
                self._head_prefix.setdefault(text, []).append(wid)
        if kind == "word":
            # a negation word stands for all its spellings ("ikke" meets "ikkje", "itj"); in
            # lemma mode a word also meets its spelling in the other written standard
            # ("tjeneste" meets "tenesta", fritekst.language.standards)
            spellings = cue_spellings(text)
            if lemma_mode:
                for spelling in spellings | other_spellings(text):
                    for lemma in self._analyzer.lemmas(spelling):
                        self._by_lemma.setdefault(lemma, []).append(wid)
            else:
                for spelling in spellings:
                    self._by_form.setdefault(spelling, []).append(wid)
        elif kind == "infix":
            self._infix.append((text, lemma_mode, wid))
        else:
            table = self._affix[(kind, lemma_mode)]
            for stem in {text} | (other_spellings(text) if lemma_mode and kind == "prefix" else set()):
                table.setdefault(stem, []).append(wid)
        if ("typos" in mode and kind in ("word", "prefix") and len(text) >= TYPO_MIN_LENGTH
                and text not in self._acronyms):
            self._typo_targets.setdefault(text[0], []).append((text, kind, wid))


def _head_last_ids(pattern_words: Sequence[tuple[int, ...]], word_ids: dict[tuple[str, str, str], int],
                   analyzer: Analyzer) -> frozenset[int]:
    """Word ids (of rules with compounds on) that a compound's head may stand for as a phrase's
    last word: ids that are the last word of every phrase they follow a word in, after a word that
    is not one of :data:`~fritekst.language.cues.HEAD_PHRASE_BLOCKERS` nor a negation cue. An id
    that is also a phrase's middle word gets no head: "ledige stillinger i" would go on from it."""
    if not HEADS_END_PHRASES:
        return frozenset()
    words = {wid: (text, kind, mode) for (text, kind, mode), wid in word_ids.items()}
    blockers = frozenset(HEAD_PHRASE_BLOCKERS)
    verdict: dict[int, bool] = {}
    for pattern in pattern_words:
        for i in range(1, len(pattern)):
            wid = pattern[i]
            text, kind, mode = words[wid]
            before, before_kind, _ = words[pattern[i - 1]]
            ok = ("compounds" in mode and i == len(pattern) - 1
                  and not (before_kind == "word" and (before in blockers or analyzer.is_negation_cue(before))))
            verdict[wid] = verdict.get(wid, True) and ok
    return frozenset(wid for wid, ok in verdict.items() if ok)


#: The letters of a stem that file its length (see ``CompiledRules._affix_edges``).
AFFIX_EDGE = 3


def _lengths_by_edge(table: dict[str, list[int]], prefix: bool) -> tuple[tuple[int, ...], dict[str, tuple[int, ...]]]:
    """``(short, by_edge)``: the sorted lengths of the stems shorter than AFFIX_EDGE letters, and
    by edge (the first, for a suffix the last, AFFIX_EDGE letters) the sorted lengths of the others."""
    short = sorted({len(stem) for stem in table if len(stem) < AFFIX_EDGE})
    by_edge: dict[str, set[int]] = {}
    for stem in table:
        if len(stem) >= AFFIX_EDGE:
            by_edge.setdefault(stem[:AFFIX_EDGE] if prefix else stem[-AFFIX_EDGE:], set()).add(len(stem))
    return tuple(short), {edge: tuple(sorted(lengths)) for edge, lengths in by_edge.items()}
