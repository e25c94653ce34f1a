"""The thirteenth round's engine changes (recall on indirect wording), table-driven in Bokmål and
Nynorsk with exact hits (docs/keyword-rules.md, "Thirteenth round, engine")."""

from __future__ import annotations

import pytest

from fritekst.rules.keyword import KeywordMatcher, KeywordRuleSpec as R


def hits(rules: list[R], text: str) -> list[tuple[str, str]]:
    return [(h.code_id, text[h.start:h.end]) for h in KeywordMatcher(rules).match(text)]


def whole(rules: list[R], text: str) -> list[tuple[str, str]]:
    """The hits of the answer matched whole, without the sentence memo (must equal :func:`hits`)."""
    return [(h.code_id, text[h.start:h.end]) for h in KeywordMatcher(rules)._match(text)]


SERVICE = R("t", "konkret_tilbud", ["nytt tilbud", "nytt tilbod", "ledige stillinger", "på plass", "ikke råd",
                                    "god erfaring", "tatt stilling"], compounds=True)
SERVICE_PLAIN = R("t", "konkret_tilbud", ["nytt tilbud", "nytt tilbod", "ledige stillinger"])

# (answer, exact hits of SERVICE)
PHRASE_HEADS = [
    # a compound's head ends a phrase after a modifier
    ("Vi planlegger et nytt aktivitetstilbud.", [("konkret_tilbud", "nytt aktivitetstilbud")]),
    ("Vi planlegg eit nytt aktivitetstilbod.", [("konkret_tilbud", "nytt aktivitetstilbod")]),
    ("Det nye aktivitetstilbudet på dagtid.", [("konkret_tilbud", "nye aktivitetstilbudet")]),
    ("Vi har ingen ledige deltidsstillinger.", [("konkret_tilbud", "ledige deltidsstillinger")]),
    ("Me har ingen ledige deltidsstillingar.", [("konkret_tilbud", "ledige deltidsstillingar")]),
    ("Gode rusteamerfaringar.", [("konkret_tilbud", "Gode rusteamerfaringar")]),
    ("Gode rusteamerfaringer.", [("konkret_tilbud", "Gode rusteamerfaringer")]),
    # after a preposition, a verb or a negation the phrase is an idiom: no head ends it
    ("Vi har fått det til på arbeidsplassen.", []),
    ("Me har fått det til på arbeidsplassen.", []),
    ("Vi har tatt stilling til det.", [("konkret_tilbud", "tatt stilling")]),
    ("Me har tatt ei sjukepleiarstilling.", []),
    ("Vi har ikke brukerråd.", []),
    ("Me har ikkje brukarråd.", []),
    # the words themselves, as before
    ("Vi har fått et nytt tilbud på plass.", [("konkret_tilbud", "nytt tilbud"), ("konkret_tilbud", "på plass")]),
    ("Me har ikkje råd.", [("konkret_tilbud", "ikkje råd")]),
]


@pytest.mark.parametrize(("text", "expected"), PHRASE_HEADS, ids=lambda v: v if isinstance(v, str) else None)
def test_a_compound_head_ends_a_phrase(text: str, expected: list[tuple[str, str]]) -> None:
    assert hits([SERVICE], text) == expected
    assert whole([SERVICE], text) == expected


@pytest.mark.parametrize("text", ["Vi planlegger et nytt aktivitetstilbud.", "Me har ingen ledige deltidsstillingar."])
def test_a_phrase_head_needs_compounds_on(text: str) -> None:
    assert hits([SERVICE_PLAIN], text) == []


CAFE = R("k", "kafe", ["kafe*", "idé", "økonomi*", "en stilling"])

# (answer, exact hits of CAFE)
ACCENTS = [
    # an accent in the answer is read as the plain letter
    ("Kaféen vår skal drives med folk med brukererfaring.", [("kafe", "Kaféen")]),
    ("Til kafétilbodet vårt.", [("kafe", "kafétilbodet")]),
    ("Vi har en kafè på huset.", [("kafe", "kafè")]),
    ("Ökonomien er trang.", [("kafe", "Ökonomien")]),
    ("Ökonomien er stram.", [("kafe", "Ökonomien")]),
    ("Vi har bare én stilling.", [("kafe", "én stilling")]),
    ("Me har berre éin stilling.", [("kafe", "éin stilling")]),  # "ein" has the lemma "en"
    ("Vi har en idé.", [("kafe", "idé")]),
]


@pytest.mark.parametrize(("text", "expected"), ACCENTS, ids=lambda v: v if isinstance(v, str) else None)
def test_an_accent_is_read_as_the_plain_letter(text: str, expected: list[tuple[str, str]]) -> None:
    assert hits([CAFE], text) == expected
    assert whole([CAFE], text) == expected


def test_an_accented_pattern_does_not_meet_the_plain_article() -> None:
    one = R("e", "en", ["én"])
    assert hits([one], "Vi har en stilling.") == []
    assert hits([one], "Vi har én stilling.") == [("en", "én")]


FEW = R("f", "usikkert_behov", ["brukere", "brukarar", "målgruppa", "målgruppen", "trenger", "treng"],
        negation="require")
MANY = R("m", "brukere", ["brukere", "brukarar", "målgruppa", "målgruppen", "trenger", "treng"],
         negation="forbid")

# (answer, exact hits of FEW + MANY)
QUANTIFIED_FEW = [
    # "få" after a verb of having or being, a degree word or a determiner is "few": a diminisher
    ("Vi har få brukere.", [("usikkert_behov", "brukere")]),
    ("Me har få brukarar.", [("usikkert_behov", "brukarar")]),
    ("Vi har svært få brukere med rusproblem.", [("usikkert_behov", "brukere")]),
    ("Det er veldig få brukarar her.", [("usikkert_behov", "brukarar")]),
    ("Vi har få i målgruppen, så det er usikkert.", [("usikkert_behov", "målgruppen")]),
    ("Vi har få i målgruppa, så det er usikkert.", [("usikkert_behov", "målgruppa")]),
    ("De få som trenger det, får det hos DPS.", [("usikkert_behov", "trenger")]),
    ("Dei få som treng det, får det hjå DPS.", [("usikkert_behov", "treng")]),
    # the verb "å få" negates nothing
    ("Vi vil få brukere med i planarbeidet.", [("brukere", "brukere")]),
    ("Me vil få brukarar med i planarbeidet.", [("brukere", "brukarar")]),
    ("Det er viktig å få brukere med.", [("brukere", "brukere")]),
    ("Me må få brukarar inn i tenesta.", [("brukere", "brukarar")]),
]


@pytest.mark.parametrize(("text", "expected"), QUANTIFIED_FEW, ids=lambda v: v if isinstance(v, str) else None)
def test_few_after_having_or_degree_is_a_diminisher(text: str, expected: list[tuple[str, str]]) -> None:
    assert hits([FEW, MANY], text) == expected
    assert whole([FEW, MANY], text) == expected
