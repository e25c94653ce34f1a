"""Hand codings win: merging a researcher's decisions over automatic coding.

A hand-coding file holds decisions per answer and code: ``yes`` rows (the code applies, possibly
with a span) and ``no`` rows (explicitly *not* this code). :func:`merge_codings` applies them to
fresh automatic codings:

* a hand ``yes`` is always in the output, with its own span(s), replacing automatic codings of the
  same code on the same answer (**confirmed** if the automatic coding had found it, **added** if not);
* a hand ``no`` removes every automatic coding of that code on that answer (**overruled**, or
  **agreed absent** when there was nothing to remove);
* automatic codings of codes the researcher did not decide on are kept as they are (**untouched**).

Only explicit decisions count: hand-coding one code of an answer says nothing about the others. The
merge depends only on the hand decisions and the automatic codings, never on an earlier merged
output, so re-running the coder (with changed rules or a retrained model) can never drop or
override a hand decision: merging twice gives the same result as merging once.

Examples
--------
>>> import pandas as pd
>>> auto = pd.DataFrame({"case_id": ["1", "1"], "question": ["q", "q"], "code_id": ["a", "b"],
...                      "start": [0, 5], "end": [4, 9], "method": ["keyword"] * 2,
...                      "rule_id": ["a1", "b1"], "score": [1.0, 1.0]})
>>> hand = pd.DataFrame({"case_id": ["1"], "question": ["q"], "code_id": ["b"], "start": [0],
...                      "end": [9], "method": ["manual"], "rule_id": [""], "score": [1.0],
...                      "decision": ["no"]})
>>> merged, report = merge_codings(auto, hand)
>>> merged["code_id"].tolist(), report.overruled
(['a'], 1)
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from .frame import CODING_COLUMNS, KEY, decisions_of, empty_codings, fill_whole_answer_spans, sort_codings

COUNT_COLUMNS = ["confirmed", "overruled", "added", "agreed_absent"]


@dataclass
class MergeReport:
    """What the hand decisions did to the automatic codings, counted per (answer, code).

    Attributes
    ----------
    confirmed : int
        Automatic coding found the code and the researcher said yes.
    overruled : int
        Automatic coding found the code and the researcher said no (its codings were removed).
    added : int
        The researcher said yes where automatic coding had not found the code.
    agreed_absent : int
        The researcher said no and automatic coding had not found the code either.
    untouched : int
        (answer, code) pairs coded automatically without any hand decision.
    moved : list of str
        ``file:line`` notes of hand codings whose answer changed and whose coded text was found
        again, once, elsewhere in the same answer (they now point there). Never silent: show them.
    per_code : DataFrame
        ``code_id`` and the four counts per code.
    """

    confirmed: int = 0
    overruled: int = 0
    added: int = 0
    agreed_absent: int = 0
    untouched: int = 0
    per_code: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["code_id", *COUNT_COLUMNS]))
    moved: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """One line for the terminal.

        Examples
        --------
        >>> MergeReport(confirmed=3, overruled=1, added=2).summary()
        'hand codings: 3 automatic codings confirmed, 1 overruled, 2 added by hand'
        """
        return (f"hand codings: {self.confirmed} automatic codings confirmed, {self.overruled} overruled, "
                f"{self.added} added by hand")


def merge_codings(auto: pd.DataFrame, manual: pd.DataFrame,
                  answers: pd.DataFrame | None = None) -> tuple[pd.DataFrame, MergeReport]:
    """Apply hand decisions over automatic codings; hand decisions always win.

    Parameters
    ----------
    auto : DataFrame
        Automatic codings (codings frame; any ``method``).
    manual : DataFrame
        Hand codings with an optional ``decision`` column (``yes`` by default, ``no`` = not this code).
    answers : DataFrame, optional
        Corpus answers, to give hand ``yes`` rows with blank spans the whole answer's span.

    Returns
    -------
    merged : DataFrame
        Codings (:data:`CODING_COLUMNS`), sorted; hand ``yes`` rows have ``method="manual"``.
    report : MergeReport
    """
    decision = decisions_of(manual)
    manual_yes = manual[decision == "yes"]
    decided = {key: value for key, value in zip(manual[KEY].itertuples(index=False, name=None), decision)}
    auto_keys = list(auto[KEY].itertuples(index=False, name=None)) if not auto.empty else []
    auto_pairs = set(auto_keys)
    keep = [key not in decided for key in auto_keys]
    counts: dict[str, dict[str, int]] = {}
    for key, value in decided.items():
        found = key in auto_pairs
        kind = ("confirmed" if found else "added") if value == "yes" else ("overruled" if found else "agreed_absent")
        counts.setdefault(key[2], dict.fromkeys(COUNT_COLUMNS, 0))[kind] += 1
    kept = auto[keep] if keep else auto.iloc[0:0]
    hand_rows = manual_yes.assign(method="manual")[CODING_COLUMNS] if not manual_yes.empty else empty_codings()
    if answers is not None and not hand_rows.empty:
        hand_rows = fill_whole_answer_spans(hand_rows, answers)
    frames = [f[CODING_COLUMNS] for f in (kept, hand_rows) if not f.empty]
    merged = sort_codings(pd.concat(frames, ignore_index=True)) if frames else empty_codings()
    per_code = pd.DataFrame([{"code_id": code, **c} for code, c in sorted(counts.items())],
                            columns=["code_id", *COUNT_COLUMNS])
    totals = {column: int(per_code[column].sum()) for column in COUNT_COLUMNS}
    untouched = len({key for key, k in zip(auto_keys, keep) if k})
    return merged, MergeReport(confirmed=totals["confirmed"], overruled=totals["overruled"], added=totals["added"],
                               agreed_absent=totals["agreed_absent"], untouched=untouched, per_code=per_code)
