"""Shared by the test modules: the real CLI through click's runner (``from conftest import invoke``)."""

from __future__ import annotations

from collections.abc import Mapping

import click
from click.testing import CliRunner, Result


def invoke(command: click.Command, *args: object, env: Mapping[str, str] | None = None) -> Result:
    """Run a click command (or group) as a user would: arguments as text, stdout and stderr apart.

    A wide terminal keeps rich from wrapping lines; an exception other than the CLI's own exit is
    a bug, so it fails the test here with its traceback instead of hiding in ``result.exception``.
    """
    result = CliRunner().invoke(command, [str(a) for a in args], env={"COLUMNS": "200", **(env or {})})
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result
