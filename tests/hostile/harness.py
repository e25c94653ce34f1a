"""Running the real CLI against hostile inputs and checking the four promises of docs/reliability.md.

1. exit code 2 (or 0 where the input is valid after all),
2. exactly one line on stderr, ``Error: ...``, and no traceback,
3. no output file left behind (no new file anywhere in the work folder, hidden temp files included),
4. every input byte-identical (hashed before and after).
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from click.testing import CliRunner, Result

from fritekst.cli import main

DATA = Path(__file__).resolve().parents[1] / "data"


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` (hidden ones too) and the SHA-256 of its bytes."""
    found = {}
    for root, _dirs, files in os.walk(folder):
        for name in files:
            path = Path(root) / name
            if path.is_symlink():
                found[str(path.relative_to(folder))] = "link→" + os.readlink(path)
            else:
                found[str(path.relative_to(folder))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def run(args: Sequence[object], cwd: Path) -> Result:
    """``fritekst ARGS`` in ``cwd`` through click's runner (stderr kept apart from stdout)."""
    old = Path.cwd()
    os.chdir(cwd)
    try:
        return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=True)
    finally:
        os.chdir(old)


@dataclass
class Outcome:
    result: Result
    before: dict[str, str]
    after: dict[str, str]

    @property
    def stderr_lines(self) -> list[str]:
        return self.result.stderr.splitlines()


def run_checked(args: Sequence[object], cwd: Path) -> Outcome:
    before = snapshot(cwd)
    result = run(args, cwd)
    return Outcome(result, before, snapshot(cwd))


def assert_clean_refusal(outcome: Outcome, *fragments: str) -> None:
    """The four promises for a refused run; ``fragments`` must all appear in the one error line."""
    result = outcome.result
    detail = f"exit {result.exit_code}\nstdout: {result.stdout}\nstderr: {result.stderr}\nexc: {result.exception!r}"
    assert result.exit_code == 2, detail
    assert isinstance(result.exception, SystemExit), detail  # not an uncaught exception
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout, detail
    lines = outcome.stderr_lines
    assert lines and lines[0].startswith("Error: "), detail
    # One line; a codebook's validator alone lists every problem, one `file:line: ...` per line.
    where = lines[0][len("Error: "):].split(":", 1)[0]
    assert all(line.startswith(where + ":") for line in lines[1:]), detail
    for fragment in fragments:
        assert fragment in lines[0], detail
    assert outcome.after == outcome.before, "files changed, appeared or vanished: " + \
        str(set(outcome.after.items()) ^ set(outcome.before.items()))


def make_project(folder: Path, *, hand: bool = True) -> Path:
    """A small project in ``folder``: fritekst.toml, svar.csv, kodebok.yaml, tabell.csv, hand.csv, gold.

    Also the classifier test data (``klass/``) for train and evaluate.
    """
    for name in ("fritekst.toml", "kodebok.yaml", "svar.csv", "tabell.csv"):
        shutil.copy(DATA / "project" / name, folder / name)
    shutil.copy(DATA / "cli" / "hand.csv", folder / "hand.csv")
    if hand:
        toml = (folder / "fritekst.toml").read_text(encoding="utf-8")
        (folder / "fritekst.toml").write_text(toml + '\n[coding]\nhand_codings = ["hand.csv"]\n', encoding="utf-8")
    klass = folder / "klass"
    klass.mkdir()
    for name in ("svar.csv", "kodebok.yaml", "gull.csv", "split.csv", "koder_a.csv", "koder_b.csv"):
        shutil.copy(DATA / "classifier" / name, klass / name)
    return folder
