"""Model files: saving and loading trained classifiers safely with skops.

A model file may come from a colleague or a download, so loading must never run code. ``pickle``
(and ``joblib``) would; skops does not, but it would still build any scikit-learn object it is told
is trusted. fritekst goes further: a model file holds *only* plain data (dicts, lists, strings,
numbers, numpy arrays), :func:`load_model` reads the file's schema first and refuses any other type
before building anything, and the classifier is rebuilt from that data by fritekst's own code.
Applying a model imports neither skops nor scikit-learn: the plain data is read straight from the
archive (:mod:`fritekst.rules.skops_reader`) into a :class:`~fritekst.rules.fitted.FittedClassifier`.

Metadata saved with every model ties it to a codebook *and its code ids*, not to its keyword rules:
loading with a codebook refuses only a model trained for another codebook. A model trained before
the codebook's keyword rules or codes changed still codes, with a :class:`~fritekst.errors.ModelWarning`
that it is older than the rules (editing keywords is the researcher's main loop and must never
break coding); it predicts only the codes the codebook still has. :func:`model_problems` lists every
problem of a codebook's models for ``fritekst check``.

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
import warnings
from dataclasses import replace
import zipfile
from pathlib import Path
from typing import Any

from .._version import __version__
from .fitted import ClassifierModel, FittedClassifier, keyword_specs
from ..errors import FritekstError, ModelError, ModelWarning
from ..sources.tables import atomic_write, check_zip

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
    payload = _read_payload(path)
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
        classifier = FittedClassifier.from_state(payload["classifier"])
    except (KeyError, TypeError, ValueError) as exc:
        raise ModelError(f"{path}: model file is corrupt ({exc}); retrain it with `fritekst train`",
                         code="E402") from exc
    model = ClassifierModel(classifier, metadata, path=path)
    return model if codebook is None else bind_to_codebook(model, codebook)


def bind_to_codebook(model: ClassifierModel, codebook: Any) -> ClassifierModel:
    """A copy of ``model`` that reads ``codebook``'s keyword rules as they are now, warning if it is stale.

    The near-miss features come from the codebook's current rules, not from those the model was
    trained with; a model older than its codebook's rules, or trained for other codes, is said in a
    :class:`ModelWarning` (never an error: editing a keyword must not break coding). The model read
    from the file is left as it is, so one read can serve several bindings (the workbench's re-codes).
    """
    bound = replace(model, rule_specs=keyword_specs(codebook))
    for note in check_codebook(bound, codebook):
        warnings.warn(note, ModelWarning, stacklevel=3)
    return bound


def _read_payload(path: Path) -> Any:
    """The plain data in a model file: read directly (fast), or by skops for anything unusual.

    Applying a model must not import skops: its import alone costs ~2.5 s (it imports every
    scikit-learn estimator). :func:`~fritekst.rules.skops_reader.read_plain_skops` reads what
    :func:`save_model` writes; a file it does not recognise (another skops protocol, a node kind
    :func:`save_model` never writes) is read by skops as before, after the same type check.
    """
    from .skops_reader import UnreadableNode, read_plain_skops

    try:
        return read_plain_skops(path)
    except UnreadableNode:
        pass
    except Exception as exc:  # a damaged archive or member
        raise ModelError(f"{path}: model file is corrupt ({type(exc).__name__}: {exc}); "
                         "retrain it with `fritekst train`", code="E402") from exc
    import skops.io

    try:
        return skops.io.load(path, trusted=[])
    except Exception as exc:  # skops raises many types for damaged archives
        raise ModelError(f"{path}: model file is corrupt ({type(exc).__name__}: {exc}); "
                         "retrain it with `fritekst train`", code="E402") from exc


def check_codebook(model: ClassifierModel, codebook: Any) -> list[str]:
    """Bind a model to a codebook by its code ids; return what is out of date (warnings).

    Raises :class:`ModelError` only when the model belongs to another codebook (another id). A
    changed keyword rule, a code added or removed gives a warning: the model predicts the codes it
    learned that the codebook still has.
    """
    trained_for = model.metadata["codebook"]
    where = model.path or "model"
    retrain = f"retrain it with codebook {codebook.path}"
    if trained_for.get("id") != codebook.id:
        raise ModelError(f"{where}: model was trained for codebook {trained_for.get('id')!r}, not "
                         f"{codebook.id!r} ({codebook.path}); use the right model or {retrain}", code="E405")
    if trained_for.get("sha256") == str(codebook.sha256):
        return []
    old, new = list(trained_for.get("code_ids", [])), list(codebook.code_ids)
    added = [c for c in new if c not in old]
    removed = [c for c in old if c not in new]
    parts = []
    if added:
        parts.append(f"codes added since: {', '.join(added)} (the model does not predict them)")
    if removed:
        parts.append(f"codes removed since: {', '.join(removed)} (their predictions are dropped)")
    change = "; ".join(parts) or "its keyword rules changed"
    return [f"{where}: model is older than codebook {codebook.id!r} ({change}); it still codes, "
            f"but {retrain} to learn from the current rules"]


def model_paths(codebook: Any) -> list[Path]:
    """Every model file a codebook names (see :meth:`fritekst.rules.codebook.Codebook.model_paths`)."""
    return list(codebook.model_paths())


def model_problems(codebook: Any) -> tuple[list[FritekstError], list[str]]:
    """Every problem of a codebook's models, before any coding: ``(errors, warnings)``.

    Errors: a model file missing, unreadable or for another codebook, a classifier rule for a code
    its model has not learned. Warnings: a model older than the codebook's rules or codes. The
    errors are the exceptions themselves, so ``fritekst check`` shows each with its code (it printed
    them without one, while ``fritekst code`` showed the same problem as ``… [E405]``).
    """
    errors: list[FritekstError] = []
    notes: list[str] = []
    for path in model_paths(codebook):
        try:
            model = load_model(path)
            notes.extend(check_codebook(model, codebook))
        except FritekstError as exc:
            errors.append(exc)
            continue
        for rule in codebook.rules("classifier"):
            if Path(rule.classifier) == path and rule.code_id not in model.codes:
                reason = model.metadata.get("skipped_codes", {}).get(rule.code_id, "not in the model")
                errors.append(ModelError(f"{codebook.path}:{rule.line}: rule {rule.id!r} uses {path.name}, which "
                                         f"has not learned code {rule.code_id!r} ({reason}); hand-code more "
                                         "examples and retrain, or remove the rule", code="E406"))
    return errors, notes


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
