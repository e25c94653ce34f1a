"""Issue 8 item 1: no command writes over one of its inputs (same path, through a link, or a folder).

Each row: a command line run in a fresh project folder; the run must stop with exit 2 and one line
naming the clash before anything is read or written, and every file must stay byte-identical.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from .harness import assert_clean_refusal, make_project, run_checked

CODE_INPUT = ["code", "svar.csv", "--codebook", "kodebok.yaml", "--id-column", "kommunenr",
              "--text-column", "grunn"]
TRAIN = ["train", "--codebook", "klass/kodebok.yaml", "--gold", "klass/gull.csv", "--corpus", "klass/svar.csv"]
EVALUATE = ["evaluate", "--codebook", "klass/kodebok.yaml", "--gold", "klass/gull.csv", "--corpus",
            "klass/svar.csv"]
INPUT = "is an input of this run"

CASES = [
    # (id, arguments, words the error line must contain)
    ("train-out-gold", [*TRAIN, "--out", "klass/gull.csv"], ["klass/gull.csv", INPUT]),
    ("train-out-corpus", [*TRAIN, "--out", "klass/svar.csv"], [INPUT]),
    ("code-project-out-corpus", ["code", "--out", "svar.csv"], ["svar.csv", INPUT]),
    ("code-project-out-toml", ["code", "--out", "fritekst.toml"], [INPUT]),
    ("code-project-out-hand", ["code", "--out", "hand.csv"], [INPUT]),
    ("code-project-matrix-table", ["code", "--out", "refs.csv", "--matrix", "tabell.csv"], [INPUT]),
    ("code-project-out-codebook", ["code", "--out", "kodebok.yaml"], [INPUT]),
    ("code-input-out-input", [*CODE_INPUT, "--out", "svar.csv"], [INPUT]),
    ("code-input-out-dotted", [*CODE_INPUT, "--out", "./klass/../svar.csv"], [INPUT]),
    ("code-input-out-codebook", [*CODE_INPUT, "--out", "kodebok.yaml"], [INPUT]),
    ("code-input-matrix-hand", [*CODE_INPUT, "--hand", "hand.csv", "--matrix", "hand.csv"], [INPUT]),
    ("code-out-equals-matrix", [*CODE_INPUT, "--out", "x.csv", "--matrix", "x.csv"], ["same file"]),
    ("code-out-folder", [*CODE_INPUT, "--out", "klass"], ["is a folder"]),
    ("code-matrix-missing-folder", [*CODE_INPUT, "--matrix", "nowhere/m.csv"], ["does not exist"]),
    ("evaluate-disagreements-gold", [*EVALUATE, "--disagreements", "klass/gull.csv"], [INPUT]),
    ("evaluate-disagreements-toml", [*EVALUATE, "--disagreements", "fritekst.toml"], [INPUT]),
    ("agree-disagreements-coder", ["agree", "klass/koder_a.csv", "klass/koder_b.csv", "--disagreements",
                                   "klass/koder_a.csv"], [INPUT]),
    ("export-qdpx-over-toml", ["export", "qdpx", "fritekst.toml"], [INPUT]),
    ("export-qdpx-over-codings", ["export", "qdpx", "hand.csv", "--codings", "hand.csv"], [INPUT]),
    ("export-qdc-over-codebook", ["export", "qdc", "kodebok.yaml"], [INPUT]),
    ("export-qdc-over-given-codebook", ["export", "qdc", "klass/kodebok.yaml", "--codebook",
                                        "klass/kodebok.yaml"], [INPUT]),
    ("review-export-over-corpus", ["review", "export", "--codebook", "kodebok.yaml", "--question", "grunn",
                                   "--out", "svar.csv"], [INPUT]),
    ("review-export-over-hand", ["review", "export", "--codebook", "kodebok.yaml", "--question", "grunn",
                                 "--hand", "hand.csv", "--out", "hand.csv"], [INPUT]),
    ("review-import-over-sheet", ["review", "import", "hand.csv", "--codebook", "kodebok.yaml", "--out",
                                  "hand.csv", "--merge"], [INPUT]),
    ("review-import-over-corpus", ["review", "import", "hand.csv", "--codebook", "kodebok.yaml",
                                   "--check-corpus", "--out", "svar.csv", "--merge"], [INPUT]),
    ("suggest-out-corpus", ["suggest", "--codebook", "kodebok.yaml", "--question", "grunn", "--out",
                            "svar.csv"], [INPUT]),
    ("suggest-sheet-hand", ["suggest", "--codebook", "kodebok.yaml", "--question", "grunn", "--hand",
                            "hand.csv", "--sheet", "hand.csv"], [INPUT]),
    ("suggest-out-equals-sheet", ["suggest", "--codebook", "kodebok.yaml", "--question", "grunn", "--out",
                                  "s.csv", "--sheet", "s.csv"], ["same file"]),
    ("report-out-is-a-file", ["report", "--out", "svar.csv"], ["not a folder"]),
]


@pytest.mark.parametrize("args, fragments", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_an_output_over_an_input_is_refused(tmp_path: Path, args: list[str], fragments: list[str]) -> None:
    make_project(tmp_path)
    assert_clean_refusal(run_checked(args, tmp_path), *fragments)


def test_report_into_a_folder_whose_file_is_an_input(tmp_path: Path) -> None:
    make_project(tmp_path)
    toml = (tmp_path / "fritekst.toml").read_text(encoding="utf-8")
    (tmp_path / "frequencies.csv").write_bytes((tmp_path / "tabell.csv").read_bytes())
    (tmp_path / "fritekst.toml").write_text(toml.replace('path = "tabell.csv"', 'path = "frequencies.csv"'),
                                            encoding="utf-8")
    assert_clean_refusal(run_checked(["report", "--out", "."], tmp_path), "frequencies.csv", INPUT)


@pytest.mark.skipif(not hasattr(os, "link"), reason="no hard links here")
def test_a_hard_link_to_an_input_is_the_input(tmp_path: Path) -> None:
    make_project(tmp_path)
    os.link(tmp_path / "svar.csv", tmp_path / "alias.csv")
    assert_clean_refusal(run_checked([*CODE_INPUT, "--out", "alias.csv"], tmp_path), "alias.csv", INPUT)


def test_a_symbolic_link_to_an_input_is_the_input(tmp_path: Path) -> None:
    make_project(tmp_path)
    (tmp_path / "lenke.csv").symlink_to(tmp_path / "hand.csv")
    assert_clean_refusal(run_checked(["code", "--out", "refs.csv", "--matrix", "lenke.csv"], tmp_path), INPUT)


def test_the_model_a_codebook_names_is_an_input(tmp_path: Path) -> None:
    make_project(tmp_path)
    (tmp_path / "modell.skops").write_bytes(b"not really a model")
    book = (tmp_path / "kodebok.yaml").read_text(encoding="utf-8")
    (tmp_path / "kodebok.yaml").write_text(book.replace("codes:", "classifier: modell.skops\ncodes:", 1),
                                           encoding="utf-8")
    assert_clean_refusal(run_checked(["code", "--out", "modell.skops"], tmp_path), INPUT)


def test_a_valid_run_still_writes(tmp_path: Path) -> None:
    make_project(tmp_path)
    outcome = run_checked(["code", "--out", "refs.csv", "--matrix", "matrix.csv"], tmp_path)
    assert outcome.result.exit_code == 0, outcome.result.output
    written = set(outcome.after) - set(outcome.before)
    # besides the outputs, only the project's codings cache (docs/codings-cache.md)
    assert {name for name in written if not name.startswith(".fritekst/cache/")} == {"refs.csv", "matrix.csv"}


@pytest.mark.parametrize("args", [
    ["code", "--out", "refs.csv", "--matrix", "matrix.xlsx"],  # project mode, in memory, with the cache
    ["code", "--out", "refs.xlsx", "--matrix", "matrix.csv", "--no-cache"],
])
def test_refs_and_matrix_are_written_together_or_not_at_all(tmp_path: Path, monkeypatch, args) -> None:
    import fritekst.coding.refs as refs_module
    from fritekst.errors import OutputError

    def full_disk(*_args, **_kwargs):
        raise OutputError("matrix.xlsx: cannot write (No space left on device); free some disk space", code="E501")

    monkeypatch.setattr(refs_module, "write_xlsx", full_disk)
    make_project(tmp_path)
    outcome = run_checked(args, tmp_path)
    assert_clean_refusal(outcome, "No space left on device")
    assert set(outcome.after) - set(outcome.before) == set()  # no output, no codings-cache entry
