"""YAML codebooks: hierarchical codes with keyword and classifier rules, validated as a whole.

Like spaCy's pattern validation, a codebook is checked completely at load and *every* problem is
reported at once, each as ``file:line: what; expected``, so a researcher fixes the file in one go
instead of one error per run. The format is documented in ``docs/codebook-format.md``.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, TypeVar

import yaml

from ..errors import CodebookError, PatternError
from ..sources.yaml_lines import LineDict, LineList, line_of, load_yaml_with_lines, yaml_kind
from .keyword import (HEDGE_MODES, MATCH_MODES, NEGATION_MODES, WITHIN_MAX, WITHIN_MIN, KeywordRuleSpec,
                      validate_rule)
from .patterns import Pattern, parse_pattern


class _Identified(Protocol):
    """A code or a rule: what a list of them needs to refuse an id used twice."""

    @property
    def id(self) -> str: ...

    @property
    def line(self) -> int: ...


_Entry = TypeVar("_Entry", bound=_Identified)


ID_RE = re.compile(r"^[a-z][a-z0-9_]*$")
RULE_ID_RE = re.compile(r"^[A-Za-z0-9_:.\-]+$")
COLOUR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")
TOP_KEYS = {"codebook", "title", "description", "languages", "codes", "classifier", "combine", "version",
            "compounds", "typos"}
CODE_KEYS = {"id", "label", "parent", "description", "include", "exclude", "examples", "colour", "rules"}
RULE_KEYS = {"id", "keywords", "match", "negation", "hedge", "near", "within", "unless", "classifier",
             "threshold", "note", "compounds", "typos"}
COMBINE_POLICIES = ("union", "learned", "fallback", "keyword", "classifier")
LANGUAGES = ("nb", "nn")
#: Colour-blind-safe colours in the order codes get them (a code without ``colour:`` in a codebook,
#: and every theme in the HTML report): Okabe & Ito's eight (yellow, weak on white, moved last), then
#: Paul Tol's "muted" scheme; consecutive entries differ in hue and lightness, so neighbouring codes
#: stay apart for deuteranopes and protanopes too.
PALETTE = ("#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#000000", "#f0e442",
           "#332288", "#88ccee", "#44aa99", "#117733", "#999933", "#ddcc77", "#cc6677", "#882255",
           "#aa4499")


@dataclass(frozen=True)
class Rule:
    """One way a code gets applied: a keyword rule or a classifier rule.

    A keyword rule's conditions live in ``spec``, a :class:`~fritekst.rules.keyword.KeywordRuleSpec`
    (the one keyword-rule schema, shared with the matcher); the properties below read it.
    """

    id: str
    code_id: str
    kind: str  # "keyword" or "classifier"
    spec: KeywordRuleSpec | None = None
    classifier: Path | None = None
    threshold: float | None = None
    line: int = 0

    @property
    def keywords(self) -> tuple[str, ...]:
        return tuple(self.spec.keywords) if self.spec else ()

    @property
    def near(self) -> tuple[str, ...]:
        return tuple(self.spec.near) if self.spec else ()

    @property
    def unless(self) -> tuple[str, ...]:
        return tuple(self.spec.unless) if self.spec else ()

    @property
    def within(self) -> int:
        return self.spec.within if self.spec else 5

    @property
    def negation(self) -> str:
        return self.spec.negation if self.spec else "any"

    @property
    def hedge(self) -> str:
        return self.spec.hedge if self.spec else "any"

    @property
    def match(self) -> str:
        return self.spec.match if self.spec else "lemma"


@dataclass(frozen=True)
class Code:
    """A theme of the codebook."""

    id: str
    label: str
    parent: str | None = None
    description: str = ""
    include: str = ""
    exclude: str = ""
    examples: tuple[str, ...] = ()
    colour: str = "#7f7f7f"
    rules: tuple[Rule, ...] = ()
    line: int = 0


@dataclass
class Codebook:
    """A validated codebook. Codes keep file order; ``parent`` links form the hierarchy.

    Examples
    --------
    >>> cb = load_codebook(example / "codebooks" / "ansette.yaml")
    >>> cb.code_path("okonomi")
    'Ansettelse av personer med erfaringskompetanse\\\\Økonomi'
    """

    id: str
    title: str
    codes: list[Code]
    path: Path
    description: str = ""
    languages: tuple[str, ...] = LANGUAGES
    classifier: Path | None = None
    combine: str = "union"
    _by_id: dict[str, Code] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._by_id = {code.id: code for code in self.codes}

    @property
    def code_ids(self) -> list[str]:
        """Code ids in file order."""
        return [code.id for code in self.codes]

    def code(self, code_id: str) -> Code:
        """The code with this id (KeyError if unknown)."""
        return self._by_id[code_id]

    def __contains__(self, code_id: object) -> bool:
        return code_id in self._by_id

    def path_of(self, code_id: str) -> list[str]:
        """Labels from the root code down to ``code_id``."""
        labels: list[str] = []
        current: str | None = code_id
        while current is not None:
            code = self._by_id[current]
            labels.append(code.label)
            current = code.parent
        return labels[::-1]

    def code_path(self, code_id: str) -> str:
        r"""NVivo-style path: the codebook title, then labels from the root, joined with ``\``."""
        return "\\".join([self.title, *self.path_of(code_id)])

    def rules(self, kind: str | None = None) -> Iterator[Rule]:
        """All rules in file order, optionally only those of one kind."""
        for code in self.codes:
            for rule in code.rules:
                if kind is None or rule.kind == kind:
                    yield rule

    def model_paths(self) -> list[Path]:
        """Every model file the codebook names: its own first, then its classifier rules', once each.

        The one answer to "which models does this codebook use", for checks, input lists and cache
        keys alike; it needs no scikit-learn, so asking costs nothing at start-up.
        """
        paths = [Path(self.classifier)] if self.classifier is not None else []
        for rule in self.rules("classifier"):
            if rule.classifier is not None and Path(rule.classifier) not in paths:
                paths.append(Path(rule.classifier))
        return paths

    @property
    def sha256(self) -> str:
        """A hash of what decides coding (code ids, parents, rules), to tie models to a codebook.

        Labels, descriptions and colours are left out on purpose: editing a description must not
        invalidate a trained model.
        """
        # Classifier rules are left out: adding a rule that uses a model after training it must
        # not make that model look as if it belonged to another codebook.
        payload = [{"id": c.id, "parent": c.parent,
                    "rules": [{"id": r.id, "keywords": list(r.keywords), "near": list(r.near),
                               "within": r.within, "negation": r.negation, "hedge": r.hedge,
                               "unless": list(r.unless), "match": r.match,
                               "compounds": r.spec.compounds if r.spec else False,
                               "typos": r.spec.typos if r.spec else True}
                              for r in c.rules if r.kind == "keyword"]}
                   for c in self.codes]
        return hashlib.sha256(json.dumps([self.id, payload], sort_keys=True,
                                         ensure_ascii=False).encode("utf-8")).hexdigest()


def load_codebook(path: str | Path) -> Codebook:
    """Read and validate a YAML codebook; raise :class:`CodebookError` listing every problem."""
    path = Path(path)
    if not path.is_file():
        raise CodebookError([f"{path}: file not found; check the path to the codebook"], code="E201")
    try:
        data = load_yaml_with_lines(path)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        raise CodebookError([f"{where}: YAML syntax error: {exc.problem or exc}; "
                             "check indentation and quoting"], code="E202") from exc
    except UnicodeDecodeError as exc:
        raise CodebookError([f"{path}: not UTF-8 text ({exc.reason}); save the codebook as UTF-8"],
                            code="E202") from exc
    return _Validator(path).validate(data)


class _Validator:
    """Walks the parsed YAML once, collecting every problem before raising."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.found: list[tuple[int, str, str]] = []  # (line, message, error code)
        self.defaults: dict[str, bool] = {"compounds": KeywordRuleSpec.compounds, "typos": KeywordRuleSpec.typos}

    def error(self, line: int, message: str, *, code: str = "E203") -> None:
        self.found.append((line, f"{self.path}:{line}: {message}", code))

    def _in_order(self) -> list[tuple[int, str, str]]:
        # line order; ties keep the order they were found in
        return sorted(self.found, key=lambda item: item[0])

    @property
    def problems(self) -> list[str]:
        """Every problem found so far, in line order (ties keep the order they were found in)."""
        return [message for _, message, _ in self._in_order()]

    def raise_problems(self) -> None:
        """Raise every problem found; the code is the first (shown) problem's."""
        found = self._in_order()
        if not found:
            return
        messages = [message for _, message, _ in found]
        if found[0][2] == "E206":  # codes stay literal at raise sites (tests/test_errors.py)
            raise CodebookError(messages, code="E206")
        raise CodebookError(messages, code="E203")

    def validate(self, data: Any) -> Codebook:
        if not isinstance(data, LineDict):
            raise CodebookError([f"{self.path}:1: a codebook must be a mapping with keys 'codebook', "
                                 "'title' and 'codes'; see docs/codebook-format.md"], code="E203")
        self.unknown_keys(data, TOP_KEYS, "codebook")
        cb_id = self.text(data, "codebook", required=True)
        if cb_id and not ID_RE.match(cb_id):
            self.error(line_of(data, "codebook"), f"codebook id {cb_id!r} is invalid; use lowercase "
                       "letters, digits and _ starting with a letter, e.g. 'ansette'")
        title = self.text(data, "title", required=True)
        languages = self.languages(data)
        combine = self.choice(data, "combine", COMBINE_POLICIES, "union")
        # Codebook-wide defaults of the lexical mechanisms; a rule may say otherwise.
        self.defaults = {"compounds": self.flag(data, "compounds", KeywordRuleSpec.compounds),
                         "typos": self.flag(data, "typos", KeywordRuleSpec.typos)}
        classifier = self.model_path(data)
        codes = self.codes(data)
        self.raise_problems()
        return Codebook(id=cb_id, title=title, codes=codes, path=self.path,
                        description=self.text(data, "description"), languages=languages,
                        classifier=classifier, combine=combine)

    # --- small typed getters -------------------------------------------------------------------
    def unknown_keys(self, mapping: LineDict, allowed: set[str], where: str) -> None:
        for key in mapping:
            if key not in allowed:
                close = difflib.get_close_matches(key, sorted(allowed), n=1)
                hint = f"did you mean {close[0]!r}?" if close else f"allowed: {', '.join(sorted(allowed))}"
                # a key that is no name at all (another kind of file given as a codebook) is not echoed
                shown = repr(key) if re.fullmatch(r"[\w .-]{1,40}", key) else "that is not a key name"
                self.error(line_of(mapping, key), f"unknown key {shown} in {where}; {hint}")

    def text(self, mapping: LineDict, key: str, required: bool = False) -> str:
        value = mapping.get(key)
        if value is None:
            if required:
                self.error(mapping.line, f"missing required key {key!r}")
            return ""
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            self.error(line_of(mapping, key), f"{key!r} must be text, not {yaml_kind(value)}")
            return ""
        return str(value).strip()

    def text_list(self, mapping: LineDict, key: str) -> tuple[list[str], list[int]]:
        value = mapping.get(key)
        if value is None:
            return [], []
        if isinstance(value, str):
            value = LineList([value])
            value.item_lines = [line_of(mapping, key)]
        if not isinstance(value, LineList):
            self.error(line_of(mapping, key), f"{key!r} must be a list of text, e.g. [\"a\", \"b\"]")
            return [], []
        items, lines = [], []
        for index, item in enumerate(value):
            if not isinstance(item, str) or not item.strip():
                self.error(line_of(value, index), f"item {index + 1} of {key!r} must be non-empty text")
                continue
            items.append(item)
            lines.append(line_of(value, index))
        return items, lines

    def flag(self, mapping: LineDict, key: str, default: bool) -> bool:
        value = mapping.get(key, default)
        if not isinstance(value, bool):
            self.error(line_of(mapping, key), f"{key!r} is {value!r}; expected true or false")
            return default
        return value

    def choice(self, mapping: LineDict, key: str, choices: tuple[str, ...], default: str) -> str:
        value = mapping.get(key, default)
        if value not in choices:
            self.error(line_of(mapping, key), f"{key!r} is {value!r}; expected one of {', '.join(choices)}")
            return default
        return str(value)

    def languages(self, data: LineDict) -> tuple[str, ...]:
        langs, lines = self.text_list(data, "languages")
        for lang, line in zip(langs, lines):
            if lang not in LANGUAGES:
                self.error(line, f"language {lang!r} is not supported; expected nb and/or nn")
        return tuple(langs) or LANGUAGES

    def model_path(self, mapping: LineDict) -> Path | None:
        value = mapping.get("classifier")
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip():
            self.error(line_of(mapping, "classifier"), "'classifier' must be the path of a model file "
                       "(relative to the codebook), e.g. models/ansette.skops")
            return None
        return (self.path.parent / value).resolve()

    # --- codes and rules ----------------------------------------------------------------------
    def codes(self, data: LineDict) -> list[Code]:
        raw = data.get("codes")
        if raw is None:
            self.error(data.line, "missing required key 'codes' (a list of codes)")
            return []
        if not isinstance(raw, LineList) or not raw:
            self.error(line_of(data, "codes"), "'codes' must be a non-empty list of codes")
            return []
        rule_ids: dict[str, int] = {}
        codes = self.unique_entries(
            raw, lambda item, index: self.code(item, index, rule_ids), {},
            lambda n: f"code {n} must be a mapping with at least 'id' and 'label'",
            lambda code_id, first: f"duplicate code id {code_id!r} (first defined on line {first}); "
                                   "code ids must be unique")
        self.hierarchy(codes)
        return codes

    def unique_entries(self, raw: LineList, build: Callable[[LineDict, int], _Entry | None],
                       seen: dict[str, int], not_a_mapping: Callable[[int], str],
                       duplicate: Callable[[str, int], str]) -> list[_Entry]:
        """The entries of a YAML list that are mappings, built by ``build``, each id only once.

        ``seen`` (id → line of its first definition) is filled in; it may be shared between lists,
        as rule ids are unique in the whole codebook. A broken entry is an error and left out.
        """
        entries: list[_Entry] = []
        for index, item in enumerate(raw):
            if not isinstance(item, LineDict):
                self.error(line_of(raw, index), not_a_mapping(index + 1))
                continue
            entry = build(item, index)
            if entry is None:
                continue
            if entry.id in seen:
                self.error(entry.line, duplicate(entry.id, seen[entry.id]))
                continue
            seen[entry.id] = entry.line
            entries.append(entry)
        return entries

    def code(self, item: LineDict, index: int, rule_ids: dict[str, int]) -> Code | None:
        self.unknown_keys(item, CODE_KEYS, f"code {item.get('id', index + 1)!r}")
        code_id = self.text(item, "id", required=True)
        label = self.text(item, "label", required=True)
        if code_id and not ID_RE.match(code_id):
            self.error(line_of(item, "id"), f"code id {code_id!r} is invalid; use lowercase letters, "
                       "digits and _ starting with a letter, e.g. 'ikke_aktuelt'")
        colour = self.text(item, "colour") or PALETTE[index % len(PALETTE)]
        if not COLOUR_RE.match(colour):
            self.error(line_of(item, "colour"), f"colour {colour!r} is invalid; expected #rrggbb, "
                       "e.g. '#c0392b'")
        examples, _ = self.text_list(item, "examples")
        rules = self.rules(item, code_id, rule_ids)
        if not code_id:
            return None
        parent = item.get("parent")
        return Code(id=code_id, label=label or code_id, parent=str(parent) if parent is not None else None,
                    description=self.text(item, "description"), include=self.text(item, "include"),
                    exclude=self.text(item, "exclude"), examples=tuple(examples), colour=colour,
                    rules=tuple(rules), line=item.line)

    def hierarchy(self, codes: list[Code]) -> None:
        by_id = {code.id: code for code in codes}
        for code in codes:
            if code.parent is None:
                continue
            if code.parent not in by_id:
                close = difflib.get_close_matches(code.parent, list(by_id), n=1)
                hint = f"did you mean {close[0]!r}?" if close else "it must be the id of another code here"
                self.error(code.line, f"code {code.id!r} has unknown parent {code.parent!r}; {hint}")
                continue
            seen: set[str] = {code.id}
            current: str | None = code.parent
            while current is not None and current in by_id:
                if current in seen:
                    self.error(code.line, f"code {code.id!r} is its own ancestor (parent cycle); "
                               "remove one of the 'parent' links")
                    break
                seen.add(current)
                current = by_id[current].parent

    def rules(self, item: LineDict, code_id: str, rule_ids: dict[str, int]) -> list[Rule]:
        raw = item.get("rules")
        if raw is None:
            return []
        if not isinstance(raw, LineList):
            self.error(line_of(item, "rules"), "'rules' must be a list of rules")
            return []
        return self.unique_entries(
            raw, lambda entry, index: self.rule(entry, code_id, index), rule_ids,
            lambda n: f"rule {n} of code {code_id!r} must be a mapping with 'keywords' or 'classifier'",
            lambda rule_id, first: f"duplicate rule id {rule_id!r} (first on line {first}); rule ids "
                                   "must be unique in a codebook")

    def rule(self, entry: LineDict, code_id: str, index: int) -> Rule | None:
        self.unknown_keys(entry, RULE_KEYS, f"rule {index + 1} of code {code_id!r}")
        rule_id = self.text(entry, "id") or f"{code_id}:{index + 1}"
        if not RULE_ID_RE.match(rule_id):
            self.error(line_of(entry, "id"), f"rule id {rule_id!r} is invalid; use letters, digits, "
                       "_ : . or -")
        has_keywords, has_model = "keywords" in entry, "classifier" in entry
        if has_keywords == has_model:
            self.error(entry.line, f"rule {rule_id!r} must have exactly one of 'keywords' (a list of "
                       "patterns) or 'classifier' (a model path)")
            return None
        if has_model:
            threshold = entry.get("threshold")
            if threshold is not None and (isinstance(threshold, bool) or not isinstance(threshold, (int, float))
                                          or not 0 < threshold < 1):
                self.error(line_of(entry, "threshold"), f"threshold {threshold!r} must be a number "
                           "between 0 and 1, e.g. 0.5")
                threshold = None
            return Rule(id=rule_id, code_id=code_id, kind="classifier", classifier=self.model_path(entry),
                        threshold=float(threshold) if threshold is not None else None, line=entry.line)
        keywords = self.patterns(entry, "keywords", code_id, rule_id, required=True)
        near = self.patterns(entry, "near", code_id, rule_id)
        unless = self.patterns(entry, "unless", code_id, rule_id)
        within = entry.get("within", 5)
        if isinstance(within, bool) or not isinstance(within, int) or not WITHIN_MIN <= within <= WITHIN_MAX:
            self.error(line_of(entry, "within"), f"'within' is {within!r}; expected a whole number of "
                       f"words from {WITHIN_MIN} to {WITHIN_MAX}")
            within = 5
        if "within" in entry and not near:
            self.error(line_of(entry, "within"), f"rule {rule_id!r} has 'within' but no 'near' patterns; "
                       "add 'near' or remove 'within'")
        spec = KeywordRuleSpec(rule_id=rule_id, code_id=code_id, keywords=tuple(keywords),
                               match=self.choice(entry, "match", MATCH_MODES, "lemma"),  # type: ignore[arg-type]
                               negation=self.choice(entry, "negation", NEGATION_MODES, "any"),  # type: ignore[arg-type]
                               hedge=self.choice(entry, "hedge", HEDGE_MODES, "any"),  # type: ignore[arg-type]
                               near=tuple(near), within=within, unless=tuple(unless),
                               compounds=self.flag(entry, "compounds", self.defaults["compounds"]),
                               typos=self.flag(entry, "typos", self.defaults["typos"]))
        if spec.negation == "forbid":
            self.contradictions(spec, line_of(entry, "negation"))
        return Rule(id=rule_id, code_id=code_id, kind="keyword", spec=spec, line=entry.line)

    def contradictions(self, spec: KeywordRuleSpec, line: int) -> None:
        """A keyword that contains a negation cue can never fire under ``negation: forbid``."""
        for problem in validate_rule(spec):
            if "negation cue" in problem:
                self.error(line, problem)

    def patterns(self, entry: LineDict, key: str, code_id: str, rule_id: str, required: bool = False) -> list[str]:
        if required and not entry.get(key):
            self.error(line_of(entry, key), f"rule {rule_id!r} has no {key}; give at least one pattern")
            return []
        items, lines = self.text_list(entry, key)
        valid = []
        for pattern, line in zip(items, lines):
            try:
                parsed = _parse_pattern(pattern)
            except PatternError as exc:
                self.error(line, f"{key} pattern {pattern!r} of rule {rule_id!r}: {exc}")
                continue
            short = next((word for word in parsed.words if word.kind != "word" and len(word.text) < 2), None)
            if short is not None:
                # "ø*" meets nearly every word that starts with ø: a rule that codes almost every answer
                # (or, under near/unless, a condition almost always met) and looks like a finished rule.
                side, example = {"prefix": ("before", "økonomi*"), "suffix": ("after", "*tilbud"),
                                 "infix": ("between the two", "*tilbud*")}[short.kind]
                self.error(line, f"{key} pattern {pattern!r} of rule {rule_id!r} (code {code_id!r}): the "
                           f"wildcard {str(short)!r} has one letter, so it matches nearly every word; write at "
                           f"least two letters {side} *, e.g. {example!r}", code="E206")
                continue
            valid.append(pattern)
        return valid


def _parse_pattern(pattern: str) -> Pattern:
    return parse_pattern(pattern)
