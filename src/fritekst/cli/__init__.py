"""The ``fritekst`` command line: a click group whose commands each call one library function.

May import: every stage (:mod:`fritekst.outputs` and everything below it), never :mod:`fritekst.web`.
"""

from __future__ import annotations

import importlib
import signal
import threading

import click

from .._version import __version__

#: Command name → (module in this package, click object). Modules are imported only when their
#: command runs (or for --help), so `fritekst code` does not pay for scikit-learn's import unless a
#: codebook uses a classifier. A full module name ("fritekst.web.command") names a command that
#: lives in a sibling package: the CLI knows only its name and never imports that package's code.
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
    "serve": ("fritekst.web.command", "serve_command"),
}


class _SystemProblem(click.ClickException):
    """An operating-system error turned into one line (``Error: ...``) and exit code 2."""

    exit_code = 2


class Terminated(BaseException):
    """Raised in the main process when SIGTERM arrives, so every ``finally`` and ``with`` cleans up."""


def _on_sigterm(signum: int, frame: object) -> None:
    raise Terminated()


class LazyGroup(click.Group):
    """A click group that imports a command's module the first time the command is needed.

    It is also the last line of defence of the promise "one line and exit code 2, never a
    traceback": errors of the operating system (a full disk, a file without read permission) become
    one line; Ctrl-C exits 130 and SIGTERM 143 (the shell's conventions), after temporary files
    have been removed by the ``finally`` blocks they unwind through.
    """

    def invoke(self, ctx: click.Context) -> object:
        previous = None
        if threading.current_thread() is threading.main_thread():
            previous = signal.signal(signal.SIGTERM, _on_sigterm)
        try:
            return super().invoke(ctx)
        except click.UsageError as exc:
            # one line, as every other error: the usage block adds nothing a --help does not show
            raise _SystemProblem(exc.format_message()) from exc
        except KeyboardInterrupt:
            click.echo("Error: interrupted; no output was written", err=True)
            raise click.exceptions.Exit(130) from None
        except Terminated:
            click.echo("Error: terminated; no output was written", err=True)
            raise click.exceptions.Exit(143) from None
        except OSError as exc:
            where = f"{exc.filename}: " if exc.filename else ""
            raise _SystemProblem(f"{where}{exc.strerror or exc}; check the path, its permissions and the free "
                            "disk space") from exc
        except MemoryError as exc:
            raise _SystemProblem("out of memory; the input is too large for this machine, or damaged") from exc
        except RecursionError as exc:
            raise _SystemProblem("an input is nested too deeply to read; check that the files are what "
                            "they should be") from exc
        finally:
            if previous is not None:
                signal.signal(signal.SIGTERM, previous)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        module, attribute = COMMANDS[cmd_name]
        name = module if module.startswith("fritekst.") else f"{__name__}.{module}"
        command = getattr(importlib.import_module(name), attribute)
        assert isinstance(command, click.Command)
        return command


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"],
                                              "max_content_width": 100})
@click.version_option(__version__, prog_name="fritekst")
def main() -> None:
    """Code free-text survey answers against YAML codebooks and report the themes.

    Run `fritekst COMMAND --help` for the options of a command.
    """
