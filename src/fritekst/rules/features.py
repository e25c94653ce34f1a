"""Features for short Norwegian answers: lemma n-grams, character n-grams, question and keyword hits.

Survey answers are a sentence or two, full of inflections ("stillinger", "tenestene"), Bokmål and
Nynorsk side by side, typos and compounds. Four blocks of features cover that:

* **words**: lemma unigrams and bigrams (bigrams keep negations such as "ikke behov" together);
* **chars**: character 2–5-grams inside word boundaries, which match inflections, compounds and
  typos that no lemma list knows;
* **question**: which open question the answer belongs to (a "Nei" reason differs from a "Ja" one);
* **keywords**: which codes the codebook's keyword rules found, so the classifier starts from what
  the researcher already wrote down.

Each text block is TF-IDF weighted (sublinear tf, smoothed idf) and L2-normalised on its own. The
vectoriser is implemented here rather than with ``TfidfVectorizer`` for speed: character n-grams are
computed once per distinct word form and cached as column indices, so transforming an answer costs
one dictionary look-up per word. Its fitted state is plain arrays, which is what lets a model file be
loaded without trusting any custom type (see :mod:`fritekst.rules.classifier`).

Examples
--------
>>> space = FeatureSpace(min_df=1).fit(["Ingen ledige stillinger", "Ingen midler"], ["grunn_nei"] * 2)
>>> space.transform(["ingen stilling"], ["grunn_nei"]).shape[0]
1
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, cast

import numpy as np
import pandas as pd
import scipy.sparse as sp

from .feature_scope import MARKERS, SCOPES, scope_marks

TOKEN_RE = re.compile(r"\w+")
# Where an answer splits into segments: sentence punctuation before whitespace, line breaks, bullets.
BOUNDARY_RE = re.compile(r"[.!?;]+(?=\s|$)|\n+|[•·▪]")
WORD_RE = re.compile(r"\w")
LEADING_JUNK = " \t\r\n-–—*•·▪"
LAST_WORD_RE = re.compile(r"[\w.]+$")
#: Abbreviations whose full stop does not end a sentence (dotted ones like "bl.a." are caught anyway).
ABBREVIATIONS = frozenset({"pga", "ca", "dvs", "mht", "evt", "jf", "jfr", "nr", "inkl", "ift", "iht",
                           "ifm", "mtp", "ev", "vha", "tlf", "kap", "mv", "sk", "bla", "feks", "eks"})
#: Block weights. Keyword hits at half weight: they are strong evidence, but a classifier that leans
#: on them entirely only learns to repeat the keyword rules; the text blocks must carry the rest.
DEFAULT_WEIGHTS = {"words": 1.0, "chars": 1.0, "question": 0.5, "keywords": 0.5}
#: Word forms cached per feature space before the caches are cleared (bounds memory on huge corpora).
CACHE_LIMIT = 200_000
#: ``FeatureSpace(compounds=...)``: what a compound ("budsjettkutt") adds to the lemma unigrams beside
#: its own lemma: nothing, its heads' lemmas ("kutt"), or its heads' and its first modifier's ("budsjett").
COMPOUNDS = ("none", "heads", "parts")
#: ``FeatureSpace(tf=...)``: sublinear term frequency (1 + log count) or binary (1 for any count).
TERM_FREQUENCIES = ("sublinear", "binary")
#: Function words (Bokmål and Nynorsk forms and lemmas) that ``FeatureSpace(content_words=True)``
#: drops as lemma unigrams (bigrams keep them: "ikke behov", "om behov"). Negations, lack and
#: hedge words are not here: they carry meaning ("ingen", "mangler", "kanskje").
FUNCTION_WORDS = frozenset("""
    og eller men for fordi at som så da når der her hvor kor hvis dersom om enn samt både
    i på til av med fra frå ved hos mot mellom under over etter gjennom uten utan innen innan
    per pr mht ift pga rundt blant bak foran langs
    jeg eg du han hun ho vi me dere de dei den det dette denne disse desse seg sin si sitt sine
    meg deg oss dem våre vår vårt vores min mi mitt mine din ditt dine hans hennes hennar deres
    deira man ein en et ei eit noen nokon noe noko nokre mange mye mykje all alle alt hver kvar
    annen anna andre annet
    er var vært være vere blir ble blei bli har hadde hatt ha kan kunne vil ville skal skulle
    må måtte bør burde får fikk få gjør gjer gjorde gjøre gjere
    også ogso bare berre kun enda ennå enno nå no jo vel litt ganske veldig svært
    heller mer meir mest nok
""".split())


def segment_spans(text: str) -> list[tuple[int, int]]:
    r"""Split an answer into sentence-like segments; returns ``(start, end)`` offsets into ``text``.

    Survey answers list several reasons in one box, as sentences, lines or bullets; a hand coder codes
    each of them, so a classifier learns and predicts per segment. A full stop splits only before
    whitespace, so "f.eks." and "bl.a." stay inside their segment. Segments without a word
    character (a lone dash) are dropped; an answer always has at least one segment.

    Examples
    --------
    >>> text = "Ingen midler.\n- Ikke aktuelt nå, bl.a. pga. omstilling"
    >>> [text[s:e] for s, e in segment_spans(text)]
    ['Ingen midler.', 'Ikke aktuelt nå, bl.a. pga. omstilling']
    """
    if BOUNDARY_RE.search(text) is None:  # most answers are one sentence without a final stop
        start, end = 0, len(text)
        while start < end and text[start] in LEADING_JUNK:
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        return [(start, end)] if end > start and WORD_RE.search(text, start, end) else [(0, len(text))]
    pieces, start = [], 0
    for match in BOUNDARY_RE.finditer(text):
        if match.group() == "." and _is_abbreviation(text, match.start()):
            continue
        end = match.end() if match.group()[0] in ".!?;" else match.start()
        pieces.append((start, end))
        start = match.end()
    pieces.append((start, len(text)))
    spans = []
    for start, end in pieces:
        while start < end and text[start] in LEADING_JUNK:
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start and WORD_RE.search(text, start, end):
            spans.append((start, end))
    return spans or [(0, len(text))]


def _is_abbreviation(text: str, dot: int) -> bool:
    word = LAST_WORD_RE.search(text, max(0, dot - 12), dot)
    if word is None:
        return False
    token = word.group().lower()
    return "." in token.strip(".") or token in ABBREVIATIONS


def _analyzer_lemmatizer() -> Callable[[str], str]:
    """One lemma per lower-case word form, from :class:`fritekst.language.analyzer.Analyzer`'s lemma set.

    The analyzer gives ``{form, Bokmål lemma, Nynorsk lemma}``; a feature needs one value, so the
    first lemma (alphabetically) that differs from the form is used, else the form itself.
    """
    from ..language.analyzer import get_default_analyzer

    analyzer = get_default_analyzer()

    def lemma(word: str) -> str:
        others = sorted(analyzer.lemmas(word) - {word})
        return others[0] if others else word

    return lemma


def _standard_lemmatizer() -> Callable[[str], str]:
    """One lemma per form *across* Bokmål and Nynorsk: "tenestene" and "tjenestene" both give *teneste*.

    simplemma lemmatizes each written standard to its own lemma, so "teneste"/"tjeneste" and
    "tilbod"/"tilbud" were two features each. The lemma of :func:`_analyzer_lemmatizer` is joined
    with its spellings in the other standard (:func:`fritekst.language.standards.other_spellings`,
    lemmatized in turn) and the alphabetically first is the feature; every spelling of a negation
    word ("ikkje", "itj", "ikek", :func:`fritekst.language.cues.cue_spellings`) is its first entry
    in the cue table's Bokmål form ("ikke", "ingen"), so "ikkje behov" and "ikke behov" meet.
    """
    from ..language.cues import cue_spellings
    from ..language.standards import other_spellings

    lemma = _analyzer_lemmatizer()
    negations = {spelling: base for base in ("ikke", "ingen") for spelling in cue_spellings(base)}

    def standard(word: str) -> str:
        if word in negations:
            return negations[word]
        found = lemma(word)
        return min([found, *(lemma(v) for v in other_spellings(found))])

    return standard


def _identity(word: str) -> str:
    return word


LEMMATIZERS: dict[str, Callable[[], Callable[[str], str]]] = {
    "lemma": _analyzer_lemmatizer,
    "standard": _standard_lemmatizer,
    "none": lambda: _identity,
}


class _Vocabulary:
    """Maps feature strings to column indices and holds their idf weights."""

    def __init__(self, terms: Sequence[str], idf: np.ndarray) -> None:
        self.terms = list(terms)
        self.index = {term: i for i, term in enumerate(self.terms)}
        self.idf = np.asarray(idf, dtype=np.float64)

    @classmethod
    def fit(cls, documents: Iterable[Iterable[str]], min_df: int, n_documents: int) -> _Vocabulary:
        document_frequency: Counter[str] = Counter()
        for features in documents:
            document_frequency.update(set(features))
        terms = sorted(term for term, df in document_frequency.items() if df >= min_df)
        df = np.array([document_frequency[t] for t in terms], dtype=np.float64)
        # sklearn's smoothed idf: as if one extra document contained every term once
        idf = np.log((1.0 + n_documents) / (1.0 + df)) + 1.0 if terms else np.zeros(0)
        return cls(terms, idf)

    def __len__(self) -> int:
        return len(self.terms)


def _tfidf(counts: sp.csr_matrix, vocabulary: _Vocabulary, binary: bool = False) -> sp.csr_matrix:
    """Sublinear tf (1 + log count; ``binary``: 1) times idf, each row scaled to unit length.

    ``counts`` must hold each (row, column) once, as sparse products and sums do; its indices need
    not be sorted, which saves a sort of every row.
    """
    counts = sp.csr_matrix(counts)
    data = (1.0 if binary else 1.0 + np.log(counts.data)) * vocabulary.idf[counts.indices]
    sizes = np.diff(counts.indptr)
    norms = np.zeros(counts.shape[0])
    filled = sizes > 0
    if filled.any():
        norms[filled] = np.sqrt(np.add.reduceat(data * data, counts.indptr[:-1][filled]))
    counts.data = data / np.repeat(norms, sizes)
    return counts


class FeatureSpace:
    """Turns answer texts (plus question and keyword hits) into one sparse feature matrix.

    Parameters
    ----------
    word_ngrams : tuple of int
        Smallest and largest number of consecutive lemmas per word feature: (1, 1), (1, 2) or (2, 2).
    char_ngrams : tuple of int
        Smallest and largest character n-gram, taken within each space-padded word.
    min_df : int
        A feature must occur in at least this many training texts.
    lemmatizer : {"lemma", "standard", "none"}
        How word forms become lemmas (``"lemma"``: Bokmål/Nynorsk lemmas from
        :mod:`fritekst.language.analyzer`; ``"standard"``: one lemma for both written standards,
        :func:`_standard_lemmatizer`); ``"none"`` uses the lower-cased word form.
    weights : dict, optional
        Weight of each block (``words``, ``chars``, ``question``, ``keywords``) in the final matrix;
        missing blocks keep :data:`DEFAULT_WEIGHTS`.
    scope : {"none", "negation", "hedge", "both"}
        Words inside a negation or hedge (:func:`fritekst.rules.feature_scope.scope_marks`) add a
        second word feature, their lemma marked ``¬`` (negated) or ``?`` (hedged), beside their own.
    compounds : {"none", "heads", "parts"}
        A compound (:func:`fritekst.language.lexicon.compound_heads`) also counts as the lemma
        unigrams of its heads ("budsjettkutt" → *kutt*), and with ``"parts"`` of its first modifier
        (*budsjett*), so it meets the plain words of another phrasing ("kutt i budsjettet").
    content_words : bool
        Lemma unigrams of :data:`FUNCTION_WORDS` are dropped (bigrams keep them).
    tf : {"sublinear", "binary"}
        Term frequency of the word and character blocks before idf: ``1 + log count`` or 1.

    Attributes
    ----------
    word_vocabulary_, char_vocabulary_ : _Vocabulary
        Fitted terms and idf weights.
    questions_, keyword_codes_ : list of str
        Columns of the indicator blocks.

    Notes
    -----
    :meth:`transform` looks each word form up once per call; what a form contributes (its lemma's
    unigram column, its lemma id for bigrams, its character n-gram columns) is computed the first
    time the form is seen and cached. Counting is then two sparse products, answers × forms times
    forms × features, and one sorted search for lemma bigrams: no Python work per n-gram.
    """

    def __init__(self, word_ngrams: tuple[int, int] = (1, 2), char_ngrams: tuple[int, int] = (2, 5),
                 min_df: int = 1, lemmatizer: str = "lemma",
                 weights: dict[str, float] | None = None, scope: str = "none", compounds: str = "none",
                 content_words: bool = False, tf: str = "sublinear") -> None:
        self.word_ngrams = word_ngrams
        self.char_ngrams = char_ngrams
        self.min_df = min_df
        self.lemmatizer = lemmatizer
        self.weights = weights
        self.scope = scope
        self.compounds = compounds
        self.content_words = content_words
        self.tf = tf

    # --- fitting ---------------------------------------------------------------------------------
    def fit(self, texts: Sequence[str], questions: Sequence[str] | None = None,
            keyword_hits: Sequence[Iterable[str]] | None = None,
            keyword_codes: Sequence[str] | None = None) -> FeatureSpace:
        """Learn the vocabularies and idf weights from training texts; returns self."""
        if self.lemmatizer not in LEMMATIZERS:
            raise ValueError(f"lemmatizer must be one of {sorted(LEMMATIZERS)}, not {self.lemmatizer!r}")
        if tuple(self.word_ngrams) not in ((1, 1), (1, 2), (2, 2)):
            raise ValueError(f"word_ngrams must be (1, 1), (1, 2) or (2, 2), not {self.word_ngrams!r}")
        if self.scope not in SCOPES:
            raise ValueError(f"scope must be one of {sorted(SCOPES)}, not {self.scope!r}")
        if self.compounds not in COMPOUNDS:
            raise ValueError(f"compounds must be one of {', '.join(COMPOUNDS)}, not {self.compounds!r}")
        if self.tf not in TERM_FREQUENCIES:
            raise ValueError(f"tf must be one of {', '.join(TERM_FREQUENCIES)}, not {self.tf!r}")
        lemma_of = LEMMATIZERS[self.lemmatizer]()
        lemmas: dict[str, str] = {}
        words = [self._words(text) for text in texts]

        def lemma(form: str) -> str:
            found = lemmas.get(form)
            if found is None:
                found = lemmas[form] = lemma_of(form)
            return found

        kinds = SCOPES[self.scope]
        marks = [scope_marks(text, kinds) for text in texts] if kinds else [[0] * len(w) for w in words]

        def word_features(forms: list[str], marked: list[int]) -> set[str]:
            seq = [lemma(form) for form in forms]
            low, high = self.word_ngrams
            found = {t for form, term in zip(forms, seq) for t in self._unigram_terms(form, term, lemma)} \
                if low == 1 else set()
            if high == 2:
                found.update(f"{a} {b}" for a, b in zip(seq, seq[1:]))
            found.update(MARKERS[bit] + term for term, mark in zip(seq, marked) if mark
                         for bit in MARKERS if mark & bit)
            return found

        self.word_vocabulary_ = _Vocabulary.fit((word_features(w, m) for w, m in zip(words, marks)),
                                                self.min_df, len(texts))
        self.char_vocabulary_ = _Vocabulary.fit(({g for word in w for g in self._char_grams(word)}
                                                 for w in words), self.min_df, len(texts))
        self.questions_ = sorted(set(questions)) if questions is not None else []
        hits = {code for row in keyword_hits for code in row} if keyword_hits is not None else set()
        self.keyword_codes_ = sorted(set(keyword_codes or ()) | hits) if keyword_hits is not None else []
        self._reset_caches()
        return self

    @property
    def n_features(self) -> int:
        """Number of columns of :meth:`transform`'s output."""
        return (len(self.word_vocabulary_) + len(self.char_vocabulary_) + len(self.questions_)
                + len(self.keyword_codes_))

    @property
    def uses_keywords(self) -> bool:
        """Whether keyword hits are part of the features (then :meth:`transform` needs them)."""
        return bool(self.keyword_codes_)

    # --- transforming ----------------------------------------------------------------------------
    def transform(self, texts: Sequence[str], questions: Sequence[str] | None = None,
                  keyword_hits: Sequence[Iterable[str]] | None = None) -> sp.csr_matrix:
        """The feature matrix of these texts (rows in input order)."""
        return sp.csr_matrix(sp.hstack(self.transform_blocks(texts, questions, keyword_hits), format="csr"))

    def transform_blocks(self, texts: Sequence[str], questions: Sequence[str] | None = None,
                         keyword_hits: Sequence[Iterable[str]] | None = None) -> list[sp.csr_matrix]:
        """The column blocks of :meth:`transform`, unstacked (a linear model can use them one by one)."""
        if len(self._form_ids) > CACHE_LIMIT:
            self._reset_caches()
        weights = {**DEFAULT_WEIGHTS, **(self.weights or {})}
        kinds = SCOPES[self.scope]
        word_counts, char_counts = self._counts([self._words(text) for text in texts],
                                                [scope_marks(text, kinds) for text in texts] if kinds else None)
        binary = self.tf == "binary"
        blocks = [_tfidf(word_counts, self.word_vocabulary_, binary) * weights["words"],
                  _tfidf(char_counts, self.char_vocabulary_, binary) * weights["chars"]]
        if self.questions_:
            blocks.append(_indicators(questions or [""] * len(texts), self.questions_) * weights["question"])
        if self.keyword_codes_:
            if keyword_hits is None:
                raise ValueError("this feature space was fitted with keyword hits; pass keyword_hits")
            blocks.append(_indicators(keyword_hits, self.keyword_codes_, multi=True) * weights["keywords"])
        return blocks

    # --- state for persistence --------------------------------------------------------------------
    def get_state(self) -> dict[str, Any]:
        """Fitted state as plain lists and arrays (what the model file stores)."""
        return {"settings": {"word_ngrams": list(self.word_ngrams), "char_ngrams": list(self.char_ngrams),
                             "min_df": self.min_df, "lemmatizer": self.lemmatizer,
                             "weights": dict(self.weights or {}), "scope": self.scope,
                             "compounds": self.compounds, "content_words": self.content_words, "tf": self.tf},
                "word_terms": np.array(self.word_vocabulary_.terms, dtype=str),
                "word_idf": self.word_vocabulary_.idf,
                "char_terms": np.array(self.char_vocabulary_.terms, dtype=str),
                "char_idf": self.char_vocabulary_.idf,
                "questions": list(self.questions_), "keyword_codes": list(self.keyword_codes_)}

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> FeatureSpace:
        """Rebuild a fitted feature space from :meth:`get_state` output."""
        settings = state["settings"]
        space = cls(word_ngrams=tuple(settings["word_ngrams"]), char_ngrams=tuple(settings["char_ngrams"]),
                    min_df=int(settings["min_df"]), lemmatizer=str(settings["lemmatizer"]),
                    weights=dict(settings["weights"]) or None,
                    # files written before scope marks have no "scope": their words were never marked
                    scope=str(settings.get("scope", "none")),
                    # and files from before the eighth round: no compound parts, every unigram, log tf
                    compounds=str(settings.get("compounds", "none")),
                    content_words=bool(settings.get("content_words", False)),
                    tf=str(settings.get("tf", "sublinear")))
        if space.lemmatizer not in LEMMATIZERS:
            raise ValueError(f"unknown lemmatizer {space.lemmatizer!r}")
        if space.scope not in SCOPES:
            raise ValueError(f"unknown scope {space.scope!r}")
        if space.compounds not in COMPOUNDS or space.tf not in TERM_FREQUENCIES:
            raise ValueError(f"unknown compounds {space.compounds!r} or tf {space.tf!r}")
        space.word_vocabulary_ = _Vocabulary([str(t) for t in state["word_terms"]], state["word_idf"])
        space.char_vocabulary_ = _Vocabulary([str(t) for t in state["char_terms"]], state["char_idf"])
        space.questions_ = [str(q) for q in state["questions"]]
        space.keyword_codes_ = [str(c) for c in state["keyword_codes"]]
        space._reset_caches()
        return space

    # --- internals ---------------------------------------------------------------------------------
    def _reset_caches(self) -> None:
        """Per-form caches, and the lemma ids and sorted keys of the vocabulary's bigrams."""
        self._lemma = LEMMATIZERS[self.lemmatizer]()
        self._form_ids: dict[str, int] = {}
        self._form_lemma: list[int] = []     # lemma id of each form (-1: in no vocabulary bigram)
        self._form_unigrams: list[np.ndarray] = []  # word-vocabulary unigram columns of the form
        self._form_chars: list[np.ndarray] = []
        self._form_marked: dict[tuple[int, int], int] = {}  # (form id, mark bit) -> column, or -1
        index = self.word_vocabulary_.index
        bigrams = [term.split(" ") for term in self.word_vocabulary_.terms if " " in term]
        self._lemma_ids = {lemma: i for i, lemma in enumerate(sorted({t for pair in bigrams for t in pair}))}
        width = max(len(self._lemma_ids), 1)
        keys = np.array([self._lemma_ids[a] * width + self._lemma_ids[b] for a, b in bigrams], dtype=np.int64)
        columns = np.array([index[f"{a} {b}"] for a, b in bigrams], dtype=np.int64)
        order = np.argsort(keys)
        self._bigram_keys, self._bigram_columns, self._lemma_width = keys[order], columns[order], width

    @staticmethod
    def _words(text: str) -> list[str]:
        return TOKEN_RE.findall(text.lower())

    def _char_grams(self, word: str) -> list[str]:
        padded = f" {word} "
        low, high = self.char_ngrams
        return [padded[i:i + n] for n in range(low, high + 1) for i in range(len(padded) - n + 1)]

    def _form_id(self, form: str) -> int:
        """Register a word form (once): its lemma's ids and columns and its character n-gram columns."""
        known = self._form_ids.get(form)
        if known is not None:  # a new form seen twice in one answer is registered by its first sight
            return known
        lemma = self._lemma(form)
        self._form_lemma.append(self._lemma_ids.get(lemma, -1))
        words = self.word_vocabulary_.index
        self._form_unigrams.append(np.array(sorted({words[t] for t in self._unigram_terms(form, lemma, self._lemma)
                                                    if t in words}), dtype=np.int64)
                                   if self.word_ngrams[0] == 1 else np.zeros(0, dtype=np.int64))
        index = self.char_vocabulary_.index
        self._form_chars.append(np.array([index[g] for g in self._char_grams(form) if g in index], dtype=np.int64))
        new_id = self._form_ids[form] = len(self._form_chars) - 1
        return new_id

    def _unigram_terms(self, form: str, lemma: str, lemma_of: Callable[[str], str]) -> list[str]:
        """The lemma unigrams a word form counts as: its lemma, and its compound parts' lemmas."""
        terms = [] if self.content_words and (lemma in FUNCTION_WORDS or form in FUNCTION_WORDS) else [lemma]
        if self.compounds != "none":
            from ..language.lexicon import compound_heads, compound_modifier

            heads = compound_heads(form)
            terms.extend(lemma_of(head) for head in heads)
            if heads and self.compounds == "parts":
                terms.append(lemma_of(compound_modifier(form, heads[0])))
        return terms

    def _marked_column(self, form_id: int, bit: int, form: str) -> int:
        """Word-vocabulary column of a form's lemma marked as negated or hedged (-1: not in it)."""
        key = (form_id, bit)
        column = self._form_marked.get(key)
        if column is None:
            column = self._form_marked[key] = self.word_vocabulary_.index.get(MARKERS[bit] + self._lemma(form), -1)
        return column

    def _counts(self, documents: list[list[str]],
                marks: list[list[int]] | None = None) -> tuple[sp.csr_matrix, sp.csr_matrix]:
        """Raw counts of word features and character n-grams, one row per document.

        ``marks`` (one list per document, aligned with its words) add the marked unigrams of words
        in a negation or hedge.
        """
        get = self._form_ids.get
        flat: list[int] = []
        lengths: list[int] = []
        for words in documents:
            found = list(map(get, words))
            # Registering new forms is the rare path, so the common one reuses the list as is; there
            # `None in found` was False, which mypy cannot carry over to the element type.
            ids = [self._form_id(w) if i is None else i for w, i in zip(words, found)] \
                if None in found else cast("list[int]", found)
            flat.extend(ids)
            lengths.append(len(ids))
        n_docs = len(documents)
        all_ids = np.array(flat, dtype=np.int64)
        forms, local = np.unique(all_ids, return_inverse=True)
        indptr = np.zeros(n_docs + 1, dtype=np.int64)
        np.cumsum(lengths, out=indptr[1:])
        docs_by_form = sp.csr_matrix((np.ones(len(all_ids)), local.ravel(), indptr), shape=(n_docs, len(forms)))
        # forms × char n-grams, only for the forms in this batch
        char_rows = [self._form_chars[f] for f in forms]
        char_indptr = np.zeros(len(forms) + 1, dtype=np.int64)
        np.cumsum([len(r) for r in char_rows], out=char_indptr[1:])
        char_flat = np.concatenate(char_rows) if char_rows else np.zeros(0, dtype=np.int64)
        forms_by_char = sp.csr_matrix((np.ones(len(char_flat)), char_flat, char_indptr),
                                      shape=(len(forms), len(self.char_vocabulary_)))
        char_counts = docs_by_form @ forms_by_char
        # word features: lemma unigrams through the same product, bigrams by sorted search
        word_rows = [self._form_unigrams[f] for f in forms]
        word_indptr = np.zeros(len(forms) + 1, dtype=np.int64)
        np.cumsum([len(r) for r in word_rows], out=word_indptr[1:])
        word_flat = np.concatenate(word_rows) if word_rows else np.zeros(0, dtype=np.int64)
        forms_by_word = sp.csr_matrix((np.ones(len(word_flat)), word_flat, word_indptr),
                                      shape=(len(forms), len(self.word_vocabulary_)))
        word_counts = docs_by_form @ forms_by_word
        if len(self._bigram_keys) and len(all_ids) > 1:
            lemma = np.array([self._form_lemma[f] for f in forms], dtype=np.int64)[local.ravel()]
            doc = np.repeat(np.arange(n_docs, dtype=np.int64), lengths)
            first, second = lemma[:-1], lemma[1:]
            valid = (doc[:-1] == doc[1:]) & (first >= 0) & (second >= 0)
            keys = first[valid] * self._lemma_width + second[valid]
            position = np.searchsorted(self._bigram_keys, keys)
            position[position == len(self._bigram_keys)] = 0
            hit = self._bigram_keys[position] == keys
            bigram_counts = sp.csr_matrix((np.ones(int(hit.sum())), (doc[:-1][valid][hit],
                                                                    self._bigram_columns[position[hit]])),
                                          shape=word_counts.shape)
            word_counts = word_counts + bigram_counts
        if marks is not None:
            rows, columns = [], []
            position = 0
            for d, (words, marked) in enumerate(zip(documents, marks)):
                for k, mark in enumerate(marked):
                    if mark:
                        form_id = int(all_ids[position + k])
                        for bit in MARKERS:
                            if mark & bit:
                                column = self._marked_column(form_id, bit, words[k])
                                if column >= 0:
                                    rows.append(d)
                                    columns.append(column)
                position += len(words)
            if rows:
                word_counts = word_counts + sp.csr_matrix((np.ones(len(rows)), (rows, columns)),
                                                          shape=word_counts.shape)
        return sp.csr_matrix(word_counts), sp.csr_matrix(char_counts)


def _indicators(rows: Sequence[Any], columns: list[str], multi: bool = False) -> sp.csr_matrix:
    """Binary indicator matrix: one column per known value; unknown values are ignored."""
    position = {value: i for i, value in enumerate(columns)}
    row_index, col_index = [], []
    for r, row in enumerate(rows):
        values = row if multi else (row,)
        for value in set(values):
            column = position.get(value)
            if column is not None:
                row_index.append(r)
                col_index.append(column)
    data = np.ones(len(row_index))
    return sp.csr_matrix((data, (row_index, col_index)), shape=(len(rows), len(columns)))



# ================================================================================================
# Units: the rows a classifier learns from and predicts on
# ================================================================================================

UNITS = ("segment", "answer")
ANSWER_KEY = ["case_id", "question"]


@dataclass
class Units:
    """Rows for the classifier, each a span of one answer.

    Attributes
    ----------
    X : DataFrame
        ``text``, ``question`` and ``keywords`` (code ids whose keyword rules hit inside the span).
    owner : ndarray of int
        Row of the answers frame each unit belongs to (ascending).
    start, end : ndarray of int
        The unit's offsets in its answer.
    """

    X: pd.DataFrame
    owner: np.ndarray
    start: np.ndarray
    end: np.ndarray


def make_units(answers: pd.DataFrame, keyword_codings: pd.DataFrame | None, unit: str = "segment") -> Units:
    """Split answers into units (``segment``: sentences/lines/bullets; ``answer``: whole answers).

    A unit's keyword features are the codes whose keyword codings overlap it, so "ingen midler" in
    the first sentence does not count as evidence in the second.

    Examples
    --------
    >>> answers = pd.DataFrame({"case_id": ["1"], "question": ["q"], "text": ["Ingen midler. Ser behov."]})
    >>> kw = pd.DataFrame({"case_id": ["1"], "question": ["q"], "code_id": ["okonomi"], "start": [0],
    ...                    "end": [12], "method": ["keyword"]})
    >>> units = make_units(answers, kw)
    >>> units.X[["text", "keywords"]].values.tolist()
    [['Ingen midler.', ('okonomi',)], ['Ser behov.', ()]]
    """
    if unit not in UNITS:
        raise ValueError(f"unit must be one of {UNITS}, not {unit!r}")
    hits = _spans_by_answer(keyword_codings, keyword_only=True)
    texts, questions, keywords, owner, starts, ends = [], [], [], [], [], []
    for row, (case_id, question, text) in enumerate(answers[[*ANSWER_KEY, "text"]].itertuples(index=False, name=None)):
        spans = segment_spans(text) if unit == "segment" else [(0, len(text))]
        found = hits.get((case_id, question), ())
        for start, end in spans:
            texts.append(text[start:end])
            questions.append(question)
            keywords.append(tuple(sorted({code for s, e, code in found if s < end and e > start})))
            owner.append(row)
            starts.append(start)
            ends.append(end)
    X = pd.DataFrame({"text": texts, "question": questions, "keywords": keywords})
    return Units(X, np.array(owner, dtype=np.int64), np.array(starts, dtype=np.int64), np.array(ends, dtype=np.int64))


def unit_labels(answers: pd.DataFrame, units: Units, gold: pd.DataFrame, code_ids: Sequence[str]) -> pd.DataFrame:
    """0/1 labels per unit and code: the unit overlaps a "yes" span of that code in ``gold``.

    A gold row without a span (or spanning the whole answer) labels every unit of its answer.
    """
    decision = gold["decision"] if "decision" in gold.columns else pd.Series("yes", index=gold.index)
    yes = gold[(decision.fillna("yes") == "yes") & gold["code_id"].isin(code_ids)]
    spans = _spans_by_answer(yes, keyword_only=False)
    position = {code: j for j, code in enumerate(code_ids)}
    keys = list(answers[ANSWER_KEY].itertuples(index=False, name=None))
    labels = np.zeros((len(units.owner), len(code_ids)), dtype=np.int64)
    for i, (row, start, end) in enumerate(zip(units.owner, units.start, units.end)):
        for s, e, code in spans.get(keys[row], ()):
            if s is None or (s < end and e > start):
                labels[i, position[code]] = 1
    return pd.DataFrame(labels, columns=list(code_ids))


#: Near misses of the keyword rules that become features of their own (``<code>|negated``, ...): the
#: rule's words are there, but negated or hedged, where the rule as written does not fire (or fires
#: without regard to it). With a few hand codings the classifier learns per code whether "ikke X" or
#: "om det er behov for X" still means X, which is where a plain codebook's rules are blind.
EVIDENCE_KINDS: dict[str, dict[str, str]] = {"negated": {"negation": "require"}, "hedged": {"hedge": "require"}}
#: ``method`` of near-miss rows (never codings: they only feed the classifier's features).
EVIDENCE_METHOD = "evidence"


def rule_evidence(answers: pd.DataFrame, specs: Sequence[Any]) -> pd.DataFrame:
    """Where each code's keyword rules meet an answer negated or hedged: rows for the features.

    ``specs`` are the codebook's *current* keyword rules (:class:`~fritekst.rules.keyword.KeywordRuleSpec`,
    ``[r.spec for r in codebook.rules("keyword")]``), so a model stays valid when a keyword changes:
    its features are per code, never per rule. Returns a codings-like frame (``case_id, question,
    code_id, start, end, method``) with ``code_id`` = ``<code>|negated`` or ``<code>|hedged`` and
    ``method`` = :data:`EVIDENCE_METHOD`.

    Examples
    --------
    >>> from fritekst.rules.keyword import KeywordRuleSpec
    >>> rules = [KeywordRuleSpec("r1", "okonomi", ["midler"], negation="forbid")]
    >>> answers = pd.DataFrame({"case_id": ["1", "2"], "question": ["q", "q"],
    ...                         "text": ["Vi har ikke midler", "Vi har midler"]})
    >>> rule_evidence(answers, rules)[["case_id", "code_id"]].values.tolist()
    [['1', 'okonomi|negated']]
    """
    from dataclasses import replace

    from .keyword import KeywordMatcher

    variants = []
    for spec in specs:
        if spec is None:
            continue
        for kind, change in EVIDENCE_KINDS.items():
            field = next(iter(change))
            if getattr(spec, field) != change[field]:  # a rule that already requires it adds nothing new
                variants.append(replace(spec, code_id=f"{spec.code_id}|{kind}", rule_id=f"{spec.rule_id}|{kind}",
                                        **change))
    columns = [*ANSWER_KEY, "code_id", "start", "end", "method"]
    if not variants or answers.empty:
        return pd.DataFrame(columns=columns)
    matcher = KeywordMatcher(variants)
    rows = [(case_id, question, hit.code_id, hit.start, hit.end, EVIDENCE_METHOD)
            for case_id, question, text, hits in zip(answers["case_id"], answers["question"], answers["text"],
                                                      matcher.match_many(answers["text"].astype(str)))
            for hit in hits]
    return pd.DataFrame(rows, columns=columns).drop_duplicates(ignore_index=True)


def _spans_by_answer(codings: pd.DataFrame | None, keyword_only: bool) -> dict[tuple[str, str], list[tuple[Any, Any, str]]]:
    if codings is None or codings.empty:
        return {}
    rows = codings[codings["method"].isin(("keyword", EVIDENCE_METHOD))] \
        if keyword_only and "method" in codings.columns else codings
    out: dict[tuple[str, str], list[tuple[Any, Any, str]]] = {}
    for case_id, question, code_id, start, end in rows[[*ANSWER_KEY, "code_id", "start", "end"]].itertuples(
            index=False, name=None):
        span = (None, None) if pd.isna(start) else (int(start), int(end))
        out.setdefault((case_id, question), []).append((*span, code_id))
    return out
