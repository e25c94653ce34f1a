"""Issue 8 item 6: Ctrl-C and SIGTERM during streaming leave nothing behind and print one line."""

from __future__ import annotations

import multiprocessing
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .harness import DATA, make_project, run_checked, snapshot

SRC = Path(__file__).resolve().parents[2] / "src"
ROWS = 40_000


def big_corpus(folder: Path) -> None:
    answers = ["Vi har ikke økonomi til det, og ingen ledige stillinger.", "Vi ser behovet. Brukarane ønskjer det.",
               "Det er ikkje lovpålagt for oss.", "Nei"]
    lines = ["kommunenr,fylke,grunn"] + [f"{i:06d},Fylke {i % 11},\"{answers[i % 4]} {i}\"" for i in range(ROWS)]
    (folder / "svar.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    shutil.copy(DATA / "project" / "kodebok.yaml", folder / "kodebok.yaml")


def start(folder: Path, jobs: int) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    return subprocess.Popen(
        [sys.executable, "-c", "from fritekst.cli import main; main()", "code", "svar.csv", "--codebook",
         "kodebok.yaml", "--id-column", "kommunenr", "--text-column", "grunn", "--out", "refs.csv",
         "--matrix", "matrix.csv", "--jobs", str(jobs)],
        cwd=folder, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)


def wait_for_temp_files(folder: Path, process: subprocess.Popen[str], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if any(p.name.startswith(".refs.csv.") for p in folder.iterdir()):
            time.sleep(0.5)  # let coding get going
            return
        if process.poll() is not None:
            break
        time.sleep(0.05)
    pytest.fail(f"the run finished or never started: {process.communicate()}")


@pytest.mark.parametrize("sig, code, word, jobs", [(signal.SIGTERM, 143, "terminated", 2),
                                                  (signal.SIGINT, 130, "interrupted", 2),
                                                  (signal.SIGTERM, 143, "terminated", 1)],
                         ids=["sigterm-jobs2", "sigint-jobs2", "sigterm-serial"])
def test_a_signal_during_streaming_leaves_no_files(tmp_path: Path, sig: int, code: int, word: str,
                                                   jobs: int) -> None:
    big_corpus(tmp_path)
    before = snapshot(tmp_path)
    process = start(tmp_path, jobs)
    wait_for_temp_files(tmp_path, process)
    os.killpg(process.pid, sig)  # as a terminal does: the whole process group, workers included
    out, err = process.communicate(timeout=60)
    assert process.returncode == code, err
    assert err.splitlines() == [f"Error: {word}; no output was written"], err
    assert snapshot(tmp_path) == before  # no refs.csv, no matrix.csv, no hidden temp files or spill runs


def test_more_jobs_than_chunks_starts_no_workers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    make_project(tmp_path, hand=False)

    def no_pool(*args: object, **kwargs: object) -> None:
        raise AssertionError("a worker pool was started for one chunk of work")

    monkeypatch.setattr(multiprocessing, "get_context", no_pool)
    for args in (["code", "svar.csv", "--codebook", "kodebok.yaml", "--id-column", "kommunenr",
                  "--text-column", "grunn", "--out", "a.csv", "--jobs", "64"],
                 ["code", "--out", "b.csv", "--jobs", "64"]):
        outcome = run_checked(args, tmp_path)
        assert outcome.result.exit_code == 0, outcome.result.output
