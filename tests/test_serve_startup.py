"""`fritekst serve` start-up: the workbench imports no scikit-learn or skops until a researcher asks
for retraining, and it codes through the project's codings cache."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import fritekst.coding.coder as coder
from fritekst.coding.coder import code_corpus, load_project_codebooks, load_project_corpus
from fritekst.sources.project import load_project
from fritekst.web.workspace import Workspace

REPO = Path(__file__).resolve().parent.parent
DATA = Path(__file__).parent / "data" / "web"


def test_the_workbench_app_imports_no_sklearn_or_skops() -> None:
    probe = ("import sys\n"
             "import fritekst.web.app, fritekst.web.workspace, fritekst.cli.serve\n"
             "print(sorted(m for m in sys.modules if m.split('.')[0] in ('sklearn', 'skops')))\n")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=REPO, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(REPO / "src")})
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_workspace_codes_through_the_codings_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(DATA, tmp_path / "p")
    path = tmp_path / "p" / "fritekst.toml"
    first = Workspace(path, "ane")
    project = load_project(path)
    books = load_project_codebooks(project)
    expected = code_corpus(load_project_corpus(project), list(books.values()),
                           {q.column: [books[q.codebook].id] for q in project.questions})
    pd.testing.assert_frame_equal(first.auto.reset_index(drop=True), expected.reset_index(drop=True))
    assert any((tmp_path / "p" / ".fritekst" / "cache").iterdir())

    def no_coding(*args: object, **kwargs: object) -> None:
        raise AssertionError("coded again although nothing changed")

    monkeypatch.setattr(coder, "code_corpus", no_coding)
    second = Workspace(path, "ane")  # opened again: everything from the cache
    pd.testing.assert_frame_equal(second.auto, first.auto)


def test_a_project_that_cannot_be_loaded_names_its_error_code(tmp_path: Path) -> None:
    # serve printed the message without its code, unlike every other command
    from click.testing import CliRunner

    from fritekst.cli import main

    project = tmp_path / "fritekst.toml"
    project.write_text('[corpus]\npath = "mangler.csv"\nid_column = "case_id"\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["serve", "--project", str(project), "--no-browser"])
    assert result.exit_code == 2
    assert re.search(r"^Error: .+ \[E\d{3}\]$", result.output.strip().splitlines()[-1]), result.output


def test_a_port_in_use_fails_at_once_with_its_code(tmp_path: Path) -> None:
    # It was exit 1 without a code, and only after every answer had been coded.
    import socket

    from click.testing import CliRunner

    from fritekst.cli import main

    shutil.copytree(DATA, tmp_path / "p")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(main, ["serve", "--project", str(tmp_path / "p" / "fritekst.toml"),
                                           "--port", str(port), "--no-browser"])
    assert (result.exit_code, result.output) == (
        2, f"Error: cannot listen on 127.0.0.1:{port} (Address already in use); choose another --port, or leave "
           "it out for a free one [E122]\n")
    assert not (tmp_path / "p" / ".fritekst").exists()  # nothing was coded
