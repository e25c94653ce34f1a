"""Issue 8 item 4: inputs and faults that used to end in a traceback now give one line and exit 2."""

from __future__ import annotations

import csv
import errno
import io
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from fritekst.sources import tables

from .harness import assert_clean_refusal, make_project, run_checked

CODE = ["code", "svar.csv", "--codebook", "kodebok.yaml", "--id-column", "kommunenr", "--text-column", "grunn"]
#: The same, through the in-memory path (a hand-coding file turns streaming off).
CODE_MEMORY = [*CODE, "--hand", "hand.csv"]
BOMB = "".join(f"{b}: &{b} [{', '.join([f'*{a}'] * 9)}]\n" for a, b in zip("abcdefgh", "bcdefghi"))


def codebook_text(folder: Path, text: str) -> None:
    (folder / "kodebok.yaml").write_text(text, encoding="utf-8")


def corpus_bytes(folder: Path, change: Callable[[bytes], bytes]) -> None:
    path = folder / "svar.csv"
    path.write_bytes(change(path.read_bytes()))


REFUSED: list[tuple[str, Callable[[Path], Any], list[str], list[str]]] = [
    ("yaml-alias-bomb-check", lambda f: codebook_text(f, 'a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x"]\n' + BOMB),
     ["check", "kodebok.yaml"], ["kodebok.yaml:", "aliases expand to more than"]),
    ("yaml-alias-bomb-code", lambda f: codebook_text(f, 'a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x"]\n' + BOMB),
     ["code", "--out", "refs.csv"], ["aliases expand to more than"]),
    ("yaml-recursive-alias", lambda f: codebook_text(f, "codebook: &a [*a]\n"), ["check", "kodebok.yaml"],
     ["kodebok.yaml:1: a YAML alias refers to the list or mapping that contains it"]),
    ("yaml-deep-nesting", lambda f: codebook_text(f, "[" * 50_000 + "]" * 50_000 + "\n"), ["check", "kodebok.yaml"],
     ["kodebok.yaml:1:1001: YAML syntax error: exceeded maximum nesting depth"]),
    ("yaml-moderately-deep", lambda f: codebook_text(f, "[" * 200 + "]" * 200 + "\n"), ["check", "kodebok.yaml"],
     ["YAML nested deeper than 64 levels"]),
    ("yaml-nul-byte", lambda f: codebook_text(f, "codebook: x\n\x00title: y\n"), ["code", "--out", "refs.csv"],
     ["kodebok.yaml: unacceptable character #x0000"]),
    ("encoding-unknown-streaming", lambda f: None, [*CODE, "--encoding", "klingon"], ["unknown encoding 'klingon'"]),
    ("encoding-unknown-memory", lambda f: None, [*CODE_MEMORY, "--encoding", "klingon"], ["unknown encoding 'klingon'"]),
    ("encoding-in-project-mode", lambda f: None, ["code", "--encoding", "cp1252"], ["--encoding describe INPUT"]),
    ("extra-field-streaming", lambda f: corpus_bytes(f, lambda b: b.replace(b"Nei,", b"Nei,,", 1)), CODE,
     ["svar.csv:", "row 2"]),
    ("extra-field-memory", lambda f: corpus_bytes(f, lambda b: b.replace(b"Nei,", b"Nei,,", 1)), CODE_MEMORY,
     ["svar.csv:", "row 2"]),
    ("out-is-a-folder", lambda f: None, [*CODE, "--out", "klass"], ["klass: is a folder"]),
    ("report-out-is-a-file", lambda f: None, ["report", "--out", "hand.csv"], ["not a folder"]),
    ("unreadable-nonsense-xlsx", lambda f: (f / "svar.xlsx").write_bytes(b"PK\x03\x04 not really"),
     ["code", "svar.xlsx", "--codebook", "kodebok.yaml", "--id-column", "kommunenr", "--text-column", "grunn"],
     ["svar.xlsx: cannot read as .xlsx"]),
]


@pytest.mark.parametrize("setup, args, fragments", [c[1:] for c in REFUSED], ids=[c[0] for c in REFUSED])
def test_bad_input_gives_one_line(tmp_path: Path, setup: Callable[[Path], Any], args: list[str],
                                  fragments: list[str]) -> None:
    make_project(tmp_path, hand=False)
    setup(tmp_path)
    assert_clean_refusal(run_checked(args, tmp_path), *fragments)


def utf16(data: bytes) -> bytes:
    return data.decode("utf-8").encode("utf-16")


def cr_only(data: bytes) -> bytes:
    return data.replace(b"\r\n", b"\n").replace(b"\n", b"\r")


@pytest.mark.parametrize("change", [utf16, cr_only], ids=["utf-16", "cr-only"])
@pytest.mark.parametrize("args", [CODE, CODE_MEMORY, ["code"]], ids=["streaming", "memory", "project"])
def test_odd_but_valid_csv_reads_like_the_plain_file(tmp_path: Path, change: Callable[[bytes], bytes],
                                                     args: list[str]) -> None:
    make_project(tmp_path, hand=False)
    expected = run_checked([*args, "--out", "plain.csv"], tmp_path)
    assert expected.result.exit_code == 0, expected.result.output
    corpus_bytes(tmp_path, change)
    outcome = run_checked([*args, "--out", "odd.csv"], tmp_path)
    assert outcome.result.exit_code == 0, outcome.result.output
    assert (tmp_path / "odd.csv").read_bytes() == (tmp_path / "plain.csv").read_bytes()


def test_hand_file_and_review_sheet_with_cr_only_lines(tmp_path: Path) -> None:
    make_project(tmp_path, hand=False)
    hand = tmp_path / "hand.csv"
    hand.write_bytes(cr_only(hand.read_bytes()))
    outcome = run_checked([*CODE_MEMORY, "--out", "refs.csv"], tmp_path)
    assert outcome.result.exit_code == 0, outcome.result.output
    assert "1 overstyrt, 1 lagt til for hånd" in outcome.result.stdout


class _FullDisk:
    """A file handle whose writes fail as on a full disk (errno 28)."""

    def __init__(self, handle: Any) -> None:
        self._handle = handle

    def write(self, data: Any) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    def __getattr__(self, name: str) -> Any:
        return getattr(self._handle, name)

    def __enter__(self) -> _FullDisk:
        return self

    def __exit__(self, *exc: object) -> None:
        self._handle.close()


@pytest.mark.parametrize("args", [
    [*CODE, "--out", "refs.csv", "--matrix", "matrix.csv"],
    [*CODE_MEMORY, "--out", "refs.csv", "--matrix", "matrix.csv"],
    ["code", "--out", "refs.csv"],
    ["report", "--out", "rapport"],
    ["export", "qdc", "koder.qdc"],
], ids=["code-streaming", "code-memory", "code-project", "report", "export-qdc"])
def test_a_full_disk_is_one_line_and_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                    args: list[str]) -> None:
    make_project(tmp_path, hand=False)
    real = os.fdopen
    monkeypatch.setattr(tables.os, "fdopen", lambda *a, **k: _FullDisk(real(*a, **k)))
    outcome = run_checked(args, tmp_path)
    assert not (tmp_path / "rapport").exists()  # not even the report folder is left
    assert_clean_refusal(outcome, "No space left on device", "free some disk space")


def test_unknown_codebook_of_a_question_is_a_fritekst_error() -> None:
    from fritekst.coding.coder import code_corpus
    from fritekst.errors import FritekstError
    from fritekst.sources.corpus import load_corpus

    from .harness import DATA

    corpus = load_corpus(DATA / "project" / "svar.csv", "kommunenr", ["grunn"])
    with pytest.raises(FritekstError, match="question 'grunn' names unknown codebook 'nope'"):
        code_corpus(corpus, [], {"grunn": ["nope"]})


def test_refs_read_back_after_odd_inputs_are_the_same_rows(tmp_path: Path) -> None:
    make_project(tmp_path, hand=False)
    corpus_bytes(tmp_path, utf16)
    outcome = run_checked([*CODE, "--out", "refs.csv"], tmp_path)
    assert outcome.result.exit_code == 0
    rows = list(csv.reader(io.StringIO((tmp_path / "refs.csv").read_text(encoding="utf-8-sig"))))
    assert rows[1][:3] == ["0301", "grunn", "okonomi"]
