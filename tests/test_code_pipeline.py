"""The `code` pipeline as a library call (fritekst.coding.pipeline): paths checked once, outputs
written once and all or nothing, the same files as the command writes."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

import fritekst.coding.pipeline as pipeline
import fritekst.sources.tables as tables
from fritekst.cli import main
from fritekst.coding.pipeline import CodeOutputs, code_input, code_project_run
from fritekst.errors import OutputError

DATA = Path(__file__).parent / "data"


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    for name in ("fritekst.toml", "kodebok.yaml", "svar.csv", "tabell.csv"):
        shutil.copy(DATA / "project" / name, tmp_path / name)
    shutil.copy(DATA / "cli" / "hand.csv", tmp_path / "hand.csv")
    return tmp_path


def _count_bytes(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count every byte written through the atomic writers' file handles."""
    written: list[int] = []
    real = os.fdopen

    class Counting:
        def __init__(self, handle):
            self._handle = handle

        def write(self, data):
            written.append(len(data))
            return self._handle.write(data)

        def __getattr__(self, name):
            return getattr(self._handle, name)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self._handle.close()

    monkeypatch.setattr(tables.os, "fdopen", lambda *a, **k: Counting(real(*a, **k)))
    return written


@pytest.mark.parametrize("matrix", ["matrix.csv", "matrix.xlsx"])
def test_refs_and_matrix_bytes_are_written_once(project, monkeypatch, matrix):
    written = _count_bytes(monkeypatch)
    run = code_input(project / "svar.csv", [project / "kodebok.yaml"], "kommunenr", ["grunn"],
                     CodeOutputs(project / "refs.csv", project / matrix), hand_files=[project / "hand.csv"])
    sizes = (project / "refs.csv").stat().st_size + (project / matrix).stat().st_size
    assert run.n_codings > 0 and run.merge_report is not None
    # once each, no draft copy in a temporary folder first (zipfile rewrites an entry's few header
    # bytes after its data, so a workbook's count is a little over its size, never twice it)
    if matrix.endswith(".csv"):
        assert sum(written) == sizes
    else:
        assert sizes <= sum(written) < 1.2 * sizes


def test_library_run_writes_what_the_command_writes(project, tmp_path_factory):
    other = tmp_path_factory.mktemp("cli")
    args = ["code", str(project / "svar.csv"), "--codebook", str(project / "kodebok.yaml"), "--id-column",
            "kommunenr", "--text-column", "grunn", "--hand", str(project / "hand.csv"),
            "--out", str(other / "refs.csv"), "--matrix", str(other / "matrix.csv")]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    code_input(project / "svar.csv", [project / "kodebok.yaml"], "kommunenr", ["grunn"],
               CodeOutputs(project / "refs.csv", project / "matrix.csv"), hand_files=[project / "hand.csv"])
    for name in ("refs.csv", "matrix.csv"):
        assert (project / name).read_bytes() == (other / name).read_bytes()


@pytest.mark.parametrize("mode", ["input", "project"])
def test_paths_are_checked_once_before_anything_is_read(project, monkeypatch, mode):
    calls = []
    real = pipeline.check_run
    monkeypatch.setattr(pipeline, "check_run", lambda *a, **k: (calls.append(a), real(*a, **k))[1])
    outputs = CodeOutputs(project / "svar.csv")  # over the corpus: refused before any coding
    with pytest.raises(OutputError, match="svar.csv: is an input of this run"):
        if mode == "input":
            code_input(project / "svar.csv", [project / "kodebok.yaml"], "kommunenr", ["grunn"], outputs,
                       hand_files=[project / "hand.csv"])
        else:
            code_project_run(project / "fritekst.toml", outputs, cache=False)
    assert len(calls) == 1
    assert not (project / ".fritekst").exists()
