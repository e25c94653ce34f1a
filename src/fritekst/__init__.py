"""fritekst: qualitative coding of free-text survey answers.

Load answers into a corpus, code them against YAML codebooks with Norwegian-aware keyword rules and
scikit-learn classifier rules, summarise theme frequencies linked back to the numeric tables, and
export NVivo-like coding references.

The public API is what :data:`__all__` lists; everything else may change between releases. Names are
imported on first use (PEP 562), so ``import fritekst`` (and ``fritekst --help``) loads neither
pandas, spaCy nor scikit-learn. Writers take the path first, then what they write.

Examples
--------
>>> import fritekst
>>> project = fritekst.load_project(example / "fritekst.toml")
>>> corpus = fritekst.load_corpus(example / "corpus" / "svar.csv", "case_id", ["grunn_nei"])
>>> codebook = fritekst.load_codebook(example / "codebooks" / "ansette.yaml")
>>> codings = fritekst.code(corpus, [codebook])
>>> list(codings.columns)
['case_id', 'question', 'code_id', 'start', 'end', 'method', 'rule_id', 'score']
>>> frequencies = fritekst.summarise(corpus, codings, codebook, "grunn_nei",
...                                  asked_if={"planer_ansette": "Nei"}, year_column="aar")
>>> pooled = frequencies[(frequencies["year"] == "alle") & (frequencies["group_by"] == "alle")]
>>> pooled.set_index("code_id").loc["okonomi", ["n_group", "n_answered", "n_coded"]].astype(int).tolist()
[602, 506, 184]
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ._version import __version__

#: Public name → the module that defines it (imported on first use).
_EXPORTS = {
    "load_project": "fritekst.sources.project",
    "load_corpus": "fritekst.sources.corpus",
    "load_codebook": "fritekst.rules.codebook",
    "load_project_corpus": "fritekst.coding.coder",
    "code": "fritekst.coding.coder",
    "code_project": "fritekst.coding.coder",
    "read_codings": "fritekst.coding.codings_io",
    "summarise": "fritekst.analysis.summarise",
    "make_report": "fritekst.outputs.report",
    "write_refs_csv": "fritekst.coding.refs",
    "write_matrix_csv": "fritekst.coding.refs",
    "write_codings_csv": "fritekst.coding.codings_io",
    "write_report": "fritekst.outputs.report_files",
    "write_qdc": "fritekst.outputs.refi_qdc",
    "FritekstError": "fritekst.errors",
}
#: Public names whose definition has another name inside the library.
_RENAMED = {"code": "code_corpus"}

__all__ = ["__version__", *_EXPORTS]

if TYPE_CHECKING:  # for type checkers and editors; at run time __getattr__ imports on demand
    from .analysis.summarise import summarise
    from .coding.coder import code_corpus as code
    from .coding.coder import code_project, load_project_corpus
    from .coding.codings_io import read_codings, write_codings_csv
    from .coding.refs import write_matrix_csv, write_refs_csv
    from .errors import FritekstError
    from .outputs.refi_qdc import write_qdc
    from .outputs.report import make_report
    from .outputs.report_files import write_report
    from .rules.codebook import load_codebook
    from .sources.corpus import load_corpus
    from .sources.project import load_project


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'fritekst' has no attribute {name!r}")
    value = getattr(importlib.import_module(_EXPORTS[name]), _RENAMED.get(name, name))
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
