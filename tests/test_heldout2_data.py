"""The second held-out set in corpus/heldout2/: it parses, its ids are sound and every fixed code is covered.

The code ids are the fixed ids of shared/domain.md, written out here rather than read from the
codebooks, so a codebook edit cannot silently make the held-out gold look valid.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path
from typing import NamedTuple

import pytest

HELDOUT2 = Path(__file__).resolve().parents[1] / "corpus" / "heldout2"
HEADER = ["case_id", "question", "text", "codes"]
MIN_PER_CODE = 6


class HeldoutSet(NamedTuple):
    prefix: str
    questions: set[str]
    codes: set[str]


SETS = {
    "ansette": HeldoutSet(
        prefix="H2-A",
        questions={"grunn_ja", "grunn_nei", "grunn_vet_ikke"},
        codes={"ser_behov", "konkret_tilbud", "tilskudd", "okonomi", "ingen_stillinger", "ikke_lovpalagt",
               "ikke_aktuelt", "ikke_diskutert", "usikkert_behov", "rekruttering", "annen_losning",
               "lite_kunnskap"},
    ),
    "recovery": HeldoutSet(
        prefix="H2-R",
        questions={"recovery_stor_grad", "recovery_liten_grad"},
        codes={"hva_er_viktig", "brukermedvirkning", "tilbakemelding", "ressursfokus", "relasjon",
               "opplaering", "erfaringskompetanse", "aktivitet_arbeid", "nettverk", "modeller", "bolig",
               "mangler_kompetanse", "ikke_systematisk", "fa_brukere"},
    ),
}


def _rows(name: str) -> tuple[list[str], list[dict[str, str]]]:
    with open(HELDOUT2 / f"{name}.csv", encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        rows = list(reader)
        return list(reader.fieldnames or []), rows


def _codes(row: dict[str, str]) -> list[str]:
    return [c for c in row["codes"].split(";") if c]


@pytest.mark.parametrize("name", sorted(SETS))
def test_file_parses_with_the_expected_header_and_size(name: str) -> None:
    header, rows = _rows(name)
    assert header == HEADER
    assert 150 <= len(rows) <= 170
    # Every row has all four fields (a stray comma or broken quote would give None or extra keys).
    assert all(set(r) == set(HEADER) and None not in r.values() for r in rows)
    assert all(r["text"].strip() for r in rows)


@pytest.mark.parametrize("name", sorted(SETS))
def test_case_ids_are_unique_numbered_and_questions_known(name: str) -> None:
    spec = SETS[name]
    _, rows = _rows(name)
    ids = [r["case_id"] for r in rows]
    assert len(set(ids)) == len(ids)
    assert ids == [f"{spec.prefix}{i:03d}" for i in range(1, len(rows) + 1)]
    assert all(re.fullmatch(r"H2-[AR]\d{3}", i) for i in ids)
    assert {r["question"] for r in rows} == spec.questions


@pytest.mark.parametrize("name", sorted(SETS))
def test_codes_are_fixed_ids_without_duplicates_or_blanks(name: str) -> None:
    spec = SETS[name]
    _, rows = _rows(name)
    for r in rows:
        codes = _codes(r)
        assert r["codes"] == ";".join(codes), f"{r['case_id']}: empty element or stray separator"
        assert len(set(codes)) == len(codes), f"{r['case_id']}: code listed twice"
        assert set(codes) <= spec.codes, f"{r['case_id']}: unknown code {set(codes) - spec.codes}"


@pytest.mark.parametrize("name", sorted(SETS))
def test_every_code_has_enough_answers(name: str) -> None:
    spec = SETS[name]
    _, rows = _rows(name)
    counts = Counter(c for r in rows for c in _codes(r))
    thin = {c: counts[c] for c in spec.codes if counts[c] < MIN_PER_CODE}
    assert not thin, f"codes with fewer than {MIN_PER_CODE} answers: {thin}"


def test_low_recovery_codes_are_covered_within_their_own_question() -> None:
    # mangler_kompetanse, ikke_systematisk and fa_brukere are the reasons for *low* recovery orientation,
    # so the liten_grad answers alone must carry enough of them to be evaluated there.
    _, rows = _rows("recovery")
    low = Counter(c for r in rows if r["question"] == "recovery_liten_grad" for c in _codes(r))
    assert all(low[c] >= MIN_PER_CODE for c in ("mangler_kompetanse", "ikke_systematisk", "fa_brukere")), low


def test_set_has_answers_without_any_code() -> None:
    # The no-theme answers ("Vet ikke", "-", "Se over") are part of the test: a coder must leave them empty.
    for name in SETS:
        _, rows = _rows(name)
        assert sum(1 for r in rows if not _codes(r)) >= 10, name
