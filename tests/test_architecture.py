"""The package's shape: imports point down the data flow, no cycles, every stage says what it may import.

The stages, in order, are errors/_version < sources < language < rules < coding < analysis < outputs
< web < cli < __main__ (see docs/architecture.md; ``python -m fritekst`` only starts the cli). A module may import its own stage or earlier ones: the web
workbench sits on the library, and the command line, outermost, may start it (``fritekst serve``);
the web package never imports the command line. Function-level imports count too: they may
defer a heavy library, never hide an upward edge or a cycle.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "fritekst"
#: Rank of each stage; a module may import a module of equal or lower rank.
STAGES = {"errors": 0, "_version": 0, "__init__": 0, "sources": 1, "language": 2, "rules": 3,
          "coding": 4, "analysis": 5, "outputs": 6, "web": 7, "cli": 8, "__main__": 9}
STAGE_PACKAGES = ["sources", "language", "rules", "coding", "analysis", "outputs", "cli", "web"]


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def _resolve(name: str, modules: dict[str, Path]) -> str | None:
    """The fritekst module an imported name belongs to (a module, or a package's ``__init__``)."""
    while name:
        if name in modules:
            return name
        name = name.rpartition(".")[0]
    return None


def _imports(module: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """Every fritekst module ``module`` imports, at module level or inside functions."""
    is_package = path.name == "__init__.py"
    package = module if is_package else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - (node.level - 1)]
                stem = ".".join(base + ([node.module] if node.module else []))
            else:
                stem = node.module or ""
            # ``from .pkg import module`` names a module; ``from .module import name`` names a value.
            targets = [f"{stem}.{alias.name}" if f"{stem}.{alias.name}" in modules else stem
                       for alias in node.names]
        for target in targets:
            if target.startswith("fritekst"):
                resolved = _resolve(target, modules)
                if resolved and resolved != module:
                    found.add(resolved)
    return found


def _stage(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: _imports(name, path, modules) for name, path in modules.items()}


def test_the_walker_sees_function_level_and_relative_imports(graph: dict[str, set[str]]) -> None:
    # cli/__init__ imports _version at module level; the lazy coder import of classify is function-level.
    assert "fritekst._version" in graph["fritekst.cli"]
    assert "fritekst.coding.classify" in graph["fritekst.coding.coder"]
    assert len(graph) > 40


def test_no_import_points_up_the_data_flow(graph: dict[str, set[str]]) -> None:
    upward = []
    for module, targets in graph.items():
        source = _stage(module)
        if source == "__init__":
            continue  # the top-level package re-exports the public API lazily (checked elsewhere)
        for target in targets:
            goal = _stage(target)
            if STAGES[goal] > STAGES[source]:
                upward.append(f"{module} -> {target}")
    assert upward == []


def test_no_import_cycles(graph: dict[str, set[str]]) -> None:
    cycles: list[list[str]] = []
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                cycles.append(stack[stack.index(target):] + [target])
            elif target not in state:
                visit(target)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)
    assert [" -> ".join(cycle) for cycle in cycles] == []


@pytest.mark.parametrize("stage", STAGE_PACKAGES)
def test_every_stage_says_what_it_owns_and_may_import(stage: str) -> None:
    init = PACKAGE / stage / "__init__.py"
    if not init.exists():
        pytest.skip(f"{stage}/ does not exist yet")
    docstring = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
    assert docstring, f"{init} has no module docstring"
    assert "May import" in docstring, f"{init}: docstring does not say what the stage may import"
    lower = [s for s, rank in STAGES.items() if rank < STAGES[stage] and s in STAGE_PACKAGES]
    named = [s for s in lower if f"fritekst.{s}" in docstring]
    # Naming the stage just below ("and every stage below it") or every lower stage both say it.
    if lower:
        assert named, f"{init}: 'May import' names none of the stages below ({', '.join(lower)})"


def test_no_module_uses_another_stages_private_names() -> None:
    # A name with a leading underscore may change with its module; what another stage needs has a
    # public home (the chart-picture cache once borrowed the codings cache's `_modes`/`_protect`).
    borrowed = []
    for path in sorted(PACKAGE.rglob("*.py")):
        stage = path.relative_to(PACKAGE).parts[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.ImportFrom) or not node.module:
                continue
            parts = node.module.split(".")
            target = parts[0] if node.level == 2 else (parts[1] if parts[0] == "fritekst" and len(parts) > 1 else None)
            if target is None or target == stage or node.level == 1:
                continue
            borrowed += [f"{path.relative_to(PACKAGE)}: {node.module}.{alias.name}" for alias in node.names
                         if alias.name.startswith("_") and not alias.name.startswith("__")]
    assert borrowed == []
