"""The workbench's web application: the page, its static files and the JSON API under ``/api/``.

Security, because the answers are sensitive health-service data:

* every request needs the per-run token, first as ``?token=`` in the URL the CLI prints, which the
  server moves into an HttpOnly, SameSite=Strict cookie (and redirects to strip it from the URL),
  then from that cookie or the ``X-Fritekst-Token`` header; anything else gets 403;
* state-changing requests (POST) need the token in the ``X-Fritekst-Token`` header, which another
  site's page cannot set, so a cookie alone never changes anything (no cross-site request forgery);
* every response carries a Content-Security-Policy that allows only this server ('self', no inline
  script), ``X-Content-Type-Options: nosniff``, ``Referrer-Policy: no-referrer`` and no caching;
* the page is rendered by Jinja2 with autoescaping and the script builds the DOM with
  ``textContent``, so answers, labels, memos and attributes are shown as text, never run.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import secrets
import traceback
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..coding.decisions import annotate_refs
from ..coding.refs import refs_frame
from ..sources.tables import csv_cell
from ..errors import ConflictError, FritekstError, InputError
from ..outputs.report import column_label
from ..outputs.texts import TEXTS, texts_for
from ..sources.tables import safe_cell
from . import grid, loop
from . import overview as overview_view
from .workspace import Workspace

HERE = Path(__file__).parent
TOKEN_HEADER = "X-Fritekst-Token"
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "font-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
SECURITY_HEADERS = [(b"content-security-policy", CSP.encode()), (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"no-referrer"), (b"x-frame-options", b"DENY"),
                    (b"cache-control", b"no-store")]
SAFE_METHODS = ("GET", "HEAD")
#: Attributes with more distinct values than this are shown but not offered as a filter list.
MAX_FILTER_VALUES = 60


def new_token() -> str:
    """A random per-run token (URL-safe, 192 bits)."""
    return secrets.token_urlsafe(24)


def cookie_name(token: str) -> str:
    """The cookie's name, distinct per run so two servers on one machine do not clash."""
    return "fritekst_" + hashlib.sha256(token.encode()).hexdigest()[:10]


class TokenGuard:
    """ASGI middleware: the token check and the security headers on every response."""

    def __init__(self, app: ASGIApp, token: str) -> None:
        self.app = app
        self.token = token
        self.cookie = cookie_name(token)

    def _is_token(self, value: str | None) -> bool:
        return value is not None and secrets.compare_digest(value.encode(), self.token.encode())

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = list(message.get("headers", [])) + SECURITY_HEADERS
            await send(message)

        request = Request(scope)
        header = request.headers.get(TOKEN_HEADER)
        in_url = request.query_params.get("token")
        response: Response | None = None
        if in_url is not None and request.method == "GET" and scope["path"] == "/":
            if self._is_token(in_url):
                response = RedirectResponse("/", status_code=303)
                response.set_cookie(self.cookie, self.token, httponly=True, samesite="strict", path="/")
            else:
                response = _forbidden("the token in the URL is wrong; use the URL fritekst serve printed")
        elif not (self._is_token(request.cookies.get(self.cookie)) or self._is_token(header)):
            response = _forbidden("no valid token; open the URL fritekst serve printed (it ends in ?token=…), "
                                  f"or send the {TOKEN_HEADER} header")
        elif request.method not in SAFE_METHODS and not self._is_token(header):
            response = _forbidden(f"changes need the {TOKEN_HEADER} header with the token")
        if response is not None:
            await response(scope, receive, send_with_headers)
            return
        await self.app(scope, receive, send_with_headers)


def _forbidden(message: str) -> Response:
    return JSONResponse({"error": message}, status_code=403)


def _error(message: str, status: int = 400, **extra: Any) -> JSONResponse:
    return JSONResponse({"error": message, **extra}, status_code=status)


async def _body(request: Request) -> dict[str, Any]:
    raw = await request.body()
    try:
        body = json.loads(raw or b"{}")
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise InputError("the request body is not JSON; send a JSON object", code="E111") from None
    if not isinstance(body, dict):
        raise InputError("the request body must be a JSON object", code="E111")
    return body


def create_app(workspace: Workspace, token: str) -> ASGIApp:
    """The Starlette application for ``workspace``, guarded by ``token``."""
    templates = Environment(loader=FileSystemLoader(HERE / "templates"),
                            autoescape=select_autoescape(default=True, default_for_string=True))
    jobs = loop.Jobs()

    def guarded(handler: Any) -> Any:
        """Turn library errors into 400 (409 for version conflicts) with the one-line message."""
        async def endpoint(request: Request) -> Response:
            try:
                return await handler(request)
            except ConflictError as exc:
                return _error(str(exc), 409)
            except FritekstError as exc:
                return _error(str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
            except OSError as exc:  # a file another program holds or removed (sitatvalg.csv open in Excel)
                where = f"{exc.filename}: " if exc.filename else ""
                return _error(f"{where}cannot read or write ({exc.strerror or exc}); close it in any other "
                              "program and try again", 500)
            except Exception as exc:  # noqa: BLE001 - the page shows one line; the terminal has the rest
                traceback.print_exc()
                return _error(f"internal error ({type(exc).__name__}: {exc}); nothing more was changed; the "
                              "terminal running fritekst serve shows the details", 500)
        return endpoint

    tr = texts_for(workspace.lang)

    async def index(request: Request) -> Response:
        page = templates.get_template("index.html").render(
            title=workspace.project.title, coder=workspace.coder, token=token,
            hand_file=str(workspace.hand_path), lang=tr.lang, tr=tr, statuses=grid.STATUSES)
        return HTMLResponse(page)

    async def project(request: Request) -> Response:
        return JSONResponse(project_info(workspace))

    async def answers(request: Request) -> Response:
        params = dict(request.query_params)
        return JSONResponse(await run_in_threadpool(grid.answers, workspace, params))

    async def decisions(request: Request) -> Response:
        if request.method == "GET":
            return JSONResponse({"decisions": [d.as_dict() for d in workspace.store.decisions().values()]})
        body = await _body(request)
        return JSONResponse(await run_in_threadpool(grid.record, workspace, body))

    async def memos(request: Request) -> Response:
        if request.method == "GET":
            return JSONResponse({"memos": [m.as_dict() for m in workspace.store.memos().values()]})
        body = await _body(request)
        return JSONResponse(await run_in_threadpool(workspace.memo, body))

    async def recode(request: Request) -> Response:
        return JSONResponse(await run_in_threadpool(loop.recode, workspace))

    async def retrain(request: Request) -> Response:
        body = await _body(request)
        name = body.get("codebook")
        if not isinstance(name, str):
            raise InputError("codebook is missing; send the project's name of a codebook", code="E111")
        loop.codebook_questions(workspace, name)  # unknown names fail now, not in the thread
        job = jobs.start("retrain", lambda job: loop.retrain(workspace, name, job))
        return JSONResponse(job.as_dict(), status_code=202)

    async def job(request: Request) -> Response:
        found = jobs.get(request.path_params["job_id"])
        if found is None:
            return _error("no such job; start one with POST /api/retrain", 404)
        return JSONResponse(found.as_dict())

    async def suggest(request: Request) -> Response:
        name = request.query_params.get("codebook") or next(iter(workspace.codebooks))
        n = request.query_params.get("n") or "10"
        if not n.isdigit() or not 1 <= int(n) <= 200:
            raise InputError(f"n must be a whole number from 1 to 200, got {n!r}", code="E111")
        loop.codebook_questions(workspace, name)
        return JSONResponse(await run_in_threadpool(loop.suggest, workspace, name, int(n)))

    async def overview(request: Request) -> Response:
        q = request.query_params
        return JSONResponse(await run_in_threadpool(overview_view.overview, workspace, q.get("question") or "",
                                                    q.get("by") or "", q.get("year") or ""))

    async def agreement(request: Request) -> Response:
        name = request.query_params.get("codebook") or next(iter(workspace.codebooks))
        loop.codebook_questions(workspace, name)
        return JSONResponse(await run_in_threadpool(loop.agreement_view, workspace, name))

    async def quotes(request: Request) -> Response:
        if request.method == "GET":
            question = request.query_params.get("question") or workspace.project.questions[0].column
            return JSONResponse(await run_in_threadpool(overview_view.quotes, workspace, question))
        body = await _body(request)
        return JSONResponse(await run_in_threadpool(overview_view.choose_quote, workspace, body))

    async def progress(request: Request) -> Response:
        return JSONResponse({"coder": workspace.coder, "questions": await run_in_threadpool(overview_view.progress, workspace)})

    async def export_refs(request: Request) -> Response:
        data = await run_in_threadpool(refs_with_memos, workspace)
        return Response(data, media_type="text/csv; charset=utf-8",
                        headers={"content-disposition": f'attachment; filename="refs-{workspace.coder}.csv"'})

    async def not_found(request: Request) -> Response:
        return _error(f"no such endpoint: {request.method} {request.url.path}", 404)

    routes = [
        Route("/", index),
        Route("/api/project", guarded(project)),
        Route("/api/answers", guarded(answers)),
        Route("/api/decisions", guarded(decisions), methods=["GET", "POST"]),
        Route("/api/memos", guarded(memos), methods=["GET", "POST"]),
        Route("/api/recode", guarded(recode), methods=["POST"]),
        Route("/api/retrain", guarded(retrain), methods=["POST"]),
        Route("/api/jobs/{job_id}", guarded(job)),
        Route("/api/suggest", guarded(suggest)),
        Route("/api/overview", guarded(overview)),
        Route("/api/agreement", guarded(agreement)),
        Route("/api/progress", guarded(progress)),
        Route("/api/quotes", guarded(quotes), methods=["GET", "POST"]),
        Route("/api/export/refs.csv", guarded(export_refs)),
        Route("/api/{rest:path}", not_found, methods=["GET", "POST", "PUT", "PATCH", "DELETE"]),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    app = Starlette(routes=routes, max_body_size=1_000_000)
    return TokenGuard(app, token)


def project_info(workspace: Workspace) -> dict[str, Any]:
    """What the page needs to draw itself: questions, codebooks with codes, attributes, the coder."""
    corpus = workspace.corpus
    attributes = []
    for column in corpus.attributes:
        values = sorted({str(v) for v in corpus.cases[column].dropna() if str(v)})
        attributes.append({"column": column, "label": column_label(column, workspace.project),
                           "values": values if len(values) <= MAX_FILTER_VALUES else []})
    codebooks = {}
    for name, codebook in workspace.codebooks.items():
        codebooks[name] = {"id": codebook.id, "codes": [
            {"id": c.id, "label": c.label, "path": codebook.code_path(c.id), "colour": c.colour,
             "description": getattr(c, "description", "") or ""} for c in codebook.codes]}
    # `fritekst report` merges only the project's [coding] hand_codings: the page says so when this
    # coder's file is not among them, or the workbench and the report disagree without a word.
    in_report = any(Path(p).resolve() == workspace.hand_path.resolve() for p in workspace.project.hand_codings)
    return {"title": workspace.project.title, "coder": workspace.coder, "hand_file": str(workspace.hand_path),
            "hand_file_in_report": in_report, "hand_file_shown": _shown_path(workspace),
            # the page's words, from the catalogue the report uses, in the workbench's language
            "lang": workspace.lang, "texts": page_texts(workspace.lang),
            "year_column": workspace.year_column,
            "questions": [{"column": q.column, "label": q.label, "codebook": q.codebook,
                           "closed": sorted(q.asked_if)} for q in workspace.project.questions],
            "codebooks": codebooks, "attributes": attributes, "group_by": workspace.project.group_by,
            "other_coders": sorted(workspace.other_coder_files())}


def _shown_path(workspace: Workspace) -> str:
    """The hand file as the project file would list it: relative to the project's folder when inside it."""
    try:
        return workspace.hand_path.resolve().relative_to(workspace.project.root.resolve()).as_posix()
    except ValueError:
        return str(workspace.hand_path)


def page_texts(lang: str) -> dict[str, str]:
    """The whole text catalogue in ``lang``, key → template, for the page's script to fill in.

    All of it rather than a list of the keys the script uses: a second list would be a second place
    to forget a key in (a test checks that every key the script asks for exists).
    """
    tr = texts_for(lang)
    return {key: tr(key) for key in TEXTS}


def refs_with_memos(workspace: Workspace) -> bytes:
    """The merged codings as refs.csv with the coder's ``note`` per decision and ``memo`` per answer."""
    refs = refs_frame(workspace.merged, workspace.corpus, list(workspace.codebooks.values()))
    refs = annotate_refs(refs, [*workspace.project.hand_codings, workspace.hand_path])
    for column in ("note", "memo"):
        if column not in refs.columns:
            refs[column] = ""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([safe_cell(str(c)) for c in refs.columns])
    for row in refs.itertuples(index=False, name=None):
        writer.writerow([csv_cell(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")
