"""Start-up: the overview and `check` import no heavy library (seconds of CPU a researcher pays per
command), checked in a fresh interpreter so no other test's imports count."""

from __future__ import annotations

import subprocess
from pathlib import Path

from click.testing import CliRunner

from conftest import modules_after
from fritekst.cli import COMMANDS, SHORT_HELP, main

REPO = Path(__file__).parent.parent
HEAVY = ("pandas", "numpy", "spacy", "sklearn", "scipy", "skops", "openpyxl")



def loaded_after(*args: str) -> tuple[subprocess.CompletedProcess[str], list[str]]:
    probe = modules_after(*args, timeout=120)
    loaded = probe.top_level(HEAVY) + (["simplemma dictionaries"] if probe.dictionaries_loaded else [])
    return probe.done, loaded


def test_help_imports_nothing_heavy() -> None:
    done, loaded = loaded_after("--help")
    assert "Commands:" in done.stdout and "report" in done.stdout
    assert loaded == []


def test_every_command_is_listed_with_its_own_short_help() -> None:
    assert set(SHORT_HELP) <= set(COMMANDS)
    result = CliRunner().invoke(main, ["--help"], env={"COLUMNS": "200"})
    for name in COMMANDS:
        line = next(x for x in result.output.splitlines() if x.strip().startswith(name + " "))
        if name in SHORT_HELP:
            assert line.split(None, 1)[1] == SHORT_HELP[name]
    # After a command is imported, its short help is the same line.
    assert main.get_command(None, "report").get_short_help_str(200) == SHORT_HELP["report"]  # type: ignore[arg-type]


def test_check_loads_no_spacy_or_dictionaries_once_the_language_copies_exist() -> None:
    # A codebook without a classifier (checking a model file needs scikit-learn, rightly).
    book = str(REPO / "tests" / "data" / "codebooks" / "gyldig.yaml")
    loaded_after("check", book)  # first use may build the compact copies and remember the patterns
    done, loaded = loaded_after("check", book)
    assert done.stdout.startswith(f"{book}: ok")
    # (pandas and scikit-learn: `check` now imports the classifier module to check model files.)
    assert [m for m in loaded if m in ("spacy", "simplemma dictionaries")] == []


def test_cold_code_imports_no_spacy_once_the_tokenizer_data_is_stored(tmp_path: Path) -> None:
    # The example has chunks the analyzer's shortcuts miss ("-Kommunen", "(mi)"): they go to the
    # plain-Python tokenizer over the stored data (language/tokenizer.py), not to spaCy.
    args = ("code", "--project", str(REPO / "fritekst.toml"), "--no-cache", "--out", str(tmp_path / "refs.csv"))
    loaded_after(*args)  # first use may build the compact copies and the tokenizer data
    done, loaded = loaded_after(*args)
    assert "kodingsreferanser" in done.stdout + done.stderr
    assert "spacy" not in loaded


def test_check_of_a_codebook_without_models_loads_no_pandas_or_sklearn() -> None:
    book = str(REPO / "tests" / "data" / "codebooks" / "gyldig.yaml")
    loaded_after("check", book)  # first use may build the compact copies
    done, loaded = loaded_after("check", book)
    assert done.stdout.startswith(f"{book}: ok")
    assert [m for m in loaded if m in ("pandas", "numpy", "spacy", "sklearn")] == []


def test_report_collects_garbage_less_often_and_puts_the_collector_back(monkeypatch) -> None:
    import gc

    from fritekst.cli import report as report_cli
    from fritekst.outputs import report as report_module

    seen: list[tuple[int, int]] = []
    real = report_module.make_report

    def spy(*args, **kwargs):  # type: ignore[no-untyped-def]
        seen.append((gc.get_threshold()[0], gc.get_freeze_count()))
        return real(*args, **kwargs)

    monkeypatch.setattr(report_module, "make_report", spy)
    before = gc.get_threshold()
    mini = REPO / "tests" / "data" / "report"
    result = CliRunner().invoke(main, ["report", "--project", str(mini / "fritekst.toml"),
                                       "--codings", str(mini / "refs.csv")])
    assert result.exit_code == 0, result.output
    assert len(seen) == 1
    assert seen[0][0] == report_cli.COLLECT_EVERY == 10_000 and seen[0][1] > 0  # frozen while it ran
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0  # and put back afterwards
