"""Load survey answers and respondent attributes from CSV, Excel, SPSS, Stata or Parquet into a Corpus.

Real exports are messy: UTF-8 with or without BOM or Windows-1252, comma- or semicolon-separated,
quoted fields with line breaks, numeric ids with leading zeros, whitespace-only answers. Everything is
read as text so that ids keep their zeros and nothing is silently turned into a number or NaN.
"""

from __future__ import annotations

import csv
import difflib
import io
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..errors import InputError
from .tables import (check_header, check_xlsx_formulas, check_zip, decode_bytes, looks_like_header, sheet_names,
                     sniff_separator)

__all__ = ["Corpus", "load_corpus", "read_frame", "read_csv_text", "corpus_from_frame", "decode_bytes",
           "sniff_separator", "csv_header", "fit_header", "year_value"]

CSV_SUFFIXES = {".csv", ".tsv", ".txt"}
EXCEL_SUFFIXES = {".xlsx", ".xlsm"}
SUPPORTED = ".csv, .tsv, .txt, .xlsx, .xlsm, .sav, .dta, .parquet"


@dataclass
class Corpus:
    """Answers and the respondents (cases) who gave them.

    Attributes
    ----------
    cases : DataFrame
        One row per respondent: ``case_id`` (str) then the attribute columns, as text.
    answers : DataFrame
        One row per non-empty answer: ``case_id``, ``question`` (text column name), ``text`` (NFC).
    questions : list of str
        The text columns, in the order given.
    source : Path
        The file read.
    encoding : str or None
        The text encoding used for CSV files (``None`` for binary formats).
    n_empty : dict
        Per question, the number of cases whose answer was empty or whitespace only.
    """

    cases: pd.DataFrame
    answers: pd.DataFrame
    questions: list[str]
    source: Path
    encoding: str | None = None
    n_empty: dict[str, int] = field(default_factory=dict)

    @property
    def attributes(self) -> list[str]:
        """The attribute columns of :attr:`cases`, in file order."""
        return [c for c in self.cases.columns if c != "case_id"]


def load_corpus(path: str | Path, id_column: str, text_columns: Sequence[str],
                attribute_columns: Sequence[str] | None = None, *, encoding: str | None = None,
                sep: str | None = None, sheet: str | int | None = None,
                year_column: str | None = None) -> Corpus:
    """Read a survey export into a :class:`Corpus`.

    Parameters
    ----------
    path : str or Path
        CSV/TSV (any of UTF-8, UTF-8 with BOM, Windows-1252; separator sniffed), Excel, SPSS ``.sav``,
        Stata ``.dta`` or Parquet.
    id_column : str
        The column that identifies a respondent; values must be present and unique.
    text_columns : sequence of str
        One or more open questions; each becomes a ``question`` in :attr:`Corpus.answers`.
    attribute_columns : sequence of str, optional
        Respondent attributes to keep; by default every other column.
    encoding, sep, sheet : optional
        Override encoding detection, separator sniffing, or the Excel sheet (default: the first).
    year_column : str, optional
        The column with the survey year; its values are normalised by :func:`year_value`
        (``" 2023"`` and ``"2023.0"`` are read as ``"2023"``).

    Examples
    --------
    >>> corpus = load_corpus(example / "corpus" / "svar.csv", "case_id", ["grunn_nei"])
    >>> corpus.answers.columns.tolist()
    ['case_id', 'question', 'text']
    """
    path = Path(path)
    if not text_columns:
        raise InputError(f"{path}: no text column given; name at least one text column",
                         code="E108", option="text_columns")
    frame, used_encoding = read_frame(path, encoding=encoding, sep=sep, sheet=sheet)
    try:
        if frame.empty and len(frame.columns):
            # A header without rows is the wrong export, not a survey nobody answered: coding it wrote
            # an empty refs.csv and `report` blamed the project's asked_if values instead of the file.
            raise InputError(f"{path}: has a header row but no respondent rows; expected one row per "
                             "respondent below the header", code="E105")
        return corpus_from_frame(frame, path, id_column, text_columns, attribute_columns, used_encoding,
                                 year_column=year_column)
    except InputError as exc:
        names = sheet_names(path) if exc.code in ("E105", "E106") and sheet is None and \
            path.suffix.lower() in EXCEL_SUFFIXES else None
        if not names or len(names) < 2:
            raise
        # The answers are often on a later sheet, behind a cover or codebook sheet.
        message = (str(exc).removesuffix("; check the spelling") + f"; only the first sheet {names[0]!r} was "
                   f"read and the workbook also has {', '.join(repr(n) for n in names[1:])}; choose the sheet to read")
        if exc.code == "E105":
            raise InputError(message, code="E105", option="sheet") from exc
        raise InputError(message, code="E106", option="sheet") from exc


def read_frame(path: Path, *, encoding: str | None = None, sep: str | None = None,
               sheet: str | int | None = None) -> tuple[pd.DataFrame, str | None]:
    """Read any supported file into an all-text DataFrame; return it with the encoding used."""
    if not path.is_file():
        raise InputError(f"{path}: file not found; check the path", code="E101")
    suffix = path.suffix.lower()
    if suffix in CSV_SUFFIXES:
        return read_csv_text(path, encoding, sep)
    try:
        if suffix in EXCEL_SUFFIXES:
            check_zip(path, "workbook")
            _check_sheet(path, sheet)
            check_xlsx_formulas(path, sheet)
            frame = pd.read_excel(path, sheet_name=0 if sheet is None else sheet, dtype=object)
        elif suffix == ".sav":
            import pyreadstat

            frame, _meta = pyreadstat.read_sav(str(path), apply_value_formats=True)
        elif suffix == ".dta":
            frame = pd.read_stata(path, convert_categoricals=True)
        elif suffix == ".parquet":
            frame = pd.read_parquet(path)
        else:
            raise InputError(f"{path}: unsupported file type '{suffix}'; expected one of {SUPPORTED}",
                             code="E104")
    except InputError:
        raise
    except (ValueError, KeyError) as exc:
        if suffix in EXCEL_SUFFIXES and sheet is not None:
            raise InputError(f"{path}: no sheet {sheet!r}; give an existing sheet name or number",
                             code="E109", option="sheet") from exc
        raise InputError(f"{path}: cannot read as {suffix} ({_first_line(exc)}); "
                         "check that the file is not damaged", code="E103") from exc
    except Exception as exc:  # the readers raise many library-specific types for damaged files
        raise InputError(f"{path}: cannot read as {suffix} ({_first_line(exc)}); "
                         "check that the file is not damaged or saved in another format",
                         code="E103") from exc
    return _as_text(frame), None


def _check_sheet(path: Path, sheet: str | int | None) -> None:
    """Refuse a sheet the workbook does not have, naming the sheets it does have.

    pandas' own message ("Worksheet named 'x' not found") named none, and `--sheet 2` (a text) was
    looked up as a name only, although the message invited a number.
    """
    if sheet is None:  # the first sheet: nothing to look up (and no workbook opened for it)
        return
    names = sheet_names(path)
    if names is None:
        return
    if isinstance(sheet, int) and not isinstance(sheet, bool):
        if 0 <= sheet < len(names):
            return
        wanted = f"no sheet number {sheet} (numbers count from 0)"
    elif sheet in names:
        return
    else:
        wanted = f"no sheet {sheet!r}"
    raise InputError(f"{path}: {wanted}; the sheets are: {', '.join(names)}; give one of those names",
                     code="E109", option="sheet")


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


def read_csv_text(path: Path, encoding: str | None, sep: str | None) -> tuple[pd.DataFrame, str]:
    """Read a CSV file as an all-text frame; return it with the encoding that decoded it."""
    raw = path.read_bytes()
    text, used = decode_bytes(path, raw, encoding)
    if not text.strip():
        raise InputError(f"{path}: file is empty; expected a header row and one row per respondent",
                         code="E105")
    delimiter = sep or sniff_separator(text)
    header = csv_header(path, text, delimiter)
    try:
        frame = pd.read_csv(io.StringIO(text), sep=delimiter, dtype=str, keep_default_na=False,
                            na_filter=False, engine="python" if len(delimiter) > 1 else "c")
    except pd.errors.ParserError as exc:
        raise InputError(f"{path}: {_parser_message(exc)}; check quoting, or name the separator "
                         "(, ; or tab)", code="E103", option="sep") from exc
    return fit_header(path, frame, header), used


def csv_header(path: Path, text: str, delimiter: str) -> list[str]:
    """The header row as written (before pandas renames a repeated name ``name.1``), checked."""
    try:
        header = next(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), [])
    except csv.Error as exc:
        raise InputError(f"{path}:1: cannot read the header row ({exc}); check its quotes", code="E103") from exc
    check_header(path, header, "corpus")
    return header


def fit_header(path: Path, frame: pd.DataFrame, header: Sequence[str], first_row: int = 2) -> pd.DataFrame:
    """Undo what pandas does to a file whose rows have more fields than its header has names.

    A separator at the end of every row (``0301;Oslo;``) gives each row one field more than the
    header; pandas then silently takes the first column as the row index and shifts every column
    name one place (ids become county names). Empty trailing fields are dropped here; a trailing
    field with text is an error naming the row. A header that ends with the separator too gives
    an unnamed, empty last column, which is dropped as well.
    """
    if not isinstance(frame.index, pd.RangeIndex):
        extra = frame.index.nlevels
        columns = [list(frame.index.get_level_values(i).astype(str)) for i in range(extra)]
        columns += [list(frame[c]) for c in frame.columns]
        for values in columns[len(columns) - extra:]:
            filled = [i for i, v in enumerate(values) if str(v).strip()]
            if filled:
                raise InputError(f"{path}: row {first_row + filled[0]} has {len(columns)} fields but the "
                                 f"header has {len(columns) - extra} names; remove the extra separator or "
                                 "quote the text that contains it", code="E103")
        frame = pd.DataFrame(dict(zip(frame.columns, columns[: len(columns) - extra])),
                             index=pd.RangeIndex(first_row - 2, first_row - 2 + len(frame)), dtype=object)
    if len(header) == len(frame.columns) and any(not name.strip() for name in header):
        keep = []
        for position, name in enumerate(header):
            if name.strip():
                keep.append(position)
                continue
            filled = [i for i, v in enumerate(frame.iloc[:, position].tolist()) if str(v).strip()]
            if filled:
                raise InputError(f"{path}: column {position + 1} has no name in the header but row "
                                 f"{first_row + filled[0]} has text in it; give the column a name, or "
                                 "remove the extra separator", code="E103")
        frame = frame.iloc[:, keep]
    return frame


def _parser_message(exc: Exception) -> str:
    message = _first_line(exc)
    # pandas says "Error tokenizing data. C error: Expected 3 fields in line 5, saw 4"
    if "Expected" in message and "line" in message:
        return message.split("C error: ")[-1].replace("in line", "in row")
    return message


def _as_text(frame: pd.DataFrame) -> pd.DataFrame:
    """Turn every cell into text; integral floats (SPSS ids) lose their '.0', missing becomes ''."""
    def cell(value: object) -> str:
        if value is None or (isinstance(value, float) and value != value):
            return ""
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        if value is pd.NaT:
            return ""
        return str(value)

    frame = frame.copy()
    frame.columns = [str(c) for c in frame.columns]
    for column in frame.columns:
        frame[column] = [cell(v) for v in frame[column].tolist()]
    return frame


def corpus_from_frame(frame: pd.DataFrame, path: Path, id_column: str, text_columns: Sequence[str],
                      attribute_columns: Sequence[str] | None = None,
                      encoding: str | None = None, *, year_column: str | None = None) -> Corpus:
    """Validate columns and ids of an all-text frame and split it into cases and answers.

    The ``year_column`` of the cases (when it is one of them) goes through :func:`year_value`.
    """
    columns = list(frame.columns)
    for kind, names in (("text column", text_columns), ("attribute column", attribute_columns or [])):
        twice = sorted({n for n in names if list(names).count(n) > 1})
        if twice:
            raise InputError(f"{path}: column {twice[0]!r} is named twice as a {kind}; name each column once", code="E107")
    duplicated = sorted({c for c in columns if columns.count(c) > 1})
    if duplicated:
        raise InputError(f"{path}: column name {duplicated[0]!r} appears more than once in the header; "
                         "rename one of them", code="E107")
    for name in [id_column, *text_columns, *(attribute_columns or [])]:
        if name not in columns:
            raise InputError(_missing_column(path, name, columns), code="E106")
    if id_column in text_columns:
        raise InputError(f"{path}: column {id_column!r} is both the id column and a text column; "
                         "choose a different text column", code="E107", option="text_columns")
    ids = frame[id_column].astype(str).str.strip()
    _check_ids(path, ids, id_column)

    attributes = list(attribute_columns) if attribute_columns is not None else [
        c for c in columns if c != id_column and c not in text_columns]
    cases = frame[attributes].copy()
    cases.insert(0, "case_id", ids.to_numpy())
    cases = cases.reset_index(drop=True)
    if year_column is not None and year_column in cases.columns and year_column != "case_id":
        cases[year_column] = [year_value(value) for value in cases[year_column].tolist()]

    answers = []
    n_empty: dict[str, int] = {}
    for question in text_columns:
        texts = frame[question].astype(str).map(_normalise_text)
        non_empty = texts.str.strip() != ""
        n_empty[question] = int((~non_empty).sum())
        answers.append(pd.DataFrame({"case_id": ids[non_empty].to_numpy(), "question": question,
                                     "text": texts[non_empty].to_numpy()}))
    answer_frame = pd.concat(answers, ignore_index=True)
    return Corpus(cases=cases, answers=answer_frame, questions=list(text_columns), source=path,
                  encoding=encoding, n_empty=n_empty)


_INTEGRAL = re.compile(r"([+-]?\d+)[.,]0+")


def year_value(value: object) -> str:
    """A survey year as text: outer whitespace stripped, an integral number without its decimals.

    The one normalisation of year values (the corpus's year column, a published table's ``aar``,
    ``--year``). A CSV saved from a float column holds ``2023.0`` beside ``2023`` (Excel's own
    floats are already integral when read, see :func:`_as_text`), and a pasted year may carry a
    space; each counted as a year of its own in every output. Other text is kept as it is.

    >>> [year_value(v) for v in ["2023.0", " 2023 ", "2023,00", "2023", "2023.5", "2022/23", ""]]
    ['2023', '2023', '2023', '2023', '2023.5', '2022/23', '']
    """
    text = str(value).strip()
    whole = _INTEGRAL.fullmatch(text)
    return whole.group(1) if whole else text


def _normalise_text(text: str) -> str:
    # NFC so that "ø" typed on a Mac (o + combining stroke) equals "ø" typed on Windows;
    # offsets in codings refer to this normalised text.
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))


def _missing_column(path: Path, name: str, columns: list[str]) -> str:
    if not looks_like_header(columns, survey=True):  # another kind of file: describe it, never echo it
        return (f"{path}: no column {name!r}; the first line has {len(columns)} field(s) and does not look "
                "like a header of column names; check that this is the survey file")
    close = difflib.get_close_matches(name, columns, n=1)
    hint = f"did you mean {close[0]!r}?" if close else "check the spelling"
    shown = ", ".join(columns[:20]) + (", …" if len(columns) > 20 else "")
    return f"{path}: no column {name!r}; the columns are: {shown}; {hint}"


def _check_ids(path: Path, ids: pd.Series, id_column: str) -> None:
    # Row numbers as a spreadsheet shows them: the header is row 1, the first respondent row 2.
    empty = ids[ids == ""]
    if len(empty):
        row = int(empty.index[0]) + 2
        raise InputError(f"{path}: row {row}: column {id_column!r} is empty; every respondent needs an id",
                         code="E110")
    dupes = ids[ids.duplicated(keep=False)]
    if len(dupes):
        value = dupes.iloc[0]
        rows = [int(i) + 2 for i in dupes[dupes == value].index[:2]]
        raise InputError(f"{path}: row {rows[1]}: id {value!r} in column {id_column!r} already used in "
                         f"row {rows[0]}; ids must be unique (one row per respondent)", code="E110")


def keep_attributes(corpus: Corpus, attributes: Sequence[str]) -> Corpus:
    """``corpus`` with only ``case_id`` and those of ``attributes`` it has as respondent columns.

    Exports (``refs.csv``, ``matrix.csv``) carry declared attributes only: an undeclared column may be
    another question's free text, which must not travel to NVivo or a shared spreadsheet.
    """
    keep = ["case_id", *(c for c in dict.fromkeys(attributes) if c in corpus.cases.columns and c != "case_id")]
    return Corpus(cases=corpus.cases[keep], answers=corpus.answers, questions=corpus.questions,
                  source=corpus.source, encoding=corpus.encoding, n_empty=corpus.n_empty)
