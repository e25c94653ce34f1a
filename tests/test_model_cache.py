"""The coder reads a model file once per process and again only when the file changes; the binding
to the codebook (its current keyword rules, its staleness warning) happens on every load.
"""

from __future__ import annotations

import os
import shutil
import warnings
from pathlib import Path

import pytest

from fritekst.coding import classify
from fritekst.errors import ModelWarning
from fritekst.rules.codebook import load_codebook
from fritekst.rules.fitted import keyword_specs
from fritekst.rules.model_file import load_model

SHIPPED = Path(__file__).parent.parent / "codebooks"
# One keyword added to a rule of the shipped codebook.
RULE = '- id: tilskudd_ord\n        keywords: ['


@pytest.fixture
def book(tmp_path: Path) -> Path:
    (tmp_path / "models").mkdir()
    shutil.copy(SHIPPED / "ansette.yaml", tmp_path / "ansette.yaml")
    shutil.copy(SHIPPED / "models" / "ansette.skops", tmp_path / "models" / "ansette.skops")
    return tmp_path / "ansette.yaml"


def test_a_model_is_read_once_and_bound_to_the_codebook_as_it_is_now(book: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    reads: list[Path] = []

    def counting(path: Path, codebook: object = None) -> object:
        reads.append(Path(path))
        return load_model(path, codebook)

    monkeypatch.setattr(classify, "_READ_MODELS", {})
    monkeypatch.setattr(classify, "load_model", counting)
    model_file = book.parent / "models" / "ansette.skops"
    steps = [
        # (what happens first, file reads so far, warns that the model is older than the codebook)
        ("as shipped", 1, False),
        ("as shipped", 1, False),
        ("keyword added", 1, True),
        ("model rewritten", 2, True),
    ]
    for step, n_reads, stale in steps:
        if step == "keyword added":
            text = book.read_text(encoding="utf-8")
            assert text.count(RULE) == 1
            book.write_text(text.replace(RULE, RULE + '"statstilskotet", '), encoding="utf-8")
        if step == "model rewritten":
            shutil.copy(SHIPPED / "models" / "ansette.skops", model_file)
            os.utime(model_file, ns=(1, 1))
        codebook = load_codebook(book)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            model = classify.load_codebook_model(model_file, codebook)
        assert len(reads) == n_reads, step
        assert [("its keyword rules changed" in str(w.message)) for w in caught
                if issubclass(w.category, ModelWarning)] == ([True] if stale else []), step
        assert model.rule_specs == keyword_specs(codebook), step
        assert model.path == model_file
    assert reads == [model_file, model_file]
