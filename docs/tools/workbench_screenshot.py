"""Make docs/workbench.png: the workbench on a copy of the shipped example, in headless chromium.

Run from the repository root:  python docs/tools/workbench_screenshot.py [--width 1400] [--out docs/workbench.png]
Needs Playwright for Python and Debian's chromium (/usr/bin/chromium); nothing is downloaded.
"""

from __future__ import annotations

import argparse
import shutil
import socket
import tempfile
import threading
import time
from pathlib import Path

import uvicorn
from playwright.sync_api import sync_playwright

from fritekst.web.app import create_app
from fritekst.web.workspace import Workspace

ROOT = Path(__file__).resolve().parents[2]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--width", type=int, default=1400)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "workbench.png")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    for name in ("fritekst.toml", "corpus", "codebooks"):
        source = ROOT / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, folder / name)
    workspace = Workspace(folder / "fritekst.toml", "ane")
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    server = uvicorn.Server(uvicorn.Config(create_app(workspace, "docs"), log_level="warning", access_log=False))
    threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium")
        page = browser.new_page(viewport={"width": args.width, "height": 860})
        page.goto(f"http://127.0.0.1:{sock.getsockname()[1]}/?token=docs")
        page.locator("#f-question").select_option("grunn_nei")
        page.locator("#f-count:text('506 svar')").wait_for()  # Norwegian, as the project's report
        answers = page.locator("#grid li.answer")
        answers.nth(0).locator('button[data-action="accept"]').first.click()
        answers.nth(1).locator('button[data-action="reject"]').first.click()
        answers.nth(5).locator('button[data-action="accept"]').first.click()
        page.locator("#progress:text('3 av 506 gjennomgått')").wait_for()
        page.keyboard.press("j")
        page.keyboard.press("j")
        text = answers.nth(2).locator(".text")
        box = text.bounding_box()
        page.mouse.move(box["x"] + 2, box["y"] + 10)
        page.mouse.down()
        page.mouse.move(box["x"] + 300, box["y"] + 10, steps=5)
        page.mouse.up()
        page.locator("#menu").wait_for()
        page.wait_for_timeout(300)
        page.screenshot(path=str(args.out))
        browser.close()
    server.should_exit = True
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
