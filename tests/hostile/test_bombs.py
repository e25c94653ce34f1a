"""Issue 8 item 5: zip-based inputs (.xlsx, .skops) are sized from the zip directory before inflating."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from fritekst.sources import tables

from .harness import assert_clean_refusal, make_project, run_checked

#: The tests lower the size above which the ratio is checked (32 MB) to 1 MB, to stay fast.
FLOOR = 1 << 20
INFLATED = 2 * FLOOR


@pytest.fixture(autouse=True)
def small_floor(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tables, "ZIP_RATIO_FLOOR", FLOOR)


def bomb(path: Path, member: str, size: int = INFLATED) -> None:
    """A zip whose one member inflates ~1000-fold (spaces compress extremely well)."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        with archive.open(member, "w") as handle:
            block = b" " * (1 << 18)
            for _ in range(size // len(block)):
                handle.write(block)


def test_an_xlsx_bomb_is_refused_before_inflating(tmp_path: Path) -> None:
    make_project(tmp_path, hand=False)
    bomb(tmp_path / "svar.xlsx", "xl/worksheets/sheet1.xml")
    assert (tmp_path / "svar.xlsx").stat().st_size < 200_000
    outcome = run_checked(["code", "svar.xlsx", "--codebook", "kodebok.yaml", "--id-column", "kommunenr",
                           "--text-column", "grunn"], tmp_path)
    assert_clean_refusal(outcome, "svar.xlsx: workbook member xl/worksheets/sheet1.xml would inflate",
                         "decompression bomb")


def test_a_review_sheet_bomb_is_refused(tmp_path: Path) -> None:
    make_project(tmp_path, hand=False)
    bomb(tmp_path / "ark.xlsx", "xl/worksheets/sheet1.xml")
    outcome = run_checked(["review", "import", "ark.xlsx", "--codebook", "kodebok.yaml", "--out", "ny.csv"],
                          tmp_path)
    assert_clean_refusal(outcome, "ark.xlsx: review sheet member", "decompression bomb")


def test_a_skops_bomb_is_refused_before_its_schema_is_read(tmp_path: Path) -> None:
    make_project(tmp_path, hand=False)
    bomb(tmp_path / "modell.skops", "schema.json")
    book = (tmp_path / "kodebok.yaml").read_text(encoding="utf-8")
    (tmp_path / "kodebok.yaml").write_text(book.replace("codes:", "classifier: modell.skops\ncodes:", 1),
                                           encoding="utf-8")
    assert_clean_refusal(run_checked(["code", "--out", "refs.csv"], tmp_path),
                         "modell.skops: model file member schema.json would inflate")


def test_the_total_size_is_capped_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    make_project(tmp_path, hand=False)
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["kommunenr", "grunn"])
    book.active.append(["0301", "økonomi"])
    book.save(tmp_path / "svar.xlsx")
    monkeypatch.setattr(tables, "ZIP_MAX_BYTES", 1000)
    outcome = run_checked(["code", "svar.xlsx", "--codebook", "kodebok.yaml", "--id-column", "kommunenr",
                           "--text-column", "grunn"], tmp_path)
    assert_clean_refusal(outcome, "svar.xlsx: workbook would inflate to", "more than the 0 MB")


def test_an_ordinary_workbook_passes_the_check(tmp_path: Path) -> None:
    make_project(tmp_path, hand=False)
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["kommunenr", "grunn"])
    book.active.append(["0301", "Vi har ikke økonomi til det"])
    book.save(tmp_path / "svar.xlsx")
    outcome = run_checked(["code", "svar.xlsx", "--codebook", "kodebok.yaml", "--id-column", "kommunenr",
                           "--text-column", "grunn", "--out", "refs.csv"], tmp_path)
    assert outcome.result.exit_code == 0, outcome.result.output
    assert "økonomi" in (tmp_path / "refs.csv").read_text(encoding="utf-8-sig")
