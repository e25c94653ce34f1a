"""A small XLSX writer for the report's workbook: cells, a few styles, widths, frozen panes, filters.

An ``.xlsx`` file is a zip of XML parts. The report's workbook needs only a sliver of the format
(text and number cells, bold/coloured fonts, solid fills, one percent format, column widths, a
frozen header, an auto filter per sheet and one custom property), and writing it through openpyxl's
per-cell objects cost ~1 s of CPU on the shipped example (~76,000 cells), most of a first report's
workbook. This module writes that sliver directly, laid out as openpyxl lays it out, so that
openpyxl (and Excel, LibreOffice) read back the same values and styles as before; a test compares
every cell, style, width, pane and filter with a workbook written through openpyxl.

Examples
--------
>>> plan = SheetPlan("Ark")
>>> plan.column_dimensions["A"].width = 12
>>> plan.append([Styled("Tittel", font=Font(bold=True, size=14))])
>>> plan.append(["tekst", 3, 0.25])
>>> content = write_workbook([plan], {"nøkkel": "verdi"})
>>> content[:2]
b'PK'
"""

from __future__ import annotations

import datetime
import io
import re
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple
from xml.sax.saxutils import escape, quoteattr

__all__ = ["Fill", "Font", "SheetPlan", "Styled", "column_letter", "write_workbook"]

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "application/vnd.openxmlformats-officedocument"
#: Characters XML 1.0 cannot hold (openpyxl refuses them; a cell loses them here).
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


@dataclass(frozen=True)
class Font:
    """A cell font as the report uses it: bold, an ``RRGGBB`` colour, a size in points."""

    bold: bool = False
    color: str | None = None
    size: float | None = None


@dataclass(frozen=True)
class Fill:
    """A solid fill in an ``RRGGBB`` colour."""

    color: str


class Styled(NamedTuple):
    """A cell value with its look; plain values in a row need none."""

    value: Any
    font: Font | None = None
    fill: Fill | None = None
    number_format: str | None = None


class _Dimension:
    width: float | None = None


class _Filter:
    ref: str | None = None


class _Dimensions(dict[str, _Dimension]):
    def __missing__(self, letter: str) -> _Dimension:
        self[letter] = _Dimension()
        return self[letter]


@dataclass
class SheetPlan:
    """One sheet as plain data: rows of values (or :class:`Styled`), widths, the frozen pane, the filter.

    The attribute names follow openpyxl's worksheet (``column_dimensions[letter].width``,
    ``freeze_panes``, ``auto_filter.ref``, ``append``), so the layout code reads like any sheet code.
    """

    name: str
    rows: list[list[Any]] = field(default_factory=list)
    column_dimensions: _Dimensions = field(default_factory=_Dimensions)
    freeze_panes: str | None = None
    auto_filter: _Filter = field(default_factory=_Filter)

    def append(self, row: list[Any]) -> None:
        self.rows.append(row)

    def digest_into(self, digest: Any) -> None:
        """Feed everything the sheet's XML depends on into a hashlib digest."""
        widths = sorted((letter, d.width) for letter, d in self.column_dimensions.items())
        digest.update(repr((self.name, widths, self.freeze_panes, self.auto_filter.ref)).encode())
        for row in self.rows:
            digest.update(repr(row).encode())


def column_letter(index: int) -> str:
    """Excel's column name of a 1-based column index.

    >>> column_letter(1), column_letter(26), column_letter(27), column_letter(703)
    ('A', 'Z', 'AA', 'AAA')
    """
    letters = ""
    while index > 0:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _split_cell(ref: str) -> tuple[int, int]:
    """``"B4"`` → (column 2, row 4)."""
    found = re.fullmatch(r"([A-Z]+)(\d+)", ref)
    if found is None:
        raise ValueError(f"not a cell reference: {ref!r}")
    column = 0
    for letter in found[1]:
        column = column * 26 + ord(letter) - 64
    return column, int(found[2])


def _number(value: float | int) -> str:
    return f"{value:.16g}"  # as openpyxl writes numbers, so they read back identical


class _Styles:
    """The workbook's style table: each distinct (font, fill, number format) gets one ``xf`` index."""

    def __init__(self) -> None:
        self.fonts: dict[Font | None, int] = {None: 0}
        self.fills: dict[Fill | None, int] = {None: 0}
        self.formats: dict[str | None, int] = {None: 0}
        self.xfs: dict[tuple[int, int, int], int] = {(0, 0, 0): 0}

    def index(self, styled: Styled) -> int:
        font = self.fonts.setdefault(styled.font, len(self.fonts))
        # fills 0 and 1 are the two every workbook starts with (none, gray125)
        fill = self.fills.setdefault(styled.fill, len(self.fills) + 1)
        number_format = self.formats.setdefault(styled.number_format, 163 + len(self.formats))
        return self.xfs.setdefault((font, fill, number_format), len(self.xfs))

    def xml(self) -> str:
        formats = "".join(f'<numFmt numFmtId="{i}" formatCode={quoteattr(code)}/>'
                          for code, i in self.formats.items() if code is not None)
        fonts = ['<font><name val="Calibri"/><family val="2"/><color theme="1"/><sz val="11"/>'
                 '<scheme val="minor"/></font>']
        for font in self.fonts:
            if font is not None:
                fonts.append("<font>" + ('<b val="1"/>' if font.bold else "")
                             + (f'<color rgb="00{font.color}"/>' if font.color else "")
                             + (f'<sz val="{_number(font.size)}"/>' if font.size else "") + "</font>")
        fills = ['<fill><patternFill/></fill>', '<fill><patternFill patternType="gray125"/></fill>']
        fills += [f'<fill><patternFill patternType="solid"><fgColor rgb="00{fill.color}"/></patternFill></fill>'
                  for fill in self.fills if fill is not None]
        xfs = "".join(f'<xf numFmtId="{n}" fontId="{f}" fillId="{i}" borderId="0"'
                      + (' applyNumberFormat="1"' if n else "") + (' applyFont="1"' if f else "")
                      + (' applyFill="1"' if i else "") + ' xfId="0"/>'
                      for f, i, n in self.xfs)
        return (f'<styleSheet xmlns="{_MAIN}">'
                + (f'<numFmts count="{len(self.formats) - 1}">{formats}</numFmts>' if formats else "")
                + f'<fonts count="{len(fonts)}">{"".join(fonts)}</fonts>'
                + f'<fills count="{len(fills)}">{"".join(fills)}</fills>'
                + '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
                + '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
                + f'<cellXfs count="{len(self.xfs)}">{xfs}</cellXfs>'
                + '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
                + "</styleSheet>")


def _cell_tail(value: Any, style: int) -> str:
    """A ``<c>`` element after its reference (``<c r="B7"`` + this); empty when there is nothing to write."""
    s = f' s="{style}"' if style else ""
    if value is None:
        return f"{s}/>" if style else ""
    if isinstance(value, str):
        if not value:
            return f'{s} t="inlineStr"/>'
        value = _ILLEGAL.sub("", value)
        space = ' xml:space="preserve"' if value != value.strip() else ""
        return f'{s} t="inlineStr"><is><t{space}>{escape(value)}</t></is></c>'
    if isinstance(value, bool):
        return f'{s} t="b"><v>{int(value)}</v></c>'
    if isinstance(value, (int, float)):
        if value != value or value in (float("inf"), float("-inf")):
            return f'{s} t="n"/>'
        return f'{s} t="n"><v>{_number(value)}</v></c>'
    raise TypeError(f"a workbook cell holds text, a number or a truth value, not {type(value).__name__}")


def _sheet_xml(plan: SheetPlan, styles: _Styles) -> str:
    views = '<selection activeCell="A1" sqref="A1"/>'
    if plan.freeze_panes and plan.freeze_panes != "A1":
        column, first_row = _split_cell(plan.freeze_panes)
        if column != 1:
            raise ValueError(f"{plan.name}: only rows can be frozen here, not {plan.freeze_panes}")
        views = (f'<pane ySplit="{first_row - 1}" topLeftCell="{plan.freeze_panes}" activePane="bottomLeft" '
                 'state="frozen"/><selection pane="bottomLeft" activeCell="A1" sqref="A1"/>')
    widths = sorted(((_split_cell(letter + "1")[0], d.width) for letter, d in plan.column_dimensions.items()
                     if d.width is not None))
    cols = "".join(f'<col min="{i}" max="{i}" width="{_number(w)}" customWidth="1"/>' for i, w in widths)
    parts = [f'<worksheet xmlns="{_MAIN}"><sheetPr><outlinePr summaryBelow="1" summaryRight="1"/>'
             f'<pageSetUpPr/></sheetPr><sheetViews><sheetView workbookViewId="0">{views}</sheetView>'
             '</sheetViews><sheetFormatPr baseColWidth="8" defaultRowHeight="15"/>',
             f"<cols>{cols}</cols>" if cols else "", "<sheetData>"]
    letters = [column_letter(i) for i in range(1, max((len(r) for r in plan.rows), default=0) + 1)]
    index = styles.index
    # A sheet repeats its values (years, groups, codes, counts): each value's XML is made once. The
    # key holds the type, as 1, 1.0 and True are equal keys but different cells.
    tails: dict[tuple[type, Any, int], str] = {}
    for number, row in enumerate(plan.rows, start=1):
        cells = []
        for letter, value in zip(letters, row):
            style = 0
            if isinstance(value, Styled):
                style, value = index(value), value.value
            elif value is None:
                continue
            key = (value.__class__, value, style)
            tail = tails.get(key)
            if tail is None:
                tail = tails[key] = _cell_tail(value, style)
            if tail:
                cells.append(f'<c r="{letter}{number}"{tail}')
        parts.append(f'<row r="{number}">{"".join(cells)}</row>')
    parts.append("</sheetData>")
    if plan.auto_filter.ref:
        parts.append(f'<autoFilter ref="{plan.auto_filter.ref}"/>')
    parts.append('<pageMargins left="0.75" right="0.75" top="1" bottom="1" header="0.5" footer="0.5"/>'
                 "</worksheet>")
    return "".join(parts)


def _absolute(ref: str) -> str:
    """``A3:G28`` → ``$A$3:$G$28``."""
    return ":".join(re.sub(r"([A-Z]+)(\d+)", r"$\1$\2", part) for part in ref.split(":"))


def write_workbook(plans: Sequence[SheetPlan], properties: Mapping[str, str] | None = None,
                   *, application: str = "fritekst") -> bytes:
    """The ``.xlsx`` bytes of these sheets, in order, with ``properties`` as custom text properties."""
    styles = _Styles()
    sheets = [_sheet_xml(plan, styles) for plan in plans]  # fills the style table as it goes
    names = "".join(f'<sheet name={quoteattr(plan.name)} sheetId="{i}" r:id="rId{i}"/>'
                    for i, plan in enumerate(plans, start=1))
    filters = "".join(
        f'<definedName name="_xlnm._FilterDatabase" localSheetId="{i}" hidden="1">'
        f"{escape(chr(39) + plan.name.replace(chr(39), chr(39) * 2) + chr(39))}!{_absolute(plan.auto_filter.ref)}"
        "</definedName>" for i, plan in enumerate(plans) if plan.auto_filter.ref)
    workbook = (f'<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><workbookPr/><bookViews>'
                '<workbookView activeTab="0"/></bookViews>'
                f"<sheets>{names}</sheets>" + (f"<definedNames>{filters}</definedNames>" if filters else "")
                + '<calcPr calcId="124519" fullCalcOnLoad="1"/></workbook>')
    sheet_type = f"{_REL}/worksheet"
    book_rels = "".join(f'<Relationship Id="rId{i}" Type="{sheet_type}" Target="worksheets/sheet{i}.xml"/>'
                        for i in range(1, len(plans) + 1))
    book_rels += f'<Relationship Id="rId{len(plans) + 1}" Type="{_REL}/styles" Target="styles.xml"/>'
    overrides = "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
                        f'ContentType="{_CT}.spreadsheetml.worksheet+xml"/>' for i in range(1, len(plans) + 1))
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    custom = "".join(
        f'<property fmtid="{{D5CDD505-2E9C-101B-9397-08002B2CF9AE}}" pid="{pid}" name={quoteattr(name)}>'
        f"<vt:lpwstr>{escape(value)}</vt:lpwstr></property>"
        for pid, (name, value) in enumerate((properties or {}).items(), start=2))
    parts = {
        "[Content_Types].xml":
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            f'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{_CT}.spreadsheetml.sheet.main+xml"/>'
            f'<Override PartName="/xl/styles.xml" ContentType="{_CT}.spreadsheetml.styles+xml"/>'
            '<Override PartName="/docProps/core.xml" '
            'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
            f'<Override PartName="/docProps/app.xml" ContentType="{_CT}.extended-properties+xml"/>'
            f'<Override PartName="/docProps/custom.xml" ContentType="{_CT}.custom-properties+xml"/>'
            f"{overrides}</Types>",
        "_rels/.rels":
            f'<Relationships xmlns="{_PKG_REL}">'
            f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
            f'<Relationship Id="rId2" Type="{_PKG_REL}/metadata/core-properties" Target="docProps/core.xml"/>'
            f'<Relationship Id="rId3" Type="{_REL}/extended-properties" Target="docProps/app.xml"/>'
            f'<Relationship Id="rId4" Type="{_REL}/custom-properties" Target="docProps/custom.xml"/>'
            "</Relationships>",
        "docProps/app.xml":
            '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
            f"<Application>{escape(application)}</Application></Properties>",
        "docProps/core.xml":
            '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f"<dc:creator>{escape(application)}</dc:creator>"
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{now}</dcterms:created>'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{now}</dcterms:modified></cp:coreProperties>',
        "docProps/custom.xml":
            '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
            f'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">{custom}</Properties>',
        "xl/workbook.xml": workbook,
        "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{_PKG_REL}">{book_rels}</Relationships>',
        "xl/styles.xml": styles.xml(),
        **{f"xl/worksheets/sheet{i}.xml": xml for i, xml in enumerate(sheets, start=1)},
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + text)
    return buffer.getvalue()
