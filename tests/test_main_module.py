"""``python -m fritekst`` is the command line, as the ``fritekst`` script (in a fresh interpreter)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from fritekst._version import __version__

ROOT = Path(__file__).resolve().parents[1]


def _run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "COLUMNS": "200"}
    return subprocess.run([sys.executable, "-m", "fritekst", *args], capture_output=True, text=True, cwd=cwd,
                          env=env, timeout=300)


def test_python_m_fritekst_runs_the_command_line_under_its_name() -> None:
    done = _run("--version")
    assert (done.returncode, done.stdout, done.stderr) == (0, f"fritekst, version {__version__}\n", "")
    done = _run("--help")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Usage: fritekst [OPTIONS] COMMAND [ARGS]...")  # not "python -m fritekst"
    assert "  serve " in done.stdout and "  report " in done.stdout


def test_python_m_fritekst_runs_a_command_and_its_errors(tmp_path: Path) -> None:
    done = _run("check", "codebooks/ansette.yaml", "--lang", "en")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("codebooks/ansette.yaml: ok (")
    missing = tmp_path / "finnes_ikke.toml"
    done = _run("check", "--project", str(missing))
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (f"Error: {missing}: project file not found; run from the project folder or give the "
                           "project file's path (see --project, docs/project-file.md) [E301]\n")
