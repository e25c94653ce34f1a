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
import ast, builtins, os, sqlite3, sys, tempfile
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
src, qdpx = sys.argv[1], os.path.abspath(sys.argv[2])
sys.path.insert(0, src)
builtins._ = lambda s: s
from PyQt6 import QtWidgets
qapp = QtWidgets.QApplication([])
# The project tables: the CREATE TABLE statements of QualCoder's new-project function, read from its source.
tree = ast.parse(open(os.path.join(src, "qualcoder", "__main__.py"), encoding="utf-8").read())
creates = [n.args[0].value for n in ast.walk(tree) if isinstance(n, ast.Call) and getattr(n.func, "attr", "") == "execute"
           and n.args and isinstance(n.args[0], ast.Constant) and isinstance(n.args[0].value, str)
           and n.args[0].value.startswith("CREATE TABLE")]
from qualcoder import refi
work = tempfile.mkdtemp()
conn = sqlite3.connect(os.path.join(work, "data.qda"))
seen = set()
for sql in creates:
    name = sql.split()[2]
    if name not in seen:
        seen.add(name); conn.execute(sql)
class Events:
    def emit_table_changes(self, *a, **k): pass
class App:
    pass
app = App()
app.conn = conn; app.project_path = work; app.project_name = "qc"; app.version = "test"
app.settings = {"directory": os.path.dirname(qdpx), "codername": "default", "showids": False, "ai_enable": "False"}
app.project_events = Events(); app.write_config_ini = lambda *a, **k: None
app.get_annotations = lambda: []; app.ai = None; app.ai_models = []
for d in ("documents", "images", "audio", "video"): os.makedirs(os.path.join(work, d), exist_ok=True)
class Log:
    def append(self, text): pass
QtWidgets.QFileDialog.getOpenFileName = staticmethod(lambda *a, **k: (qdpx, True))
refi.Message = lambda *a, **k: type("M", (), {"exec": lambda self: None})()
refi.RefiImport(app, Log(), "qdpx")
cur = conn.cursor()
print("sources", cur.execute("select count(*) from source").fetchone()[0])
print("codings by owner", cur.execute("select owner, count(*) from code_text group by owner").fetchall())
print("cases", cur.execute("select count(*) from cases").fetchone()[0], "case_text", cur.execute("select count(*) from case_text").fetchone()[0])
print("attributes", cur.execute("select count(*) from attribute").fetchone()[0])
bad = 0; rows = cur.execute("select s.fulltext, c.pos0, c.pos1, c.seltext from code_text c join source s on s.id=c.fid").fetchall()
for text, p0, p1, sel in rows:
    bad += text[p0:p1] != sel
print("selections whose text matches their positions", len(rows) - bad, "of", len(rows))
