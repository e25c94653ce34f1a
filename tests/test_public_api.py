"""The declared public API: lazy, complete, and cheap to import."""

from __future__ import annotations

import subprocess
import sys

import fritekst

HEAVY = ("pandas", "spacy", "sklearn", "numpy", "scipy", "skops", "openpyxl")


def _loaded_after(statement: str) -> list[str]:
    code = (f"import sys\n{statement}\n"
            f"print(' '.join(m for m in {HEAVY!r} if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return result.stdout.split()


def test_importing_the_package_and_the_cli_loads_nothing_heavy() -> None:
    assert _loaded_after("import fritekst") == []
    assert _loaded_after("import fritekst.cli") == []


def test_the_first_use_of_a_name_imports_it() -> None:
    assert _loaded_after("import fritekst\nfritekst.load_corpus") == ["pandas", "numpy"]


def test_every_public_name_resolves_and_is_documented() -> None:
    assert fritekst.__all__[0] == "__version__"
    for name in fritekst.__all__[1:]:
        value = getattr(fritekst, name)
        assert value.__doc__, f"fritekst.{name} has no docstring"
    assert set(fritekst.__all__) <= set(dir(fritekst))


def test_an_unknown_name_is_an_attribute_error() -> None:
    try:
        fritekst.no_such_thing  # noqa: B018
    except AttributeError as exc:
        assert str(exc) == "module 'fritekst' has no attribute 'no_such_thing'"
    else:
        raise AssertionError("no AttributeError")
