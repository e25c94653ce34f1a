"""Applying a model without scikit-learn or skops: the direct reader of model files gives exactly
what skops gives, predictions equal scikit-learn's, and damaged or hostile files are refused."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import skops.io
from sklearn.linear_model import LogisticRegression

from conftest import modules_after

from fritekst.coding.coder import keyword_codings, load_project_codebooks, load_project_corpus
from fritekst.errors import ModelError
from fritekst.rules.features import make_units
from fritekst.rules.fitted import FittedClassifier
from fritekst.rules.model_file import load_model
from fritekst.rules.skops_reader import UnreadableNode, read_plain_skops
from fritekst.sources.project import load_project

REPO = Path(__file__).resolve().parent.parent
SHIPPED = {"ansette": REPO / "codebooks" / "models" / "ansette.skops",
           "recovery": REPO / "codebooks" / "models" / "recovery.skops"}


def same(a: Any, b: Any) -> bool:
    """Deep equality that also compares types, dtypes and shapes (NaN equals NaN)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, np.ndarray):
        return a.dtype == b.dtype and a.shape == b.shape and np.array_equal(a, b, equal_nan=a.dtype.kind == "f")
    return bool(a == b or (a != a and b != b))


@pytest.mark.parametrize("name", sorted(SHIPPED))
def test_direct_reader_gives_what_skops_gives(name):
    assert same(read_plain_skops(SHIPPED[name]), skops.io.load(SHIPPED[name], trusted=[]))


@pytest.fixture(scope="module")
def shipped_units():
    """The shipped example's answers as each model's units, with their keyword hits."""
    project = load_project(REPO / "fritekst.toml")
    corpus = load_project_corpus(project)
    books = load_project_codebooks(project)
    out = {}
    for name, book in books.items():
        questions = [q.column for q in project.questions if q.codebook == name]
        answers = corpus.answers[corpus.answers["question"].isin(questions)].reset_index(drop=True)
        model = load_model(SHIPPED[name], book)
        unit = model.metadata["training"]["unit"]
        units = make_units(answers, keyword_codings(corpus, book), unit)
        X = units.X if model.classifier.features_.uses_keywords else units.X.drop(columns="keywords")
        out[name] = (model, X)
    return out


@pytest.mark.parametrize("name", sorted(SHIPPED))
def test_predictions_equal_scikit_learns_on_the_shipped_example(shipped_units, name):
    model, X = shipped_units[name]
    assert isinstance(model.classifier, FittedClassifier)
    proba = model.classifier.predict_proba(X)
    features = model.classifier.features_.transform(X["text"].tolist(), X["question"].tolist(),
                                                    X["keywords"].tolist() if "keywords" in X else None)
    assert proba.shape == (len(X), len(model.classifier.classes_)) and len(X) > 300
    checked = 0
    for j, trained in enumerate(model.classifier.trained_):
        if not trained:
            assert (proba[:, j] == 0).all()
            continue
        reference = LogisticRegression()
        reference.classes_ = np.array([0, 1])
        reference.coef_ = model.classifier.coef_[j:j + 1]
        reference.intercept_ = model.classifier.intercept_[j:j + 1]
        # the model's Platt scaling applies to scikit-learn's decision function
        slope, offset = model.classifier.calibration_[j]
        expected = 1.0 / (1.0 + np.exp(-(reference.decision_function(features) * slope + offset)))
        np.testing.assert_allclose(proba[:, j], expected, rtol=0, atol=1e-9)
        checked += 1
    assert checked >= 5


def _rewrite(source: Path, target: Path, change) -> None:
    """Copy a model file, letting ``change(name, data)`` replace members' bytes."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            new.writestr(info.filename, change(info.filename, old.read(info.filename)))


def test_a_pickled_array_is_refused_never_unpickled(tmp_path):
    path = tmp_path / "pickle.skops"
    hostile = tmp_path / "ran"

    class Boom:
        def __reduce__(self):
            return (Path.touch, (hostile,))

    def change(name: str, data: bytes) -> bytes:
        if not name.endswith(".npy"):
            return data
        import io
        buffer = io.BytesIO()
        np.save(buffer, np.array([Boom()], dtype=object), allow_pickle=True)
        return buffer.getvalue()

    _rewrite(SHIPPED["ansette"], path, change)
    with pytest.raises(ModelError, match=r"model file is corrupt \(ValueError.*allow_pickle") as info:
        load_model(path)
    assert "\n" not in str(info.value) and not hostile.exists()


def test_a_damaged_array_member_is_one_line_error(tmp_path):
    path = tmp_path / "damaged.skops"
    _rewrite(SHIPPED["ansette"], path, lambda name, data: data[:40] if name.endswith(".npy") else data)
    with pytest.raises(ModelError, match="model file is corrupt") as info:
        load_model(path)
    assert "\n" not in str(info.value)


def test_an_unfamiliar_node_goes_to_skops_and_its_checks(tmp_path):
    # A node kind fritekst's writer never produces is not guessed at: the reader gives up ...
    path = tmp_path / "odd.skops"

    def change(name: str, data: bytes) -> bytes:
        if name != "schema.json":
            return data
        schema = json.loads(data)
        schema["content"]["fritekst_model"] = {"__class__": "set", "__module__": "builtins",
                                               "__loader__": "SetNode", "content": [], "__id__": 1}
        return json.dumps(schema).encode()

    _rewrite(SHIPPED["ansette"], path, change)
    with pytest.raises(UnreadableNode, match="builtins.set"):
        read_plain_skops(path)
    # ... and load_model refuses the type before anything is built (a set is not plain data here).
    with pytest.raises(ModelError, match="types fritekst does not load"):
        load_model(path)


def test_another_schema_protocol_is_not_read_directly(tmp_path):
    path = tmp_path / "future.skops"

    def change(name: str, data: bytes) -> bytes:
        if name != "schema.json":
            return data
        return json.dumps({**json.loads(data), "protocol": 99}).encode()

    _rewrite(SHIPPED["ansette"], path, change)
    with pytest.raises(UnreadableNode, match="protocol 99"):
        read_plain_skops(path)


def test_cold_code_on_the_shipped_example_imports_no_sklearn_or_skops(tmp_path):
    probe = modules_after("code", "--project", str(REPO / "fritekst.toml"), "--no-cache",
                          "--out", str(tmp_path / "refs.csv"))
    assert probe.exit_code == 0, probe.done.stderr
    assert "Skrev" in probe.stdout, probe.done.stderr  # the summary, in Norwegian by default
    assert "classifier" in (tmp_path / "refs.csv").read_text(encoding="utf-8-sig")  # the models did code
    assert probe.top_level(("sklearn", "skops")) == []
    assert sorted(m for m in probe.modules if m.startswith("scipy.stats")) == []


def test_checking_a_codebook_with_a_model_imports_no_sklearn_or_skops():
    book = str(REPO / "codebooks" / "ansette.yaml")
    probe = modules_after("check", book)
    assert probe.exit_code == 0, probe.done.stderr
    assert probe.stdout.startswith(f"{book}: ok"), probe.stdout + probe.done.stderr
    assert probe.top_level(("sklearn", "skops")) == []
