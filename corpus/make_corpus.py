#!/usr/bin/env python3
"""Generate fritekst's shipped example corpus: synthetic survey answers consistent with the report.

Run from anywhere (stdlib only; Python >= 3.10)::

    python corpus/make_corpus.py              # rewrites the files beside this script
    python corpus/make_corpus.py --out /tmp/x # writes the same files into another folder

Determinism: every random choice comes from ``random.Random`` instances seeded from the fixed
``SEED`` below plus a purpose label (``_rng("respondents-2021")``), so adding a draw in one step
never shifts another step, and re-running reproduces every output byte for byte.  Sets are never
iterated; all loops run over sorted lists.

Inputs (beside this script, never modified):

* ``kommuner.csv``  municipalities of the 2019 and 2020 structures (SSB numbers and names), their
  county in the 2020-2023 structure, approximate population, size class and official language form.
* ``snippets.py``   the hand-written snippet bank (Bokmål + Nynorsk, train and held-out halves).

Outputs (see README.md for every column):

* ``svar.csv``                     one row per respondent-year 2019-2023
* ``tabell_14_6.csv``              the published Table 14.6 as data
* ``gold/ansette.csv``             manual codings of all 2023 grunn_* answers (refs.csv format)
* ``gold/recovery.csv``            manual codings of all 2023 recovery_* answers (refs.csv format)
* ``gold/split.csv``               train / heldout split of every 2023 answer
* ``gold/train_answers.csv``       the train answers with their codes, for rule writers

The published figures reproduced exactly are listed in ``TABLE_14_6``, ``RESPONDENTS``,
``REASONS_2023`` and ``RECOVERY_2023``; ``check_figures`` checks them before anything is written.
"""

from __future__ import annotations

import argparse
import csv
import io
import math
import random
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

sys.dont_write_bytecode = True  # keep the corpus folder free of __pycache__
import snippets as bank  # noqa: E402  (the bank lives beside this script)
from snippets import S  # noqa: E402

SEED = 146_2023
HERE = Path(__file__).resolve().parent

# ------------------------------------------------------------------------------------------
# Published figures (docs: /shared/domain.md).  Everything below is built to reproduce them.
# ------------------------------------------------------------------------------------------

#: Table 14.6: municipalities without peer workers, "planer om å ansette": (count, published %).
TABLE_14_6: dict[int, dict[str, tuple[int, int]]] = {
    2019: {"Ja": (56, 18), "Nei": (149, 48), "Vet ikke": (88, 28), "Ikke svart": (17, 5)},
    2020: {"Ja": (31, 16), "Nei": (106, 56), "Vet ikke": (52, 28), "Ikke svart": (0, 0)},
    2021: {"Ja": (40, 19), "Nei": (121, 57), "Vet ikke": (50, 24), "Ikke svart": (1, 0)},
    2022: {"Ja": (22, 12), "Nei": (104, 55), "Vet ikke": (62, 33), "Ikke svart": (0, 0)},
    2023: {"Ja": (23, 11), "Nei": (122, 58), "Vet ikke": (67, 32), "Ikke svart": (0, 0)},
}
TABLE_TOTALS = {2019: 310, 2020: 189, 2021: 212, 2022: 188, 2023: 212}

#: (respondents, employing peer workers, published % employing).  Respondents minus employing
#: equals the Table 14.6 total; the totals are the smallest/central choices that round right.
#: 2019 needs at least 422 respondents (112/422 = 26.5 % -> 27 %), i.e. all 422 municipalities of
#: that year's structure, which is why 2019 rows use the 2019 municipality numbers.
RESPONDENTS: dict[int, tuple[int, int, int]] = {
    2019: (422, 112, 27),
    2020: (300, 111, 37),
    2021: (342, 130, 38),
    2022: (324, 136, 42),
    2023: (354, 142, 40),
}

#: 2023: how many in each Table 14.6 group gave a (non-blank) reason.
REASONS_2023 = {"Ja": 21, "Nei": 103, "Vet ikke": 55}

#: 2023 recovery orientation among all 354 respondents: 262 high = 74.0 %, 9 low.
RECOVERY_2023 = {"I svært stor grad": 41, "I stor grad": 221, "I noen grad": 83,
                 "I liten grad": 8, "I svært liten grad": 1}
RECOVERY_HIGH = ("I svært stor grad", "I stor grad")
RECOVERY_LOW = ("I liten grad", "I svært liten grad")
RECOVERY_TEXTS_2023 = {"H": 215, "L": 6}

#: Share of each group that writes a reason in 2019-2022 (the report gives no figure).
ANSWER_RATE_EARLIER = {"J": 0.88, "N": 0.84, "V": 0.81}

SIZE_CLASSES = ("Under 5 000 innbyggere", "5 000–19 999 innbyggere", "20 000 innbyggere og over")
PLAN_GROUP = {"Ja": "J", "Nei": "N", "Vet ikke": "V"}
QUESTION_OF_GROUP = {"J": "grunn_ja", "N": "grunn_nei", "V": "grunn_vet_ikke",
                     "H": "recovery_stor_grad", "L": "recovery_liten_grad"}
CODEBOOK_OF_GROUP = {"J": "ansette", "N": "ansette", "V": "ansette", "H": "recovery", "L": "recovery"}
TRAIN_SHARE = 0.6

SVAR_COLUMNS = ["case_id", "aar", "kommunenr", "kommune", "fylke", "kommunestorrelse", "ansatt_erfaring",
                "planer_ansette", "grunn_ja", "grunn_nei", "grunn_vet_ikke", "recovery_grad",
                "recovery_stor_grad", "recovery_liten_grad"]
REFS_COLUMNS = ["case_id", "question", "code_id", "code_path", "coded_text", "start", "end", "method",
                "rule_id", "score"]

# ------------------------------------------------------------------------------------------
# Theme rates: share of a group's answers that express a theme (quotas, see assign_themes).  Chosen from the report's prose: planners see the need and have a concrete
# service; "Nei" answers are dominated by money (~35-40 %), positions, "not now"; "Vet ikke"
# answers by not-discussed and unsure need.
# ------------------------------------------------------------------------------------------

THEME_RATES: dict[str, dict[str, float]] = {
    "J": {"ser_behov": 0.62, "konkret_tilbud": 0.48, "tilskudd": 0.29, "rekruttering": 0.07},
    "N": {"okonomi": 0.37, "ingen_stillinger": 0.19, "ikke_aktuelt": 0.18, "ikke_lovpalagt": 0.12,
          "ikke_diskutert": 0.10, "usikkert_behov": 0.14, "annen_losning": 0.10, "rekruttering": 0.05,
          "lite_kunnskap": 0.06, "ser_behov": 0.07, "tilskudd": 0.03},
    "V": {"ikke_diskutert": 0.33, "usikkert_behov": 0.26, "okonomi": 0.22, "lite_kunnskap": 0.15,
          "ser_behov": 0.11, "tilskudd": 0.07, "ingen_stillinger": 0.05, "ikke_aktuelt": 0.05,
          "annen_losning": 0.05, "rekruttering": 0.05, "konkret_tilbud": 0.04},
    "H": {"hva_er_viktig": 0.22, "brukermedvirkning": 0.30, "tilbakemelding": 0.17, "ressursfokus": 0.22,
          "relasjon": 0.15, "opplaering": 0.20, "erfaringskompetanse": 0.14, "aktivitet_arbeid": 0.12,
          "nettverk": 0.10, "modeller": 0.09, "bolig": 0.06, "ikke_systematisk": 0.02},
    "L": {"mangler_kompetanse": 0.50, "ikke_systematisk": 0.50, "fa_brukere": 0.34, "brukermedvirkning": 0.17},
}
#: Who gets a theme, by size class (under 5 000, 5 000-19 999, 20 000+): relative weights.
SIZE_FACTORS: dict[str, tuple[float, float, float]] = {
    "usikkert_behov": (1.6, 1.0, 0.35), "rekruttering": (1.5, 1.0, 0.6), "konkret_tilbud": (0.7, 1.0, 1.4),
    "modeller": (0.4, 1.0, 2.2), "fa_brukere": (1.5, 1.0, 0.3),
}
YEAR_FACTORS: dict[int, dict[str, float]] = {
    2019: {"okonomi": 0.85, "tilskudd": 1.3, "lite_kunnskap": 1.5},
    2020: {"okonomi": 0.9, "ikke_aktuelt": 1.3},
    2021: {"okonomi": 0.9, "tilskudd": 1.2},
    2022: {},
    2023: {},
}
#: Themes that contradict each other in one answer.
EXCLUSIVE = [("ser_behov", "usikkert_behov"), ("konkret_tilbud", "usikkert_behov"),
             ("ikke_aktuelt", "konkret_tilbud")]
#: Reasons against / for doubt; a "Nei"/"Vet ikke" answer never consists of ser_behov alone.
NEGATIVE_ANSETTE = ["okonomi", "ingen_stillinger", "ikke_lovpalagt", "ikke_aktuelt", "ikke_diskutert",
                    "usikkert_behov", "rekruttering", "annen_losning", "lite_kunnskap"]
#: Share of non-blank answers that say nothing codable ("-", "Se tidligere svar"); a quota.
EMPTY_CONTENT_RATE = {"J": 0.0, "N": 0.035, "V": 0.045, "H": 0.025, "L": 0.0}
#: Share of blank answers that are whitespace only (still "no answer").
WHITESPACE_BLANK_RATE = 0.12


def _rng(label: str) -> random.Random:
    """A generator for one purpose, so that steps do not shift each other's draws."""
    return random.Random(f"{SEED}-{label}")


# ------------------------------------------------------------------------------------------
# Municipalities and respondents
# ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Kommune:
    """One municipality of the 2019 or the 2020 structure (``kommuner.csv``)."""

    struktur: int
    nr: str
    navn: str
    fylke: str
    storrelse: str
    malform: str
    nr_2020: str

    @property
    def size_index(self) -> int:
        """0 = under 5 000, 1 = 5 000-19 999, 2 = 20 000 and over."""
        return SIZE_CLASSES.index(self.storrelse)

    @property
    def nynorsk_share(self) -> float:
        """Probability that an answer from here is written in Nynorsk (official form, then region)."""
        if self.malform == "nynorsk":
            return 0.85
        if self.malform == "bokmål":
            return 0.03
        return 0.45 if self.fylke in ("Vestland", "Møre og Romsdal") else 0.07


def load_kommuner(path: Path) -> dict[int, list[Kommune]]:
    """Read ``kommuner.csv`` into {structure year: municipalities sorted by number}."""
    out: dict[int, list[Kommune]] = {2019: [], 2020: []}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            out[int(row["struktur"])].append(Kommune(int(row["struktur"]), row["kommunenr"], row["kommune"],
                                                     row["fylke"], row["kommunestorrelse"], row["malform"],
                                                     row["kommunenr_2020"]))
    for items in out.values():
        items.sort(key=lambda k: k.nr)
    return out


@dataclass
class Respondent:
    """One respondent-year with its closed answers and open answers per group letter."""

    aar: int
    kommune: Kommune
    ansatt_erfaring: str = "Nei"
    planer_ansette: str = ""
    recovery_grad: str = ""
    texts: dict[str, str] = field(default_factory=dict)  # question -> text ("" = no answer)

    @property
    def case_id(self) -> str:
        return f"{self.aar}-{self.kommune.nr}"


def _size_effect(kommune: Kommune) -> float:
    # Larger municipalities employ peer workers more often (and answer surveys a bit more).
    return (-0.6, 0.2, 1.1)[kommune.size_index]


def _top(items: list[Respondent], scores: dict[str, float], n: int) -> list[Respondent]:
    """The n items with the highest score, ties broken by case id (stable, deterministic)."""
    return sorted(items, key=lambda r: (-scores[r.case_id], r.case_id))[:n]


def build_respondents(kommuner: dict[int, list[Kommune]]) -> list[Respondent]:
    """Choose respondents and closed answers per year so that every published count holds."""
    rng = _rng("latent")
    latent_2020 = {k.nr: _size_effect(k) + rng.gauss(0, 1) for k in kommuner[2020]}
    response_weight = {k.nr: max(0.2, 1.0 + 0.3 * k.size_index + rng.gauss(0, 0.3)) for k in kommuner[2020]}
    latent_2019 = {k.nr: 0.7 * latent_2020[k.nr_2020] + 0.5 * _size_effect(k) + rng.gauss(0, 0.5)
                   for k in kommuner[2019]}
    everyone: list[Respondent] = []
    for aar in sorted(RESPONDENTS):
        n_resp, n_employ, _ = RESPONDENTS[aar]
        yr = _rng(f"respondents-{aar}")
        if aar == 2019:
            pool, latent = kommuner[2019], latent_2019
            chosen = list(pool)  # 422 respondents = every municipality of 2019
        else:
            pool, latent = kommuner[2020], latent_2020
            # Weighted sampling without replacement (Efraimidis-Spirakis keys).
            keys = {k.nr: math.log(1.0 - yr.random()) / response_weight[k.nr] for k in pool}
            chosen = sorted(pool, key=lambda k: (-keys[k.nr], k.nr))[:n_resp]
            chosen.sort(key=lambda k: k.nr)
        _require(len(chosen) == n_resp, aar)
        year = [Respondent(aar, k) for k in chosen]
        employ_score = {r.case_id: latent[r.kommune.nr] + yr.gauss(0, 0.4) for r in year}
        for r in _top(year, employ_score, n_employ):
            r.ansatt_erfaring = "Ja"
        without = [r for r in year if r.ansatt_erfaring == "Nei"]
        counts = {svar: TABLE_14_6[aar][svar][0] for svar in TABLE_14_6[aar]}
        # Those closest to employing plan to do it; the rest split between Nei and Vet ikke, with
        # small municipalities leaning to Nei.
        plan_score = {r.case_id: 0.6 * latent[r.kommune.nr] + yr.gauss(0, 1) for r in without}
        planners = _top(without, plan_score, counts["Ja"])
        for r in planners:
            r.planer_ansette = "Ja"
        rest = [r for r in without if not r.planer_ansette]
        for r in sorted(yr.sample(rest, counts["Ikke svart"]), key=lambda r: r.case_id):
            r.planer_ansette = "Ikke svart"
        rest = [r for r in rest if not r.planer_ansette]
        unsure_score = {r.case_id: yr.gauss(0, 1) + 0.3 * r.kommune.size_index for r in rest}
        for r in _top(rest, unsure_score, counts["Vet ikke"]):
            r.planer_ansette = "Vet ikke"
        for r in rest:
            if not r.planer_ansette:
                r.planer_ansette = "Nei"
        if aar == 2023:
            recovery_score = {r.case_id: 0.9 * (r.ansatt_erfaring == "Ja") + 0.25 * r.kommune.size_index
                              + yr.gauss(0, 1) for r in year}
            ordered = _top(year, recovery_score, len(year))
            start = 0
            for grad, n in RECOVERY_2023.items():
                for r in ordered[start:start + n]:
                    r.recovery_grad = grad
                start += n
        everyone.extend(year)
    return everyone


def group_of(r: Respondent, question: str) -> str:
    """Group letter of the open question a respondent is asked ("" when not asked)."""
    if question == "ansette":
        return PLAN_GROUP.get(r.planer_ansette, "") if r.ansatt_erfaring == "Nei" else ""
    if r.recovery_grad in RECOVERY_HIGH:
        return "H"
    if r.recovery_grad in RECOVERY_LOW:
        return "L"
    return ""


# ------------------------------------------------------------------------------------------
# Composing one answer from snippets
# ------------------------------------------------------------------------------------------


@dataclass
class Piece:
    """A run of answer text; ``code`` is set when the piece is a theme snippet."""

    text: str
    code: str = ""


@dataclass
class Style:
    """Answer-wide writing habits, applied to every piece so offsets stay exact."""

    lang: str
    caps: bool = False
    lower: bool = False
    ascii_letters: bool = False
    no_punct: bool = False
    no_commas: bool = False


ASCII_MAP = str.maketrans({"æ": "ae", "ø": "o", "å": "aa", "Æ": "AE", "Ø": "O", "Å": "AA"})
WORD = re.compile(r"[^\W\d_]{4,}")


def typo(rng: random.Random, text: str) -> str:
    """Introduce one realistic typo (swapped, dropped or doubled letter) in a longer word."""
    words = [m for m in WORD.finditer(text) if not m.group().isupper()]
    if not words:
        return text
    m = rng.choice(words)
    w = m.group()
    i = rng.randrange(1, len(w) - 1)
    op = rng.choice(("swap", "drop", "double", "swap", "drop"))
    if op == "swap":
        w = w[:i] + w[i + 1] + w[i] + w[i + 2:]
    elif op == "drop":
        w = w[:i] + w[i + 1:]
    else:
        w = w[:i] + w[i] + w[i:]
    return text[:m.start()] + w + text[m.end():]


def abbreviate(rng: random.Random, text: str) -> str:
    """Replace spelled-out phrases with the abbreviations people type (``for eksempel`` -> ``f.eks``)."""
    for full, shorts in bank.ABBREVIATIONS:
        for variant in (full, full[0].upper() + full[1:]):
            if variant in text and rng.random() < 0.6:
                short = rng.choice(shorts)
                if variant[0].isupper():
                    short = short[0].upper() + short[1:]
                text = text.replace(variant, short, 1)
    return text


def decapitalise(text: str) -> str:
    """Lower-case the first letter unless the first word is an acronym (NAV, FACT-teamet, DPS)."""
    if len(text) > 1 and text[0].isupper() and not text[1].isupper():
        return text[0].lower() + text[1:]
    return text


def render(rng: random.Random, snippet: S, style: Style, mix: float = 0.07, tail: bool = False) -> str:
    """Pick the language variant (sometimes the other one: people mix) and add typing noise."""
    lang = style.lang if rng.random() >= mix else ("bm" if style.lang == "nn" else "nn")
    text = snippet.bm if lang == "bm" else snippet.nn
    if tail:
        text = with_tail(rng, text, lang)
    text = abbreviate(rng, text)
    if rng.random() < 0.10:
        text = typo(rng, text)
    return text


#: Theme-neutral tails people add to a reason; they vary the wording without changing its meaning.
#: (Only for the hiring questions: on recovery sentences they read as awkward.)
TAILS = {"bm": [" per i dag", " for tiden", " i vår kommune"], "nn": [" per i dag", " for tida", " i kommunen vår"]}
TAIL_CLASHES = ("i dag", "nå", " no", "tid", "kommune", "aktuelt", "?")


def with_tail(rng: random.Random, text: str, lang: str) -> str:
    """Sometimes append a neutral tail before the full stop ("Mangler midler per i dag.")."""
    if rng.random() >= 0.12 or not text.endswith(".") or len(text) < 18 or any(c in text for c in TAIL_CLASHES):
        return text
    return text[:-1] + rng.choice(TAILS[lang]) + "."


def finish(text: str, style: Style) -> str:
    """Apply the answer-wide habits to one piece (case, missing letters, missing punctuation)."""
    if style.no_punct:
        text = text.rstrip(".")
    if style.no_commas:
        text = text.replace(", ", " ")
    if style.ascii_letters:
        text = text.translate(ASCII_MAP)
    if style.caps:
        text = text.upper()
    elif style.lower:
        text = text.lower()
    return text


#: Connectives between sentences: (separator, drop previous full stop, lower-case next start).
JOINS = [((" ", False, False), 0.60), (("\n", False, False), 0.10), ((", og ", True, True), 0.10),
         ((" og ", True, True), 0.06), ((", ", True, True), 0.07), ((" - ", True, True), 0.03),
         (("; ", True, True), 0.02), (("\n\n", False, False), 0.02)]
CONTRAST_JOINS = [((", men ", True, True), 0.7), ((". Men ", True, True), 0.2), ((" men ", True, True), 0.1)]


def _weighted(rng: random.Random, options: list[tuple[object, float]]) -> object:
    total = sum(w for _, w in options)
    x = rng.random() * total
    for value, weight in options:
        x -= weight
        if x < 0:
            return value
    return options[-1][0]


@dataclass
class Context:
    """What the composer needs to know about the respondent and the split."""

    group: str
    half: str  # "train" or "heldout"
    small: bool
    employs: bool

    def allows(self, snippet: S, default_groups: str) -> bool:
        if self.group not in (snippet.groups or default_groups):
            return False
        if snippet.cond == "small" and not self.small:
            return False
        if snippet.cond == "peer" and not self.employs:
            return False
        if snippet.cond == "nopeer" and self.employs:
            return False
        return True


def pick_snippet(rng: random.Random, codebook: str, theme: str, ctx: Context) -> S:
    entry = bank.THEMES[codebook][theme]
    options = [s for s in entry[ctx.half] if ctx.allows(s, str(entry["groups"]))]
    if not options:
        raise ValueError(f"no {ctx.half} phrasing of {theme} fits group {ctx.group}")
    return rng.choice(options)


def pick_plain(rng: random.Random, candidates: list[S], ctx: Context) -> S | None:
    options = [s for s in candidates if ctx.allows(s, "JNVHL")]
    return rng.choice(options) if options else None


def compose(rng: random.Random, themes: list[str], ctx: Context, style: Style) -> list[Piece]:
    """Build an answer as pieces: optional opener, one snippet per theme, fillers, traps, joins."""
    codebook = CODEBOOK_OF_GROUP[ctx.group]
    items: list[tuple[str, S]] = [(t, pick_snippet(rng, codebook, t, ctx)) for t in themes]
    contrast = ctx.group in "NV" and "ser_behov" in themes and len(themes) > 1
    if contrast:
        # "We see the value, but ..." is how the report's Nei/Vet ikke answers read.
        items.sort(key=lambda it: it[0] != "ser_behov")
    else:
        rng.shuffle(items)
    first_free = 2 if contrast else 1  # nothing may come between ser_behov and its "men"
    filler = pick_plain(rng, bank.FILLERS[codebook][ctx.half], ctx) if rng.random() < 0.18 else None
    if filler is not None:
        items.insert(rng.randint(first_free, len(items)), ("", filler))
    trap_ok = {"ansette": not {"okonomi", "tilskudd"} & set(themes) and ctx.group in "NV",
               "recovery": not {"modeller", "bolig", "erfaringskompetanse"} & set(themes)}[codebook]
    if trap_ok and rng.random() < 0.06:
        trap = pick_plain(rng, bank.TRAPS[codebook][ctx.half], ctx)
        if trap is not None:
            items.insert(rng.randint(first_free, len(items)), ("", trap))
    texts = [(code, render(rng, s, style, tail=bool(code) and codebook == "ansette")) for code, s in items]
    opener = rng.random() < 0.10
    if opener:
        texts.insert(0, ("", render(rng, rng.choice(bank.OPENERS[codebook]), style, mix=0.0)))
    contrast_index = (2 if opener else 1) if contrast else -1

    pieces: list[Piece] = []
    bullets = len(texts) >= 2 and rng.random() < 0.07
    marker = rng.choice(("- ", "* ", "• ", "-"))  # one list style per writer
    for i, (code, text) in enumerate(texts):
        if i > 0:
            if bullets:
                sep, drop_stop, lower_next = "\n", False, False
            elif i == contrast_index:
                sep, drop_stop, lower_next = _weighted(rng, CONTRAST_JOINS)  # type: ignore[misc]
            else:
                sep, drop_stop, lower_next = _weighted(rng, JOINS)  # type: ignore[misc]
            if pieces[-1].text.endswith(":") and not bullets:
                # After an opener such as "Kort oppsummert:" the list simply starts.
                sep, drop_stop, lower_next = rng.choice((" ", "\n")), False, False
            if drop_stop and pieces[-1].text.endswith("."):
                pieces[-1].text = pieces[-1].text[:-1]
            if lower_next:
                text = decapitalise(text)
            pieces.append(Piece(sep))
        if bullets and not (i == 0 and opener):  # the opener is the heading of the list
            pieces.append(Piece(marker))
            if rng.random() < 0.5:
                text = text.rstrip(".")
        pieces.append(Piece(text, code))
    if rng.random() < 0.04:
        pieces.append(Piece(rng.choice((" ", "  ", "\n"))))
    for p in pieces:
        p.text = finish(p.text, style)
    return pieces


def draw_style(rng: random.Random, kommune: Kommune) -> Style:
    """Answer-wide habits: language by municipality, a few shouters, lower-casers and no-punct writers."""
    lang = "nn" if rng.random() < kommune.nynorsk_share else "bm"
    caps = rng.random() < 0.04
    return Style(lang=lang, caps=caps, lower=not caps and rng.random() < 0.08,
                 ascii_letters=rng.random() < 0.03, no_punct=rng.random() < 0.14, no_commas=rng.random() < 0.06)


def _weighted_top(rng: random.Random, weights: dict[str, float], k: int) -> list[str]:
    """k keys drawn without replacement with probability proportional to weight (Efraimidis-Spirakis)."""
    keys = {cid: math.log(1.0 - rng.random()) / w for cid, w in sorted(weights.items()) if w > 0}
    return sorted(keys, key=lambda cid: (-keys[cid], cid))[:k]


def assign_themes(rng: random.Random, members: list[Respondent], group: str, aar: int) -> dict[str, list[str]]:
    """Give every member 1-3 themes so that each theme's share is close to its target rate.

    Quotas (round(rate * n) answers per theme) instead of independent draws keep a group of 20
    or 100 answers from drifting far from the intended rates by chance.  Who gets a theme is
    weighted by municipality size (SIZE_FACTORS) and, for erfaringskompetanse, restricted to
    municipalities that employ peer workers.
    """
    rates = {t: r * YEAR_FACTORS[aar].get(t, 1.0) for t, r in THEME_RATES[group].items()}
    themes: dict[str, list[str]] = {r.case_id: [] for r in members}
    n = len(members)
    for theme in rates:
        weights = {}
        for r in members:
            w = SIZE_FACTORS.get(theme, (1.0, 1.0, 1.0))[r.kommune.size_index]
            if theme == "erfaringskompetanse" and r.ansatt_erfaring != "Ja":
                w = 0.0
            weights[r.case_id] = w
        for cid in _weighted_top(rng, weights, round(rates[theme] * n)):
            themes[cid].append(theme)
    order = list(rates)
    for cid in sorted(themes):
        chosen = themes[cid]
        for a, b in EXCLUSIVE:
            if a in chosen and b in chosen:
                chosen.remove(rng.choice((a, b)))
        if len(chosen) > 3:
            chosen[:] = rng.sample(chosen, 3)
        if group in "NV" and chosen and not set(chosen) - {"ser_behov", "tilskudd", "konkret_tilbud"}:
            # Nobody explains "no" or "unsure" with the value of peer work alone.
            chosen.append(str(_weighted(rng, [(t, rates[t]) for t in NEGATIVE_ANSETTE
                                             if rates.get(t, 0) > 0 and t != "usikkert_behov"])))
        if not chosen:
            chosen.append(str(_weighted(rng, [(t, w) for t, w in rates.items()
                                              if w > 0 and t != "erfaringskompetanse"])))
        chosen.sort(key=order.index)
    return themes


@dataclass
class Answer:
    """A generated answer with its manual codings (code, start, end) and split."""

    case_id: str
    question: str
    text: str
    codes: list[tuple[str, int, int]]
    split: str = ""


def make_answer(rng: random.Random, r: Respondent, group: str, half: str, themes: list[str]) -> Answer:
    """Generate one non-blank answer and the spans a researcher would code in it (no themes: say nothing)."""
    question = QUESTION_OF_GROUP[group]
    style = draw_style(rng, r.kommune)
    if not themes:
        text = rng.choice(bank.EMPTY_CONTENT["common"] + bank.EMPTY_CONTENT.get(group, []))
        return Answer(r.case_id, question, finish(text, Style(lang=style.lang, caps=style.caps)), [])
    ctx = Context(group, half, small=r.kommune.size_index < 2, employs=r.ansatt_erfaring == "Ja")
    pieces = compose(rng, themes, ctx, style)
    text, codes, pos = "", [], 0
    for p in pieces:
        if p.code:
            core = p.text.rstrip(" .!?,;:\n")
            lead = len(core) - len(core.lstrip())
            codes.append((p.code, pos + lead, pos + len(core)))
        text += p.text
        pos += len(p.text)
    if not unicodedata.is_normalized("NFC", text):  # pragma: no cover - the bank is NFC
        raise ValueError(f"answer for {r.case_id} is not NFC")
    return Answer(r.case_id, question, text, sorted(codes, key=lambda c: (c[1], c[0])))


def blank(rng: random.Random) -> str:
    """A non-answer: usually empty, sometimes only whitespace (which still counts as no answer)."""
    return rng.choice((" ", "  ", "\n")) if rng.random() < WHITESPACE_BLANK_RATE else ""


def write_open_answers(respondents: list[Respondent]) -> list[Answer]:
    """Fill every open question; return the 2023 answers (with split) for the gold files."""
    gold: list[Answer] = []
    for aar in sorted(RESPONDENTS):
        year = [r for r in respondents if r.aar == aar]
        for question in ("ansette", "recovery"):
            by_group: dict[str, list[Respondent]] = {}
            for r in year:
                g = group_of(r, question)
                if g:
                    by_group.setdefault(g, []).append(r)
            for g in sorted(by_group):
                members = by_group[g]
                rng = _rng(f"answers-{aar}-{g}")
                if aar == 2023:
                    n_text = REASONS_2023[{"J": "Ja", "N": "Nei", "V": "Vet ikke"}[g]] if g in "JNV" \
                        else RECOVERY_TEXTS_2023[g]
                else:
                    n_text = round(ANSWER_RATE_EARLIER[g] * len(members))
                writers = sorted(rng.sample(members, n_text), key=lambda r: r.case_id)
                writer_ids = [r.case_id for r in writers]
                halves = {cid: "train" for cid in writer_ids}
                if aar == 2023:
                    shuffled = list(writer_ids)
                    rng.shuffle(shuffled)
                    for cid in shuffled[round(TRAIN_SHARE * len(shuffled)):]:
                        halves[cid] = "heldout"
                empty = set(rng.sample(writer_ids, round(EMPTY_CONTENT_RATE[g] * len(writer_ids))))
                themes = assign_themes(rng, [r for r in writers if r.case_id not in empty], g, aar)
                for r in members:
                    q = QUESTION_OF_GROUP[g]
                    if r.case_id in halves:
                        answer = make_answer(rng, r, g, halves[r.case_id], themes.get(r.case_id, []))
                        if not answer.text.strip():  # pragma: no cover - bank has no blank snippets
                            raise ValueError(f"blank generated answer for {r.case_id}")
                        r.texts[q] = answer.text
                        if aar == 2023:
                            answer.split = halves[r.case_id]
                            gold.append(answer)
                    else:
                        r.texts[q] = blank(rng)
    return gold


# ------------------------------------------------------------------------------------------
# Checks and output
# ------------------------------------------------------------------------------------------


def _require(condition: bool, what: object) -> None:
    # Explicit check instead of assert: must also hold under python -O.
    if not condition:
        raise ValueError(f"published figure not reproduced: {what}")


def check_figures(respondents: list[Respondent]) -> None:
    """Check every published figure before anything is written (fail loudly, never drift)."""
    for aar, (n_resp, n_employ, pct) in RESPONDENTS.items():
        year = [r for r in respondents if r.aar == aar]
        employ = sum(r.ansatt_erfaring == "Ja" for r in year)
        _require((len(year), employ) == (n_resp, n_employ), aar)
        _require(round(100 * employ / len(year)) == pct, aar)
        without = [r for r in year if r.ansatt_erfaring == "Nei"]
        _require(len(without) == TABLE_TOTALS[aar], aar)
        for svar, (count, _) in TABLE_14_6[aar].items():
            _require(sum(r.planer_ansette == svar for r in without) == count, (aar, svar))

    y23 = [r for r in respondents if r.aar == 2023]
    for svar, n in REASONS_2023.items():
        q = QUESTION_OF_GROUP[PLAN_GROUP[svar]]
        _require(sum(r.planer_ansette == svar and bool(r.texts.get(q, "").strip()) for r in y23) == n, svar)
    high = [r for r in y23 if r.recovery_grad in RECOVERY_HIGH]
    _require(round(100 * len(high) / len(y23)) == 74, "74 % recovery-oriented")
    stor = sum(bool(r.texts.get("recovery_stor_grad", "").strip()) for r in y23)
    _require(stor == RECOVERY_TEXTS_2023["H"], "215 recovery descriptions")
    liten = sum(bool(r.texts.get("recovery_liten_grad", "").strip()) for r in y23)
    _require(liten == RECOVERY_TEXTS_2023["L"], "6 low-recovery explanations")


def _csv_bytes(header: list[str], rows: list[list[object]], bom: bool = False) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(header)
    writer.writerows(rows)
    return (("\ufeff" if bom else "") + buffer.getvalue()).encode("utf-8")


def svar_rows(respondents: list[Respondent]) -> list[list[object]]:
    rows = []
    for r in sorted(respondents, key=lambda r: (r.aar, r.kommune.nr)):
        k = r.kommune
        rows.append([r.case_id, r.aar, k.nr, k.navn, k.fylke, k.storrelse, r.ansatt_erfaring, r.planer_ansette,
                     r.texts.get("grunn_ja", ""), r.texts.get("grunn_nei", ""), r.texts.get("grunn_vet_ikke", ""),
                     r.recovery_grad, r.texts.get("recovery_stor_grad", ""),
                     r.texts.get("recovery_liten_grad", "")])
    return rows


def table_rows() -> list[list[object]]:
    rows: list[list[object]] = []
    for aar in sorted(TABLE_14_6):
        for svar, (count, pct) in TABLE_14_6[aar].items():
            rows.append([aar, svar, count, pct])
        rows.append([aar, "Totalt", TABLE_TOTALS[aar], 100])
    return rows


def gold_rows(answers: list[Answer], codebook: str) -> list[list[object]]:
    title, labels = bank.TITLES[codebook], bank.LABELS[codebook]
    rows = []
    for a in sorted(answers, key=lambda a: (a.case_id, a.question)):
        if CODEBOOK_OF_GROUP[_group_of_question(a.question)] != codebook:
            continue
        for code, start, end in sorted(a.codes, key=lambda c: (c[1], c[0])):
            rows.append([a.case_id, a.question, code, f"{title}\\{labels[code]}", a.text[start:end], start, end,
                         "manual", "", 1])
    return rows


def _group_of_question(question: str) -> str:
    return {q: g for g, q in QUESTION_OF_GROUP.items()}[question]


def codes_in_order(answer: Answer) -> str:
    """The answer's code ids in codebook order, joined by ';' (empty when nothing is coded)."""
    codebook = CODEBOOK_OF_GROUP[_group_of_question(answer.question)]
    present = {c for c, _, _ in answer.codes}
    return ";".join(c for c in bank.LABELS[codebook] if c in present)


def build() -> dict[str, bytes]:
    """Generate everything in memory: {relative output path: file bytes}."""
    respondents = build_respondents(load_kommuner(HERE / "kommuner.csv"))
    gold = write_open_answers(respondents)
    check_figures(respondents)
    by_key = sorted(gold, key=lambda a: (a.case_id, a.question))
    return {
        "svar.csv": _csv_bytes(SVAR_COLUMNS, svar_rows(respondents)),
        "tabell_14_6.csv": _csv_bytes(["aar", "svar", "antall", "prosent"], table_rows()),
        "gold/ansette.csv": _csv_bytes(REFS_COLUMNS, gold_rows(by_key, "ansette"), bom=True),
        "gold/recovery.csv": _csv_bytes(REFS_COLUMNS, gold_rows(by_key, "recovery"), bom=True),
        "gold/split.csv": _csv_bytes(["case_id", "question", "split"],
                                     [[a.case_id, a.question, a.split] for a in by_key]),
        "gold/train_answers.csv": _csv_bytes(["case_id", "question", "text", "codes"],
                                             [[a.case_id, a.question, a.text, codes_in_order(a)]
                                              for a in by_key if a.split == "train"]),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE, help="folder to write into (default: beside this script)")
    args = parser.parse_args(argv)
    for name, data in build().items():
        target = args.out / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return 0


if __name__ == "__main__":
    sys.exit(main())
