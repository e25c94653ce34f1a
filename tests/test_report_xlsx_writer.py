"""report.xlsx is written as XML by report_xlsx_writer; openpyxl must read back exactly what the writer
through openpyxl (the reference below, the previous implementation) makes of the same sheet plans:
every cell value and type, font, fill and number format, column widths, frozen panes, filters, sheet
names and the digest property. On the shipped example and on a plan with the awkward cases."""

from __future__ import annotations

import io
import math
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.cell import WriteOnlyCell
from openpyxl.packaging.custom import StringProperty
from openpyxl.styles import Font, PatternFill

from fritekst.outputs import report_xlsx
from fritekst.outputs.report import make_report
from fritekst.outputs.report_xlsx_writer import Fill, SheetPlan, Styled, write_workbook
from fritekst.outputs.report_xlsx_writer import Font as PlanFont
from fritekst.sources.project import load_project

REPO = Path(__file__).parent.parent


def openpyxl_reference(plans: list[SheetPlan], properties: dict[str, str]) -> bytes:
    """The same plans written through openpyxl's write-only workbook, as report_xlsx did before."""
    book = openpyxl.Workbook(write_only=True)
    for name, value in properties.items():
        book.custom_doc_props.append(StringProperty(name=name, value=value))
    for plan in plans:
        sheet = book.create_sheet(plan.name)
        for letter, dimension in plan.column_dimensions.items():
            sheet.column_dimensions[letter].width = dimension.width
        if plan.freeze_panes:
            sheet.freeze_panes = plan.freeze_panes
        if plan.auto_filter.ref:
            sheet.auto_filter.ref = plan.auto_filter.ref
        for row in plan.rows:
            cells: list[Any] = []
            for value in row:
                if not isinstance(value, Styled):
                    cells.append(value)
                    continue
                cell = WriteOnlyCell(sheet, value=value.value)
                if value.font is not None:
                    cell.font = Font(bold=value.font.bold, color=value.font.color, size=value.font.size)
                if value.fill is not None:
                    cell.fill = PatternFill("solid", fgColor=value.fill.color)
                if value.number_format is not None:
                    cell.number_format = value.number_format
                cells.append(cell)
            sheet.append(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def read_back(content: bytes) -> dict[str, Any]:
    """Everything a reader sees in a workbook, as plain comparable data."""
    book = openpyxl.load_workbook(io.BytesIO(content))
    sheets = {}
    for sheet in book.worksheets:
        cells = [(cell.coordinate, cell.value, cell.data_type, repr(cell.font), repr(cell.fill), cell.number_format)
                 for row in sheet.iter_rows() for cell in row]
        sheets[sheet.title] = {
            "cells": cells,
            "widths": {letter: d.width for letter, d in sheet.column_dimensions.items() if d.customWidth},
            "freeze": sheet.freeze_panes,
            "filter": sheet.auto_filter.ref,
            "dimensions": sheet.dimensions,
        }
    return {"names": book.sheetnames, "sheets": sheets,
            "properties": {p.name: p.value for p in book.custom_doc_props.props}}


def assert_same(plans: list[SheetPlan], properties: dict[str, str]) -> dict[str, Any]:
    ours = read_back(write_workbook(plans, properties))
    reference = read_back(openpyxl_reference(plans, properties))
    assert ours["names"] == reference["names"]
    assert ours["properties"] == reference["properties"]
    for name in reference["names"]:
        mine, theirs = ours["sheets"][name], reference["sheets"][name]
        for key in ("widths", "freeze", "filter", "dimensions"):
            assert mine[key] == theirs[key], (name, key)
        assert len(mine["cells"]) == len(theirs["cells"]), name
        for a, b in zip(mine["cells"], theirs["cells"]):
            assert a == b, (name, a, b)
    return ours


@pytest.fixture(scope="module")
def example_plans() -> list[SheetPlan]:
    report = make_report(load_project(REPO / "fritekst.toml"))
    return report_xlsx._plan_sheets(report)


def test_the_shipped_examples_workbook_reads_back_as_through_openpyxl(example_plans: list[SheetPlan]) -> None:
    ours = assert_same(example_plans, {report_xlsx.DIGEST_PROPERTY: "abc123"})
    sheets = ours["sheets"]
    assert len(ours["names"]) == 12 and ours["names"][0] == "Oversikt"
    # the checks above compared real content: styles, percent formats, filters, panes and numbers
    frequencies = sheets["Frekvenser"]
    assert frequencies["freeze"] == "A4" and frequencies["filter"].startswith("A3:Q")
    assert sum(1 for c in frequencies["cells"] if c[5] == "0.0%") > 10_000
    assert any("b=True" in c[3] and "FFFFFF" in c[3] and "34495E" in c[4] for c in frequencies["cells"])
    assert any(isinstance(c[1], float) and 0 < c[1] < 1 for c in frequencies["cells"])
    assert sheets["Oversikt"]["widths"] == {"A": 18, "B": 60}


def test_awkward_cells_read_back_as_through_openpyxl() -> None:
    plan = SheetPlan("Kommune's ark")
    plan.column_dimensions["A"].width = 12.5
    plan.column_dimensions["C"].width = 9
    plan.freeze_panes = "A3"
    plan.auto_filter.ref = "A2:D5"
    bold_red = PlanFont(bold=True, color="B3261E")
    plan.append([Styled("Tittel", font=PlanFont(bold=True, size=14))])
    plan.append([])
    plan.append(["", None, "  innrykk", "a < b & c > d"])
    plan.append([0, -1.5, 1e-12, 123456789012345678, 1 / 3, 18.0, True, False])
    plan.append([Styled(None, font=bold_red, fill=Fill("F8D7DA")), Styled(0.125, number_format="0.0%"),
                 Styled("æøå «sitat»", font=bold_red, fill=Fill("F8D7DA"), number_format="0.0%")])
    other = SheetPlan("Tom")
    ours = assert_same([plan, other], {"a": "b & c"})
    cells = {c[0]: c for c in ours["sheets"]["Kommune's ark"]["cells"]}
    assert cells["C3"][1] == "  innrykk" and cells["D3"][1] == "a < b & c > d"
    # numbers go out with 16 significant digits, as openpyxl writes them
    assert math.isclose(cells["D4"][1], 1.234567890123457e17) and cells["E4"][1] == 0.3333333333333333
    assert cells["G4"][1] is True and cells["B5"][5] == "0.0%"


def test_text_xml_cannot_hold_is_dropped_instead_of_breaking_the_file() -> None:
    plan = SheetPlan("Ark")
    plan.append(["før\x00etter\x1f", "tab\tok"])
    book = openpyxl.load_workbook(io.BytesIO(write_workbook([plan])))
    assert [c.value for c in book.active[1]] == ["føretter", "tab\tok"]


@pytest.mark.parametrize("values", [
    [1, 1.0, True, "1", 1],                       # equal keys in a dict, different cells
    [0, 0.0, False, "", None, 0, False],
    [float("nan"), float("nan"), float("inf"), 2.5, 2.5],
    ["  a", "  a", "a", "a < b", "a < b"],
])
def test_repeated_and_equal_values_keep_each_cells_own_type(values: list[Any]) -> None:
    """Each distinct value's XML is made once per sheet: equal values of other types (1, 1.0, True)
    and the same value styled and plain must still come out as their own cells."""
    plan = SheetPlan("Ark")
    plan.append(values)
    plan.append([Styled(v, number_format="0.0%") for v in values])
    plan.append(values)
    ours = assert_same([plan], {})
    rows = [[c for c in ours["sheets"]["Ark"]["cells"] if c[0][1:] == str(r)] for r in (1, 2, 3)]
    assert [c[1:] for c in rows[0]] == [c[1:] for c in rows[2]]
    assert all(c[5] == "0.0%" for c in rows[1]) and all(c[5] == "General" for c in rows[0])
