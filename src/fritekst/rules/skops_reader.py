"""Reading a plain-data skops file without importing skops (or, through it, scikit-learn).

A skops file is a zip archive: ``schema.json`` describes the object tree, and each numpy array is
a ``.npy`` member. fritekst's model files hold only plain data (see :mod:`fritekst.rules.model_file`),
which takes a handful of node kinds to describe; this module reads exactly those and nothing else.
``import skops.io`` costs about 2.5 s of CPU, because it builds its registry of trusted types by
importing every scikit-learn estimator; reading the same file here costs milliseconds.

Why not a derived copy in ``~/.cache`` instead: the model file already holds nothing but arrays and
JSON, so reading it directly is as fast as a copy would be, with no second file to build, keep in
step, secure against tampering or clean up.

Safety: nothing is unpickled (``numpy.load`` with ``allow_pickle=False``) and no type is looked up
by name; a node of any other kind, class or shape makes :func:`read_plain_skops` give up with
:class:`UnreadableNode`, and the caller falls back to skops itself (with its own checks). The schema
protocol must be one this module was written against (:data:`PROTOCOLS`).
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import numpy as np

#: skops schema protocols whose plain-data nodes this reader knows (skops 0.10–0.16 write 2).
PROTOCOLS = frozenset({2})
#: numpy scalar types a plain-data model may hold (saved by skops as 0-d ``.npy`` members).
NUMPY_SCALARS: dict[str, type] = {"float64": np.float64, "int64": np.int64, "int32": np.int32,
                                  "bool_": np.bool_, "str_": np.str_}
#: Types a dict key may have (skops stores keys as JSON strings plus a type per key).
KEY_TYPES: dict[str, type] = {"str": str, "int": int}


class UnreadableNode(ValueError):
    """The file holds something this reader does not read (then skops itself must)."""


def read_plain_skops(path: str | Path) -> Any:
    """The object tree of a plain-data skops file: dicts, lists, tuples, JSON values, numpy arrays.

    Raises
    ------
    UnreadableNode
        The schema's protocol, or any node, is not one of the plain-data kinds read here.
    zipfile.BadZipFile, KeyError, json.JSONDecodeError, OSError, ValueError
        The archive or one of its members is damaged.
    """
    with zipfile.ZipFile(path) as archive:
        schema = json.loads(archive.read("schema.json"))
        if not isinstance(schema, dict) or schema.get("protocol") not in PROTOCOLS:
            raise UnreadableNode(f"schema protocol {schema.get('protocol') if isinstance(schema, dict) else '?'}")
        return _Reader(archive).node(schema)


class _Reader:
    def __init__(self, archive: zipfile.ZipFile) -> None:
        self.archive = archive

    def node(self, node: Any) -> Any:
        if not isinstance(node, dict):
            raise UnreadableNode(f"a node that is a {type(node).__name__}")
        kind = (node.get("__module__"), node.get("__class__"), node.get("__loader__"))
        if kind == ("builtins", "dict", "DictNode"):
            content, key_types = node["content"], self.node(node["key_types"])
            if not isinstance(content, dict) or not isinstance(key_types, list) or len(key_types) != len(content):
                raise UnreadableNode("a dict whose keys and key types disagree")
            return {key_type(key): self.node(value) for key_type, (key, value) in zip(key_types, content.items())}
        if kind in (("builtins", "list", "ListNode"), ("builtins", "tuple", "TupleNode")):
            if not isinstance(node["content"], list):
                raise UnreadableNode("a list without items")
            items = [self.node(value) for value in node["content"]]
            return items if kind[1] == "list" else tuple(items)
        if kind == ("builtins", "str", "JsonNode") and node.get("is_json") is True:
            return json.loads(node["content"])
        if kind[0] == "builtins" and kind[2] == "TypeNode" and kind[1] in KEY_TYPES:
            return KEY_TYPES[kind[1]]
        if kind[0] == "numpy" and kind[2] == "NdArrayNode" and node.get("type") == "numpy":
            array = self._array(str(node["file"]))
            if kind[1] == "ndarray":
                return array
            if kind[1] in NUMPY_SCALARS:
                return NUMPY_SCALARS[kind[1]](array)
        raise UnreadableNode(f"a {kind[0]}.{kind[1]} node ({kind[2]})")

    def _array(self, name: str) -> np.ndarray:
        if not name.endswith(".npy") or "/" in name:
            raise UnreadableNode(f"an array member named {name!r}")
        array = np.load(io.BytesIO(self.archive.read(name)), allow_pickle=False)
        if not isinstance(array, np.ndarray):
            raise UnreadableNode(f"member {name!r} is not a single array")
        return array
