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
>>> sorted({p.suffix for p in (out / "charts").iterdir()})
['.svg']
"""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path


from ..analysis.summary import FREQUENCY_COLUMNS
from ..errors import OutputError
from ..sources.tables import atomic_files, write_csv_to
from .report import Report
from .report_docx import STAND_IN_ZOOM, WRITER_DIGEST, render_docx, stand_in_png
from .report_raster_cache import RasterCache, cached_or_todo
from .report_html import render_html
from .report_rasters import start_rendering
from .report_xlsx import render_xlsx


def frequencies_csv(report: Report) -> str:
    """``frequencies.csv`` as text: long form, shares as fractions rounded to 4 decimals."""
    frame = report.frequencies()
    columns = [*FREQUENCY_COLUMNS, "flag", "small_cell", "n_answered_not_asked"]
    buffer = io.StringIO(newline="")
    # shares keep their float form (0.0, 1.0), unlike scores in refs.csv
    # column by column: a pandas row iterator converts each cell on its own, at twice the cost
    write_csv_to(buffer, columns, zip(*(frame[column].tolist() for column in columns)), integral_floats=False)
    return buffer.getvalue()


#: The files :func:`write_report` writes into its folder, besides the chart files in ``charts/``.
REPORT_FILES = ("report.html", "report.xlsx", "frequencies.csv", "report.docx")


def render_outputs(report: Report, previous: Path | None = None, *, png: bool = False,
                   raster_cache: RasterCache | None = None) -> dict[str, bytes]:
    """Every output file's bytes, keyed by file name (charts under ``charts/``); nothing is written.

    Besides ``report.html``, ``report.xlsx`` and ``frequencies.csv``: ``report.docx`` (the same
    headings, tables and charts for Word, the charts as SVG) and every chart as ``charts/<name>.svg``,
    which the page links to; its PNG the page makes in the browser, so by default none is rendered
    here. With ``png`` every chart is also rendered as ``charts/<name>.png`` (resvg at twice the
    size, ~30–75 ms of CPU each), which ``report.docx`` then carries as the picture readers without
    SVG support show; without it ``report.docx`` renders its own smaller ones
    (:func:`.report_docx.stand_in_png`).
    ``previous`` is the folder of an earlier report: its ``report.docx`` and ``report.xlsx`` are kept
    when they would come out the same, and a chart whose SVG there is byte-identical keeps its PNG.
    ``raster_cache`` (see :func:`raster_cache_for`) supplies charts' pictures rendered before and
    collects the new ones, which :func:`write_report` stores once the files are written.
    """
    charts: dict[str, str] = {}
    html = render_html(report, charts)
    page = html.encode("utf-8")
    identifier = WRITER_DIGEST + ("-png" if png else "")
    docx = _previous_docx(previous, page, identifier)
    kept: dict[str, bytes] = {}
    if png:
        kept = {stem: found for stem, svg in charts.items() if (found := _previous_png(previous, stem, svg))}
    wanted = {stem: svg for stem, svg in charts.items() if stem not in kept} if png or docx is None else {}
    cached, todo = cached_or_todo(wanted, raster_cache)
    # The rasters are most of a first report's output work: rendered beside the workbook (see
    # :mod:`.report_rasters`), and only those that neither the reused Word file, --png's kept files
    # nor the project's cache have.
    pending = start_rendering(todo, chart_png if png else stand_in_png)
    try:
        outputs = {"report.html": page,
                   "report.xlsx": render_xlsx(report, None if previous is None else previous / "report.xlsx"),
                   # UTF-8 with BOM so Excel on Windows shows æ, ø and å.
                   "frequencies.csv": frequencies_csv(report).encode("utf-8-sig")}
        rendered = pending.result()
    except BaseException:
        pending.cancel()
        raise
    if raster_cache is not None:
        for stem, picture in rendered.items():
            raster_cache.add(charts[stem], picture)
    rasters = {**kept, **cached, **rendered}
    outputs["report.docx"] = docx or render_docx(html, charts, report.title, rasters, identifier=identifier)
    for stem, svg in charts.items():
        outputs[f"charts/{stem}.svg"] = svg.encode("utf-8")
        if png:
            outputs[f"charts/{stem}.png"] = rasters[stem]
    return outputs


_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def raster_cache_for(root: str | os.PathLike[str], corpus_path: str | os.PathLike[str], *,
                     png: bool = False) -> RasterCache:
    """The project's cache of chart pictures (:mod:`.report_raster_cache`) for this report's renderer:
    ``report.docx``'s 3/4-size pictures, or with ``png`` the twice-size ``charts/<name>.png``."""
    import resvg_py  # its version is part of what decides a picture

    return RasterCache(root, corpus_path, f"resvg-{resvg_py.__version__}-zoom-{2.0 if png else STAND_IN_ZOOM}")


def _previous_png(folder: Path | None, stem: str, svg: str) -> bytes | None:
    """The PNG an earlier report rendered from exactly this SVG, or None.

    The PNG is a pure function of the SVG (same renderer, same zoom), so an identical SVG beside a
    PNG from the same run is reused; anything else renders afresh.
    """
    if folder is None:
        return None
    try:
        if (folder / "charts" / f"{stem}.svg").read_bytes() != svg.encode("utf-8"):
            return None
        png = (folder / "charts" / f"{stem}.png").read_bytes()
    except OSError:
        return None
    return png if png.startswith(_PNG_SIGNATURE) else None


def _previous_docx(folder: Path | None, page: bytes, identifier: str) -> bytes | None:
    """The earlier run's ``report.docx`` when it was made from this very page by this very writer.

    The Word file is a pure function of the page (which holds every chart's SVG, and so their
    PNGs), its title and whether it carries PNGs, so when the page is byte-identical the earlier file
    is what rendering would give again. The page's generator tag names the fritekst version, and the
    file's properties (``identifier``) the Word writer's digest and the PNG choice; any of them
    differing means rendering afresh.
    """
    if folder is None:
        return None
    try:
        if (folder / "report.html").read_bytes() != page:
            return None
        docx = (folder / "report.docx").read_bytes()
        with zipfile.ZipFile(io.BytesIO(docx)) as archive:
            core = archive.read("docProps/core.xml").decode("utf-8")
    except (OSError, KeyError, ValueError, zipfile.BadZipFile):
        return None
    return docx if f">{identifier}<" in core else None


def chart_png(svg: str) -> bytes:
    """A chart as PNG at twice its size (sharp in Word and on slides), rendered offline by resvg."""
    import resvg_py  # a compiled renderer: loaded only when PNGs are asked for

    return bytes(resvg_py.svg_to_bytes(svg_string=svg, zoom=2.0, background="#ffffff"))


def _holds(path: Path, content: bytes) -> bool:
    """Whether ``path`` is a file holding exactly ``content``."""
    try:
        return path.is_file() and path.stat().st_size == len(content) and path.read_bytes() == content
    except OSError:
        return False


def write_report(out_dir: str | os.PathLike[str], report: Report, *, png: bool = False,
                 raster_cache: RasterCache | None = None) -> list[Path]:
    """Write ``report.html``, ``report.xlsx``, ``frequencies.csv``, ``report.docx`` and ``charts/`` into
    ``out_dir``, all or nothing; with ``png`` also every chart as PNG (see :func:`render_outputs`).

    Everything is rendered in memory first; the folder is created only then, and the files are
    moved into place together at the end, so a failure leaves either the previous files or none. A
    file already holding the same bytes is not written again (its modification time stays).
    ``raster_cache`` (:func:`raster_cache_for`): the charts' pictures are taken from and kept in the
    project's cache.
    """
    if not isinstance(report, Report):  # the order was (report, out_dir) before 0.2
        raise TypeError("write_report(out_dir, report): the folder comes first, like every writer")
    folder = Path(out_dir)
    outputs = render_outputs(report, previous=folder if folder.is_dir() else None, png=png,
                             raster_cache=raster_cache)
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
        # A file whose bytes are already there is left alone (its time stamp too), so a rerun
        # rewrites only what changed, and a synced or backed-up folder sees only that.
        changed = {path: content for path, content in zip(paths, outputs.values()) if not _holds(path, content)}
        with atomic_files(list(changed), "wb") as handles:
            for handle, content in zip(handles, changed.values()):
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
    if raster_cache is not None:
        raster_cache.write()  # only once the report's files are in place
    return paths
