"""CI guard: held-out micro-F1 of each shipped codebook (keyword rules + shipped model, no training)
must not drop below the figure README.md states minus 0.02."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from fritekst.cli import main

REPO = Path(__file__).resolve().parent.parent
TOLERANCE = 0.02


def readme_figures() -> dict[str, dict[str, float]]:
    """The 'Held-out micro-F1 by rule type' table of README.md: codebook -> rule type -> F1."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text[text.index("Held-out micro-F1 by rule type"):]
    figures = {}
    for name, keyword, classifier, combined in re.findall(
            r"^\| (ansette|recovery|heldout2 ansette|heldout2 recovery)(?: \([^)]*\))? \| ([0-9.]+) \| ([0-9.]+) \| ([0-9.]+) \|$",
            section, re.M):
        figures[name] = {"keyword": float(keyword), "classifier": float(classifier), "combined": float(combined)}
    return figures


def test_readme_states_figures_for_both_shipped_codebooks() -> None:
    assert set(readme_figures()) == {"ansette", "recovery", "heldout2 ansette", "heldout2 recovery"}


@pytest.mark.parametrize("name", ["ansette", "recovery"])
def test_heldout_micro_f1_does_not_drop_below_the_readme(name: str, monkeypatch) -> None:
    monkeypatch.chdir(REPO)
    result = CliRunner().invoke(main, ["evaluate", "--codebook", f"codebooks/{name}.yaml", "--gold",
                                       f"corpus/gold/{name}.csv", "--scope", "corpus/gold/split.csv",
                                       "--split", "heldout", "--top", "0", "--lang", "en"])
    _check(name, name, result)


@pytest.mark.parametrize("name", ["ansette", "recovery"])
def test_second_heldout_micro_f1_does_not_drop_below_the_readme(name: str, monkeypatch) -> None:
    monkeypatch.chdir(REPO)
    result = CliRunner().invoke(main, ["evaluate", "--codebook", f"codebooks/{name}.yaml", "--answers",
                                       f"corpus/heldout2/{name}.csv", "--top", "0", "--lang", "en"])
    _check(name, f"heldout2 {name}", result)


def _check(name: str, row: str, result) -> None:
    assert result.exit_code == 0, result.output
    measured = {
        "keyword": re.search(r"^keyword: micro F1 ([0-9.]+)", result.output, re.M),
        "classifier": re.search(r"^classifier \(codebook rules\): micro F1 ([0-9.]+)", result.output, re.M),
        "combined": re.search(r"^combined: \w+: micro F1 ([0-9.]+)", result.output, re.M),
    }
    stated = readme_figures()[row]
    for kind, match in measured.items():
        assert match, result.output
        assert float(match.group(1)) >= stated[kind] - TOLERANCE, (name, kind, match.group(1), stated[kind])
    assert "Warning" not in result.output  # the shipped models are trained for the shipped rules
