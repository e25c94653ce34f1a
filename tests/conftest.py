"""Shared by the test modules: the real CLI through click's runner (``from conftest import invoke``),
the same CLI in a fresh interpreter to see what a command imports (``modules_after``), and the
``project`` fixture, a fresh copy of the small report project in tests/data/report."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result


def invoke(command: click.Command, *args: object, env: Mapping[str, str] | None = None) -> Result:
    """Run a click command (or group) as a user would: arguments as text, stdout and stderr apart.

    A wide terminal keeps rich from wrapping lines; an exception other than the CLI's own exit is
    a bug, so it fails the test here with its traceback instead of hiding in ``result.exception``.
    """
    result = CliRunner().invoke(command, [str(a) for a in args], env={"COLUMNS": "200", **(env or {})})
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


REPO = Path(__file__).parent.parent
REPORT_PROJECT = Path(__file__).parent / "data" / "report"


def train_mini_model(settings: Mapping[str, object] | None = None, source: str = "") -> dict[str, object]:
    """The classifier tests' common start: the mini corpus of ``tests/data/classifier`` coded by its
    keyword rules, and a model trained on its ``train`` split with ``cv=3``, ``random_state=7`` and
    ``settings``. Returns the codebook, corpus, keyword codings, gold, both splits and the model."""
    from fritekst.coding.coder import code_corpus
    from fritekst.coding.codings_io import read_codings, read_scope
    from fritekst.rules.classifier import train_model
    from fritekst.rules.codebook import load_codebook
    from fritekst.sources.corpus import load_corpus

    data = Path(__file__).resolve().parent / "data" / "classifier"
    codebook = load_codebook(data / "kodebok.yaml")
    corpus = load_corpus(data / "svar.csv", "case_id", ["grunn"])
    keyword = code_corpus(corpus, [codebook])
    gold = read_codings(data / "gull.csv", code_ids=codebook.code_ids)
    train = read_scope(data / "split.csv", "train")
    model = train_model(corpus.answers, gold, codebook, keyword_codings=keyword, scope=train,
                        settings={"cv": 3, "random_state": 7, **(settings or {})}, source=source)
    return {"codebook": codebook, "corpus": corpus, "keyword": keyword, "gold": gold, "train": train,
            "heldout": read_scope(data / "split.csv", "heldout"), "model": model}


def keyword_codes(codebook_path: Path, question: str, texts: list[str]) -> dict[str, set[str]]:
    """The codes a codebook's keyword rules give each text, answered as ``question`` (the rule tests'
    common step: one small corpus, coded once per module)."""
    import pandas as pd

    from fritekst.coding.coder import code_corpus
    from fritekst.rules.codebook import load_codebook
    from fritekst.sources.corpus import Corpus

    rows = [(str(i), question, text) for i, text in enumerate(texts)]
    answers = pd.DataFrame(rows, columns=["case_id", "question", "text"])
    corpus = Corpus(cases=answers[["case_id"]], answers=answers, questions=[question],
                    source=Path(__file__).resolve().parent)
    codings = code_corpus(corpus, [load_codebook(codebook_path)], classifiers=False)
    return {text: set(codings.loc[codings["case_id"] == case_id, "code_id"]) for case_id, _, text in rows}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """``fritekst.toml`` of a fresh copy of tests/data/report (without any codings cache it holds).

    Modules that need another project (test_web_api, test_code_pipeline, test_readme_tour) define
    their own ``project`` fixture, which takes precedence there.
    """
    folder = tmp_path / "prosjekt"
    shutil.copytree(REPORT_PROJECT, folder, ignore=shutil.ignore_patterns(".fritekst"))
    return folder / "fritekst.toml"


# Runs the CLI, then reports its exit code, every imported module and whether simplemma loaded a
# whole dictionary, on stderr lines the caller picks out from the command's own output.
_PROBE = """import sys
from fritekst.cli import main
code = 0
try:
    main(sys.argv[1:], prog_name='fritekst')
except SystemExit as exc:
    code = exc.code or 0
factory = sys.modules.get('simplemma.strategies.dictionaries.dictionary_factory')
whole = factory is not None and bool(factory.DEFAULT_DICTIONARY_FACTORY._get_dictionary.cache_info().currsize)
print('EXIT=' + str(code), file=sys.stderr)
print('DICTIONARIES=' + str(int(whole)), file=sys.stderr)
print('MODULES=' + ','.join(sorted(sys.modules)), file=sys.stderr)
"""


class Probe:
    """What one fresh-interpreter run of the CLI did."""

    def __init__(self, done: subprocess.CompletedProcess[str]) -> None:
        found = {line.split("=", 1)[0]: line.split("=", 1)[1] for line in done.stderr.splitlines()
                 if line.split("=", 1)[0] in ("EXIT", "DICTIONARIES", "MODULES")}
        assert set(found) == {"EXIT", "DICTIONARIES", "MODULES"}, done.stderr
        self.done = done
        self.stdout = done.stdout
        self.exit_code = int(found["EXIT"])
        self.dictionaries_loaded = found["DICTIONARIES"] == "1"
        self.modules = set(found["MODULES"].split(","))

    def top_level(self, names: tuple[str, ...]) -> list[str]:
        """Which of these packages were imported (any of their modules), sorted."""
        return sorted({m.split(".")[0] for m in self.modules} & set(names))


def modules_after(*args: str, timeout: int = 300) -> Probe:
    """Run ``fritekst ARGS`` in a fresh interpreter on this checkout's source and report what it imported."""
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    return Probe(subprocess.run([sys.executable, "-c", _PROBE, *args], capture_output=True, text=True,
                                cwd=REPO, env=env, timeout=timeout))
