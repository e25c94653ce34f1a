"""The shipped and plain first codebooks' keyword rules on the table-driven examples of
``rule_examples_ansette`` and ``rule_examples_recovery`` (written from the code definitions, Bokmål
and Nynorsk), and the readability limits of issue 10. Keyword rules only (``classifiers=False``):
the model is not what is tested."""

from __future__ import annotations

from pathlib import Path

import pytest
import rule_examples_ansette
import rule_examples_recovery

from conftest import keyword_codes
from fritekst.rules.codebook import load_codebook

CODEBOOKS = Path(__file__).resolve().parent.parent / "codebooks"
# codebook -> (the question its examples are answers to, the module of its examples)
SUITES = {"ansette": ("grunn_nei", rule_examples_ansette), "recovery": ("recovery_stor_grad", rule_examples_recovery)}
CASES = [pytest.param(name, kind, *row, id=f"{name}-{kind}-{i}")
         for name, (_, module) in SUITES.items()
         for kind, rows in (("shipped", module.SHIPPED_EXAMPLES), ("plain", module.PLAIN_EXAMPLES))
         for i, row in enumerate(rows)]


def _path(name: str, kind: str) -> Path:
    return CODEBOOKS / f"{name}.yaml" if kind == "shipped" else CODEBOOKS / "examples" / f"{name}.yaml"


@pytest.fixture(scope="module")
def coded() -> dict[tuple[str, str], dict[str, set[str]]]:
    """Every example coded once, by its codebook (one small corpus per codebook and kind)."""
    found = {}
    for name, (question, module) in SUITES.items():
        for kind, rows in (("shipped", module.SHIPPED_EXAMPLES), ("plain", module.PLAIN_EXAMPLES)):
            found[name, kind] = keyword_codes(_path(name, kind), question, [text for text, _, _ in rows])
    return found


@pytest.mark.parametrize(("name", "kind", "text", "wanted", "unwanted"), CASES)
def test_rules_code_the_example(coded, name: str, kind: str, text: str, wanted: set[str],
                                unwanted: set[str]) -> None:
    codes = coded[name, kind][text]
    assert wanted <= codes, codes
    assert not unwanted & codes, codes


@pytest.mark.parametrize("name", sorted(SUITES))
def test_codebooks_stay_readable(name: str) -> None:
    """Issue 10: the shipped codebook at most 500 lines, every ``unless`` with a comment line above
    it within its rule; the plain one at most 6 patterns per rule and no ``unless``."""
    lines = _path(name, "shipped").read_text(encoding="utf-8").splitlines()
    assert len(lines) <= 500
    for i, line in enumerate(lines):
        if line.strip().startswith("unless:"):
            rule_start = max(j for j in range(i) if lines[j].strip().startswith("- id:"))
            assert any(lines[j].strip().startswith("#") for j in range(rule_start, i)), lines[rule_start]
    for code in load_codebook(_path(name, "plain")).codes:
        for rule in code.rules:
            spec = getattr(rule, "spec", rule)
            assert len(spec.keywords) <= 6 and len(spec.near) <= 6, (code.id, spec.keywords)
            assert not spec.unless, code.id
