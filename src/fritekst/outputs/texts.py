"""The sentences reports print, built from numbers in one place (Norwegian Bokmål).

The analysis stage returns numbers and flags only; turning them into sentences is the outputs'
job, so that the wording (and, later, a second language) lives here and not among the statistics.

Examples
--------
>>> number_text(10.04, 1), p_text(0.0016), p_text(0.00001)
('10,0', 'p = 0,002', 'p < 0,001')
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from ..analysis.summary import ALL, ALPHA


def number_text(value: float, decimals: int) -> str:
    """A number with a decimal comma."""
    return f"{value:.{decimals}f}".replace(".", ",")


def p_text(p: float) -> str:
    """A p-value as it is printed: ``p = 0,012`` or ``p < 0,001``."""
    return "p < 0,001" if p < 0.001 else f"p = {number_text(p, 3)}"


def group_test_sentence(row: Mapping[str, Any], grouping: str) -> str:
    """One plain sentence about one group test (a row of :func:`~fritekst.analysis.summary.group_tests`):
    the difference between the lowest and highest group, no clear difference, or why no test was run."""
    label = row["code_label"]
    when = "alle år samlet" if row["year"] == ALL else row["year"]
    if not row["testable"]:
        return f"«{label}» etter {grouping} ({when}): ikke testet – {row['reason']}."
    numbers = f"χ² = {number_text(row['chi2'], 1)}, df = {row['df']}, {p_text(row['p_value'])}"
    if row["p_value"] < ALPHA:
        return (f"«{label}» varierer etter {grouping} ({when}): fra {round(row['lowest_pct'] * 100)} % "
                f"({row['lowest_group']}) til {round(row['highest_pct'] * 100)} % ({row['highest_group']}) "
                f"({numbers}).")
    return f"«{label}» etter {grouping} ({when}): ingen sikker forskjell ({numbers})."


def with_statements(tests: pd.DataFrame, names: Mapping[str, str] | None = None) -> pd.DataFrame:
    """``tests`` with a ``statement`` column; ``names`` gives readable names of grouping columns."""
    names = dict(names or {})
    tests = tests.copy()
    records: list[dict[str, Any]] = [{str(k): v for k, v in row.items()} for row in tests.to_dict("records")]
    tests["statement"] = [group_test_sentence(row, names.get(row["group_by"], row["group_by"]))
                          for row in records]
    return tests
