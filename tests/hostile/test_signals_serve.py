"""Stopping ``fritekst serve``: SIGTERM, Ctrl-C (SIGINT), and both at once, each give one clear line
and exit 0 with every decision saved; no traceback, no "interrupted; no output was written".

The server is a real ``fritekst serve`` subprocess on a copy of the small workbench project, sent
the signal as a terminal sends it (to the whole process group) while a browser-like keep-alive
connection is open and after a decision was made through the API.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from fritekst.coding.decisions import read_decisions

from .harness import DATA

SRC = Path(__file__).resolve().parents[2] / "src"
#: As a terminal starts a foreground command: SIGINT at Python's own handler, not ignored (a job
#: started with ``&`` inherits SIGINT ignored, and fritekst rightly leaves Ctrl-C alone then).
CHILD = "import signal; signal.signal(signal.SIGINT, signal.default_int_handler); from fritekst.cli import main; main()"
TIMEOUT = 300


def start(folder: Path) -> tuple[subprocess.Popen[str], str]:
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    process = subprocess.Popen([sys.executable, "-c", CHILD, "serve", "--no-browser", "--coder", "ane"], cwd=folder,
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               start_new_session=True)
    assert process.stdout is not None
    url = process.stdout.readline().strip()
    if not url.startswith("http://127.0.0.1:"):
        process.kill()
        pytest.fail(f"serve printed {url!r}: {process.communicate()}")
    return process, url


def decide(url: str) -> None:
    base, token = url.split("/?token=")
    request = urllib.request.Request(
        f"{base}/api/decisions", method="POST", headers={"X-Fritekst-Token": token, "Content-Type": "application/json"},
        data=json.dumps({"case_id": "0301", "question": "grunn", "code_id": "okonomi", "action": "whole",
                         "expected": ""}).encode())
    with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
        assert response.status == 200


@pytest.mark.parametrize("signals", [[signal.SIGTERM], [signal.SIGINT], [signal.SIGTERM, signal.SIGINT],
                                     [signal.SIGINT, signal.SIGINT]],
                         ids=["sigterm", "sigint", "sigterm-then-sigint", "ctrl-c-twice"])
def test_a_stop_signal_ends_the_workbench_with_one_line(tmp_path: Path, signals: list[int]) -> None:
    shutil.copytree(DATA / "web", tmp_path / "p")
    process, url = start(tmp_path / "p")
    try:
        decide(url)
        port = int(url.split(":")[2].split("/")[0])
        with socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT) as idle:  # a browser's open tab
            idle.sendall(b"GET /api/nothing HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            idle.recv(1)
            for sig in signals:  # back to back: the second lands while the server is shutting down
                os.killpg(process.pid, sig)
            out, err = process.communicate(timeout=TIMEOUT)
    finally:
        if process.poll() is None:
            process.kill()
    assert (process.returncode, out) == (0, "")
    assert err.splitlines() == ["Laster fritekst.toml og koder svarene …",
                                "Arbeidsbenken er stoppet; alle beslutninger er lagret i koding/ane.csv"]
    saved = read_decisions(tmp_path / "p" / "koding" / "ane.csv")
    assert {(k[0], k[2]): d.decision for k, d in saved.items()} == {("0301", "okonomi"): "yes"}
