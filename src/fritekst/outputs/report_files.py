"""Write a report's files (HTML, Excel, long CSV) all or nothing.

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
>>> [path.name for path in write_report(out, report)]
['report.html', 'report.xlsx', 'frequencies.csv']
"""

from __future__ import annotations

import io
import os
from pathlib import Path

from ..analysis.summary import FREQUENCY_COLUMNS
from ..errors import OutputError
from ..sources.tables import atomic_files, write_csv_to
from .report import Report
from .report_html import render_html
from .report_xlsx import render_xlsx


def frequencies_csv(report: Report) -> str:
    """``frequencies.csv`` as text: long form, shares as fractions rounded to 4 decimals."""
    frame = report.frequencies()
    columns = [*FREQUENCY_COLUMNS, "flag"]
    buffer = io.StringIO(newline="")
    # shares keep their float form (0.0, 1.0), unlike scores in refs.csv
    write_csv_to(buffer, columns, frame[columns].itertuples(index=False, name=None), integral_floats=False)
    return buffer.getvalue()


#: The files :func:`write_report` writes into its folder.
REPORT_FILES = ("report.html", "report.xlsx", "frequencies.csv")


def render_outputs(report: Report) -> dict[str, bytes]:
    """Every output file's bytes, keyed by file name; nothing is written."""
    return {"report.html": render_html(report).encode("utf-8"),
            "report.xlsx": render_xlsx(report),
            # UTF-8 with BOM so Excel on Windows shows æ, ø and å.
            "frequencies.csv": frequencies_csv(report).encode("utf-8-sig")}


def write_report(out_dir: str | os.PathLike[str], report: Report) -> list[Path]:
    """Write ``report.html``, ``report.xlsx`` and ``frequencies.csv`` into ``out_dir``, all or nothing.

    Everything is rendered in memory first; the folder is created only then, and the three files are
    moved into place together at the end, so a failure leaves either the previous files or none.
    """
    if not isinstance(report, Report):  # the order was (report, out_dir) before 0.2
        raise TypeError("write_report(out_dir, report): the folder comes first, like every writer")
    outputs = render_outputs(report)
    folder = Path(out_dir)
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
    try:
        with atomic_files(paths, "wb") as handles:
            for handle, content in zip(handles, outputs.values()):
                handle.write(content)
    except BaseException:
        if created:  # a failed run leaves no trace, not even the empty folder it made
            try:
                folder.rmdir()
            except OSError:
                pass
        raise
    return paths
