"""The keyword rule schema: :class:`KeywordRuleSpec`, :class:`Hit` and :func:`validate_rule`.

What a keyword rule says and which rules are valid; how rules are compiled and matched is in
:mod:`fritekst.rules.keyword` and the modules it is built from.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, NamedTuple

from fritekst.errors import PatternError
from fritekst.language.analyzer import Analyzer, get_default_analyzer
from fritekst.rules.patterns import parse_pattern

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
#: An unknown form of this many letters (one fewer than :data:`TYPO_MIN_LENGTH`) is read as a typo too,
#: of a pattern word of at least TYPO_MIN_LENGTH letters, so only a letter dropped from a long word
#: ("vikig" for "viktig", "titak" for "tiltak"); never a form written in capitals (an acronym).
#: Measured on the training pool: all 5 such forms were typos, and 5-letter pattern words would add
#: "first" as "først" (docs/keyword-rules.md, "Ninth round").
TYPO_MIN_FORM_LENGTH = 5
#: Answers of at most this many characters have their hits remembered (short answers repeat).
ANSWER_CACHE_LENGTH = 80


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

