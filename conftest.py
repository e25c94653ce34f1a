"""Doctests run on the shipped example project wherever pytest is started from."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent
#: Scripts that (re)make test data when run; importing them for doctests would rewrite the data.
collect_ignore_glob = ["tests/data/*"]


@pytest.fixture(autouse=True)
def _example_project(doctest_namespace: dict[str, object]) -> None:
    # ``example`` is the folder holding fritekst.toml, corpus/ and codebooks/.
    doctest_namespace["example"] = ROOT
