"""Build a theme report from a project: the report's data model, which every renderer reads.

:func:`make_report` loads and codes a project (or takes ready codings from a codings file),
:func:`build_report` turns frames into a :class:`Report` of tidy summary frames plus warnings.
The renderers (:mod:`.report_html`, :mod:`.report_xlsx`, :mod:`.report_terminal`) read a
:class:`Report`; :mod:`.report_files` writes the files, so this module imports none of them.

Examples
--------
>>> from fritekst.sources.project import load_project
>>> mini = example / "tests" / "data" / "report"
>>> report = make_report(load_project(mini / "fritekst.toml"), codings_path=mini / "refs.csv")
>>> [q.spec.column for q in report.questions]
['grunn_ja', 'grunn_nei', 'grunn_vet_ikke']
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import numpy as np
import pandas as pd

from ..errors import InputError, ProjectError
from ..analysis.quote_choices import QuoteDecisions, quote_decisions, read_quote_choices
from ..sources.corpus import year_value
from ..sources.tables import read_rows, required_header
from ..analysis.quotes import select_quotes
from .texts import Texts, check_language, texts_for, with_statements
from ..analysis.summary import (ALL, FREQUENCY_COLUMNS, NO_THEME, QuestionBase, build_base, cooccurrence,
                                group_tests, published_counts, response_overview, table_link,
                                theme_frequencies, trends)

Progress = Callable[[int], None]
#: Per question: its year keys and whole-sample frequency rows (:func:`whole_sample_frequencies`).
Frequencies = dict[str, tuple[list[str], pd.DataFrame]]
TABLE_COLUMNS = ("aar", "svar", "antall", "prosent")
#: The ``group_by`` of the tests of year against year (:func:`~fritekst.analysis.summary.group_tests`).
YEAR_GROUPING = "år"


def column_label(column: str, project: Any = None) -> str:
    """A readable name for an attribute column: the project's ``[report] column_labels``, else the
    name with spaces for underscores.

    Examples
    --------
    >>> column_label("fylke_nr")
    'fylke nr'
    """
    labels = getattr(project, "column_labels", None) or {}
    return str(labels.get(column, column.replace("_", " ")))


@dataclass
class QuestionReport:
    """The summaries of one open question (frames from :mod:`fritekst.analysis.summary`)."""

    spec: Any
    codebook: Any
    base: QuestionBase
    overview: pd.DataFrame
    frequencies: pd.DataFrame
    trends: pd.DataFrame
    cooccurrence: pd.DataFrame
    tests: pd.DataFrame
    quotes: pd.DataFrame
    _whole: dict[tuple[str, str], dict[str, Any]] | None = field(default=None, repr=False)

    @property
    def latest_year(self) -> str:
        """The most recent selected year (the one charts and group splits show)."""
        return self.base.years[-1] if self.base.years else ALL

    def whole_sample(self, year: str, code_id: str) -> dict[str, Any] | None:
        """The frequency row of one theme in one year for everyone asked (None if absent)."""
        if self._whole is None:
            rows = self.frequencies[self.frequencies["group_by"] == ALL].to_dict("records")
            self._whole = {(r["year"], r["code_id"]): r for r in rows}
        return self._whole.get((year, code_id))


@dataclass
class TableReport:
    """A published table beside the same counts in the corpus."""

    spec: Any
    published: pd.DataFrame
    link: pd.DataFrame

    @property
    def matches(self) -> bool:
        return bool(self.link["match"].all())

    def answers(self) -> list[str]:
        """The table's answer columns, in the published order."""
        return list(dict.fromkeys(self.link["svar"]))

    def rows(self) -> list[tuple[str, list[Any]]]:
        """Per year (published order) the linked row of each answer column, ``None`` where it has none.

        What the page and the terminal both lay out as the table's grid.
        """
        found: dict[tuple[Any, Any], Any] = {}
        for r in self.link.itertuples(index=False):
            found.setdefault((r.year, r.svar), r)  # the first row of a cell, as the table lists it
        answers = self.answers()
        return [(year, [found.get((year, svar)) for svar in answers]) for year in dict.fromkeys(self.link["year"])]


def published_count(row: Any) -> str:
    """A linked row's published count as printed: the number, or "–" where the table gives none."""
    return "–" if pd.isna(row.published_n) else str(int(row.published_n))


@dataclass
class Report:
    """Everything the renderers show. Build with :func:`build_report` or :func:`make_report`."""

    title: str
    source: str
    codings_source: str
    years: list[str]
    group_by: list[str]
    questions: list[QuestionReport]
    tables: list[TableReport]
    warnings: list[str] = field(default_factory=list)
    quotes_per_code: int = 3
    seed: int = 0
    #: Readable names of attribute columns (``[report] column_labels``), for :func:`column_label`.
    column_labels: dict[str, str] = field(default_factory=dict)
    min_group_size: int = 5
    #: The language the renderers write in ("nb" or "en"; see :mod:`fritekst.outputs.texts`).
    lang: str = "nb"

    @property
    def texts(self) -> Texts:
        """The text catalogue in the report's language."""
        return texts_for(self.lang)

    def frequencies(self) -> pd.DataFrame:
        """All questions' frequencies in one long frame (the ``frequencies.csv`` rows).

        Columns are :data:`~fritekst.analysis.summary.FREQUENCY_COLUMNS` plus ``flag``: empty, or ``AVVIK: …``
        on every row of a question and year whose published count differs from the corpus.
        """
        frames = [q.frequencies for q in self.questions]
        if not frames:
            return pd.DataFrame(columns=[*FREQUENCY_COLUMNS, "flag", "small_cell", "n_answered_not_asked"])
        return pd.concat(frames, ignore_index=True)


def read_published_table(path: str | os.PathLike[str]) -> pd.DataFrame:
    """Read a published table with columns ``aar, svar, antall, prosent`` (extra columns kept).

    ``antall`` must be whole numbers; ``prosent`` may use a decimal comma or be blank. Raises
    :class:`InputError` naming the file and line of the first bad cell.
    """
    path = Path(path)
    if not path.is_file():
        # A project's [[tables]] path is checked when the project file is read (E303, naming it);
        # this is for a caller that passes the path itself.
        raise InputError(f"{path}: published table not found; check the path", code="E101")
    try:
        raw_header, numbered = read_rows(path, "published table", utf8_only=True,
                                         expected=f"a header row {','.join(TABLE_COLUMNS)}")
    except InputError as exc:
        if "is empty" in str(exc):
            raise InputError(f"{path}: table is empty; expected a header row {','.join(TABLE_COLUMNS)}",
                             code="E105") from exc
        if "is not UTF-8" in str(exc):
            raise InputError(f"{path}: not UTF-8 text; save the table as 'CSV UTF-8'", code="E102") from exc
        raise
    rows = [raw_header, *(cells for _, cells in numbered)]
    lines = [1, *(line for line, _ in numbered)]
    header = required_header(path, rows[0], TABLE_COLUMNS,
                             f"a published table needs the columns {', '.join(TABLE_COLUMNS)}")
    records: list[dict[str, object]] = []
    seen: dict[tuple[str, str], int] = {}
    for line, cells in zip(lines[1:], rows[1:]):
        texts = {name: (cells[i].strip() if i < len(cells) else "") for i, name in enumerate(header)}
        # Same keys in the same order; antall and prosent are replaced by their parsed values.
        record: dict[str, object] = dict(texts)
        try:
            count = int(texts["antall"].replace(" ", "").replace("\u00a0", ""))
        except ValueError:
            raise InputError(f"{path}:{line}: antall {texts['antall']!r} is not a whole number; write "
                             "the published count, e.g. 122", code="E111") from None
        record["antall"] = count
        if count < 0:  # a sign typed by mistake was compared as a count
            raise InputError(f"{path}:{line}: antall {texts['antall']!r} is negative; write the published "
                             "count, e.g. 122", code="E111")
        pct = texts["prosent"].replace(",", ".").rstrip("%").strip()
        try:
            record["prosent"] = float(pct) if pct else float("nan")
        except ValueError:
            raise InputError(f"{path}:{line}: prosent {texts['prosent']!r} is not a number; write e.g. "
                             "58 or 57,5, or leave it blank", code="E111") from None
        if not texts["aar"] or not texts["svar"]:
            raise InputError(f"{path}:{line}: empty aar or svar; every row needs a year and an answer",
                             code="E110")
        texts["aar"] = record["aar"] = year_value(texts["aar"])  # as the corpus's years are read
        key = (texts["aar"], texts["svar"])
        if key in seen:
            # Both rows were compared and flagged, and the table showed only the first one's count.
            raise InputError(f"{path}:{line}: year {key[0]} and answer {key[1]!r} are already on line "
                             f"{seen[key]}; keep one row per year and answer", code="E110")
        seen[key] = line
        records.append(record)
    return pd.DataFrame.from_records(records, columns=header)


def build_report(project: Any, cases: pd.DataFrame, answers: pd.DataFrame, codings: pd.DataFrame,
                 codebooks: Mapping[str, Any], *, years: Sequence[str] | None = None,
                 questions: Sequence[str] | None = None, codings_source: str = "",
                 source: str = "", rejected_codings: Iterable[tuple[str, str]] = (),
                 lang: str | None = None) -> Report:
    """Summarise every (selected) question of ``project`` and link it to the published tables.

    Parameters
    ----------
    project : Project
        Supplies questions, tables, ``group_by``, ``quotes_per_code``, ``seed`` and the year column.
    cases, answers, codings : DataFrame
        The corpus frames and the codings (rows with ``decision == "no"`` are ignored).
    codebooks : mapping
        The project's codebook names → :class:`~fritekst.rules.codebook.Codebook`.
    years, questions : sequence of str, optional
        Restrict the report to these years / question columns.
    rejected_codings : iterable of (case_id, code_id), optional
        Codings a human rejected (also taken from rows with ``decision == "no"``): never quoted.
    lang : {"nb", "en"}, optional
        The report's language (warnings and test sentences are written in it); default: the
        project's ``[report] lang``. ``codebooks`` are the project's codebooks (by the project's name
    for each) when the caller has loaded them already.
    """
    lang = check_language(lang or getattr(project, "lang", None) or "nb")
    tr = texts_for(lang)
    year_column = project.corpus_spec.year_column
    specs = _select_questions(project, questions)
    selected_years = _select_years(cases, year_column, years, project)
    codings, refused = _accepted_codings(codings)
    rejected = set(rejected_codings) | refused
    warnings: list[str] = []
    table_reports, table_notes = _link_tables(project, cases, selected_years, warnings, tr)
    published_by_id = {t.spec.id: t.published for t in table_reports}
    decisions = _quote_decisions(project, codebooks, warnings, tr)
    question_reports = []
    for spec in specs:
        base = build_base(cases, answers, codings, spec, codebooks[spec.codebook],
                          year_column=year_column, years=selected_years)
        question_reports.append(_summarise(project, base, _published_for(spec, project, published_by_id),
                                           table_notes.get(spec.table or "", {}), warnings, decisions,
                                           rejected, tr))
    all_years = sorted({y for q in question_reports for y in q.base.years})
    return Report(title=project.title, source=source, codings_source=codings_source,
                  years=all_years, group_by=list(project.group_by), questions=question_reports,
                  tables=table_reports, warnings=warnings, quotes_per_code=project.quotes_per_code,
                  seed=project.seed, column_labels=dict(getattr(project, "column_labels", {}) or {}),
                  min_group_size=int(getattr(project, "min_group_size", 5)), lang=lang)


def _accepted_codings(codings: pd.DataFrame) -> tuple[pd.DataFrame, set[tuple[str, str]]]:
    """The codings that count, and (case_id, code_id) of the rows a human refused (``decision == "no"``)."""
    if "decision" not in codings.columns:
        return codings, set()
    refused = codings["decision"].fillna("yes").astype(str) == "no"
    return codings[~refused], set(zip(codings.loc[refused, "case_id"], codings.loc[refused, "code_id"]))


def whole_sample_frequencies(project: Any, cases: pd.DataFrame, answers: pd.DataFrame, codings: pd.DataFrame,
                             codebooks: Mapping[str, Any], *, years: Sequence[str] | None = None,
                             questions: Sequence[str] | None = None) -> Frequencies:
    """Per question: its year keys and the whole-sample frequency rows :func:`build_report` counts.

    The rows are :func:`~fritekst.analysis.summary.theme_frequencies` of the ``group_by == ALL``
    grouping, which no ``group_by`` column, minimum group size or published table changes. Without
    the groups, tests, quotes and tables of a whole report they take ~30 ms instead of ~200 ms on the
    example (the workbench's re-code asks for nothing more).
    """
    year_column = project.corpus_spec.year_column
    selected_years = _select_years(cases, year_column, years, project)
    codings, _ = _accepted_codings(codings)
    found: Frequencies = {}
    for spec in _select_questions(project, questions):
        base = build_base(cases, answers, codings, spec, codebooks[spec.codebook],
                          year_column=year_column, years=selected_years)
        found[str(spec.column)] = (base.year_keys(), theme_frequencies(base, ()))
    return found


def _link_tables(project: Any, cases: pd.DataFrame, years: list[str] | None, warnings: list[str],
                 tr: Texts) -> tuple[list[TableReport], dict[str, dict[str, list[str]]]]:
    """Every published table beside the corpus counts; mismatches go to ``warnings`` and, per table
    and year, to the notes returned (they flag the frequency rows of the questions using the table)."""
    year_column = project.corpus_spec.year_column
    reports = []
    notes: dict[str, dict[str, list[str]]] = {}
    for spec in project.tables:
        published = read_published_table(spec.path)
        if years is not None:
            published = published[published["aar"].astype(str).str.strip().isin(years)]
        scope = cases if years is None else _in_years(cases, year_column, years)
        link = table_link(scope, published, spec.column, spec.population, year_column=year_column,
                          where=f"[[tables]] {spec.id}")
        reports.append(TableReport(spec, published, link))
        for row in link[~link["match"]].itertuples(index=False):
            shown = (tr("warn_missing_in_table") if pd.isna(row.published_n)
                     else tr("warn_published_n", n=row.published_n))
            note = tr("warn_table_cell", table=spec.id, year=tr.year(row.year), answer=row.svar, shown=shown,
                      n=row.corpus_n)
            warnings.append(note)
            notes.setdefault(spec.id, {}).setdefault(row.year, []).append(note)
    return reports, notes


def _quote_decisions(project: Any, codebooks: Mapping[str, Any], warnings: list[str],
                     tr: Texts) -> dict[tuple[str, str], QuoteDecisions]:
    """The project's pinned and banned quotes; choices for unknown questions or codes are warned about
    (a code may have been renamed since the choice was made) and otherwise ignored."""
    path = getattr(project, "quote_choices", None)
    if path is None:
        return {}
    decisions = quote_decisions(read_quote_choices(path))
    questions = {spec.column: spec for spec in project.questions}
    for question, code_id in decisions:
        spec = questions.get(question)
        if spec is None:
            warnings.append(tr("warn_quote_question", path=path, question=question))
        elif code_id not in codebooks[spec.codebook].code_ids and code_id != "_ingen_tema":
            warnings.append(tr("warn_quote_code", path=path, code=code_id, codebook=spec.codebook))
    return decisions


def _summarise(project: Any, base: QuestionBase, published: dict[str, int] | None,
               table_notes: Mapping[str, list[str]], warnings: list[str],
               decisions: Mapping[tuple[str, str], QuoteDecisions] | None = None,
               rejected: set[tuple[str, str]] | None = None, tr: Texts | None = None) -> QuestionReport:
    """All summaries of one question; its own mismatches and routing errors go to ``warnings``."""
    tr = tr or texts_for()
    spec = base.spec
    if tr.lang != "nb":
        # The analysis names answers without a theme in Norwegian; every table reads this label.
        base.labels[NO_THEME] = base.paths[NO_THEME] = tr("no_theme_label")
    overview = response_overview(base, published)
    notes = {year: list(found) for year, found in table_notes.items()}
    for row in cast(Iterable[Any], overview.itertuples(index=False)):
        if row.year == ALL:
            continue
        if published is not None and not row.published_match:
            note = tr("warn_asked", question=spec.column, year=tr.year(row.year), table=spec.table,
                      published=_missing(row.published_n, tr), n=row.n_asked)
            warnings.append(note)
            notes.setdefault(row.year, []).insert(0, note)
        if row.n_answered_not_asked:
            warnings.append(tr("warn_not_asked", question=spec.column, year=tr.year(row.year),
                               n=row.n_answered_not_asked))
    if notes:
        # Pooled rows rest on every year, so they inherit every year's mismatch.
        notes[ALL] = [n for year in sorted(notes) for n in notes[year]]
    frequencies = theme_frequencies(base, project.group_by)
    frequencies["flag"] = ["; ".join(notes.get(year, [])) for year in frequencies["year"]]
    # Answers from respondents outside the filter are never counted, but always reported.
    outside = dict(zip(overview["year"], overview["n_answered_not_asked"]))
    frequencies["n_answered_not_asked"] = [int(outside.get(year, 0)) for year in frequencies["year"]]
    minimum = int(getattr(project, "min_group_size", 5))
    small = (frequencies["group_by"] != ALL) & (frequencies["n_answered"] < minimum)
    # Groups under the minimum are left out of the tests too: a test sentence names the lowest and
    # highest group's share, which would give away the share of a small group.
    names = {c: column_label(c, project) for c in project.group_by}
    tests = with_statements(group_tests(frequencies[~small]),
                            names={**names, YEAR_GROUPING: tr("year_grouping")}, lang=tr.lang)
    frequencies = suppress_small_groups(frequencies, minimum)
    if len(base.years) == 1 and base.years[0] != ALL:
        # One year: the pooled "alle år" rows repeat it word for word; a single-year report has none.
        # Without a year column the pooled rows are the only rows (dropping them emptied every table).
        overview = overview[overview["year"] != ALL].reset_index(drop=True)
        frequencies = frequencies[frequencies["year"] != ALL].reset_index(drop=True)
    return QuestionReport(
        spec=spec, codebook=base.codebook, base=base, overview=overview, frequencies=frequencies,
        trends=trends(frequencies), cooccurrence=cooccurrence(base), tests=tests,
        quotes=select_quotes(base, project.quotes_per_code, project.seed, project.group_by,
                             decisions=decisions, rejected=rejected or set()))


def suppress_small_groups(frequencies: pd.DataFrame, minimum: int) -> pd.DataFrame:
    """Blank the count and share of every group breakdown row with fewer than ``minimum`` answers.

    Such rows get ``small_cell`` = ``"n < 5"`` (for ``minimum`` 5) and no ``n_coded``, ``pct`` or
    interval: a share of 1 or 2 answers is noise, and in a small municipality it can identify a
    respondent. Rows of everyone asked (``group_by`` = ``alle``) are never blanked.
    """
    frequencies = frequencies.copy()
    small = ((frequencies["group_by"] != ALL) & (frequencies["n_answered"] < minimum)).to_numpy()
    frequencies["small_cell"] = np.where(small, f"n < {minimum}", "")
    if small.any():
        frequencies["n_coded"] = frequencies["n_coded"].astype("Int64")
        frequencies.loc[small, "n_coded"] = pd.NA
        for column in ("pct", "ci_low", "ci_high"):
            frequencies.loc[small, column] = np.nan
    return frequencies


def _missing(value: Any, tr: Texts) -> str:
    return tr("warn_no_number") if value is None or pd.isna(value) else str(value)


def _select_questions(project: Any, wanted: Sequence[str] | None) -> list[Any]:
    if not wanted:
        return list(project.questions)
    known = [q.column for q in project.questions]
    for column in wanted:
        if column not in known:
            raise ProjectError(f"{project.path}: question {column!r} is not a question of the project "
                               f"(questions: {', '.join(known)}); use one of those column names",
                               code="E305", option="questions")
    return [q for q in project.questions if q.column in wanted]


def _select_years(cases: pd.DataFrame, year_column: str | None, wanted: Sequence[str] | None,
                  project: Any) -> list[str] | None:
    if not wanted:
        return None
    if year_column is None:
        raise ProjectError(f"{project.path}: a year was chosen but [corpus] has no year_column; add "
                           "year_column = \"aar\" (the corpus column with the year) or choose no year",
                           code="E305", option="years")
    present = sorted(cases[year_column].astype(str).str.strip().unique()) if year_column in cases else []
    chosen = [year_value(year) for year in wanted]  # " 2023" pasted with its space is 2023
    for year in chosen:
        if year not in present:
            raise InputError(f"{project.corpus_spec.path}: no respondents in year {year} (column "
                             f"{year_column!r} has {', '.join(present) or 'no values'}); choose one of those",
                             code="E115", option="years")
    return sorted(set(chosen))


def _in_years(cases: pd.DataFrame, year_column: str | None, years: Iterable[str]) -> pd.DataFrame:
    if year_column is None:
        return cases
    return cases[cases[year_column].astype(str).str.strip().isin(list(years))]


def _published_for(spec: Any, project: Any, tables: Mapping[str, pd.DataFrame]) -> dict[str, int] | None:
    """Year → the published count of the closed answer(s) this question follows, if a table has it."""
    if not spec.table or spec.table not in tables:
        return None
    table_spec = project.table(spec.table)
    values = spec.asked_if.get(table_spec.column)
    if not values:
        return None
    return published_counts(tables[spec.table], values)


def make_report(project: Any, *, codings_path: str | os.PathLike[str] | None = None,
                years: Sequence[str] | None = None, questions: Sequence[str] | None = None,
                progress: Progress | None = None, cache: bool = False, lang: str | None = None,
                codebooks: Mapping[str, Any] | None = None) -> Report:
    """Load a project's corpus and codebooks, code it (or read ``codings_path``), and summarise.

    Everything is read and checked before any coding (question and year choices, the filters
    against the data, group columns, published tables, codebooks, models, hand codings), so a
    mistake fails in about a second. Only the selected questions and years are coded, and with
    ``cache`` (``fritekst report`` turns it on) unchanged questions come from the project's codings
    cache in ``.fritekst/cache/``, which is also written.

    ``progress`` is called with the number of answers just coded, for a progress bar (coding is the
    slow part; summarising takes a fraction of a second). ``lang`` ("nb" or "en") overrides the
    project's ``[report] lang``. ``codebooks`` are the project's codebooks (by the project's name
    for each) when the caller has loaded them already.
    """
    lang = check_language(lang or project.lang)
    from ..coding.coder import code_project, load_project_codebooks, load_project_corpus, read_hand_codings
    from ..coding.codings_io import read_codings

    specs = _select_questions(project, questions)
    corpus = load_project_corpus(project)
    # Before the years: a misspelt year_column must be named as such, not as a year with no respondents.
    check_project_data(project, corpus.cases, specs)
    selected_years = _select_years(corpus.cases, project.corpus_spec.year_column, years, project)
    for table in project.tables:
        read_published_table(table.path)
    codebooks = dict(codebooks) if codebooks is not None else load_project_codebooks(project)
    rejected: set[tuple[str, str]] = set()
    if codings_path is None:
        hand = read_hand_codings(corpus, list(codebooks.values()), project.hand_codings)
        if hand is not None and "decision" in hand.columns:
            refused = hand[hand["decision"].astype(str) == "no"]
            rejected = set(zip(refused["case_id"], refused["code_id"]))
        _, codebooks, codings = code_project(project, progress=progress, questions=[q.column for q in specs],
                                             years=selected_years, cache=cache, corpus=corpus,
                                             codebooks=codebooks)
        codings_source = texts_for(lang)("coded_now")
    else:
        code_ids = {code_id for book in codebooks.values() for code_id in book.code_ids}
        codings = read_codings(codings_path, code_ids=code_ids, answers=corpus.answers,
                               what="codings file")
        _check_codebooks(codings, project, codebooks, codings_path)
        codings_source = str(codings_path)
    source = _relative(Path(project.corpus_spec.path), Path(project.root))
    return build_report(project, corpus.cases, corpus.answers, codings, codebooks, years=years,
                        questions=questions, codings_source=codings_source, source=source,
                        rejected_codings=rejected, lang=lang)


def check_project_data(project: Any, cases: pd.DataFrame, specs: Sequence[Any] | None = None) -> None:
    """Compare the columns, filters and group columns the project names with the data; raise on the
    first mismatch.

    A column the corpus lacks is named with the project file and its key (``[corpus] year_column``,
    a table's ``column``, ``asked_if``, ``population``, ``[report] group_by``), here, before the
    summaries: their own checks speak of their Python arguments. A filter value that never occurs
    in its column would silently count nobody: it is an error that lists the values that exist (an
    SPSS code such as ``2`` where the data has the label ``Nei``, or a case slip).
    """
    known = ", ".join(c for c in cases.columns if c != "case_id")
    present: dict[str, list[str]] = {}

    def require(where: str, column: str | None) -> None:
        if column is not None and column not in cases.columns:
            raise ProjectError(f"{project.path}: {where}: the corpus has no column {column!r} (columns: "
                               f"{known}); use one of those column names", code="E304")

    def values_of(column: str) -> list[str]:
        if column not in present:
            present[column] = sorted(cases[column].astype(str).str.strip().unique())
        return present[column]

    require("[corpus] year_column", project.corpus_spec.year_column)
    for table in project.tables:
        require(f"[[tables]] {table.id} column", table.column)
    checks = [(f"[[questions]] {q.column} asked_if", q.asked_if) for q in (specs or project.questions)]
    checks += [(f"[[tables]] {t.id} population", t.population) for t in project.tables]
    for where, conditions in checks:
        for column, wanted in conditions.items():
            require(where, column)
            existing = values_of(column)
            for value in wanted:
                if str(value).strip() not in existing:
                    shown = ", ".join(repr(v) for v in existing if v) or "no values"
                    # Matching is exact, so "nei" for "Nei" filtered everyone out; name the spelling.
                    same = [v for v in existing if v and v.casefold() == str(value).strip().casefold()]
                    hint = f"write {same[0]!r} (capitals count)" if same else "write one of those values exactly"
                    raise ProjectError(f"{project.path}: {where}: {column} = {value!r} never occurs in the "
                                       f"corpus ({column} has {shown}); {hint}", code="E306")
    for column in project.group_by:
        require("[report] group_by", column)


def _check_codebooks(codings: pd.DataFrame, project: Any, codebooks: Mapping[str, Any],
                     path: str | os.PathLike[str]) -> None:
    """Each coding must use a code of the codebook that codes its question in the project file."""
    for spec in project.questions:
        allowed = set(codebooks[spec.codebook].code_ids)
        own = codings[(codings["question"] == spec.column) & ~codings["code_id"].isin(allowed)]
        if len(own):
            first = own.iloc[0]
            raise InputError(f"{path}: case {first['case_id']}, question {spec.column}: code "
                             f"{first['code_id']!r} is not in codebook {spec.codebook!r}, which codes "
                             f"{spec.column} in {project.path}; fix the code id or remove the row",
                             code="E112")


def _relative(path: Path, root: Path) -> str:
    try:
        return str(path.resolve().relative_to(root.resolve()))
    except ValueError:
        return str(path)


def pct_text(value: float, decimals: int = 0, lang: str = "nb") -> str:
    """A share as percent text: ``0.384`` → ``"38 %"`` (``"38%"`` in English); NaN → ``"–"``.

    Examples
    --------
    >>> pct_text(0.384), pct_text(0.384, 1), pct_text(float("nan")), pct_text(0.384, 1, "en")
    ('38 %', '38,4 %', '–', '38.4%')
    """
    return texts_for(lang).pct(value, decimals)


def ci_text(low: float, high: float, lang: str = "nb") -> str:
    """A 95 % interval as ``"29–47 %"`` (``"–"`` when undefined).

    Examples
    --------
    >>> ci_text(0.291, 0.478), ci_text(0.291, 0.478, "en")
    ('29–48 %', '29–48%')
    """
    return texts_for(lang).ci(low, high)


def published_cell(record: Mapping[str, Any], mark_mismatch: Callable[[str], str], lang: str = "nb") -> str:
    """The "Publisert" cell of an overview row: "–" when no table covers it, the published count,
    or the count with AVVIK passed through ``mark_mismatch`` (red in every renderer)."""
    published = record.get("published_n")
    if published is None or pd.isna(published):
        return "–"
    if record.get("published_match"):
        return str(int(published))
    return mark_mismatch(f"{int(published)} {texts_for(lang)('mismatch_mark')}")


def year_text(year: str, lang: str = "nb") -> str:
    """``"alle"`` (pooled years) as ``"Alle år"`` (``"All years"``), other years unchanged."""
    return texts_for(lang).year(year)


def grouping_label(grouping: str, report: Report) -> str:
    """A grouping as the report names it: the year-against-year tests' ``år`` in the report's
    language, an attribute column by :func:`column_label`."""
    return report.texts("year_grouping") if grouping == YEAR_GROUPING else column_label(grouping, report)
