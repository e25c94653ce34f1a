"""The workbench's re-code after a one-keyword codebook edit, timed on a copy of the shipped example.

A copy of the example project (``fritekst.toml``, the corpus and published table it names, the two
codebooks and their models) goes to a temporary folder; a :class:`~fritekst.web.workspace.Workspace`
is opened on it and served through Starlette's in-process TestClient. Each timed ``POST /api/recode``
follows a new edit of ``codebooks/ansette.yaml`` (one keyword of the funding rules removed,
a different one each time), so no re-code finds its codings in the project's cache: each codes the
codebook's three questions again. The first re-code (an edit of its own) warms the process up and is
not timed.

    PYTHONPATH=src python benchmarks/workbench_recode.py [--profile] [--json OUT]

Prints each re-code's milliseconds and their median (and with ``--profile`` the cProfile of the
same calls made in-process, ``fritekst.web.loop.recode``); ``--json`` writes the answers, to compare
two trees' (they must be identical).
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import shutil
import statistics
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KEYWORDS = ['"*tilskot*", ', '"prosjektmidl*", ', '"statsforvalter*", ', '"fått midler", ', '"hdir", ',
            '"husbank*", ', '"tildelt*", ', '"imdi", ', '"skjønnsmidl*", ']


def copy_example(folder: Path) -> Path:
    (folder / "corpus").mkdir(parents=True)
    shutil.copy(ROOT / "fritekst.toml", folder)
    for name in ("svar.csv", "tabell_14_6.csv"):
        shutil.copy(ROOT / "corpus" / name, folder / "corpus")
    shutil.copytree(ROOT / "codebooks" / "models", folder / "codebooks" / "models")
    for name in ("ansette.yaml", "recovery.yaml"):
        shutil.copy(ROOT / "codebooks" / name, folder / "codebooks")
    return folder / "fritekst.toml"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    warnings.simplefilter("ignore")  # the model is older than the edited codebook, as it should be
    from starlette.testclient import TestClient

    from fritekst.web.app import TOKEN_HEADER, create_app
    from fritekst.web.loop import recode
    from fritekst.web.workspace import Workspace

    with tempfile.TemporaryDirectory() as tmp:
        project = copy_example(Path(tmp) / "example")
        workspace = Workspace(project, "bench")
        client = TestClient(create_app(workspace, "t"), headers={TOKEN_HEADER: "t"})
        book = project.parent / "codebooks" / "ansette.yaml"
        original = book.read_text(encoding="utf-8")
        edits = [original.replace(keyword, "", 1) for keyword in KEYWORDS]
        assert all(edit != original for edit in edits)
        book.write_text(edits[0], encoding="utf-8")
        client.post("/api/recode")
        profile = cProfile.Profile() if args.profile else None
        times, answers = [], []
        for edit in edits[1:]:
            book.write_text(edit, encoding="utf-8")
            start = time.perf_counter()
            if profile is not None:
                answers.append(profile.runcall(recode, workspace))
            else:
                answers.append(client.post("/api/recode").json())
            times.append((time.perf_counter() - start) * 1000)
    print("re-code ms:", " ".join(f"{t:.0f}" for t in times), f"median {statistics.median(times):.0f}")
    if args.json:
        args.json.write_text(json.dumps(answers, sort_keys=True), encoding="utf-8")
    if profile is not None:
        pstats.Stats(profile).sort_stats("cumulative").print_stats(40)


if __name__ == "__main__":
    main()
