"""The views in JupyterLab itself: shown before any cell is run, interactive after Run All.

A notebook opened from a clone is untrusted: JupyterLab's sanitizer drops
scripts, styles and frames from its stored HTML outputs. Each view's output
carries a static fallback for that case (the map's legend and routes in words,
the article's claims and verdicts) and a line saying to run the cell; once the
cell has run, the frame shows the view and the fallback is hidden. Needs
JupyterLab (``pip install -e '.[lab]'``) and Chromium; marked ``thorough``
(a JupyterLab server takes seconds to start).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

import nbformat
import pytest

pytest.importorskip("jupyterlab", reason="JupyterLab is not installed (pip install -e '.[lab]')")
sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
if CHROMIUM is None:
    pytest.skip("no headless browser: install Chromium", allow_module_level=True)

pytestmark = [pytest.mark.browser, pytest.mark.thorough]

TOKEN = "explainer-test"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """A JupyterLab server on a folder holding one unsigned notebook with the two views' outputs."""
    from explainer import explore

    folder = tmp_path_factory.mktemp("lab")
    cells = []
    for call, view in (
        ("explore.concept_map()", explore.concept_map()),
        ("explore.annotated_article()", explore.annotated_article()),
    ):
        cell = nbformat.v4.new_code_cell(f"from explainer import explore\n{call}")
        cell.outputs = [
            nbformat.v4.new_output(
                "execute_result",
                data={"text/html": view._repr_html_(), "text/plain": repr(view)},
                execution_count=1,
            )
        ]
        cells.append(cell)
    nb = nbformat.v4.new_notebook(
        cells=cells, metadata={"kernelspec": {"name": "python3", "display_name": "Python 3"}}
    )
    nbformat.write(nb, folder / "views.ipynb")  # written, not signed: untrusted
    port = _free_port()
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(folder / ".config")}
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jupyterlab",
            "--no-browser",
            f"--port={port}",
            "--ServerApp.ip=127.0.0.1",
            f"--IdentityProvider.token={TOKEN}",
            "--allow-root",
            f"--ServerApp.root_dir={folder}",
            "--LabApp.news_url=",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{url}/api/status?token={TOKEN}", timeout=1)
            break
        except OSError:
            time.sleep(0.3)
    else:
        server.terminate()
        pytest.fail("JupyterLab did not start within 60 s")
    yield url
    server.terminate()
    server.wait(timeout=20)


def test_views_show_their_content_untrusted_and_run_after_run_all(lab, tmp_path):
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"], timeout=20_000
        )
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.set_default_timeout(30_000)
        page.goto(f"{lab}/lab/tree/views.ipynb?token={TOKEN}")
        fallback = page.locator(".jp-OutputArea-output .explainer-static-map")
        fallback.wait_for()
        # Untrusted: no frame, no script; the legend, the routes in words and the hint show.
        assert page.locator(".jp-OutputArea-output iframe").count() == 0
        assert "Run this cell" in fallback.inner_text()
        assert "Emotional intimacy" in fallback.inner_text()
        claims = page.locator(".jp-OutputArea-output .explainer-static-article")
        assert "Run this cell" in claims.inner_text()
        page.screenshot(path=str(tmp_path / "untrusted.png"))
        if os.environ.get("EXPLAINER_SHOTS"):
            page.screenshot(path=os.path.join(os.environ["EXPLAINER_SHOTS"], "lab_untrusted.png"))

        # Run All: the outputs are made now, trusted; the frames show the views.
        page.locator(".jp-Notebook").click()
        page.keyboard.press("Escape")
        page.evaluate(
            "() => window.jupyterapp"
            " && window.jupyterapp.commands.execute('notebook:run-all-cells')"
        )
        if page.evaluate("() => !window.jupyterapp"):
            page.keyboard.press("Control+A")
            page.keyboard.press("Shift+Enter")
        frame = page.locator('.jp-OutputArea-output iframe[title="The concept map, to explore"]')
        frame.wait_for(timeout=120_000)
        assert page.locator(".jp-OutputArea-output .explainer-static-map").first.is_hidden()
        inner = page.frame_locator('iframe[title="The concept map, to explore"]')
        inner.locator("#cy canvas").first.wait_for()
        # The frame grows to its page (the page reports its height): nothing is cut off.
        height = inner.locator("html").evaluate("e => e.getBoundingClientRect().height")
        deadline = time.monotonic() + 10
        while abs(frame.evaluate("f => f.clientHeight") - height) > 2:
            assert time.monotonic() < deadline, (frame.evaluate("f => f.clientHeight"), height)
            time.sleep(0.2)
            height = inner.locator("html").evaluate("e => e.getBoundingClientRect().height")
        frame.scroll_into_view_if_needed()
        if os.environ.get("EXPLAINER_SHOTS"):
            page.screenshot(path=os.path.join(os.environ["EXPLAINER_SHOTS"], "lab_run_all.png"))
        browser.close()
