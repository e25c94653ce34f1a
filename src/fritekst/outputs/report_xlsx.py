"""The Excel workbook: one formatted sheet per table, ready to copy into a report.

Shares are stored as numbers with a percent format (so Excel can compute with them and shows them
in the reader's locale); every text cell goes through :func:`fritekst.sources.tables.safe_cell` so an answer that
starts with ``=`` is never run as a formula. Mismatches with the published tables are filled red.

The sheets are first laid out as plain data (:class:`~.report_xlsx_writer.SheetPlan`), then written as
XML by :mod:`.report_xlsx_writer` (openpyxl's per-cell objects cost ~1 s for the ~76,000 cells of the
shipped example). The plan's digest is stored in the workbook's properties, so a rerun whose plan is
identical keeps the earlier file instead of writing it again.
"""

from __future__ import annotations

import hashlib
import io
import math
import re
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, cast

import pandas as pd

from .._version import __version__
from ..sources.tables import safe_cell
from .report import Report, column_label, grouping_label
from . import report_xlsx_writer
from .report_xlsx_writer import Fill, Font, SheetPlan, Styled, column_letter, write_workbook
from ..analysis.summary import ALL, FREQUENCY_COLUMNS

#: The workbook's header (a catalogue key) of each frequencies.csv column; the CSV keeps the names.
FREQUENCY_HEADERS = dict(zip([*FREQUENCY_COLUMNS, "flag", "small_cell", "n_answered_not_asked"],
                             ["question", "question_text", "year", "grouped_by", "group", "code", "theme",
                              "theme_path", "asked", "answered", "xlsx_with_theme", "share", "ci_from", "ci_to",
                              "mismatch", "small_group", "answered_not_asked"]))

HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = Fill("34495E")
BAD_FILL = Fill("F8D7DA")
BAD_FONT = Font(bold=True, color="B3261E")
TITLE_FONT = Font(bold=True, size=14)
BOLD = Font(bold=True)
PERCENT = "0.0%"
MAX_WIDTH = 60
HEADER_ROW = 3


def _cell(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if value is pd.NA:
        return None
    if hasattr(value, "item") and not isinstance(value, str):
        value = value.item()  # numpy scalars → Python numbers
    return safe_cell(value)


def _sheet_name(name: str, used: set[str]) -> str:
    """Excel sheet names: at most 31 characters, none of ``[]:*?/\\``, unique ignoring case."""
    clean = re.sub(r"[\[\]:*?/\\]", "_", name)[:31] or "Ark"
    candidate, number = clean, 2
    while candidate.lower() in used:
        suffix = f" ({number})"
        candidate, number = clean[: 31 - len(suffix)] + suffix, number + 1
    used.add(candidate.lower())
    return candidate


def _styled(value: Any, *, font: Font | None = None, fill: Fill | None = None,
            number_format: str | None = None) -> Styled:
    return Styled(_cell(value), font, fill, number_format)


def _write_table(sheet: Any, title: str, headers: Sequence[str], rows: Sequence[Sequence[Any]],
                 *, percent_columns: Sequence[int] = (), bad_rows: Sequence[bool] = (),
                 note: str = "") -> None:
    """Title in A1, an optional note in A2, then a header row (row 3) with filters and frozen panes.

    """
    for col, header in enumerate(headers, start=1):
        # the header shares its cell with the filter button (~2 characters wide)
        heading = len(str(header)) + 3
        if col - 1 in percent_columns:
            width = max(9, heading)
        else:
            longest = max([len(str(r[col - 1])) for r in rows if col - 1 < len(r) and r[col - 1] is not None],
                          default=0)
            width = max(heading, longest + 2)
        sheet.column_dimensions[column_letter(col)].width = max(min(MAX_WIDTH, width), 8)
    sheet.freeze_panes = f"A{HEADER_ROW + 1}"
    if rows:
        sheet.auto_filter.ref = f"A{HEADER_ROW}:{column_letter(len(headers))}{HEADER_ROW + len(rows)}"
    sheet.append([_styled(title, font=TITLE_FONT)])
    sheet.append([_cell(note)] if note else [])
    sheet.append([_styled(h, font=HEADER_FONT, fill=HEADER_FILL) for h in headers])
    percent = set(percent_columns)
    for index, values in enumerate(rows):
        bad = bool(bad_rows[index]) if index < len(bad_rows) else False
        if not bad and not percent:
            sheet.append([_cell(v) for v in values])
            continue
        if bad:
            sheet.append([_styled(v, font=BAD_FONT, fill=BAD_FILL,
                                  number_format=PERCENT if col in percent else None)
                          for col, v in enumerate(values)])
        else:  # only the share cells need a style; plain values are much cheaper to write
            sheet.append([_styled(v, number_format=PERCENT) if col in percent else _cell(v)
                          for col, v in enumerate(values)])


#: The layout's and the writer's own code: part of what a kept workbook must have been made from.
_CODE = Path(__file__).read_bytes() + Path(report_xlsx_writer.__file__).read_bytes()
#: The workbook property that holds the digest of the sheets' plan.
DIGEST_PROPERTY = "fritekst-sheets-sha256"


def render_xlsx(report: Report, previous: Path | None = None) -> bytes:
    """The workbook as bytes (nothing is written to disk here).

    ``previous`` is an earlier ``report.xlsx``: when it was written from exactly the same sheets (its
    stored digest equals this plan's), its bytes are returned instead of writing the workbook again.
    """
    plans = _plan_sheets(report)
    digest = hashlib.sha256()
    digest.update(_CODE)
    for plan in plans:
        plan.digest_into(digest)
    key = digest.hexdigest()
    earlier = _previous_workbook(previous, key)
    if earlier is not None:
        return earlier
    return write_workbook(plans, {DIGEST_PROPERTY: key}, application=f"fritekst {__version__}")


def _previous_workbook(path: Path | None, key: str) -> bytes | None:
    if path is None:
        return None
    try:
        content = path.read_bytes()
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            properties = archive.read("docProps/custom.xml").decode("utf-8")
    except (OSError, KeyError, ValueError, zipfile.BadZipFile):
        return None
    return content if f">{key}</" in properties else None


def _plan_sheets(report: Report) -> list[SheetPlan]:
    tr = report.texts
    plans: list[SheetPlan] = []
    used: set[str] = set()

    class _Book:  # hands out plans where the writers ask a workbook for sheets
        @staticmethod
        def create_sheet(name: str) -> SheetPlan:
            plans.append(SheetPlan(name))
            return plans[-1]

    book = _Book()
    _overview_sheet(book.create_sheet(_sheet_name(tr("sheet_overview"), used)), report)
    for table in report.tables:
        link = table.link
        rows = [[r.year, r.svar, r.published_n, r.published_pct, r.corpus_n,
                 None if pd.isna(r.corpus_pct) else round(float(r.corpus_pct), 1), r.flag]
                for r in cast(Iterable[Any], link.itertuples(index=False))]
        _write_table(book.create_sheet(_sheet_name(table.spec.id, used)), table.spec.title,
                     [tr(key) for key in ("year", "xlsx_answer", "xlsx_published_n", "xlsx_published_pct",
                                          "xlsx_corpus_n", "xlsx_corpus_pct", "mismatch")],
                     [[*row[:6], tr("mismatch_mark") if row[6] else row[6]] for row in rows],
                     bad_rows=list(~link["match"]), note=tr("xlsx_table_note"))
    _response_sheet(book.create_sheet(_sheet_name(tr("sheet_responses"), used)), report)
    for question in report.questions:
        _question_sheet(book.create_sheet(_sheet_name(tr("sheet_themes", column=question.base.column), used)),
                        question, report)
    frequencies = _readable_keys(report.frequencies(), report)
    _write_table(book.create_sheet(_sheet_name(tr("sheet_frequencies"), used)), tr("xlsx_frequencies_title"),
                 [tr(FREQUENCY_HEADERS[c]) if c in FREQUENCY_HEADERS else str(c) for c in frequencies.columns],
                 frequencies.values.tolist(),
                 percent_columns=[list(frequencies.columns).index(c) for c in ("pct", "ci_low", "ci_high")],
                 bad_rows=list(frequencies["flag"] != "") if "flag" in frequencies else (),
                 note=tr("xlsx_frequencies_note"))
    _cooccurrence_sheet(book.create_sheet(_sheet_name(tr("sheet_together"), used)), report)
    _tests_sheet(book.create_sheet(_sheet_name(tr("sheet_tests"), used)), report)
    _quotes_sheet(book.create_sheet(_sheet_name(tr("sheet_quotes"), used)), report)
    return plans


def _readable_keys(frequencies: pd.DataFrame, report: Report) -> pd.DataFrame:
    """frequencies.csv's rows with the keys a reader filters on in words, as the other sheets show
    them: the year ``alle`` as "Alle år", the whole sample (``alle``) as "Hele utvalget", a grouping
    column by its label ("kommunestørrelse"). The CSV keeps the keys, for scripts."""
    tr = report.texts
    frequencies = frequencies.copy()
    whole = tr("whole_sample")
    frequencies["year"] = [tr.year(year) for year in frequencies["year"]]
    frequencies["group"] = [whole if grouping == ALL else group
                            for grouping, group in zip(frequencies["group_by"], frequencies["group"])]
    frequencies["group_by"] = [whole if grouping == ALL else grouping_label(grouping, report)
                               for grouping in frequencies["group_by"]]
    return frequencies


def _overview_sheet(sheet: Any, report: Report) -> None:
    sheet.column_dimensions["A"].width = 18
    sheet.column_dimensions["B"].width = 60
    tr = report.texts
    bold = BOLD
    sheet.append([_styled(report.title, font=TITLE_FONT)])
    sheet.append([])
    for key, value in [(tr("source"), report.source),
                       (tr("years" if len(report.years) != 1 else "year"), ", ".join(report.years)),
                       (tr("coding"), report.codings_source),
                       (tr("grouped_by"), ", ".join(column_label(g, report) for g in report.group_by)),
                       (tr("xlsx_questions"), len(report.questions))]:
        sheet.append([_styled(key, font=bold), _cell(value)])
    sheet.append([])
    sheet.append([_styled(tr("mismatch") if report.warnings else tr("no_mismatch"),
                          font=BAD_FONT if report.warnings else bold)])
    for warning in report.warnings:
        sheet.append([_styled(warning, font=BAD_FONT, fill=BAD_FILL)])


def _response_sheet(sheet: Any, report: Report) -> None:
    tr = report.texts
    rows, bad = [], []
    for question in report.questions:
        for r in question.overview.to_dict("records"):
            published = r.get("published_n")
            rows.append([question.base.column, question.spec.label, tr.year(r["year"]), r["n_cases"],
                         None if published is None or pd.isna(published) else int(published),
                         r["n_asked"], r["n_answered"], r["pct_answered"], r["n_answered_not_asked"]])
            bad.append(published is not None and not pd.isna(published) and not r.get("published_match"))
    _write_table(sheet, tr("who_answered"),
                 [tr(key) for key in ("question", "question_text", "year", "respondents", "published", "asked",
                                      "answered", "share_answered", "answered_not_asked")],
                 rows, percent_columns=[7], bad_rows=bad)


def _question_sheet(sheet: Any, question: Any, report: Report) -> None:
    """Themes × years, whole sample: n, share and interval side by side."""
    tr = report.texts
    freq = question.frequencies
    total = freq[freq["group_by"] == ALL]
    years = question.base.year_keys()
    headers = [tr("theme"), tr("code")]
    percent_columns = []
    for year in years:
        n_answered = total.loc[total["year"] == year, "n_answered"]
        n = int(n_answered.iloc[0]) if len(n_answered) else 0
        headers += [tr("xlsx_count_in", year=tr.year(year), n=n), tr("xlsx_share_in", year=tr.year(year), n=n),
                    tr("ci_from"), tr("ci_to")]
        percent_columns += [len(headers) - 3, len(headers) - 2, len(headers) - 1]
    rows = []
    for code_id in question.base.theme_ids:
        row: list[Any] = [question.base.paths[code_id], code_id]
        for year in years:
            r = question.whole_sample(year, code_id)
            row += [None] * 4 if r is None else [int(r["n_coded"]), r["pct"], r["ci_low"], r["ci_high"]]
        rows.append(row)
    _write_table(sheet, question.spec.label, headers, rows, percent_columns=percent_columns,
                 note=tr("xlsx_themes_note"))


def _cooccurrence_sheet(sheet: Any, report: Report) -> None:
    tr = report.texts
    rows = []
    for question in report.questions:
        for r in question.cooccurrence.itertuples(index=False):
            rows.append([r.question, r.code_a_label, r.code_b_label, r.n_both, r.n_answered])
    years = report.years
    span = (tr.year(years[0]) if len(years) == 1 else tr("xlsx_selected_years"))
    _write_table(sheet, tr("xlsx_together_title", span=span),
                 [tr(key) for key in ("question", "xlsx_theme_a", "xlsx_theme_b", "xlsx_both", "xlsx_answered_total")],
                 rows, note=tr("xlsx_together_note"))


def _tests_sheet(sheet: Any, report: Report) -> None:
    tr = report.texts
    rows = []
    for question in report.questions:
        for r in cast(Iterable[Any], question.tests.itertuples(index=False)):
            rows.append([r.question, tr.year(r.year), grouping_label(r.group_by, report), r.code_label, r.n_groups,
                         r.n_answered, r.chi2, r.df, r.p_value, r.min_expected,
                         tr("yes" if r.testable else "no"), tr("yes" if r.significant else "no"), r.statement])
    _write_table(sheet, tr("xlsx_tests_title"),
                 [tr(key) for key in ("question", "year", "grouped_by", "theme", "xlsx_groups", "answered",
                                      "xlsx_chi2")] + ["df", "p"]
                 + [tr(key) for key in ("xlsx_min_expected", "xlsx_testable", "xlsx_significant", "xlsx_conclusion")],
                 rows, note=tr("xlsx_tests_note"))


def _quotes_sheet(sheet: Any, report: Report) -> None:
    tr = report.texts
    rows = []
    extra = [g for g in report.group_by]
    for question in report.questions:
        for r in question.quotes.to_dict("records"):
            rows.append([r["question"], r["code_label"], r["rank"], r["case_id"], tr.year(r["year"]),
                         *[r.get(g, "") for g in extra], r["quote"]])
    _write_table(sheet, tr("xlsx_quotes_title"),
                 [tr("question"), tr("theme"), tr("xlsx_rank"), tr("respondent"),
                  tr("year"), *[column_label(g, report) for g in extra], tr("xlsx_quote")],
                 rows)
