"""Fixtures shared by the test modules: the real CLI through click's runner, the shipped example."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

ROOT = Path(__file__).resolve().parents[1]


def invoke(command: click.Command, *args: object, env: Mapping[str, str] | None = None) -> Result:
    """Run a click command (or group) as a user would: arguments as text, stdout and stderr apart.

    A wide terminal keeps rich from wrapping lines; an exception other than the CLI's own exit is
    a bug, so it fails the test here with its traceback instead of hiding in ``result.exception``.
    """
    result = CliRunner().invoke(command, [str(a) for a in args], env={"COLUMNS": "200", **(env or {})})
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


@pytest.fixture
def cli() -> Callable[..., Result]:
    """:func:`invoke`, for tests that take it as a fixture."""
    return invoke


@pytest.fixture(scope="session")
def shipped_codebooks() -> dict[str, object]:
    """The example's codebooks, loaded once for the session (tests must not change them)."""
    from fritekst.rules.codebook import load_codebook

    return {name: load_codebook(ROOT / "codebooks" / f"{name}.yaml") for name in ("ansette", "recovery")}
