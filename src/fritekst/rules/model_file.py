"""Model files: saving and loading trained classifiers safely with skops.

A model file may come from a colleague or a download, so loading must never run code. ``pickle``
(and ``joblib``) would; skops does not, but it would still build any scikit-learn object it is told
is trusted. fritekst goes further: a model file holds *only* plain data (dicts, lists, strings,
numbers, numpy arrays), :func:`load_model` reads the file's schema first and refuses any other type
before building anything, and the classifier is rebuilt from that data by fritekst's own code.

Metadata saved with every model ties it to a codebook: loading with a codebook refuses a model
trained for another codebook, or for another version of it (the codebook hash differs), and says
what changed.

Examples
--------
>>> from fritekst.rules.codebook import load_codebook
>>> codebook = load_codebook(example / "codebooks" / "ansette.yaml")
>>> model = load_model(example / "codebooks" / "models" / "ansette.skops", codebook)
>>> len(model.codes), model.metadata["codebook"]["id"]
(12, 'ansette')
"""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path
from typing import Any

from .._version import __version__
from .classifier import AnswerClassifier, ClassifierModel
from ..errors import ModelError
from ..sources.tables import check_zip, atomic_write

#: Version of the model file layout; bump when :func:`save_model` changes what it writes.
MODEL_FORMAT = 1
#: The only types a model file may contain; anything else is refused before loading.
ALLOWED_TYPES = frozenset({
    "builtins.dict", "builtins.list", "builtins.tuple", "builtins.str", "builtins.int",
    "builtins.float", "builtins.bool", "builtins.NoneType", "numpy.ndarray", "numpy.float64",
    "numpy.int64", "numpy.int32", "numpy.bool_", "numpy.str_", "numpy.dtype"})


def save_model(model: ClassifierModel, path: str | os.PathLike[str]) -> None:
    """Write a model file with skops (plain data only), atomically."""
    import skops.io

    payload = {"fritekst_model": MODEL_FORMAT, "metadata": model.metadata,
               "classifier": model.classifier.get_state()}
    with atomic_write(path, "wb") as handle:
        skops.io.dump(payload, handle)


def load_model(path: str | os.PathLike[str], codebook: Any | None = None) -> ClassifierModel:
    """Load a model file, refusing anything that is not a plain-data fritekst model.

    Parameters
    ----------
    path : path-like
        A file written by :func:`save_model` (``fritekst train``).
    codebook : Codebook, optional
        When given, the model must have been trained for exactly this codebook (same hash).

    Raises
    ------
    ModelError
        One line: not found, not a skops file or corrupt, contains types other than plain data,
        not a fritekst model (missing metadata), from a newer fritekst, or trained for another codebook.
    """
    import skops.io

    path = Path(path)
    if not path.is_file():
        raise ModelError(f"{path}: model file not found; train one with `fritekst train` or fix the path",
                         code="E401")
    check_zip(path, "model file")  # sizes from the zip directory, before anything is inflated
    found = _types_in(path)
    foreign = sorted(found - ALLOWED_TYPES)
    if foreign:
        raise ModelError(f"{path}: model file contains types fritekst does not load ({', '.join(foreign[:3])}"
                         f"{', ...' if len(foreign) > 3 else ''}); loading them could run code, so only "
                         "plain-data models made by `fritekst train` are accepted; retrain it", code="E403")
    try:
        payload = skops.io.load(path, trusted=[])
    except Exception as exc:  # skops raises many types for damaged archives
        raise ModelError(f"{path}: model file is corrupt ({type(exc).__name__}: {exc}); "
                         "retrain it with `fritekst train`", code="E402") from exc
    if not isinstance(payload, dict) or "fritekst_model" not in payload or "metadata" not in payload:
        raise ModelError(f"{path}: not a fritekst model (no fritekst metadata); use a file made by "
                         "`fritekst train`", code="E402")
    if payload["fritekst_model"] != MODEL_FORMAT:
        raise ModelError(f"{path}: model format {payload['fritekst_model']} is not supported by fritekst "
                         f"{__version__} (format {MODEL_FORMAT}); retrain it or upgrade fritekst",
                         code="E404")
    metadata = payload["metadata"]
    missing = [key for key in ("codebook", "training", "settings", "thresholds")
               if not isinstance(metadata, dict) or key not in metadata]
    if missing:
        raise ModelError(f"{path}: model metadata lacks {', '.join(missing)}; retrain it with `fritekst train`",
                         code="E404")
    try:
        classifier = AnswerClassifier.from_state(payload["classifier"])
    except (KeyError, TypeError, ValueError) as exc:
        raise ModelError(f"{path}: model file is corrupt ({exc}); retrain it with `fritekst train`",
                         code="E402") from exc
    model = ClassifierModel(classifier, metadata, path=path)
    if codebook is not None:
        check_codebook(model, codebook)
    return model


def check_codebook(model: ClassifierModel, codebook: Any) -> None:
    """Raise :class:`ModelError` unless the model was trained for this codebook, unchanged."""
    trained_for = model.metadata["codebook"]
    where = model.path or "model"
    retrain = f"retrain it with codebook {codebook.path}"
    if trained_for.get("id") != codebook.id:
        raise ModelError(f"{where}: model was trained for codebook {trained_for.get('id')!r}, not "
                         f"{codebook.id!r} ({codebook.path}); use the right model or {retrain}", code="E405")
    if trained_for.get("sha256") == str(codebook.sha256):
        return
    old, new = list(trained_for.get("code_ids", [])), list(codebook.code_ids)
    added = [c for c in new if c not in old]
    removed = [c for c in old if c not in new]
    if added or removed:
        change = "; ".join(part for part in (f"codes added: {', '.join(added)}" if added else "",
                                             f"codes removed: {', '.join(removed)}" if removed else "") if part)
    else:
        change = "its codes, parents or keyword rules changed"
    raise ModelError(f"{where}: model was trained for another version of codebook {codebook.id!r} "
                     f"(hash {str(trained_for.get('sha256'))[:12]}, now {str(codebook.sha256)[:12]}: "
                     f"{change}); {retrain}", code="E405")


def _types_in(path: Path) -> set[str]:
    """Every type named in a skops file's schema, read without building any object."""
    try:
        with zipfile.ZipFile(path) as archive:
            schema = json.loads(archive.read("schema.json"))
    except (zipfile.BadZipFile, KeyError, json.JSONDecodeError, UnicodeDecodeError, OSError) as exc:
        raise ModelError(f"{path}: not a skops model file ({type(exc).__name__}); use a file made by "
                         "`fritekst train`", code="E402") from exc
    found: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if "__class__" in node and "__module__" in node:
                module = str(node["__module__"]).split(".")[0] if str(node["__module__"]).startswith("numpy") \
                    else node["__module__"]
                found.add(f"{module}.{node['__class__']}")
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(schema)
    return found
