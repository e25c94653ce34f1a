"""Exemplary quotes per theme: short, from different respondents, chosen the same way every run.

A report quotes a few answers per theme so the reader hears the respondents' own words. Good
examples are neither one-word answers nor long paragraphs, come from different kinds of
municipalities, and must not change between runs (a researcher cites them), so the choice is a
seeded shuffle followed by a greedy pass that prefers respondents from groups not yet quoted.

Examples
--------
>>> shorten("Vi har ikke penger. Dessuten er det ingen ledige stillinger i kommunen.", 42, 48, 60)
('Dessuten er det ingen ledige stillinger i kommunen.', 22, 28, True)
"""

from __future__ import annotations

import random
import re
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from .quote_choices import QuoteDecisions
from .summary import NO_THEME, QuestionBase

#: Answers shorter than this (in characters) are quoted only when nothing longer exists.
MIN_GOOD_LENGTH = 25
#: Longer answers are cut to the sentence around the coded passage, at most this long.
MAX_QUOTE_LENGTH = 240
#: A classifier coding is quoted only at or above this score: a quote must show the theme.
QUOTE_MIN_SCORE = 0.8
#: Certainty of a coding's method, most certain first (hand codings, then keyword hits).
_CERTAINTY = {"manual": 0, "keyword": 1, "classifier": 2}
SENTENCE_END = re.compile(r"[.!?\n]")
QUOTE_COLUMNS = ["question", "code_id", "code_label", "rank", "case_id", "year", "quote",
                 "mark_start", "mark_end", "truncated"]


def shorten(text: str, start: int, end: int, max_length: int = MAX_QUOTE_LENGTH) -> tuple[str, int, int, bool]:
    """Cut ``text`` to at most ``max_length`` characters around the passage ``text[start:end]``.

    Returns ``(quote, mark_start, mark_end, truncated)`` where the mark offsets locate the coded
    passage inside the quote (``0, 0`` when it was not kept). Short texts are returned whole; longer
    ones are cut to the sentence(s) holding the passage, and only then to a window with "…".
    """
    if len(text.strip()) <= max_length:
        lead = len(text) - len(text.lstrip())
        quote = text.strip()
        if not 0 <= start < end <= len(text):
            return quote, 0, 0, False
        return quote, max(0, start - lead), min(len(quote), end - lead), False
    if not 0 <= start < end <= len(text):
        start, end = 0, 0
    # The sentence that holds the coded passage: from the last sentence end before it to the next after.
    left = max((m.end() for m in SENTENCE_END.finditer(text, 0, start)), default=0)
    following = SENTENCE_END.search(text, max(end - 1, start))
    right = following.end() if following else len(text)
    if right - left > max_length:
        # The sentence itself is too long: a window centred on the passage.
        middle = (start + end) // 2
        left = max(left, min(middle - max_length // 2, len(text) - max_length))
        right = min(right, left + max_length)
        # Cut at spaces, never inside a word (unless the passage itself would be cut).
        space = text.find(" ", left, start)
        left = space + 1 if left > 0 and not text[left - 1].isspace() and space != -1 else left
        space = text.rfind(" ", end, right)
        right = space if right < len(text) and not text[right].isspace() and space != -1 else right
    piece = text[left:right]
    stripped = len(piece) - len(piece.lstrip())
    quote = piece.strip()
    prefix = "…" if left > 0 and not _starts_sentence(text, left) else ""
    suffix = "…" if right < len(text) and not quote.endswith((".", "!", "?")) else ""
    offset = len(prefix) - left - stripped
    mark_start, mark_end = (start + offset, end + offset) if end > start else (0, 0)
    return prefix + quote + suffix, max(0, mark_start), max(0, min(mark_end, len(prefix) + len(quote))), True


def _starts_sentence(text: str, index: int) -> bool:
    before = text[:index].rstrip()
    return not before or before[-1] in ".!?\n"


def select_quotes(base: QuestionBase, per_code: int, seed: int,
                  attributes: Sequence[str] = (), max_length: int = MAX_QUOTE_LENGTH,
                  decisions: Mapping[tuple[str, str], QuoteDecisions] | None = None,
                  rejected: set[tuple[str, str]] | frozenset[tuple[str, str]] = frozenset()) -> pd.DataFrame:
    """Choose up to ``per_code`` quotes for every theme of one question.

    Candidates are the respondents coded with the theme (or a code below it). They are shuffled with a
    generator seeded by ``seed``, the question and the code (so adding a code does not reshuffle the
    others), ordered so that answers of a readable length come first, then taken greedily so that each
    pick comes from a year and ``attributes[0]`` group not quoted yet for that theme; respondents
    already quoted for an earlier theme are used only when nobody else is left. The same answer text
    is never quoted twice for a theme. Parent codes get no quotes of their own (their children's
    quotes cover them). ``_ingen_tema`` (answered, no theme) gets quotes too: they show what the codebook misses.

    Returns
    -------
    DataFrame
        :data:`QUOTE_COLUMNS` plus one column per attribute in ``attributes``.
    """
    texts = dict(zip(base.answers["case_id"], base.answers["text"]))
    info = base.cases.set_index("case_id")
    spans: dict[tuple[str, str], tuple[int, int]] = {}
    certainty: dict[tuple[str, str], int] = {}
    codings = base.codings
    methods = codings["method"] if "method" in codings.columns else pd.Series("keyword", index=codings.index)
    scores = codings["score"] if "score" in codings.columns else pd.Series(1.0, index=codings.index)
    for case_id, code_id, start, end, method, score in zip(codings["case_id"], codings["code_id"],
                                                           codings["start"], codings["end"], methods, scores):
        level = _CERTAINTY.get(str(method), 2)
        if level == 2 and not (pd.notna(score) and float(score) >= QUOTE_MIN_SCORE):
            continue  # an unsure classifier coding: counted in the shares, never quoted
        key = (case_id, code_id)
        if level < certainty.get(key, 9):
            certainty[key] = level
            spans[key] = (int(start), int(end))
        elif level == certainty[key]:
            spans[key] = min(spans[key], (int(start), int(end)))
    families = _families(base)
    parents = {code.parent for code in base.codebook.codes if code.parent}
    rows: list[dict[str, Any]] = []
    quoted: set[str] = set()
    for theme in base.theme_ids:
        if theme in parents:
            continue  # a parent's answers are quoted under its children
        candidates = sorted(base.coded.index[base.coded[theme]].tolist())
        random.Random(f"{seed}|{base.column}|{theme}").shuffle(candidates)
        decided = (decisions or {}).get((base.column, theme), QuoteDecisions())
        coded = set(candidates)
        family = families.get(theme, [theme])
        refused = {c for c in candidates if any((c, code) in rejected for code in family)}
        pins = [case_id for case_id in decided.pins if case_id in coded and case_id not in refused]
        pinned = set(pins)
        sure = {c: min((certainty[(c, code)] for code in family if (c, code) in certainty), default=None)
                for c in candidates}
        if theme != NO_THEME:
            candidates = [c for c in candidates if sure[c] is not None]
        candidates = [c for c in candidates if c not in decided.bans and c not in pinned and c not in refused]
        pinned_rows = []
        for case_id in pins:
            start, end = _first_span(spans, case_id, families.get(theme, [theme]))
            pinned_rows.append((case_id, *shorten(texts.get(case_id, ""), start, end, max_length)))
        prepared = []
        for case_id in candidates:
            text = texts.get(case_id, "")
            start, end = _first_span(spans, case_id, families.get(theme, [theme]))
            quote, mark_start, mark_end, truncated = shorten(text, start, end, max_length)
            preference = 2 if len(text.strip()) < MIN_GOOD_LENGTH else (1 if truncated else 0)
            prepared.append((preference, case_id, quote, mark_start, mark_end, truncated))
        # Stable sort keeps the seeded order within a certainty and preference; answers already quoted
        # for an earlier theme go last, so each theme shows new voices where it can.
        prepared.sort(key=lambda item: (sure.get(item[1]) or 0, item[0], item[1] in quoted))
        picks = _varied(prepared, info, attributes, max(0, per_code - len(pinned_rows)),
                        used_texts={quote.casefold().strip(" .…") for _, quote, *_ in pinned_rows})
        for rank, (case_id, quote, mark_start, mark_end, truncated) in enumerate(
                [*pinned_rows, *picks], start=1):
            row = {"question": base.column, "code_id": theme, "code_label": base.labels[theme],
                   "rank": rank, "case_id": case_id, "year": info.at[case_id, "year"], "quote": quote,
                   "mark_start": mark_start, "mark_end": mark_end, "truncated": truncated}
            for attribute in attributes:
                row[attribute] = str(info.at[case_id, attribute]) if attribute in info.columns else ""
            rows.append(row)
            quoted.add(case_id)
    return pd.DataFrame(rows, columns=[*QUOTE_COLUMNS, *attributes])


def _families(base: QuestionBase) -> dict[str, list[str]]:
    children: dict[str, list[str]] = {}
    for code in base.codebook.codes:
        if code.parent:
            children.setdefault(code.parent, []).append(code.id)

    def below(code_id: str) -> list[str]:
        return [code_id, *(c for child in children.get(code_id, []) for c in below(child))]

    return {code_id: below(code_id) for code_id in base.code_ids}


def _first_span(spans: dict[tuple[str, str], tuple[int, int]], case_id: str,
                family: Sequence[str]) -> tuple[int, int]:
    found = [spans[(case_id, code)] for code in family if (case_id, code) in spans]
    return min(found) if found else (0, 0)


def _varied(prepared: list[tuple[int, str, str, int, int, bool]], info: pd.DataFrame,
            attributes: Sequence[str], wanted: int,
            used_texts: set[str] | None = None) -> list[tuple[str, str, int, int, bool]]:
    """Pick ``wanted`` candidates, preferring a (year, first attribute) not used yet."""
    first = attributes[0] if attributes and attributes[0] in info.columns else None
    chosen: list[tuple[str, str, int, int, bool]] = []
    used_groups: set[tuple[str, str]] = set()
    used_texts = set(used_texts or ())
    used_cases: set[str] = set()
    # Readability beats variety: a new group is sought among well-sized answers first, and a repeat of a
    # group among well-sized answers is preferred to a one-word answer from a new group.
    for max_preference, new_group_only in ((0, True), (1, True), (1, False), (2, True), (2, False)):
        for preference, case_id, quote, mark_start, mark_end, truncated in prepared:
            if len(chosen) >= wanted:
                return chosen
            key = quote.casefold().strip(" .…")
            group = (str(info.at[case_id, "year"]), str(info.at[case_id, first]) if first else "")
            if (preference > max_preference or case_id in used_cases or key in used_texts
                    or (new_group_only and group in used_groups)):
                continue
            chosen.append((case_id, quote, mark_start, mark_end, truncated))
            used_cases.add(case_id)
            used_texts.add(key)
            used_groups.add(group)
    return chosen


