"""The ``fritekst`` command line: a click group whose commands each call one library function.

May import: every stage, and :mod:`fritekst.web` (for ``fritekst serve``); nothing imports it.
"""

from __future__ import annotations

import importlib
import io
import os
import signal
import sys
import threading
import warnings
from typing import Any

import click

from .._version import __version__
from ..coding.cache_writes import held_until_success
from ..errors import FritekstError, ModelWarning

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
    "cache": ("cache", "cache_group"),
}


#: One-line help of each command for ``fritekst --help``, so the overview imports no command module
#: (they pull in pandas, spaCy and scikit-learn: seconds of start-up). A test checks that these equal
#: the commands' own short help; a command missing here is imported to ask it.
SHORT_HELP = {
    "cache": "Clear the project's codings cache (.fritekst/cache/).",
    "serve": "Start the coding workbench on the project, in the browser.",
    "import": "Import codebooks, projects and dictionaries from other tools.",
    "agree": "Agreement between coders: percent, kappa, Krippendorff's alpha.",
    "check": "Validate codebooks and a project file without coding anything.",
    "code": "Code the answers of a survey export into refs.csv and matrix.csv.",
    "evaluate": "Score automatic coding against hand coding, per code.",
    "export": "Export codebooks and codings in the REFI-QDA exchange format.",
    "report": "Theme frequencies, quotes and charts, checked against tables.",
    "review": "Review suggested codes in a sheet, and read the decisions back.",
    "suggest": "The answers the classifier is least sure about, to code next.",
    "train": "Train a classifier for a codebook's codes on hand-coded answers.",
}


#: Click's "a group given no subcommand shows its help" (click 8.2 on; before, the help exits 0).
_NO_ARGS_IS_HELP: tuple[type[click.UsageError], ...] = tuple(
    e for e in [getattr(click.exceptions, "NoArgsIsHelpError", None)] if e is not None)


class _SystemProblem(click.ClickException):
    """An operating-system error turned into one line (``Error: ...``) and exit code 2."""

    exit_code = 2


class Terminated(BaseException):
    """Raised in the main process when SIGTERM arrives, so every ``finally`` and ``with`` cleans up."""


#: Which stop signal has arrived during the current command. A signal's exception can be swallowed
#: by C code it interrupts: pandas' C reader turns a KeyboardInterrupt raised inside its ``read``
#: call into ``ParserError("Calling read(nbytes) on source failed")`` and drops it, so the command
#: fails with what looks like bad input. Any error after a stop signal is reported as the stop.
_SIGNALLED: dict[str, bool] = {"interrupt": False, "terminate": False}


def _on_sigterm(signum: int, frame: object) -> None:
    _SIGNALLED["terminate"] = True
    raise Terminated()


def _on_sigint(signum: int, frame: object) -> None:
    _SIGNALLED["interrupt"] = True
    raise KeyboardInterrupt


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so the interpreter's last flush does not hit the closed pipe again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
        pass  # not a real file (click's test runner): nothing is flushed to a pipe at exit


def _with_commands(exc: click.UsageError) -> str:
    """Click's message; for an unknown command also the commands there are.

    Without the usage block (and its "Try 'fritekst export -h'") "No such command 'xlsx'." left the
    researcher to guess where the list of formats is.
    """
    message = exc.format_message()
    group = exc.ctx.command if exc.ctx is not None else None
    if message.startswith("No such command") and "Did you mean" not in message \
            and isinstance(group, click.Group) and exc.ctx is not None:
        names = [n for n in group.list_commands(exc.ctx)
                 if not getattr(group.get_command(exc.ctx, n), "hidden", False)]
        message = f"{message.rstrip('.')}; the commands of '{exc.ctx.command_path}' are: {', '.join(names)}"
    return message


class LazyGroup(click.Group):
    """A click group that imports a command's module the first time the command is needed.

    It is also the last line of defence of the promise "one line and exit code 2, never a
    traceback": errors of the operating system (a full disk, a file without read permission) become
    one line; Ctrl-C exits 130 and SIGTERM 143 (the shell's conventions), after temporary files
    have been removed by the ``finally`` blocks they unwind through.
    """

    def invoke(self, ctx: click.Context) -> object:
        previous = previous_int = None
        _SIGNALLED.update(interrupt=False, terminate=False)
        if threading.current_thread() is threading.main_thread():
            previous = signal.signal(signal.SIGTERM, _on_sigterm)
            if signal.getsignal(signal.SIGINT) is signal.default_int_handler:  # not when SIGINT is ignored
                previous_int = signal.signal(signal.SIGINT, _on_sigint)
        try:
            # A command that fails (or is stopped) leaves no new codings-cache entry behind.
            with held_until_success():
                return super().invoke(ctx)
        except _NO_ARGS_IS_HELP:
            # `fritekst export` with no subcommand: click shows the group's help (exit 2), which
            # the clause below printed as "Error: Usage: …".
            raise
        except click.UsageError as exc:
            # one line, as every other error: the usage block adds nothing a --help does not show
            raise _SystemProblem(_with_commands(exc)) from exc
        except FritekstError as exc:
            # Only the held cache writes raise one this far: the commands turn their own into one line.
            from ._common import fail

            fail(exc)
        except KeyboardInterrupt:
            click.echo("Error: interrupted; no output was written", err=True)
            raise click.exceptions.Exit(130) from None
        except Terminated:
            click.echo("Error: terminated; no output was written", err=True)
            raise click.exceptions.Exit(143) from None
        except BrokenPipeError:
            # The program reading the output stopped (`fritekst suggest … | head`): every file was
            # written before the summary is printed, so there is nothing to report. Exit as a Unix
            # tool killed by SIGPIPE does, silently with 141; it said "Error: Broken pipe; check the
            # path, its permissions and the free disk space".
            _silence_stdout()
            raise click.exceptions.Exit(141) from None
        except OSError as exc:
            where = f"{exc.filename}: " if exc.filename else ""
            raise _SystemProblem(f"{where}{exc.strerror or exc}; check the path, its permissions and the free "
                            "disk space") from exc
        except MemoryError as exc:
            raise _SystemProblem("out of memory; the input is too large for this machine, or damaged") from exc
        except RecursionError as exc:
            raise _SystemProblem("an input is nested too deeply to read; check that the files are what "
                            "they should be") from exc
        except Exception:
            if _SIGNALLED["terminate"]:
                click.echo("Error: terminated; no output was written", err=True)
                raise click.exceptions.Exit(143) from None
            if _SIGNALLED["interrupt"]:
                click.echo("Error: interrupted; no output was written", err=True)
                raise click.exceptions.Exit(130) from None
            raise
        finally:
            if previous is not None:
                signal.signal(signal.SIGTERM, previous)
            if previous_int is not None:
                signal.signal(signal.SIGINT, previous_int)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = []
        for name in self.list_commands(ctx):
            short = SHORT_HELP.get(name)
            if short is None:
                command = self.get_command(ctx, name)
                if command is None or command.hidden:
                    continue
                short = command.get_short_help_str(formatter.width - 6 - len(name))
            rows.append((name, short))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        module, attribute = COMMANDS[cmd_name]
        command = getattr(importlib.import_module(f"{__name__}.{module}"), attribute)
        assert isinstance(command, click.Command)
        if cmd_name in SHORT_HELP:
            command.short_help = SHORT_HELP[cmd_name]  # the same line whether imported or not
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
