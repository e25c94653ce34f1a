"""The workbench's JSON API through Starlette's TestClient, on a small project with hostile answers.

Every endpoint, the token rules (403 without it, header needed for changes), bad input (4xx with a
clear message and nothing written), version conflicts (409) and the hand-coding file the decisions
end up in, read back with the same reader ``fritekst code --hand`` uses.
"""

from __future__ import annotations

import shutil
import warnings
from pathlib import Path

import pytest

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # starlette's TestClient warns about httpx's future
    from starlette.testclient import TestClient

from fritekst.coding.codings_io import read_codings
from fritekst.coding.decisions import read_decisions, read_memos
from fritekst.web.app import TOKEN_HEADER, create_app
from fritekst.web.workspace import Workspace

DATA = Path(__file__).parent / "data" / "web"
TOKEN = "test-token-123"
H = {TOKEN_HEADER: TOKEN}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    shutil.copytree(DATA, tmp_path / "p")
    return tmp_path / "p" / "fritekst.toml"


@pytest.fixture
def workspace(project: Path) -> Workspace:
    return Workspace(project, "ane")


@pytest.fixture
def client(workspace: Workspace) -> TestClient:
    client = TestClient(create_app(workspace, TOKEN))
    assert client.get(f"/?token={TOKEN}").status_code == 200  # sets the cookie
    return client


def hand_file(project: Path) -> Path:
    return project.parent / "koding" / "ane.csv"


def decide(client: TestClient, **body: object) -> object:
    return client.post("/api/decisions", json={"question": "grunn", "expected": "", **body}, headers=H)


# --- token and headers ---------------------------------------------------------------------------

def test_no_token_is_403_everywhere(workspace: Workspace) -> None:
    client = TestClient(create_app(workspace, TOKEN))
    for url in ("/", "/api/project", "/api/answers?question=grunn", "/static/app.js", "/api/nothing"):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "token" in response.json()["error"]
    assert client.get("/?token=wrong").status_code == 403
    assert client.post("/api/decisions", json={}).status_code == 403


def test_token_moves_from_url_to_a_strict_httponly_cookie(workspace: Workspace) -> None:
    client = TestClient(create_app(workspace, TOKEN))
    first = client.get(f"/?token={TOKEN}", follow_redirects=False)
    assert first.status_code == 303 and first.headers["location"] == "/"
    cookie = first.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and TOKEN in cookie
    page = client.get("/")
    assert page.status_code == 200 and "token=" not in str(page.url)
    assert client.get("/api/project").status_code == 200


def test_security_headers_on_every_response(client: TestClient) -> None:
    for response in (client.get("/"), client.get("/api/project"), client.get("/static/app.js"),
                     TestClient(client.app).get("/api/project")):
        csp = response.headers["content-security-policy"]
        assert "default-src 'none'" in csp and "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"] == "no-referrer"


def test_changes_need_the_header_not_just_the_cookie(client: TestClient, project: Path) -> None:
    response = client.post("/api/decisions", json={"case_id": "0301", "question": "grunn",
                                                   "code_id": "okonomi", "action": "whole"})
    assert response.status_code == 403 and TOKEN_HEADER in response.json()["error"]
    assert not hand_file(project).exists()


def test_a_script_may_use_the_header_alone(workspace: Workspace) -> None:
    client = TestClient(create_app(workspace, TOKEN))
    assert client.get("/api/progress", headers=H).json()["coder"] == "ane"


# --- the page escapes everything -----------------------------------------------------------------

def test_page_escapes_the_title(client: TestClient) -> None:
    html = client.get("/").text
    assert "Workbench &lt;test&gt; &amp; &#34;prosjekt&#34;" in html
    assert "<test>" not in html
    assert "<script src=\"/static/app.js\"></script>" in html and html.count("<script") == 1
    # the page says the language its words are in (Norwegian by default), so a screen reader reads
    # them with the right pronunciation
    assert '<html lang="nb">' in html and ">Oversikt</button>" in html


def test_answers_are_returned_as_data(client: TestClient) -> None:
    body = client.get("/api/answers?question=grunn").json()
    texts = {a["case_id"]: a["text"] for a in body["answers"]}
    assert texts["1804"].startswith("<script>alert('xss')</script>")
    assert texts["5001"].startswith('"><img src=x onerror=')
    assert {a["case_id"]: a["attributes"]["fylke"] for a in body["answers"]}["5001"] == "<img src=x onerror=alert(1)>"


# --- answers and filters -------------------------------------------------------------------------

def test_answers_with_codings_chips_and_attributes(client: TestClient) -> None:
    body = client.get("/api/answers?question=grunn").json()
    assert body["total"] == 6
    first = next(a for a in body["answers"] if a["case_id"] == "0301")
    assert {c["code_id"] for c in first["chips"]} == {"okonomi", "ingen_stillinger"}
    assert all(c["state"] == "auto" for c in first["chips"])
    okonomi = next(s for s in first["spans"] if s["code_id"] == "okonomi")
    assert first["text"][okonomi["start"]:okonomi["end"]].lower().startswith("økonomi")
    assert first["attributes"] == {"aar": "2023", "fylke": "Oslo", "planer": "Nei"}


@pytest.mark.parametrize(("query", "expected"), [
    ("code=okonomi", {"0301", "4601", "1804"}),
    ("year=2022", {"1103", "3005"}),
    ("attr.fylke=Oslo", {"0301"}),
    ("status=uncoded", {"1103", "3005"}),
    ("q=ingen", {"0301", "1804"}),
    ("q=stilling%5Cw%2B&regex=1", {"0301", "5001"}),
    ("case_id=4601", {"4601"}),
])
def test_filters(client: TestClient, query: str, expected: set[str]) -> None:
    body = client.get(f"/api/answers?question=grunn&{query}").json()
    assert {a["case_id"] for a in body["answers"]} == expected
    assert body["total"] == len(expected)


def test_search_counts_hits_for_keyword_in_context(client: TestClient) -> None:
    body = client.get("/api/answers?question=grunn&q=ikke").json()
    assert body["n_hits"] == sum(len(a["hits"]) for a in body["answers"]) >= 4
    for answer in body["answers"]:
        for start, end in answer["hits"]:
            assert answer["text"][start:end].lower().startswith("ikke")


def test_status_filters_follow_decisions(client: TestClient) -> None:
    assert decide(client, case_id="0301", code_id="okonomi", action="reject").status_code == 200
    ids = lambda q: {a["case_id"] for a in client.get(f"/api/answers?question=grunn&{q}").json()["answers"]}
    assert ids("status=disagrees_hand") == {"0301"}
    assert "0301" in ids("status=auto")  # ingen_stillinger is still unreviewed
    assert decide(client, case_id="0301", code_id="ingen_stillinger", action="accept").status_code == 200
    assert "0301" not in ids("status=auto")
    assert "0301" not in ids("code=okonomi")


@pytest.mark.parametrize(("query", "message"), [
    ("question=nope", "question 'nope' is not in the project"),
    ("question=grunn&code=nope", "code 'nope' is not in codebook"),
    ("question=grunn&status=weird", "status 'weird' is unknown"),
    ("question=grunn&attr.nope=1", "attribute 'nope' is not in the corpus"),
    ("question=grunn&limit=0", "limit must be between 1 and 500"),
    ("question=grunn&offset=x", "offset must be a whole number"),
    ("question=grunn&q=(&regex=1", "is not a valid regular expression"),
])
def test_bad_answer_queries_are_400(client: TestClient, query: str, message: str) -> None:
    response = client.get(f"/api/answers?{query}")
    assert response.status_code == 400
    assert message in response.json()["error"]


# --- decisions -------------------------------------------------------------------------------------

def test_decisions_are_written_at_once_and_readable_by_code_hand(client: TestClient, project: Path,
                                                                 workspace: Workspace) -> None:
    accepted = decide(client, case_id="0301", code_id="okonomi", action="accept").json()
    assert accepted["decision"]["decision"] == "yes"
    assert next(c for c in accepted["answer"]["chips"] if c["code_id"] == "okonomi")["state"] == "accepted"
    assert decide(client, case_id="0301", code_id="ingen_stillinger", action="reject").status_code == 200
    assert decide(client, case_id="1103", code_id="ser_behov", action="whole", note="les «aktuelt»").status_code == 200
    span = decide(client, case_id="4601", code_id="ser_behov", action="span", start=3, end=14,
                  expected=None).json()
    assert span["decision"]["spans"] == [[3, 14]]
    code_ids = {"okonomi", "ingen_stillinger", "ser_behov", "hindringer"}
    rows = read_codings(hand_file(project), code_ids=code_ids, default_method="manual",
                        answers=workspace.corpus.answers)
    got = {(r.case_id, r.code_id, r.decision, int(r.start), int(r.end)) for r in rows.itertuples()}
    text_1103 = workspace.texts[("1103", "grunn")]
    assert got == {("0301", "okonomi", "yes", 12, 19), ("0301", "ingen_stillinger", "no", 0, 56),
                   ("1103", "ser_behov", "yes", 0, len(text_1103)), ("4601", "ser_behov", "yes", 3, 14)}
    saved = read_decisions(hand_file(project))
    assert saved[("1103", "grunn", "ser_behov")].note == "les «aktuelt»"
    assert all(d.coder == "ane" and d.decided_at.endswith("+00:00") for d in saved.values())


def test_clear_removes_a_decision(client: TestClient, project: Path) -> None:
    made = decide(client, case_id="0301", code_id="okonomi", action="reject").json()["decision"]
    cleared = decide(client, case_id="0301", code_id="okonomi", action="clear", expected=made["decided_at"])
    assert cleared.status_code == 200 and cleared.json()["decision"] is None
    assert read_decisions(hand_file(project)) == {}


def test_two_tabs_never_overwrite_each_other(client: TestClient, project: Path) -> None:
    assert decide(client, case_id="0301", code_id="okonomi", action="accept").status_code == 200
    stale = decide(client, case_id="0301", code_id="okonomi", action="reject")  # also against "none"
    assert stale.status_code == 409 and "changed elsewhere" in stale.json()["error"]
    assert read_decisions(hand_file(project))[("0301", "grunn", "okonomi")].decision == "yes"


@pytest.mark.parametrize(("body", "status", "message"), [
    ({"case_id": "9999", "code_id": "okonomi", "action": "whole"}, 400, "case '9999' has no answer"),
    ({"case_id": "0301", "code_id": "nope", "action": "whole"}, 400, "code 'nope' is not in codebook"),
    ({"case_id": "0301", "code_id": "okonomi", "action": "fly"}, 400, "action 'fly' is unknown"),
    ({"case_id": "0301", "code_id": "okonomi", "action": "span", "start": 5, "end": 500}, 400,
     "span 5..500 is outside the answer"),
    ({"case_id": "0301", "code_id": "okonomi", "action": "span", "start": "a", "end": 3}, 400,
     "whole-number start and end"),
    ({"case_id": "1103", "code_id": "okonomi", "action": "accept"}, 400, "no automatic coding"),
    ({"code_id": "okonomi", "action": "whole"}, 400, "case_id is missing"),
    ({"case_id": "0301", "code_id": "okonomi", "action": "note", "note": "x"}, 400, "decide on the code first"),
])
def test_bad_decisions_are_4xx_and_write_nothing(client: TestClient, project: Path, body: dict[str, object],
                                                 status: int, message: str) -> None:
    response = decide(client, **body)
    assert response.status_code == status
    assert message in response.json()["error"]
    assert not hand_file(project).exists()


def test_body_must_be_a_json_object(client: TestClient, project: Path) -> None:
    for content in (b"not json", b"[1, 2]"):
        response = client.post("/api/decisions", content=content, headers=H)
        assert response.status_code == 400 and "JSON" in response.json()["error"]
    assert not hand_file(project).exists()


def test_get_decisions_lists_them(client: TestClient) -> None:
    decide(client, case_id="0301", code_id="okonomi", action="reject")
    listed = client.get("/api/decisions").json()["decisions"]
    assert [(d["case_id"], d["code_id"], d["decision"]) for d in listed] == [("0301", "okonomi", "no")]


# --- memos -----------------------------------------------------------------------------------------

def test_memos_on_answers_and_codes(client: TestClient, project: Path) -> None:
    memo = client.post("/api/memos", json={"kind": "answer", "case_id": "1804", "question": "grunn",
                                           "memo": "<b>sjekk</b> dette", "expected": ""}, headers=H)
    assert memo.status_code == 200
    version = memo.json()["memo"]["updated_at"]
    assert client.post("/api/memos", json={"kind": "code", "code_id": "okonomi", "memo": "=penger"},
                       headers=H).status_code == 200
    stale = client.post("/api/memos", json={"kind": "answer", "case_id": "1804", "question": "grunn",
                                            "memo": "annet", "expected": ""}, headers=H)
    assert stale.status_code == 409
    saved = read_memos(project.parent / "koding" / "ane.memos.csv")
    assert saved[("answer", "1804", "grunn", "")].memo == "<b>sjekk</b> dette"
    assert saved[("answer", "1804", "grunn", "")].updated_at == version
    assert saved[("code", "", "", "okonomi")].memo == "=penger"  # formula guard undone on reading
    answer = client.get("/api/answers?question=grunn&case_id=1804").json()["answers"][0]
    assert answer["memo"]["memo"] == "<b>sjekk</b> dette"
    assert len(client.get("/api/memos").json()["memos"]) == 2


@pytest.mark.parametrize(("body", "message"), [
    ({"kind": "diary", "case_id": "1804", "question": "grunn", "memo": "x"}, "memo kind 'diary' is invalid"),
    ({"kind": "answer", "case_id": "1804", "question": "grunn", "memo": 3}, "memo must be text"),
    ({"kind": "answer", "case_id": "0000", "question": "grunn", "memo": "x"}, "has no answer"),
    ({"kind": "code", "code_id": "nope", "memo": "x"}, "code 'nope' is in no codebook"),
])
def test_bad_memos_are_400_and_write_nothing(client: TestClient, project: Path, body: dict[str, object],
                                             message: str) -> None:
    response = client.post("/api/memos", json=body, headers=H)
    assert response.status_code == 400 and message in response.json()["error"]
    assert not (project.parent / "koding").exists()


# --- the loop, overview, progress, agreement, export ---------------------------------------------

def test_recode_lets_hand_decisions_win_and_reports_the_change(client: TestClient) -> None:
    before = {(n["code_id"]): n["after"] for n in client.post("/api/recode", headers=H).json()["numbers"]}
    decide(client, case_id="0301", code_id="okonomi", action="reject")
    decide(client, case_id="1103", code_id="ser_behov", action="whole")
    result = client.post("/api/recode", headers=H).json()
    assert result["added"] == 1 and result["removed"] == 1
    assert {(c["change"], c["case_id"], c["code_id"]) for c in result["changes"]} == {
        ("removed", "0301", "okonomi"), ("added", "1103", "ser_behov")}
    after = {n["code_id"]: n for n in result["numbers"]}
    assert after["okonomi"]["after"] == before["okonomi"] - 1 and after["okonomi"]["changed"]
    assert after["ser_behov"]["after"] == before["ser_behov"] + 1


def test_recode_needs_the_header(client: TestClient) -> None:
    assert client.post("/api/recode").status_code == 403


def test_overview_counts_with_wilson_intervals(client: TestClient) -> None:
    body = client.get("/api/overview?question=grunn&by=fylke&year=2023").json()
    assert body["groups"] == ["<img src=x onerror=alert(1)>", "Nordland", "Oslo", "Vestland"] or \
        set(body["groups"]) == {"<img src=x onerror=alert(1)>", "Nordland", "Oslo", "Vestland"}
    okonomi = next(r for r in body["rows"] if r["code_id"] == "okonomi")
    oslo = okonomi["cells"]["Oslo"]
    assert oslo["n_coded"] == 1 and oslo["n_answered"] == 1 and oslo["pct"] == 1.0
    assert 0 < oslo["ci_low"] < 1 and oslo["ci_high"] == 1.0
    whole = client.get("/api/overview?question=grunn").json()
    assert whole["by"] == "alle" and whole["year"] == "alle"


def test_attributes_and_groupings_are_named_as_in_the_report(project: Path) -> None:
    # The filters showed "kommunestorrelse" and "planer ansette" where the report says
    # "kommunestørrelse" and "planer om å ansette" ([report] column_labels).
    text = project.read_text(encoding="utf-8")
    project.write_text(text + 'column_labels = { fylke = "fylke (2024)", planer = "planer om å ansette" }\n',
                       encoding="utf-8")
    client = TestClient(create_app(Workspace(project, "ane"), TOKEN))
    assert client.get(f"/?token={TOKEN}").status_code == 200
    labels = {a["column"]: a["label"] for a in client.get("/api/project").json()["attributes"]}
    assert labels["planer"] == "planer om å ansette" and labels["fylke"] == "fylke (2024)"
    overview = client.get("/api/overview?question=grunn&by=fylke").json()
    assert overview["by_label"] == "fylke (2024)" and overview["grouping_labels"] == {"fylke": "fylke (2024)"}


@pytest.mark.parametrize(("query", "message"), [
    ("question=nope", "question 'nope' is not in the project"),
    ("question=grunn&by=planer", "cannot split by 'planer'"),
    ("question=grunn&year=1990", "year '1990' has no answers"),
])
def test_bad_overview_queries(client: TestClient, query: str, message: str) -> None:
    response = client.get(f"/api/overview?{query}")
    assert response.status_code == 400 and message in response.json()["error"]


def test_progress_counts_reviewed_answers(client: TestClient) -> None:
    decide(client, case_id="0301", code_id="okonomi", action="accept")
    question = client.get("/api/progress").json()["questions"][0]
    assert (question["answers"], question["reviewed"]) == (6, 1)
    okonomi = next(c for c in question["codes"] if c["code_id"] == "okonomi")
    assert okonomi["automatic"] == 3 and okonomi["reviewed"] == 1


def test_agreement_between_two_coders(project: Path) -> None:
    first = TestClient(create_app(Workspace(project, "ane"), TOKEN), headers=H)
    for case_id, action in (("0301", "accept"), ("4601", "accept"), ("1804", "reject")):
        assert decide(first, case_id=case_id, code_id="okonomi", action=action).status_code == 200
    second = TestClient(create_app(Workspace(project, "ola"), TOKEN), headers=H)
    for case_id, action in (("0301", "accept"), ("4601", "reject"), ("1804", "reject")):
        assert decide(second, case_id=case_id, code_id="okonomi", action=action).status_code == 200
    body = second.get("/api/agreement?codebook=ansette").json()
    assert body["coders"] == ["ola", "ane"]
    okonomi = next(r for r in body["per_code"] if r["code_id"] == "okonomi")
    assert okonomi["n_answers"] == 3 and okonomi["percent_agreement"] == pytest.approx(200 / 3, abs=1e-4)
    assert [(d["case_id"], d["ola"], d["ane"]) for d in body["disagreements"]] == [("4601", "no", "yes")]
    disagreeing = second.get("/api/answers?question=grunn&status=disagrees_coder").json()["answers"]
    assert [a["case_id"] for a in disagreeing] == ["4601"]


def test_agreement_with_one_coder_says_so(client: TestClient) -> None:
    body = client.get("/api/agreement?codebook=ansette").json()
    assert body["per_code"] == [] and body["message"].startswith("bare én koder så langt")  # Norwegian, as the report
    assert client.get("/api/agreement?codebook=nope").status_code == 400


def test_suggest_without_a_classifier_lists_answers_with_no_theme(client: TestClient) -> None:
    decide(client, case_id="1103", code_id="ser_behov", action="whole")
    body = client.get("/api/suggest?codebook=ansette&n=5").json()
    assert [(s["case_id"], s["reason"]) for s in body["suggestions"]] == [("3005", "no theme")]
    assert client.get("/api/suggest?codebook=ansette&n=0").status_code == 400


def test_retrain_needs_enough_reviewed_answers(client: TestClient) -> None:
    import time

    started = client.post("/api/retrain", json={"codebook": "ansette"}, headers=H)
    assert started.status_code == 202
    job = started.json()
    for _ in range(100):
        job = client.get(f"/api/jobs/{job['id']}").json()
        if job["state"] != "running":
            break
        time.sleep(0.05)
    assert job["state"] == "failed" and "review at least 10" in job["error"]
    assert client.post("/api/retrain", json={"codebook": "nope"}, headers=H).status_code == 400
    assert client.get("/api/jobs/nope").status_code == 404


def test_export_refs_carries_notes_and_memos(client: TestClient) -> None:
    decide(client, case_id="0301", code_id="okonomi", action="accept", note="tydelig")
    client.post("/api/memos", json={"kind": "answer", "case_id": "0301", "question": "grunn",
                                    "memo": "god sitat"}, headers=H)
    client.post("/api/recode", headers=H)
    text = client.get("/api/export/refs.csv").content.decode("utf-8-sig")
    header, *rows = text.splitlines()
    assert header.endswith(",note,memo")
    okonomi = next(r for r in rows if r.startswith("0301,grunn,okonomi"))
    assert okonomi.endswith(",tydelig,god sitat")


def test_unknown_api_path_is_404(client: TestClient) -> None:
    response = client.get("/api/nothing/here")
    assert response.status_code == 404 and "no such endpoint" in response.json()["error"]


def test_quotes_can_be_pinned_and_banned(client: TestClient, project: Path) -> None:
    from fritekst.analysis.quote_choices import read_quote_choices

    quotes = client.get("/api/quotes?question=grunn").json()
    okonomi = [q for q in quotes["quotes"] if q["code_id"] == "okonomi"]
    assert okonomi and all(q["choice"] == "" for q in okonomi)
    banned_case = okonomi[0]["case_id"]
    after = client.post("/api/quotes", json={"question": "grunn", "code_id": "okonomi", "case_id": banned_case,
                                             "choice": "ban"}, headers=H).json()
    assert banned_case not in [q["case_id"] for q in after["quotes"] if q["code_id"] == "okonomi"]
    assert after["banned"] == [{"code_id": "okonomi", "case_id": banned_case, "choice": "ban"}]
    pinned = client.post("/api/quotes", json={"question": "grunn", "code_id": "ser_behov", "case_id": "4601",
                                              "choice": "pin"}, headers=H).json()
    assert next((q["case_id"], q["choice"]) for q in pinned["quotes"] if q["code_id"] == "ser_behov") == ("4601", "pin")
    saved = read_quote_choices(project.parent / "sitatvalg.csv")
    assert saved[["code_id", "case_id", "choice", "coder"]].values.tolist() == [
        ["okonomi", banned_case, "ban", "ane"], ["ser_behov", "4601", "pin", "ane"]]
    bad = client.post("/api/quotes", json={"question": "grunn", "code_id": "okonomi", "case_id": "4601",
                                           "choice": "love"}, headers=H)
    assert bad.status_code == 400 and "choice 'love' is invalid" in bad.json()["error"]
