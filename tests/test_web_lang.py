"""The workbench speaks the report's language: Norwegian by default, English with ``--lang en`` (or
``[report] lang = "en"``), from the one text catalogue; the page's ``lang`` attribute says which.

The page is read through Starlette's TestClient (its HTML with lxml, the script's words from
``/api/project``); the command's wiring through the real ``fritekst serve`` with the server's
blocking run replaced, so the app it would serve can be asked. The browser test is in
tests/test_web_browser.py.
"""

from __future__ import annotations

import ast
import re
import shutil
import string
import warnings
from pathlib import Path
from typing import Any

import pytest
from lxml import html as lxml_html

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # starlette's TestClient warns about httpx's future
    from starlette.testclient import TestClient

from fritekst.outputs import texts as texts_module
from fritekst.outputs.texts import LANGUAGES, TEXTS, texts_for
from fritekst.outputs.texts_workbench import WORKBENCH_TEXTS
from fritekst.web import grid
from fritekst.web.app import create_app
from fritekst.web.workspace import Workspace

DATA = Path(__file__).parent / "data" / "web"
SCRIPT = Path(texts_module.__file__).parents[1] / "web" / "static" / "app.js"
TEMPLATE = Path(texts_module.__file__).parents[1] / "web" / "templates" / "index.html"
TOKEN = "tok"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    shutil.copytree(DATA, tmp_path / "p")
    return tmp_path / "p" / "fritekst.toml"


def _client(workspace: Workspace) -> TestClient:
    client = TestClient(create_app(workspace, TOKEN))
    assert client.get(f"/?token={TOKEN}").status_code == 200
    return client


def _page_words(page: str) -> str:
    """The page's visible text and its titles, labels and placeholders, one space between words."""
    tree = lxml_html.fromstring(page)
    attributes = " ".join(v for e in tree.iter() if isinstance(e.tag, str)
                          for k, v in e.attrib.items() if k in ("title", "aria-label", "placeholder"))
    return " ".join((tree.text_content() + " " + attributes).split())


@pytest.mark.parametrize(("lang", "expected", "other"), [
    (None, "nb", "en"),  # no --lang and no [report] lang: Norwegian, as the report
    ("nb", "nb", "en"),
    ("en", "en", "nb"),
])
def test_the_page_speaks_one_language_and_says_which(project: Path, lang: str | None, expected: str,
                                                     other: str) -> None:
    client = _client(Workspace(project, "ane", lang=lang))
    page = client.get("/").text
    assert re.search(r'<html lang="([a-z]+)">', page).group(1) == expected  # type: ignore[union-attr]
    words = _page_words(page)
    tr = texts_for(expected)
    for key in ("web_tab_grid", "web_show_only", "web_status_disagrees_coder", "web_key_digit", "web_saved_to"):
        assert tr(key) in words, key
    # nothing of the other language: every template word of the page whose two versions differ
    keys = set(re.findall(r"tr\('(\w+)'\)", TEMPLATE.read_text(encoding="utf-8")))
    keys |= {f"web_status_{s}" for s in grid.STATUSES}
    index = LANGUAGES.index(other)
    leaked = [TEXTS[k][index] for k in sorted(keys) if TEXTS[k][0] != TEXTS[k][1] and TEXTS[k][index] in words]
    assert leaked == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_script_gets_the_catalogue_in_the_page_language(project: Path, lang: str) -> None:
    body = _client(Workspace(project, "ane", lang=lang)).get("/api/project").json()
    assert body["lang"] == lang
    assert body["texts"] == {key: texts_for(lang)(key) for key in TEXTS}
    assert body["texts"]["web_n_answers"] == {"nb": "{n} svar", "en": "{n} answers"}[lang]


def test_the_project_language_is_the_default(project: Path) -> None:
    project.write_text(project.read_text(encoding="utf-8").replace(
        '[report]\n', '[report]\nlang = "en"\n'), encoding="utf-8")
    assert Workspace(project, "ane").lang == "en"
    assert Workspace(project, "ane", lang="nb").lang == "nb"  # --lang wins


@pytest.mark.parametrize(("lang", "message"), [
    ("nb", "bare én koder så langt: enighet krever en annen koders fil i koding/ (fritekst serve --coder NAVN)"),
    ("en", "only one coder so far: agreement needs a second coder's file in koding/ (fritekst serve --coder NAME)"),
])
def test_what_the_server_says_in_words_is_in_the_page_language(project: Path, lang: str, message: str) -> None:
    client = _client(Workspace(project, "ane", lang=lang))
    assert client.get("/api/agreement?codebook=ansette").json()["message"] == message
    # the report behind the overview speaks it too: its "no theme" row is the report's own label
    rows = client.get("/api/overview?question=grunn").json()["rows"]
    assert rows[-1]["label"] == texts_for(lang)("no_theme_label")
    # errors stay English in both (they are looked up by code in docs/errors.md)
    error = client.get("/api/overview?question=nope").json()["error"]
    assert error == "question 'nope' is not in the project"


def _script_keys() -> set[str]:
    """Every catalogue key the page's script asks for: literal ``t("key")`` and ``plural("key", n)``,
    and the keys it builds from a state, an action or a quote choice."""
    script = SCRIPT.read_text(encoding="utf-8")
    keys = set(re.findall(r'\bt\("(\w+)"', script)) | set(re.findall(r'"(web_\w+)"', script))
    keys |= {k + suffix for k in re.findall(r'\bplural\("(\w+)"', script) for suffix in ("", "_one")}
    built = re.findall(r"\bt\(`(\w+)\$\{", script)
    assert sorted(set(built)) == ["web_done_", "web_quote_", "web_state_"], built
    keys |= {f"web_state_{s}" for s in ("auto", "accepted", "added", "rejected", "absent", "other")}
    keys |= {f"web_done_{a}" for a in ("accept", "reject", "whole", "span", "clear")}
    keys |= {f"web_quote_{c}" for c in ("pin", "ban", "clear")}
    return keys


def test_every_key_the_page_asks_for_is_in_the_catalogue() -> None:
    template_keys = set(re.findall(r"tr\('(\w+)'\)", TEMPLATE.read_text(encoding="utf-8")))
    asked = _script_keys() | template_keys | {f"web_status_{s}" for s in grid.STATUSES}
    assert len(asked) > 100
    assert sorted(asked - TEXTS.keys()) == []
    # and every workbench word is used somewhere (an unused one is a label nobody updates)
    assert sorted(WORKBENCH_TEXTS.keys() - asked - {"web_model_session", "web_one_coder", "web_job_collecting",
                                                    "web_job_training", "web_job_evaluating"}) == []


def test_the_workbench_words_are_a_part_of_the_one_catalogue() -> None:
    # A key defined in both places would have one of its texts silently replaced.
    source = Path(texts_module.__file__).read_text(encoding="utf-8")
    assigned = next(node for node in ast.walk(ast.parse(source))
                    if isinstance(node, ast.AnnAssign) and getattr(node.target, "id", "") == "TEXTS")
    report_keys = {key.value for key in assigned.value.keys}  # type: ignore[union-attr]
    assert report_keys & WORKBENCH_TEXTS.keys() == set()
    assert TEXTS.keys() == report_keys | WORKBENCH_TEXTS.keys()


def _plain_fields(template: str) -> list[Any]:
    return [(name, conversion, spec) for _, name, spec, conversion in string.Formatter().parse(template)
            if name is not None and (conversion or spec or not name.isidentifier())]


@pytest.mark.parametrize("key", sorted(_script_keys() & TEXTS.keys()))
def test_what_the_script_fills_uses_plain_fields(key: str) -> None:
    # The script fills {name} itself; {x!r} or {n:.1f} would reach the reader as they are.
    assert [_plain_fields(text) for text in TEXTS[key]] == [[], []]


def test_serve_builds_the_page_in_the_language_asked(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn
    from click.testing import CliRunner

    from fritekst.cli import main

    served: list[Any] = []
    monkeypatch.setattr(uvicorn.Server, "run", lambda self, sockets=None: served.append(self.config.app))
    for lang, loading in ((None, "Laster"), ("en", "Loading")):
        args = ["serve", "--project", str(project), "--no-browser", "--coder", "ane"] + (["--lang", lang] if lang else [])
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 0, result.output
        assert result.output.startswith(loading)
        url = result.stdout.strip()  # the one line on stdout
        token = url.rsplit("token=", 1)[1]
        page = TestClient(served[-1]).get(f"/?token={token}").text
        assert f'<html lang="{lang or "nb"}">' in page


# --- docs/workbench.md names the page's labels as the page shows them ---------------------------------

DOC = Path(__file__).parents[1] / "docs" / "workbench.md"
#: ``*Norsk*`` or ``**Norsk**``, then the English label in brackets: ``*Omkod nå* (Re-code now)``.
DOC_LABEL = re.compile(r"\*{1,2}([^*()]+?)\*{1,2}\s+\(([^()]+)\)")
#: Keys the page builds from a prefix (``tr('web_status_' ~ status)``, ``t(`web_state_${...}`)``).
BUILT_KEYS = ("web_status_", "web_state_")


def test_the_workbench_doc_quotes_the_norwegian_labels_with_the_english_in_brackets() -> None:
    # The doc described the English labels after the page had become Norwegian by default.
    squeeze = lambda text: re.sub(r"\s+", " ", text).strip().casefold()  # noqa: E731
    page = SCRIPT.read_text(encoding="utf-8") + TEMPLATE.read_text(encoding="utf-8")
    keys: dict[tuple[str, str], list[str]] = {}  # one label may have several keys ("godtatt")
    for key, (nb, en) in TEXTS.items():
        keys.setdefault((squeeze(nb), squeeze(en)), []).append(key)
    quoted = [(squeeze(nb), squeeze(en)) for nb, en in DOC_LABEL.findall(DOC.read_text(encoding="utf-8"))]
    assert len(quoted) >= 40
    assert [pair for pair in quoted if pair not in keys] == []
    shown = [pair for pair in quoted if any(key.startswith(BUILT_KEYS) or re.search(rf"""["']{key}["']""", page)
                                            for key in keys[pair])]
    assert shown == quoted
