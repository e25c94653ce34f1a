"""``report.docx``: the HTML report as a Word document, because reports are written in Word.

The document is built from the rendered HTML page rather than from the summary frames a second
time, so it holds exactly the same headings, sentences, tables and charts in the same order and
cannot drift from the page: every ``<table>`` becomes a Word table (header row bold, numbers right
aligned), every chart the same SVG, headings keep their level, quotes become indented italic
paragraphs. The contents list and the download links are left out (Word has its own).

Charts are stored as SVG (Word 2016 and later, Word for Microsoft 365 and Word on the web draw them
as vectors, sharp in print) the way Word itself stores an inserted SVG: an ``asvg:svgBlip`` extension
inside a picture whose ordinary image is the raster stand-in other readers show. LibreOffice (7.4,
checked by converting the shipped example's ``report.docx`` to PDF) ignores the extension and draws
only that stand-in, so the stand-in is the chart itself, rendered by resvg at 3/4 of its size
(~11 ms of CPU a chart, ~0.7 s for the example's 65): a one-pixel placeholder made LibreOffice
show a grey box in place of every chart. With ``--png`` the report's own PNGs (twice the size) are used
instead. Each picture's alternative text names its chart.
"""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Mapping
from html import escape
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt

#: Width of a full-width chart: the text block of the A4 page with 2.5 cm margins (see :func:`_a4_page`).
CHART_WIDTH = Cm(16)
PANEL_WIDTH = Cm(10)
#: Size of a chart's raster stand-in relative to its SVG size (see :func:`stand_in_png`).
STAND_IN_ZOOM = 0.75
_VOID = frozenset({"meta", "br", "img", "hr", "link", "input", "wbr"})
_HIDDEN = frozenset({"style", "svg", "nav", "title", "head"})
#: Runs of white space a paragraph folds into one space; not the no-break space that keeps a number
#: on one line ("5 000", "38 %"), which the page put there.
_SPACES = re.compile(r"[ \t\n\r\f\v]+")
_NUMBER = re.compile(r"^[\d\s.,%–−<>n=\u2060-]+$")
_SVG = re.compile(r"<svg\b.*?</svg>", re.S)
_SVG_SIZE = re.compile(r'<svg[^>]*? width="([\d.]+)" height="([\d.]+)"')
_SVG_LABEL = re.compile(r'<svg[^>]*? aria-label="([^"]*)"')
_TITLE = re.compile(r"<title>.*?</title>", re.S)


def _x(text: str) -> str:
    """Text for WordprocessingML: XML-escaped, without the control characters XML cannot hold."""
    return escape(re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", "", text), quote=False)
#: The ``a:ext`` under which Word stores an SVG picture (MS-ODRAWXML 2.3.10.1).
SVG_EXTENSION = "{96DAC541-7B7A-43D3-8B79-37D633B846F1}"
SVG_NAMESPACE = "http://schemas.microsoft.com/office/drawing/2016/SVG/main"


def stand_in_png(svg: str) -> bytes:
    """A chart as PNG at 3/4 of its size: the picture a reader that cannot draw the SVG shows instead.

    resvg's cost is mostly drawing text, so it grows with the pixels: zoom 0.75 costs ~10.6 ms a
    chart, zoom 1 ~14 ms, the ``--png`` files' zoom 2 ~32 ms (the shipped example's 65 charts: 0.7,
    0.9 and 2.1 s of CPU). At 0.75 a full-width chart (720 px at 16 cm) prints at ~85 dpi and every
    label stays legible on screen; a reader that wants sharper pictures uses Word, or ``--png``.
    """
    import resvg_py  # compiled; loaded only when a Word file is written

    return bytes(resvg_py.svg_to_bytes(svg_string=svg, zoom=STAND_IN_ZOOM, background="#ffffff"))


#: The digest of this writer's code, kept in each document's properties: an earlier ``report.docx``
#: is reused only when it was written by the same code (see :mod:`.report_files`).
WRITER_DIGEST = "fritekst-docx-" + hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:32]


class _Converter(HTMLParser):
    """Walks the report page once and writes the Word document as it goes."""

    def __init__(self, document: Any, charts_svg: Mapping[str, str],
                 charts_png: Mapping[str, bytes] | None = None) -> None:
        super().__init__(convert_charrefs=True)
        self.doc = document
        self.svg = charts_svg
        self.png = charts_png or {}
        self.picture_id = 0
        self.body: list[str] = []
        styles = document.styles
        self.styles = {tag: styles[name].style_id for tag, name in
                       (("h1", "Title"), ("h2", "Heading 1"), ("h3", "Heading 2"), ("h4", "Heading 3"),
                        ("li", "List Bullet"), ("table", "Table Grid"))}
        section = document.sections[0]
        # the text block's width in twentieths of a point, which python-docx shares out between columns
        self.block_width = int((section.page_width - section.left_margin - section.right_margin) / 635)
        self.stack: list[tuple[str, bool]] = []
        self.skip = 0            # inside <style>, <svg>, <nav>, <title>, download links
        self.text: list[str] = []
        self.block: str | None = None
        self.block_class = ""
        self.table: list[list[tuple[str, bool]]] | None = None
        self.caption: str | None = None
        self.cell: list[str] | None = None
        self.cell_numeric = False
        self.in_panels = False

    # -- helpers ----------------------------------------------------------------------------------
    # The body is written as WordprocessingML text and parsed once at the end: python-docx's objects
    # (a style look-up per heading, an element per property) cost ~0.4 s for the report's ~650
    # paragraphs and seven tables; the XML is the same that they write.
    def paragraph(self, text: str, *, style: str | None = None, bold: bool = False, italic: bool = False,
                  size: int | None = None, indent: int | None = None, right: bool = False) -> None:
        """One paragraph of one run; ``size`` in half points, ``indent`` in twentieths of a point."""
        properties = ((f'<w:pStyle w:val="{style}"/>' if style else "")
                      + (f'<w:ind w:left="{indent}"/>' if indent else "")
                      + ('<w:jc w:val="right"/>' if right else ""))
        run = (("<w:b/>" if bold else "") + ("<w:i/>" if italic else "")
               + (f'<w:sz w:val="{size}"/>' if size else ""))
        self.body.append("<w:p>" + (f"<w:pPr>{properties}</w:pPr>" if properties else "")
                         + ("<w:r>" + (f"<w:rPr>{run}</w:rPr>" if run else "")
                            + f'<w:t xml:space="preserve">{_x(text)}</w:t></w:r>' if text else "")
                         + "</w:p>")

    def flush(self) -> None:
        text = re.sub(_SPACES, " ", "".join(self.text)).strip()
        self.text = []
        block, self.block = self.block, None
        if not text or block is None:
            return
        if block in ("h1", "h2", "h3", "h4"):
            self.paragraph(text, style=self.styles[block])
        elif block == "li":
            self.paragraph(text, style=self.styles["li"])
        elif block == "blockquote":
            self.paragraph(text, italic=True, indent=567)  # 1 cm
        elif block == "figcaption" or "note" in self.block_class or "meta" in self.block_class:
            self.paragraph(text, size=18)
        else:
            self.paragraph(text)

    def add_table(self) -> None:
        rows = [r for r in (self.table or []) if r]
        self.table = None
        if self.caption:
            self.paragraph(self.caption, bold=True)
        self.caption = None
        if not rows:
            return
        width = max(len(r) for r in rows)
        column = self.block_width // width
        cell_width = f'<w:tcPr><w:tcW w:type="dxa" w:w="{column}"/></w:tcPr>'
        parts = [f'<w:tbl><w:tblPr><w:tblStyle w:val="{self.styles["table"]}"/><w:tblW w:type="auto" w:w="0"/>'
                 '<w:jc w:val="left"/><w:tblLook w:firstColumn="1" w:firstRow="1" w:lastColumn="0" '
                 'w:lastRow="0" w:noHBand="0" w:noVBand="1" w:val="04A0"/></w:tblPr><w:tblGrid>'
                 + f'<w:gridCol w:w="{column}"/>' * width + "</w:tblGrid>"]
        for i, row in enumerate(rows):
            parts.append("<w:tr>")
            for j, (text, numeric) in enumerate(row):
                right = numeric or (i > 0 and j > 0 and bool(_NUMBER.match(text or "-")))
                parts.append(f"<w:tc>{cell_width}<w:p>" + ('<w:pPr><w:jc w:val="right"/></w:pPr>' if right else "")
                             + (f'<w:r><w:rPr>{"<w:b/>" if i == 0 else ""}<w:sz w:val="18"/></w:rPr>'
                                f'<w:t xml:space="preserve">{_x(text)}</w:t></w:r>' if text else "")
                             + "</w:p></w:tc>")
            parts.append(f"<w:tc>{cell_width}<w:p/></w:tc>" * (width - len(row)) + "</w:tr>")
        parts.append("</w:tbl>")
        self.body.append("".join(parts))
        self.paragraph("")

    # -- parser callbacks -----------------------------------------------------------------------------
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        css = attributes.get("class") or ""
        if tag in _VOID:
            if tag == "br" and self.cell is not None:
                self.cell.append(" ")
            return
        hidden = bool(self.skip) or tag in _HIDDEN or (tag == "span" and "downloads" in css)
        self.stack.append((tag, hidden))
        if hidden:
            self.skip += 1
            return
        if tag == "div" and "panels" in css:
            self.in_panels = True
        if tag == "table":
            self.flush()
            self.table = []
        elif tag == "caption" and self.table is not None:
            self.cell = []
        elif tag == "tr" and self.table is not None:
            self.table.append([])
        elif tag in ("td", "th") and self.table is not None:
            self.cell = []
            self.cell_numeric = "num" in css
        elif tag in ("h1", "h2", "h3", "h4", "p", "li", "figcaption", "blockquote") and self.table is None:
            if tag == "p" and self.block == "blockquote":
                return  # a quote's paragraph belongs to the quote
            self.flush()
            self.block = tag
            self.block_class = css

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID or not any(open_tag == tag for open_tag, _ in self.stack):
            return
        while self.stack:
            open_tag, hidden = self.stack.pop()
            if hidden:
                self.skip -= 1
            if open_tag == tag:
                break
        if self.skip:
            return
        if tag == "div" and self.in_panels and not any(t == "div" for t, _ in self.stack[-1:]):
            self.in_panels = False
        if tag == "caption" and self.cell is not None:
            self.caption = re.sub(_SPACES, " ", "".join(self.cell)).strip()
            self.cell = None
        elif tag in ("td", "th") and self.cell is not None and self.table:
            self.table[-1].append((re.sub(_SPACES, " ", "".join(self.cell)).strip(), self.cell_numeric))
            self.cell = None
        elif tag == "table":
            self.add_table()
        elif tag in ("h1", "h2", "h3", "h4", "li", "figcaption", "blockquote") or (
                tag == "p" and self.block != "blockquote"):
            self.flush()

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        if self.cell is not None:
            self.cell.append(data)
        elif self.block is not None:
            self.text.append(data)

    def chart(self, stem: str) -> None:
        svg = self.svg.get(stem)
        if svg is None:
            return
        self.flush()
        size = _SVG_SIZE.search(svg)
        label = _SVG_LABEL.search(svg)
        if size is None:
            return
        width = PANEL_WIDTH if self.in_panels else CHART_WIDTH
        height = int(width * float(size[2]) / float(size[1]))
        part = self.doc.part
        if not self.picture_id:
            self.picture_id = part.next_id  # once: it searches the whole document
        self.picture_id += 1
        number = self.picture_id
        # Tooltips (<title>) are for the page; Word gets the chart's name as alternative text instead.
        svg_part = Part(PackURI(f"/word/media/chart{number}.svg"), "image/svg+xml",
                        _TITLE.sub("", svg).encode("utf-8"), part.package)
        svg_id = part.relate_to(svg_part, RELATIONSHIP_TYPE.IMAGE)
        png_id, _ = part.get_or_add_image(io.BytesIO(self.png.get(stem) or stand_in_png(svg)))
        name = escape(label[1] if label else stem, quote=True)
        inline = (
            '<wp:inline distT="0" distB="0" distL="0" distR="0">'
            f'<wp:extent cx="{width}" cy="{height}"/><wp:docPr id="{number}" name="{escape(stem, quote=True)}" '
            f'descr="{name}"/><wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect="1"/>'
            '</wp:cNvGraphicFramePr><a:graphic><a:graphicData '
            'uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic>'
            f'<pic:nvPicPr><pic:cNvPr id="0" name="{escape(stem, quote=True)}.svg" descr="{name}"/>'
            f'<pic:cNvPicPr/></pic:nvPicPr><pic:blipFill><a:blip r:embed="{png_id}"><a:extLst>'
            f'<a:ext uri="{SVG_EXTENSION}"><asvg:svgBlip xmlns:asvg="{SVG_NAMESPACE}" r:embed="{svg_id}"/>'
            '</a:ext></a:extLst></a:blip><a:stretch><a:fillRect/></a:stretch></pic:blipFill>'
            f'<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{width}" cy="{height}"/></a:xfrm>'
            '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic>'
            "</wp:inline>")
        self.body.append(f"<w:p><w:r><w:drawing>{inline}</w:drawing></w:r></w:p>")


class _ChartAwareConverter(_Converter):
    """Places each chart where its download links stand in the page."""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href") or ""
        if tag == "a" and href.startswith("charts/") and href.endswith(".svg"):
            self.chart(href[len("charts/"):-len(".svg")])
        super().handle_starttag(tag, attrs)


#: Word's proofing language for the report's language (the page's ``<html lang>``).
PROOFING_LANGUAGE = {"nb": "nb-NO", "en": "en-GB"}
_PAGE_LANGUAGE = re.compile(r'<html lang="([\w-]+)"')


def _a4_page(document: Any) -> None:
    """A4 with 2.5 cm margins, as Norwegian reports are printed: python-docx's template is US Letter
    with 3.18 cm margins, whose 15.2 cm text block is narrower than a full-width chart (16 cm)."""
    for section in document.sections:
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        section.left_margin = section.right_margin = Cm(2.5)
        section.top_margin = section.bottom_margin = Cm(2.5)


def _proofing_language(document: Any, html: str) -> None:
    """Mark the text as Norwegian Bokmål (or English) for Word's spelling and hyphenation: without it
    Word checks a Norwegian report as English and underlines every word."""
    found = _PAGE_LANGUAGE.search(html)
    language = PROOFING_LANGUAGE.get(found[1] if found else "nb", "nb-NO")
    document.core_properties.language = language
    defaults = document.styles.element.find(qn("w:docDefaults"))
    run_defaults = defaults.find(qn("w:rPrDefault")) if defaults is not None else None
    properties = run_defaults.find(qn("w:rPr")) if run_defaults is not None else None
    if properties is None:  # pragma: no cover - python-docx's template has them
        return
    for old in properties.findall(qn("w:lang")):
        properties.remove(old)
    properties.append(parse_xml(f'<w:lang {nsdecls("w")} w:val="{language}"/>'))


def render_docx(html: str, charts_svg: Mapping[str, str], title: str,
                charts_png: Mapping[str, bytes] | None = None, *, identifier: str = WRITER_DIGEST) -> bytes:
    """``report.docx`` as bytes from the rendered page and its charts' SVG (by file stem).

    ``charts_png`` (optional, by stem) are the raster pictures shown by readers that cannot draw
    SVG (LibreOffice among them); a chart without one gets :func:`stand_in_png` of its SVG.
    ``identifier`` goes into the document's properties (by default this writer's digest).
    """
    document = Document()
    document.core_properties.title = title
    document.core_properties.identifier = identifier
    _a4_page(document)
    _proofing_language(document, html)
    style = document.styles["Normal"]
    style.font.name = "Calibri"
    style.font.size = Pt(10.5)
    converter = _ChartAwareConverter(document, charts_svg, charts_png)
    # The inline SVGs are most of the page and nothing of them goes into the text: leave them out
    # of the parse (the charts come from ``charts_svg``).
    converter.feed(_SVG.sub("", html))
    converter.close()
    converter.flush()
    body = document.element.body
    end = body.sectPr  # the section properties stay last
    for element in parse_xml(f'<w:body {nsdecls("w", "wp", "a", "pic", "r")}>{"".join(converter.body)}</w:body>'):
        end.addprevious(element)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
