"""``report.docx``: the HTML report as a Word document, because reports are written in Word.

The document is built from the rendered HTML page rather than from the summary frames a second
time, so it holds exactly the same headings, sentences, tables and charts in the same order and
cannot drift from the page: every ``<table>`` becomes a Word table (header row bold, numbers right
aligned), every chart its PNG (rendered from the same SVG), headings keep their level, quotes become
indented italic paragraphs. The contents list and the download links are left out (Word has its own).
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping
from html.parser import HTMLParser
from typing import Any

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

#: Width of a full-width chart on an A4 page with Word's default margins.
CHART_WIDTH = Cm(16)
PANEL_WIDTH = Cm(10)
_VOID = frozenset({"meta", "br", "img", "hr", "link", "input", "wbr"})
_HIDDEN = frozenset({"style", "svg", "nav", "title", "head"})
_NUMBER = re.compile(r"^[\d\s.,%–−<>n=-]+$")


class _Converter(HTMLParser):
    """Walks the report page once and writes the Word document as it goes."""

    def __init__(self, document: Any, charts_png: Mapping[str, bytes]) -> None:
        super().__init__(convert_charrefs=True)
        self.doc = document
        self.png = charts_png
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
    def flush(self) -> None:
        text = re.sub(r"\s+", " ", "".join(self.text)).strip()
        self.text = []
        block, self.block = self.block, None
        if not text or block is None:
            return
        if block in ("h1", "h2", "h3", "h4"):
            self.doc.add_heading(text, level={"h1": 0, "h2": 1, "h3": 2, "h4": 3}[block])
        elif block == "li":
            self.doc.add_paragraph(text, style="List Bullet")
        elif block == "blockquote":
            paragraph = self.doc.add_paragraph(text)
            paragraph.paragraph_format.left_indent = Cm(1)
            for run in paragraph.runs:
                run.italic = True
        else:
            paragraph = self.doc.add_paragraph(text)
            if block == "figcaption" or "note" in self.block_class or "meta" in self.block_class:
                for run in paragraph.runs:
                    run.font.size = Pt(9)

    def add_table(self) -> None:
        rows = [r for r in (self.table or []) if r]
        self.table = None
        if self.caption:
            self.doc.add_paragraph().add_run(self.caption).bold = True
        self.caption = None
        if not rows:
            return
        width = max(len(r) for r in rows)
        table = self.doc.add_table(rows=len(rows), cols=width)
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.LEFT
        # Row by row: table.cell(i, j) rebuilds the whole table's cell list on every call, which made
        # the report's seven tables cost seconds.
        for i, (row, cells) in enumerate(zip(rows, (r.cells for r in table.rows))):
            for j, (text, numeric) in enumerate(row):
                cell = cells[j]
                cell.text = text
                paragraph = cell.paragraphs[0]
                if numeric or (i > 0 and j > 0 and _NUMBER.match(text or "-")):
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                for run in paragraph.runs:
                    run.font.size = Pt(9)
                    run.bold = i == 0
        self.doc.add_paragraph()

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
            self.caption = re.sub(r"\s+", " ", "".join(self.cell)).strip()
            self.cell = None
        elif tag in ("td", "th") and self.cell is not None and self.table:
            self.table[-1].append((re.sub(r"\s+", " ", "".join(self.cell)).strip(), self.cell_numeric))
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
        png = self.png.get(stem)
        if png is None:
            return
        self.flush()
        self.doc.add_picture(io.BytesIO(png), width=PANEL_WIDTH if self.in_panels else CHART_WIDTH)


class _ChartAwareConverter(_Converter):
    """Places each chart's PNG where its download link stands in the page."""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href") or ""
        if tag == "a" and href.startswith("charts/") and href.endswith(".png"):
            self.chart(href[len("charts/"):-len(".png")])
        super().handle_starttag(tag, attrs)


def render_docx(html: str, charts_png: Mapping[str, bytes], title: str) -> bytes:
    """``report.docx`` as bytes from the rendered page and the charts' PNGs (by file stem)."""
    document = Document()
    document.core_properties.title = title
    style = document.styles["Normal"]
    style.font.name = "Calibri"
    style.font.size = Pt(10.5)
    converter = _ChartAwareConverter(document, charts_png)
    converter.feed(html)
    converter.close()
    converter.flush()
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
