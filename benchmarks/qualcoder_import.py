"""Run QualCoder's REFI-QDA project importer headless on one .qdpx and report what it kept.

QualCoder's own code is imported from a source checkout (nothing of it is copied here); its
project tables are made from the CREATE TABLE statements of its new-project function, read from
its source with ``ast``. Needs a separate environment with PyQt6, pymupdf and Pillow (QualCoder's
dependencies; not fritekst's), e.g.::

    python3 -m venv /tmp/qcvenv && /tmp/qcvenv/bin/pip install PyQt6 pymupdf Pillow
    git clone https://github.com/ccbogel/QualCoder /tmp/QualCoder
    /tmp/qcvenv/bin/python benchmarks/qualcoder_import.py /tmp/QualCoder/src svar.qdpx

Prints the sources, the codings per coder (QualCoder's owner), cases and case links, attributes,
and how many imported selections cut out exactly their text. See docs/refi-qda.md.
"""

from __future__ import annotations

import ast
import builtins
import os
import sqlite3
import sys
import tempfile
from pathlib import Path


def qualcoder_tables(src: Path) -> list[str]:
    """QualCoder's CREATE TABLE statements, read from its new-project code (first of each name)."""
    tree = ast.parse((src / "qualcoder" / "__main__.py").read_text(encoding="utf-8"))
    found: dict[str, str] = {}
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "execute" and node.args
                and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)
                and node.args[0].value.startswith("CREATE TABLE")):
            found.setdefault(node.args[0].value.split()[2], node.args[0].value)
    return list(found.values())


class _Log:
    """Stands in for QualCoder's text panel."""

    def append(self, text: str) -> None:
        pass


class _Events:
    def emit_table_changes(self, *args: object, **kwargs: object) -> None:
        pass


def main(src: Path, qdpx: Path) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.path.insert(0, str(src))
    builtins._ = lambda text: text  # type: ignore[attr-defined]  # QualCoder's gettext hook
    from PyQt6 import QtWidgets

    application = QtWidgets.QApplication([])  # noqa: F841  (dialogs need one)
    from qualcoder import refi

    work = Path(tempfile.mkdtemp())
    for folder in ("documents", "images", "audio", "video"):
        (work / folder).mkdir()
    conn = sqlite3.connect(work / "data.qda")
    for sql in qualcoder_tables(src):
        conn.execute(sql)
    app = type("App", (), {})()
    app.conn, app.project_path, app.project_name, app.version = conn, str(work), "qc", "harness"
    app.settings = {"directory": str(qdpx.parent), "codername": "default", "showids": False, "ai_enable": "False"}
    app.project_events, app.ai, app.ai_models = _Events(), None, []
    app.write_config_ini = lambda *args, **kwargs: None
    app.get_annotations = list
    # The importer asks for the file in a dialog and reports in message boxes: answer both.
    QtWidgets.QFileDialog.getOpenFileName = staticmethod(lambda *args, **kwargs: (str(qdpx), True))
    refi.Message = lambda *args, **kwargs: type("Message", (), {"exec": lambda self: None})()
    refi.RefiImport(app, _Log(), "qdpx")
    cur = conn.cursor()
    print("sources", cur.execute("select count(*) from source").fetchone()[0])
    print("codings by owner", cur.execute("select owner, count(*) from code_text group by owner").fetchall())
    print("cases", cur.execute("select count(*) from cases").fetchone()[0],
          "case_text", cur.execute("select count(*) from case_text").fetchone()[0])
    print("attributes", cur.execute("select count(*) from attribute").fetchone()[0])
    rows = cur.execute("select s.fulltext, c.pos0, c.pos1, c.seltext from code_text c "
                       "join source s on s.id = c.fid").fetchall()
    matching = sum(1 for text, start, end, selected in rows if text[start:end] == selected)
    print("selections whose text matches their positions", matching, "of", len(rows))


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]).resolve())
