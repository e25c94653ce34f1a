"""Norwegian language layer: tokens, Bokmål+Nynorsk lemmas, negation cues and clauses.

One :class:`Analyzer` per process does all of it and caches per word form, because lemmatizing is
the slow part and survey answers repeat the same few thousand forms.

Tokens are those of spaCy's rule-based ``blank("nb")`` tokenizer (no model download) with two extra
rules: ``; , : ! ? / ( )`` squeezed between letters ("trang;budsjett", "og/eller") split into their
own tokens, and a dash glued to a word's start is a list bullet. spaCy splits text on whitespace
first and tokenizes every whitespace-free chunk on its own, so the analyzer caches the tokenization
of each distinct chunk and never builds a spaCy ``Doc`` for a whole answer: same tokens, several
times faster. Chunks of the two commonest shapes take a shortcut; the rest go to
:class:`.tokenizer.ChunkTokenizer`, spaCy's algorithm in plain Python over the data of the spaCy
tokenizer (:func:`_build_tokenizer`), stored once per spaCy version
(:func:`.compact.spacy_tokenizer_data`). So a run imports no spaCy once the store exists: a cold
`fritekst code` of the example saves ~0.6 s of CPU (docs/benchmarks.md, "tok11").

Lemmas: a form's lemma set is ``{form, simplemma nb lemma, simplemma nn lemma}`` (all lowercase),
so Bokmål and Nynorsk inflections meet ("stillingar" -> stilling, "tenestene" -> teneste).

Clauses (negation scope): a new clause starts after a token made of clause punctuation
(``. ! ? ; : ,`` ``…`` and dashes), after a line break, and at a clause conjunction
(:data:`CLAUSE_CONJUNCTIONS`: men, fordi, siden/sidan, da, mens/medan, ettersom).

Examples
--------
>>> analyzer = Analyzer()
>>> [t.lower for t in analyzer.analyze("Vi har ikkje stillingar, men FACT-teamet.")]
['vi', 'har', 'ikkje', 'stillingar', ',', 'men', 'fact-teamet', '.']
>>> "stilling" in analyzer.lemmas("stillingar")
True
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from typing import Any, NamedTuple

from .compact import lemmatize, spacy_tokenizer_data
from .tokenizer import ChunkTokenizer

__all__ = [
    "Analyzer",
    "Token",
    "TokenPart",
    "FormInfo",
    "NEGATION_CUES",
    "CLAUSE_CONJUNCTIONS",
    "OWN_FORMS",
    "TRIPLED_LETTER",
    "ACCENT_FOLD",
    "get_default_analyzer",
]

#: Word forms that negate their clause (Bokmål and Nynorsk, common spellings and contractions).
NEGATION_CUES: frozenset[str] = frozenset(
    {
        # not
        "ikke", "ikkje", "ikkj", "ikk", "ikek", "ike", "ikkke", "ikkej", "ikje", "itj", "ittj",
        "'kke", "’kke", "kke",
        # dialect "kje" ("Me har kje pengar te slikt"), as "kke" is for "'kke"
        "kje",
        # no / nothing / none
        "ingen", "inga", "ingi", "intet", "ingenting", "inkje",
        # never, without, neither
        "aldri", "uten", "utan", "verken", "hverken", "korkje", "kverken",
        # lack
        "mangler", "manglar", "mangel", "manglende", "manglande", "mangle", "mangla", "manglet",
        "mangelen", "manglene", "manglane",
        # common misspellings seen in answers (a table, not edit distance: cues are short words)
        "ingeen", "ingn", "ikkee", "ikkie", "ikkjee", "aldir",
    }
)
# Not cues on purpose: Nynorsk "ei" ("not", but also the article "ei bok") and "nei" (answers a
# question, does not negate the clause it stands in).

#: Lemmas that make any inflected form a cue ("manglet", "mangelen", "manglede").
_NEGATION_LEMMAS: frozenset[str] = frozenset({"mangle", "mangel", "manglende", "manglande"})

#: Forms read as themselves only, not through simplemma's lemma: comparatives and superlatives of
#: "få" and "liten", and the plural "små". Through the lemma "få", "færre innleggelser" met every
#: pattern of the verb "få"/"får" ("får tak i"); through "liten", "mindre tvang" met "liten".
OWN_FORMS: frozenset[str] = frozenset(
    {"færre", "færrest", "færreste", "færrast", "færraste", "mindre", "minst", "minste", "små"}
)

#: Conjunctions that open a new clause (the conjunction belongs to the new clause).
CLAUSE_CONJUNCTIONS: frozenset[str] = frozenset(
    {"men", "fordi", "siden", "sidan", "da", "mens", "medan", "ettersom"}
)

# A punctuation token ends its clause when it contains one of these characters.
_CLAUSE_PUNCT_CHARS = frozenset(".!?;:,…–—-")
_HYPHENS = ("-", "\u2010", "\u2011")
_HYPHEN_RE = re.compile("[-\u2010\u2011]")
_QUOTES = "«»\"“”„'‘’‹›"
#: A letter written three or more times is a typo for two ("ikkkje", "grunnnar"): no Norwegian
#: word has a tripled letter, so the form is read with the run shortened.
TRIPLED_LETTER = re.compile(r"(\w)\1\1+")
#: Accents a writer may add or a keyboard may give, read as the plain letter (round 13): "kafé",
#: "Kaféen", "idé", "tillèt" also meet the patterns `kafe*`, `ide`, `tillet`; Swedish/German "ö",
#: "ä" are "ø", "æ" ("Ökonomi"). One way only: a pattern written with an accent ("én", "kafé*")
#: keeps it, since there the accent is the point ("én stilling" is one post, "en" is any). "ò" is
#: kept: Nynorsk "òg" (also) is not "og" (and).
ACCENT_FOLD = str.maketrans("éèêëáàâóôúùûíìîöä", "eeeeaaaoouuuiiiøæ")

# Letters spaCy's tokenizer treats as letters (Latin-1 range), and punctuation it always splits
# off the end of a word (used by Analyzer.chunk_tokens shortcuts).
_LATIN_WORD = re.compile("[A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u00ff]+")
_SPLIT_SUFFIXES = frozenset(".,;:!?")

# Whitespace-free chunks as spaCy sees them, plus line breaks (they end a clause).
CHUNK_RE = re.compile(r"\S+|\n")


class FormInfo(NamedTuple):
    """What the analyzer knows about one lowercase word form (cached).

    ``parts`` is empty unless the form is a hyphenated compound; then it holds
    ``(start, end, lowercase part)`` relative to the form.
    """

    lower: str
    lemmas: frozenset[str]
    is_negation_cue: bool
    is_punct: bool
    ends_clause: bool
    starts_clause: bool
    parts: tuple[tuple[int, int, str], ...]


class TokenPart(NamedTuple):
    """One part of a hyphenated token ("FACT" and "teamet" in "FACT-teamet")."""

    text: str
    lower: str
    start: int
    end: int
    lemmas: frozenset[str]
    is_negation_cue: bool


class Token(NamedTuple):
    """One token of an answer; offsets are 0-based code points, end-exclusive."""

    text: str
    lower: str
    start: int
    end: int
    lemmas: frozenset[str]
    is_negation_cue: bool
    is_punct: bool
    clause: int
    parts: tuple[TokenPart, ...]


_WORDS_NOT_ABBREVIATIONS = frozenset(
    {"no.", "i.", "et.", "to.", "ti.", "min.", "sen.", "lat.", "on.", "eg.", "sms.", "jul.", "vgs."}
)
# What _build_tokenizer adds to spaCy's Norwegian defaults ({ALPHA}: spaCy's letters).
_PUNCT_BETWEEN_LETTERS = "(?<=[{ALPHA};,:!?/()])[;,:!?/()](?=[{ALPHA};,:!?/()])"
_DASH_BULLET = "[-–—](?=[{ALPHA}])"
#: Names what the stored tokenizer data holds beyond spaCy's defaults (the store is keyed by it
#: and by spaCy's version, so changing a pattern or the abbreviations above rebuilds it).
_TOKENIZER_VARIANT = hashlib.sha256(
    json.dumps([_PUNCT_BETWEEN_LETTERS, _DASH_BULLET, sorted(_WORDS_NOT_ABBREVIATIONS)]).encode()
).hexdigest()[:12]


def _build_tokenizer() -> Any:
    """spaCy's blank Norwegian tokenizer with punctuation between letters split off.

    The source of the stored data :class:`.tokenizer.ChunkTokenizer` tokenizes with (built only
    when the store lacks it), and the oracle it is tested against.
    """
    from spacy.lang.char_classes import ALPHA
    from spacy.lang.nb import Norwegian

    language: Any = Norwegian  # spaCy's classes are untyped
    defaults: Any = Norwegian.Defaults

    class BokmalDefaults(defaults):  # type: ignore[misc]
        # Each character of a punctuation run between letters becomes its own token ("test)/x").
        infixes = [*defaults.infixes, _PUNCT_BETWEEN_LETTERS.replace("{ALPHA}", ALPHA)]
        # A dash glued to the first word is a list bullet ("-budsjett", "–ingen stillinger"), not
        # part of the word; spaCy would keep "-budsjett" whole and the hit would include the dash.
        prefixes = [*defaults.prefixes, _DASH_BULLET.replace("{ALPHA}", ALPHA)]

    class Bokmal(language):  # type: ignore[misc]
        """``spacy.blank("nb")`` with the patterns above: spaCy compiles its (large) infix and
        prefix expressions once, with them, instead of once without and again with (~0.06 s)."""

        Defaults = BokmalDefaults

    nlp: Any = Bokmal()  # spaCy's types do not know the tokenizer's settable attributes
    # spaCy keeps these abbreviations whole, but they are ordinary words ending a sentence far
    # more often in answers ("Det har vi ikkje no.", "Det veit eg.", "via sms."); keeping them
    # whole would hide the word from patterns.
    rules = nlp.tokenizer.rules
    nlp.tokenizer.rules = {k: v for k, v in rules.items() if k not in _WORDS_NOT_ABBREVIATIONS}
    return nlp.tokenizer


def tokenizer_data() -> dict[str, Any] | None:
    """The stored data of :func:`_build_tokenizer`'s tokenizer (built from it on first use)."""
    return spacy_tokenizer_data("nb", _build_tokenizer, _TOKENIZER_VARIANT)


class Analyzer:
    """Tokenizer, lemmatizer and negation/clause marker for Norwegian answers.

    Cheap to keep, not to create (it reads the stored tokenizer data and compiles spaCy's
    expressions when a chunk first needs them, ~40 ms): make one per process, e.g. with
    :func:`get_default_analyzer`. All results are cached per chunk / word form.

    Examples
    --------
    >>> a = Analyzer()
    >>> a.tokenize("trang;budsjettsituasjonen")
    [(0, 5, 'trang'), (5, 6, ';'), (6, 25, 'budsjettsituasjonen')]
    >>> sorted(a.lemmas("tenestene"))
    ['teneste', 'tenestene']
    """

    #: Caches are cleared when they grow past this many entries (bounded memory on huge corpora).
    max_cache: int = 500_000

    def __init__(self) -> None:
        # Chunks the shortcuts miss go to spaCy's algorithm in plain Python over data stored from
        # spaCy's tokenizer (language/tokenizer.py, language/compact.py): once the store exists,
        # no run imports spaCy. spaCy itself is built only if the data cannot be had.
        data = tokenizer_data()
        self._spacy_tokenizer = None
        self._chunk_tokenizer = ChunkTokenizer(data) if data is not None else None
        self._special_cases = (self._chunk_tokenizer.special_cases if self._chunk_tokenizer
                               else frozenset(self._tokenizer.rules))
        self._chunks: dict[str, tuple[tuple[int, int, str], ...]] = {}
        self._forms: dict[str, FormInfo] = {}
        self._lemmas: dict[str, frozenset[str]] = {}

    @property
    def _tokenizer(self):  # type: ignore[no-untyped-def]
        if self._spacy_tokenizer is None:
            self._spacy_tokenizer = _build_tokenizer()
        return self._spacy_tokenizer

    # Pickling: ship nothing, rebuild in the worker (spaCy objects are heavy to pickle).
    def __getstate__(self) -> dict[str, object]:
        return {}

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__init__()  # type: ignore[misc]

    # -- tokens -------------------------------------------------------------------------------
    def chunk_tokens(self, chunk: str) -> tuple[tuple[int, int, str], ...]:
        """Tokens ``(start, end, text)`` of one whitespace-free chunk, offsets relative to it."""
        cached = self._chunks.get(chunk)
        if cached is not None:
            return cached
        # Shortcuts for the two commonest shapes, skipping spaCy's Doc (cold runs see many new
        # chunks). Latin letters only: spaCy's prefix/suffix/infix rules need a non-letter, so
        # such a chunk is one token unless it is a special case ("xD"); a trailing , ; : ! ? is
        # always split off, and "." after a lowercase letter or two capitals ("stilling." "NAV.")
        # unless the chunk is an abbreviation ("ca.", "no."). tests/test_language.py checks
        # these against spaCy on a corpus.
        specials = self._special_cases
        result: tuple[tuple[int, int, str], ...]
        n = len(chunk)
        if _LATIN_WORD.fullmatch(chunk) and chunk not in specials:
            result = ((0, n, chunk),)
        elif (
            n >= 3
            and chunk[-1] in _SPLIT_SUFFIXES
            and _LATIN_WORD.fullmatch(chunk, 0, n - 1)
            and chunk not in specials
            and chunk[:-1] not in specials
            and (
                chunk[-1] != "."
                or chunk[-2].islower()
                or (chunk[-2].isupper() and chunk[-3].isupper())
            )
        ):
            result = ((0, n - 1, chunk[:-1]), (n - 1, n, chunk[-1]))
        elif self._chunk_tokenizer is not None:
            result = self._chunk_tokenizer(chunk)
        else:
            doc = self._tokenizer(chunk)
            result = tuple((t.idx, t.idx + len(t.text), t.text) for t in doc)
        if len(self._chunks) >= self.max_cache:
            self._chunks.clear()
        self._chunks[chunk] = result
        return result

    def tokenize(self, text: str) -> list[tuple[int, int, str]]:
        """All non-whitespace tokens of ``text`` as ``(start, end, text)``."""
        out: list[tuple[int, int, str]] = []
        for m in CHUNK_RE.finditer(text):
            chunk = m.group()
            if chunk == "\n":
                continue
            base = m.start()
            out.extend((base + s, base + e, t) for s, e, t in self.chunk_tokens(chunk))
        return out

    # -- word forms ---------------------------------------------------------------------------
    def lemmas(self, form: str) -> frozenset[str]:
        """Lemma set of a word form: the lowercase form and its Bokmål and Nynorsk lemmas."""
        lower = form.lower()
        cached = self._lemmas.get(lower)
        if cached is not None:
            return cached
        if lower in OWN_FORMS:
            result = frozenset({lower})
        elif any(c.isalpha() for c in lower):
            result = frozenset(
                {
                    lower,
                    lemmatize(lower, "nb").lower(),
                    lemmatize(lower, "nn").lower(),
                }
            )
        else:  # numbers and punctuation have no lemma but themselves
            result = frozenset({lower})
        if len(self._lemmas) >= self.max_cache:
            self._lemmas.clear()
        self._lemmas[lower] = result
        return result

    def is_negation_cue(self, form: str) -> bool:
        """Whether a word form negates its clause ("ikke", "ingen", "manglar", ...)."""
        lower = form.lower()
        if lower not in NEGATION_CUES and TRIPLED_LETTER.search(lower):
            lower = TRIPLED_LETTER.sub(r"\1\1", lower)  # "ikkkje" is "ikkje"
        return lower in NEGATION_CUES or not _NEGATION_LEMMAS.isdisjoint(self.lemmas(lower))

    def is_lack_cue(self, form: str) -> bool:
        """Whether a form is a cue of lack ("mangler", "manglande", "mangelen").

        Lack words negate what stands before them as well as after ("kompetansen mangler"), so
        their scope is the whole clause; see :mod:`fritekst.rules.keyword`.
        """
        return not _NEGATION_LEMMAS.isdisjoint(self.lemmas(form.lower()))

    def form_info(self, form: str) -> FormInfo:
        """Everything about one word form, cached per lowercase form."""
        lower = form.lower()
        cached = self._forms.get(lower)
        if cached is not None:
            return cached
        has_alnum = any(c.isalnum() for c in lower)
        is_punct = not has_alnum
        parts: tuple[tuple[int, int, str], ...] = ()
        if has_alnum and any(h in lower for h in _HYPHENS):
            pieces = _HYPHEN_RE.split(lower)
            if len(pieces) > 1 and all(any(c.isalnum() for c in p) for p in pieces):
                spans = []
                pos = 0
                for p in pieces:
                    # a quoted name before the hyphen ("«kva er viktig for deg»-samtalar"): the
                    # part is the word, not the quote mark
                    word = p.strip(_QUOTES)
                    lead = len(p) - len(p.lstrip(_QUOTES))
                    spans.append((pos + lead, pos + lead + len(word), word) if word else (pos, pos + len(p), p))
                    pos += len(p) + 1
                parts = tuple(spans)
        info = FormInfo(
            lower=lower,
            lemmas=self.lemmas(lower) if has_alnum else frozenset({lower}),
            is_negation_cue=has_alnum and not parts and self.is_negation_cue(lower),
            is_punct=is_punct,
            ends_clause=is_punct and any(c in _CLAUSE_PUNCT_CHARS for c in lower),
            starts_clause=lower in CLAUSE_CONJUNCTIONS,
            parts=parts,
        )
        if len(self._forms) >= self.max_cache:
            self._forms.clear()
        self._forms[lower] = info
        return info

    # -- answers ------------------------------------------------------------------------------
    def analyze(self, text: str) -> list[Token]:
        """Tokens of one answer with lemmas, negation cues, clause index and hyphen parts.

        Whitespace is not a token. A hyphenated token's negation flag is False; its parts carry
        their own flags ("ikke-lovpålagt" has the cue part "ikke").

        Examples
        --------
        >>> toks = Analyzer().analyze("Ikke aktuelt, men vi mangler FACT-team")
        >>> [(t.text, t.clause, t.is_negation_cue) for t in toks][:4]
        [('Ikke', 0, True), ('aktuelt', 0, False), (',', 0, False), ('men', 1, False)]
        >>> [(p.text, p.start, p.end) for p in toks[-1].parts]
        [('FACT', 29, 33), ('team', 34, 38)]
        """
        tokens: list[Token] = []
        clause = 0
        pending_break = False
        for m in CHUNK_RE.finditer(text):
            chunk = m.group()
            if chunk == "\n":
                pending_break = True
                continue
            base = m.start()
            for s, e, tok_text in self.chunk_tokens(chunk):
                info = self.form_info(tok_text)
                if tokens and (pending_break or info.starts_clause):
                    clause += 1
                pending_break = info.ends_clause
                start = base + s
                parts = tuple(
                    TokenPart(
                        text=tok_text[ps:pe],
                        lower=pl,
                        start=start + ps,
                        end=start + pe,
                        lemmas=self.lemmas(pl),
                        is_negation_cue=self.is_negation_cue(pl),
                    )
                    for ps, pe, pl in info.parts
                )
                tokens.append(
                    Token(
                        text=tok_text,
                        lower=info.lower,
                        start=start,
                        end=base + e,
                        lemmas=info.lemmas,
                        is_negation_cue=info.is_negation_cue,
                        is_punct=info.is_punct,
                        clause=clause,
                        parts=parts,
                    )
                )
        return tokens


_default: Analyzer | None = None
_default_lock = threading.Lock()


def get_default_analyzer() -> Analyzer:
    """The process-wide shared :class:`Analyzer` (created on first use)."""
    global _default
    if _default is None:
        with _default_lock:
            if _default is None:
                _default = Analyzer()
    return _default
