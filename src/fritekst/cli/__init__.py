"""The ``fritekst`` command line: a click group whose commands each call one library function.

May import: every stage, and :mod:`fritekst.web` (for ``fritekst serve``); nothing imports it.
"""

from __future__ import annotations

import importlib
import warnings
from typing import Any

import click

from .._version import __version__
from ..errors import ModelWarning

#: Command name → (module in this package, click object). Modules are imported only when their
#: command runs (or for --help), so `fritekst code` does not pay for scikit-learn's import unless a
#: codebook uses a classifier.
COMMANDS = {
    "code": ("code", "code_command"),
    "report": ("report", "report_command"),
    "train": ("train", "train_command"),
    "evaluate": ("evaluate", "evaluate_command"),
    "agree": ("agree", "agree_command"),
    "review": ("review", "review_group"),
    "suggest": ("suggest", "suggest_command"),
    "export": ("export", "export_group"),
    "import": ("import_", "import_group"),
    "check": ("check", "check_command"),
    "serve": ("serve", "serve_command"),
}


class LazyGroup(click.Group):
    """A click group that imports a command's module the first time the command is needed."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        module, attribute = COMMANDS[cmd_name]
        command = getattr(importlib.import_module(f"{__name__}.{module}"), attribute)
        assert isinstance(command, click.Command)
        return command


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"],
                                              "max_content_width": 100})
@click.version_option(__version__, prog_name="fritekst")
def main() -> None:
    """Code free-text survey answers against YAML codebooks and report the themes.

    Run `fritekst COMMAND --help` for the options of a command.
    """
    warnings.showwarning = _show_warning


_default_showwarning = warnings.showwarning


def _show_warning(message: Warning | str, category: type[Warning], filename: str, lineno: int,
                  file: Any = None, line: str | None = None) -> None:
    """A library warning the user should see (a model older than its codebook) as one line."""
    if issubclass(category, ModelWarning):
        click.echo(f"Warning: {message}", err=True)
    else:
        _default_showwarning(message, category, filename, lineno, file, line)
