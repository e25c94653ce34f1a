"""Measure the keyword-rule language mechanisms on and off: answer-level P/R/F1.

    PYTHONPATH=src python benchmarks/quality_mechanisms.py [--heldout]
    PYTHONPATH=src python benchmarks/quality_mechanisms.py --ablation

--ablation scores the shipped codebooks with each language mechanism of fritekst.language.cues
switched off in turn, on the tuning sets only (train split, corpus/dev/, corpus/train2/, and
every later corpus/train<N>/ that has the codebook's answers: train3, train4, train5, ...).

Tuning sets (train split of corpus/gold, corpus/dev/*.csv) print per setting. With --heldout the
held-out split is scored too, and only as aggregate micro P/R/F1 (no texts, no disagreements): it
decides whether a mechanism becomes the default, nothing is tuned on it.
"""

from __future__ import annotations

import argparse
import csv
import re
import time
from pathlib import Path

from fritekst.language import cues
from fritekst.rules.codebook import load_codebook
from fritekst.coding.coder import keyword_specs
from fritekst.rules.keyword import KeywordMatcher, KeywordRuleSpec

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = {"ansette": ("grunn_ja", "grunn_nei", "grunn_vet_ikke"),
             "recovery": ("recovery_stor_grad", "recovery_liten_grad")}


def read_answers(path: Path) -> list[tuple[str, set[str]]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return [(row["text"], {c for c in row["codes"].split(";") if c}) for row in csv.DictReader(f)]


def train_answers(name: str) -> list[tuple[str, set[str]]]:
    with (ROOT / "corpus/gold/train_answers.csv").open(encoding="utf-8-sig", newline="") as f:
        return [(row["text"], {c for c in row["codes"].split(";") if c}) for row in csv.DictReader(f)
                if row["question"] in QUESTIONS[name]]


def heldout_answers(name: str) -> list[tuple[str, set[str]]]:
    with (ROOT / "corpus/gold/split.csv").open(encoding="utf-8-sig", newline="") as f:
        keys = {(r["case_id"], r["question"]) for r in csv.DictReader(f)
                if r["split"] == "heldout" and r["question"] in QUESTIONS[name]}
    gold: dict[tuple[str, str], set[str]] = {k: set() for k in keys}
    with (ROOT / f"corpus/gold/{name}.csv").open(encoding="utf-8-sig", newline="") as f:
        for r in csv.DictReader(f):
            if (r["case_id"], r["question"]) in gold:
                gold[(r["case_id"], r["question"])].add(r["code_id"])
    texts = {}
    with (ROOT / "corpus/svar.csv").open(encoding="utf-8-sig", newline="") as f:
        for r in csv.DictReader(f):
            for q in QUESTIONS[name]:
                if (r["case_id"], q) in gold:
                    texts[(r["case_id"], q)] = r[q]
    return [(texts[k], gold[k]) for k in sorted(gold)]


def train2_answers(name: str) -> list[tuple[str, set[str]]]:
    path = ROOT / f"corpus/train2/{name}.csv"
    return read_answers(path) if path.exists() else []


def later_pools(name: str) -> dict[str, list[tuple[str, set[str]]]]:
    """corpus/train<N>/ for N >= 3 (pools written for issue 10; training only), those with the codebook's answers."""
    pools = {}
    for path in sorted(ROOT.glob(f"corpus/train*/{name}.csv"), key=lambda p: int(p.parent.name[5:] or 0)):
        if path.parent.name[5:].isdigit() and int(path.parent.name[5:]) >= 3:
            pools[path.parent.name] = read_answers(path)
    return pools


_HARDLY = ("neppe", "knapt")

# mechanism -> the names of fritekst.rules.keyword_compile / keyword_records (or, where the scope
# reads it at matching time, fritekst.language.cues) that switch it off
ABLATIONS: dict[str, dict[str, object]] = {
    "all mechanisms (shipped)": {},
    "- diminishers": {"DIMINISHERS": (), "PREDICATIVE_DIMINISHERS": ()},
    "- dismissal heads": {"DISMISSAL_HEADS": ()},
    "- scope ends ('for')": {"SCOPE_ENDS": ()},
    "- doubt and question hedges": {"HEDGES": None},  # None: the hedges without doubt words/questions
    "- cue spellings": {"cue_spellings": lambda word: frozenset({word})},
    "- negation reaching back": {"REACHES_BACK": False},
    "- reaching across copulas": {"SUBJECT_VERBS": ()},
    "- idioms": {"IDIOMS": ()},
    "- pronoun before particle": {"with_object_pronouns": lambda text: (text,)},
    "- tripled letters read as two": {"TRIPLED_LETTER": re.compile("(?!)")},
    "- Bokmål/Nynorsk spellings": {"other_spellings": lambda word: frozenset()},
    "- refusals ('fikk avslag')": {"REFUSALS": ()},
    "- plans as hedges": {"PLANS": ()},
    "- hedges by conjunct": {"HEDGES_BY_CONJUNCT": False},
    "- 'neppe'/'knapt'": {"DIMINISHERS": tuple(d for d in cues.DIMINISHERS if d not in _HARDLY),
                          "PREDICATIVE_DIMINISHERS": tuple(d for d in cues.PREDICATIVE_DIMINISHERS
                                                           if not d.endswith(_HARDLY))},
    "- counterfactual hedges": {"EXACT_HEDGES": tuple(h for h in cues.EXACT_HEDGES if h not in cues.COUNTERFACTUALS)},
    "- dismissals by conjunct": {"DISMISSALS_BY_CONJUNCT": False},
    "- asked questions": {"ASKED_QUESTIONS": ()},
    "- negated lack is local": {"NEGATED_LACK_IS_LOCAL": False},
    "- predicative diminisher local": {"PREDICATIVE_IS_LOCAL": False},
    "- consideration by conjunct": {"CONSIDERED_IS_CONJUNCT": False},
    "- lack stops at relative": {"LACK_STOPS_AT_RELATIVE": False},
    "- plan stops at subordinator": {"PLANS_STOP_AT_SUBORDINATOR": False},
    "- concessions dismiss": {"CONCESSIONS_DISMISS": False},
    "- exact phrase typos": {"EXACT_PHRASE_TYPOS": False},
    "- fronted conditions": {"CONDITIONS_REACH_MAIN_CLAUSE": False},
    "- contrasts of clefts": {"CONTRASTS_DISMISS": False},
    "- elliptic denials": {"ELLIPTIC_DENIALS": False},
    "- openers before conditions": {"CONDITION_OPENERS": ()},
    "- talked-of plans": {"DISCUSSED": ()},
    "- passive considerations": {"CONSIDERED": tuple(c for c in cues.CONSIDERED if c not in cues.PASSIVE_CONSIDERED)},
    "- 'uten' only forward": {"FORWARD_CUES": ()},
    "- 'om' after asking": {"ASKING_VERBS": ()},
    "- 'spørs om' a doubt": {"DOUBTFUL": ()},
    "- counterfactuals seen": {"SEEING": ()},
    "- elliptic dismissals": {"ELLIPTIC_DISMISSAL_WORDS": 0},
    "- heads end phrases": {"HEADS_END_PHRASES": False},
    "- accents read plain": {"ACCENT_FOLD": {}},
    "- quantified 'få'": {"DIMINISHERS": tuple(d for d in cues.DIMINISHERS if not d.endswith(" få"))},
    "- all three of round six": {"DISMISSALS_BY_CONJUNCT": False, "ASKED_QUESTIONS": (),
                                 "NEGATED_LACK_IS_LOCAL": False},
}
DOUBT_HEDGES = ("usikker", "usikre", "usikkert", "uvisst", "uklart", "tvilsomt", "vet ikke hva",
                "vet ikke hvordan", "vet ikke hvilke*", "veit ikkje kva", "veit ikkje korleis",
                "veit ikkje kva for", "lurer på", "lurar på", "spørsmål om", "spørsmålet er")


# The Nynorsk patterns of the plain first codebook: --bokmal-only drops them, to measure what the
# Bokmål/Nynorsk spelling correspondences recover for a codebook written in one standard only.
NYNORSK_PATTERNS = frozenset({
    "gode røynsler", "betre tenester", "brukarperspektiv*", "lågterskel*", "nytt tilbod", "ny teneste",
    "tilskot*", "statsforvaltar*", "eksterne midlar", "statlege midlar", "øyremerk*", "midlar", "pengar",
    "tilsetjingsstopp*", "heimel", "pålagd", "lovpålagd", "lovpålagde", "viktigare", "teke stilling",
    "trong for", "brukarar", "lita kommune", "søkjarar", "eigna", "brukarråd*", "brukarorganisasjon*",
    "brukarrepresentant*", "dekka gjennom", "kjenn", "korleis", "kva", "meir informasjon", "meir kunnskap",
    "veit for lite", "oppfølgjing*", "forbetr*", "røynsle", "ønskje om", "opne", "tilbod*", "teneste*",
    "tenesta", "nokon", "andre kommunar", "uavklara", "tilbod", "teneste", "kjend med",
})


def bokmal_only(specs: list[KeywordRuleSpec]) -> list[KeywordRuleSpec]:
    """The rules with their Nynorsk patterns dropped (a rule left without keywords goes)."""
    from dataclasses import replace as dc_replace

    out = []
    for spec in specs:
        keywords = [k for k in spec.keywords if k not in NYNORSK_PATTERNS]
        near = [k for k in spec.near if k not in NYNORSK_PATTERNS]
        if keywords and (near or not spec.near):
            out.append(dc_replace(spec, keywords=keywords, near=near))
    return out


def ablation(codebooks: list[str] | None = None, only_bokmal: bool = False) -> None:
    import fritekst.language.analyzer as analyzer_module
    import fritekst.rules.keyword_compile as keyword_compile
    import fritekst.rules.keyword_records as keyword_records
    from fritekst.language.analyzer import Analyzer

    for path in codebooks or ["ansette", "recovery", "examples/ansette"]:
        name = "ansette" if "ansette" in path else "recovery"
        cb = load_codebook(ROOT / f"codebooks/{path}.yaml")
        specs = bokmal_only(keyword_specs(cb)) if only_bokmal else keyword_specs(cb)
        sets = {"train": train_answers(name), "dev": read_answers(ROOT / f"corpus/dev/{name}_dev.csv"),
                "train2": train2_answers(name)}
        sets.update(later_pools(name))
        print(f"\ncodebooks/{path}.yaml{' (Bokmål patterns only)' if only_bokmal else ''} (keyword rules; micro P R F1)")
        print(f"{'setting':<30}" + "".join(f" | {k:^17}" for k in sets))
        for label, off in ABLATIONS.items():
            # each name lives in the keyword module that reads it (the tables or the form records)
            where = {k: keyword_compile if hasattr(keyword_compile, k) else
                     keyword_records if hasattr(keyword_records, k) else cues for k in off}
            saved = {k: getattr(where[k], k) for k in off}
            for k, v in off.items():
                setattr(where[k], k, tuple(h for h in cues.HEDGES if h not in DOUBT_HEDGES) if v is None else v)
            # the analyzer reads TRIPLED_LETTER too, and caches per form: a fresh one for that row
            saved_tripled = analyzer_module.TRIPLED_LETTER
            if "TRIPLED_LETTER" in off:
                analyzer_module.TRIPLED_LETTER = off["TRIPLED_LETTER"]
            try:
                matcher = KeywordMatcher(specs, Analyzer() if "TRIPLED_LETTER" in off else None)
                cells = [score(matcher, answers) for answers in sets.values()]
            finally:
                for k, v in saved.items():
                    setattr(where[k], k, v)
                analyzer_module.TRIPLED_LETTER = saved_tripled
            print(f"{label:<30}" + "".join(f" | {p:.3f} {r:.3f} {f:.3f}" for p, r, f in cells))


def score(matcher: KeywordMatcher, answers: list[tuple[str, set[str]]]) -> tuple[float, float, float]:
    tp = fp = fn = 0
    for text, gold in answers:
        got = {h.code_id for h in matcher.match(text)}
        tp += len(got & gold)
        fp += len(got - gold)
        fn += len(gold - got)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * tp / (2 * tp + fp + fn) if tp else 0.0)


SETTINGS = {
    "none (clause negation)": dict(compounds=False, typos=False, negation_scope="clause"),
    "phrase negation": dict(compounds=False, typos=False),
    "hybrid negation": dict(compounds=False, typos=False, negation_scope="hybrid"),
    "hybrid + typos": dict(compounds=False, typos=True, negation_scope="hybrid"),
    "hybrid + compounds + typos": dict(compounds=True, typos=True, negation_scope="hybrid"),
    "+ compounds": dict(compounds=True, typos=False),
    "+ typos": dict(compounds=False, typos=True),
    "+ compounds + typos": dict(compounds=True, typos=True),
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--heldout", action="store_true")
    parser.add_argument("--codebook", action="append")
    parser.add_argument("--ablation", action="store_true")
    parser.add_argument("--bokmal-only", action="store_true", help="with --ablation: drop Nynorsk patterns")
    args = parser.parse_args()
    if args.ablation:
        ablation(args.codebook, args.bokmal_only)
        return
    for name in args.codebook or ["ansette", "recovery"]:
        path = ROOT / f"codebooks/{name}.yaml" if "/" not in name else Path(name)
        short = Path(path).stem if "/" in name else name
        cb = load_codebook(path)
        sets = {"train": train_answers(short if short in QUESTIONS else "ansette" if "ansette" in short else "recovery")}
        base = "ansette" if "ansette" in short else "recovery"
        sets["train"] = train_answers(base)
        sets["dev"] = read_answers(ROOT / f"corpus/dev/{base}_dev.csv")
        if args.heldout:
            sets["heldout"] = heldout_answers(base)
        print(f"\n{path.relative_to(ROOT) if path.is_absolute() else path}")
        print(f"{'setting':<26}" + "".join(f" | {k:^20}" for k in sets))
        for label, options in SETTINGS.items():
            matcher = KeywordMatcher(keyword_specs(cb), **options)
            t = time.perf_counter()
            cells = [score(matcher, answers) for answers in sets.values()]
            cells_txt = "".join(f" | {p:.3f} {r:.3f} {f:.3f}" for p, r, f in cells)
            print(f"{label:<26}{cells_txt}   ({time.perf_counter() - t:.2f} s)")


if __name__ == "__main__":
    main()
