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
meets a pattern word of that length one edit away, "øknoomi" → ``økonomi``; a five-letter one, not
in capitals, a pattern word of that length with one letter dropped, "vikig" → ``viktig``).

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

from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any, Literal

from fritekst.language.analyzer import Analyzer, get_default_analyzer
from fritekst.language.lexicon import OneEditIndex
from fritekst.rules.keyword_memo import SentenceMemo
from fritekst.rules.keyword_spec import (
    ANSWER_CACHE_LENGTH,
    HEDGE_MODES,
    MATCH_MODES,
    NEGATION_MODES,
    TYPO_MIN_LENGTH,
    WITHIN_MAX,
    WITHIN_MIN,
    Hit,
    KeywordRuleSpec,
    validate_rule,
)

__all__ = ["KeywordRuleSpec", "KeywordMatcher", "Hit", "validate_rule", "NEGATION_MODES",
           "HEDGE_MODES", "MATCH_MODES", "WITHIN_MIN", "WITHIN_MAX", "TYPO_MIN_LENGTH"]

# The matcher is built in layers, one module each: keyword_spec (the rule schema), keyword_compile
# (pattern tables), keyword_records (per-form and per-chunk records), keyword_scope (negation,
# hedges, dismissals, near/unless), keyword_loop (the per-answer loop and phrase pairing),
# keyword_memo (the sentence memo) and this module (the public matcher and its answer cache).


class KeywordMatcher(SentenceMemo):
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
        self._segments = {}
        # New sentences are matched once per shape of their chunks (see _shaped_spans).
        self._shapes = {}
        self._shape_ids = {}
        self._by_shape = {}
        # Answers with near/unless rules: sentences matched once each, near/unless decided per
        # answer (see _conditional_spans).
        self._facts = {}
        self._near_pids = frozenset().union(*(rule.near for rule in self._conditional))
        self._unless_pids = frozenset().union(*(rule.unless for rule in self._conditional))
        # Speed (see _typo_ids): the lengths of the prefix typo targets by first letter.
        self._typo_prefix_lengths = {first_letter: sorted({len(text) for text, _ in targets})
                                     for first_letter, targets in self._typo_prefixes.items()}
        self._typo_prefix_near: dict[str, tuple[tuple[int, str], ...]] = {}
        # Speed (see _typo_ids): only the targets that share a pair of letters with a form are tested.
        self._typo_word_index = OneEditIndex(target for bucket in self._typo_words.values() for target in bucket)
        self._typo_prefix_index = OneEditIndex(target for targets in self._typo_prefixes.values()
                                               for target in targets)

    def __getstate__(self) -> dict[str, Any]:
        return {"rules": self.rules, "options": self.options}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["rules"], **state.get("options", {}))  # type: ignore[misc]

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
            return self._match_segments(text) if self._segmentable else self._conditional_hits(text)
        cached = self._answers.get(text)
        if cached is None:
            cached = tuple(self._match_segments(text) if self._segmentable else self._conditional_hits(text))
            if len(self._answers) >= self.max_cache:
                self._answers.clear()
            self._answers[text] = cached
        return list(cached)

    def match_many(self, texts: Iterable[str]) -> list[list[Hit]]:
        """:meth:`match` for each text, in order."""
        match = self.match
        return [match(t) for t in texts]

