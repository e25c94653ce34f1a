"""Codebook loading: the model it builds and the complete list of problems for invalid files."""

from __future__ import annotations

from pathlib import Path

import pytest

from fritekst.rules.codebook import load_codebook
from fritekst.errors import CodebookError

DATA = Path(__file__).parent / "data" / "codebooks"


def problems(name: str) -> list[str]:
    with pytest.raises(CodebookError) as info:
        load_codebook(DATA / name)
    prefix = str(DATA) + "/"
    return [p.replace(prefix, "") for p in info.value.problems]


def test_valid_codebook_builds_codes_rules_and_paths() -> None:
    cb = load_codebook(DATA / "gyldig.yaml")
    assert cb.id == "test_ansette"
    assert cb.code_ids == ["hindringer", "okonomi", "ingen_stillinger", "ser_behov"]
    assert cb.code_path("okonomi") == "Ansettelse (test)\\Hindringer\\Økonomi"
    assert cb.path_of("ser_behov") == ["Ser behov"]
    okonomi = cb.code("okonomi")
    assert okonomi.examples == ("Vi har ikke råd.", "Manglar midlar.")
    assert [r.id for r in okonomi.rules] == ["okonomi_ord", "okonomi:2"]
    assert okonomi.rules[1].negation == "require"
    assert okonomi.rules[0].line == 19
    near = cb.code("ingen_stillinger").rules[0]
    assert (near.near, near.within) == (("ingen", "ikke ledig*", "ikkje ledig*"), 3)
    behov = cb.code("ser_behov").rules[0]
    assert (behov.match, behov.negation, behov.unless) == ("exact", "forbid", ("ikke behov",))
    # A code without colour gets one from the palette; given colours are kept.
    assert cb.code("hindringer").colour == "#555555"
    assert cb.code("ingen_stillinger").colour.startswith("#")


def test_hash_ignores_labels_but_not_rules(tmp_path: Path) -> None:
    original = (DATA / "gyldig.yaml").read_text(encoding="utf-8")
    relabelled = tmp_path / "a.yaml"
    relabelled.write_text(original.replace("label: Økonomi", "label: Penger"), encoding="utf-8")
    changed = tmp_path / "b.yaml"
    changed.write_text(original.replace('["penger"]', '["penger", "kroner"]'), encoding="utf-8")
    base = load_codebook(DATA / "gyldig.yaml").sha256
    assert load_codebook(relabelled).sha256 == base
    assert load_codebook(changed).sha256 != base


def test_unknown_keys_are_reported_with_suggestions() -> None:
    assert problems("ukjente_nokler.yaml") == [
        "ukjente_nokler.yaml:4: missing required key 'label'",
        "ukjente_nokler.yaml:5: unknown key 'lable' in code 'okonomi'; did you mean 'label'?",
        "ukjente_nokler.yaml:7: unknown key 'keyword' in rule 1 of code 'okonomi'; did you mean 'keywords'?",
        "ukjente_nokler.yaml:7: rule 'okonomi:1' must have exactly one of 'keywords' (a list of patterns) "
        "or 'classifier' (a model path)",
    ]


def test_every_problem_of_a_file_is_reported_at_once() -> None:
    assert problems("mange_feil.yaml") == [
        "mange_feil.yaml:1: codebook id 'Test-1' is invalid; use lowercase letters, digits and _ starting "
        "with a letter, e.g. 'ansette'",
        "mange_feil.yaml:3: language 'se' is not supported; expected nb and/or nn",
        "mange_feil.yaml:4: 'combine' is 'both'; expected one of union, learned, fallback, keyword, classifier",
        "mange_feil.yaml:8: colour 'red' is invalid; expected #rrggbb, e.g. '#c0392b'",
        "mange_feil.yaml:11: rule 'r1' has no keywords; give at least one pattern",
        "mange_feil.yaml:12: duplicate code id 'okonomi' (first defined on line 6); code ids must be unique",
        "mange_feil.yaml:14: code 'stillinger' has unknown parent 'hindring'; it must be the id of another "
        "code here",
        "mange_feil.yaml:18: duplicate rule id 'r1' (first on line 10); rule ids must be unique in a codebook",
        "mange_feil.yaml:20: 'within' is 99; expected a whole number of words from 1 to 50",
        "mange_feil.yaml:20: rule 'r1' has 'within' but no 'near' patterns; add 'near' or remove 'within'",
        "mange_feil.yaml:21: rule 'r2' must have exactly one of 'keywords' (a list of patterns) or "
        "'classifier' (a model path)",
        "mange_feil.yaml:26: 'negation' is 'sometimes'; expected one of any, require, forbid",
        "mange_feil.yaml:27: 'match' is 'fuzzy'; expected one of lemma, exact",
        "mange_feil.yaml:28: code id '9feil' is invalid; use lowercase letters, digits and _ starting "
        "with a letter, e.g. 'ikke_aktuelt'",
        "mange_feil.yaml:30: missing required key 'id'",
    ]


@pytest.mark.parametrize(("name", "expected"), [
    ("syklus.yaml", ["syklus.yaml:4: code 'a' is its own ancestor (parent cycle); remove one of the "
                     "'parent' links",
                     "syklus.yaml:7: code 'b' is its own ancestor (parent cycle); remove one of the "
                     "'parent' links"]),
    ("syntaksfeil.yaml", ["syntaksfeil.yaml:7:1: YAML syntax error: found unexpected end of stream; "
                          "check indentation and quoting"]),
    ("ikke_mapping.yaml", ["ikke_mapping.yaml:1: a codebook must be a mapping with keys 'codebook', "
                           "'title' and 'codes'; see docs/codebook-format.md"]),
    ("finnes_ikke.yaml", ["finnes_ikke.yaml: file not found; check the path to the codebook"]),
    ("negasjon_forbudt.yaml", ['negasjon_forbudt.yaml:9: rule "r1": keyword "ikke råd" contains the negation '
                               'cue "ikke", so negation: forbid can never let it fire; drop the cue from the '
                               'keyword or set negation: any']),
    ("klassifikator.yaml", ["klassifikator.yaml:14: threshold 2 must be a number between 0 and 1, e.g. 0.5"]),
])
def test_invalid_codebooks(name: str, expected: list[str]) -> None:
    assert problems(name) == expected


def test_classifier_rules_resolve_model_paths_next_to_the_codebook(tmp_path: Path) -> None:
    text = (DATA / "klassifikator.yaml").read_text(encoding="utf-8").replace("threshold: 2", "threshold: 0.6")
    path = tmp_path / "k.yaml"
    path.write_text(text, encoding="utf-8")
    cb = load_codebook(path)
    assert cb.classifier == (tmp_path / "modell.skops").resolve()
    assert cb.combine == "fallback"
    rule = cb.code("a").rules[0]
    assert (rule.kind, rule.classifier, rule.threshold) == ("classifier", (tmp_path / "modell.skops").resolve(), 0.4)


# A one-letter wildcard meets nearly every word ("ø*": økonomi, ønsker, øke, ...): it was accepted, and its
# rule coded almost every answer (under near/unless: a condition almost always met or always blocking).
ONE_LETTER = "{key} pattern {pattern!r} of rule 'r1' (code 'okonomi'): the wildcard {word!r} has one letter, so it " \
             "matches nearly every word; write at least two letters {side} *, e.g. {example!r}"
WILDCARDS = [
    ("prefix", "keywords", "ø*", "ø*", "before", "økonomi*"),
    ("prefix-ascii", "keywords", "a*", "a*", "before", "økonomi*"),
    ("suffix", "keywords", "*e", "*e", "after", "*tilbud"),
    ("infix", "keywords", "*s*", "*s*", "between the two", "*tilbud*"),
    ("in-a-phrase", "keywords", "ingen m*", "m*", "before", "økonomi*"),
    ("digit", "keywords", "1*", "1*", "before", "økonomi*"),
    ("near", "near", "i*", "i*", "before", "økonomi*"),
    ("unless", "unless", "*r", "*r", "after", "*tilbud"),
]


@pytest.mark.parametrize("key, pattern, word, side, example", [w[1:] for w in WILDCARDS], ids=[w[0] for w in WILDCARDS])
def test_a_one_letter_wildcard_is_refused_with_its_file_code_and_rule(tmp_path: Path, key: str, pattern: str,
                                                                      word: str, side: str, example: str) -> None:
    path = tmp_path / "k.yaml"
    extra = "" if key == "keywords" else f"\n        {key}: [{pattern!r}]"
    keywords = pattern if key == "keywords" else "midler"
    path.write_text("codebook: k\ntitle: K\ncodes:\n  - id: okonomi\n    label: Økonomi\n    rules:\n"
                    f"      - id: r1\n        keywords: [{keywords!r}]{extra}\n", encoding="utf-8")
    with pytest.raises(CodebookError) as info:
        load_codebook(path)
    line = 8 if key == "keywords" else 9
    message = ONE_LETTER.format(key=key, pattern=pattern, word=word, side=side, example=example)
    assert (info.value.problems, info.value.code) == ([f"{path}:{line}: {message}"], "E206")


@pytest.mark.parametrize("pattern", ["kø*", "*te", "ø", "*ab*"])
def test_two_letters_or_no_wildcard_still_load(tmp_path: Path, pattern: str) -> None:
    path = tmp_path / "k.yaml"
    path.write_text("codebook: k\ntitle: K\ncodes:\n  - id: okonomi\n    label: Økonomi\n    rules:\n"
                    f"      - id: r1\n        keywords: [{pattern!r}]\n", encoding="utf-8")
    assert [r.spec.keywords for r in load_codebook(path).rules()] == [(pattern,)]


def test_the_first_problem_gives_the_code_when_a_wildcard_is_one_of_several(tmp_path: Path) -> None:
    path = tmp_path / "k.yaml"
    path.write_text("codebook: k\ntitle: K\ncodes:\n  - id: okonomi\n    label: Økonomi\n    colour: red\n"
                    "    rules:\n      - id: r1\n        keywords: ['ø*']\n", encoding="utf-8")
    with pytest.raises(CodebookError) as info:
        load_codebook(path)
    assert [p.split(": ", 1)[0] for p in info.value.problems] == [f"{path}:6", f"{path}:9"]
    assert info.value.code == "E203"  # the colour, on the first line shown
