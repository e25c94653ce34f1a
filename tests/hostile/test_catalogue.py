"""Every command against a catalogue of bad files put where one of its inputs should be.

Each bad file replaces one input of an otherwise valid command line; the four promises must hold
(exit 2, one ``Error:`` line, no file left, inputs unchanged). Items 1–9 of issue 8 have their own,
more specific tables next to this file.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from .harness import assert_clean_refusal, make_project, run_checked

BAD: dict[str, Callable[[Path], None]] = {
    "missing": lambda p: p.unlink(),
    "empty": lambda p: p.write_bytes(b""),
    "binary": lambda p: p.write_bytes(bytes(range(256)) * 4),
    "nul-bytes": lambda p: p.write_bytes(b"case_id,question\x00,code_id\n\x00\x00\n"),
    "a-folder": lambda p: (p.unlink(), p.mkdir()),  # type: ignore[func-returns-value]
    "shadow": lambda p: p.write_text("root:$6$SeCrEt:19000:0:99999:7:::\n", encoding="utf-8"),
}

#: (command line, the input file that gets replaced by a bad one)
COMMANDS = [
    (["code", "svar.csv", "--codebook", "kodebok.yaml", "--id-column", "kommunenr", "--text-column", "grunn",
      "--out", "refs.csv"], "svar.csv"),
    (["code", "svar.csv", "--codebook", "kodebok.yaml", "--id-column", "kommunenr", "--text-column", "grunn",
      "--out", "refs.csv"], "kodebok.yaml"),
    (["code", "svar.csv", "--codebook", "kodebok.yaml", "--id-column", "kommunenr", "--text-column", "grunn",
      "--hand", "hand.csv", "--out", "refs.csv"], "hand.csv"),
    (["code", "--out", "refs.csv"], "fritekst.toml"),
    (["code", "--out", "refs.csv"], "svar.csv"),
    (["report"], "tabell.csv"),
    (["check", "kodebok.yaml"], "kodebok.yaml"),
    (["train", "--codebook", "klass/kodebok.yaml", "--gold", "klass/gull.csv", "--corpus", "klass/svar.csv",
      "--out", "m.skops"], "klass/gull.csv"),
    (["evaluate", "--codebook", "klass/kodebok.yaml", "--gold", "klass/gull.csv", "--corpus", "klass/svar.csv",
      "--scope", "klass/split.csv"], "klass/split.csv"),
    (["agree", "klass/koder_a.csv", "klass/koder_b.csv"], "klass/koder_b.csv"),
    (["review", "import", "ark.csv", "--codebook", "kodebok.yaml", "--out", "ny.csv"], "ark.csv"),
    (["suggest", "--codebook", "kodebok.yaml", "--question", "grunn", "--hand", "hand.csv"], "hand.csv"),
    (["export", "qdc", "koder.qdc", "--codebook", "kodebok.yaml"], "kodebok.yaml"),
    (["export", "qdpx", "svar.qdpx", "--codings", "hand.csv"], "hand.csv"),
]


@pytest.mark.parametrize("bad", sorted(BAD))
@pytest.mark.parametrize("args, target", COMMANDS, ids=[f"{i}-{a[0]}-{t}" for i, (a, t) in enumerate(COMMANDS)])
def test_a_bad_input_file_is_refused_cleanly(tmp_path: Path, args: list[str], target: str, bad: str) -> None:
    make_project(tmp_path, hand=False)
    (tmp_path / "ark.csv").write_text("case_id,question,text,okonomi\n0301,grunn,x,yes\n", encoding="utf-8")
    BAD[bad](tmp_path / target)
    outcome = run_checked(args, tmp_path)
    assert_clean_refusal(outcome)
    assert "SeCrEt" not in outcome.result.output
