"""The codings cache inside a project: ``.fritekst/cache/`` beside ``fritekst.toml``.

A researcher tunes a codebook and reruns the report dozens of times a day; coding every answer again
each time costs seconds although almost nothing changed. So the automatic codings of each question
are kept, one file per question, under a key made of everything that decides them:

* the corpus file's bytes (SHA-256) and how it is read (id column, encoding, separator, sheet),
* the bytes of the codebook that codes the question and of every model file it names,
* the years selected (a ``--year`` run is cached apart from the full run),
* fritekst's version and a hash of its coding source (language, rules, coding), and the versions of
  simplemma and spaCy (they decide tokens and lemmas).

Change any of them and only the affected questions are coded again: editing one codebook recodes only
its questions. Hand codings are never cached; they are read and merged on every run.

The cache holds derived data from sensitive answers (case ids, code ids and character offsets into
the answers; no answer text). Its files get the same permissions (and group) as the corpus file, the folder is
readable only by those who may read the corpus, and ``fritekst cache clear`` (or deleting the folder)
removes it. ``--no-cache`` neither reads nor writes it. See ``docs/codings-cache.md``.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterable
from importlib import metadata
from pathlib import Path
from typing import BinaryIO, NamedTuple

import pandas as pd

from .._version import __version__
from ..errors import OutputError

CACHE_FOLDER = Path(".fritekst") / "cache"
COLUMNS = ["case_id", "question", "code_id", "start", "end", "method", "rule_id", "score"]
# The dtypes of a freshly coded frame (nullable spans), so a hit is indistinguishable from coding.
_DTYPES = {"case_id": str, "question": str, "code_id": str, "start": "Int64", "end": "Int64",
           "method": str, "rule_id": str, "score": "float64"}
_SOURCE_PACKAGES = ("language", "rules", "coding")


def cache_dir(project_root: str | os.PathLike[str]) -> Path:
    """Where a project's codings cache lives."""
    return Path(project_root) / CACHE_FOLDER


def file_digest(path: str | os.PathLike[str]) -> str:
    """SHA-256 of a file's bytes, read in blocks (a corpus may be hundreds of megabytes)."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


_code_hash: str | None = None


def _coding_code_hash() -> str:
    """A hash of the modules that decide codings, so a development change never serves stale codings."""
    global _code_hash
    if _code_hash is None:
        digest = hashlib.sha256(__version__.encode())
        package = Path(__file__).resolve().parent.parent
        for folder in _SOURCE_PACKAGES:
            for source in sorted((package / folder).glob("*.py")):
                digest.update(source.name.encode())
                digest.update(source.read_bytes())
        for dependency in ("simplemma", "spacy"):
            try:
                digest.update(metadata.version(dependency).encode())
            except metadata.PackageNotFoundError:  # pragma: no cover
                pass
        _code_hash = digest.hexdigest()
    return _code_hash


def entry_key(corpus_digest: str, read_options: Iterable[object], question: str,
              codebook_files: Iterable[str | os.PathLike[str]], years: Iterable[str] | None) -> str:
    """The cache key of one question's codings (hex)."""
    payload = {"corpus": corpus_digest, "read": [str(o) for o in read_options], "question": question,
               "codebook": [file_digest(path) for path in codebook_files],
               "years": sorted(str(y) for y in years) if years is not None else None,
               "code": _coding_code_hash()}
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def _safe_name(question: str) -> str:
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in question)[:60]


def _entry_prefix(question: str, years: Iterable[str] | None) -> str:
    tag = "alle" if years is None else "+".join(sorted(str(y) for y in years))
    return f"{_safe_name(question)}.{_safe_name(tag)}."


def _entry_path(root: Path, question: str, years: Iterable[str] | None, key: str) -> Path:
    return cache_dir(root) / f"{_entry_prefix(question, years)}{key[:24]}.csv"


def read_entry(root: str | os.PathLike[str], question: str, years: Iterable[str] | None,
               key: str) -> pd.DataFrame | None:
    """The cached codings of one question, or None on a miss (or an unreadable entry)."""
    path = _entry_path(Path(root), question, years, key)
    if not path.is_file():
        return None
    try:
        # Only a blank span cell is missing (a coding of the whole answer, written blank by to_csv);
        # every other cell is text as written, so a rule id such as "NA" stays "NA".
        frame = pd.read_csv(path, dtype=_DTYPES, keep_default_na=False,  # type: ignore[arg-type]
                            na_values={"start": [""], "end": [""]})
    except (OSError, ValueError, pd.errors.ParserError):
        return None  # a damaged entry is a miss; it is rewritten after coding
    if list(frame.columns) != COLUMNS:
        return None
    return frame


def write_entry(root: str | os.PathLike[str], question: str, years: Iterable[str] | None, key: str,
                codings: pd.DataFrame, corpus_path: str | os.PathLike[str]) -> None:
    """Store one question's codings, replacing older entries of the same question and years.

    The file gets the corpus file's permissions (see :func:`align_permissions`) before it is moved
    into place, so it is never, not even for a moment, more readable than the answers it derives from.
    """
    root = Path(root)
    permissions = permissions_like(corpus_path)
    try:
        folder = make_cache_folder(root, permissions)
    except OSError as exc:
        raise OutputError(f"{cache_dir(root)}: cannot create the codings cache ({exc.strerror}); make the project "
                          "folder writable or turn the cache off", code="E501") from exc
    path = _entry_path(root, question, years, key)

    def write_csv(handle: BinaryIO) -> None:
        text = io.TextIOWrapper(handle, encoding="utf-8", newline="")
        codings[COLUMNS].to_csv(text, index=False)
        text.flush()
        text.detach()  # the handle is closed by write_protected

    try:
        write_protected(path, write_csv, permissions)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write the codings cache ({exc.strerror or exc}); free some disk "
                          "space, or turn the cache off with --no-cache", code="E501") from exc
    prefix = _entry_prefix(question, years)
    for old in folder.glob("*.csv"):
        if old != path and old.name.startswith(prefix) and len(old.name) == len(path.name):
            old.unlink(missing_ok=True)


def align_permissions(root: str | os.PathLike[str], corpus_path: str | os.PathLike[str]) -> None:
    """Give an existing cache the corpus file's permissions again (after the corpus's were changed).

    Files get the corpus's read/write bits (and always the owner's, to rewrite them); folders the
    same plus the matching search bits (``0600`` → folder ``0700``, files ``0600``). Group bits only
    mean the same with the same group: the cache is given the corpus's group, and where that is not
    allowed (the user is not in it) the group bits are dropped rather than granted to another group.
    """
    folder = cache_dir(root)
    if not folder.is_dir():
        return
    permissions = permissions_like(corpus_path)
    try:
        for level in (folder.parent, folder):
            protect(level, permissions, folder=True)
        for entry in folder.iterdir():
            if entry.is_file():
                protect(entry, permissions, folder=False)
    except OSError as exc:
        raise OutputError(f"{folder}: cannot set the codings cache's permissions ({exc.strerror}); delete it "
                          "with `fritekst cache clear` or turn the cache off", code="E501") from exc


class CachePermissions(NamedTuple):
    """What a cache file or folder is given: the permissions and group of the corpus file it derives from.

    Everything kept under ``.fritekst/cache/`` (codings, chart pictures) follows these rules, so no
    derived file is ever more readable than the answers: files get the corpus's read/write bits (and
    always the owner's, to rewrite them), folders the same plus the matching search bits, and both
    the corpus's group (see :func:`protect`).
    """

    file_mode: int
    folder_mode: int
    group: int


def permissions_like(corpus_path: str | os.PathLike[str]) -> CachePermissions:
    """The :class:`CachePermissions` that match the corpus file (``0600`` → files ``0600``, folders ``0700``)."""
    info = os.stat(corpus_path)
    mode = stat.S_IMODE(info.st_mode) & 0o666 | 0o600
    return CachePermissions(mode, mode | ((mode & 0o444) >> 2) | 0o700, info.st_gid)


def protect(path: str | os.PathLike[str], permissions: CachePermissions, *, folder: bool) -> None:
    """Give ``path`` the corpus's group and mode. Group bits only mean the same with the same group:
    where the group cannot be given (the user is not in it), the group bits are dropped instead."""
    mode = permissions.folder_mode if folder else permissions.file_mode
    if os.stat(path).st_gid != permissions.group:
        try:
            os.chown(path, -1, permissions.group)
        except OSError:
            mode &= ~0o070  # another group than the corpus's: it gets nothing
    os.chmod(path, mode)


def make_cache_folder(root: str | os.PathLike[str], permissions: CachePermissions) -> Path:
    """``.fritekst/`` and ``.fritekst/cache/`` under ``root``, made if missing, both protected; the
    cache folder is returned. Raises :class:`OSError` (callers say which cache could not be made)."""
    folder = cache_dir(root)
    for level in (folder.parent, folder):
        level.mkdir(exist_ok=True)
        protect(level, permissions, folder=True)
    return folder


def write_protected(path: Path, write: Callable[[BinaryIO], None], permissions: CachePermissions) -> None:
    """Write one cache file: ``write`` fills a temporary file beside ``path`` that already has its final
    permissions, which is then moved into place, so a failed run leaves no half file and no byte is
    ever more readable than the corpus. Raises :class:`OSError`; the temporary file is removed."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            protect(temporary, permissions, folder=False)
            write(out)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def clear_cache(root: str | os.PathLike[str]) -> int:
    """Remove a project's codings cache; returns the number of files removed."""
    folder = cache_dir(root)
    if not folder.exists():
        return 0
    count = sum(1 for p in folder.rglob("*") if p.is_file())
    shutil.rmtree(folder)
    parent = folder.parent
    if parent.is_dir() and not any(parent.iterdir()):
        parent.rmdir()
    return count
