"""``fritekst serve``: the coding workbench in the browser, on this machine only.

A thin command over :mod:`fritekst.web`: the command line is the outermost layer and may start the
web application; the web application never imports the command line.
"""

from __future__ import annotations

import contextlib
import ipaddress
import signal
import socket
import threading
import webbrowser
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click

from ..errors import FritekstError, InputError
from ..sources.project import DEFAULT_PROJECT_FILE, load_project
from ._common import WholeNumber, fail, lang_option, refuse_codebook_as_project, texts

LOOPBACK = "127.0.0.1"


@click.command("serve")
@click.option("--project", "project_file", default=DEFAULT_PROJECT_FILE, show_default=True,
              type=click.Path(dir_okay=False, path_type=Path), callback=refuse_codebook_as_project,
              help="The project file to work on.")
@click.option("--port", default=0, type=WholeNumber(0, 65535),
              help="Port to listen on (default: a free port).")
@click.option("--host", default=None,
              help=f"Address to listen on (default {LOOPBACK}). Anything else exposes the answers to the network.")
@click.option("--coder", help="Your name; your decisions go to koding/NAME.csv beside the project file "
                              "(default: the project's first [coding] hand_codings file, else your login name).")
@click.option("--no-browser", is_flag=True, help="Do not open the browser; just print the URL.")
@lang_option
def serve_command(project_file: Path, port: int, host: str | None, coder: str | None, no_browser: bool,
                  lang: str | None) -> None:
    """Start the coding workbench on the project and open it in the browser.

    \b
    Examples:
      fritekst serve                      # the project in ./fritekst.toml
      fritekst serve --coder ane --no-browser

    Prints one line with the URL, http://127.0.0.1:PORT/?token=…; the token is new on every start
    and every request needs it. Stop the server with Ctrl+C (or SIGTERM): it says so in one line
    and exits 0; every decision is already saved.
    """
    import uvicorn  # the server stack is imported only when the workbench starts

    from ..web.app import create_app, new_token
    from ..web.workspace import Workspace

    if host is not None and not _is_loopback(host):
        click.echo(f"Warning: listening on {host}: anyone who can reach this machine and has the token can "
                   "read the answers; use the default 127.0.0.1 unless you mean it", err=True)
    bind = host or LOOPBACK
    sock: socket.socket | None = None
    try:
        # Read first for its [report] lang: the start-up line and the page are in the project's language.
        tr = texts(lang, load_project(project_file))
        # The port before the coding: a port in use fails in a second, not after the answers are coded.
        sock = _listen(bind, port)
        click.echo(tr("serve_loading", path=project_file), err=True)
        workspace = Workspace(project_file, coder, lang=tr.lang)  # the page speaks as the report
    except FritekstError as exc:
        if sock is not None:
            sock.close()
        fail(exc)  # one line with its code, as every command
    token = new_token()
    shown = f"[{bind}]" if sock.family == socket.AF_INET6 else bind
    url = f"http://{shown}:{sock.getsockname()[1]}/?token={token}"
    click.echo(url)
    # access_log off: the first request's URL carries the token, and logs end up in shared places.
    # lifespan off: the app has no start-up or shut-down work, and a forced stop (Ctrl+C twice)
    # cancelled the lifespan task, which uvicorn logged as a traceback.
    server = _quiet_stop_server(uvicorn)(uvicorn.Config(create_app(workspace, token), log_level="warning",
                                                        access_log=False, lifespan="off"))
    if not no_browser:
        threading.Timer(0.5, webbrowser.open, args=(url,)).start()
    server.run(sockets=[sock])
    click.echo(tr("serve_stopped", path=workspace.hand_path), err=True)


def _listen(bind: str, port: int) -> socket.socket:
    """A socket listening on ``bind:port``; else an :class:`InputError` (E122), as every user error
    (it was exit 1 without a code)."""
    sock = socket.socket(socket.AF_INET6 if ":" in bind else socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((bind, port))
    except OSError as exc:
        sock.close()
        raise InputError(f"cannot listen on {bind}:{port} ({exc.strerror}); choose another --port, or leave it "
                         "out for a free one", code="E122") from None
    sock.listen(128)
    return sock


def _quiet_stop_server(uvicorn: Any) -> Any:
    """uvicorn's server, stopped by Ctrl+C or SIGTERM without passing the signal on afterwards.

    A stop signal is how a researcher ends the workbench, and every decision was written when it was
    made: not an error, so the command says it stopped and exits 0. uvicorn shuts down gracefully
    and then raises the signals it caught again, inside its event loop: fritekst's handlers turned
    that into "interrupted; no output was written", and two quick signals (Ctrl+C twice, SIGTERM
    then Ctrl+C) into a traceback of the cancelled lifespan task. Once stopped, a further signal
    while the server winds down is ignored.
    """
    class WorkbenchServer(uvicorn.Server):  # type: ignore[misc]
        @contextlib.contextmanager
        def capture_signals(self) -> Iterator[None]:
            if threading.current_thread() is not threading.main_thread():
                yield  # signals reach the main thread only (the tests run servers in threads)
                return
            stops = [signal.SIGTERM]
            if signal.getsignal(signal.SIGINT) is not signal.SIG_IGN:  # a background job ignores Ctrl+C
                stops.append(signal.SIGINT)
            for stop in stops:
                signal.signal(stop, self.handle_exit)
            try:
                yield
            finally:
                for stop in stops:
                    signal.signal(stop, signal.SIG_IGN)  # the command's own handlers come back as it returns

    return WorkbenchServer


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
