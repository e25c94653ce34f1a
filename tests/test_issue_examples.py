"""Every example of issue 10 is coded right by the shipped codebooks (keyword rules + shipped
model, combined as shipped): negation, dismissals, hedges, typos, "ikke bare"."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from fritekst.coding.coder import code_corpus
from fritekst.rules.codebook import load_codebook
from fritekst.sources.corpus import Corpus

REPO = Path(__file__).resolve().parent.parent

# (codebook, question, answer, codes that must be there, codes that must not)
EXAMPLES = [
    ("recovery", "recovery_liten_grad", "Vi har ikke FACT-team i kommunen.", set(), {"modeller"}),
    ("recovery", "recovery_liten_grad", "Vi har ikkje teke i bruk tilbakemeldingsverktøy enno.", set(),
     {"tilbakemelding"}),
    ("recovery", "recovery_stor_grad", "FACT-teamet følger opp brukerne tett.", {"modeller"}, set()),
    ("ansette", "grunn_vet_ikke", "Saken må drøftes i ledelsen før vi kan ta stilling.", {"ikke_diskutert"},
     {"rekruttering", "ingen_stillinger"}),
    ("ansette", "grunn_nei", "Vi søkte om tilskudd, men fikk avslag.", {"okonomi"}, {"lite_kunnskap", "tilskudd"}),
    ("ansette", "grunn_nei", "Øknoomi.", {"okonomi"}, set()),
    ("ansette", "grunn_nei", "Kostndaene er for store.", {"okonomi"}, set()),
    ("ansette", "grunn_nei", "Ingeen ledige stillinger.", {"ingen_stillinger"}, set()),
    ("ansette", "grunn_nei", "Pengene er ikke hindringen, vi har ikke tenkt på det.", {"ikke_diskutert"},
     {"okonomi"}),
    ("ansette", "grunn_vet_ikke", "Det handlar ikkje om økonomi, men vi veit ikkje om det er behov.",
     {"usikkert_behov"}, {"okonomi", "ser_behov"}),
    ("ansette", "grunn_ja", "Ikke bare brukerperspektivet, vi har gode erfaringer fra nabokommunen.",
     {"ser_behov"}, set()),
    ("ansette", "grunn_vet_ikke", "Vi ansetter om det er behov.", set(), {"ser_behov"}),
    ("ansette", "grunn_ja", "Vi ser et klart behov.", {"ser_behov"}, set()),
    # the brief of the mechanisms round: subject before the negation, fixed expressions, particle verbs
    ("ansette", "grunn_nei", "Økonomien strekker ikke til.", {"okonomi"}, set()),
    ("ansette", "grunn_nei", "Pengane rekk ikkje.", {"okonomi"}, set()),
    ("ansette", "grunn_vet_ikke", "Vi har ikke tatt stilling til det ennå.", {"ikke_diskutert"}, {"ingen_stillinger"}),
    ("ansette", "grunn_vet_ikke", "Ingen har teke det opp.", {"ikke_diskutert"}, set()),
    ("ansette", "grunn_vet_ikke", "Ikkkje avklart.", {"ikke_diskutert"}, set()),
    ("ansette", "grunn_vet_ikke", "Vi kjenner ikke til ordningen.", {"lite_kunnskap"}, set()),
]


@pytest.fixture(scope="module")
def coded() -> dict[str, set[str]]:
    result: dict[str, set[str]] = {}
    for name in ("ansette", "recovery"):
        rows = [(str(i), q, t) for i, (cb, q, t, _, _) in enumerate(EXAMPLES) if cb == name]
        answers = pd.DataFrame(rows, columns=["case_id", "question", "text"])
        corpus = Corpus(cases=answers[["case_id"]], answers=answers, questions=sorted(set(answers["question"])),
                        source=REPO / "tests")
        codings = code_corpus(corpus, [load_codebook(REPO / "codebooks" / f"{name}.yaml")])
        for case_id, question, text in rows:
            result[text] = set(codings.loc[codings["case_id"] == case_id, "code_id"])
    return result


@pytest.mark.parametrize(("codebook", "question", "text", "wanted", "unwanted"), EXAMPLES)
def test_issue_example_is_coded_right(coded, codebook, question, text, wanted, unwanted) -> None:
    assert wanted <= coded[text], coded[text]
    assert not unwanted & coded[text], coded[text]
