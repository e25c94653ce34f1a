"""Keyword rules: compile a codebook's keyword rules once, then code answers fast.

A rule fires at every hit of one of its ``keywords`` (the span of the matched tokens), provided

* ``near``: one of the ``near`` patterns hits at most ``within`` words away (either side; adjacent
  words are 1 apart, punctuation is not counted, an overlapping hit counts);
* ``negation="require"``: the hit is in the scope of a negation cue, ``"forbid"``: it is not.
  A cue's scope is the rest of its clause after it (a cue inside the hit counts); a cue of lack
  ("mangler", "manglande") and a cue that ends its clause ("det har vi ikke.") reach the whole
  clause; "ikke bare", "ikke minst" negate nothing (:data:`~fritekst.language.cues.NOT_NEGATING`);
  the negated phrase ends before a later "for" ("ikke behov for en stilling" does not negate the
  post); words of little negate the next two words ("lite kunnskap",
  :data:`~fritekst.language.cues.DIMINISHERS`); the word before a cue is negated too, and across
  a copula the subject ("økonomien strekker ikke til", :data:`~fritekst.language.cues.SUBJECT_VERBS`);
  a negation word in a pattern meets all its spellings ("ikke" = "ikkje");
* ``hedge="require"``: a hedge or condition (:data:`~fritekst.language.cues.HEDGES`: "dersom",
  "om det er behov", "kanskje", ...) stands in the hit's clause, ``"forbid"``: none does;
* ``unless``: none of the ``unless`` patterns hits anywhere in the answer.

Whatever the rule, no hit comes from a clause that dismisses its theme ("det handlar ikkje om
økonomi": :data:`~fritekst.language.cues.DISMISSALS`; "det er ikke pengene som er problemet":
:data:`~fritekst.language.cues.DISMISSAL_HEADS`), nor from inside a fixed expression ("ta stilling
til": :data:`~fritekst.language.cues.IDIOMS`). A pattern with a particle also meets the phrase with a
pronoun object before it ("tatt det opp"), and a lemma word its spelling in the other written
standard ("tjeneste" = "teneste", :mod:`fritekst.language.standards`).

Two lexical mechanisms widen what a word meets (both on by default, both measured in
``docs/keyword-rules.md``): *compound heads* (a one-word lemma pattern such as ``kutt`` meets the
head of an unhyphenated compound, "budsjettkutt"; :func:`~fritekst.language.lexicon.compound_heads`)
and *typos* (a form of at least :data:`TYPO_MIN_LENGTH` letters that the lexicon does not know
meets a pattern word of that length one edit away, "øknoomi" → ``økonomi``).

Pattern semantics are in :mod:`fritekst.rules.patterns` and ``docs/keyword-rules.md``.

Why it is fast: nothing is matched per token with regular expressions. Each distinct
whitespace-free chunk of text is tokenized and looked up once (:class:`~fritekst.language.analyzer.Analyzer`
caches), and each distinct word form is turned once into the set of pattern words it satisfies.
Coding an answer is then a dictionary lookup per chunk plus a little work at the few tokens that
satisfy some pattern word.

Examples
--------
>>> rules = [KeywordRuleSpec("r1", "okonomi", ["økonomi*", "ikke råd"]),
...          KeywordRuleSpec("r2", "stilling", ["stilling"], negation="forbid")]
>>> m = KeywordMatcher(rules)
>>> for hit in m.match("Vi har ikke råd. Økonomien er trang, ingen stillingar."):
...     print(hit)
Hit(code_id='okonomi', rule_id='r1', start=7, end=15)
Hit(code_id='okonomi', rule_id='r1', start=17, end=26)
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from itertools import accumulate
from typing import Any, Literal, NamedTuple

from fritekst.errors import PatternError
from fritekst.language.analyzer import TRIPLED_LETTER, Analyzer, get_default_analyzer
from fritekst.language.cues import (
    DIMINISHER_REACH,
    DIMINISHERS,
    DISMISSAL_BREAKS,
    DISMISSAL_HEADS,
    DISMISSAL_REACH,
    DISMISSALS,
    HEDGES,
    IDIOMS,
    NOT_NEGATING,
    PREDICATIVE_DIMINISHERS,
    REACHES_BACK,
    REFUSALS,
    SCOPE_ENDS,
    SUBJECT_VERBS,
    cue_spellings,
    refusal_scope,
    PLANS, plan_scope, plan_hedged, EXACT_HEDGES, NOT_HEDGING,
    with_object_pronouns,
)
from fritekst.language.lexicon import compound_heads, is_known, within_one_edit
from fritekst.language.standards import other_spellings
from fritekst.rules.patterns import Pattern, parse_pattern

__all__ = ["KeywordRuleSpec", "KeywordMatcher", "Hit", "validate_rule", "NEGATION_MODES",
           "HEDGE_MODES", "MATCH_MODES", "WITHIN_MIN", "WITHIN_MAX", "TYPO_MIN_LENGTH"]

NegationMode = Literal["any", "require", "forbid"]
HedgeMode = Literal["any", "require", "forbid"]
MatchMode = Literal["lemma", "exact"]
NEGATION_MODES: tuple[str, ...] = ("any", "require", "forbid")
HEDGE_MODES: tuple[str, ...] = ("any", "require", "forbid")
MATCH_MODES: tuple[str, ...] = ("lemma", "exact")
#: ``within`` is a whole number of words in this range (the one rule schema, also for codebooks).
WITHIN_MIN, WITHIN_MAX = 1, 50
#: Typo matching: only forms and pattern words at least this long (never short words or acronyms).
TYPO_MIN_LENGTH = 6
#: Answers of at most this many characters have their hits remembered (short answers repeat).
ANSWER_CACHE_LENGTH = 80
# Inflection endings stripped from an unknown form before the typo test ("øknoomien" -> "øknoomi").
_TYPO_ENDINGS = ("ene", "ane", "en", "et", "er", "ar", "a", "e", "ne")


@dataclass(frozen=True)
class KeywordRuleSpec:
    """One keyword rule of a code: the only schema of a keyword rule.

    The codebook (:mod:`fritekst.rules.codebook`) keeps one of these per keyword rule and checks
    it with :func:`validate_rule`, so both accept exactly the same rules.
    """

    rule_id: str
    code_id: str
    keywords: tuple[str, ...] | list[str]
    near: tuple[str, ...] | list[str] = ()
    within: int = 5
    negation: NegationMode = "any"
    unless: tuple[str, ...] | list[str] = ()
    match: MatchMode = "lemma"
    hedge: HedgeMode = "any"
    #: One-word lemma keywords (and near/unless words) also meet compound heads ("kutt" meets
    #: "budsjettkutt"). Off by default: measured, it does not win (docs/keyword-rules.md).
    compounds: bool = False
    #: Long unknown forms meet long words one edit away ("øknoomi" meets "økonomi"). On by default.
    typos: bool = True

    @property
    def mode(self) -> str:
        """How this rule's words are matched, e.g. ``lemma+typos`` (the matcher's index key)."""
        if self.match != "lemma":
            return self.match
        return "+".join(["lemma"] + (["compounds"] if self.compounds else [])
                        + (["typos"] if self.typos else []))


class Hit(NamedTuple):
    """A rule firing on a span of an answer (0-based code points, end-exclusive)."""

    code_id: str
    rule_id: str
    start: int
    end: int


def validate_rule(spec: KeywordRuleSpec, analyzer: Analyzer | None = None) -> list[str]:
    """Every problem of one rule as one-line messages (empty list when the rule is valid).

    Examples
    --------
    >>> rule = KeywordRuleSpec("r", "c", ["ikke råd"], negation="forbid")
    >>> validate_rule(rule)  # doctest: +ELLIPSIS
    ['rule "r": keyword "ikke råd" contains the negation cue "ikke", so negation: forbid ...']
    """
    analyzer = analyzer or get_default_analyzer()
    where = f'rule "{spec.rule_id}"'
    problems: list[str] = []
    if spec.negation not in NEGATION_MODES:
        problems.append(
            f"{where}: negation is {spec.negation!r}; expected any, require or forbid"
        )
    if spec.hedge not in HEDGE_MODES:
        problems.append(f"{where}: hedge is {spec.hedge!r}; expected any, require or forbid")
    if spec.match not in MATCH_MODES:
        problems.append(f"{where}: match is {spec.match!r}; expected lemma or exact")
    if (isinstance(spec.within, bool) or not isinstance(spec.within, int)
            or not WITHIN_MIN <= spec.within <= WITHIN_MAX):
        problems.append(
            f"{where}: within is {spec.within!r}; expected a whole number of words from "
            f"{WITHIN_MIN} to {WITHIN_MAX}, e.g. 5"
        )
    if not spec.keywords:
        problems.append(f'{where}: has no keywords; add at least one, e.g. keywords: ["økonomi*"]')
    for role, texts in (("keywords", spec.keywords), ("near", spec.near), ("unless", spec.unless)):
        for text in texts:
            try:
                pattern = parse_pattern(text, analyzer)
            except PatternError as exc:
                problems.append(f"{where}, {role}: {exc}")
                continue
            if role == "keywords" and spec.negation == "forbid":
                cues = [
                    w.text
                    for w in pattern.words
                    if w.kind == "word" and analyzer.is_negation_cue(w.text)
                ]
                if cues:
                    problems.append(
                        f'{where}: keyword "{pattern.text}" contains the negation cue "{cues[0]}", '
                        "so negation: forbid can never let it fire; drop the cue from the keyword "
                        "or set negation: any"
                    )
    return problems


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


class _Scope:
    """Negation, hedge and dismissal facts of one answer (clause and word indices)."""

    __slots__ = ("cues", "cancelled", "hedged", "dismissed", "clause_scope", "short", "planned")

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


class KeywordMatcher:
    """Compiled keyword rules; ``match(text)`` returns the hits of every rule in one answer.

    Parameters
    ----------
    rules : list of KeywordRuleSpec
        The rules; all are validated up front (:class:`~fritekst.errors.PatternError` on the
        first problem).
    analyzer : Analyzer, optional
        Defaults to the process-wide shared analyzer.
    compounds, typos : bool, optional
        Override the rules' own ``compounds`` / ``typos`` settings (for measurement); by default
        each rule says (:class:`KeywordRuleSpec`).
    negation_scope : {"phrase", "clause"}
        ``phrase`` (default): a cue negates what follows it in its clause (lack words and
        clause-final cues the whole clause). ``clause``: every cue negates its whole clause (the
        behaviour before fritekst 0.4, kept for measurement).

    Notes
    -----
    Picklable: only the rule specs and options are pickled; a worker process rebuilds the
    compiled form (and its caches) with its own shared analyzer.

    Examples
    --------
    >>> m = KeywordMatcher([KeywordRuleSpec("r", "team", ["fact", "team*"])])
    >>> [(h.start, h.end) for h in m.match("FACT-teamet møtes")]
    [(0, 4), (5, 11)]
    >>> m = KeywordMatcher([KeywordRuleSpec("r", "modeller", ["fact"], negation="forbid")])
    >>> m.match("Vi har ikke FACT-team."), len(m.match("FACT-teamet har ikke ventetid."))
    ([], 1)
    """

    #: The chunk cache is cleared when it grows past this many entries.
    max_cache: int = 300_000

    def __init__(self, rules: Sequence[KeywordRuleSpec], analyzer: Analyzer | None = None, *,
                 compounds: bool | None = None, typos: bool | None = None,
                 negation_scope: Literal["phrase", "clause", "hybrid"] = "phrase") -> None:
        self.rules = list(rules)
        self.options: dict[str, Any] = {"compounds": compounds, "typos": typos,
                                        "negation_scope": negation_scope}
        self._specs = [replace(spec, compounds=spec.compounds if compounds is None else compounds,
                               typos=spec.typos if typos is None else typos)
                       for spec in self.rules]
        self._analyzer = analyzer or get_default_analyzer()
        self._clause_scope = negation_scope == "clause"
        self._require_clause = negation_scope == "hybrid"
        self._compile()
        # Speed (see _match_segments): sentences are matched once each when no rule looks past
        # its clause (near, unless).
        self._segmentable = not any(rule.near or rule.unless for rule in self._conditional)
        self._segments: dict[str, tuple[Hit, ...]] = {}
        # Speed (see _typo_ids): prefix typo targets by first letter and length.
        self._typo_prefix_by_length: dict[tuple[str, int], list[tuple[str, int]]] = {}
        for first_letter, targets in self._typo_prefixes.items():
            for text, wid in targets:
                self._typo_prefix_by_length.setdefault((first_letter, len(text)), []).append((text, wid))
        self._typo_prefix_lengths = {first_letter: sorted({len(text) for text, _ in targets})
                                     for first_letter, targets in self._typo_prefixes.items()}
        self._typo_prefix_near: dict[str, tuple[int, ...]] = {}

    def __getstate__(self) -> dict[str, Any]:
        return {"rules": self.rules, "options": self.options}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["rules"], **state.get("options", {}))  # type: ignore[misc]

    # -- compilation -----------------------------------------------------------------------------
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

        for spec in self._specs:
            keyword_pids = pattern_ids_of(spec.keywords, spec.mode)
            near = pattern_ids_of(spec.near, spec.mode)
            unless = frozenset(pattern_ids_of(spec.unless, spec.mode))
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
        self._scope_end_pids = frozenset(pattern_ids_of(SCOPE_ENDS, "exact"))
        self._reaches_back = REACHES_BACK
        self._idiom_pids = frozenset(pattern_ids_of(IDIOMS, "lemma"))
        self._refusal_pids = frozenset(pattern_ids_of(REFUSALS, "lemma"))
        self._subject_verb_pids = frozenset(pattern_ids_of(SUBJECT_VERBS, "exact"))
        uses_hedge = any(spec.hedge != "any" for spec in self._specs)
        self._hedge_pids = frozenset(pattern_ids_of(HEDGES, "lemma") + pattern_ids_of(EXACT_HEDGES, "exact")
                                     ) if uses_hedge else _EMPTY
        self._not_hedging_pids = frozenset(pattern_ids_of(NOT_HEDGING, "exact")) if uses_hedge else _EMPTY
        self._plan_pids = frozenset(pattern_ids_of(PLANS, "lemma")) if uses_hedge else _EMPTY
        self._plain = {pid: tuple(v) for pid, v in plain.items()}
        self._negation_only = {pid: tuple(v) for pid, v in negation_only.items()}
        self._plain_phrases = {
            pid: v for pid, v in self._plain.items() if len(self._pattern_words[pid]) > 1
        }
        self._continuation_ids = frozenset(
            wid for words in self._pattern_words for wid in words[1:]
        )
        self._conditional_pids = frozenset(conditional).union(
            *(rule.near for rule in self._conditional), *(rule.unless for rule in self._conditional),
            self._cancel_pids, self._dismiss_pids, self._hedge_pids, self._dismiss_head_pids,
            self._dismiss_break_pids,
            self._diminisher_pids, self._predicative_pids, self._scope_end_pids,
            self._subject_verb_pids, self._idiom_pids, self._refusal_pids, self._plan_pids,
            self._not_hedging_pids,
        )
        self._conditional_by_pid = {pid: tuple(v) for pid, v in conditional.items()}
        self._first_word = {wid: tuple(pids) for wid, pids in first_word.items()}
        self._long_phrases = frozenset(
            pid for pid, words in enumerate(self._pattern_words) if len(words) > 2
        )
        self._affix_lengths = {
            key: sorted({len(stem) for stem in table}) for key, table in self._affix.items()
        }
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
        if "typos" in mode and kind in ("word", "prefix") and len(text) >= TYPO_MIN_LENGTH:
            self._typo_targets.setdefault(text[0], []).append((text, kind, wid))

    def _head_ids(self, head: str) -> set[int]:
        """Words of compound-enabled rules that a compound's head meets (lemma or prefix)."""
        ids: set[int] = set()
        lemmas = self._analyzer.lemmas(head)
        for lemma in lemmas:
            ids.update(self._head_lemma.get(lemma, ()))
            for n in self._head_prefix_lengths:
                if n > len(lemma):
                    break
                ids.update(self._head_prefix.get(lemma[:n], ()))
        return ids

    def _word_ids(self, lower: str, lemmas: frozenset[str]) -> set[int]:
        """Pattern words a form satisfies as itself: lemma sets, surface form, wildcards."""
        ids: set[int] = set()
        for lemma in lemmas:
            ids.update(self._by_lemma.get(lemma, ()))
        ids.update(self._by_form.get(lower, ()))
        for (kind, lemma_mode), table in self._affix.items():
            if not table:
                continue
            lengths = self._affix_lengths[(kind, lemma_mode)]
            for candidate in lemmas if lemma_mode else (lower,):
                for n in lengths:
                    if n > len(candidate):
                        break
                    piece = candidate[:n] if kind == "prefix" else candidate[-n:]
                    ids.update(table.get(piece, ()))
        for stem, lemma_mode, wid in self._infix:
            if any(stem in c for c in (lemmas if lemma_mode else (lower,))):
                ids.add(wid)
        return ids

    def _typo_ids(self, lower: str) -> set[int]:
        """Long pattern words one edit from an unknown form (or from it without its ending)."""
        ids: set[int] = set()
        first = lower[0]
        if first not in self._typo_targets:
            return ids
        variants = {lower} | {lower[: -len(e)] for e in _TYPO_ENDINGS
                              if lower.endswith(e) and len(lower) - len(e) >= TYPO_MIN_LENGTH}
        words = self._typo_words
        for variant in variants:
            n = len(variant)
            for length in (n - 1, n, n + 1):
                for text, wid in words.get((first, length), ()):
                    if wid not in ids and within_one_edit(variant, text):
                        ids.add(wid)
        # A prefix target of n letters meets the form when one of its first n-1, n or n+1 letters
        # are one edit away: taken the other way round, each start lower[:m] meets the targets of
        # m-1..m+1 letters one edit from it. Starts recur across forms, so each start's targets
        # are looked up once (the same ids as testing every target of the letter against the form).
        lengths = self._typo_prefix_lengths.get(first)
        if lengths:
            near = self._typo_prefix_near
            for m in range(max(1, lengths[0] - 1), min(len(lower), lengths[-1] + 1) + 1):
                start = lower[:m]
                found = near.get(start)
                if found is None:
                    found = near[start] = self._prefix_targets_near(first, start)
                if found:
                    ids.update(found)
        return ids

    def _prefix_targets_near(self, first: str, start: str) -> tuple[int, ...]:
        """Prefix targets (first letter ``first``) of one letter more, as many or one less than
        ``start`` that are one edit from it."""
        if len(self._typo_prefix_near) >= self.max_cache:
            self._typo_prefix_near.clear()
        m = len(start)
        return tuple(wid for length in (m - 1, m, m + 1)
                     for text, wid in self._typo_prefix_by_length.get((first, length), ())
                     if within_one_edit(start, text))

    def _form_record(self, lower: str) -> _FormRecord | None:
        """What one lowercase form satisfies; computed once per form (the expensive part)."""
        if lower in self._forms:
            return self._forms[lower]
        record = None
        if any(c.isalnum() for c in lower):
            lemmas = self._analyzer.lemmas(lower)
            ids = self._word_ids(lower, lemmas)
            if TRIPLED_LETTER.search(lower):  # "grunnnar" is also read as "grunnar"
                fixed = TRIPLED_LETTER.sub(r"\1\1", lower)
                ids |= self._word_ids(fixed, self._analyzer.lemmas(fixed))
            if (self._typo_targets and not ids and len(lower) >= TYPO_MIN_LENGTH
                    and lower.isalpha() and not is_known(lower)):
                ids = self._typo_ids(lower)
            # Compound heads count for one-word patterns only: "ikke råd" must not meet
            # "ikke brukerråd".
            heads: set[int] = set()
            if self._head_lemma or self._head_prefix:
                for head in compound_heads(lower):
                    heads |= self._head_ids(head)
            if ids or heads:
                singles: list[int] = []
                phrases: dict[int, list[int]] = {}
                for wid in ids | heads:
                    for pid in self._first_word.get(wid, ()):
                        words = self._pattern_words[pid]
                        if len(words) == 1:
                            singles.append(pid)
                        elif wid in ids:
                            phrases.setdefault(words[1], []).append(pid)
                if singles or phrases or not self._continuation_ids.isdisjoint(ids):
                    record = _FormRecord(
                        frozenset(ids),
                        tuple(sorted(set(singles))),
                        {wid: tuple(sorted(set(pids))) for wid, pids in phrases.items()},
                        frozenset(singles).union(*phrases.values()),
                    )
        if len(self._forms) >= self.max_cache:
            self._forms.clear()
        self._forms[lower] = record
        return record

    def _chunk_record(self, chunk: str) -> tuple[Any, ...]:
        """Everything matching needs from one whitespace-free chunk, relative to the chunk.

        ``(n_positions, n_words, first_token_starts_clause, clause_breaks_inside,
        last_token_ends_clause, units, cues, fixed_hits, negatable_hits, ends_with_open_cue)``.
        Punctuation tokens are positions (they break phrases) but not words (they do not count
        for ``within``). A cue is ``(clause, word, reaches_whole_clause)``. One-word keywords of
        rules without conditions are ready-made hits ``(start, end, clause, code_id, rule_id)``,
        and of rules whose only condition is negation ``(start, end, clause, word, code_id,
        rule_id, negation_required)``; only units that can take part in a phrase or another
        conditional rule are kept for the per-answer work.
        """
        analyzer = self._analyzer
        plain = self._plain
        negation_only = self._negation_only
        continuation_ids = self._continuation_ids
        conditional_pids = self._conditional_pids
        units: list[tuple[Any, ...]] = []
        cues: list[tuple[int, int, bool]] = []
        fixed: list[tuple[Any, ...]] = []
        negatable: list[tuple[Any, ...]] = []
        pos = word = clause = 0
        first_new = False
        pending = False
        open_cue = -1  # index in cues of a cue no word has followed yet

        def add(p0: int, p1: int, w0: int, w1: int, start: int, end: int,
                record: _FormRecord, skip: frozenset[int]) -> None:
            for pid in record.singles:
                if pid not in skip:  # the whole hyphenated token already hit this pattern
                    fixed.extend((start, end, clause) + output for output in plain.get(pid, ()))
                    negatable.extend(
                        (start, end, clause, w1) + output for output in negation_only.get(pid, ())
                    )
            singles = tuple(pid for pid in record.singles if pid in conditional_pids)
            if singles or record.phrases or not continuation_ids.isdisjoint(record.ids):
                units.append((p0, p1, w0, w1, clause, start, end, record.ids, singles,
                              record.phrases, skip))

        for i, (start, end, text) in enumerate(analyzer.chunk_tokens(chunk)):
            info = analyzer.form_info(text)
            if i == 0:
                first_new = info.starts_clause
            elif pending or info.starts_clause:
                clause += 1
            pending = info.ends_clause
            if info.parts:
                open_cue = -1
                n = len(info.parts)
                whole = self._form_record(info.lower)
                if whole:
                    add(pos, pos + n, word, word + n - 1, start, end, whole, _EMPTY)
                skip = whole.starts if whole else _EMPTY
                for part_start, part_end, part in info.parts:
                    record = self._form_record(part)
                    if record:
                        add(pos, pos + 1, word, word, start + part_start, start + part_end,
                            record, skip)
                    if analyzer.form_info(part).is_negation_cue:
                        cues.append((clause, word, analyzer.is_lack_cue(part)))
                    pos += 1
                    word += 1
                continue
            if info.is_punct:
                if info.ends_clause and open_cue >= 0:  # "det har vi ikke." negates the clause
                    cues[open_cue] = (cues[open_cue][0], cues[open_cue][1], True)
                    open_cue = -1
            else:
                open_cue = -1
                record = self._form_record(info.lower)
                if record:
                    add(pos, pos + 1, word, word, start, end, record, _EMPTY)
                if info.is_negation_cue:
                    cues.append((clause, word, analyzer.is_lack_cue(info.lower)))
                    open_cue = len(cues) - 1
            pos += 1
            if not info.is_punct:
                word += 1
        result = (
            pos, word, first_new, clause, pending,
            tuple(units), tuple(cues), tuple(fixed), tuple(negatable), open_cue >= 0,
            *self._links(units, pos),
        )
        if result == _PLAIN_WORD:
            result = _PLAIN_WORD  # shared object: the hot loop tests it by identity
        if len(self._chunks) >= self.max_cache:
            self._chunks.clear()
            self._chunks["\n"] = _NEWLINE
        self._chunks[chunk] = result
        return result

    def _links(self, units: list[tuple[Any, ...]],
               n_positions: int) -> tuple[frozenset[int], frozenset[int], bool]:
        """``(head, tail, droppable)`` of a chunk's units, for the phrase-link filter of :meth:`match`.

        ``head``: the ids of units at the chunk's first position (they may continue a phrase from
        the chunk before); ``tail``: the word ids that may follow a unit ending at its last position
        (a phrase may continue into the next chunk). ``droppable``: every unit is only a possible
        phrase word (no one-word pattern) and no two of them link inside the chunk, so the units
        matter only when the chunk links to a neighbour. Every unit of a phrase occurrence links to
        the next one, so leaving out the units of unlinked droppable chunks never loses a hit.
        """
        if not units:
            return _EMPTY, _EMPTY, False
        successors = self._successors

        def follow(u: tuple[Any, ...]) -> frozenset[int]:
            return frozenset().union(*(successors.get(wid, _EMPTY) for wid in u[_IDS]))

        head = frozenset().union(*(u[_IDS] for u in units if u[_P0] == 0))
        tail = frozenset().union(*(follow(u) for u in units if u[_P1] == n_positions))
        droppable = not any(u[_SINGLES] for u in units) and not any(
            u[_P1] == v[_P0] and not follow(u).isdisjoint(v[_IDS]) for u in units for v in units)
        return head, tail, droppable

    # -- matching --------------------------------------------------------------------------------
    def match(self, text: str) -> list[Hit]:
        """Hits of all rules in one answer, sorted by start (then end, code, rule).

        Examples
        --------
        >>> m = KeywordMatcher([KeywordRuleSpec("r", "c", ["ledige stillinger"])])
        >>> m.match("Ingen ledige stillingar i år")
        [Hit(code_id='c', rule_id='r', start=6, end=23)]
        """
        # Short answers repeat ("Nei", "Vet ikke", "Ikke aktuelt for oss"): their hits are
        # remembered per text (hits depend on the text alone; bounded like the other caches).
        if len(text) > ANSWER_CACHE_LENGTH:
            return self._match_segments(text) if self._segmentable else self._match(text)
        cached = self._answers.get(text)
        if cached is None:
            cached = tuple(self._match_segments(text) if self._segmentable else self._match(text))
            if len(self._answers) >= self.max_cache:
                self._answers.clear()
            self._answers[text] = cached
        return list(cached)

    def _match_segments(self, text: str) -> list[Hit]:
        """:meth:`_match`, sentence by sentence, each distinct sentence matched once.

        Without ``near`` and ``unless`` every decision stays inside a clause (negation, hedges,
        dismissals) or a run of adjacent positions (phrases), so an answer falls apart at each
        chunk whose last token ends a clause (e.g. "stramt.") and leaves no cue open: no phrase
        continues past its punctuation token (punctuation never satisfies a pattern word) and no
        scope reaches the next clause. Such a sentence's hits, relative to its first character,
        are the same in every answer, and survey answers repeat sentences. Only the chunks that
        end in ``. ! ?`` and whitespace are tried as cuts; the chunk's record decides.
        """
        parts = _SENTENCE_END_RE.split(text)  # [sentence, whitespace, sentence, ..., sentence]
        if len(parts) == 1:
            return list(self._sentence_hits(text))
        hits: list[Hit] = []
        get = self._chunks.get
        new = tuple.__new__
        start = pos = 0  # where the current sentence starts, where parts[k] starts
        last = len(parts) - 1
        for k in range(0, last + 1, 2):
            piece = parts[k]
            end = pos + len(piece)
            if k < last:
                chunk = piece.rsplit(None, 1)[-1]
                rec = get(chunk) or self._chunk_record(chunk)
                if not rec[4] or rec[9]:  # no clause end, or a cue left open: not a cut
                    pos = end + len(parts[k + 1])
                    continue
            found = self._sentence_hits(piece if start == pos else text[start:end])
            if not start:
                hits.extend(found)
            elif found:
                hits.extend([new(Hit, (c, r, s + start, e + start)) for c, r, s, e in found])
            if k < last:
                start = pos = end + len(parts[k + 1])
        return hits

    def _sentence_hits(self, sentence: str) -> tuple[Hit, ...]:
        found = self._segments.get(sentence)
        if found is None:
            found = tuple(self._match(sentence))
            if len(self._segments) >= self.max_cache:
                self._segments.clear()
            self._segments[sentence] = found
        return found

    def _match(self, text: str) -> list[Hit]:
        # Line breaks end clauses: keep them as "\n" chunks.
        if "\n" in text:
            chunk_texts = _CHUNK_RE.findall(text)
        else:
            chunk_texts = text.split()
        get = self._chunks.get
        plain = _PLAIN_WORD
        pos = word = clause = 0
        pending = False
        trailing = False  # the last chunk ended with a cue no word has followed yet
        units: list[tuple[Any, ...]] = []
        fixed: list[tuple[int, int, tuple[Any, ...]]] = []
        negatable: list[tuple[int, int, int, tuple[Any, ...]]] = []
        cues: list[list[Any]] = []
        sentence_starts: list[int] = []  # word indices where a sentence starts (cuts of _match_segments)
        # Phrase-link filter: the units of a droppable chunk are placed only when it links to the
        # chunk before or after it (see _links). `tail_at` is the index of the last chunk with
        # positions that had a tail, `deferred` its unplaced units.
        tail_at = -2
        tail: frozenset[int] = _EMPTY
        deferred: tuple[Any, ...] | None = None
        for i, chunk in enumerate(chunk_texts):
            rec = get(chunk) or self._chunk_record(chunk)
            if rec is plain:  # the common case: a word that satisfies no pattern word
                if pending:
                    clause += 1
                    pending = False
                trailing = False
                pos += 1
                word += 1
                continue
            if trailing:
                if (rec[2] and i) or (not rec[1] and rec[4]):
                    cues[-1][2] = True  # the clause ends right after the cue
                    trailing = False
                elif rec[1]:
                    trailing = False
            if pending or (rec[2] and i):
                clause += 1
            if not rec[0]:  # a line break: no position, so phrases continue across it
                if tail_at == i - 1:
                    tail_at = i
            else:
                linked = tail_at == i - 1 and not tail.isdisjoint(rec[10])
                if linked and deferred is not None:
                    d_pos, d_word, d_clause, d_i, d_units = deferred
                    for u in d_units:
                        units.append((d_pos + u[0], d_pos, d_word, d_clause, d_i, u))
                deferred = None
                if rec[5]:
                    if linked or not rec[12]:
                        for u in rec[5]:
                            units.append((pos + u[0], pos, word, clause, i, u))
                    else:
                        deferred = (pos, word, clause, i, rec[5])
                if rec[11]:
                    tail = rec[11]
                    tail_at = i
            if rec[6]:
                for c, w, whole in rec[6]:
                    cues.append([clause + c, word + w, whole])
            if rec[7]:
                fixed.append((i, clause, rec[7]))
            if rec[8]:
                negatable.append((i, clause, word, rec[8]))
            if rec[9]:
                trailing = True
            elif rec[4] and chunk[-1] in ".!?":  # "stramt." ends a sentence: a refusal stops there
                sentence_starts.append(word + rec[1])
            pos += rec[0]
            word += rec[1]
            clause += rec[3]
            pending = rec[4]
        if not units and not fixed and not negatable:
            return []
        if trailing:
            cues[-1][2] = True  # the answer ends right after the cue
        pattern_hits = self._pattern_hits(units) if units else {}
        return self._rules_on(text, chunk_texts, fixed, negatable, pattern_hits,
                              self._scope(cues, pattern_hits, sentence_starts))

    def match_many(self, texts: Iterable[str]) -> list[list[Hit]]:
        """:meth:`match` for each text, in order."""
        match = self.match
        return [match(t) for t in texts]

    def _scope(self, cues: list[list[Any]], pattern_hits: dict[int, list[tuple[Any, Any]]],
               sentence_starts: Sequence[int] = ()) -> _Scope:
        cancelled: set[int] = set()
        hedged: set[int] = set()
        dismissed: set[int] = set()
        unhedged = {a[_WORD] + a[_UNIT][_W0] for pid in self._not_hedging_pids.intersection(pattern_hits)
                    for a, _b in pattern_hits[pid]}  # "etter hvert kurs": the first word of the hedge
        for pid, occurrences in pattern_hits.items():
            if pid in self._cancel_pids:
                for a, b in occurrences:
                    cancelled.update(range(a[_WORD] + a[_UNIT][_W0], b[_WORD] + b[_UNIT][_W1] + 1))
            if pid in self._dismiss_pids:
                for a, b in occurrences:
                    dismissed.update((a[_CLAUSE] + a[_UNIT][_CL], b[_CLAUSE] + b[_UNIT][_CL]))
            if pid in self._hedge_pids:
                for a, b in occurrences:
                    if a[_WORD] + a[_UNIT][_W0] not in unhedged:
                        hedged.update((a[_CLAUSE] + a[_UNIT][_CL], b[_CLAUSE] + b[_UNIT][_CL]))
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
        for c, w, whole, _end in cues if self._reaches_back else ():
            if whole or w in cancelled:
                continue
            back = w - 2 if (c, w - 1) in verbs else w - 1
            short.append((c, back, w - 1))
        for pid in self._refusal_pids.intersection(pattern_hits):  # "søkte om tilskot, men fekk avslag"
            for a, b in pattern_hits[pid]:
                first = a[_WORD] + a[_UNIT][_W0]
                short.extend(refusal_scope(a[_CLAUSE] + a[_UNIT][_CL], first, b[_CLAUSE] + b[_UNIT][_CL],
                                           b[_WORD] + b[_UNIT][_W1],
                                           max((w for w in sentence_starts if w <= first), default=0)))
        for pid in self._predicative_pids.intersection(pattern_hits):
            for a, _b in pattern_hits[pid]:  # "behovet er lite": the whole clause
                cues.append([a[_CLAUSE] + a[_UNIT][_CL], a[_WORD] + a[_UNIT][_W0], True, 1 << 30])
        breaks = [
            (a[_CLAUSE] + a[_UNIT][_CL], a[_WORD] + a[_UNIT][_W0])
            for pid in self._dismiss_break_pids.intersection(pattern_hits) for a, _b in pattern_hits[pid]
        ]
        for pid in self._dismiss_head_pids.intersection(pattern_hits):
            # "det er ikke pengene som er problemet": a cue (not of lack) before the head
            for a, _b in pattern_hits[pid]:
                clause, head = a[_CLAUSE] + a[_UNIT][_CL], a[_WORD] + a[_UNIT][_W0]
                if any(c == clause and 0 < head - w <= DISMISSAL_REACH and not whole and w not in cancelled
                       and not any(bc == c and w < b < head for bc, b in breaks)
                       for c, w, whole, _end in cues):
                    dismissed.add(clause)
        scope = _Scope(cues, cancelled, hedged, dismissed, self._clause_scope, short)
        scope.planned = [  # "planlegger å innføre KOR": what the plan governs is hedged
            plan_scope(c, a[_WORD] + a[_UNIT][_W0], b[_WORD] + b[_UNIT][_W1], [w for bc, w in breaks if bc == c])
            for pid in self._plan_pids.intersection(pattern_hits) for a, b in pattern_hits[pid]
            for c in (a[_CLAUSE] + a[_UNIT][_CL],)]
        return scope

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

    def _pattern_hits(self, units: list[tuple[Any, ...]]) -> dict[int, list[tuple[Any, Any]]]:
        """pattern id -> [(first unit, last unit)] for every pattern occurrence."""
        hits: dict[int, list[tuple[Any, Any]]] = {}
        long_phrases = self._long_phrases
        n = len(units)
        for k, placed in enumerate(units):
            u = placed[_UNIT]
            skip = u[_SKIP]
            for pid in u[_SINGLES]:
                if pid not in skip:  # the whole hyphenated token already hit this pattern
                    hits.setdefault(pid, []).append((placed, placed))
            phrases = u[_PHRASES]
            if not phrases:
                continue
            # Phrases: the next unit must start exactly where this one ends (units are sorted).
            target = placed[_POS] + u[_P1]
            for j in range(k + 1, n):
                nxt = units[j]
                if nxt[_ABS] > target:
                    break
                if nxt[_ABS] < target:
                    continue
                for second in phrases.keys() & nxt[_UNIT][_IDS]:
                    for pid in phrases[second]:
                        if pid in skip:
                            continue
                        last = self._phrase_end(units, j, pid) if pid in long_phrases else nxt
                        if last is not None:
                            hits.setdefault(pid, []).append((placed, last))
        return hits

    def _phrase_end(
        self, units: list[tuple[Any, ...]], j: int, pid: int
    ) -> tuple[Any, ...] | None:
        """Last unit of phrase ``pid`` whose second word is ``units[j]``, or None (3+ words)."""
        last = units[j]
        for wid in self._pattern_words[pid][2:]:
            target = last[_POS] + last[_UNIT][_P1]
            follow = None
            for cand in units[j + 1 :]:
                if cand[_ABS] > target:
                    break
                if cand[_ABS] == target and wid in cand[_UNIT][_IDS]:
                    follow = cand
                    break
            if follow is None:
                return None
            last = follow
            j = units.index(follow, j + 1)
        return last


    def _rules_on(
        self,
        text: str,
        chunk_texts: list[str],
        fixed: list[tuple[int, int, tuple[Any, ...]]],
        negatable: list[tuple[int, int, int, tuple[Any, ...]]],
        pattern_hits: dict[int, list[tuple[Any, Any]]],
        scope: _Scope,
    ) -> list[Hit]:
        offsets = self._chunk_offsets(text, chunk_texts)
        dismissed = scope.dismissed
        found: set[tuple[Any, ...]] = set()
        add = found.add
        for i, clause, hits in fixed:
            offset = offsets[i]
            for start, end, hit_clause, code_id, rule_id in hits:
                if not dismissed or clause + hit_clause not in dismissed:
                    add((offset + start, offset + end, code_id, rule_id))
        has_cues = not scope.negates_nothing  # most answers: nothing is negated
        require_clause = self._require_clause
        for i, clause, word, negatable_hits in negatable:
            offset = offsets[i]
            for start, end, hit_clause, hit_word, code_id, rule_id, required in negatable_hits:
                c = clause + hit_clause
                if c in dismissed:
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
                    span = (offsets[a[_CHUNK]] + a[_UNIT][_CS], offsets[b[_CHUNK]] + b[_UNIT][_CE])
                    for output in outputs:
                        add(span + output)
            if pid not in conditional_by_pid:
                continue
            for index in conditional_by_pid[pid]:
                rule = self._conditional[index]
                if rule.unless and not rule.unless.isdisjoint(pattern_hits):
                    continue
                for a, b in occurrences:
                    clause_a = a[_CLAUSE] + a[_UNIT][_CL]
                    clause_b = b[_CLAUSE] + b[_UNIT][_CL]
                    if dismissed and (clause_a in dismissed or clause_b in dismissed):
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
        new = tuple.__new__
        return [new(Hit, (c, r, s, e)) for s, e, c, r in sorted(found)]

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
                near_lo = c[_WORD] + c[_UNIT][_W0]
                near_hi = d[_WORD] + d[_UNIT][_W1]
                if near_lo > hi:
                    distance = near_lo - hi
                elif near_hi < lo:
                    distance = lo - near_hi
                else:
                    distance = 0
                if distance <= rule.within:
                    return True
        return False
