"""REFI-QDA codebooks: the ``<Code>`` tree of every codebook, and the ``.qdc`` codebook file.

Each codebook is one non-codable top code (its title) with its codes nested under it by
``parent``, with colours and descriptions (include/exclude notes appended). The same tree is the
``CodeBook`` of a ``.qdpx`` project (:mod:`fritekst.outputs.refi_qde`), and a code's GUID is the same
in both files, so importing either gives the same codes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

from ..coding.refs import code_index
from ..errors import InputError
from ..rules.codebook import Code, Codebook
from ..sources.tables import atomic_write
from .refi_xml import CODEBOOK_NS, ORIGIN, stable_guid, xml_attr, xml_text

__all__ = ["check_codebooks", "code_description", "code_guid", "codebook_lines", "qdc_bytes", "repeated_labels",
           "write_qdc"]


def code_description(code: Code) -> str:
    """The description a QDA program shows: description, include/exclude notes and the fritekst id.

    Examples
    --------
    >>> print(code_description(Code(id="okonomi", label="Økonomi", description="Mangel på penger.",
    ...                             include="Budsjett.", exclude="Tilskudd.")))
    Mangel på penger.
    Include: Budsjett.
    Exclude: Tilskudd.
    fritekst id: okonomi
    """
    lines = [code.description] if code.description else []
    if code.include:
        lines.append(f"Include: {code.include}")
    if code.exclude:
        lines.append(f"Exclude: {code.exclude}")
    lines.append(f"fritekst id: {code.id}")
    return "\n".join(lines)


def check_codebooks(codebooks: Sequence[Codebook]) -> None:
    if not codebooks:  # the schemas require at least one code
        raise InputError("no codebook to export; name at least one under [codebooks] or give codebook files",
                         code="E507", option="codebook")
    seen: dict[str, Codebook] = {}
    for book in codebooks:
        if book.id in seen and seen[book.id] is not book:
            raise InputError(f"{book.path}: codebook id {book.id!r} is also used by {seen[book.id].path}; "
                                "codebooks exported together need different ids; rename one", code="E205")
        seen[book.id] = book
    code_index(codebooks)  # a code id in two codebooks would make its codings ambiguous


def codebook_lines(codebooks: Sequence[Codebook], depth: int,
                    note_refs: Mapping[str, Sequence[str]] | None = None) -> Iterator[str]:
    """``<Code>`` elements: one non-codable top code per codebook, its codes nested by parent.

    ``note_refs`` (code id → note GUIDs) adds a ``NoteRef`` per memo; only projects have notes.
    """
    for book in codebooks:
        children: dict[str | None, list[Code]] = defaultdict(list)
        for code in book.codes:
            children[code.parent].append(code)
        pad = " " * depth
        yield (f"{pad}<Code guid={xml_attr(stable_guid('codebook', book.id))} name={xml_attr(book.title)} "
               f'isCodable="false">\n')
        # The codebook id travels in the description, so an import gives the same codebook back.
        about = (book.description + "\n" if book.description else "") + f"fritekst codebook: {book.id}"
        yield f"{pad} <Description>{xml_text(about)}</Description>\n"
        for code in children[None]:
            yield from _code_lines(book, code, children, depth + 1, note_refs or {})
        yield f"{pad}</Code>\n"


def _code_lines(book: Codebook, code: Code, children: Mapping[str | None, list[Code]],
                depth: int, note_refs: Mapping[str, Sequence[str]]) -> Iterator[str]:
    pad = " " * depth
    yield (f"{pad}<Code guid={xml_attr(code_guid(book, code.id))} name={xml_attr(code.label)} "
           f'isCodable="true" color={xml_attr(code.colour)}>\n')
    yield f"{pad} <Description>{xml_text(code_description(code))}</Description>\n"
    for guid in note_refs.get(code.id, ()):
        yield f'{pad} <NoteRef targetGUID="{guid}"/>\n'
    for child in children.get(code.id, []):
        yield from _code_lines(book, child, children, depth + 1, note_refs)
    yield f"{pad}</Code>\n"


def code_guid(book: Codebook, code_id: str) -> str:
    """The GUID of a code: the same in ``.qdc`` and ``.qdpx`` files, so both imports agree."""
    return stable_guid("code", book.id, code_id)


def qdc_bytes(codebooks: Sequence[Codebook]) -> bytes:
    """The REFI-QDA codebook document (``Codebook.xsd``) for ``codebooks``, as UTF-8 bytes."""
    check_codebooks(codebooks)
    parts = ['<?xml version="1.0" encoding="utf-8"?>\n',
             f"<CodeBook xmlns={xml_attr(CODEBOOK_NS)} origin={xml_attr(ORIGIN)}>\n", " <Codes>\n",
             *codebook_lines(codebooks, 2), " </Codes>\n", "</CodeBook>\n"]
    return "".join(parts).encode("utf-8")


def write_qdc(path: str | Path, codebooks: Sequence[Codebook]) -> int:
    """Write a REFI-QDA codebook file (``.qdc``) atomically; return the number of codes written.

    Examples
    --------
    >>> from fritekst.rules.codebook import load_codebook
    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "koder.qdc"
    >>> write_qdc(out, [load_codebook(example / "codebooks" / "ansette.yaml")])
    12
    """
    data = qdc_bytes(codebooks)
    with atomic_write(path, "wb") as handle:
        handle.write(data)
    return sum(len(book.codes) for book in codebooks)


def repeated_labels(codebooks: Sequence[Codebook]) -> list[str]:
    """Labels used by codes of more than one codebook (QualCoder merges codes with the same name)."""
    seen: dict[str, set[str]] = defaultdict(set)
    for book in codebooks:
        for code in book.codes:
            seen[code.label.casefold()].add(book.id)
    return sorted({code.label for book in codebooks for code in book.codes if len(seen[code.label.casefold()]) > 1})

