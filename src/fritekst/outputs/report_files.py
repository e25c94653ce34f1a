"""Write a report's files (HTML, Excel, Word, long CSV, chart files) all or nothing.

:func:`write_report` renders every output in memory first and only then moves them into place, so a
failure leaves no half-written report behind.

Examples
--------
A small project with ready codings (the shipped example codes ~2 000 answers first, which takes
longer than an example should):

>>> import tempfile, pathlib
>>> from fritekst.sources.project import load_project
>>> from fritekst.outputs.report import make_report
>>> mini = example / "tests" / "data" / "report"
>>> report = make_report(load_project(mini / "fritekst.toml"), codings_path=mini / "refs.csv")
>>> out = pathlib.Path(tempfile.mkdtemp()) / "rapport"
>>> [path.name for path in write_report(out, report)][:4]
['report.html', 'report.xlsx', 'frequencies.csv', 'report.docx']
>>> sorted(p.suffix for p in (out / "charts").iterdir())[:1], len(list((out / "charts").iterdir())) % 2
(['.png'], 0)
"""

from __future__ import annotations

import io
import os
from pathlib import Path


from ..analysis.summary import FREQUENCY_COLUMNS
from ..errors import OutputError
from ..sources.tables import atomic_files, write_csv_to
from .report import Report
from .report_docx import render_docx
from .report_html import render_html
from .report_xlsx import render_xlsx


def frequencies_csv(report: Report) -> str:
    """``frequencies.csv`` as text: long form, shares as fractions rounded to 4 decimals."""
    frame = report.frequencies()
    columns = [*FREQUENCY_COLUMNS, "flag", "small_cell", "n_answered_not_asked"]
    buffer = io.StringIO(newline="")
    # shares keep their float form (0.0, 1.0), unlike scores in refs.csv
    write_csv_to(buffer, columns, frame[columns].itertuples(index=False, name=None), integral_floats=False)
    return buffer.getvalue()


#: The files :func:`write_report` writes into its folder, besides the chart files in ``charts/``.
REPORT_FILES = ("report.html", "report.xlsx", "frequencies.csv", "report.docx")


def render_outputs(report: Report, previous: Path | None = None) -> dict[str, bytes]:
    """Every output file's bytes, keyed by file name (charts under ``charts/``); nothing is written.

    Besides ``report.html``, ``report.xlsx`` and ``frequencies.csv``: ``report.docx`` (the same
    headings, tables and charts for Word) and every chart as ``charts/<name>.svg`` and ``.png``, which
    the page links to for download. ``previous`` is the folder of an earlier report: a chart whose
    SVG there is byte-identical keeps that run's PNG instead of being rendered again.
    """
    charts: dict[str, str] = {}
    html = render_html(report, charts)
    reused = {stem: _previous_png(previous, stem, svg) for stem, svg in charts.items()}
    pngs = {stem: reused[stem] or chart_png(svg) for stem, svg in charts.items()}
    page = html.encode("utf-8")
    docx = _previous_docx(previous, page) if all(reused.values()) else None
    outputs = {"report.html": page,
               "report.xlsx": render_xlsx(report, None if previous is None else previous / "report.xlsx"),
               # UTF-8 with BOM so Excel on Windows shows æ, ø and å.
               "frequencies.csv": frequencies_csv(report).encode("utf-8-sig"),
               "report.docx": docx or render_docx(html, pngs, report.title)}
    for stem, svg in charts.items():
        outputs[f"charts/{stem}.svg"] = svg.encode("utf-8")
        outputs[f"charts/{stem}.png"] = pngs[stem]
    return outputs


_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _previous_png(folder: Path | None, stem: str, svg: str) -> bytes | None:
    """The PNG an earlier report rendered from exactly this SVG, or None.

    Rendering costs ~75 ms of CPU per chart, most of a rerun after editing one code, while only that
    code's charts change. The PNG is a pure function of the SVG (same renderer, same zoom), so an
    identical SVG beside a PNG from the same run is reused; anything else renders afresh.
    """
    if folder is None:
        return None
    try:
        old_svg = (folder / "charts" / f"{stem}.svg").read_bytes()
        if old_svg != svg.encode("utf-8"):
            return None
        png = (folder / "charts" / f"{stem}.png").read_bytes()
    except OSError:
        return None
    return png if png.startswith(_PNG_SIGNATURE) else None


def _previous_docx(folder: Path | None, page: bytes) -> bytes | None:
    """The earlier run's ``report.docx`` when it was made from this very page and these charts.

    The Word file is a pure function of the page, its title and the chart PNGs, so when the page is
    byte-identical and every chart was reused, the earlier file is what rendering would give again.
    """
    if folder is None:
        return None
    try:
        if (folder / "report.html").read_bytes() != page:
            return None
        docx = (folder / "report.docx").read_bytes()
    except OSError:
        return None
    return docx if docx.startswith(b"PK\x03\x04") else None


def chart_png(svg: str) -> bytes:
    """A chart as PNG at twice its size (sharp in Word and on slides), rendered offline by resvg."""
    import resvg_py  # a compiled renderer: loaded only when a report is written

    return bytes(resvg_py.svg_to_bytes(svg_string=svg, zoom=2.0, background="#ffffff"))


def write_report(out_dir: str | os.PathLike[str], report: Report) -> list[Path]:
    """Write ``report.html``, ``report.xlsx``, ``frequencies.csv``, ``report.docx`` and ``charts/`` into
    ``out_dir``, all or nothing.

    Everything is rendered in memory first; the folder is created only then, and the three files are
    moved into place together at the end, so a failure leaves either the previous files or none.
    """
    if not isinstance(report, Report):  # the order was (report, out_dir) before 0.2
        raise TypeError("write_report(out_dir, report): the folder comes first, like every writer")
    folder = Path(out_dir)
    outputs = render_outputs(report, previous=folder if folder.is_dir() else None)
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"{folder}: exists and is not a folder; give a folder path for the report",
                          code="E502", option="out")
    created = not folder.exists()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{folder}: cannot create the folder ({exc.strerror}); choose another folder",
                          code="E502", option="out") from exc
    paths = [folder / name for name in outputs]
    made_charts = False
    try:
        if any(name.startswith("charts/") for name in outputs):
            charts = folder / "charts"
            made_charts = not charts.exists()
            charts.mkdir(exist_ok=True)
            for stale in charts.glob("*"):
                if stale.is_file() and f"charts/{stale.name}" not in outputs and stale.suffix in (".svg", ".png"):
                    stale.unlink()  # charts of a previous run that this report no longer has
        with atomic_files(paths, "wb") as handles:
            for handle, content in zip(handles, outputs.values()):
                handle.write(content)
    except BaseException:
        # a failed run leaves no trace, not even the empty folders it made
        for made, empty in ((made_charts, folder / "charts"), (created, folder)):
            if made:
                try:
                    empty.rmdir()
                except OSError:
                    pass
        raise
    return paths
