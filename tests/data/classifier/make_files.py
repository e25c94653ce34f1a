"""Writes svar.csv, gull.csv and split.csv for the classifier/evaluation tests (run once; output is committed).

Each answer carries its hand codes. Several answers say "no money" or "sees the need" in words no
keyword rule of kodebok.yaml knows (rammer, ressurser, sparekrav, etterspør, styrke), so a classifier
trained on the train split has something to add on the held-out split.
"""
import csv
from pathlib import Path

HERE = Path(__file__).parent
ANSWERS = [
    # (text, codes)
    ("Kommunen har ikke økonomi til å ansette nå.", "okonomi"),
    ("Ingen midler i budsjettet for nye stillinger.", "okonomi"),
    ("Mangler penger.", "okonomi"),
    ("Trang økonomi i kommunen.", "okonomi"),
    ("Vi har ikkje midlar til dette.", "okonomi"),
    ("Trange rammer og store sparekrav.", "okonomi"),
    ("Ingen ressurser til nye stillinger.", "okonomi"),
    ("Sparekrav i hele kommunen.", "okonomi"),
    ("Stramme økonomiske rammer.", "okonomi"),
    ("Mangler ressurser til å prioritere det.", "okonomi"),
    ("Kutt i rammene gjør det umulig.", "okonomi"),
    ("Rammene er for trange, og vi har sparekrav.", "okonomi"),
    ("Ressursene strekker ikke til.", "okonomi"),
    ("Vi ser behovet for brukerperspektivet.", "ser_behov"),
    ("Brukerne etterspør det.", "ser_behov"),
    ("Gode erfaringer fra nabokommunen.", "ser_behov"),
    ("Det vil styrke tjenestene våre.", "ser_behov"),
    ("Behovet er der, og brukerne ønsker det.", "ser_behov"),
    ("Brukarane etterspør det og det styrker tenestene.", "ser_behov"),
    ("Erfaringskompetanse vil styrke kvaliteten.", "ser_behov"),
    ("Vi har gode erfaringer med dette fra før.", "ser_behov"),
    ("Det er et tydelig behov i tjenesten.", "ser_behov"),
    ("Brukerne spør etter det og det styrker tilbudet.", "ser_behov"),
    ("Ikke aktuelt nå.", "ikke_aktuelt"),
    ("Ikkje aktuelt for oss no.", "ikke_aktuelt"),
    ("Det er ikke aktuelt i denne perioden.", "ikke_aktuelt"),
    ("Ikke prioritert nå.", "ikke_aktuelt"),
    ("Ikke relevant for oss nå.", "ikke_aktuelt"),
    ("Andre ting er prioritert nå.", "ikke_aktuelt"),
    # answers of several sentences, coded sentence by sentence (a list of (sentence, codes))
    [("Ikke aktuelt nå.", "ikke_aktuelt"), ("Vi har ikke økonomi.", "okonomi")],
    [("Ser behovet.", "ser_behov"), ("Men vi mangler midler.", "okonomi")],
    [("Behov finnes.", "ser_behov"), ("Trange rammer.", "okonomi")],
    [("Ikke prioritert.", "ikke_aktuelt"), ("Budsjettet er stramt.", "okonomi")],
    ("Vet ikke.", ""),
    ("Har ikke vurdert det.", ""),
    ("Ingen har tatt det opp.", ""),
    ("Det er ikke behov for det hos oss.", ""),
    ("Vi har ikke tenkt på det.", ""),
    ("Usikker.", ""),
    ("Det er ikke diskutert i ledelsen.", ""),
]


def parts(entry):
    """(text, [(start, end, codes)]) of an entry: one span per sentence, or the whole answer."""
    if isinstance(entry, tuple):
        text, codes = entry
        return text, [(0, len(text), codes)]
    text, spans = "", []
    for sentence, codes in entry:
        start = len(text) + (1 if text else 0)
        text = f"{text} {sentence}" if text else sentence
        spans.append((start, len(text), codes))
    return text, spans


def main() -> None:
    with open(HERE / "svar.csv", "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["case_id", "kommune", "grunn"])
        for i, entry in enumerate(ANSWERS, start=1):
            writer.writerow([f"{i:04d}", f"Kommune {i}", parts(entry)[0]])
    with open(HERE / "gull.csv", "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["case_id", "question", "code_id", "code_path", "coded_text", "start", "end",
                         "method", "rule_id", "score"])
        for i, entry in enumerate(ANSWERS, start=1):
            text, spans = parts(entry)
            for start, end, codes in spans:
                for code in codes.split():
                    writer.writerow([f"{i:04d}", "grunn", code, "", text[start:end], start, end, "manual", "", 1.0])
    with open(HERE / "split.csv", "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["case_id", "question", "split"])
        for i in range(1, len(ANSWERS) + 1):
            # every third answer is held out, so each code has held-out examples
            writer.writerow([f"{i:04d}", "grunn", "heldout" if i % 3 == 0 else "train"])


if __name__ == "__main__":
    main()
