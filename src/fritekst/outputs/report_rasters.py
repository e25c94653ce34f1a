"""The charts' raster pictures, rendered in a second process while the report's other files are written.

resvg holds Python's interpreter lock while it renders (~12 ms a chart at the Word file's 3/4 size,
~0.7 s of CPU for the shipped example's charts), so a thread would not run beside the workbook; a
forked child does. :func:`start_rendering` forks one that renders the first two thirds into an unnamed
temporary file (readable only by you, gone when closed; a pipe would stall the child once its buffer
is full, until the parent reads) and returns at once; :meth:`PendingRasters.result` waits for the
child and reads them, after rendering the last third itself once its other work is done (on the
example the workbook and ``frequencies.csv`` take ~0.3 s, the pictures ~0.7 s, so a third left to
the parent has both processes finish at about the same time). The CPU is
the same (the child's is the report's too), but on a machine with a second core a first report
spends less time waiting.

Where ``os.fork`` is missing or unsafe (Windows; macOS, whose system libraries may not survive a
fork), where no other core is idle (then a child only costs more, see :func:`_a_core_is_free`), or
when the fork or the child fails, the pictures are rendered in this process instead: the same
bytes, only later. A rendering error is raised where the pictures are collected, as inline.
"""

from __future__ import annotations

import gc
import math
import os
import signal
import struct
import sys
import tempfile
from collections.abc import Callable, Mapping
from typing import IO

Render = Callable[[str], bytes]
_LENGTH = struct.Struct("<Q")
#: The share of the charts the child renders; the parent renders the rest in :meth:`PendingRasters.result`.
CHILD_SHARE = 2 / 3


def _fork_allowed() -> bool:
    return hasattr(os, "fork") and sys.platform.startswith("linux")


def _a_core_is_free() -> bool:
    """Whether another core is idle (the last minute's load average below the cores minus one).

    Only then does the child pay: measured on the shipped example on a 2-core machine under a load
    of ~10 (5 pairs), rendering in a child cost 0.18 s more CPU (the parent's and the child's pages,
    shared after the fork, are copied as either writes to them) and 0.24 s more wall time than
    rendering inline, since no core was free to run it beside the parent.
    """
    try:
        return os.getloadavg()[0] < (os.cpu_count() or 1) - 1
    except OSError:
        return False


class PendingRasters:
    """PNGs being rendered, by chart stem; :meth:`result` waits for and returns them."""

    def __init__(self, svgs: Mapping[str, str], render: Render) -> None:
        self.svgs = dict(svgs)
        self.render = render
        self.pid: int | None = None
        self.file: IO[bytes] | None = None
        self.done: dict[str, bytes] | None = None
        #: The SVGs the child renders (the first ones); none until it is started.
        self.child_svgs: list[str] = []

    def _start(self) -> None:
        if not self.svgs or not _fork_allowed() or not _a_core_is_free():
            return
        try:
            file = tempfile.TemporaryFile()
        except OSError:
            return
        share = list(self.svgs.values())[:math.ceil(len(self.svgs) * CHILD_SHARE)]
        try:
            pid = os.fork()
        except OSError:
            file.close()
            return
        if pid == 0:  # the child: render, write, and leave without running any of the parent's exit code
            code = 1
            try:
                gc.disable()  # it lives a second; a collection would only copy the parent's pages
                signal.signal(signal.SIGINT, signal.SIG_DFL)
                signal.signal(signal.SIGTERM, signal.SIG_DFL)
                for svg in share:
                    png = self.render(svg)
                    file.write(_LENGTH.pack(len(png)))
                    file.write(png)
                file.flush()
                code = 0
            finally:
                os._exit(code)
        self.pid, self.file, self.child_svgs = pid, file, share

    def result(self) -> dict[str, bytes]:
        """Every chart's PNG by stem: the child's share from the child (rendered here if it failed), the
        rest rendered here first."""
        if self.done is not None:
            return self.done
        svgs = list(self.svgs.values())
        try:
            mine = [self.render(svg) for svg in svgs[len(self.child_svgs):]]  # while the child renders its share
        except BaseException:
            self.cancel()  # no child left behind
            raise
        theirs: list[bytes] = []
        if self.file is not None:
            with self.file as file:
                self.file = None
                if self._reap() == 0:
                    file.seek(0)
                    for _ in self.child_svgs:
                        head = file.read(_LENGTH.size)
                        if len(head) < _LENGTH.size:
                            break
                        theirs.append(file.read(_LENGTH.unpack(head)[0]))
        if len(theirs) < len(self.child_svgs):  # the child failed: render its share here (and raise as inline)
            theirs = [self.render(svg) for svg in self.child_svgs]
        pngs = theirs + mine
        self.done = dict(zip(self.svgs, pngs))
        return self.done

    def cancel(self) -> None:
        """Stop the child (the report failed elsewhere) and collect it."""
        if self.pid is not None:
            try:
                os.kill(self.pid, signal.SIGKILL)
            except OSError:
                pass
        self._reap()
        if self.file is not None:
            self.file.close()
            self.file = None

    def _reap(self) -> int | None:
        """Wait for the child; its exit status (0: every picture written), None if there was none."""
        if self.pid is None:
            return None
        pid, self.pid = self.pid, None
        try:
            return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])
        except ChildProcessError:
            return None


def start_rendering(svgs: Mapping[str, str], render: Render) -> PendingRasters:
    """Start rendering ``render(svg)`` for every chart (by stem) in a child process; see the module."""
    pending = PendingRasters(svgs, render)
    pending._start()
    return pending
