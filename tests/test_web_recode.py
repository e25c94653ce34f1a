"""The workbench's re-code after a one-keyword codebook edit: the codings it names as added and
removed, and its whole-sample numbers, which must be `fritekst report`'s frequencies.csv for the
same codebook (the re-code counts them without building the report; the overview builds it later).
"""

from __future__ import annotations

import csv
import shutil
import warnings
from pathlib import Path

import pytest
from click.testing import CliRunner

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # starlette's TestClient warns about httpx's future
    from starlette.testclient import TestClient

from fritekst.cli import main
from fritekst.web.app import TOKEN_HEADER, create_app
from fritekst.web.workspace import Workspace

DATA = Path(__file__).parent / "data" / "web"
H = {TOKEN_HEADER: "tok"}
# Before any edit, pooled over 2022 and 2023 (the latest year key), of the 6 who answered "grunn".
BEFORE = {"hindringer": 4, "okonomi": 3, "ingen_stillinger": 2, "ser_behov": 1, "_ingen_tema": 2}


@pytest.mark.parametrize(("replacement", "changes", "after"), [
    # "Ingen midler." (1804) loses okonomi, and with it its parent; it joins the answers with no theme.
    ('', [("removed", "1804", "okonomi")],
     {"hindringer": 3, "okonomi": 2, "ingen_stillinger": 2, "ser_behov": 1, "_ingen_tema": 3}),
    # The keyword swapped for one that "Usikkert, vi har ikke diskutert det." (3005) names.
    ('"usikker*", ', [("added", "3005", "okonomi"), ("removed", "1804", "okonomi")], BEFORE),
])
def test_recode_after_a_keyword_edit_names_the_changes_and_the_reports_numbers(
        tmp_path: Path, replacement: str, changes: list[tuple[str, str, str]], after: dict[str, int]) -> None:
    root = tmp_path / "p"
    shutil.copytree(DATA, root)
    client = TestClient(create_app(Workspace(root / "fritekst.toml", "ane"), "tok"), headers=H)
    book = root / "kodebok.yaml"
    text = book.read_text(encoding="utf-8")
    assert text.count('"midler", ') == 1
    book.write_text(text.replace('"midler", ', replacement), encoding="utf-8")

    result = client.post("/api/recode").json()

    assert [(c["change"], c["case_id"], c["code_id"]) for c in result["changes"]] == changes
    assert (result["added"], result["removed"]) == (sum(c[0] == "added" for c in changes),
                                                    sum(c[0] == "removed" for c in changes))
    numbers = {n["code_id"]: n for n in result["numbers"]}
    assert list(numbers) == list(BEFORE)
    assert {c: (n["before"], n["after"], n["changed"]) for c, n in numbers.items()} == {
        c: (BEFORE[c], after[c], BEFORE[c] != after[c]) for c in BEFORE}
    assert {n["n_answered"] for n in numbers.values()} == {6}

    report = CliRunner().invoke(main, ["report", "--project", str(root / "fritekst.toml"), "--out", str(tmp_path / "out")])
    assert report.exit_code == 0, report.output
    with open(tmp_path / "out" / "frequencies.csv", encoding="utf-8-sig", newline="") as handle:
        pooled = {r["code_id"]: r for r in csv.DictReader(handle) if r["group_by"] == "alle" and r["year"] == "alle"}
    assert {c: (int(r["n_coded"]), int(r["n_answered"]), float(r["pct"])) for c, r in pooled.items()} == {
        c: (n["after"], n["n_answered"], round(n["pct_after"], 4)) for c, n in numbers.items()}

    # The report the re-code no longer builds is built, on the new codings, when the overview asks.
    overview = client.get("/api/overview?question=grunn&year=alle").json()
    assert {r["code_id"]: r["cells"]["alle"]["n_coded"] for r in overview["rows"]} == after
