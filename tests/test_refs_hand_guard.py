"""`fritekst code` never writes over hand codings a researcher added to an earlier refs.csv (E508).

The references file is both an output and, for many researchers, the sheet they correct in Excel: they
mark a row ``manual`` or add one. The next ``fritekst code`` used to write ``refs.csv`` anew without
those rows. Now a run refuses, before coding, when the file it would replace holds a ``method=manual``
row for an answer and code that none of the run's hand-coding files decides; the file is left as it was.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from fritekst.cli import main
from fritekst.coding.codings_io import hand_coded_keys
from conftest import invoke

DATA = Path(__file__).parent / "data"
CORPUS = DATA / "corpus" / "svar_utf8.csv"
CODEBOOK = DATA / "cli" / "kodebok.yaml"
HAND = DATA / "cli" / "hand.csv"
CODE = ["code", CORPUS, "--codebook", CODEBOOK, "--id-column", "kommunenr", "--text-column", "grunn"]

HEADER = "case_id,question,code_id,code_path,coded_text,start,end,method,rule_id,score"
KEYWORD_ROW = "0301,grunn,okonomi,Ansettelse\\Økonomi,økonomi,12,19,keyword,okonomi_ord,1"
MANUAL_ROW = "5001,grunn,ser_behov,,,,,manual,,1"

# What the file to be replaced holds, the extra arguments, and whether the run may write over it.
CASES = [
    ("only automatic rows (an earlier run's output)", [HEADER, KEYWORD_ROW], [], True),
    ("a manual row added by hand", [HEADER, KEYWORD_ROW, MANUAL_ROW], [], False),
    ("the manual row, read again from a hand-coding file", [HEADER, MANUAL_ROW], ["--hand", "own"], True),
    ("a manual row with the method in capitals", [HEADER, MANUAL_ROW.replace("manual", "Manual")], [], False),
    ("semicolons, as Excel saves it in Norway", [HEADER.replace(",", ";"), MANUAL_ROW.replace(",", ";")], [], False),
    ("a manual row another file's hand codings do not decide", [HEADER, MANUAL_ROW], ["--hand", HAND], False),
    ("not a codings file at all", ["kommune,antall", "Oslo,3"], [], True),
    ("a manual-looking row without a method column", ["case_id,question,code_id", "5001,grunn,ser_behov"], [], True),
]


@pytest.mark.parametrize(("held", "extra", "allowed"), [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_a_run_writes_over_refs_only_when_no_hand_coding_is_lost(tmp_path: Path, held: list[str],
                                                                 extra: list[str], allowed: bool) -> None:
    refs = tmp_path / "refs.csv"
    refs.write_text("\n".join(held) + "\n", encoding="utf-8-sig")
    before = refs.read_bytes()
    if "own" in extra:
        own = tmp_path / "hand.csv"
        own.write_text("case_id;question;code_id;method;decision\n5001;grunn;ser_behov;manual;ja\n",
                       encoding="utf-8")
        extra = ["--hand", str(own)]
    result = invoke(main, *CODE, "--out", refs, *extra)
    if allowed:
        assert result.exit_code == 0, result.output
        assert refs.read_bytes() != before
    else:
        assert result.exit_code == 2
        assert result.output == (f"Error: {refs}: holds a hand coding (method manual) that this run does not read "
                                 "(first: case 5001, grunn, ser_behov), and writing over it would lose them; "
                                 "rename the file and read it as hand codings, or choose another output path "
                                 "(see --hand) [E508]\n")
        assert refs.read_bytes() == before


def test_a_workbook_of_references_is_guarded_too(tmp_path: Path) -> None:
    refs = tmp_path / "refs.xlsx"
    assert invoke(main, *CODE, "--out", refs, "--hand", HAND).exit_code == 0
    # The same run again reads the same hand codings: allowed. Without them, 2 manual rows would go.
    assert invoke(main, *CODE, "--out", refs, "--hand", HAND).exit_code == 0
    before = refs.read_bytes()
    result = invoke(main, *CODE, "--out", refs)
    assert result.exit_code == 2
    assert result.output.startswith(f"Error: {refs}: holds 2 hand codings (method manual) that this run does not "
                                    "read (first: case 0301, grunn, ser_behov)")
    assert hand_coded_keys(refs) == {("0301", "grunn", "ser_behov"), ("4601", "grunn", "ser_behov")}
    assert refs.read_bytes() == before


def test_a_project_run_refuses_before_coding(tmp_path: Path) -> None:
    project = tmp_path / "prosjekt"
    shutil.copytree(DATA / "project", project)
    refs = project / "refs.csv"
    refs.write_text(f"{HEADER}\n0301,grunn,okonomi,,,,,manual,,1\n", encoding="utf-8-sig")
    result = invoke(main, "code", "--project", project / "fritekst.toml", "--out", refs, "--no-cache")
    assert result.exit_code == 2
    assert "(first: case 0301, grunn, okonomi)" in result.output and result.output.endswith("[E508]\n")
    assert not (project / ".fritekst").exists()  # refused before any coding filled the cache


@pytest.mark.parametrize("content", [b"", b"\x00\x01\x02garbage", "æøå;;\n".encode("cp1252")],
                         ids=["empty", "binary", "not UTF-8"])
def test_an_unreadable_file_holds_no_hand_codings(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "refs.csv"
    path.write_bytes(content)
    assert hand_coded_keys(path) == set()
    assert hand_coded_keys(tmp_path / "missing.csv") == set()
    workbook = tmp_path / "refs.xlsx"
    workbook.write_bytes(content)  # not a workbook either
    assert hand_coded_keys(workbook) == set()
