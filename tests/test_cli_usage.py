"""Click's own usage errors and help: one clear line with exit code 2, and defaults in every --help.

Usage errors (a number out of range, a missing option) carry no error code: they are about the
command line, not the data. The project's messages replace click's "INTEGER RANGE", "x>=2" and
"'x' is not a valid integer range", which read as if a range were to be typed.
"""

from __future__ import annotations

import click
import pytest
from click.testing import CliRunner

from fritekst.cli import COMMANDS, main


def invoke(*args: str):
    return CliRunner().invoke(main, list(args), env={"COLUMNS": "100"}, prog_name="fritekst")


@pytest.mark.parametrize("args, line", [
    (["evaluate", "--cv", "1"], "Error: Invalid value for '--cv': 1 is too small; give 2 or more."),
    (["evaluate", "--cv", "fem"], "Error: Invalid value for '--cv': 'fem' is not a valid whole number."),
    (["evaluate", "--cv", "2.5"], "Error: Invalid value for '--cv': '2.5' is not a valid whole number."),
    (["train", "--codebook", "k.yaml", "--cv", "1"], "Error: Invalid value for '--cv': 1 is too small; give 2 or more."),
    (["train", "--codebook", "k.yaml", "--C", "0"], "Error: Invalid value for '--C': 0 is too small; give more than 0."),
    (["train", "--codebook", "k.yaml", "--C", "ti"], "Error: Invalid value for '--C': 'ti' is not a valid number."),
    (["serve", "--port", "70000"], "Error: Invalid value for '--port': 70000 is too large; give 0 to 65535."),
    (["suggest", "--codebook", "k.yaml", "-n", "0"],
     "Error: Invalid value for '-n' / '--number': 0 is too small; give 1 or more."),
    (["code", "--jobs", "-1"], "Error: Invalid value for '--jobs': -1 is too small; give 0 or more."),
])
def test_a_number_out_of_range_is_one_plain_line_with_exit_code_2(tmp_path, monkeypatch, args: list[str],
                                                                 line: str) -> None:
    monkeypatch.chdir(tmp_path)  # nothing is read or written: the command line is refused first
    result = invoke(*args)
    assert (result.exit_code, result.output) == (2, line + "\n")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("args, named", [
    (["report", "--lang", "de"], "'de' is not one of 'nb', 'en'"),
    (["report", "--year"], "--year"),
    (["train"], "--codebook"),
    (["code", "--frobnicate"], "--frobnicate"),
    (["rapport"], "'rapport'"),
])
def test_clicks_own_usage_errors_are_one_line_with_exit_code_2(tmp_path, monkeypatch, args: list[str],
                                                                named: str) -> None:
    # Click words these itself (and the wording changes between its versions); without the usage
    # block above it, which a --help shows anyway.
    monkeypatch.chdir(tmp_path)
    result = invoke(*args)
    assert result.exit_code == 2
    assert len(result.output.splitlines()) == 1 and result.output.startswith("Error: ") and named in result.output
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("args, line", [
    (["export", "xlsx", "ut.xlsx"], "Error: No such command 'xlsx'; the commands of 'fritekst export' are: qdc, qdpx"),
    (["cache", "tøm"], "Error: No such command 'tøm'; the commands of 'fritekst cache' are: clear"),
    (["review", "exprot"], "Error: No such command 'exprot'. Did you mean 'export'?"),  # click's hint is enough
])
def test_an_unknown_command_names_the_commands_there_are(tmp_path, monkeypatch, args: list[str], line: str) -> None:
    # It said only "Error: No such command 'xlsx'." (the usage block and its "Try -h" are dropped).
    monkeypatch.chdir(tmp_path)
    result = invoke(*args)
    assert (result.exit_code, result.output) == (2, line + "\n")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("group", ["cache", "export", "import", "review"])
def test_a_group_without_its_subcommand_shows_its_help_not_an_error(group: str) -> None:
    # It printed "Error: Usage: fritekst export [OPTIONS] COMMAND [ARGS]..." and the help under it.
    result = invoke(group)
    assert result.exit_code == 2
    assert result.output.startswith(f"Usage: fritekst {group} [OPTIONS] COMMAND [ARGS]...\n")
    assert "Error" not in result.output and "Commands:\n" in result.output


def _commands() -> list[tuple[str, ...]]:
    context = click.Context(main)
    found: list[tuple[str, ...]] = []
    for name in COMMANDS:
        command = main.get_command(context, name)
        if isinstance(command, click.Group):
            found += [(name, sub) for sub in command.list_commands(context)]
        else:
            found.append((name,))
    return found


@pytest.mark.parametrize("command", _commands(), ids=" ".join)
def test_every_help_shows_numbers_and_defaults_in_plain_words(command: tuple[str, ...]) -> None:
    result = invoke(*command, "--help")
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    for click_words in ("INTEGER RANGE", "FLOAT RANGE", "x>=", "x<=", "x>"):
        assert click_words not in text
    # An option that has a default says what it is, shown by click or in its own words.
    context = click.Context(main)
    leaf = main.get_command(context, command[0])
    if len(command) == 2:
        assert isinstance(leaf, click.Group)
        leaf = leaf.get_command(context, command[1])
    assert leaf is not None
    for param in leaf.params:
        if isinstance(param, click.Option) and not param.is_flag and param.name != "help" \
                and param.default not in (None, ()) and not str(param.default).startswith("Sentinel"):
            assert param.show_default or "default" in (param.help or "").lower(), param.opts


def test_the_help_of_a_number_option_names_its_range() -> None:
    text = " ".join(invoke("train", "--help").output.split())
    assert "--cv N Folds for choosing each code's threshold. [default: 5; 2 or more]" in text
    assert "--C X Inverse regularisation strength of the logistic regressions. [default: 10.0; more than 0]" in text
    assert "--port N Port to listen on (default: a free port). [0 to 65535]" in " ".join(
        invoke("serve", "--help").output.split())


def test_the_options_input_needs_say_so_in_the_help() -> None:
    # Without them `fritekst code svar.csv` fails with "INPUT needs --codebook, --id-column, --text-column".
    text = " ".join(invoke("code", "--help").output.split())
    for option, help_text in [("--codebook FILE", "YAML codebook; repeat to code with several."),
                              ("--id-column TEXT", "Column that identifies a respondent."),
                              ("--text-column TEXT", "Column with open answers (a question); repeat for several.")]:
        assert f"{option} {help_text} Needed with INPUT." in text
