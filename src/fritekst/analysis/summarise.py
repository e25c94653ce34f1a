"""Theme frequencies of one question straight from a corpus: the public ``fritekst.summarise``.

:mod:`fritekst.analysis.summary` works on the pieces a project file supplies (a question spec with
its filter, the codebook, the year column). Here a Python user passes a :class:`Corpus`, the
codings and the codebook, and names the question; the rest are keyword arguments.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, cast

import pandas as pd

from ..rules.codebook import Codebook
from ..sources.corpus import Corpus
from ..sources.project import QuestionSpec
from .summary import build_base, theme_frequencies


def summarise(corpus: Corpus, codings: pd.DataFrame, codebook: Codebook, question: str, *,
              asked_if: Mapping[str, Sequence[str] | str] | None = None, label: str | None = None,
              year_column: str | None = None, years: Iterable[str] | None = None,
              group_by: Sequence[str] = ()) -> pd.DataFrame:
    """How many respondents were asked ``question``, answered it, and got each theme.

    Parameters
    ----------
    corpus : Corpus
        From :func:`fritekst.load_corpus`; ``question`` must be one of its text columns.
    codings : DataFrame
        A codings frame (:func:`fritekst.code`, :func:`fritekst.read_codings`).
    codebook : Codebook
        The codebook that coded ``question``.
    question : str
        The text column to summarise.
    asked_if : mapping, optional
        Who was asked, by their closed answers (``{"planer_ansette": "Nei"}``); default: everyone.
    label : str, optional
        The question's text for the ``question_label`` column (default: ``question``).
    year_column, years : optional
        The corpus column with the survey year, and the years to keep.
    group_by : sequence of str
        Attribute columns to break the counts down by.

    Returns
    -------
    DataFrame
        Long form, :data:`fritekst.analysis.summary.FREQUENCY_COLUMNS` (see
        :func:`fritekst.analysis.summary.theme_frequencies`).

    Examples
    --------
    >>> from fritekst import code, load_codebook, load_corpus
    >>> corpus = load_corpus(example / "corpus" / "svar.csv", "case_id", ["grunn_nei"])
    >>> book = load_codebook(example / "codebooks" / "ansette.yaml")
    >>> table = summarise(corpus, code(corpus, [book]), book, "grunn_nei", asked_if={"planer_ansette": "Nei"})
    >>> okonomi = table[table["code_id"] == "okonomi"].iloc[0]
    >>> okonomi["year"], okonomi["group_by"], int(okonomi["n_coded"]), int(okonomi["n_answered"])
    ('alle', 'alle', 184, 506)
    """
    conditions = {column: [values] if isinstance(values, str) else list(values)
                  for column, values in (asked_if or {}).items()}
    spec = QuestionSpec(column=question, label=label or question, codebook=codebook.id, asked_if=conditions)
    # QuestionSpec and Codebook satisfy summary's read-only protocols; mypy reads their mutable
    # attributes as invariant, hence the casts.
    base = build_base(corpus.cases, corpus.answers, codings, cast(Any, spec), cast(Any, codebook),
                      year_column=year_column, years=years)
    return theme_frequencies(base, group_by)
