"""The codings cache's hygiene: the corpus file's permissions (and group) on every folder and file,
kept in line when the corpus's change, and entries that read back exactly what was written,
including codings of the whole answer (blank spans)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pandas as pd
import pytest

from conftest import invoke
from fritekst.cli import main
from fritekst.coding import cache as codings_cache
from fritekst.coding import coder
from fritekst.coding.cache import cache_dir, entry_key, read_entry, write_entry
from fritekst.coding.frame import codings_frame
from fritekst.sources.project import load_project

def _modes(project: Path) -> tuple[set[int], set[int]]:
    """(modes of .fritekst and .fritekst/cache, modes of the cache files)."""
    folder = cache_dir(project.parent)
    folders = {stat.S_IMODE(p.stat().st_mode) for p in (folder.parent, folder)}
    return folders, {stat.S_IMODE(p.stat().st_mode) for p in folder.iterdir()}


def _code(project: Path) -> None:
    result = invoke(main, "code", "--project", project, "--out", project.parent / "refs_ut.csv")
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("corpus_mode, folder_mode", [(0o600, 0o700), (0o640, 0o750), (0o644, 0o755),
                                                      (0o660, 0o770), (0o400, 0o700)])
def test_the_cache_gets_the_corpus_permissions(project: Path, corpus_mode: int, folder_mode: int) -> None:
    os.chmod(project.parent / "svar.csv", corpus_mode)
    _code(project)
    file_mode = corpus_mode | 0o600  # the owner must be able to rewrite an entry
    assert _modes(project) == ({folder_mode}, {file_mode})
    assert len(list(cache_dir(project.parent).iterdir())) == 3  # no temporary file left behind


def test_a_tighter_corpus_tightens_the_cache_on_the_next_run(project: Path, monkeypatch) -> None:
    corpus = project.parent / "svar.csv"
    os.chmod(corpus, 0o644)
    _code(project)
    assert _modes(project) == ({0o755}, {0o644})
    os.chmod(corpus, 0o600)  # the researcher locks the answers away; nothing else changed
    monkeypatch.setattr(coder, "code_corpus", lambda *a, **k: pytest.fail("coded again on a cache hit"))
    _code(project)
    assert _modes(project) == ({0o700}, {0o600})


def test_the_cache_gets_the_corpus_group(project: Path) -> None:
    corpus = project.parent / "svar.csv"
    other = next((g for g in range(1, 70000) if g != os.getgid() and _may_chown(corpus, g)), None)
    if other is None:
        pytest.skip("this user cannot give a file another group")
    os.chmod(corpus, 0o640)
    _code(project)
    folder = cache_dir(project.parent)
    paths = [folder.parent, folder, *folder.iterdir()]
    assert {p.stat().st_gid for p in paths} == {other}
    assert _modes(project) == ({0o750}, {0o640})


def _may_chown(path: Path, group: int) -> bool:
    try:
        os.chown(path, -1, group)
    except OSError:
        return False
    return True


def _frame(rows: list[tuple[object, ...]]) -> pd.DataFrame:
    return codings_frame(rows)


WHOLE_ANSWER = [("0301", "grunn_nei", "okonomi", None, None, "classifier", "NA", 0.8125),
                ("0301", "grunn_nei", "okonomi", 3, 9, "keyword", "okonomi_1", 1.0),
                ("0402", "grunn_nei", "tid", 0, 4, "keyword", "", 1.0)]


def test_an_entry_with_blank_spans_reads_back_as_written(tmp_path: Path) -> None:
    corpus = tmp_path / "svar.csv"
    corpus.write_text("case_id\n", encoding="utf-8")
    written = _frame(WHOLE_ANSWER)
    assert written["start"].isna().sum() == 1
    write_entry(tmp_path, "grunn_nei", None, "ab" * 32, written, corpus)
    found = read_entry(tmp_path, "grunn_nei", None, "ab" * 32)
    assert found is not None  # was always a miss: a blank span cell cannot be read as int64
    pd.testing.assert_frame_equal(found, written)
    assert found["rule_id"].tolist() == ["NA", "okonomi_1", ""]  # text cells stay as written


def test_a_run_hits_an_entry_whose_codings_have_blank_spans(project: Path, monkeypatch) -> None:
    loaded = load_project(project)
    first, _, coded = coder.code_project(loaded, cache=True, hand_codings=False)
    assert not coded.empty
    # The entry of grunn_nei gains a coding of the whole answer, stored under the same key.
    spec, question = loaded.corpus_spec, loaded.questions[1]
    assert question.column == "grunn_nei"
    key = entry_key(codings_cache.file_digest(spec.path),
                    (spec.id_column, spec.encoding, spec.sep, spec.sheet, spec.year_column), question.column,
                    [loaded.codebook_paths[question.codebook]], None)
    case_id = coded[coded["question"] == "grunn_nei"]["case_id"].iloc[0]
    entry = read_entry(loaded.root, "grunn_nei", None, key)
    assert entry is not None
    whole = _frame([(case_id, "grunn_nei", "ser_behov", None, None, "classifier", "mini_clf", 0.9)])
    stored = codings_frame(pd.concat([entry, whole], ignore_index=True).itertuples(index=False, name=None))
    write_entry(loaded.root, "grunn_nei", None, key, stored, spec.path)
    monkeypatch.setattr(coder, "code_corpus", lambda *a, **k: pytest.fail("coded again on a cache hit"))
    _, _, again = coder.code_project(loaded, cache=True, hand_codings=False)
    row = again[(again["case_id"] == case_id) & (again["code_id"] == "ser_behov") & again["start"].isna()]
    assert len(row) == 1 and row["start"].isna().all() and row["end"].isna().all()
    assert len(again) == len(coded) + 1
