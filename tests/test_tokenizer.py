"""The plain-Python tokenizer (language/tokenizer.py) gives exactly spaCy's tokens of every chunk.

spaCy's own tokenizer (analyzer._build_tokenizer) is the oracle: every distinct whitespace-free
chunk of every CSV in corpus/ and tests/data, a table of hostile chunks, and random strings.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest

from fritekst.language import compact
from fritekst.language.analyzer import CHUNK_RE, Analyzer, _build_tokenizer, tokenizer_data
from fritekst.language.tokenizer import ChunkTokenizer

REPO = Path(__file__).parent.parent
#: Files holding held-out answers: compared like the rest, but a failure names no chunk.
SEALED = ("corpus/heldout2/", "corpus/gold/")


@pytest.fixture(scope="module")
def spacy_tokenizer() -> Any:
    return _build_tokenizer()


@pytest.fixture(scope="module")
def ours() -> ChunkTokenizer:
    data = tokenizer_data()
    assert data is not None
    return ChunkTokenizer(data)


def spacy_tokens(tokenizer: Any, chunk: str) -> tuple[tuple[int, int, str], ...]:
    return tuple((t.idx, t.idx + len(t.text), t.text) for t in tokenizer(chunk))


def chunks_of(path: Path) -> set[str]:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:  # tests/data holds Windows-1252 files on purpose
        text = raw.decode("cp1252", errors="replace")
    return {m.group() for row in csv.reader(io.StringIO(text, newline=""))
            for cell in row for m in CHUNK_RE.finditer(cell) if m.group() != "\n"}


def test_equal_to_spacy_on_every_chunk_of_the_corpora(spacy_tokenizer: Any, ours: ChunkTokenizer) -> None:
    analyzer = Analyzer()
    files = sorted((REPO / "corpus").rglob("*.csv")) + sorted((REPO / "tests" / "data").rglob("*.csv"))
    assert len(files) > 20
    total = 0
    for path in files:
        name = path.relative_to(REPO).as_posix()
        chunks = chunks_of(path)
        total += len(chunks)
        wrong = [c for c in sorted(chunks)
                 if not (ours(c) == analyzer.chunk_tokens(c) == spacy_tokens(spacy_tokenizer, c))]
        if name.startswith(SEALED):
            assert len(wrong) == 0, f"{name}: {len(wrong)} chunks differ (not shown: held-out text)"
        else:
            assert wrong == [], name
    assert total > 30_000


_ANALYZER = Analyzer()
HOSTILE = [
    # URLs and e-mail addresses, alone and in punctuation
    "https://www.nav.no/arbeid?x=1&y=2", "(https://www.nav.no).", "www.nav.no,", "nav.no/jobb)",
    "ola.nordmann@kommune.no", "<ola@nav.no>;", "http://", "ftp://x.y", "e-post:ola@x.no",
    # emoticons and emoji
    ":)", ":-)", ";)", ":(", ">:o]", "(._.)!", ">:(&", "[):’(", "xD", "xD.", "(:", "<3", "^_^", "😀", "😀😀", "ok😀", "👍🏽!", "🇳🇴",
    # brackets and quotes
    "(FACT)", "(FACT-team)", "«ikke»", "«ikke».", "“ikkje”", "„nei“", "'ja'", "\"nei\"", "‹x›",
    "(«nei»)", "«(x)»", "[ja]", "{ja}", "((ja))", "«ikke»-svar", "\"ikke\"-lovpålagt",
    # numbers, money, units, percent
    "1.000,-", "500,-", "kr.50", "kr50", "50kr", "50,-kr", "20%", "20%.", "(20%)", "2,5%", "-20%",
    "10km", "10km/t", "5kg.", "3x", "1.", "1)", "a)", "1/2", "24/7", "2020-2021", "2020–2021",
    "1-2-3", "07:30", "kl.08", "12.12.2026", "+47", "€50", "$5", "£5", "5$", "§12", "nr.5",
    "100.000", "1,000.5", "0,5-1", "3-4.", "-5", "–5",
    # abbreviations, kept or not
    "f.eks.", "f.eks", "bl.a.", "bl.a", "t.o.m", "t.o.m.", "m.m.", "osv.", "ca.", "ca", "no.",
    "sms.", "vgs.", "eg.", "i.", "Dr.", "St.", "a.m.", "p.t.", "jf.", "evt.", "mht.", "iht.",
    "(f.eks.).", "f.eks.:", "«bl.a.»", "ca.50", "ca.-tal",
    # dots, dashes, hyphens, ellipses
    "...", "..", "....", "…", "ja...", "ja…", "...ja", "–", "—", "-", "--", "---", "-ja", "–ingen",
    "—ja", "ja-", "ja–", "ja-nei", "ja–nei", "ja—nei", "ja‐nei", "ja‑nei", "ja/nei", "og/eller",
    "ja/", "/ja", "ja//nei", "ja;nei", "ja:nei", "ja!nei", "ja?nei", "ja(nei)", "test)/x", "(a/b)",
    "!!!", "???", "?!", "ja!?", "ja?!.", ",,", ";;", "::", "ja,,", ",ja",
    # apostrophes, names, possessives
    "O'Neill", "O’Neill", "NAV's", "NAV's.", "NAV:s", "d'", "'kke", "’kke", "ha'kke", "Ola's",
    "rock'n'roll", "''", "'", "``",
    # letters outside Latin-1, combining characters, mixed scripts
    "Ωμέγα.", "中文.", "Ωμέγα", "кириллица,", "e\u0301", "e\u0301.", "kafe\u0301-bar", "a\u0300b",
    "ǅemal", "ﬁne", "ÆØÅ!", "Ærlig.", "ø.", "ß.", "İ.", "\u200bja", "ja\u200d", "\u00adja",
    # capitals and initials (the shortcuts' edges)
    "A.", "Ab.", "NAV.", "ØYA.", "aB.", "AB.", "A.B.", "A.B.C.", "a.b", "NAV-", "FACT-",
    # digits with hyphens and letters
    "1-0", "A-4", "4-A", "B12", "12B.", "covid-19", "Covid-19-pandemien", "19-åringer", "3.-klasse",
    # symbols
    "&", "a&b", "+", "a+b", "=", "a=b", "*", "*ja*", "_ja_", "#ja", "@ja", "~", "^", "|", "\\",
    "a\\b", "<", ">", "<ja>", "->", "=>", "°C", "5°", "™", "©2026",
    # very long chunks
    "a" * 5000, "ja." * 400, "(" * 100 + "ja" + ")" * 100, "-".join(["ord"] * 300),
    "https://example.com/" + "x" * 2000, "«" * 50 + "ikke" + "»" * 50, ".,;:!?" * 100,
]


@pytest.mark.parametrize("chunk", HOSTILE)
def test_equal_to_spacy_on_hostile_chunks(chunk: str, spacy_tokenizer: Any, ours: ChunkTokenizer) -> None:
    assert ours(chunk) == spacy_tokens(spacy_tokenizer, chunk)
    assert _ANALYZER.chunk_tokens(chunk) == ours(chunk)


@pytest.mark.parametrize(("chunk", "tokens"), [
    ("(f.eks.).", ["(", "f.eks.", ")", "."]),
    ("«ikke».", ["«", "ikke", "»", "."]),
    ("20%.", ["20", "%", "."]),
    ("1.000,-", ["1.000,-"]),
    ("–ingen", ["–", "ingen"]),
    ("test)/x", ["test", ")", "/", "x"]),
    ("sms.", ["sms", "."]),  # a removed abbreviation: a word ending a sentence
    ("ca.", ["ca."]),
    ("(https://www.nav.no).", ["(", "https://www.nav.no", ")", "."]),
])
def test_known_chunks(chunk: str, tokens: list[str], ours: ChunkTokenizer) -> None:
    got = ours(chunk)
    assert [t for _, _, t in got] == tokens
    assert [chunk[s:e] for s, e, _ in got] == tokens


def test_stored_data_is_the_built_tokenizers(spacy_tokenizer: Any) -> None:
    data = tokenizer_data()
    assert data is not None
    assert data["infix"] == [spacy_tokenizer.infix_finditer.__self__.pattern,
                             spacy_tokenizer.infix_finditer.__self__.flags]
    assert set(data["rules"]) == set(spacy_tokenizer.rules)
    assert "sms." not in data["rules"] and "f.eks." in data["rules"]
    assert len(list(compact.cache_folder().glob("spacy-*-nb-tokenizer-*.json"))) >= 1


def test_a_store_of_another_format_is_rebuilt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FRITEKST_CACHE_DIR", str(tmp_path))
    built = tokenizer_data()
    assert built is not None
    (path,) = tmp_path.glob("spacy-*-nb-tokenizer-*.json")
    path.write_text('{"format": 0}', encoding="utf-8")
    assert tokenizer_data() == built


def test_equal_to_spacy_with_other_patterns() -> None:
    """The algorithm, not only the Norwegian data: a tokenizer with a token_match, no url_match,
    an infix that can match at a chunk's start (spaCy skips it) and a special case that spaCy
    finds only by its second pass."""
    import re

    from spacy.symbols import ORTH
    from spacy.tokenizer import Tokenizer
    from spacy.vocab import Vocab

    spacy_tokenizer = Tokenizer(
        Vocab(), rules={"ab-": [{ORTH: "ab"}, {ORTH: "-"}], "c-d": [{ORTH: "c-d"}], "e": [{ORTH: "e"}]},
        prefix_search=re.compile(r"^[(\[]").search, suffix_search=re.compile(r"[)\].]$").search,
        infix_finditer=re.compile(r"-|(?<=[a-z])\.(?=[a-z])").finditer,
        token_match=re.compile(r"^\d+-\d+\.?$").match, url_match=None)
    data = compact._tokenizer_data(spacy_tokenizer)
    assert data is not None and data["url_match"] is None and "c-d" in data["matcher"]
    ours = ChunkTokenizer(data)
    chunks = ["-a-b", "--a", "(1-2)", "1-2.", "(ab-)", "ab-", "x-c-d", "c-d", "c-d.", "(c-d)", "a.b-c",
              "[e]", "e)", "(-e-)", "1-2-3", "((1-2))", "ab-ab-", "a-b-c-d-e", "--", "-", ".", "(", ")"]
    for chunk in chunks:
        assert ours(chunk) == spacy_tokens(spacy_tokenizer, chunk), chunk
    assert [t for _, _, t in ours("-a-b")] == ["-a", "-", "b"]


hypothesis = pytest.importorskip("hypothesis")
st = hypothesis.strategies

_CHARS = ("abcxyzæøåABCXYZÆØÅéüßΩжä中" "0123456789" ".,;:!?-–—‐/\\()[]{}<>'\"«»“”„‘’‹›%$€£&@#*+=_~^|…°§"
          "\u0301\u200b😀👍")
_PIECES = ["http://", "https://", "www.", ".no", ".com", "@", ":)", ":-)", "xD", "f.eks.", "bl.a.",
           "ca.", "kr.", "no.", "'s", "'kke", "a.m.", "...", "1.000", ",-", "%", "NAV", "ikke"]


@hypothesis.settings(max_examples=3000, deadline=None, derandomize=True)
@hypothesis.given(st.lists(st.one_of(st.sampled_from(_PIECES), st.text(alphabet=_CHARS, min_size=1, max_size=3)),
                           min_size=1, max_size=8).map("".join))
def test_equal_to_spacy_on_random_chunks(spacy_tokenizer: Any, ours: ChunkTokenizer, chunk: str) -> None:
    assert ours(chunk) == spacy_tokens(spacy_tokenizer, chunk)
