"""The output-over-input guard: no command ever writes over a file it reads.

Every command collects all its inputs (the files named on the command line *and* those the project
file names: the project file itself, corpus, codebooks, hand codings, published tables, model files)
and all its outputs, and calls :func:`check_outputs` before it reads the corpus or writes anything.
A clash is found by resolved path (``a/../b``, symbolic links) and by file identity (device and
inode through :func:`os.path.samefile`, which also catches hard links and case-insensitive file
systems).

Examples
--------
>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> corpus = folder / "svar.csv"
>>> _ = corpus.write_text("id,svar\\n1,ja\\n")
>>> check_outputs([corpus], [folder / "refs.csv"])  # fine: nothing raised
>>> check_outputs([corpus], [folder / "." / "svar.csv"])
Traceback (most recent call last):
...
fritekst.errors.OutputError: ...svar.csv: is an input of this run and would be overwritten; choose another output path
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..errors import OutputError

PathLike = str | os.PathLike[str]


def same_file(a: PathLike, b: PathLike) -> bool:
    """Whether ``a`` and ``b`` name one file: equal resolved paths, or the same inode when both exist."""
    first, second = Path(a), Path(b)
    try:
        if first.resolve() == second.resolve():
            return True
    except (OSError, RuntimeError):  # a symlink loop resolves to nothing; compare inodes only
        pass
    try:
        return first.exists() and second.exists() and os.path.samefile(first, second)
    except OSError:
        return False


def check_outputs(inputs: Iterable[PathLike | None], outputs: Iterable[PathLike | None]) -> None:
    """Refuse outputs that would overwrite an input, each other, or a folder.

    Parameters
    ----------
    inputs : iterable of path-like or None
        Every file the run reads (``None`` entries are skipped, so optional arguments can be passed).
    outputs : iterable of path-like or None
        Every file the run writes.

    Raises
    ------
    OutputError
        One line naming the output: it is an input (directly or through a link), two outputs are one
        file, the output is an existing folder, or its folder does not exist.
    """
    sources = [Path(p) for p in inputs if p is not None]
    targets = [Path(p) for p in outputs if p is not None]
    for index, target in enumerate(targets):
        if target.is_dir():
            raise OutputError(f"{target}: is a folder; expected a file path to write, e.g. "
                              f"{target / 'refs.csv'}", code="E502")
        parent = target.parent if str(target.parent) else Path(".")
        if not parent.is_dir():
            raise OutputError(f"{target}: folder {parent} does not exist; create it or choose another path", code="E501")
        for source in sources:
            if same_file(target, source):
                shown = f" ({source})" if str(source) != str(target) else ""
                raise OutputError(f"{target}: is an input of this run{shown} and would be overwritten; "
                                  "choose another output path", code="E503")
        for other in targets[:index]:
            if same_file(target, other):
                raise OutputError(f"{target}: two outputs of this run name the same file ({other}); "
                                  "give them different names", code="E503")


def check_output_folder(inputs: Iterable[PathLike | None], folder: PathLike, names: Iterable[str]) -> None:
    """Like :func:`check_outputs` for a folder of outputs (created if missing): ``folder/name`` each.

    The folder itself must not be an existing file or one of the inputs.
    """
    folder = Path(folder)
    sources = [Path(p) for p in inputs if p is not None]
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"{folder}: exists and is not a folder; give a folder path for the outputs", code="E502",
                          option="out")
    for source in sources:
        if same_file(folder, source):
            raise OutputError(f"{folder}: is an input of this run and cannot be the output folder; "
                              "choose another folder", code="E503")
    if folder.is_dir():
        check_outputs(sources, [folder / name for name in names])
    else:
        # Not there yet: only the inputs can clash (nothing inside a missing folder exists).
        for name in names:
            for source in sources:
                if same_file(folder / name, source):
                    raise OutputError(f"{folder / name}: is an input of this run and would be "
                                      "overwritten; choose another output folder", code="E503")


def check_run(inputs: Iterable[PathLike | None], outputs: Iterable[PathLike | None], *,
              codebooks: Iterable[Any] = (), project: Any = None, project_hand_codings: bool = True,
              output_folder: Path | None = None, folder_names: Iterable[str] = ()) -> None:
    """Collect every input of a run (named, from the codebooks, from the project) and check the outputs.

    Called by every command that writes, before it reads the corpus or writes anything. The model
    files the codebooks name (``Codebook.model_paths()``) and the project's files
    (``Project.input_files()``) are inputs too.
    """
    files: list[PathLike | None] = [*inputs]
    files += [path for codebook in codebooks if codebook is not None for path in codebook.model_paths()]
    if project is not None:
        files += project.input_files(hand_codings=project_hand_codings)
    check_outputs(files, outputs)
    if output_folder is not None:
        check_output_folder(files, output_folder, list(folder_names))
