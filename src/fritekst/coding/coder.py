"""Apply codebooks to a corpus: every answer through every keyword rule, returning a codings frame.

Coding runs in chunks. With ``jobs > 1`` the chunks go to worker processes that each compile the
matchers once and send back only the codings (plain tuples), never spaCy objects: serialising Docs
between processes costs more than the matching itself. Output order is fixed (sorted), so serial and
parallel runs give identical frames.
"""

from __future__ import annotations

import functools
import gc
import multiprocessing
import os
import signal
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import replace
from operator import itemgetter
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import InputError, ProjectError
from ..language.compact import LARGE_CORPUS_ANSWERS, expect_large_corpus
from ..language.pattern_memo import remembered_patterns
from ..rules.codebook import Codebook, load_codebook
from ..sources.corpus import Corpus, load_corpus
from .cache_writes import hold_or_write
from .handcoding import MergeReport
from ..rules.keyword import Hit, KeywordMatcher, KeywordRuleSpec
from ..sources.project import Project
from .frame import CODING_COLUMNS, Row, codings_frame, empty_codings, sort_codings

DEFAULT_CHUNK_SIZE = 2000

Progress = Callable[[int], None]


def keyword_specs(codebook: Codebook) -> list[KeywordRuleSpec]:
    """The codebook's keyword rules in the matcher's plain form."""
    return [rule.spec for rule in codebook.rules("keyword") if rule.spec is not None]


def code_corpus(corpus: Corpus, codebooks: Sequence[Codebook],
                questions: Mapping[str, Sequence[str]] | None = None, *, jobs: int = 1,
                progress: Progress | None = None, chunk_size: int = DEFAULT_CHUNK_SIZE,
                classifiers: bool = True) -> pd.DataFrame:
    """Code every answer of ``corpus`` with the rules of ``codebooks``.

    Keyword rules run first; codebooks with classifier rules then add classifier codings, combined
    with the keyword codings by the codebook's ``combine`` policy (see docs/codebook-format.md).

    Parameters
    ----------
    corpus : Corpus
    codebooks : sequence of Codebook
    questions : mapping of question → codebook ids, optional
        Which codebooks code which question. By default every codebook codes every question.
    jobs : int
        Worker processes; ``0`` means one per CPU core.
    progress : callable, optional
        Called with the number of answers just finished, for progress bars.
    classifiers : bool
        Apply classifier rules (default). ``False`` gives keyword codings only, e.g. to train the
        model that a classifier rule will load.

    Returns
    -------
    DataFrame
        Codings with columns ``CODING_COLUMNS``, sorted.

    Examples
    --------
    >>> corpus = load_corpus(example / "corpus" / "svar.csv", "case_id", ["grunn_nei"])
    >>> codings = code_corpus(corpus, [load_codebook(example / "codebooks" / "ansette.yaml")])
    >>> codings.iloc[0][["case_id", "question", "code_id", "method"]].tolist()
    ['2019-0118', 'grunn_nei', 'usikkert_behov', 'classifier']
    """
    assignment = question_assignment(codebooks, corpus.questions, questions)
    specs = {cb.id: keyword_specs(cb) for cb in codebooks}
    # Columns as lists (converted in one call each; itertuples boxes every value on its own).
    answers = corpus.answers
    codebooks_of = {question: tuple(ids) for question, ids in assignment.items()}
    work = [(case_id, question, text, codebooks_of.get(question, ()))
            for case_id, question, text in zip(answers["case_id"].tolist(), answers["question"].tolist(),
                                               answers["text"].tolist())]
    # Answers in the codings frame's order (a stable sort by case and question, as the frame's):
    # each answer's rows come out sorted by span, code and rule (code_chunk), so the rows are in
    # SORT_KEYS order and the frame needs no sort (a third of code_corpus's time at 200k answers).
    work.sort(key=itemgetter(0, 1))
    if len(work) >= LARGE_CORPUS_ANSWERS:
        expect_large_corpus()
    columns: _Columns = ([], [], [], [], [])
    # over all chunks (between chunks the collector would walk the caches again), and the caches
    # and codings left in the oldest generation afterwards
    with paused_gc(keep=True):
        for chunk_columns in _run(work, specs, jobs=jobs, progress=progress, chunk_size=chunk_size):
            for column, values in zip(columns, chunk_columns):
                column.extend(values)  # type: ignore[attr-defined]
    codings = _frame_of_columns(work, columns)
    if classifiers:
        codings = _add_classifier_codings(corpus.answers, codebooks, assignment, codings)
    return codings


#: Keyword codings of a chunk of answers, column by column: the number of codings of each answer,
#: then each coding's code id, rule id, start and end (answers' rows in code_chunk's order).
_Columns = tuple[list[int], list[str], list[str], list[int], list[int]]


def _frame_of_columns(work: list[tuple[str, str, str, tuple[str, ...]]], columns: _Columns) -> pd.DataFrame:
    """The codings frame of :func:`code_chunk_columns`' output, in the order the rows come in.

    Equal to :func:`~fritekst.coding.frame.codings_frame` of the same rows when they are already
    in its order; built column by column because a frame from a million row tuples cost more than
    the (warm) keyword matching (2.5 s at 200k answers).
    """
    counts, code_ids, rule_ids, starts, ends = columns
    n = len(code_ids)
    if not n:
        return empty_codings()
    answer_of_row = np.repeat(np.arange(len(work)), counts)
    return pd.DataFrame({
        "case_id": pd.Series([item[0] for item in work]).array.take(answer_of_row),
        "question": pd.Series([item[1] for item in work]).array.take(answer_of_row),
        "code_id": pd.Series(code_ids).array,
        "start": pd.array(np.array(starts, dtype=np.int64), dtype="Int64"),
        "end": pd.array(np.array(ends, dtype=np.int64), dtype="Int64"),
        "method": pd.Series(["keyword"]).array.take(np.zeros(n, dtype=np.intp)),
        "rule_id": pd.Series(rule_ids).array,
        "score": np.ones(n, dtype=np.float64),
    })


def question_assignment(codebooks: Sequence[Codebook], text_columns: Sequence[str],
                        questions: Mapping[str, Sequence[str]] | None) -> dict[str, list[str]]:
    """Question → ids of the codebooks that code it (default: every codebook codes every question).

    Raises
    ------
    ProjectError
        A question names a codebook that is not among ``codebooks``.
    """
    by_id = {cb.id: cb for cb in codebooks}
    assignment = {q: list(questions.get(q, [])) if questions is not None else list(by_id)
                  for q in text_columns}
    for question, ids in assignment.items():
        unknown = [i for i in ids if i not in by_id]
        if unknown:
            raise ProjectError(f"question {question!r} names unknown codebook {unknown[0]!r}; "
                               f"codebooks given: {', '.join(by_id) or 'none'}", code="E305")
    return assignment


def _add_classifier_codings(answers: pd.DataFrame, codebooks: Sequence[Codebook],
                            assignment: Mapping[str, Sequence[str]], keyword: pd.DataFrame) -> pd.DataFrame:
    """Run each codebook's classifier rules on its questions and combine by its policy."""
    with_models = [cb for cb in codebooks if cb.classifier is not None or any(cb.rules("classifier"))]
    if not with_models:
        return keyword
    from .classify import code_with_classifiers  # the model files only when needed

    frames = [keyword[~keyword["code_id"].isin({c for cb in with_models for c in cb.code_ids})]]
    for codebook in with_models:
        asked = [q for q, ids in assignment.items() if codebook.id in ids]
        own = keyword[keyword["question"].isin(asked) & keyword["code_id"].isin(codebook.code_ids)]
        # with the model at hand: policy learned may replace a code's keyword codings
        frames.append(code_with_classifiers(answers[answers["question"].isin(asked)], codebook, own))
    combined = pd.concat([f for f in frames if not f.empty] or [empty_codings()], ignore_index=True)
    if combined.empty:
        return empty_codings()
    # Typed and sorted as codings_frame() does, without a Python tuple per coding: at 200k answers
    # that round trip was the report's memory peak (about 0.4 GB on top of the frames).
    return sort_codings(combined[CODING_COLUMNS].astype({"start": "Int64", "end": "Int64", "score": "float64"}))


def merge_hand_codings(codings: pd.DataFrame, corpus: Corpus, codebooks: Sequence[Codebook],
                       paths: Sequence[str | os.PathLike[str]]) -> tuple[pd.DataFrame, MergeReport | None]:
    """Merge hand-coding files over automatic codings: hand decisions always win.

    Returns the merged codings and what the hand decisions did (``None`` when there are no files).
    """
    hand = read_hand_codings(corpus, codebooks, paths)
    if hand is None:
        return codings, None
    return apply_hand_codings(codings, corpus, hand)


def read_hand_codings(corpus: Corpus, codebooks: Sequence[Codebook],
                       paths: Sequence[str | os.PathLike[str]]) -> pd.DataFrame | None:
    """Read and check every hand-coding file (before any coding, so a bad file fails at once)."""
    if not paths:
        return None
    from .codings_io import read_codings

    code_ids = {code_id for codebook in codebooks for code_id in codebook.code_ids}
    frames = [read_codings(path, code_ids=code_ids, default_method="manual", answers=corpus.answers,
                           what="hand-coding file", manual_only=True) for path in paths]
    hand = pd.concat(frames, ignore_index=True)
    # rows whose coded text was found again elsewhere in its changed answer (reported, never silent)
    hand.attrs["moved"] = [note for frame in frames for note in frame.attrs.get("moved", [])]
    return hand


def apply_hand_codings(codings: pd.DataFrame, corpus: Corpus,
                       hand: pd.DataFrame) -> tuple[pd.DataFrame, MergeReport]:
    """Hand decisions (from :func:`read_hand_codings`) over automatic codings: hand decisions win."""
    from .handcoding import merge_codings

    merged, report = merge_codings(codings, hand, corpus.answers)
    report.moved = list(hand.attrs.get("moved", []))
    return codings_frame(merged[CODING_COLUMNS].itertuples(index=False, name=None)), report


def _run(work: list[tuple[str, str, str, tuple[str, ...]]], specs: dict[str, list[KeywordRuleSpec]],
         *, jobs: int, progress: Progress | None, chunk_size: int) -> Iterator[_Columns]:
    chunks = [work[i:i + chunk_size] for i in range(0, len(work), chunk_size)]
    # More workers than chunks only costs start-up time (each compiles the matchers).
    jobs = min((os.cpu_count() or 1) if jobs == 0 else max(1, jobs), len(chunks))
    init_worker(specs)
    if jobs <= 1:
        results: Iterable[_Columns] = map(code_chunk_columns, chunks)
        yield from _drain(results, chunks, progress)
        return
    # The first chunk is coded here, before the pool forks, so the workers start warm.
    yield from _drain([code_chunk_columns(chunks[0])], chunks[:1], progress)
    yield from _drain(pool_map(code_chunk_columns, chunks[1:], jobs, init_pool_worker, (specs,)),
                      chunks[1:], progress)


def pool_map(function: Callable[[Any], Any], items: Iterable[Any], jobs: int,
             initializer: Callable[..., None], initargs: tuple[Any, ...]) -> Iterator[Any]:
    """``function`` over ``items`` in ``jobs`` worker processes, results in order, ≤ 2 × jobs in flight.

    Stopping (an error, Ctrl-C, SIGTERM) lets the few chunks in flight finish and then ends the
    workers normally, instead of ``Pool.terminate``: killing workers while the pool's feeder thread
    is writing a chunk into their pipe leaves that thread blocked for ever, and the run hangs.
    Bounding the work in flight keeps that wait to a few chunks.
    """
    pool = start_pool(jobs, initializer, initargs)
    try:
        pending: deque[Any] = deque()
        for item in items:
            pending.append(pool.apply_async(function, (item,)))
            if len(pending) >= 2 * jobs:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()
    finally:
        pool.close()
        pool.join()


def _drain(results: Iterable[_Columns], chunks: list[Any], progress: Progress | None) -> Iterator[_Columns]:
    for chunk, columns in zip(chunks, results):
        yield columns
        if progress is not None:
            progress(len(chunk))


_MATCHERS: dict[str, KeywordMatcher] = {}
_MATCHER_SPECS: dict[str, list[KeywordRuleSpec]] = {}


def init_worker(specs: dict[str, list[KeywordRuleSpec]]) -> None:
    """Compile this process's keyword matchers, one per codebook id (a pool initializer).

    Matchers already compiled from equal rules are kept with their per-word-form caches: a pool
    forked after the main process coded a first chunk inherits that warm-up instead of every
    worker repeating it (the caches hold pure functions of the text, so codings are the same).
    """
    if _MATCHER_SPECS == specs and _MATCHERS.keys() == specs.keys():
        return
    _MATCHERS.clear()
    _MATCHER_SPECS.clear()
    _MATCHERS.update({cb_id: KeywordMatcher(rules) for cb_id, rules in specs.items()})
    _MATCHER_SPECS.update({cb_id: list(rules) for cb_id, rules in specs.items()})


def quiet_worker_signals() -> None:
    """In a worker process: leave Ctrl-C to the main process, and die quietly when it stops the pool.

    The terminal sends SIGINT to every process of the command (and ``kill -- -PGID`` SIGTERM);
    without this each worker prints its own KeyboardInterrupt (or BrokenPipeError) traceback, and a
    worker killed while it waits for work dies holding the pool's queue lock, so that stopping the
    pool hangs for ever. Each worker therefore leaves the process group: only the main process gets
    those signals, and it stops the pool in order (SIGTERM, whose default action ends a worker
    without output). A worker whose main process is gone sees its pipe close and exits.
    """
    if hasattr(os, "setpgid"):
        os.setpgid(0, 0)
    # Signals were blocked while the pool forked (see start_pool); one that arrived for the group
    # meanwhile is pending here: ignoring while unblocking discards it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOP_SIGNALS)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


_STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM}


def start_pool(jobs: int, initializer: Callable[..., None], initargs: tuple[Any, ...]) -> Any:
    """A process pool whose start cannot be torn by Ctrl-C or SIGTERM.

    A signal that lands while the main process forks runs its handler inside the fork hooks, where
    the KeyboardInterrupt is swallowed ("Exception ignored") and the run goes on. So the two signals
    are blocked while the workers are forked and delivered right after, at a safe point.
    """
    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods()
                                          else "spawn")
    if not hasattr(signal, "pthread_sigmask"):
        return context.Pool(jobs, initializer=initializer, initargs=initargs)
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS)
    try:
        return context.Pool(jobs, initializer=initializer, initargs=initargs)
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def init_pool_worker(specs: dict[str, list[KeywordRuleSpec]]) -> None:
    """Pool initializer: quiet signals, then :func:`init_worker`."""
    quiet_worker_signals()
    init_worker(specs)


def worker_matchers() -> Mapping[str, KeywordMatcher]:
    """The matchers :func:`init_worker` compiled in this process, by codebook id."""
    return _MATCHERS


@contextmanager
def paused_gc(*, keep: bool = False) -> Iterator[None]:
    """No cyclic garbage collection inside the block (reference counting frees as always).

    Matching allocates millions of short-lived tuples and fills the matchers' caches with
    long-lived ones, so the collector kept walking the caches: ~12 % of cold keyword coding at
    200k answers, for no garbage (the matcher makes no reference cycles). Only a block that
    found the collector on turns it back on.

    ``keep``: the block built data that lives on (a whole corpus's caches and codings), so what
    exists when it ends is moved into the oldest generation untraversed (:func:`gc.freeze`, then
    :func:`gc.unfreeze`: two list splices). Otherwise the first allocation after the block finds
    every one of those objects still counted young and walks them all in one young collection
    (0.4-0.5 s of CPU after 200k answers), and again in the middle generation later; the oldest
    generation is walked as before, at the next full collection. If the program has frozen
    objects of its own (``fritekst report`` does), the block's objects join them instead, and
    leave when the program unfreezes. Blocks that run once per chunk of a stream leave it off:
    each adds little, and what they leave young is collected young.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            if keep:
                frozen_before = gc.get_freeze_count()
                gc.freeze()
                if not frozen_before:
                    gc.unfreeze()
            gc.enable()


def code_chunk(chunk: list[tuple[str, str, str, tuple[str, ...]]]) -> list[Row]:
    """Keyword codings of ``(case_id, question, text, codebook_ids)`` items, as ``Row`` tuples.

    Each item's rows are sorted by start, end, code and rule (the codings frame's order within an
    answer); items keep their order.
    """
    rows: list[Row] = []
    append = rows.append
    with paused_gc():
        for case_id, question, text, codebook_ids in chunk:
            for code_id, rule_id, start, end in _item_hits(text, codebook_ids):
                append((case_id, question, code_id, start, end, "keyword", rule_id, 1.0))
    return rows


def code_chunk_columns(chunk: list[tuple[str, str, str, tuple[str, ...]]]) -> _Columns:
    """:func:`code_chunk` column by column (see ``_Columns``), the rows in the same order."""
    counts: list[int] = []
    code_ids: list[str] = []
    rule_ids: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    with paused_gc():
        for _case_id, _question, text, codebook_ids in chunk:
            if len(codebook_ids) == 1:  # the common case: the columns straight from the matcher
                counts.append(_MATCHERS[codebook_ids[0]].hits_into(text, starts, ends, code_ids, rule_ids))
                continue
            hits = _item_hits(text, codebook_ids)
            counts.append(len(hits))
            if hits:
                found_codes, found_rules, found_starts, found_ends = zip(*hits)
                code_ids += found_codes
                rule_ids += found_rules
                starts += found_starts
                ends += found_ends
    return counts, code_ids, rule_ids, starts, ends


def _item_hits(text: str, codebook_ids: tuple[str, ...]) -> list[Hit]:
    """One answer's hits under each of its codebooks, sorted by start, end, code and rule."""
    if len(codebook_ids) == 1:
        return _MATCHERS[codebook_ids[0]].match(text)  # already in that order
    return sorted((hit for cb_id in codebook_ids for hit in _MATCHERS[cb_id].match(text)), key=_span_order)


def _span_order(hit: Hit) -> tuple[int, int, str, str]:
    return hit.start, hit.end, hit.code_id, hit.rule_id


def load_project_corpus(project: Project, questions: Sequence[str] | None = None, *,
                        id_column: str | None = None) -> Corpus:
    """Read the corpus a project names, read the way its ``[corpus]`` section says.

    Parameters
    ----------
    project : Project
    questions : sequence of str, optional
        The text columns to read (default: the project's questions).
    id_column : str, optional
        Overrides the project's id column.
    """
    spec = project.corpus_spec
    columns = list(questions) if questions is not None else [q.column for q in project.questions]
    try:
        return load_corpus(spec.path, id_column or spec.id_column, columns,
                           encoding=spec.encoding, sep=spec.sep, sheet=spec.sheet, year_column=spec.year_column)
    except InputError as exc:
        key = PROJECT_KEYS.get(exc.option or "")
        if key is None:
            raise
        # The setting came from the project file, not from a flag: point at its key there (a command
        # such as `code` also has --sheet for a data file, and the CLI would have pointed at that).
        raise exc.set_in(f"{key} in {project.path}") from exc


#: A setting :func:`load_corpus` names in an error (:attr:`FritekstError.option`) → the project key it is read from.
PROJECT_KEYS = {"sheet": "[corpus] sheet", "sep": "[corpus] sep", "encoding": "[corpus] encoding",
                "text_columns": "[[questions]] column"}


def keyword_codings(corpus: Corpus, codebook: Codebook) -> pd.DataFrame:
    """Keyword-rule codings of every answer in ``corpus`` with one codebook (no classifier rules).

    Training uses these as features, so it must not need the model it is about to write.
    """
    codings = code_corpus(corpus, [codebook], {q: [codebook.id] for q in corpus.questions},
                          classifiers=False)
    return codings[codings["method"] == "keyword"].reset_index(drop=True)


def load_project_codebooks(project: Project) -> dict[str, Codebook]:
    """Every codebook a project names, by the project's name for it."""
    with remembered_patterns():
        return {name: load_codebook(path) for name, path in project.codebook_paths.items()}


def model_files(codebook: Codebook) -> list[Path]:
    """The model files a codebook names (its own and its rules'), in a fixed order."""
    return sorted(codebook.model_paths())


def select_answers(corpus: Corpus, questions: Sequence[str] | None = None, years: Sequence[str] | None = None,
                   year_column: str | None = None) -> Corpus:
    """The corpus with only the answers to ``questions`` from respondents of ``years`` (cases kept)."""
    answers = corpus.answers
    keep = pd.Series(True, index=answers.index)
    if questions is not None:
        keep &= answers["question"].isin(list(questions))
    if years is not None and year_column is not None and year_column in corpus.cases.columns:
        year_of = corpus.cases[year_column].astype(str).str.strip()
        in_years = set(corpus.cases["case_id"][year_of.isin([str(y) for y in years])])
        keep &= answers["case_id"].isin(in_years)
    if bool(keep.all()):
        return corpus
    return replace(corpus, answers=answers[keep].reset_index(drop=True),
                   questions=[q for q in corpus.questions if questions is None or q in questions])


def code_project(project: Project, *, jobs: int = 1, progress: Progress | None = None,
                 hand_codings: bool = True, questions: Sequence[str] | None = None,
                 years: Sequence[str] | None = None, cache: bool = False,
                 corpus: Corpus | None = None, codebooks: Mapping[str, Codebook] | None = None,
                 ) -> tuple[Corpus, dict[str, Codebook], pd.DataFrame]:
    """Load a project's corpus and codebooks and code each question with its codebook.

    Only the answers to ``questions`` (column names) from respondents of ``years`` are coded when
    given (the corpus returned is still the whole corpus). With ``cache`` the codings of each
    question are read from and written to the project's codings cache (:mod:`fritekst.coding.cache`),
    so only questions whose codebook, model or corpus changed are coded; inside
    :func:`fritekst.coding.cache_writes.held_until_success` the new entries are written only when
    the whole block succeeds. ``corpus`` and
    ``codebooks`` may be passed when already loaded.

    The project's ``[coding] hand_codings`` files are merged over the result (hand decisions win)
    unless ``hand_codings`` is False; use :func:`merge_hand_codings` to see what they changed.
    ``codebooks`` are the project's codebooks when the caller has loaded them already.
    """
    from . import cache as codings_cache

    corpus = corpus if corpus is not None else load_project_corpus(project)
    named = dict(codebooks) if codebooks is not None else load_project_codebooks(project)
    specs = [q for q in project.questions if questions is None or q.column in questions]
    hand = read_hand_codings(corpus, list(named.values()), project.hand_codings) if hand_codings else None
    year_column = project.corpus_spec.year_column
    frames: list[pd.DataFrame] = []
    todo = []
    keys: dict[str, str] = {}
    if cache:
        spec = project.corpus_spec
        digest = codings_cache.file_digest(spec.path)
        codings_cache.align_permissions(project.root, spec.path)  # the corpus's may have changed since
        options = (spec.id_column, spec.encoding, spec.sep, spec.sheet, year_column)
    for q in specs:
        if cache:
            files = [project.codebook_paths[q.codebook], *model_files(named[q.codebook])]
            keys[q.column] = codings_cache.entry_key(digest, options, q.column, files, years)
            found = codings_cache.read_entry(project.root, q.column, years, keys[q.column])
            if found is not None:
                frames.append(found)
                continue
        todo.append(q)
    if todo:
        selected = select_answers(corpus, [q.column for q in todo], years, year_column)
        if progress is not None:
            progress(len(corpus.answers) - len(selected.answers))
        assignment = {q.column: [named[q.codebook].id] for q in todo}
        used = {named[q.codebook].id: named[q.codebook] for q in todo}
        coded = code_corpus(selected, list(used.values()), assignment, jobs=jobs, progress=progress)
        frames.append(coded)
        if cache:
            # Held until the run succeeds when the caller asked (the CLI does): see cache_writes.
            for q in todo:
                hold_or_write(functools.partial(codings_cache.write_entry, project.root, q.column, years,
                                                keys[q.column], coded[coded["question"] == q.column],
                                                project.corpus_spec.path))
    elif progress is not None:
        progress(len(corpus.answers))
    codings = codings_frame(pd.concat(frames, ignore_index=True)[CODING_COLUMNS].itertuples(
        index=False, name=None)) if len(frames) > 1 else (frames[0] if frames else empty_codings())
    if codings.empty:
        codings = empty_codings()
    if hand is not None:
        codings, _ = apply_hand_codings(codings, corpus, hand)
    return corpus, named, codings
