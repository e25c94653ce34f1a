"""Keyword pattern syntax: what parses to what, and the one-line message for every mistake."""

from __future__ import annotations

import pytest

from fritekst.errors import PatternError
from fritekst.rules.patterns import Pattern, PatternWord, parse_pattern


@pytest.mark.parametrize(
    ("source", "text", "words"),
    [
        ("økonomi", "økonomi", [("økonomi", "word")]),
        ("Økonomi*", "økonomi*", [("økonomi", "prefix")]),
        ("*stilling", "*stilling", [("stilling", "suffix")]),
        ("*tilbud*", "*tilbud*", [("tilbud", "infix")]),
        ("LEDIGE stilling*", "ledige stilling*", [("ledige", "word"), ("stilling", "prefix")]),
        ("hva er viktig for deg", "hva er viktig for deg", [("hva", "word"), ("er", "word"), ("viktig", "word"), ("for", "word"), ("deg", "word")]),
        # words the tokenizer keeps whole: hyphen compounds, abbreviations, numbers
        ("FACT-team", "fact-team", [("fact-team", "word")]),
        ("f.eks.", "f.eks.", [("f.eks.", "word")]),
        ("50 prosent", "50 prosent", [("50", "word"), ("prosent", "word")]),
        # NFC: a decomposed "å" is the same pattern as the composed one
        ("la\u030age", "låge", [("låge", "word")]),
    ],
)
def test_valid_patterns(source: str, text: str, words: list[tuple[str, str]]) -> None:
    pattern = parse_pattern(source)
    assert pattern == Pattern(text, tuple(PatternWord(w, k) for w, k in words))
    assert pattern.is_phrase is (len(words) > 1)
    assert str(pattern) == text


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("*", 'invalid pattern "*": "*" alone is not a word; put letters with it, e.g. "økonomi*"'),
        ("**", 'invalid pattern "**": "**" alone is not a word; put letters with it, e.g. "økonomi*"'),
        ("ledige *", 'invalid pattern "ledige *": "*" alone is not a word; put letters with it, e.g. "økonomi*"'),
        ("økonomi**", 'invalid pattern "økonomi**": "økonomi**" has a doubled "*"; use a single "*", e.g. "økonomi*"'),
        ("**tilbud", 'invalid pattern "**tilbud": "**tilbud" has a doubled "*"; use a single "*", e.g. "økonomi*"'),
        ("øko*nomi", 'invalid pattern "øko*nomi": "øko*nomi" has a "*" inside the word; "*" may only stand at the start or end of a word, e.g. "økonomi*" or "*tilbud"'),
        ("", 'invalid pattern "": the pattern is empty; write a word, e.g. "økonomi*"'),
        ("   ", 'invalid pattern "   ": the pattern is empty; write a word, e.g. "økonomi*"'),
        (" økonomi", 'invalid pattern " økonomi": it starts or ends with a space; remove the space'),
        ("økonomi ", 'invalid pattern "økonomi ": it starts or ends with a space; remove the space'),
        ("ledige  stillinger", 'invalid pattern "ledige  stillinger": it has two spaces in a row; separate words with single spaces'),
        ("ikke\tråd", 'invalid pattern "ikke\\u0009råd": it contains a tab, line break or other space; separate words with single spaces'),
        ("ikke\nråd", 'invalid pattern "ikke\\u000aråd": it contains a tab, line break or other space; separate words with single spaces'),
        ("ikke\u00a0råd", 'invalid pattern "ikke\\u00a0råd": it contains a tab, line break or other space; separate words with single spaces'),
        ("\u200bøkonomi", 'invalid pattern "\\u200bøkonomi": it contains the invisible or control character U+200B; retype the word'),
        ("...", 'invalid pattern "...": "..." has no letter or digit; patterns match words; drop the punctuation'),
        ("100 %", 'invalid pattern "100 %": "%" has no letter or digit; patterns match words; drop the punctuation'),
        ("Økonomi.", 'invalid pattern "Økonomi.": "Økonomi." is not one word, answers split it into "Økonomi" "."; leave out the punctuation or write the pieces as words of a phrase'),
        ("og/eller", 'invalid pattern "og/eller": "og/eller" is not one word, answers split it into "og" "/" "eller"; leave out the punctuation or write the pieces as words of a phrase'),
        ("stilling,", 'invalid pattern "stilling,": "stilling," is not one word, answers split it into "stilling" ","; leave out the punctuation or write the pieces as words of a phrase'),
        (5, 'invalid pattern 5: a pattern must be text, got a number; quote it in the codebook, e.g. "100"'),
    ],
)
def test_invalid_patterns(source: str, message: str) -> None:
    with pytest.raises(PatternError) as info:
        parse_pattern(source)
    assert str(info.value) == message
    assert "\n" not in str(info.value)


def test_a_parse_is_kept_per_analyzer_and_a_bad_pattern_raises_every_time() -> None:
    # A project parses the same pattern texts several times (validation, compiling, the negated
    # copy of the classifier's veto); the second parse is the first one's frozen object.
    from fritekst.language.analyzer import Analyzer, get_default_analyzer

    first = parse_pattern("Ledige stilling*")
    assert parse_pattern("Ledige stilling*") is first
    assert parse_pattern("Ledige stilling*", get_default_analyzer()) is first
    other = Analyzer()
    again = parse_pattern("Ledige stilling*", other)
    assert again == first and again is not first
    for _ in range(2):
        with pytest.raises(PatternError, match='has a doubled "\\*"'):
            parse_pattern("økonomi**")
