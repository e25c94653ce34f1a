"""Theme summaries as tidy frames: who was asked, who answered, how many got each theme.

Everything here is a pure function over the corpus frames (``cases``, ``answers``) and the codings
frame; nothing is read, written or printed. Rendering lives in ``report_*.py``.

The unit of counting is the respondent, not the coding: a respondent who mentions money three times
counts once for ``okonomi``. A parent code counts every respondent coded with it *or* with any of its
descendants, as NVivo's aggregated nodes do. Shares are taken among those who were asked the question
(their closed answer matches ``asked_if``) and gave a non-empty answer.

Examples
--------
>>> import pandas as pd
>>> from types import SimpleNamespace as NS
>>> cases = pd.DataFrame({"case_id": ["1", "2", "3"], "aar": ["2023"] * 3, "svar": ["Nei"] * 3})
>>> answers = pd.DataFrame({"case_id": ["1", "2"], "question": ["q", "q"], "text": ["penger", "nei"]})
>>> codings = pd.DataFrame({"case_id": ["1"], "question": ["q"], "code_id": ["okonomi"],
...                         "start": [0], "end": [6]})
>>> book = NS(id="cb", title="Kodebok", codes=[NS(id="okonomi", label="Økonomi", parent=None)])
>>> spec = NS(column="q", label="Hvorfor?", codebook="cb", asked_if={"svar": ["Nei"]}, table=None)
>>> base = build_base(cases, answers, codings, spec, book, year_column="aar")
>>> freq = theme_frequencies(base)
>>> freq[["code_id", "n_group", "n_answered", "n_coded"]].values.tolist()
[['okonomi', 3, 2, 1], ['_ingen_tema', 3, 2, 1]]
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, cast

import numpy as np
import pandas as pd

from ..errors import InputError, ProjectError
from .stats import chi_square_test, wilson_interval

#: The value of ``year``, ``group_by`` and ``group`` in rows that pool all years or all respondents.
ALL = "alle"
#: Pseudo code for respondents who answered but matched no theme.
NO_THEME = "_ingen_tema"
NO_THEME_LABEL = "Svarte, men uten tema"
#: Labels of a published table's rows that are not answer values.
NOT_ANSWERED_LABELS = ("ikke svart", "ubesvart", "ikke besvart", "mangler")
TOTAL_LABELS = ("totalt", "total", "sum", "i alt")
#: Group label for respondents with an empty attribute.
UNKNOWN_GROUP = "Ukjent"
#: p below this is reported as a difference between groups.
ALPHA = 0.05

FREQUENCY_COLUMNS = ["question", "question_label", "year", "group_by", "group", "code_id",
                     "code_label", "code_path", "n_group", "n_answered", "n_coded", "pct", "ci_low",
                     "ci_high"]


class CodeLike(Protocol):
    id: str
    label: str
    parent: str | None


class CodebookLike(Protocol):
    id: str
    title: str
    codes: Sequence[Any]


class QuestionLike(Protocol):
    column: str
    label: str
    codebook: str
    asked_if: Mapping[str, Sequence[str]]
    table: str | None


@dataclass
class QuestionBase:
    """Everything the summaries of one open question need, computed once.

    Attributes
    ----------
    spec : question spec (``column``, ``label``, ``codebook``, ``asked_if``, ``table``)
    codebook : the codebook that codes the question
    code_ids : code ids in codebook order (without :data:`NO_THEME`)
    labels : code id → label, including :data:`NO_THEME`
    paths : code id → labels from the root joined with `` / ``
    cases : one row per respondent in the selected years: ``case_id``, ``year``, the attribute
        columns, ``asked`` and ``answered`` (bool; answered means a non-empty answer)
    coded : one row per respondent who was asked *and* answered (index ``case_id``), one bool column
        per code id plus :data:`NO_THEME`
    answers : this question's answers (``case_id``, ``text``) of respondents who were asked
    codings : this question's codings of respondents who were asked and answered
    years : the selected years in which anyone was asked the question, sorted (``[ALL]`` when the
        corpus has no year column)
    """

    spec: Any
    codebook: Any
    code_ids: list[str]
    labels: dict[str, str]
    paths: dict[str, str]
    cases: pd.DataFrame
    coded: pd.DataFrame
    answers: pd.DataFrame
    codings: pd.DataFrame
    years: list[str]

    @property
    def column(self) -> str:
        return str(self.spec.column)

    @property
    def theme_ids(self) -> list[str]:
        """Code ids followed by :data:`NO_THEME`, the row order of every theme table."""
        return [*self.code_ids, NO_THEME]

    def year_keys(self) -> list[str]:
        """The years to report: each selected year, then :data:`ALL` when there are several."""
        return self.years + ([ALL] if len(self.years) > 1 else [])

    def in_year(self, frame: pd.DataFrame, year: str) -> pd.DataFrame:
        return frame if year == ALL else frame[frame["year"] == year]


def matches(cases: pd.DataFrame, conditions: Mapping[str, Sequence[str] | str], where: str) -> pd.Series:
    """Boolean mask of the cases whose attributes take one of the allowed values for every column.

    Values are compared as text with surrounding spaces removed. ``where`` names the setting in error
    messages (for example ``"question grunn_nei asked_if"``).

    Examples
    --------
    >>> cases = pd.DataFrame({"case_id": ["1", "2"], "svar": ["Ja", "Nei "]})
    >>> matches(cases, {"svar": ["Nei"]}, "asked_if").tolist()
    [False, True]
    """
    mask = pd.Series(True, index=cases.index)
    for column, allowed in conditions.items():
        if column not in cases.columns:
            known = ", ".join(c for c in cases.columns if c != "case_id")
            raise ProjectError(f"{where}: column {column!r} is not in the corpus (columns: {known}); "
                               "fix the column name", code="E304")
        values = [allowed] if isinstance(allowed, str) else list(allowed)
        mask &= cases[column].astype(str).str.strip().isin([str(v).strip() for v in values])
    return mask


def _missing_year_column(cases: pd.DataFrame, year_column: str) -> ProjectError:
    # In library terms: a Python caller passed ``year_column``; a project's [corpus] year_column is
    # checked, with the project file's name, before any of this runs (outputs.report.check_project_data).
    known = ", ".join(c for c in cases.columns if c != "case_id")
    return ProjectError(f"year_column: column {year_column!r} is not in the corpus (columns: {known}); "
                        "fix year_column", code="E304")


def descendants(codebook: CodebookLike) -> dict[str, list[str]]:
    """Code id → the code and every code below it in the hierarchy."""
    children: dict[str, list[str]] = {}
    for code in codebook.codes:
        if code.parent:
            children.setdefault(code.parent, []).append(code.id)

    def below(code_id: str) -> list[str]:
        found = [code_id]
        for child in children.get(code_id, []):
            found.extend(below(child))
        return found

    return {code.id: below(code.id) for code in codebook.codes}


def code_paths(codebook: CodebookLike) -> dict[str, str]:
    """Code id → labels from the root joined with `` / `` (e.g. ``Mot / Økonomi``)."""
    by_id = {code.id: code for code in codebook.codes}
    paths = {}
    for code in codebook.codes:
        labels, current = [], code
        while current is not None:
            labels.append(current.label)
            current = by_id.get(current.parent) if current.parent else None
        paths[code.id] = " / ".join(reversed(labels))
    return paths


def _shared_codes(*columns: pd.Series) -> tuple[Any, ...]:
    """Integer codes of several id columns over one shared vocabulary, then the vocabulary's size.

    Missing ids get a code of their own, so they match each other as they do in ``Series.isin``.
    """
    joined = pd.concat([column.reset_index(drop=True) for column in columns], ignore_index=True)
    codes, uniques = pd.factorize(joined, use_na_sentinel=False)
    return (*np.split(codes, np.cumsum([len(column) for column in columns])[:-1]), len(uniques))


def _flags(size: int, codes: np.ndarray) -> np.ndarray:
    """Boolean lookup table over the id vocabulary, True at ``codes``: ``table[other_codes]`` is isin."""
    table = np.zeros(size, dtype=bool)
    table[codes] = True
    return table


def _coded_matrix(base_codes: np.ndarray, coding_codes: np.ndarray, coding_code_ids: pd.Series,
                  codebook: CodebookLike, n_ids: int, index: pd.Index) -> pd.DataFrame:
    """One bool column per code (itself or a descendant coded) plus NO_THEME, one row per base row."""
    families = descendants(codebook)
    columns = list(families)
    position = {code_id: i for i, code_id in enumerate(columns)}
    # The first base row of each id; rows repeating an id (never in a loaded corpus) copy it below.
    first_row = np.zeros(n_ids, dtype=np.int64)
    first_row[base_codes[::-1]] = np.arange(len(base_codes) - 1, -1, -1)
    # Transposed: one contiguous row per output column, so the frame below wraps it without a copy.
    # The rows first hold each code's own codings; parents then take in their descendants.
    matrix = np.zeros((len(columns) + 1, len(base_codes)), dtype=bool)
    if len(coding_codes):
        kinds, kind_ids = pd.factorize(coding_code_ids)
        kind_position = np.array([position[code_id] for code_id in kind_ids], dtype=np.int64)
        matrix[kind_position[kinds], first_row[coding_codes]] = True
    matrix[-1] = ~matrix[:-1].any(axis=0)
    families_below = {position[code_id]: [position[member] for member in family]
                      for code_id, family in families.items() if len(family) > 1}
    with_descendants = {i: matrix[members].any(axis=0) for i, members in families_below.items()}
    for i, column in with_descendants.items():
        matrix[i] = column
    rows = first_row[base_codes]
    if not np.array_equal(rows, np.arange(len(base_codes))):
        matrix = matrix[:, rows]
    return pd.DataFrame(matrix.T, index=index, columns=[*columns, NO_THEME], copy=False)


def _rows(frame: Any, selected: np.ndarray) -> Any:
    """``frame.loc[selected]``, without copying anything when every row is selected."""
    return frame if selected.all() else frame.loc[selected]


def _asked_answers(answers: pd.DataFrame, of_question: np.ndarray, asked: np.ndarray) -> pd.DataFrame:
    """``case_id`` and ``text`` of the question's answers (``of_question``) whose respondent was asked."""
    rows = of_question.copy()
    rows[of_question] = asked
    selected = answers.loc[rows, ["case_id", "text"]]
    return selected.assign(case_id=selected["case_id"].astype(str))


def build_base(cases: pd.DataFrame, answers: pd.DataFrame, codings: pd.DataFrame, spec: QuestionLike,
               codebook: CodebookLike, *, year_column: str | None,
               years: Iterable[str] | None = None) -> QuestionBase:
    """Collect who was asked, who answered and which themes each answering respondent got.

    Parameters
    ----------
    cases, answers : DataFrame
        The corpus frames (``Corpus.cases``, ``Corpus.answers``).
    codings : DataFrame
        Codings with at least ``case_id``, ``question``, ``code_id``, ``start``, ``end``.
    spec : question spec
        ``column`` names the question in ``answers``; ``asked_if`` selects who was asked.
    codebook : Codebook
    year_column : str or None
        The attribute that holds the survey year; ``None`` treats everything as one round.
    years : iterable of str, optional
        Keep only these years.

    Raises
    ------
    InputError
        If a coding names a code that is not in the question's codebook.
    ProjectError
        If ``asked_if`` or ``year_column`` names a column the corpus does not have.
    """
    frame = cases.copy()
    frame["case_id"] = frame["case_id"].astype(str)
    if year_column is not None and year_column not in frame.columns:
        raise _missing_year_column(frame, year_column)
    # Before the year column is added: an error lists the corpus's columns, not this frame's own.
    frame["asked"] = matches(frame, spec.asked_if, f"question {spec.column} asked_if")
    frame["year"] = ALL if year_column is None else frame[year_column].astype(str).str.strip()
    if years is not None:
        wanted = [str(y) for y in years]
        frame = frame[frame["year"].isin(wanted)]

    # Rows are selected by id first and copied once at the end: the texts and a million codings
    # are the bulk of the memory.
    answer_rows = (answers["question"] == spec.column).to_numpy(dtype=bool)
    coding_rows = (codings["question"] == spec.column).to_numpy(dtype=bool)
    # Every membership test below runs on integer codes of one shared id vocabulary: hashing the ids
    # once is many times faster (and lighter) than repeated ``isin`` on strings or sets of strings.
    case_codes, answer_codes, coding_codes, n_ids = _shared_codes(
        frame["case_id"], _rows(answers["case_id"], answer_rows).astype(str),
        _rows(codings["case_id"], coding_rows).astype(str))
    frame["answered"] = _flags(n_ids, answer_codes)[case_codes]
    frame = frame.reset_index(drop=True)

    asked = frame["asked"].to_numpy(dtype=bool)
    in_base = asked & frame["answered"].to_numpy(dtype=bool)
    base_ids = frame.loc[in_base, "case_id"]
    code_ids = [code.id for code in codebook.codes]
    unknown = sorted(set(codings.loc[coding_rows, "code_id"].unique()) - set(code_ids))
    if unknown:
        raise InputError(f"codings for question {spec.column!r}: code {unknown[0]!r} is not in "
                         f"codebook {codebook.id!r} (codes: {', '.join(code_ids)}); pass the codebook "
                         "that coded this question, or fix the code id", code="E112")
    keep = _flags(n_ids, case_codes[in_base])[coding_codes]
    kept_rows = coding_rows.copy()
    kept_rows[coding_rows] = keep
    own = _rows(codings, kept_rows)
    own = own.assign(case_id=own["case_id"].astype(str))
    coded = _coded_matrix(case_codes[in_base], coding_codes[keep], own["code_id"], codebook, n_ids,
                          pd.Index(base_ids.tolist(), name="case_id"))

    labels = {code.id: code.label for code in codebook.codes}
    labels[NO_THEME] = NO_THEME_LABEL
    paths = code_paths(codebook)
    paths[NO_THEME] = NO_THEME_LABEL
    # A question is reported for the years in which someone was asked it: questions come and go
    # between survey rounds, and a column of empty years says nothing.
    asked_years = frame.loc[frame["asked"], "year"].unique().tolist()
    year_list = sorted(asked_years or frame["year"].unique().tolist())
    return QuestionBase(spec=spec, codebook=codebook, code_ids=code_ids, labels=labels, paths=paths,
                        cases=frame, coded=coded,
                        answers=_asked_answers(answers, answer_rows,
                                               _flags(n_ids, case_codes[asked])[answer_codes]),
                        codings=own.reset_index(drop=True), years=year_list)


def group_order(values: Iterable[str]) -> list[str]:
    """Order group labels as a reader expects: size classes by their numbers, names alphabetically.

    "Under 5 000" comes before "5 000–19 999", which comes before "50 000 og over"; labels without a
    number sort alphabetically after those with one; :data:`UNKNOWN_GROUP` goes last.

    Examples
    --------
    >>> group_order(["50 000 og over", "Under 5 000", "5 000–19 999", "Ukjent"])
    ['Under 5 000', '5 000–19 999', '50 000 og over', 'Ukjent']
    >>> group_order(["Viken", "Agder"])
    ['Agder', 'Viken']
    """
    def key(label: str) -> tuple[int, float, str]:
        if label == UNKNOWN_GROUP:
            return (3, 0.0, label)
        digits = re.search(r"\d[\d\s\u00a0.]*", label)
        if digits is None:
            return (2, 0.0, label.casefold())
        number = float(re.sub(r"[\s\u00a0.]", "", digits.group()))
        # "Under 5 000" holds the smallest municipalities although it names the same 5 000.
        below = re.match(r"\s*(under|færre enn|mindre enn|<)", label, re.IGNORECASE) is not None
        return (1, number - (0.5 if below else 0.0), label.casefold())

    return sorted(set(values), key=key)


def _group_values(frame: pd.DataFrame, column: str) -> pd.Series:
    values = frame[column].astype(str).str.strip()
    return values.where(values != "", UNKNOWN_GROUP)


def _check_group_columns(base: QuestionBase, group_by: Sequence[str]) -> None:
    for column in group_by:
        if column not in base.cases.columns:
            known = ", ".join(c for c in base.cases.columns if c not in ("case_id", "year", "asked", "answered"))
            raise ProjectError(f"group_by: column {column!r} is not in the corpus (columns: {known}); "
                               "fix group_by", code="E304")


def _group_sums(base: QuestionBase, group_by: Sequence[str]) -> dict[tuple[str, str, str], list[int]]:
    """(year, grouping, group) → [asked, answered, respondents with each theme], pooled year :data:`ALL`.

    Counted with integer group codes and ``bincount`` over the bool theme matrix rather than a
    groupby over an int copy of it: that copy and its join took gigabytes at a million answers.
    Rows whose year or group is missing are left out, as a pandas groupby leaves them out.
    """
    columns = list(dict.fromkeys(["case_id", "year", "answered", *group_by]))
    asked = base.cases.loc[base.cases["asked"].to_numpy(dtype=bool), columns]
    # A left join keeps the row multiplicity of a join on case_id even if ids repeat.
    slot = pd.Series(np.arange(len(base.coded), dtype=np.int64), index=base.coded.index, name="__slot")
    joined = asked.join(slot, on="case_id")
    slots = joined["__slot"].fillna(-1).to_numpy(dtype=np.int64)
    has_slot = slots >= 0
    slots = slots[has_slot]
    answered = joined["answered"].to_numpy(dtype=bool)
    joined["answered"] = answered.astype(int)  # a "group_by = answered" groups by 0/1
    themes = [base.coded[theme].to_numpy(dtype=bool) for theme in base.theme_ids]
    pooled = len(base.years) > 1
    year_codes, year_values = pd.factorize(joined["year"])
    sums: dict[tuple[str, str, str], list[int]] = {}
    for grouping in [ALL, *group_by]:
        if grouping == ALL:
            group_codes, group_values = np.zeros(len(joined), dtype=np.int64), np.array([ALL], dtype=object)
        else:
            group_codes, group_values = cast(tuple[np.ndarray, np.ndarray],
                                             pd.factorize(_group_values(joined, grouping)))
        n_groups = len(group_values)
        keyed = [(np.where((year_codes >= 0) & (group_codes >= 0), year_codes * n_groups + group_codes, -1),
                  [(str(year), grouping, str(group)) for year in year_values for group in group_values])]
        if pooled:
            keyed.append((group_codes, [(ALL, grouping, str(group)) for group in group_values]))
        for codes, keys in keyed:
            valid = codes >= 0
            n_keys = len(keys)
            counts = [np.bincount(codes[valid], minlength=n_keys),
                      np.bincount(codes[valid & answered], minlength=n_keys)]
            theme_codes = codes[has_slot]
            counts += [np.bincount(theme_codes[(theme_codes >= 0) & theme[slots]], minlength=n_keys)
                       for theme in themes]
            for i in np.flatnonzero(counts[0]):
                sums[keys[i]] = [int(count[i]) for count in counts]
    return sums


def theme_frequencies(base: QuestionBase, group_by: Sequence[str] = ()) -> pd.DataFrame:
    """Respondents asked, answering and coded with each theme, by year and by group.

    Returns a long frame with :data:`FREQUENCY_COLUMNS`: one row per year (each selected year, then
    :data:`ALL` pooled when there are several) × grouping (:data:`ALL`, then each ``group_by``
    column) × group × theme (codebook order, then :data:`NO_THEME`). ``n_group`` counts the
    respondents asked, ``n_answered`` those of them with an answer, ``n_coded`` those with the theme;
    ``pct = n_coded / n_answered`` with a Wilson 95 % interval (NaN when nobody answered).
    """
    _check_group_columns(base, group_by)
    sums = _group_sums(base, group_by)
    rows: list[tuple[Any, ...]] = []
    for year in base.year_keys():
        for grouping in [ALL, *group_by]:
            groups = group_order(g for (y, gb, g) in sums if y == year and gb == grouping)
            for group in groups:
                n_group, n_answered, *coded = sums[(year, grouping, group)]
                for theme, n_coded in zip(base.theme_ids, coded):
                    low, high = wilson_interval(n_coded, n_answered)
                    rows.append((base.column, base.spec.label, year, grouping, group, theme,
                                 base.labels[theme], base.paths[theme], n_group, n_answered, n_coded,
                                 n_coded / n_answered if n_answered else math.nan, low, high))
    return pd.DataFrame(rows, columns=FREQUENCY_COLUMNS)


def response_overview(base: QuestionBase, published: Mapping[str, int] | None = None) -> pd.DataFrame:
    """Per year: respondents, how many were asked, how many answered, and the published count.

    ``n_answered`` counts only respondents who were asked; answers from respondents whose closed
    answer does not match ``asked_if`` are counted apart in ``n_answered_not_asked`` (a routing error
    in the data worth a look). ``published`` maps year → the published table's count of the closed
    answer(s) the question follows; ``published_match`` is False where it differs from ``n_asked``.
    """
    rows = []
    for year in base.year_keys():
        in_year = base.in_year(base.cases, year)
        n_asked = int(in_year["asked"].sum())
        n_answered = int((in_year["asked"] & in_year["answered"]).sum())
        row: dict[str, Any] = {
            "question": base.column, "question_label": base.spec.label, "year": year,
            "n_cases": len(in_year), "n_asked": n_asked, "n_answered": n_answered,
            "pct_answered": n_answered / n_asked if n_asked else math.nan,
            "n_answered_not_asked": int((~in_year["asked"] & in_year["answered"]).sum())}
        if published is not None:
            value = (sum(published.get(y, 0) for y in base.years) if year == ALL
                     else published.get(year))
            row["published_n"] = value
            row["published_match"] = value is not None and int(value) == n_asked
        rows.append(row)
    return pd.DataFrame(rows)


def _table_label(label: str) -> str:
    lowered = label.strip().casefold()
    if lowered in NOT_ANSWERED_LABELS:
        return "not_answered"
    if lowered in TOTAL_LABELS:
        return "total"
    return "value"


def table_link(cases: pd.DataFrame, table: pd.DataFrame, column: str,
               population: Mapping[str, Sequence[str]], *, year_column: str | None,
               where: str = "table") -> pd.DataFrame:
    """Join a published table (``aar, svar, antall, prosent``) to the same counts in the corpus.

    Each published row gets the corpus count of respondents in ``population`` whose ``column`` equals
    ``svar`` in that year; "Ikke svart" counts empty answers (and answers spelt "Ikke svart") and
    "Totalt" everyone in the population.
    Answer values found in the corpus but missing from the table get rows too (published count
    empty). ``match`` is False and ``flag`` says ``AVVIK`` wherever the counts differ.

    Returns columns ``year, svar, published_n, published_pct, corpus_n, corpus_pct, match, flag``.
    """
    if year_column is not None and year_column not in cases.columns:
        raise _missing_year_column(cases, year_column)
    if column not in cases.columns:
        known = ", ".join(c for c in cases.columns if c != "case_id")
        raise ProjectError(f"{where}: column {column!r} is not in the corpus (columns: {known}); "
                           "fix the column name", code="E304")
    members = cases[matches(cases, population, f"{where} population")]
    years = (members[year_column].astype(str).str.strip() if year_column is not None
             else pd.Series(ALL, index=members.index))
    answers = members[column].astype(str).str.strip()
    counts: dict[tuple[str, str], int] = {}
    for year, answer in zip(years, answers):
        counts[(year, answer)] = counts.get((year, answer), 0) + 1
    totals = years.value_counts().to_dict()

    def corpus_count(year: str, svar: str) -> int:
        kind = _table_label(svar)
        if kind == "total":
            return int(totals.get(year, 0))
        if kind == "not_answered":
            # Exports write a missing answer as an empty cell or spell it out ("Ikke svart").
            return sum(n for (y, answer), n in counts.items()
                       if y == year and (answer == "" or _table_label(answer) == "not_answered"))
        return counts.get((year, svar.strip()), 0)

    # year, svar, published_n (None: the value is only in the corpus), published_pct, corpus_n
    rows: list[tuple[str, str, int | None, float, int]] = []
    table_years = list(dict.fromkeys(table["aar"].astype(str).str.strip()))
    for year in table_years + sorted(set(totals) - set(table_years)):
        published = table[table["aar"].astype(str).str.strip() == year]
        labels = [str(s).strip() for s in published["svar"]]
        for svar, number, pct in zip(labels, published["antall"], published["prosent"]):
            rows.append((year, svar, int(number), pct, corpus_count(year, svar)))
        shown = {s for s in labels if _table_label(s) == "value"}
        extra = sorted({a for (y, a) in counts
                        if y == year and a and a not in shown and _table_label(a) == "value"})
        for svar in extra:
            rows.append((year, svar, None, math.nan, corpus_count(year, svar)))
    frame = pd.DataFrame(rows, columns=["year", "svar", "published_n", "published_pct", "corpus_n"])
    frame["published_n"] = frame["published_n"].astype("Int64")
    total_by_year = {y: totals.get(y, 0) for y in frame["year"]}
    frame["corpus_pct"] = [100 * n / total_by_year[y] if total_by_year[y] else math.nan
                           for y, n in zip(frame["year"], frame["corpus_n"])]
    frame["match"] = [bool(p is not pd.NA and int(p) == int(c))
                      for p, c in zip(frame["published_n"], frame["corpus_n"])]
    frame["flag"] = np.where(frame["match"], "", "AVVIK")
    return frame


def published_counts(table: pd.DataFrame, values: Sequence[str]) -> dict[str, int]:
    """Year → the sum of a published table's ``antall`` over the answer values ``values``."""
    wanted = {str(v).strip() for v in values}
    rows = table[table["svar"].astype(str).str.strip().isin(wanted)]
    return {str(year).strip(): int(sum(group)) for year, group in rows.groupby("aar")["antall"]}


def trends(frequencies: pd.DataFrame) -> pd.DataFrame:
    """The whole-sample share of each theme, year by year (pooled rows left out), for trend charts."""
    keep = (frequencies["group_by"] == ALL) & (frequencies["year"] != ALL)
    columns = ["question", "question_label", "year", "code_id", "code_label", "n_answered", "n_coded",
               "pct", "ci_low", "ci_high"]
    return frequencies.loc[keep, columns].reset_index(drop=True)


#: Rows per float32 block in :func:`cooccurrence` (well below 2**24, where float32 stops being exact).
_COOCCURRENCE_CHUNK = 1 << 16


def cooccurrence(base: QuestionBase) -> pd.DataFrame:
    """How many answering respondents have each pair of themes (diagonal: the theme itself).

    Pools the selected years. Returns a long frame ``question, code_a, code_a_label, code_b,
    code_b_label, n_both, n_answered``, codes in codebook order, every pair in both orders.
    """
    codes = base.code_ids
    flags = base.coded[codes].to_numpy(dtype=bool) if codes else np.zeros((len(base.coded), 0), dtype=bool)
    both = np.zeros((len(codes), len(codes)), dtype=np.int64)
    # Float32 products go through BLAS (integer matmul does not) and stay exact while a chunk's counts
    # are below 2**24; chunks also keep the float copy small.
    for start in range(0, len(flags), _COOCCURRENCE_CHUNK):
        part = flags[start:start + _COOCCURRENCE_CHUNK].astype(np.float32)
        both += np.rint(part.T @ part).astype(np.int64)
    rows = [{"question": base.column, "code_a": a, "code_a_label": base.labels[a], "code_b": b,
             "code_b_label": base.labels[b], "n_both": int(both[i, j]), "n_answered": len(flags)}
            for i, a in enumerate(codes) for j, b in enumerate(codes)]
    return pd.DataFrame(rows, columns=["question", "code_a", "code_a_label", "code_b", "code_b_label",
                                       "n_both", "n_answered"])


def group_tests(frequencies: pd.DataFrame, year_label: str = "år") -> pd.DataFrame:
    """Chi-square test of each theme against each grouping, per year, only where the numbers allow.

    Works on the output of :func:`theme_frequencies`. For every year (and pooled), grouping and
    theme the table is group × (has theme, has not) among those who answered; groups where nobody
    answered are left out. With several years there is also a test across years (``group_by`` =
    ``year_label``, ``year`` = :data:`ALL`). Each row carries the numbers (and ``reason`` when no
    test was run); :func:`fritekst.outputs.texts.with_statements` turns them into sentences.
    """
    # Plain Python buckets: hundreds of tiny tables are much faster as lists than as DataFrames.
    buckets: dict[tuple[str, str, str], list[tuple[str, int, int]]] = {}
    labels: dict[str, str] = {}
    question = ""
    years = set()
    for r in frequencies[frequencies["n_answered"] > 0].itertuples(index=False):
        question = r.question
        labels[r.code_id] = r.code_label
        if r.group_by != ALL:
            buckets.setdefault((r.year, r.group_by, r.code_id), []).append((r.group, r.n_coded, r.n_answered))
        elif r.year != ALL:
            years.add(r.year)
            # Across years: the whole sample of each year is one group.
            buckets.setdefault((ALL, year_label, r.code_id), []).append((r.year, r.n_coded, r.n_answered))
    if len(years) < 2:
        buckets = {k: v for k, v in buckets.items() if k[1] != year_label or k[0] != ALL}
    rows = []
    for (year, grouping, theme), cells in buckets.items():
        order = [g for g, _c, _n in cells]
        shares = [c / n for _g, c, n in cells]
        result = chi_square_test([[c, n - c] for _g, c, n in cells])
        low = min(range(len(order)), key=lambda i: shares[i])
        high = max(range(len(order)), key=lambda i: shares[i])
        rows.append({
            "question": question, "year": year, "group_by": grouping, "code_id": theme,
            "code_label": labels[theme], "n_groups": len(order), "n_answered": sum(n for *_x, n in cells),
            "chi2": result.statistic, "df": result.df, "p_value": result.p_value,
            "min_expected": result.min_expected, "testable": result.testable,
            "significant": bool(result.testable and result.p_value < ALPHA),
            "lowest_group": order[low], "lowest_pct": shares[low], "highest_group": order[high],
            "highest_pct": shares[high], "reason": result.reason, "share_below_5": result.share_below_5})
    return pd.DataFrame(rows, columns=["question", "year", "group_by", "code_id", "code_label",
                                       "n_groups", "n_answered", "chi2", "df", "p_value",
                                       "min_expected", "testable", "significant", "lowest_group",
                                       "lowest_pct", "highest_group", "highest_pct", "reason",
                                       "share_below_5"])
