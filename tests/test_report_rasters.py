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


@pytest.fixture(autouse=True)
def idle_core(monkeypatch) -> None:
    """As on a machine with a core to spare (a test machine is often busy; see the test below)."""
    monkeypatch.setattr(report_rasters, "_a_core_is_free", lambda: True)


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
    assert pending.child_svgs == list(SVGS.values())[:4]  # two thirds; this process renders the rest
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
    assert len(pending.child_svgs) == 4  # "Tema 3" is the child's to render
    with pytest.raises(ValueError, match="cannot render this chart"):
        pending.result()
    assert _no_child_left(pid)


@linux_only
def test_an_error_in_this_process_share_leaves_no_child() -> None:
    def render(svg: str) -> bytes:
        if "Tema 5" in svg:  # the last chart: this process's share
            raise ValueError("resvg: cannot render this chart")
        return stand_in_png(svg)

    pending = start_rendering(SVGS, render)
    pid = pending.pid
    with pytest.raises(ValueError, match="cannot render this chart"):
        pending.result()
    assert pending.pid is None and pending.file is None and _no_child_left(pid)


@linux_only
def test_cancel_stops_and_collects_the_child() -> None:
    pending = start_rendering({f"c{i}": svg for i, svg in enumerate(list(SVGS.values()) * 20)}, stand_in_png)
    pid = pending.pid
    pending.cancel()
    assert pending.pid is None and pending.file is None and _no_child_left(pid)


def test_no_child_when_no_other_core_is_idle(monkeypatch) -> None:
    monkeypatch.undo()  # the real check (the fixture's stand-in undone), with the load average told
    monkeypatch.setattr(report_rasters, "_fork_allowed", lambda: True)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    monkeypatch.setattr(os, "getloadavg", lambda: (1.2, 0.5, 0.5))
    busy = start_rendering(SVGS, stand_in_png)
    assert busy.pid is None and busy.child_svgs == []
    assert busy.result() == {stem: stand_in_png(svg) for stem, svg in SVGS.items()}
    monkeypatch.setattr(os, "getloadavg", lambda: (0.4, 0.5, 0.5))
    if sys.platform.startswith("linux"):
        idle = start_rendering(SVGS, stand_in_png)
        assert idle.pid is not None
        idle.result()


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


def _count_renders(monkeypatch) -> list[str]:
    """Every chart picture rendered from now on (in this process: no child)."""
    from fritekst.outputs import report_files

    rendered: list[str] = []
    real = report_files.stand_in_png
    monkeypatch.setattr(report_rasters, "_fork_allowed", lambda: False)
    monkeypatch.setattr(report_files, "stand_in_png", lambda svg: rendered.append(svg) or real(svg))
    return rendered


def _docx_parts(path) -> dict[str, bytes]:
    import zipfile

    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_a_report_into_a_new_folder_takes_the_pictures_from_the_projects_cache(project, monkeypatch) -> None:
    import stat

    from conftest import invoke
    from fritekst.cli import main
    from fritekst.coding.cache import cache_dir

    rendered = _count_renders(monkeypatch)
    (project.parent / "svar.csv").chmod(0o600)  # the corpus is private: so are the pictures
    first, second = project.parent / "rapport", project.parent / "utkast-2"
    assert invoke(main, "report", "--project", project, "--out", first).exit_code == 0
    n_charts = len(list((first / "charts").glob("*.svg")))
    assert len(rendered) == n_charts > 2
    pictures = sorted(cache_dir(project.parent).glob("chart-*.png"))
    assert len(pictures) == n_charts
    assert {stat.S_IMODE(p.stat().st_mode) for p in pictures} == {0o600}
    assert stat.S_IMODE(cache_dir(project.parent).stat().st_mode) == 0o700

    rendered.clear()
    assert invoke(main, "report", "--project", project, "--out", second).exit_code == 0
    assert rendered == []  # every picture came from the cache
    assert _docx_parts(second / "report.docx") == _docx_parts(first / "report.docx")

    # a damaged picture is rendered again and replaced
    pictures[0].write_bytes(b"not a png")
    assert invoke(main, "report", "--project", project, "--out", project.parent / "utkast-3").exit_code == 0
    assert len(rendered) == 1 and pictures[0].read_bytes().startswith(b"\x89PNG\r\n\x1a\n")

    # `fritekst cache clear` removes them with the codings
    assert invoke(main, "cache", "clear", "--project", project).exit_code == 0
    assert not cache_dir(project.parent).exists()


def test_no_cache_renders_every_picture_and_keeps_none(project, monkeypatch) -> None:
    from conftest import invoke
    from fritekst.cli import main
    from fritekst.coding.cache import cache_dir

    rendered = _count_renders(monkeypatch)
    for folder in ("a", "b"):
        assert invoke(main, "report", "--project", project, "--no-cache", "--out", project.parent / folder).exit_code == 0
    assert len(rendered) == 2 * len(list((project.parent / "a" / "charts").glob("*.svg")))
    assert not cache_dir(project.parent).exists()


def test_the_cache_keeps_only_the_newest_pictures(tmp_path, monkeypatch) -> None:
    import os

    from fritekst.outputs import report_raster_cache
    from fritekst.outputs.report_raster_cache import RasterCache

    corpus = tmp_path / "svar.csv"
    corpus.write_text("case_id\n1\n", encoding="utf-8")
    monkeypatch.setattr(report_raster_cache, "KEEP", 3)
    cache = RasterCache(tmp_path, corpus, "test")
    for i, svg in enumerate(SVGS.values()):
        cache.add(svg, stand_in_png(svg))
        cache.write()
        for path in cache.folder.glob("chart-*.png"):  # one write a second, as in real use
            os.utime(path, (path.stat().st_mtime - 1, path.stat().st_mtime - 1))
    kept = list(cache.folder.glob("chart-*.png"))
    assert len(kept) == 3
    svgs = list(SVGS.values())
    assert [cache.get(svg) is not None for svg in svgs] == [False, False, False, True, True, True]
    other = RasterCache(tmp_path, corpus, "another renderer")
    assert other.get(svgs[-1]) is None  # the renderer and its zoom are part of the key


@linux_only
def test_the_child_renders_two_thirds_and_this_process_the_rest() -> None:
    pending = start_rendering(SVGS, lambda svg: str(os.getpid()).encode())  # who rendered each
    child = pending.pid
    made_by = [int(b) for b in pending.result().values()]
    assert made_by == [child] * 4 + [os.getpid()] * 2
