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

from fritekst.coding.stream import DEFAULT_STREAM_CHUNK_SIZE

from .harness import DATA, make_project, run_checked, snapshot

SRC = Path(__file__).resolve().parents[2] / "src"
#: Eight chunks: the signal lands after the first one, with seven still to code.
ROWS = 8 * DEFAULT_STREAM_CHUNK_SIZE


def big_corpus(folder: Path) -> None:
    answers = ["Vi har ikke økonomi til det, og ingen ledige stillinger.", "Vi ser behovet. Brukarane ønskjer det.",
               "Det er ikkje lovpålagt for oss.", "Nei"]
    lines = ["kommunenr,fylke,grunn"] + [f"{i:06d},Fylke {i % 11},\"{answers[i % 4]} {i}\"" for i in range(ROWS)]
    (folder / "svar.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    shutil.copy(DATA / "project" / "kodebok.yaml", folder / "kodebok.yaml")


#: The child restores Python's own Ctrl-C handler first. A shell starts a background job with SIGINT
#: ignored, and Python keeps an ignored SIGINT ignored, so a suite started with ``&`` (or by a runner
#: that does so) would send SIGINT to a process that cannot hear it and see it finish with exit 0.
#: A terminal's Ctrl-C reaches a foreground command, whose SIGINT is never ignored: that is the case
#: under test.
CHILD = "import signal; signal.signal(signal.SIGINT, signal.default_int_handler); from fritekst.cli import main; main()"
#: Generous: on a loaded machine the start-up alone has taken close to a minute.
TIMEOUT = 300


def start(folder: Path, jobs: int) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    return subprocess.Popen(
        [sys.executable, "-c", CHILD, "code", "svar.csv", "--codebook",
         "kodebok.yaml", "--id-column", "kommunenr", "--text-column", "grunn", "--out", "refs.csv",
         "--matrix", "matrix.csv", "--jobs", str(jobs)],
        cwd=folder, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)


def wait_until_coding(folder: Path, process: subprocess.Popen[str], timeout: float = TIMEOUT) -> None:
    """Return once the first chunk has been coded, so that the signal lands in the middle of coding.

    The marker: the matrix's hidden temporary file holds bytes. Its rows are written as each chunk's
    result comes back (the first chunk's rows overflow the file buffer), so the workers are running
    and 7 chunks are still to do. No sleep: how long that takes depends only on the machine's load.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if any(p.name.startswith(".matrix.csv.") and _size(p) > 0 for p in folder.iterdir()):
            return
        if process.poll() is not None:
            break
        time.sleep(0.02)
    process.kill()
    pytest.fail(f"the run finished, or did not code a chunk within {timeout} s: {process.communicate()}")


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except FileNotFoundError:  # renamed into place or removed since the folder was listed
        return 0


@pytest.mark.parametrize("sig, code, word, jobs", [(signal.SIGTERM, 143, "terminated", 2),
                                                  (signal.SIGINT, 130, "interrupted", 2),
                                                  (signal.SIGTERM, 143, "terminated", 1)],
                         ids=["sigterm-jobs2", "sigint-jobs2", "sigterm-serial"])
def test_a_signal_during_streaming_leaves_no_files(tmp_path: Path, sig: int, code: int, word: str,
                                                   jobs: int) -> None:
    big_corpus(tmp_path)
    before = snapshot(tmp_path)
    process = start(tmp_path, jobs)
    wait_until_coding(tmp_path, process)
    os.killpg(process.pid, sig)  # as a terminal does: the whole process group, workers included
    out, err = process.communicate(timeout=TIMEOUT)
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


@pytest.mark.parametrize("sig, code, word", [(signal.SIGINT, 130, "interrupted"), (signal.SIGTERM, 143, "terminated")],
                         ids=["sigint", "sigterm"])
def test_a_signal_that_c_code_swallows_is_still_reported_as_the_stop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                     sig: int, code: int, word: str) -> None:
    """pandas' C reader can drop the KeyboardInterrupt raised inside its ``read`` and raise
    ``ParserError("Calling read(nbytes) on source failed")`` instead (seen in CI, sigint-jobs2): the
    command must still say it was stopped, exit 130/143, with no traceback."""
    import fritekst.cli.code as code_module

    def swallowing_reader(*args: object, **kwargs: object) -> None:
        try:
            signal.raise_signal(sig)  # the handler runs here and raises, as inside a blocking read
        except BaseException:
            pass  # what the C reader does with it
        raise ValueError("Error tokenizing data. C error: Calling read(nbytes) on source failed.")

    # As from a terminal: a job started in the background (nohup, `&`) inherits SIGINT ignored, and
    # then fritekst rightly leaves Ctrl-C alone.
    previous_int = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        _run_swallowed(tmp_path, monkeypatch, code_module, swallowing_reader, code, word)
    finally:
        signal.signal(signal.SIGINT, previous_int)


def _run_swallowed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code_module: object, swallowing_reader: object,
                   code: int, word: str) -> None:
    make_project(tmp_path, hand=False)
    monkeypatch.setattr(code_module, "code_input", swallowing_reader)
    before = snapshot(tmp_path)
    outcome = run_checked(["code", "svar.csv", "--codebook", "kodebok.yaml", "--id-column", "kommunenr",
                           "--text-column", "grunn", "--out", "refs.csv"], tmp_path)
    assert outcome.result.exit_code == code, outcome.result.output
    assert outcome.result.output.splitlines() == [f"Error: {word}; no output was written"]
    assert snapshot(tmp_path) == before
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # restored after the command
