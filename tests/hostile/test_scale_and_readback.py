"""Issue 8 items 7, 8 and 9: our own refs.csv reads back, messages leak nothing, spill runs past 64."""

from __future__ import annotations

from pathlib import Path

import pytest

from fritekst.coding import stream
from fritekst.coding.codings_io import read_codings
from fritekst.sources.corpus import load_corpus

from .harness import DATA, assert_clean_refusal, make_project, run_checked

CODE = ["code", "svar.csv", "--codebook", "kodebok.yaml", "--id-column", "kommunenr", "--text-column", "grunn"]


# --- 7: reading back our own output ---------------------------------------------------------------
@pytest.mark.parametrize("case_id", ["+4790", "-12", "=1+1", "@home", "'=x", "'plain"])
def test_refs_csv_with_formula_like_ids_reads_back(tmp_path: Path, case_id: str) -> None:
    make_project(tmp_path, hand=False)
    corpus = (tmp_path / "svar.csv").read_text(encoding="utf-8")
    (tmp_path / "svar.csv").write_text(corpus.replace("0301,", f'"{case_id}",', 1), encoding="utf-8")
    outcome = run_checked([*CODE, "--out", "refs.csv"], tmp_path)
    assert outcome.result.exit_code == 0, outcome.result.output
    refs = read_codings(tmp_path / "refs.csv")
    assert case_id in set(refs["case_id"])
    answers = load_corpus(tmp_path / "svar.csv", "kommunenr", ["grunn"]).answers
    again = read_codings(tmp_path / "refs.csv", answers=answers)  # spans and coded text match the corpus
    assert len(again) == len(refs)
    assert again[["case_id", "start", "end"]].values.tolist() == refs[["case_id", "start", "end"]].values.tolist()


# --- 8: leaks --------------------------------------------------------------------------------------
SECRET = "root:$6$Vh3qSeCrEt$abcdefgh:19000:0:99999:7:::"


@pytest.mark.parametrize("name", ["shadow", "shadow.csv"])
def test_a_foreign_file_as_hand_codings_is_described_not_echoed(tmp_path: Path, name: str) -> None:
    make_project(tmp_path, hand=False)
    (tmp_path / name).write_text(SECRET + "\ndaemon:*:19000:0:99999:7:::\n", encoding="utf-8")
    toml = (tmp_path / "fritekst.toml").read_text(encoding="utf-8")
    (tmp_path / "fritekst.toml").write_text(toml + f'\n[coding]\nhand_codings = ["{name}"]\n', encoding="utf-8")
    outcome = run_checked(["code", "--out", "refs.csv"], tmp_path)
    assert_clean_refusal(outcome, f"{name}:1:", "does not look like a header")
    assert "SeCrEt" not in outcome.result.output and "root" not in outcome.result.output


def test_messages_never_name_internal_classes(tmp_path: Path) -> None:
    make_project(tmp_path, hand=False)
    book = (tmp_path / "kodebok.yaml").read_text(encoding="utf-8")
    (tmp_path / "kodebok.yaml").write_text(book.replace("title: Ansettelse (test)", "title: [Ansettelse]", 1), encoding="utf-8")
    outcome = run_checked(["check", "kodebok.yaml"], tmp_path)
    assert outcome.result.exit_code == 2
    assert "'title' must be text, not a list" in outcome.result.stderr
    for internal in ("LineList", "LineDict", "NoneType", "builtins"):
        assert internal not in outcome.result.output


# --- 9: scale ---------------------------------------------------------------------------------------
def test_more_than_64_spill_runs_merge_into_the_same_refs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rows = ["kommunenr,grunn"] + [f"{i:04d},\"{'Vi har ikke økonomi' if i % 3 else 'Vi ser behovet'} {i}\""
                                  for i in range(300, 0, -1)]
    source = tmp_path / "svar.csv"
    source.write_text("\n".join(rows) + "\n", encoding="utf-8")
    from fritekst.coding.coder import code_corpus
    from fritekst.coding.refs import write_refs_csv
    from fritekst.rules.codebook import load_codebook

    codebook = load_codebook(DATA / "project" / "kodebok.yaml")
    corpus = load_corpus(source, "kommunenr", ["grunn"])
    write_refs_csv(tmp_path / "memory.csv", code_corpus(corpus, [codebook]), corpus, [codebook])

    written: list[str] = []
    original = stream._RunSpiller._write_run

    def spy(self: stream._RunSpiller, blocks: object) -> Path:
        path = original(self, blocks)  # type: ignore[arg-type]
        written.append(path.name)
        return path

    monkeypatch.setattr(stream, "RUN_CASES", 2)
    monkeypatch.setattr(stream._RunSpiller, "_write_run", spy)
    stream.code_csv_streaming(source, [codebook], "kommunenr", ["grunn"], tmp_path / "streamed.csv", chunk_size=2)
    assert len(written) > 2 * stream.MAX_MERGE_FANIN  # 150 runs, then merge rounds
    assert len(set(written)) == len(written)  # no run was ever written over another
    assert (tmp_path / "streamed.csv").read_bytes() == (tmp_path / "memory.csv").read_bytes()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_check_reports_a_missing_model_file(tmp_path: Path) -> None:
    make_project(tmp_path, hand=False)
    book = (tmp_path / "kodebok.yaml").read_text(encoding="utf-8")
    (tmp_path / "kodebok.yaml").write_text(book.replace("codes:", "classifier: borte.skops\ncodes:", 1),
                                           encoding="utf-8")
    outcome = run_checked(["check", "kodebok.yaml"], tmp_path)
    assert_clean_refusal(outcome, "borte.skops: model file not found")
