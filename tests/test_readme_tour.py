"""README.md's promises, checked against README.md itself at test time.

Every command of the "A short tour" block is run as written (``\\`` continuations joined, comments
dropped) through the real CLI, in a fresh copy of the shipped project, and must exit 0 without
changing any shipped file. The two set-up commands at the top must be exactly the documented ones,
and CI must run the second verbatim (what the first one writes is checked in
tests/test_report.py). When a command or option is renamed, or a file the tour names
is moved, these tests fail, so the tour cannot silently drift from the code.
"""

from __future__ import annotations

import hashlib
import re
import shlex
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from fritekst.cli import main

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
#: What a fresh checkout ships that the tour may read; copied into each test's project folder.
SHIPPED = ["fritekst.toml", "corpus", "codebooks"]
SETUP_COMMANDS = [
    "python3 -m venv .venv && .venv/bin/pip install -e . && .venv/bin/fritekst report --out out",
    'python3 -m venv .venv && .venv/bin/pip install -e ".[test]" && .venv/bin/python -m pytest -q',
]
#: Commands that block (a server): only their --help is run, so the name and options still count.
BLOCKING = {"serve"}


def _sh_blocks(text: str) -> list[str]:
    return re.findall(r"^```sh\n(.*?)^```", text, flags=re.DOTALL | re.MULTILINE)


def _tour_block() -> str:
    text = README.read_text(encoding="utf-8")
    _, found, rest = text.partition("\n## A short tour\n")
    assert found, "README.md has no '## A short tour' section"
    section = rest.split("\n## ", 1)[0]
    blocks = _sh_blocks(section)
    assert blocks, "the tour section has no ```sh block"
    return blocks[0]


def tour_commands() -> list[str]:
    """Every command line of the tour: continuations joined, comment lines and blank lines dropped."""
    commands: list[str] = []
    pending = ""
    for raw in _tour_block().splitlines():
        line = raw.strip()
        if not pending and (not line or line.startswith("#")):
            continue
        if line.endswith("\\"):
            pending += line[:-1].strip() + " "
            continue
        commands.append(pending + line)
        pending = ""
    assert not pending, f"the tour ends inside a continued line: {pending!r}"
    return commands


def _args(command: str) -> list[str]:
    words = shlex.split(command, comments=True)  # drops trailing "# ..." comments
    assert words[0] == "fritekst", f"tour line is not a fritekst command: {command!r}"
    return words[1:]


def _snapshot(folder: Path) -> dict[str, str]:
    files = {}
    for name in SHIPPED:
        path = folder / name
        for file in sorted([path] if path.is_file() else path.rglob("*")):
            if file.is_file():
                files[file.relative_to(folder).as_posix()] = hashlib.sha256(file.read_bytes()).hexdigest()
    return files


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh copy of the shipped project, and the working directory for the test."""
    for name in SHIPPED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, tmp_path / name)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _run(args: list[str]) -> str:
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, (
        f"fritekst {shlex.join(args)} exited {result.exit_code}:\n{result.output}\n{result.exception!r}")
    return result.output


def test_tour_is_found_and_names_only_fritekst_commands() -> None:
    commands = tour_commands()
    assert len(commands) >= 10
    assert all(_args(command) for command in commands)
    # The continuation was joined: the evaluate command carries its --split from the next line.
    assert any(c.startswith("fritekst evaluate") and "--split heldout" in c for c in commands)


@pytest.mark.parametrize("command", tour_commands(), ids=lambda c: c.removeprefix("fritekst ").split("#")[0].strip())
def test_tour_command_runs_as_written(command: str, project: Path) -> None:
    args = _args(command)
    if args[0] in BLOCKING:
        # It would block serving forever; its --help still proves the command and options exist.
        assert "--help" in _run([args[0], "--help"])
        return
    before = _snapshot(project)
    output = _run(args)
    if args[-1] in ("--help", "-h"):
        assert "Usage:" in output
        return
    assert _snapshot(project) == before, "the command changed a shipped file"


def test_setup_commands_open_the_readme_and_ci_runs_the_tests_verbatim() -> None:
    first_block = _sh_blocks(README.read_text(encoding="utf-8"))[0]
    assert first_block.splitlines()[:2] == SETUP_COMMANDS
    assert SETUP_COMMANDS[1] in (ROOT / ".ci" / "run").read_text(encoding="utf-8")



@pytest.mark.parametrize("group", [[], ["review"], ["cache"], ["import"], ["export"]])
def test_every_commands_one_line_summary_is_whole(group: list[str]) -> None:
    # `fritekst review --help` listed "Write a review sheet: one row per answer, one column per code..."
    result = CliRunner().invoke(main, [*group, "--help"], env={"COLUMNS": "80"})
    assert result.exit_code == 0
    commands = result.output[result.output.index("Commands:"):]
    assert "..." not in commands and "…" not in commands, commands


def _python_blocks() -> list[str]:
    return re.findall(r"^```python\n(.*?)^```", README.read_text(encoding="utf-8"), flags=re.DOTALL | re.MULTILINE)


def test_the_python_example_runs_as_written(project: Path) -> None:
    # It loaded the corpus with the attributes aar and fylke only, and summarise's filter
    # (asked_if planer_ansette) then failed: column 'planer_ansette' is not in the corpus.
    blocks = _python_blocks()
    assert len(blocks) == 1
    before = _snapshot(project)
    exec(compile(blocks[0], "README.md", "exec"), {"__name__": "readme"})  # noqa: S102 - our own README
    assert {p.name for p in (project / "rapport").iterdir()} >= {"report.html", "report.xlsx", "frequencies.csv"}
    assert (project / "refs.csv").is_file() and (project / "matrix.csv").is_file()
    assert _snapshot(project) == before
