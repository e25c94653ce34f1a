"""The workbench in a real browser: Playwright for Python driving Debian's chromium.

Nothing is downloaded: the system browser at /usr/bin/chromium is used, and these tests skip (with the
reason) where it or Playwright is missing. Servers run on a free port on 127.0.0.1, in-process in a
thread for the small hostile-answer project, and as a real ``fritekst serve`` subprocess for the
"Done when" test on a copy of the shipped example, which ends with ``kill -9``.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from fritekst.coding.codings_io import read_codings
from fritekst.coding.decisions import read_decisions, read_memos

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).parent / "data" / "web"

sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed")
if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} not found: install Debian's chromium to run the browser tests",
                allow_module_level=True)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM))
        yield browser
        browser.close()


@pytest.fixture
def small_server(tmp_path: Path) -> Iterator[str]:
    """The hostile test project served in-process in English; yields the URL with the token."""
    yield from _serve_small(tmp_path, "en")


@pytest.fixture
def small_server_nb(tmp_path: Path) -> Iterator[str]:
    """The same, in the project's own language (none set: Norwegian, as the report)."""
    yield from _serve_small(tmp_path, None)


def _serve_small(tmp_path: Path, lang: str | None) -> Iterator[str]:
    shutil.copytree(DATA, tmp_path / "p")
    yield from serve_in_thread(tmp_path / "p" / "fritekst.toml", lang)


def serve_in_thread(project: Path, lang: str | None) -> Iterator[str]:
    """Serve ``project`` in-process for coder ``ane``; yields the URL with the token."""
    import uvicorn

    from fritekst.web.app import create_app
    from fritekst.web.workspace import Workspace

    workspace = Workspace(project, "ane", lang=lang)
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    server = uvicorn.Server(uvicorn.Config(create_app(workspace, "tok"), log_level="warning", access_log=False))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    yield f"http://127.0.0.1:{sock.getsockname()[1]}/?token=tok"
    server.should_exit = True
    thread.join(5)


def open_page(browser: object, url: str, width: int = 1400) -> tuple[object, list[str], list[str]]:
    page = browser.new_page(viewport={"width": width, "height": 900})  # type: ignore[attr-defined]
    page.set_default_timeout(20_000)
    console: list[str] = []
    dialogs: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    page.on("pageerror", lambda error: console.append(str(error)))

    def dismiss(dialog: object) -> None:
        dialogs.append(dialog.message)  # type: ignore[attr-defined]
        dialog.dismiss()  # type: ignore[attr-defined]
    page.on("dialog", dismiss)
    page.goto(url)
    page.wait_for_selector("#grid li.answer")
    return page, console, dialogs


def test_hostile_answers_are_shown_as_text(browser: object, small_server: str) -> None:
    page, console, dialogs = open_page(browser, small_server)
    assert "token=" not in page.url  # moved into the cookie
    script_answer = page.locator('#grid li[data-case="1804"] .text')
    assert script_answer.text_content() == "<script>alert('xss')</script> Ingen midler."
    img_answer = page.locator('#grid li[data-case="5001"]')
    assert img_answer.locator(".text").text_content().startswith('"><img src=x onerror=alert(document.cookie)>')
    assert "<img src=x onerror=alert(1)>" in img_answer.locator(".meta").text_content()
    assert page.locator("#title").text_content() == 'Workbench <test> & "prosjekt"'
    page.locator('#grid li[data-case="4601"] .chip[data-code="ser_behov"]').wait_for()
    assert "Ser behov <img src=x onerror=alert(2)>" in page.locator('#grid li[data-case="4601"] .chips').text_content()
    assert page.locator("#grid img, #grid script").count() == 0
    page.locator('#grid li[data-case="1804"] details.memo summary').click()
    page.locator('#grid li[data-case="1804"] textarea').fill("<img src=x onerror=alert(3)>")
    page.locator('#grid li[data-case="1804"] .save-memo').click()
    page.locator('#grid li[data-case="1804"] details.memo[open] summary:text("Memo ✎")').wait_for()
    assert page.locator('#grid li[data-case="1804"] textarea').input_value() == "<img src=x onerror=alert(3)>"
    page.locator("#f-search").fill("<script>")
    page.locator("#f-count:text('1 answer · 1 hit')").wait_for()
    assert page.locator("#kwic .kw").text_content() == "<script>"
    page.wait_for_timeout(200)
    assert dialogs == []
    assert not [m for m in console if "Content Security Policy" in m or "Error" in m], console
    page.close()


def test_keyboard_moves_codes_rejects_and_shows_help(browser: object, small_server: str, tmp_path: Path) -> None:
    page, console, _ = open_page(browser, small_server)
    page.keyboard.press("?")
    assert page.locator("#help").is_visible()
    page.keyboard.press("Escape")
    assert not page.locator("#help").is_visible()
    first = page.locator("#grid li.answer").nth(0)
    assert "current" in first.get_attribute("class")
    page.keyboard.press("j")
    second = page.locator("#grid li.answer").nth(1)
    assert "current" in second.get_attribute("class")
    case_id = second.get_attribute("data-case")
    page.keyboard.press("2")  # okonomi, the codebook's second code: accept its automatic coding
    page.locator(f'#grid li[data-case="{case_id}"] .chip[data-code="okonomi"][data-state="accepted"]').wait_for()
    page.keyboard.press("Shift+4")  # ser_behov: reject
    page.locator(f'#grid li[data-case="{case_id}"] .chip[data-code="ser_behov"]'
                 ':is([data-state="rejected"], [data-state="absent"])').wait_for()
    page.keyboard.press("k")
    page.keyboard.press("m")
    assert page.evaluate("document.activeElement.tagName") == "TEXTAREA"
    page.keyboard.press("Escape")
    page.locator("#progress:text('1 of 6 reviewed')").wait_for()
    saved = read_decisions(tmp_path / "p" / "koding" / "ane.csv")
    assert {(k[0], k[2]): d.decision for k, d in saved.items()} == {(case_id, "okonomi"): "yes",
                                                                   (case_id, "ser_behov"): "no"}
    assert not [m for m in console if "Error" in m], console
    page.close()


def test_filters_and_the_overview_click_through(browser: object, small_server: str) -> None:
    page, _, _ = open_page(browser, small_server, width=800)
    page.locator('input[name="status"][value="uncoded"]').check()
    page.locator("#f-count:text('2 answers')").wait_for()
    page.locator('input[name="status"][value="uncoded"]').uncheck()
    page.locator("#f-regex").check()
    page.locator("#f-search").fill("stilling\\w+")
    page.locator("#f-count:text('2 answers · 2 hits')").wait_for()
    page.locator('#tabs button[data-view="overview"]').click()
    page.locator("#view-overview select").nth(1).select_option("fylke")
    page.locator("table.freq th:text('Oslo')").wait_for()
    column = page.evaluate("[...document.querySelectorAll('table.freq tr:first-child th')].findIndex(th => th.textContent === 'Oslo')")
    cell = page.locator("table.freq tr", has_text="Økonomi").locator("td").nth(column - 1)
    assert cell.locator("b").text_content() == "1"
    cell.click()
    page.locator("#view-grid").wait_for()
    assert page.locator("#f-code").input_value() == "okonomi"
    page.locator("#f-count:text('1 answer')").wait_for()
    assert [li.get_attribute("data-case") for li in page.locator("#grid li.answer").all()] == ["0301"]
    page.close()


# --- the "Done when" ---------------------------------------------------------------------

def serve_subprocess(project: Path) -> tuple[subprocess.Popen[str], str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", "")}
    process = subprocess.Popen(
        [sys.executable, "-c", "from fritekst.cli import main; main()", "serve", "--project", str(project),
         "--coder", "ane", "--no-browser"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    assert process.stdout is not None
    line = process.stdout.readline()
    match = re.fullmatch(r"http://127\.0\.0\.1:(\d+)/\?token=([\w-]+)\n", line)
    if match is None:
        process.kill()
        raise AssertionError(f"serve printed {line!r}; stderr: {process.stderr.read() if process.stderr else ''}")
    return process, line.strip()


def drag_select(page: object, locator: object) -> str:
    """Select part of the answer's first line with the mouse, as a person does; return the selection."""
    locator.scroll_into_view_if_needed()  # type: ignore[attr-defined]
    box = locator.bounding_box()  # type: ignore[attr-defined]
    y = box["y"] + 10
    page.mouse.move(box["x"] + 3, y)  # type: ignore[attr-defined]
    page.mouse.down()  # type: ignore[attr-defined]
    page.mouse.move(box["x"] + min(box["width"] - 5, 160), y, steps=5)  # type: ignore[attr-defined]
    page.mouse.up()  # type: ignore[attr-defined]
    return str(page.evaluate("window.getSelection().toString()")).strip()  # type: ignore[attr-defined]


def test_a_memo_is_saved_when_the_researcher_moves_on_without_the_button(browser: object, small_server: str,
                                                                        tmp_path: Path) -> None:
    # Typing a memo and then changing a filter drew the grid again and the memo was gone.
    page, console, dialogs = open_page(browser, small_server)
    answer = page.locator('#grid li[data-case="0301"]')
    answer.locator("details.memo summary").click()
    answer.locator("textarea").fill("Nevner budsjett indirekte")
    page.locator("#f-search").click()  # leaves the memo field: no Save button pressed
    page.locator('#grid li[data-case="0301"] details.memo[open] summary:text("Memo ✎")').wait_for()
    page.locator("#f-search").fill("midler")
    page.locator("#f-search").fill("")
    page.locator('#grid li[data-case="0301"] details.memo[open] summary:text("Memo ✎")').wait_for()
    assert page.locator('#grid li[data-case="0301"] textarea').input_value() == "Nevner budsjett indirekte"
    memos = read_memos(tmp_path / "p" / "koding" / "ane.memos.csv")
    assert [(m.kind, m.case_id, m.memo) for m in memos.values()] == [("answer", "0301", "Nevner budsjett indirekte")]
    assert dialogs == [] and not [m for m in console if "Error" in m], console
    page.close()


def test_done_when_review_code_memo_recode_and_kill(browser: object, tmp_path: Path) -> None:
    for name in ("fritekst.toml", "corpus", "codebooks"):
        source = ROOT / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, tmp_path / name)
    project = tmp_path / "fritekst.toml"
    process, url = serve_subprocess(project)
    try:
        page, console, _ = open_page(browser, url)
        page.locator("#f-question").select_option("grunn_nei")
        page.locator("#f-count:text('506 svar')").wait_for()  # Norwegian, as the shipped project's report
        page.locator('#grid li[data-case="2019-0118"]').wait_for()
        chips = page.evaluate("""[...document.querySelectorAll('#grid .chip[data-state="auto"]')].map(c =>
            [c.closest('li').dataset.case, c.dataset.code, c.closest('li').querySelectorAll('.chip').length])""")
        targets = chips[:20]
        expected: dict[tuple[str, str], str] = {}
        delta: dict[str, int] = {}
        rejected_per_answer: dict[str, int] = {}
        for n, (case_id, code_id, n_chips) in enumerate(targets):
            action, state = ("accept", "accepted") if n < 15 else ("reject", "rejected")
            chip = page.locator(f'#grid li[data-case="{case_id}"] .chip[data-code="{code_id}"]')
            chip.locator(f'button[data-action="{action}"]').click()
            page.locator(f'#grid li[data-case="{case_id}"] .chip[data-code="{code_id}"][data-state="{state}"]').wait_for()
            expected[(case_id, code_id)] = "yes" if action == "accept" else "no"
            if action == "reject":
                delta[code_id] = delta.get(code_id, 0) - 1
                rejected_per_answer[case_id] = rejected_per_answer.get(case_id, 0) + 1
        chip_counts = {case_id: n_chips for case_id, _, n_chips in targets}
        lost_all = sum(1 for case_id, n in rejected_per_answer.items() if n == chip_counts[case_id])

        # three spans, selected with the mouse in answers no rule coded, coded with "rekruttering"
        page.locator('input[name="status"][value="uncoded"]').check()
        page.locator("#f-count:text-matches('^[0-9]+ svar$')").wait_for()
        sync_api.expect(page.locator('#grid li.answer .chip[data-state="auto"]')).to_have_count(0)
        long_ones = page.evaluate("""(reviewed) => [...document.querySelectorAll('#grid li.answer')]
            .filter(li => li.querySelector('.text').textContent.length > 30 && !reviewed.includes(li.dataset.case))
            .slice(0, 3).map(li => li.dataset.case)""", [t[0] for t in targets])
        # the shipped rules leave few long answers uncoded; fewer than three would make the delta below wrong
        assert len(long_ones) == 3, long_ones
        spans: dict[str, str] = {}
        for case_id in long_ones:
            text = page.locator(f'#grid li[data-case="{case_id}"] .text')
            spans[case_id] = drag_select(page, text)
            assert spans[case_id]
            page.locator('#menu button[data-code="rekruttering"]').click()
            page.locator(f'#grid li[data-case="{case_id}"] .chip[data-code="rekruttering"][data-state="added"]').wait_for()
            expected[(case_id, "rekruttering")] = "yes"
        delta["rekruttering"] = delta.get("rekruttering", 0) + 3
        delta["_ingen_tema"] = lost_all - 3

        # a memo on the first span-coded answer
        memo_case = long_ones[0]
        answer = page.locator(f'#grid li[data-case="{memo_case}"]')
        answer.locator("details.memo summary").click()
        answer.locator("textarea").fill("Rekruttering nevnt indirekte; drøft med Ola.")
        answer.locator(".save-memo").click()
        page.locator(f'#grid li[data-case="{memo_case}"] details.memo summary:text("Notat ✎")').wait_for()
        assert page.locator("#progress").text_content().endswith("av 506 gjennomgått")

        # re-code and see the report's numbers change by exactly what was decided
        page.locator('#tabs button[data-view="loop"]').click()
        page.locator("#recode").click()
        page.locator("#recode-result .summary").wait_for(timeout=60_000)
        shown = {}
        for row in page.locator("#recode-result tr[data-question='grunn_nei']").all():
            code_id = row.get_attribute("data-code")
            shown[code_id] = int(row.locator(".after").text_content()) - int(row.locator(".before").text_content())
        assert shown == {code: d for code, d in delta.items() if d}
        assert not [m for m in console if "Error" in m], console
        page.close()
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(10)

    hand = tmp_path / "koding" / "ane.csv"
    saved = read_decisions(hand)
    assert {(k[0], k[2]): d.decision for k, d in saved.items()} == expected
    assert len([d for d in saved.values() if d.decision == "yes"]) == 18
    for case_id in spans:
        decision = saved[(case_id, "grunn_nei", "rekruttering")]
        assert len(decision.spans) == 1 and decision.spans[0] is not None
    rows = read_codings(hand, default_method="manual")  # the reader `fritekst code --hand` uses
    coded = {r.case_id: r.coded_text for r in rows.itertuples() if r.code_id == "rekruttering"}
    assert {c: coded[c] for c in spans} == spans
    memos = read_memos(tmp_path / "koding" / "ane.memos.csv")
    assert [(m.kind, m.case_id, m.memo) for m in memos.values()] == [
        ("answer", memo_case, "Rekruttering nevnt indirekte; drøft med Ola.")]


def test_two_tabs_never_overwrite_each_other(browser: object, small_server: str, tmp_path: Path) -> None:
    first, _, _ = open_page(browser, small_server)
    second, _, _ = open_page(browser, small_server)  # loaded before the first tab decides: stale
    chip = '#grid li[data-case="0301"] .chip[data-code="okonomi"]'
    first.locator(f'{chip} button[data-action="accept"]').click()
    first.locator(f'{chip}[data-state="accepted"]').wait_for()
    second.locator(f'{chip} button[data-action="reject"]').click()
    second.locator("#toast.bad:has-text('changed elsewhere')").wait_for()
    second.locator(f'{chip}[data-state="accepted"]').wait_for()  # it reloaded the answer
    saved = read_decisions(tmp_path / "p" / "koding" / "ane.csv")
    assert {k[2]: d.decision for k, d in saved.items()} == {"okonomi": "yes"}
    first.close()
    second.close()


def _english_only_texts() -> list[str]:
    """The workbench's English words that differ from their Norwegian (long enough not to be a name)."""
    from fritekst.outputs.texts_workbench import WORKBENCH_TEXTS

    return [en.split("{")[0].strip() for nb, en in WORKBENCH_TEXTS.values()
            if nb != en and len(en.split("{")[0].strip()) >= 8]


def test_the_page_speaks_norwegian_by_default(browser: object, small_server_nb: str) -> None:
    page, console, _ = open_page(browser, small_server_nb)
    assert page.evaluate("document.documentElement.lang") == "nb"
    page.locator("#progress:text('0 av 6 gjennomgått')").wait_for()
    assert re.fullmatch(r"\d+ svar", page.locator("#f-count").text_content())
    assert page.locator('#tabs button[data-view="grid"]').text_content() == "Koding"
    chip = page.locator('#grid .chip[data-state="auto"]').first
    assert chip.get_attribute("title").startswith("automatisk")
    assert chip.locator('button[data-action="accept"]').get_attribute("title") == "godta"
    page.locator('#tabs button[data-view="overview"]').click()
    page.locator("table.freq th:text('Kode')").wait_for()
    cells = page.locator("table.freq td.cell").all_text_contents()
    # "38 %" and its interval "29–47 %", as the report writes them
    assert cells and all(re.fullmatch(r"\d+ \d+ %\d+–\d+ %", c) for c in cells if c), cells
    title = page.locator("table.freq td.cell").first.get_attribute("title")
    assert re.fullmatch(r"\d+ av \d+ som svarte; 95 % KI \d+–\d+ %\. Klikk for svarene\.", title), title
    page.locator('#tabs button[data-view="loop"]').click()
    page.locator("#recode:text('Omkod nå')").wait_for()
    page.locator("#recode").click()
    page.locator("#recode-result .summary").wait_for(timeout=60_000)
    assert re.fullmatch(r"\d+ kodinger lagt til, \d+ fjernet\.", page.locator("#recode-result .summary").text_content())
    page.locator('#tabs button[data-view="agreement"]').click()
    page.locator("#view-agreement p:text-matches('^bare én koder')").wait_for()
    page.locator('#tabs button[data-view="grid"]').click()
    text = page.evaluate("document.body.innerText")
    assert [t for t in _english_only_texts() if t in text] == []
    assert not [m for m in console if "Error" in m], console
    page.close()


def test_the_page_in_english_uses_points_and_no_norwegian(browser: object, small_server: str) -> None:
    page, _, _ = open_page(browser, small_server)
    assert page.evaluate("document.documentElement.lang") == "en"
    page.locator('#tabs button[data-view="overview"]').click()
    page.locator("table.freq th:text('Code')").wait_for()
    cells = [c for c in page.locator("table.freq td.cell").all_text_contents() if c]
    assert cells and all(re.fullmatch(r"\d+ \d+%\d+–\d+%", c) for c in cells), cells
    page.close()


# --- the researcher's loop where typed work could be lost -----------------------------------------

#: Holds back the answer to every POST /api/memos by 700 ms, as a slow disk would (in the page, before its script).
SLOW_MEMO_SAVES = """const plain = window.fetch; window.fetch = async (url, options) => { const response = await plain(url, options);
  if (String(url).includes("/api/memos") && options && options.method === "POST") await new Promise((r) => setTimeout(r, 700));
  return response; };"""


def test_a_save_that_returns_after_the_grid_changed_draws_no_row_over_another(browser: object, small_server: str,
                                                                              tmp_path: Path) -> None:
    # Leaving a memo field for the code filter saves the memo and draws the filtered grid; when the
    # save came back last, it wrote its answer (0301) over the first row of the new grid.
    page = browser.new_page(viewport={"width": 1400, "height": 900})  # type: ignore[attr-defined]
    page.set_default_timeout(20_000)
    page.add_init_script(SLOW_MEMO_SAVES)
    page.goto(small_server)
    answer = page.locator('#grid li[data-case="0301"]')
    answer.locator("details.memo summary").click()
    answer.locator("textarea").fill("Budsjett nevnt")
    page.locator("#f-code").focus()  # as a click on the list does: the memo field is left
    page.locator("#f-code").select_option("ser_behov")
    page.locator("#f-count:text('1 answer')").wait_for()
    page.locator("#toast:has-text('0301')").wait_for()  # the memo's save came back
    assert [li.get_attribute("data-case") for li in page.locator("#grid li.answer").all()] == ["4601"]
    memos = read_memos(tmp_path / "p" / "koding" / "ane.memos.csv")
    assert [(m.case_id, m.memo) for m in memos.values()] == [("0301", "Budsjett nevnt")]
    page.close()


def test_a_memo_saved_in_another_tab_first_keeps_both_texts(browser: object, small_server: str, tmp_path: Path) -> None:
    # The second tab's typed memo was replaced by the first tab's on the 409, and lost.
    first, _, _ = open_page(browser, small_server)
    second, _, _ = open_page(browser, small_server)
    for page, text in ((first, "Fra fane A"), (second, "Fra fane B")):
        answer = page.locator('#grid li[data-case="4601"]')
        answer.locator("details.memo summary").click()
        answer.locator("textarea").fill(text)
        answer.locator(".save-memo").click()
    second.locator("#toast.bad:has-text('ane.memos.csv: the answer memo was changed elsewhere')").wait_for()
    area = second.locator('#grid li[data-case="4601"] textarea')
    sync_api.expect(area).to_have_value("Fra fane A\nFra fane B")
    memos_file = tmp_path / "p" / "koding" / "ane.memos.csv"
    assert [m.memo for m in read_memos(memos_file).values()] == ["Fra fane A"]  # nothing overwritten unseen
    second.locator('#grid li[data-case="4601"] .save-memo').click()
    second.locator("#toast:not(.bad)").wait_for()
    assert [m.memo for m in read_memos(memos_file).values()] == ["Fra fane A\nFra fane B"]
    first.close()
    second.close()


def test_reloading_with_an_unsaved_memo_asks_first(browser: object, small_server: str) -> None:
    # The typed memo was gone after a reload, without a word.
    page, _, dialogs = open_page(browser, small_server)
    answer = page.locator('#grid li[data-case="0301"]')
    answer.locator("details.memo summary").click()
    answer.locator("textarea").fill("Halvskrevet")
    with pytest.raises(sync_api.TimeoutError):
        page.reload(timeout=3000)  # type: ignore[attr-defined]  # the question is dismissed: no reload
    assert dialogs == [""]  # the browser's own "leave the page?" question
    assert answer.locator("textarea").input_value() == "Halvskrevet"
    answer.locator(".save-memo").click()
    page.locator("#toast:not(.bad)").wait_for()  # type: ignore[attr-defined]
    page.reload()  # type: ignore[attr-defined]  # saved: no question
    page.locator('#grid li[data-case="0301"] details.memo[open]').wait_for()  # type: ignore[attr-defined]
    assert dialogs == [""]
    assert page.locator('#grid li[data-case="0301"] textarea').input_value() == "Halvskrevet"  # type: ignore[attr-defined]
    page.close()  # type: ignore[attr-defined]


def test_j_past_the_last_loaded_answer_loads_the_next_ones(browser: object, tmp_path: Path) -> None:
    shutil.copytree(DATA, tmp_path / "p")
    with open(tmp_path / "p" / "svar.csv", "a", encoding="utf-8") as handle:
        handle.writelines(f"{9000 + n},2023,Oslo,Nei,Svar nummer {n} om budsjett.\n" for n in range(50))
    server = serve_in_thread(tmp_path / "p" / "fritekst.toml", "en")
    url = next(server)
    page, console, _ = open_page(browser, url)
    assert page.locator("#grid li.answer").count() == 50
    page.locator("#grid li.answer").nth(49).click()
    page.keyboard.press("j")
    page.locator('#grid li.answer.current[data-i="50"]').wait_for()
    assert page.locator("#grid li.answer").count() == 56
    assert not [m for m in console if "Error" in m], console
    page.close()
    next(server, None)


def test_shift_7_on_a_norwegian_keyboard_rejects_code_7(browser: object, tmp_path: Path) -> None:
    # On a Norwegian keyboard Shift+7 types "/", and the page took it for the search key.
    shutil.copytree(DATA, tmp_path / "p")
    with open(tmp_path / "p" / "kodebok.yaml", "a", encoding="utf-8") as handle:
        handle.writelines(f"  - id: ekstra{n}\n    label: Ekstra {n}\n" for n in (5, 6, 7))
    server = serve_in_thread(tmp_path / "p" / "fritekst.toml", "en")
    page, console, _ = open_page(browser, next(server))
    page.locator('#grid li[data-case="0301"]').click()
    press = "document.dispatchEvent(new KeyboardEvent('keydown', {key: '%s', code: '%s', shiftKey: %s, bubbles: true}))"
    page.evaluate(press % ("/", "Digit7", "true"))  # Shift+7 on a Norwegian keyboard
    page.locator('#grid li[data-case="0301"] .chip[data-code="ekstra7"][data-state="absent"]').wait_for()
    assert page.evaluate("document.activeElement.id") != "f-search"
    page.evaluate(press % ("/", "NumpadDivide", "false"))  # the keypad's /
    assert page.evaluate("document.activeElement.id") == "f-search"
    assert {k[2]: d.decision for k, d in read_decisions(tmp_path / "p" / "koding" / "ane.csv").items()} == {"ekstra7": "no"}
    assert not [m for m in console if "Error" in m], console
    page.close()
    next(server, None)


def test_a_filter_that_matches_nothing_says_so_in_the_grid(browser: object, small_server_nb: str) -> None:
    # The grid went blank with only "0 svar" in the sidebar.
    page, console, _ = open_page(browser, small_server_nb)
    page.locator("#f-search").fill("finnesikke")
    page.locator("#f-count:text('0 svar · 0 treff')").wait_for()
    assert page.locator("#grid li").all_text_contents() == ["Ingen svar passer til filtrene; endre eller fjern et filter."]
    page.keyboard.press("j")  # in the search field: typed, not a move
    page.locator("#f-search").fill("")
    page.locator("#f-count:text('6 svar')").wait_for()
    assert page.locator("#grid li.none").count() == 0
    assert not [m for m in console if "Error" in m], console
    page.close()


def test_esc_in_the_search_field_clears_the_search_and_the_grid_follows(browser: object, small_server_nb: str) -> None:
    # Chromium clears a search field on Esc without an input event: the field was empty while the
    # grid stayed filtered by the old words ("1 svar · 1 treff" beside an empty search).
    page, console, _ = open_page(browser, small_server_nb)
    page.locator("#f-search").fill("midler")
    page.locator("#f-count:text('1 svar · 1 treff')").wait_for()
    page.keyboard.press("Escape")
    page.locator("#f-count:text('6 svar')").wait_for()
    assert page.locator("#f-search").input_value() == ""
    assert page.locator("#grid li.answer").count() == 6
    assert not [m for m in console if "Error" in m], console
    page.close()
