"""Table input/output shared by every stage: the one place that decodes, sniffs, reads and writes tables.

Reading
    :func:`detect_encoding` and :func:`decode_bytes` pick the text encoding (a byte-order mark for
    UTF-8, UTF-16 or UTF-32; else UTF-8; else Windows-1252, but only when *no* line is UTF-8: a
    file mixing the two is refused with the lines that differ, never turned into mojibake).
    :func:`sniff_separator` picks the separator from the header line. :func:`read_rows` splits a
    small CSV (codings, scope, review sheets, published tables) into numbered rows with the
    spreadsheet guard undone (:func:`unguard_cell`). :func:`check_header` refuses repeated or
    blank-but-used column names. :func:`check_zip` and :func:`check_xlsx_formulas` guard the
    zip-based formats (``.xlsx``, ``.skops``).

Writing
    :func:`atomic_write` (one file) and :func:`atomic_files` (several, all or nothing);
    :func:`write_csv_rows` writes UTF-8-with-BOM CSV, every cell through :func:`csv_cell` (blank for
    missing, ``1.0`` as ``1``, four decimals, :func:`safe_cell` on text).
"""

from __future__ import annotations

import codecs
import csv
import errno
import io
import os
import re
import tempfile
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import IO, Any

from ..errors import InputError, OutputError

#: Characters that make Excel, LibreOffice and Google Sheets treat a cell as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
#: Text the writer guards: formula-like text, and text that would *look* guarded when read back
#: (apostrophes before a formula character), so that reading undoes exactly what writing did.
_GUARDED = re.compile(r"'*[=+\-@\t\r]")
_UNGUARD = re.compile(r"'+[=+\-@\t\r]")
#: Byte-order marks, longest first (the UTF-32 LE mark begins with the UTF-16 LE one).
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
SEPARATORS = (";", "\t", ",", "|")
_BLOCK = 1 << 20
#: Errors of writing itself (full disk, quota, read-only file system), reported as one line.
_WRITE_ERRORS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS, errno.EIO}
#: Zip archives (.xlsx, .skops): most bytes all members may inflate to, and the largest ratio of
#: inflated to stored size accepted for a member above :data:`ZIP_RATIO_FLOOR`. Real sheet XML
#: compresses 5–30 times; a decompression bomb hundreds or thousands of times.
ZIP_MAX_BYTES = 1 << 30
ZIP_MAX_RATIO = 100
ZIP_RATIO_FLOOR = 32 << 20


# --- writing ------------------------------------------------------------------------------------
@contextmanager
def atomic_write(path: str | os.PathLike[str], mode: str = "w", encoding: str | None = "utf-8",
                 newline: str | None = None) -> Iterator[IO[Any]]:
    """Open a temporary file beside ``path`` and move it into place only if the block succeeds.

    A failure half-way (an error, a full disk, Ctrl-C) leaves no partial output behind: either the
    old file (if any) or the new, complete one exists, never a truncated mix. Binary modes ignore
    ``encoding`` and ``newline``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "out.txt"
    >>> with atomic_write(target) as fh:
    ...     _ = fh.write("hei")
    >>> target.read_text()
    'hei'
    """
    with atomic_files([path], mode, encoding, newline) as handles:
        yield handles[0]


@contextmanager
def atomic_files(paths: Sequence[str | os.PathLike[str]], mode: str = "w", encoding: str | None = "utf-8",
                 newline: str | None = None) -> Iterator[list[IO[Any]]]:
    """Like :func:`atomic_write` for several files: all are moved into place at the end, or none.

    A disk that fills up while writing any of them raises :class:`OutputError` and leaves no file.
    """
    targets = [Path(p) for p in paths]
    temps: list[str] = []
    try:
        with ExitStack() as stack:
            handles = [stack.enter_context(_temp_handle(target, mode, encoding, newline, temps))
                       for target in targets]
            yield handles
        for tmp_name in temps:
            # mkstemp creates files readable by the owner only; give the output the permissions any
            # newly created file would get (the umask), as a plain open() would.
            os.chmod(tmp_name, 0o666 & ~_current_umask())
        for tmp_name, target in zip(temps, targets):
            os.replace(tmp_name, target)
    except OSError as exc:
        _remove(temps)
        if exc.errno not in _WRITE_ERRORS:
            raise
        where = targets[0] if len(targets) == 1 else ", ".join(map(str, targets))
        raise OutputError(f"{where}: cannot write ({exc.strerror or exc}); free some disk space or "
                          "choose another place to write", code="E501") from exc
    except BaseException:
        _remove(temps)
        raise


@contextmanager
def _temp_handle(target: Path, mode: str, encoding: str | None, newline: str | None,
                 temps: list[str]) -> Iterator[IO[Any]]:
    directory = target.parent if str(target.parent) else Path(".")
    if target.is_dir():
        raise OutputError(f"{target}: is a folder; expected a file path to write", code="E502")
    if not directory.is_dir():
        raise OutputError(f"{target}: folder {directory} does not exist; create it or choose another path",
                          code="E501")
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise OutputError(f"{target}: cannot write in {directory} ({exc.strerror}); "
                          "choose a folder you can write to", code="E501") from exc
    temps.append(tmp_name)
    if "b" in mode:
        handle: IO[Any] = os.fdopen(fd, mode)
    else:
        handle = os.fdopen(fd, mode, encoding=encoding, newline=newline)
    with handle:
        yield handle


def _remove(names: Iterable[str]) -> None:
    for name in names:
        try:
            os.unlink(name)
        except FileNotFoundError:
            pass


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def safe_cell(value: Any) -> Any:
    """Neutralise a text cell that a spreadsheet would run as a formula by prefixing an apostrophe.

    Numbers pass through unchanged, so a negative score stays a number. Text that already starts
    with apostrophes before a formula character gets one more, so :func:`unguard_cell` gives back
    exactly the original.

    Examples
    --------
    >>> safe_cell("=SUM(A1:A3)")
    "'=SUM(A1:A3)"
    >>> safe_cell("-ikke aktuelt")
    "'-ikke aktuelt"
    >>> safe_cell(-1.5)
    -1.5
    >>> unguard_cell(safe_cell("'=x")), unguard_cell(safe_cell("'hei"))
    ("'=x", "'hei")
    """
    if isinstance(value, str) and _GUARDED.match(value):
        return "'" + value
    return value


def unguard_cell(text: str) -> str:
    """Undo :func:`safe_cell` on a cell read back from a file fritekst wrote.

    Examples
    --------
    >>> unguard_cell("'+4790000000"), unguard_cell("'ikke"), unguard_cell("=1")
    ('+4790000000', "'ikke", '=1')
    """
    if text.startswith("'") and _UNGUARD.match(text):
        return text[1:]
    return text


def csv_cell(value: object, *, integral_floats: bool = True) -> object:
    """A value as fritekst's CSV files write it: blank for missing, 4 decimals, text made safe.

    With ``integral_floats`` (the default) a whole float such as a score of ``1.0`` is written
    ``1``, as a researcher types it; ``frequencies.csv`` keeps ``1.0`` for its shares.

    Examples
    --------
    >>> csv_cell(1.0), csv_cell(0.123456), csv_cell(float("nan")), csv_cell("=1")
    (1, 0.1235, '', "'=1")
    """
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if value.__class__.__name__ in ("NAType", "NaTType"):
        return ""
    if isinstance(value, float):
        if integral_floats and value.is_integer():
            return int(value)
        return round(value, 4)
    return safe_cell(value)


def write_csv_rows(path: str | os.PathLike[str], header: Sequence[Any], rows: Iterable[Sequence[Any]],
                   *, integral_floats: bool = True) -> None:
    """Write a CSV in UTF-8 with BOM (so Excel shows æ, ø, å), CRLF, atomically, cells via :func:`csv_cell`."""
    with atomic_write(path, "w", encoding="utf-8-sig", newline="") as handle:
        write_csv_to(handle, header, rows, integral_floats=integral_floats)


def write_csv_to(handle: IO[str], header: Sequence[Any], rows: Iterable[Sequence[Any]],
                 *, integral_floats: bool = True) -> None:
    """The body of :func:`write_csv_rows`, into an open text handle."""
    writer = csv.writer(handle, lineterminator="\r\n")
    writer.writerow([safe_cell(str(c)) for c in header])
    for row in rows:
        writer.writerow([csv_cell(v, integral_floats=integral_floats) for v in row])


# --- reading: encodings -------------------------------------------------------------------------
def check_encoding_name(path: Path, encoding: str) -> str:
    """The codec's name for ``encoding``; an unknown name is an :class:`InputError`."""
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        raise InputError(f"{path}: unknown encoding '{encoding}'; try the encoding utf-8 or "
                         "cp1252", code="E102", option="encoding") from None


def bom_encoding(head: bytes) -> str | None:
    """The encoding a byte-order mark at the start of ``head`` announces, if any."""
    for bom, name in _BOMS:
        if head.startswith(bom):
            return name
    return None


def detect_encoding(path: Path, encoding: str | None = None) -> str:
    """The encoding to read ``path`` with, looking at the file in blocks (bounded memory).

    A given ``encoding`` is only checked to exist. Otherwise: a byte-order mark decides; a file that
    is valid UTF-8 is ``utf-8-sig``; a file with no valid non-ASCII UTF-8 line is Windows-1252;
    a file with both UTF-8 lines and lines that are not UTF-8 mixes encodings and is refused.
    """
    if encoding:
        check_encoding_name(path, encoding)
        return encoding
    with path.open("rb") as handle:
        found = bom_encoding(handle.read(4))
        if found:
            return found
        handle.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8")()
        try:
            while block := handle.read(_BLOCK):
                decoder.decode(block)
            decoder.decode(b"", final=True)
            return "utf-8-sig"
        except UnicodeDecodeError:
            pass
        handle.seek(0)
        utf8_lines = 0
        bad: list[tuple[int, int, int]] = []
        for number, line in enumerate(handle, start=1):
            if line.isascii():
                continue
            try:
                line.decode("utf-8")
                utf8_lines += 1
            except UnicodeDecodeError as exc:
                bad.append((number, exc.start + 1, line[exc.start]))
    if utf8_lines and bad:
        number, column, byte = bad[0]
        lines = ", ".join(str(b[0]) for b in bad[:5]) + (", …" if len(bad) > 5 else "")
        raise InputError(f"{path}:{number}:{column}: byte 0x{byte:02x} is not UTF-8, but {utf8_lines} other "
                         f"line{'s are' if utf8_lines != 1 else ' is'} UTF-8: the file mixes two encodings "
                         f"(not UTF-8: line{'s' if len(bad) > 1 else ''} {lines}); retype those letters "
                         "or save the whole file as UTF-8", code="E102")
    return "cp1252"


def decode_bytes(path: Path, raw: bytes, encoding: str | None) -> tuple[str, str]:
    """Decode ``raw`` (the bytes of ``path``) as :func:`detect_encoding` decides; return text, encoding."""
    used = encoding or _encoding_of_bytes(path, raw)
    if encoding:
        check_encoding_name(path, encoding)
    try:
        return raw.decode(used), used
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        tried = used if encoding else "utf-8-sig or cp1252"
        hint = "try the encoding cp1252 (Windows) or latin-1" if encoding else \
            "save it as UTF-8 or name the right encoding"
        raise InputError(f"{path}:{line}:{column}: byte 0x{raw[exc.start]:02x} cannot be decoded as "
                         f"{tried}; {hint}", code="E102", option="encoding") from None


def _encoding_of_bytes(path: Path, raw: bytes) -> str:
    found = bom_encoding(raw[:4])
    if found:
        return found
    try:
        raw.decode("utf-8")
        return "utf-8-sig"
    except UnicodeDecodeError:
        return detect_encoding(path) if path.is_file() and path.stat().st_size == len(raw) else "cp1252"


def read_text(path: Path, encoding: str | None = None) -> tuple[str, str]:
    """The text of ``path`` and the encoding used (see :func:`detect_encoding`)."""
    return decode_bytes(path, path.read_bytes(), encoding)


# --- reading: separators and rows ----------------------------------------------------------------
def header_line(text: str) -> str:
    """The first line of ``text``, whatever its line ending (CR-only files from old Excel on a Mac)."""
    return re.split(r"\r\n|\n|\r", text, maxsplit=1)[0]


def sniff_separator(text: str) -> str:
    """The separator that splits the header line best; Norwegian Excel writes semicolons.

    Examples
    --------
    >>> sniff_separator("id;svar\\n1;ja\\n"), sniff_separator('id,"a;b"\\n'), sniff_separator("id\\n")
    (';', ',', ',')
    """
    first = header_line(text)
    header = next(csv.reader(io.StringIO(first)), [""])
    counts = {s: first.count(s) for s in SEPARATORS}
    best = max(counts, key=lambda s: counts[s])
    if counts[best] == 0 or (best != "," and len(header) > counts[best]):
        return ","
    return best


_NAME = re.compile(r"[\w .()/%-]{1,60}")


_SURVEY_NAME = re.compile(r"[^\x00-\x1f$]{1,200}")


def looks_like_header(header: Sequence[str], *, survey: bool = False) -> bool:
    """Whether every name looks like a column name (``survey``: long question texts allowed too)."""
    names = [str(n).strip() for n in header]
    if survey:
        return bool(names) and all(_SURVEY_NAME.fullmatch(n) and n.count(":") <= 2 for n in names if n)
    return bool(names) and all(_NAME.fullmatch(n) for n in names if n)


def describe_header(header: Sequence[str], limit: int = 20) -> str:
    """The columns of a header for an error message, or only their number when it does not look like one.

    A file given in the wrong place (``/etc/shadow`` as a hand-coding file) must not have its first
    line echoed in an error message; column names are shown only when every one looks like a name.

    Examples
    --------
    >>> describe_header(["case_id", "spørsmål"])
    'columns: case_id, spørsmål'
    >>> describe_header(["root:$6$Vh3q0:19000:0:99999:7:::"])
    'the first line has 1 field and does not look like a header of column names'
    """
    names = [str(n).strip() for n in header]
    if not looks_like_header(names):
        n = len(names)
        return f"the first line has {n} field{'s' if n != 1 else ''} and does not look like a header of column names"
    shown = ", ".join(names[:limit]) + (", …" if len(names) > limit else "")
    return f"columns: {shown}"


def required_header(path: Path, row: Sequence[str], required: Sequence[str], needs: str) -> list[str]:
    """A header row's names stripped and lower-cased, refusing one without a ``required`` column.

    ``needs`` ends the message, e.g. ``"a published table needs the columns aar, svar, …"``.

    Examples
    --------
    >>> required_header(Path("t.csv"), [" Aar", "SVAR "], ["aar", "svar"], "needs aar, svar")
    ['aar', 'svar']
    >>> required_header(Path("t.csv"), ["aar"], ["aar", "svar"], "a table needs aar, svar")
    Traceback (most recent call last):
    ...
    fritekst.errors.InputError: t.csv:1: no column 'svar' (columns: aar); a table needs aar, svar
    """
    header = [cell.strip().lower() for cell in row]
    missing = [column for column in required if column not in header]
    if missing:
        raise InputError(f"{path}:1: no column {missing[0]!r} (columns: {', '.join(header)}); {needs}",
                         code="E106")
    return header


def check_header(path: Path, header: Sequence[str], what: str = "file") -> None:
    """Refuse a header whose column names repeat (pandas would silently rename one ``name.1``)."""
    seen: dict[str, int] = {}
    for index, name in enumerate(header, start=1):
        key = name.strip()
        if key and key in seen:
            raise InputError(f"{path}:1: column name {key!r} appears twice in the header of the {what} "
                             f"(columns {seen[key]} and {index}); rename one of them", code="E107")
        seen.setdefault(key, index)


def read_rows(path: Path, what: str, *, unguard: bool = True, utf8_only: bool = False,
              expected: str = "a header row and one row per line") -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Decode, sniff the separator and split a small CSV into (line number, cells) rows.

    ``utf8_only`` refuses a file that is not Unicode (no Windows-1252 fallback): coding files carry
    character offsets, and the researcher should save them as 'CSV UTF-8'. ``expected`` says what
    an empty file should have held.

    Blank rows are skipped, a trailing empty column on every line (a separator at the end of each
    row) is dropped, and a row with more non-empty cells than the header has names is refused.
    With ``unguard`` every cell has :func:`safe_cell`'s apostrophe removed (files fritekst wrote).
    """
    if not path.is_file():
        raise InputError(f"{path}: {what} not found; check the path", code="E101")
    raw = path.read_bytes()
    if utf8_only and not bom_encoding(raw[:4]):
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = raw[:exc.start].count(b"\n") + 1
            raise InputError(f"{path}:{line}: {what} is not UTF-8 text (byte {raw[exc.start]:#04x}); "
                             "save it as 'CSV UTF-8' in Excel", code="E102") from None
    text, _ = decode_bytes(path, raw, None)
    if not text.strip():
        raise InputError(f"{path}:1: {what} is empty; expected {expected}", code="E105")
    separator = sniff_separator(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    rows: list[tuple[int, list[str]]] = []
    try:
        header = next(reader)
        start_line = reader.line_num + 1
        for cells in reader:
            if any(cell.strip() for cell in cells):
                rows.append((start_line, cells))
            start_line = reader.line_num + 1
    except csv.Error as exc:
        raise InputError(f"{path}:{reader.line_num}: cannot parse CSV ({exc}); check the quotes", code="E103") from exc
    header = [name.strip() for name in header]
    if header and header[-1] == "" and all(len(c) <= len(header) and (len(c) < len(header) or not c[-1].strip())
                                           for _, c in rows):
        header = header[:-1]  # "a;b;c;" on every line: a trailing separator, not a column
    width = len(header)
    for line, cells in rows:
        if len(cells) > width and any(cell.strip() for cell in cells[width:]):
            raise InputError(f"{path}:{line}: row has {len(cells)} fields but the header has {width} "
                             f"names; remove the extra separator or quote the text that contains it", code="E103")
    check_header(path, header, what)
    if unguard:
        header = [unguard_cell(name) for name in header]
        rows = [(line, [unguard_cell(cell) for cell in cells]) for line, cells in rows]
    return header, rows


# --- zip-based formats ---------------------------------------------------------------------------
def check_zip(path: Path, what: str = "file") -> None:
    """Refuse a zip archive whose members would inflate beyond :data:`ZIP_MAX_BYTES` (or too steeply).

    The sizes come from the archive's directory, read before anything is inflated. A member that
    claims a small size but inflates to more is stopped by :mod:`zipfile` itself (it checks the
    declared size while reading).
    """
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # not a zip: the reader of the format names the problem
    total = 0
    for member in members:
        total += member.file_size
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > ZIP_RATIO_FLOOR and ratio > ZIP_MAX_RATIO:
            raise InputError(f"{path}: {what} member {member.filename} would inflate {ratio:.0f}-fold to "
                             f"{member.file_size / 2**20:.0f} MB; refusing a possible decompression bomb "
                             f"(limit {ZIP_MAX_RATIO}-fold above {ZIP_RATIO_FLOOR >> 20} MB); save the "
                             "file again from the program that made it", code="E103")
    if total > ZIP_MAX_BYTES:
        raise InputError(f"{path}: {what} would inflate to {total / 2**20:.0f} MB, more than the "
                         f"{ZIP_MAX_BYTES >> 20} MB fritekst reads; split the file or export it as CSV", code="E103")


def check_xlsx_formulas(path: Path, sheet: str | int | None = None) -> None:
    """Refuse formula cells that have no saved result (pandas and openpyxl would read them as empty).

    Files written by scripts (or by fritekst's own readers' callers) often hold formulas that no
    spreadsheet program has calculated; their cached value is missing, so the cell would silently
    read as blank.
    """
    from openpyxl import load_workbook

    try:
        formulas = load_workbook(path, read_only=True, data_only=False)
        values = load_workbook(path, read_only=True, data_only=True)
    except Exception:  # a damaged file: the format reader names the problem
        return
    try:
        names = formulas.sheetnames
        if sheet is None:
            name = names[0] if names else None
        elif isinstance(sheet, int):
            name = names[sheet] if 0 <= sheet < len(names) else None
        else:
            name = sheet if sheet in names else None
        if name is None:
            return
        for row_f, row_v in zip(formulas[name].iter_rows(), values[name].iter_rows()):
            for cell_f, cell_v in zip(row_f, row_v):
                if getattr(cell_f, "data_type", None) == "f" and cell_v.value is None:
                    raise InputError(f"{path}: sheet {name!r} cell {cell_f.coordinate}: formula "
                                     f"{str(cell_f.value)[:40]!r} has no calculated value saved; open "
                                     "the file in Excel or LibreOffice and save it again, or paste the "
                                     "values", code="E111")
    finally:
        formulas.close()
        values.close()


def read_xlsx_rows(path: Path, what: str, *, sheet: str | None = None) -> list[tuple[int, list[Any]]]:
    """Every row of a workbook's sheet named ``sheet`` (else its first sheet) with its row number.

    Guarded as every workbook fritekst reads: the archive's sizes are checked before anything is
    inflated (:func:`check_zip`) and formula cells without a saved value are refused
    (:func:`check_xlsx_formulas`). Text cells have :func:`safe_cell`'s apostrophe removed; empty
    cells are ``None``. Row 1 is the header.
    """
    from openpyxl import load_workbook

    check_zip(path, what)
    chosen: str | int = sheet if sheet is not None and _has_sheet(path, sheet) else 0
    check_xlsx_formulas(path, chosen)
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several types for damaged files
        raise InputError(f"{path}: cannot read the workbook ({type(exc).__name__}); save it again as .xlsx",
                         code="E103") from exc
    try:
        rows = book[chosen] if isinstance(chosen, str) else book.worksheets[0]
        return [(line, [unguard_cell(value) if isinstance(value, str) else value for value in row])
                for line, row in enumerate(rows.iter_rows(values_only=True), start=1)]
    finally:
        book.close()


def sheet_names(path: Path) -> list[str] | None:
    """The sheet names of a workbook in tab order, or ``None`` when it cannot be opened (damaged)."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True)
    except Exception:  # damaged: reported by the reader
        return None
    try:
        return list(book.sheetnames)
    finally:
        book.close()


def _has_sheet(path: Path, name: str) -> bool:
    return name in (sheet_names(path) or ())
