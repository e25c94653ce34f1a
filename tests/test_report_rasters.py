"""The charts' raster pictures rendered in a forked child: the same bytes as inline, and no child left."""

from __future__ import annotations

import os
import sys

import pytest

from fritekst.outputs import report_rasters
from fritekst.outputs.report_docx import stand_in_png
from fritekst.outputs.report_rasters import start_rendering

CHART = ('<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40" font-family="DejaVu Sans" '
         'font-size="12"><rect x="0" y="10" width="{w}" height="12" fill="#E69F00"/>'
         '<text x="2" y="35">{label}</text></svg>')
SVGS = {f"c{i}": CHART.format(w=20 + 10 * i, label=f"Tema {i}: {5 * i} %") for i in range(6)}

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the child is forked on Linux only")


def _no_child_left(pid: int | None) -> bool:
    if pid is None:
        return True
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


@linux_only
def test_the_child_renders_exactly_what_this_process_would() -> None:
    pending = start_rendering(SVGS, stand_in_png)
    pid = pending.pid
    assert pid is not None and pid != os.getpid()  # a child is at work
    pngs = pending.result()
    assert list(pngs) == list(SVGS)
    assert pngs == {stem: stand_in_png(svg) for stem, svg in SVGS.items()}
    assert pending.pid is None and _no_child_left(pid)
    assert pending.result() is pngs  # collected once


def test_without_fork_the_pictures_are_rendered_here(monkeypatch) -> None:
    monkeypatch.setattr(report_rasters, "_fork_allowed", lambda: False)
    calls: list[str] = []
    pending = start_rendering(SVGS, lambda svg: calls.append(svg) or stand_in_png(svg))
    assert pending.pid is None and calls == []  # nothing yet: rendered when collected
    assert pending.result() == {stem: stand_in_png(svg) for stem, svg in SVGS.items()}
    assert calls == list(SVGS.values())


@linux_only
def test_a_failing_child_falls_back_and_the_error_is_raised_here() -> None:
    def render(svg: str) -> bytes:
        if "Tema 3" in svg:
            raise ValueError("resvg: cannot render this chart")
        return stand_in_png(svg)

    pending = start_rendering(SVGS, render)
    pid = pending.pid
    with pytest.raises(ValueError, match="cannot render this chart"):
        pending.result()
    assert _no_child_left(pid)


@linux_only
def test_cancel_stops_and_collects_the_child() -> None:
    pending = start_rendering({f"c{i}": svg for i, svg in enumerate(list(SVGS.values()) * 20)}, stand_in_png)
    pid = pending.pid
    pending.cancel()
    assert pending.pid is None and pending.file is None and _no_child_left(pid)


def test_nothing_to_render_starts_no_child() -> None:
    pending = start_rendering({}, stand_in_png)
    assert pending.pid is None and pending.result() == {}


@linux_only
def test_a_report_rendered_with_the_child_is_the_report_rendered_without(monkeypatch) -> None:
    import io
    import zipfile
    from pathlib import Path

    from fritekst.outputs.report import make_report
    from fritekst.outputs.report_files import render_outputs
    from fritekst.sources.project import load_project

    mini = Path(__file__).parent / "data" / "report"
    report = make_report(load_project(mini / "fritekst.toml"), codings_path=mini / "refs.csv")

    def word_parts(outputs: dict[str, bytes]) -> dict[str, bytes]:
        with zipfile.ZipFile(io.BytesIO(outputs["report.docx"])) as archive:
            return {name: archive.read(name) for name in archive.namelist()}

    forked = render_outputs(report)
    monkeypatch.setattr(report_rasters, "_fork_allowed", lambda: False)
    inline = render_outputs(report)
    assert sorted(forked) == sorted(inline) and forked["report.html"] == inline["report.html"]
    parts = word_parts(forked)
    assert parts == word_parts(inline)
    pictures = [name for name in parts if name.startswith("word/media/") and name.endswith(".png")]
    assert len(pictures) == sum(name.startswith("charts/") for name in forked) > 2
