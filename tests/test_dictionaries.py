"""`fritekst import dictionary`: quanteda YAML, LIWC, WordStat, Lexicoder and Yoshikoder dictionaries
(quanteda's own test samples and two published dictionaries) to codebooks that code the corpus."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from fritekst.cli import main
from fritekst.rules.codebook import load_codebook

HERE = Path(__file__).parent
DICTS = HERE / "data" / "dictionaries"
CORPUS = HERE.parent / "corpus" / "svar.csv"


def run(*args: object) -> tuple[int, str, str]:
    # The import summaries are pinned here in English; test_lang.py checks them in Norwegian.
    english = ["--lang", "en"] if args and args[0] == "import" else []
    result = CliRunner().invoke(main, [str(a) for a in args] + english)
    return result.exit_code, result.stdout, result.stderr


def imported(tmp_path: Path, name: str, *options: str):
    out = tmp_path / (Path(name).name + ".yaml")
    code, stdout, stderr = run("import", "dictionary", DICTS / name, "--out", out, *options)
    assert code == 0, stderr
    return load_codebook(out), stdout


def keywords(book) -> dict[str, tuple[str | None, list[str]]]:
    return {code.id: (code.parent, [k for rule in code.rules for k in rule.keywords]) for code in book.codes}


@pytest.mark.parametrize("name", ["mary.dic", "mary.lc3", "mary.ykd"])
def test_quanteda_mary_samples(tmp_path: Path, name: str) -> None:
    book, stdout = imported(tmp_path, name)
    assert keywords(book) == {"a_category": (None, ["more", "lamb", "little"]),
                              "another_category": (None, ["had", "mary"])}
    assert all(rule.match == "exact" for code in book.codes for rule in code.rules)
    assert "2 codes, 2 rules, 5 patterns" in stdout


def test_quanteda_yaml_nested_and_own_entries(tmp_path: Path) -> None:
    book, _ = imported(tmp_path, "mary.yml")
    assert keywords(book) == {"a_category": (None, ["more", "lamb", "little"]),
                              "another": (None, ["category", "had", "mary"])}
    book, _ = imported(tmp_path, "newsmap2.yml")
    # The '' key holds a category's own entries next to its subcategories.
    assert keywords(book) == {"us": (None, ["washingon dc"]), "ma": ("us", ["boston"]),
                              "ca": ("us", ["sacramento"]), "jp": (None, ["tokyo"])}
    book, _ = imported(tmp_path, "newsmap.yml")
    assert keywords(book)["cd"] == ("africa", ["コンゴ民主共和国"])


def test_wordstat_hierarchy_phrases_and_wildcards(tmp_path: Path) -> None:
    book, _ = imported(tmp_path, "issue-459.cat")
    found = keywords(book)
    assert found["south"] == (None, [])
    assert found["za"] == ("south", ["south africa", "s african", "sa", "south african*", "s african*",
                                     "cape town", "johannesburg"])
    book, stdout = imported(tmp_path, "laver_garry_2000.cat")  # CRLF, three levels, "_" phrases
    found = keywords(book)
    assert found["culture"] == (None, ["people", "war in iraq", "civil war"])
    assert found["culture_high"][0] == "culture" and "museum*" in found["culture_high"][1]
    assert "26 codes, 20 rules, 418 patterns" in stdout


def test_liwc_entry_in_several_categories(tmp_path: Path) -> None:
    book, _ = imported(tmp_path, "moral_foundations.dic")
    found = keywords(book)
    assert len(book.codes) == 11
    assert [code for code, (_, words) in found.items() if "preserve" in words] == [
        "harmvirtue", "authorityvirtue", "purityvirtue"]
    assert "fair-*" in found["fairnessvirtue"][1]


def test_what_cannot_be_mapped_is_listed(tmp_path: Path) -> None:
    path = tmp_path / "rare.yml"
    path.write_text("Rare:\n  - w?rd\n  - wo*rd\n  - '(02 134)like'\n  - ok*\n  - '...'\n", encoding="utf-8")
    out = tmp_path / "rare.yaml"
    code, stdout, _ = run("import", "dictionary", path, "--out", out)
    assert code == 0
    assert stdout.splitlines()[1:5] == [
        "Not carried over (4, listed at the top of " + str(out) + "):",
        "  Rare: 'w?rd': '?' (any one character) has no fritekst equivalent",
        "  Rare: 'wo*rd': a '*' inside a word has no fritekst equivalent (only at the start or end)",
        "  Rare: '(02 134)like': conditional entries (LIWC's parentheses) have no fritekst equivalent",
    ]
    assert keywords(load_codebook(out)) == {"rare": (None, ["ok*"])}
    assert "# Not carried over (4):" in out.read_text(encoding="utf-8")


def test_not_a_dictionary_is_one_error_line(tmp_path: Path) -> None:
    path = tmp_path / "x.dic"
    path.write_text("just words\n", encoding="utf-8")
    code, stdout, stderr = run("import", "dictionary", path, "--out", tmp_path / "x.yaml")
    assert (code, stdout) == (2, "")
    assert "a LIWC dictionary starts with a '%' line" in stderr and len(stderr.strip().splitlines()) == 1


def test_all_five_formats_code_the_shipped_corpus_the_same(tmp_path: Path) -> None:
    from fritekst.coding.coder import code_corpus
    from fritekst.sources.corpus import load_corpus

    corpus = load_corpus(CORPUS, "case_id", ["grunn_nei", "grunn_ja"])
    results = {}
    for suffix in ("yml", "dic", "cat", "lc3", "ykd"):
        book, _ = imported(tmp_path, f"nb/sample.{suffix}")
        codings = code_corpus(corpus, [book])
        results[suffix] = sorted(map(tuple, codings[["case_id", "question", "code_id", "start", "end"]].values.tolist()))
    assert len(results["yml"]) > 50  # the shipped answers talk about money and vacancies a lot
    assert {code for _, _, code, _, _ in results["yml"]} == {"penger", "tilskudd", "rekruttering"}
    assert all(found == results["yml"] for found in results.values())
    # The published (English) dictionaries run on the Norwegian corpus too.
    for name in ("moral_foundations.dic", "laver_garry_2000.cat", "issue-459.cat", "mary.lc3", "mary.ykd"):
        book, _ = imported(tmp_path, name)
        code_corpus(corpus, [book])
