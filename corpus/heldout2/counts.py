"""Print per-code and per-question counts of the second held-out set (corpus/heldout2).

Run from the repository root:  python corpus/heldout2/counts.py
Only reads the CSVs; it never touches the rules or the tool.
"""
import csv
from collections import Counter
from pathlib import Path

HERE = Path(__file__).parent


def main() -> None:
    for name in ("ansette", "recovery"):
        with open(HERE / f"{name}.csv", encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
        codes = Counter(c for r in rows for c in r["codes"].split(";") if c)
        per_answer = Counter(len([c for c in r["codes"].split(";") if c]) for r in rows)
        questions = Counter(r["question"] for r in rows)
        print(f"## {name}.csv: {len(rows)} answers")
        print("questions: " + ", ".join(f"{q} {n}" for q, n in questions.items()))
        print("codes per answer: " + ", ".join(f"{k}: {per_answer[k]}" for k in sorted(per_answer)))
        for code, n in codes.most_common():
            by_q = Counter(r["question"] for r in rows if code in r["codes"].split(";"))
            print(f"  {code:22s} {n:3d}   " + ", ".join(f"{q} {m}" for q, m in sorted(by_q.items())))
        print()


if __name__ == "__main__":
    main()
