"""Build a report project of N answers from the shared generator, for scale runs of `fritekst report`.

    python benchmarks/scale_project.py --n 200000 --out /tmp/scale_200k
    /usr/bin/time -v fritekst report --project /tmp/scale_200k/fritekst.toml --out /tmp/scale_200k/rapport

The generator (../shared/bench/gen_corpus.py, seed 42) writes ``id,text``; this script gives every
respondent a survey year (2022/2023), a closed answer to "planer om å ansette" (Ja/Nei/Vet ikke,
which routes the text to one of three open questions), a size class and a county, and codes the three
questions with the shipped ``ansette`` codebook *and its classifier* (so prediction is measured too).
Deterministic: the attributes come from the row number.
"""

from __future__ import annotations

import argparse
import csv
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
GENERATOR = REPO.parent.parent / "shared" / "bench" / "gen_corpus.py"
PLANS = ["Nei", "Nei", "Ja", "Vet ikke"]
SIZES = ["Under 5 000", "5 000–19 999", "20 000 og over"]
COUNTIES = ["Agder", "Innlandet", "Møre og Romsdal", "Nordland", "Oslo", "Rogaland", "Troms",
            "Trøndelag", "Vestfold", "Vestland", "Østfold"]
QUESTIONS = {"Ja": "grunn_ja", "Nei": "grunn_nei", "Vet ikke": "grunn_vet_ikke"}

PROJECT = """[project]
title = "Skalatest, {n} svar"

[corpus]
path = "svar.csv"
id_column = "case_id"
year_column = "aar"

[codebooks]
ansette = "ansette.yaml"

[[questions]]
column = "grunn_ja"
label = "Årsaker til at dere har planer om å ansette"
codebook = "ansette"
asked_if = {{ planer_ansette = "Ja" }}

[[questions]]
column = "grunn_nei"
label = "Årsaker til at dere ikke har planer om å ansette"
codebook = "ansette"
asked_if = {{ planer_ansette = "Nei" }}

[[questions]]
column = "grunn_vet_ikke"
label = "Årsaker til at dere er usikre"
codebook = "ansette"
asked_if = {{ planer_ansette = "Vet ikke" }}

[report]
group_by = ["kommunestorrelse", "fylke"]
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200_000)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    raw = out / "generated.csv"
    if not raw.exists():
        subprocess.run([sys.executable, str(GENERATOR), "--n", str(args.n), "--seed", "42", "--out", str(raw),
                        "--dict-out", str(out / "dict.json")], check=True)
    with open(raw, encoding="utf-8", newline="") as source, \
            open(out / "svar.csv", "w", encoding="utf-8", newline="") as target:
        writer = csv.writer(target)
        writer.writerow(["case_id", "aar", "kommunestorrelse", "fylke", "planer_ansette", *QUESTIONS.values()])
        for index, row in enumerate(csv.DictReader(source)):
            plan = PLANS[index % len(PLANS)]
            texts = [row["text"] if QUESTIONS[plan] == q else "" for q in QUESTIONS.values()]
            writer.writerow([row["id"], 2022 + index % 2, SIZES[(index // 2) % 3], COUNTIES[(index // 7) % 11],
                             plan, *texts])
    book = (REPO / "codebooks" / "ansette.yaml").read_text(encoding="utf-8")
    (out / "models").mkdir(exist_ok=True)
    shutil.copy(REPO / "codebooks" / "models" / "ansette.skops", out / "models" / "ansette.skops")
    (out / "ansette.yaml").write_text(book, encoding="utf-8")
    (out / "fritekst.toml").write_text(PROJECT.format(n=args.n), encoding="utf-8")
    print(out / "fritekst.toml")


if __name__ == "__main__":
    main()
