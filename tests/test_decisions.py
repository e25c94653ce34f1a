"""The workbench's decision store (coding/decisions.py): the file format, versions across two writers,
foreign hand files kept, and notes and memos travelling into ``fritekst code --hand`` references."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from fritekst.cli import main
from fritekst.coding.codings_io import read_codings
from fritekst.coding.decisions import DecisionStore, read_decisions
from fritekst.errors import ConflictError

DATA = Path(__file__).parent / "data" / "web"
TEXTS = {("0301", "grunn"): "Vi har ikke økonomi til det, og ingen ledige stillinger."}


def test_two_writers_on_one_file_never_overwrite_each_other(tmp_path: Path) -> None:
    path = tmp_path / "koding" / "ane.csv"
    first, second = DecisionStore(path, "ane", texts=TEXTS), DecisionStore(path, "ane", texts=TEXTS)
    made = first.decide("0301", "grunn", "okonomi", "yes", spans=[(12, 19)], expected="")
    assert made is not None
    with pytest.raises(ConflictError, match="changed elsewhere"):
        second.decide("0301", "grunn", "okonomi", "no", expected="")  # made before it saw the first
    assert second.get("0301", "grunn", "okonomi").decision == "yes"  # it re-read the file
    again = second.decide("0301", "grunn", "okonomi", "no", expected=made.decided_at)
    assert again is not None and again.decided_at > made.decided_at
    assert read_decisions(path)[("0301", "grunn", "okonomi")].decision == "no"


def test_file_is_a_hand_coding_file_with_coder_note_and_time(tmp_path: Path) -> None:
    path = tmp_path / "ane.csv"
    store = DecisionStore(path, "ane", texts=TEXTS, code_paths={"okonomi": "Hindringer\\Økonomi"})
    store.decide("0301", "grunn", "okonomi", "yes", spans=[(12, 19), (32, 55)], note="=to grunner", expected="")
    store.decide("0301", "grunn", "ser_behov", "no", expected="")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["code_id"], r["coded_text"], r["start"], r["end"], r["decision"], r["coder"], r["note"])
            for r in rows] == [
        ("okonomi", "økonomi", "12", "19", "yes", "ane", "'=to grunner"),
        ("okonomi", "ingen ledige stillinger", "32", "55", "yes", "ane", "'=to grunner"),
        ("ser_behov", "", "", "", "no", "ane", "")]
    assert rows[0]["decided_at"].startswith("20") and rows[0]["decided_at"].endswith("+00:00")
    assert read_decisions(path)[("0301", "grunn", "okonomi")].note == "=to grunner"
    frame = read_codings(path, code_ids={"okonomi", "ser_behov"}, default_method="manual")
    assert sorted(zip(frame["code_id"], frame["decision"])) == [("okonomi", "yes"), ("okonomi", "yes"), ("ser_behov", "no")]


def test_a_foreign_hand_file_is_kept_before_the_first_rewrite(tmp_path: Path) -> None:
    path = tmp_path / "mine.csv"
    path.write_text("case_id;question;code_id;decision\n0301;grunn;ser_behov;nei\n", encoding="utf-8")
    store = DecisionStore(path, "ane", texts=TEXTS)
    assert store.get("0301", "grunn", "ser_behov").decision == "no"
    store.decide("0301", "grunn", "okonomi", "yes", expected="")
    assert (tmp_path / "mine.before-workbench.csv").read_text(encoding="utf-8").endswith("0301;grunn;ser_behov;nei\n")
    assert set(read_decisions(path)) == {("0301", "grunn", "ser_behov"), ("0301", "grunn", "okonomi")}


def test_code_hand_carries_notes_and_memos_into_refs(tmp_path: Path) -> None:
    shutil.copytree(DATA, tmp_path / "p")
    hand = tmp_path / "p" / "koding" / "ane.csv"
    store = DecisionStore(hand, "ane", texts=TEXTS)
    store.decide("0301", "grunn", "okonomi", "yes", note="tydelig", expected="")
    store.set_memo("answer", "0301", "grunn", "", "sitatverdig", expected="")
    out = tmp_path / "refs.csv"
    result = CliRunner().invoke(main, ["code", "--project", str(tmp_path / "p" / "fritekst.toml"),
                                       "--hand", str(hand), "--out", str(out)])
    assert result.exit_code == 0, result.output
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0])[-2:] == ["note", "memo"]
    by_code = {(r["case_id"], r["code_id"]): (r["method"], r["note"], r["memo"]) for r in rows}
    assert by_code[("0301", "okonomi")] == ("manual", "tydelig", "sitatverdig")
    assert by_code[("0301", "ingen_stillinger")] == ("keyword", "", "sitatverdig")
    assert by_code[("4601", "okonomi")] == ("keyword", "", "")
