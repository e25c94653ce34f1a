"""Reading REFI-QDA files (``.qdc`` codebooks, ``.qdpx`` projects) from NVivo, ATLAS.ti, MAXQDA, QualCoder…

This module only *reads*: it turns a foreign file into plain data (:class:`RefiCodebook`,
:class:`RefiProject`) and leaves turning that into fritekst codebooks, corpora and hand codings to
:mod:`fritekst.rules.codebook_draft` and :mod:`fritekst.coding.refi_convert`.

Real exports deviate from the schemas' conventions, and an importer must accept what the programs
write (each case below was seen in a real export, see ``tests/data/refi/SOURCES``):

* the project document is ``project.qde``, ``Project.qde`` or ``<name>.qde``; sources are under
  ``sources/`` or ``Sources/``; ``plainTextPath`` is ``internal://x.txt``, ``x.txt`` or a path;
* GUIDs in upper or lower case, with or without braces, sometimes reused for two elements;
* namespaces ``urn:QDA-XML:project:1.0``, ``…:1:0`` or none (elements are matched by local name);
* text sources with a byte-order mark and CRLF line breaks; empty ``<Sets/>``.

Safety: the XML may come from anywhere. Documents with a DTD (``<!DOCTYPE``/``<!ENTITY``) are
refused, so no entity is expanded and nothing is fetched; zip members are checked against size caps
*before* they are inflated (their declared size) and while inflating (the real size).
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from xml.etree import ElementTree as ET

from ..errors import InputError

#: The largest project document read (uncompressed); NVivo projects of 1 M answers stay far below.
MAX_QDE_BYTES = 512 * 1024 * 1024
#: The largest single source text read (uncompressed).
MAX_SOURCE_BYTES = 64 * 1024 * 1024
#: Uncompressed bytes read from one archive in total.
MAX_TOTAL_BYTES = 2 * 1024 * 1024 * 1024
_GUID = re.compile(r"^\{?([0-9A-Fa-f-]{8,})\}?$")
_NOT_REFI = ("is not a REFI-QDA {what}; expected {expected}; export it again from the QDA program "
             "as a REFI-QDA {what}")


@dataclass
class RefiCode:
    """One code of a REFI codebook, in document order; ``parent`` is the GUID of the enclosing code."""

    guid: str
    name: str
    codable: bool = True
    colour: str | None = None
    description: str = ""
    notes: list[str] = field(default_factory=list)
    parent: str | None = None


@dataclass
class RefiCodebook:
    """The codes of a ``.qdc`` file or of a project's ``<CodeBook>``, and what was odd about them."""

    origin: str
    codes: list[RefiCode]
    warnings: list[str] = field(default_factory=list)


@dataclass
class RefiCoding:
    """One code applied to a selection, with who applied it and when (``None`` when not written)."""

    code_guid: str
    user: str | None
    date: str | None


@dataclass
class RefiSelection:
    """A ``PlainTextSelection``: positions as written in the file (their unit is decided later)."""

    guid: str
    start: int
    end: int
    name: str
    codings: list[RefiCoding]
    user: str | None
    date: str | None
    memo: str = ""


@dataclass
class RefiSource:
    """A ``TextSource`` with its plain text (BOM removed, line breaks as in the file)."""

    guid: str
    name: str
    description: str
    text: str | None
    variables: dict[str, str]
    selections: list[RefiSelection]
    memo: str = ""
    #: GUIDs of the notes this source's ``NoteRef`` elements point at (see :attr:`RefiProject.notes`).
    note_refs: list[str] = field(default_factory=list)


@dataclass
class RefiNote:
    """A ``Note`` (a memo): its text and who wrote it when (``None`` when not written)."""

    guid: str
    name: str
    text: str
    user: str | None
    date: str | None


@dataclass
class RefiCase:
    """A ``Case``: its variable values (by variable name) and the GUIDs of its sources."""

    guid: str
    name: str
    description: str
    variables: dict[str, str]
    sources: list[str]


@dataclass
class RefiProject:
    """Everything fritekst takes from a ``.qdpx``: users, codebook, sources, cases, variables, sets."""

    name: str
    origin: str
    users: dict[str, str]
    codebook: RefiCodebook
    sources: list[RefiSource]
    cases: list[RefiCase]
    variables: list[tuple[str, str]]
    sets: list[tuple[str, list[str]]]
    warnings: list[str] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=dict)
    notes: dict[str, RefiNote] = field(default_factory=dict)


# --- XML -----------------------------------------------------------------------------------------

def parse_xml(data: bytes, where: str) -> ET.Element:
    """Parse untrusted XML without a DTD; strip namespaces so elements match by their local name."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf")
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16: look for a DTD in the decoded text
        probe = data.decode("utf-16", errors="replace").encode("utf-8")
    else:
        probe = data
    if b"<!DOCTYPE" in probe or b"<!ENTITY" in probe:
        raise InputError(f"{where}: the XML declares a DTD or entities, which REFI-QDA files never do; "
                         "it is refused for safety; export the file again from the QDA program", code="E118")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise InputError(f"{where}: not well-formed XML ({exc}); the file is damaged or not a REFI-QDA "
                         "file; export it again", code="E117") from None
    for element in root.iter():
        if isinstance(element.tag, str) and "}" in element.tag:
            element.tag = element.tag.rsplit("}", 1)[1]
    return root


def guid_of(value: str | None) -> str:
    """A GUID as fritekst compares them: lower case, without braces.

    Examples
    --------
    >>> guid_of("{1FF58B12-6F6F-4B0C-8BE5-BBDC91F55294}")
    '1ff58b12-6f6f-4b0c-8be5-bbdc91f55294'
    """
    text = (value or "").strip()
    match = _GUID.match(text)
    return (match.group(1) if match else text).lower()


def _text_of(element: ET.Element | None) -> str:
    return "".join(element.itertext()).strip() if element is not None else ""


def _child(element: ET.Element, name: str) -> ET.Element | None:
    return element.find(name)


# --- codebooks -----------------------------------------------------------------------------------

def read_codebook_element(codebook: ET.Element | None, origin: str, notes: dict[str, str]) -> RefiCodebook:
    """The codes under a ``<CodeBook>`` element (of a ``.qdc`` or a project), depth first."""
    result = RefiCodebook(origin=origin, codes=[])
    codes = _child(codebook, "Codes") if codebook is not None else None
    if codes is None:
        return result
    seen: set[str] = set()

    def walk(element: ET.Element, parent: str | None) -> None:
        for code in element.findall("Code"):
            guid = guid_of(code.get("guid"))
            name = (code.get("name") or "").strip()
            if not guid or guid in seen:
                # Reused GUIDs occur in real exports; a fresh one keeps both codes apart.
                result.warnings.append(f"code {name!r} reuses GUID {code.get('guid')!r}; kept as a separate code")
                guid = f"{guid or 'code'}#{len(result.codes)}"
            seen.add(guid)
            memo = [notes[guid_of(ref.get("targetGUID"))] for ref in code.findall("NoteRef")
                    if guid_of(ref.get("targetGUID")) in notes]
            result.codes.append(RefiCode(guid=guid, name=name or guid, codable=code.get("isCodable", "true") != "false",
                                         colour=code.get("color"), description=_text_of(_child(code, "Description")),
                                         notes=memo, parent=parent))
            walk(code, guid)

    walk(codes, None)
    return result


def read_qdc(path: str | Path) -> RefiCodebook:
    """Read a REFI-QDA codebook file (``.qdc``); a ``.qdpx`` gives its project's codebook.

    Raises
    ------
    InputError
        The file is not a REFI-QDA codebook (one line, with what was expected).
    """
    path = Path(path)
    data = _read_file(path)
    if data[:4] == b"PK\x03\x04":
        book = read_qdpx(path, texts=False).codebook
        if not book.codes:
            raise InputError(f"{path}: the project has no codebook (no <Code> in its <CodeBook>); "
                             "nothing to import as a codebook", code="E117")
        return book
    root = parse_xml(data, str(path)) if data.lstrip()[:1] == b"<" or data[:3] == b"\xef\xbb\xbf" else None
    if root is None or root.tag not in ("CodeBook", "Project"):
        raise InputError(f"{path}: " + _NOT_REFI.format(what="codebook", expected="an XML document "
                                                        "whose root element is <CodeBook>"), code="E117")
    notes = _notes(root)
    book = read_codebook_element(root if root.tag == "CodeBook" else _child(root, "CodeBook"),
                                 root.get("origin", ""), notes)
    if not book.codes:
        raise InputError(f"{path}: the codebook has no codes; expected <Codes> with at least one <Code>", code="E117")
    return book


def _read_file(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_QDE_BYTES:
            raise InputError(f"{path}: {size} bytes is larger than the {MAX_QDE_BYTES} bytes fritekst reads; "
                             "export a smaller project", code="E118")
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file; check the path", code="E101") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a folder; give the .qdc or .qdpx file", code="E104") from None


def _notes(root: ET.Element) -> dict[str, str]:
    return {guid: note.text for guid, note in _note_elements(root).items()}


def _note_elements(root: ET.Element) -> dict[str, RefiNote]:
    """The project's notes with text (inline ``PlainTextContent``, else the description), by GUID."""
    notes: dict[str, RefiNote] = {}
    container = _child(root, "Notes")
    for note in (container.findall("Note") if container is not None else []):
        text = _text_of(_child(note, "PlainTextContent")) or _text_of(_child(note, "Description"))
        if text:
            guid = guid_of(note.get("guid"))
            notes[guid] = RefiNote(guid=guid, name=note.get("name") or "", text=text,
                                   user=_user(note.get("creatingUser")), date=note.get("creationDateTime"))
    return notes


# --- projects ------------------------------------------------------------------------------------

class _Archive:
    """A zip opened for reading with size caps and case-insensitive member lookup."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self.zip = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError):
            raise InputError(f"{path}: " + _NOT_REFI.format(
                what="project", expected="a .qdpx zip archive with project.qde inside"), code="E117") from None
        self.members = {info.filename.replace("\\", "/").lower(): info for info in self.zip.infolist()
                        if not info.is_dir()}
        self.total = 0

    def qde(self) -> zipfile.ZipInfo:
        candidates = [name for name in self.members if name.endswith(".qde")]
        if not candidates:
            raise InputError(f"{self.path}: " + _NOT_REFI.format(
                what="project", expected="a zip archive with a project.qde document inside"), code="E117")
        # project.qde at the top wins; else the shallowest .qde (NVivo may name it after the project).
        candidates.sort(key=lambda name: (name != "project.qde", name.count("/"), name))
        return self.members[candidates[0]]

    def read(self, info: zipfile.ZipInfo, cap: int) -> bytes:
        if info.file_size > cap or self.total + info.file_size > MAX_TOTAL_BYTES:
            raise InputError(f"{self.path}: {info.filename} would inflate to {info.file_size} bytes, more than "
                             f"the {cap} bytes fritekst reads from one file; export a smaller project", code="E118")
        with self.zip.open(info) as handle:
            data = handle.read(cap + 1)  # the declared size may lie: never inflate past the cap
        if len(data) > cap:
            raise InputError(f"{self.path}: {info.filename} inflates to more than {cap} bytes; refused", code="E118")
        self.total += len(data)
        return data

    def source(self, reference: str) -> zipfile.ZipInfo | None:
        """The member a ``plainTextPath`` names: internal://x.txt, x.txt, sources/x.txt, any case."""
        name = reference.strip()
        for prefix in ("internal://", "relative://", "file://"):
            if name.lower().startswith(prefix):
                name = name[len(prefix):]
        base = PurePosixPath(name.replace("\\", "/")).name.lower()
        for candidate in (f"sources/{base}", name.lower().lstrip("/"), base):
            if candidate in self.members:
                return self.members[candidate]
        matches = [info for member, info in self.members.items() if member.endswith("/" + base)]
        return matches[0] if matches else None


def decode_source(data: bytes) -> str:
    """A source text: UTF-8 (BOM dropped), else UTF-16 with a BOM, else Windows-1252."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def read_qdpx(path: str | Path, *, texts: bool = True) -> RefiProject:
    """Read a REFI-QDA project archive (``.qdpx``) into plain data.

    Parameters
    ----------
    path : str or Path
        The ``.qdpx`` file.
    texts : bool
        Read the source texts too (``False``: only the document, e.g. for its codebook).

    Raises
    ------
    InputError
        Not a zip, no ``.qde`` inside, XML not well-formed or with a DTD, a member over the size caps.
    """
    path = Path(path)
    archive = _Archive(path)
    root = parse_xml(archive.read(archive.qde(), MAX_QDE_BYTES), f"{path}:{archive.qde().filename}")
    if root.tag != "Project":
        raise InputError(f"{path}: " + _NOT_REFI.format(what="project", expected="a project.qde whose root "
                                                         "element is <Project>"), code="E117")
    note_elements = _note_elements(root)
    notes = {guid: note.text for guid, note in note_elements.items()}
    user_list = _child(root, "Users")
    users = {guid_of(u.get("guid")): (u.get("name") or u.get("id") or guid_of(u.get("guid")))
             for u in (user_list.findall("User") if user_list is not None else [])}
    project = RefiProject(name=root.get("name", path.stem), origin=root.get("origin", ""), users=users,
                          codebook=read_codebook_element(_child(root, "CodeBook"), root.get("origin", ""), notes),
                          sources=[], cases=[], variables=[], sets=[], notes=note_elements)
    project.warnings.extend(project.codebook.warnings)
    variables = _variables(root)
    project.variables = list(dict.fromkeys(variables.values()))
    _read_sources(root, project, archive if texts else None, variables, notes)
    _read_cases(root, project, variables)
    sets = _child(root, "Sets")
    for item in (sets.findall("Set") if sets is not None else []):
        members = [guid_of(m.get("targetGUID")) for m in item.findall("MemberSource")]
        project.sets.append(((item.get("name") or "").strip(), members))
    return project


def _variables(root: ET.Element) -> dict[str, tuple[str, str]]:
    container = _child(root, "Variables")
    found: dict[str, tuple[str, str]] = {}
    for variable in (container.findall("Variable") if container is not None else []):
        found[guid_of(variable.get("guid"))] = ((variable.get("name") or "").strip(),
                                                variable.get("typeOfVariable", "Text"))
    return found


def _values(element: ET.Element, variables: dict[str, tuple[str, str]]) -> dict[str, str]:
    values: dict[str, str] = {}
    for value in element.findall("VariableValue"):
        ref = _child(value, "VariableRef")
        variable = variables.get(guid_of(ref.get("targetGUID") if ref is not None else None))
        if variable is None:
            continue
        content = next((child for child in value if child.tag.endswith("Value")), None)
        values[variable[0]] = _text_of(content)
    return values


def _memo(element: ET.Element, notes: dict[str, str]) -> str:
    parts = [_text_of(_child(element, "Description"))]
    parts += [notes.get(guid_of(ref.get("targetGUID")), "") for ref in element.findall("NoteRef")]
    return "\n".join(part for part in parts if part)


def _int(value: str | None) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def _read_sources(root: ET.Element, project: RefiProject, archive: _Archive | None,
                  variables: dict[str, tuple[str, str]], notes: dict[str, str]) -> None:
    container = _child(root, "Sources")
    if container is None:
        return
    seen: set[str] = set()
    for element in container:
        if element.tag != "TextSource":
            # Pictures, PDFs, audio and video have no text fritekst could code.
            project.skipped[element.tag] = project.skipped.get(element.tag, 0) + 1
            continue
        guid = guid_of(element.get("guid"))
        name = (element.get("name") or guid).strip()
        if guid in seen:
            project.warnings.append(f"source {name!r} reuses GUID {element.get('guid')!r}; kept as a separate source")
            guid = f"{guid}#{len(project.sources)}"
        seen.add(guid)
        text = _source_text(element, project, archive, name)
        selections = []
        for selection in element.findall("PlainTextSelection"):
            start, end = _int(selection.get("startPosition")), _int(selection.get("endPosition"))
            if start is None or end is None:
                project.warnings.append(f"a selection in {name!r} has no valid positions; left out")
                continue
            codings = []
            for coding in selection.findall("Coding"):
                ref = _child(coding, "CodeRef")
                if ref is not None:
                    codings.append(RefiCoding(guid_of(ref.get("targetGUID")), _user(coding.get("creatingUser")),
                                              coding.get("creationDateTime")))
            selections.append(RefiSelection(guid=guid_of(selection.get("guid")), start=start, end=end,
                                            name=selection.get("name") or "", codings=codings,
                                            user=_user(selection.get("creatingUser")),
                                            date=selection.get("creationDateTime"), memo=_memo(selection, notes)))
        project.sources.append(RefiSource(guid=guid, name=name, description=_text_of(_child(element, "Description")),
                                          text=text, variables=_values(element, variables),
                                          selections=selections, memo=_memo(element, notes),
                                          note_refs=[guid_of(ref.get("targetGUID"))
                                                     for ref in element.findall("NoteRef")]))


def _user(value: str | None) -> str | None:
    return guid_of(value) if value else None


def _source_text(element: ET.Element, project: RefiProject, archive: _Archive | None, name: str) -> str | None:
    if archive is None:
        return None
    inline = _child(element, "PlainTextContent")
    if inline is not None:
        return "".join(inline.itertext())
    reference = element.get("plainTextPath")
    if not reference:
        project.warnings.append(f"source {name!r} has no plainTextPath; left out")
        return None
    info = archive.source(reference)
    if info is None:
        project.warnings.append(f"source {name!r}: {reference} is not in the archive; left out")
        return None
    return decode_source(archive.read(info, MAX_SOURCE_BYTES))


def _read_cases(root: ET.Element, project: RefiProject, variables: dict[str, tuple[str, str]]) -> None:
    container = _child(root, "Cases")
    for case in (container.findall("Case") if container is not None else []):
        refs = [guid_of(ref.get("targetGUID")) for ref in case.findall("SourceRef")]
        project.cases.append(RefiCase(guid=guid_of(case.get("guid")), name=(case.get("name") or "").strip(),
                                      description=_text_of(_child(case, "Description")),
                                      variables=_values(case, variables), sources=refs))
