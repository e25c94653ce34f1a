"""Charts' raster pictures kept in the project's cache (``.fritekst/cache/``), by their SVG's content.

A chart's PNG is a pure function of its SVG, the renderer and the zoom, so a report into a new folder,
or after editing one code (which changes the page and so rebuilds ``report.docx``), renders only the
charts whose SVG it has not rendered before: ~12 ms of CPU each (3/4 size, for ``report.docx``) or
~30 ms (``--png``'s twice size) saved per chart.

The pictures show shares of groups of respondents, drawn from sensitive answers, so they follow the
codings cache's rules (``docs/codings-cache.md``): files get the corpus file's permissions and group
before anything is written into them, ``--no-cache`` neither reads nor writes them, ``fritekst
cache clear`` removes them with the rest, and they are written only once the report's files are.
The newest :data:`KEEP` are kept; older ones are removed when new ones are written.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import BinaryIO

# the codings cache's folder and its permission rules, which every file under it follows
from ..coding.cache import cache_dir, make_cache_folder, permissions_like, write_protected
from ..errors import OutputError

#: How many chart pictures the cache keeps (the shipped example has 57 charts; ~10 KB each).
KEEP = 1000
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


class RasterCache:
    """The chart pictures of one project; ``kind`` names the renderer and its zoom."""

    def __init__(self, root: str | os.PathLike[str], corpus_path: str | os.PathLike[str], kind: str) -> None:
        self.root = Path(root)
        self.folder = cache_dir(root)
        self.corpus_path = corpus_path
        self.kind = kind
        self.new: dict[Path, bytes] = {}

    def _path(self, svg: str) -> Path:
        digest = hashlib.sha256(f"{self.kind}\0{svg}".encode()).hexdigest()
        return self.folder / f"chart-{digest[:40]}.png"

    def get(self, svg: str) -> bytes | None:
        """The picture rendered before from exactly this SVG, or None."""
        path = self._path(svg)
        try:
            png = path.read_bytes()
        except OSError:
            return None
        if not png.startswith(_PNG_SIGNATURE):
            return None  # damaged: rendered again and replaced
        try:
            os.utime(path)  # recently used: kept longest
        except OSError:
            pass
        return png

    def add(self, svg: str, png: bytes) -> None:
        """Remember a picture rendered now; written by :meth:`write` once the report succeeded."""
        self.new[self._path(svg)] = png

    def write(self) -> None:
        """Store the pictures added, each with the corpus's permissions before any byte is in it."""
        if not self.new:
            return
        permissions = permissions_like(self.corpus_path)
        try:
            make_cache_folder(self.root, permissions)
            for path, png in self.new.items():
                write_protected(path, _bytes_writer(png), permissions)
            self._prune()
        except OSError as exc:
            raise OutputError(f"{self.folder}: cannot write the chart pictures to the cache ({exc.strerror or exc}); "
                              "free some disk space, or turn the cache off with --no-cache", code="E501") from exc
        self.new = {}

    def _prune(self) -> None:
        pictures = sorted(self.folder.glob("chart-*.png"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in pictures[KEEP:]:
            old.unlink(missing_ok=True)


def _bytes_writer(data: bytes) -> Callable[[BinaryIO], None]:
    def write(out: BinaryIO) -> None:
        out.write(data)
    return write


def cached_or_todo(svgs: Mapping[str, str], cache: RasterCache | None) -> tuple[dict[str, bytes], dict[str, str]]:
    """(pictures found in the cache, charts still to render), both by chart stem."""
    if cache is None:
        return {}, dict(svgs)
    found: dict[str, bytes] = {}
    todo: dict[str, str] = {}
    for stem, svg in svgs.items():
        png = cache.get(svg)
        if png is None:
            todo[stem] = svg
        else:
            found[stem] = png
    return found, todo
