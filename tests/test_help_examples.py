"""Every example in a command's --help runs as written in the shipped project.

A researcher copies an example from ``fritekst COMMAND --help`` into the project folder. It then
must name only options the command has, and read only files that the shipped project holds or an
earlier example (in the order a researcher works) writes. ``agree kari.csv ola.csv``,
``suggest --hand hand/ansette.csv`` and ``train --out models/ansette.skops`` (a folder that does not
exist) failed as written; ``import qdpx`` read a file no ``export qdpx`` example wrote. This is a
static check (no command runs), so it costs milliseconds; tests/test_readme_tour.py runs the tour.
"""

from __future__ import annotations

import shlex
from pathlib import Path

import click
import pytest

from fritekst.cli import main

ROOT = Path(__file__).resolve().parents[1]

#: The commands with examples, in the order a researcher works: what an example writes, a later
#: one may read.
ORDER = ["check", "code", "report", "train", "evaluate", "agree", "suggest", "review export",
         "review import", "export qdpx", "export qdc", "import qdpx", "import qdc", "import dictionary",
         "serve", "cache clear"]
#: Options whose value is a file or folder the command reads, and ones it writes.
READS = {"--codebook", "--gold", "--scope", "--hand", "--answers", "--model", "--codings", "--pool",
         "--project", "--corpus"}
WRITES = {"--out", "--sheet", "--matrix", "--disagreements"}
#: Positional arguments: read (``in``) or written (``out``), per command.
POSITIONAL = {"code": "in", "check": "in", "agree": "in", "review import": "in", "import qdpx": "in",
              "import qdc": "in", "import dictionary": "in", "export qdpx": "out", "export qdc": "out"}
#: Inputs a researcher brings that no project can ship, with the reason.
OWN_FILES = {"LSD2015.lc3": "a dictionary of the researcher's own (the Lexicoder dictionary is not ours to ship)"}


def _command(path: str) -> click.Command:
    command: click.Command = main
    with click.Context(main) as ctx:
        for name in path.split():
            assert isinstance(command, click.Group)
            found = command.get_command(ctx, name)
            assert found is not None, f"no command {path!r}"
            command = found
    return command


def _commands() -> list[str]:
    """Every leaf command's path, e.g. ``review import``."""
    paths: list[str] = []

    def walk(command: click.Command, prefix: str) -> None:
        if isinstance(command, click.Group):
            with click.Context(command) as ctx:
                for name in command.list_commands(ctx):
                    sub = command.get_command(ctx, name)
                    assert sub is not None
                    walk(sub, f"{prefix} {name}".strip())
        else:
            paths.append(prefix)

    walk(main, "")
    return paths


def examples(path: str) -> list[str]:
    """The example lines of a command's help (continuations joined, ``# …`` comments dropped)."""
    lines = (_command(path).help or "").splitlines()
    found: list[str] = []
    inside, pending = False, ""
    for raw in lines:
        line = raw.strip()
        if line in ("Example:", "Examples:"):
            inside = True
            continue
        if inside and not line:
            inside = False
            continue
        if inside and line.startswith("fritekst "):
            pending += line
        elif inside and pending:
            pending += " " + line
        else:
            continue
        if pending.endswith("\\"):
            pending = pending[:-1].rstrip() + " "
            continue
        found.append(pending)
        pending = ""
    return found


def test_every_command_with_examples_is_in_the_order() -> None:
    with_examples = {path for path in _commands() if examples(path)}
    assert with_examples <= set(ORDER), sorted(with_examples - set(ORDER))
    assert {"code", "report", "train", "evaluate", "export qdpx"} <= with_examples


def _check_example(example: str, written: set[Path], problems: list[str], where: str = "") -> None:
    """Name in ``problems`` every option ``example`` lacks and every file it reads that does not exist.

    What it writes is added to ``written``, so a later example may read it.
    """
    def exists(value: str) -> bool:
        target = Path(value)
        return ((ROOT / target).exists() or target in written
                or any(folder in target.parents for folder in written))

    words = shlex.split(example, comments=True)[1:]
    # An example may show another command (import qdpx ends with the `code` to run next).
    other = next((p for p in sorted(ORDER, key=len, reverse=True)
                  if words[:len(p.split())] == p.split()), None)
    if other is None:
        problems.append(f"{where}example of no known command: {example}")
        return
    command = _command(other)
    args = words[len(other.split()):]
    options = {opt for param in command.params for opt in param.opts + param.secondary_opts}
    flags = {opt for param in command.params if isinstance(param, click.Option) and param.is_flag
             for opt in param.opts}
    index = 0
    while index < len(args):
        word = args[index]
        if word.startswith("-"):
            if word not in options:
                problems.append(f"{where}{other}: {word} is not an option: {example}")
            value = None if word in flags or index + 1 == len(args) else args[index + 1]
            if value is not None:
                index += 1
                if word in READS and not exists(value):
                    problems.append(f"{where}{other}: {word} {value} does not exist: {example}")
                elif word in WRITES:
                    if not (ROOT / Path(value).parent).is_dir() and Path(value).parent not in written:
                        problems.append(f"{where}{other}: the folder of {word} {value} does not exist: {example}")
                    written.add(Path(value))
        elif POSITIONAL.get(other) == "out":
            written.add(Path(word))
        elif POSITIONAL.get(other) == "in" and not exists(word) and word not in OWN_FILES:
            problems.append(f"{where}{other}: {word} does not exist: {example}")
        index += 1


def test_every_example_names_only_options_its_command_has_and_files_that_exist() -> None:
    written: set[Path] = set()
    problems: list[str] = []
    checked = 0
    for path in ORDER:
        for example in examples(path):
            _check_example(example, written, problems)
            checked += 1
    assert not problems, "\n".join(problems)
    assert checked >= 20


def doc_commands(text: str) -> list[str]:
    """The ``fritekst …`` command lines of a Markdown page: in ```sh blocks or indented by four spaces.

    Continuations (``\\``) are joined; a ``$ `` prompt is dropped; output lines are not commands.
    """
    found: list[str] = []
    pending = ""
    fenced = False
    for raw in text.splitlines():
        if raw.startswith("```"):
            fenced = raw.strip() == "```sh" if not fenced else False
            continue
        if not (fenced or raw.startswith("    ")) and not pending:
            continue
        line = raw.strip().removeprefix("$ ")
        if not pending and not line.startswith("fritekst "):
            continue
        if line.endswith("\\"):
            pending += line[:-1].rstrip() + " "
            continue
        found.append(pending + line)
        pending = ""
    return found


#: Doc commands that show the shape of a command on files a researcher brings (placeholders), or
#: that score the sealed held-out sets (their files exist, but nothing here may run them).
DOC_PLACEHOLDERS = ("<name>", "prosjekt.qdpx", "fritekst.toml:")


@pytest.mark.parametrize("page", sorted(p.name for p in (ROOT / "docs").glob("*.md")))
def test_every_command_in_the_docs_names_options_that_exist_and_files_that_do(page: str) -> None:
    # docs/classifier-and-evaluation.md trained into models/ (no such folder), reviewed with
    # hand/ansette.csv (no such file) and agreed kari.csv with ola.csv: each failed as written.
    written: set[Path] = set()
    problems: list[str] = []
    for command in doc_commands((ROOT / "docs" / page).read_text(encoding="utf-8")):
        if not any(marker in command for marker in DOC_PLACEHOLDERS):
            _check_example(command, written, problems, where=f"{page}: ")
    assert not problems, "\n".join(problems)


def test_the_doc_command_reader_finds_indented_fenced_and_continued_commands() -> None:
    text = ("Prose fritekst report is not a command.\n\n    fritekst train --codebook a.yaml \\\n"
            "        --out b.skops\n\n```sh\n$ fritekst check a.yaml\nOutput line\n```\n\n```\nfritekst no\n```\n")
    assert doc_commands(text) == ["fritekst train --codebook a.yaml --out b.skops", "fritekst check a.yaml"]


@pytest.mark.parametrize("path", ["agree", "suggest", "review export", "review import", "train", "import qdpx"])
def test_the_examples_that_read_missing_files_now_use_the_shipped_ones(path: str) -> None:
    # Exact, so a regression to kari.csv, hand/ansette.csv or models/ansette.skops is named here.
    expected = {
        "agree": ["fritekst agree corpus/koding/koder_a.csv corpus/koding/koder_b.csv "
                  "--codebook codebooks/ansette.yaml"],
        "suggest": ["fritekst suggest --codebook codebooks/ansette.yaml -n 20 --sheet neste.xlsx"],
        "review export": ["fritekst review export --codebook codebooks/ansette.yaml --out review.xlsx"],
        "review import": [
            "fritekst review import review.xlsx --codebook codebooks/ansette.yaml --out ansette_hand.csv",
            "fritekst review import review.xlsx --codebook codebooks/ansette.yaml --out ansette_hand.csv --merge"],
        "import qdpx": ["fritekst import qdpx svar.qdpx --out importert",
                        "fritekst code --project importert/fritekst.toml --hand importert/hand_codings.csv"],
    }
    if path == "train":
        assert examples(path)[0].endswith("--split train --out ansette.skops")
    else:
        assert examples(path) == expected[path]
