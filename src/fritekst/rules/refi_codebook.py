"""REFI-QDA codebooks (from any QDA program, or fritekst's own export) as fritekst YAML codebooks.

A code keeps its label, place in the hierarchy, description (memos appended) and colour; its id is
derived from the label. fritekst's own ``.qdc`` files carry the codebook id (``fritekst codebook:``)
and each code's id, include and exclude notes (``fritekst id:``, ``Include:``, ``Exclude:`` lines),
so importing one gives the codebooks back with the same ids, and exporting those gives the same file.
What a fritekst codebook cannot hold is listed in :attr:`ImportedCodebook.notes`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..sources.refi_import import RefiCode, RefiCodebook
from .codebook_draft import (
    DraftCode,
    assign_ids,
    code_id_from_label,
    codebook_yaml,
    valid_colour,
)

_CODEBOOK_LINE = re.compile(r"^fritekst codebook: ([a-z][a-z0-9_]*)$", re.MULTILINE)
_ID_LINE = re.compile(r"^fritekst id: ([a-z][a-z0-9_]*)$")


@dataclass
class ImportedCodebook:
    """One fritekst codebook made from REFI codes.

    ``guids`` maps each REFI code GUID to its fritekst code id, so codings can follow.
    """

    codebook_id: str
    title: str
    yaml_text: str
    guids: dict[str, str]
    n_codes: int
    notes: list[str] = field(default_factory=list)


def _split_description(text: str) -> tuple[str, str, str, str | None]:
    """fritekst's exported description lines back into description, include, exclude and id."""
    keep, include, exclude, code_id = [], "", "", None
    for line in text.splitlines():
        match = _ID_LINE.match(line.strip())
        if match:
            code_id = match.group(1)
        elif line.startswith("Include: "):
            include = line[len("Include: "):]
        elif line.startswith("Exclude: "):
            exclude = line[len("Exclude: "):]
        else:
            keep.append(line)
    return "\n".join(keep).strip(), include, exclude, code_id


def _fritekst_roots(book: RefiCodebook) -> dict[str, str] | None:
    """GUID → codebook id of the top codes, when every top code is a fritekst codebook."""
    roots = [code for code in book.codes if code.parent is None]
    found = {}
    for code in roots:
        match = _CODEBOOK_LINE.search(code.description)
        if code.codable or match is None:
            return None
        found[code.guid] = match.group(1)
    return found or None


def codebooks_from_refi(book: RefiCodebook, default_id: str, default_title: str, *,
                        source: str = "") -> list[ImportedCodebook]:
    """The fritekst codebooks in a REFI codebook: one per fritekst codebook, else one in all.

    Parameters
    ----------
    book : RefiCodebook
        As read by :func:`fritekst.sources.refi_import.read_qdc` or from a project.
    default_id, default_title : str
        Codebook id (made valid) and title for a foreign codebook.
    source : str
        The file name, written in the header comment.
    """
    header = f"Imported by fritekst from {source or 'a REFI-QDA codebook'}" + (
        f" (written by {book.origin})" if book.origin else "")
    roots = _fritekst_roots(book)
    if roots is not None:
        return [_one_codebook(book, codebook_id, root.name, root, header) for root in book.codes
                if (codebook_id := roots.get(root.guid)) is not None]
    codebook_id = code_id_from_label(default_id)
    return [_one_codebook(book, codebook_id, default_title, None, header)]


def _descendants(book: RefiCodebook, root: RefiCode | None) -> list[RefiCode]:
    if root is None:
        return list(book.codes)
    inside = {root.guid}
    found = []
    for code in book.codes:  # depth-first order: a child always follows its parent
        if code.parent in inside:
            inside.add(code.guid)
            found.append(code)
    return found


def _one_codebook(book: RefiCodebook, codebook_id: str, title: str, root: RefiCode | None,
                  header: str) -> ImportedCodebook:
    codes = _descendants(book, root)
    notes: list[str] = []
    drafts = []
    not_codable, memos, colours = [], 0, []
    for code in codes:
        description, include, exclude, code_id = _split_description(code.description)
        if code.notes:
            memos += 1
            description = "\n\n".join(part for part in [description, *code.notes] if part)
        if not code.codable:
            not_codable.append(code.name)
        if code.colour and valid_colour(code.colour) is None:
            colours.append(f"{code.name!r} ({code.colour})")
        parent = code.parent if root is None or code.parent != root.guid else None
        drafts.append(DraftCode(key=code.guid, label=code.name, parent=parent, description=description,
                                include=include, exclude=exclude, colour=code.colour, code_id=code_id))
    if not_codable:
        notes.append(f"{len(not_codable)} code(s) not codable in the source program kept as ordinary codes "
                     f"(fritekst codes every code; use them as parents): {_names(not_codable)}")
    if memos:
        notes.append(f"memos of {memos} code(s) appended to their descriptions")
    if colours:
        notes.append(f"colours that are not #rrggbb left out: {_names(colours)}")
    notes.append("keyword rules: none (REFI-QDA has no rules); add rules to code answers automatically")
    description = ""
    if root is not None:
        description = _CODEBOOK_LINE.sub("", root.description).strip()
    ids = assign_ids(drafts)
    text = codebook_yaml(codebook_id, title, drafts, description=description,
                         header=[header, *[f"- {note}" for note in notes]])
    return ImportedCodebook(codebook_id=codebook_id, title=title, yaml_text=text,
                            guids={code.key: ids[code.key] for code in drafts}, n_codes=len(drafts),
                            notes=[*book.warnings, *notes])


def _names(items: list[str], limit: int = 5) -> str:
    shown = ", ".join(items[:limit])
    return shown + (f" and {len(items) - limit} more" if len(items) > limit else "")
