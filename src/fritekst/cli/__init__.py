"""The ``fritekst`` command line: a click group whose commands each call one library function."""

from __future__ import annotations

import click

from .. import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="fritekst")
def main() -> None:
    """Code free-text survey answers against YAML codebooks and report the themes.

    Run `fritekst COMMAND --help` for the options of a command.
    """


def _register() -> None:
    # Commands live one per module; importing them here keeps `fritekst --help` complete.
    from .agree import agree_command
    from .check import check_command
    from .code import code_command
    from .evaluate import evaluate_command
    from .export import export_group
    from .report import report_command
    from .review import review_group
    from .suggest import suggest_command
    from .train import train_command

    for command in (code_command, report_command, train_command, evaluate_command, agree_command,
                    review_group, suggest_command, export_group, check_command):
        main.add_command(command)


_register()
