"""The notebooks as a reader opens them in JupyterLab: a fresh, untrusted copy, then Run All.

A notebook opened from a clone is untrusted: JupyterLab's sanitizer drops
scripts, styles and frames from its stored HTML outputs. Each view's output
carries a static fallback for that case (the map's legend and routes in
words, the article's claims and verdicts) and a line saying to run the cell;
once the cell has run, the frame shows the view and fits it, and the
fallback is hidden. The tables of :mod:`explainer.display` keep their own
alignment (their style is inline).

JupyterLab runs from its own environment (``.venv-lab``, which ``make test``
builds; ``EXPLAINER_LAB_ENV`` names another), on a free loopback port, with
a temporary root folder holding a copy of the numbered notebooks and
temporary Jupyter folders, so nothing is trusted and nothing of the
reader's is touched. Playwright drives the system Chromium. Skipped, with
the reason, where JupyterLab's environment, Playwright or Chromium is
missing. Set ``EXPLAINER_SCREENSHOTS`` to a folder to keep screenshots of
what the tests saw.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from tests._chromium import chromium_or_skip

ROOT = Path(__file__).resolve().parents[1]
LAB_ENV = Path(os.environ.get("EXPLAINER_LAB_ENV", ROOT / ".venv-lab"))
JUPYTER_LAB = LAB_ENV / "bin" / "jupyter-lab"
if not JUPYTER_LAB.is_file():
    pytest.skip(
        f"JupyterLab's environment is missing ({LAB_ENV}): make .venv-lab/.lab "
        "(make test builds it)",
        allow_module_level=True,
    )
sync_api = pytest.importorskip(
    "playwright.sync_api", reason="Playwright is not installed (pip install -e '.[test]')"
)
CHROMIUM = chromium_or_skip()

pytestmark = pytest.mark.browser

NOTEBOOK = "02-concept-map.ipynb"
MAP_CELL = "explore.concept_map()"  # the code of the cell that shows the interactive map
ARTICLE = "06-annotated-article.ipynb"
ARTICLE_CELL = "explore.annotated_article()"
STARTUP = 90  # s: JupyterLab's first start on a busy 2-core machine
RUN_ALL = 180_000  # ms: every cell of the notebook, in a fresh kernel
SHOTS = os.environ.get("EXPLAINER_SCREENSHOTS")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def _settings(folder: Path) -> None:
    """JupyterLab's user settings for the test: no news pop-up over the page."""
    news = folder / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings"
    news.parent.mkdir(parents=True)
    news.write_text(json.dumps({"fetchNews": "false"}), encoding="utf-8")


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """Start JupyterLab on a copy of the notebooks; yield its address and token; stop it."""
    base = tmp_path_factory.mktemp("jupyterlab")
    root, home = base / "root", base / "home"
    root.mkdir()
    home.mkdir()
    for path in sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb")):
        shutil.copyfile(path, root / path.name)
    _settings(home / "settings")
    env = {
        "PATH": f"{LAB_ENV / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}",
        "HOME": str(home),
        "JUPYTER_CONFIG_DIR": str(home / "config"),
        "JUPYTER_DATA_DIR": str(home / "data"),  # where trust would be recorded: empty
        "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
        "JUPYTERLAB_SETTINGS_DIR": str(home / "settings"),
        "JUPYTERLAB_WORKSPACES_DIR": str(home / "workspaces"),
        "IPYTHONDIR": str(home / "ipython"),
    }
    token = secrets.token_hex(16)
    port = _free_port()
    command = [
        str(JUPYTER_LAB),
        "--no-browser",
        "--ip=127.0.0.1",
        f"--port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={root}",
        "--LabApp.expose_app_in_browser=True",  # window.jupyterapp: run commands by name
        "--allow-root",
    ]
    log = (base / "lab.log").open("wb")
    process = subprocess.Popen(command, cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP
        while not _answers(f"{url}/api/status?token={token}"):
            if process.poll() is not None or time.monotonic() > deadline:
                log.flush()
                pytest.fail(f"JupyterLab did not start:\n{(base / 'lab.log').read_text()[-2000:]}")
            time.sleep(0.25)
        yield {"url": url, "token": token, "root": root}
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"], timeout=20_000
        )
        yield browser
        browser.close()


def _open(browser, lab, name: str):
    """Open a notebook in a fresh JupyterLab page; return the page once its cells are there."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.set_default_timeout(20_000)  # a missing element fails fast
    page.goto(f"{lab['url']}/lab/tree/{name}?token={lab['token']}&reset")
    page.wait_for_function("() => window.jupyterapp && jupyterapp.shell.currentWidget?.context")
    page.evaluate(
        """async name => { const w = jupyterapp.shell.currentWidget;
          if (!w.context.path.endsWith(name)) throw new Error(`opened ${w.context.path}`);
          await w.context.ready; await w.revealed; await w.sessionContext.ready; }""",
        name,
    )
    page.wait_for_selector(".jp-NotebookPanel .jp-Cell")
    return page


def _show_cell(page, code: str):
    """Make the code cell holding ``code`` the active one, its top at the top of the view."""
    index = page.evaluate(
        """async code => { const nb = jupyterapp.shell.currentWidget.content;
          const i = [...Array(nb.model.cells.length).keys()]
            .find(i => nb.model.cells.get(i).type === 'code'
                       && nb.model.cells.get(i).sharedModel.getSource().includes(code));
          if (i === undefined) throw new Error(`no code cell holds ${code}`);
          nb.activeCellIndex = i; nb.mode = 'command';
          // twice: cells drawn on the way change the heights the first scroll used
          await nb.scrollToItem(i, 'start'); await new Promise(r => setTimeout(r, 300));
          await nb.scrollToItem(i, 'start'); return i; }""",
        code,
    )
    page.wait_for_timeout(500)
    return page.locator(f".jp-Notebook .jp-Cell[data-windowed-list-index='{index}']")


def _settle(page, scroller, frame) -> None:
    """Wait until the notebook's scroll position and the frame's height stop changing.

    JupyterLab keeps the active cell where it was while the cells around it change
    height (a frame growing to its map); a wheel turned meanwhile is undone.
    """
    last, same = None, 0
    for _ in range(50):
        now = (scroller.evaluate("el => el.scrollTop"), frame.evaluate("f => f.clientHeight"))
        same = same + 1 if now == last else 0
        if same == 4:
            return
        last = now
        page.wait_for_timeout(200)
    raise AssertionError(f"the notebook kept moving: scrollTop, frame height = {last}")


def _shot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / name))


# What a reader can see of an output: pictures drawn, frames of some height, and text.
_CONTENT = """output => ({
  height: output.getBoundingClientRect().height,
  frames: output.querySelectorAll('iframe').length,
  text: output.innerText.trim(),
})"""


def _trusted(page) -> list[bool]:
    """Whether JupyterLab trusts each code cell of the notebook in view."""
    return page.evaluate(
        """() => { const m = jupyterapp.shell.currentWidget.content.model; const out = [];
          for (let i = 0; i < m.cells.length; i++)
            if (m.cells.get(i).type === 'code') out.push(m.cells.get(i).trusted);
          return out; }"""
    )


def test_an_untrusted_notebook_shows_its_map_and_its_tables_before_anything_runs(browser, lab):
    page = _open(browser, lab, NOTEBOOK)
    try:
        trusted = _trusted(page)
        assert trusted and not any(trusted)  # a fresh copy: JupyterLab trusts none of its cells
        cell = _show_cell(page, MAP_CELL)
        _shot(page, "jupyterlab-02-untrusted.png")
        output = cell.locator(".jp-OutputArea-output").first
        seen = output.evaluate(_CONTENT)
        assert seen["height"] > 300 and seen["frames"] == 0, seen  # not a blank strip
        fallback = output.locator(".explainer-static-map")
        assert "Run this cell" in fallback.inner_text()  # the one-line hint
        assert "Emotional intimacy" in fallback.inner_text()  # the legend and routes in words
        # the tables of explainer.display keep their own alignment in an untrusted notebook
        aligned = page.eval_on_selector_all(
            "table.explainer-table td", "tds => tds.map(td => getComputedStyle(td).textAlign)"
        )
        assert aligned and set(aligned) == {"left"}, set(aligned)
    finally:
        page.close()


def test_an_untrusted_annotated_article_lists_its_claims_with_the_hint(browser, lab):
    page = _open(browser, lab, ARTICLE)
    try:
        assert not any(_trusted(page))
        cell = _show_cell(page, ARTICLE_CELL)
        fallback = cell.locator(".jp-OutputArea-output .explainer-static-article")
        text = fallback.inner_text()
        assert "Run this cell" in text and "c001" in text, text[:300]
        assert fallback.evaluate("e => e.getBoundingClientRect().height") > 300
    finally:
        page.close()


def test_after_run_all_the_map_fits_its_frame_and_the_page_scrolls_over_it(browser, lab):
    page = _open(browser, lab, NOTEBOOK)
    try:
        # notebook:run-all-cells resolves when every cell has run: true when none failed
        page.evaluate(
            """() => { window.ranAll = undefined;
              jupyterapp.commands.execute('notebook:run-all-cells')
                .then(ok => window.ranAll = ok, e => window.ranAll = String(e)); }"""
        )
        page.wait_for_function("() => window.ranAll !== undefined", timeout=RUN_ALL)
        assert page.evaluate("() => window.ranAll") is True
        errors = page.evaluate(
            """() => { const m = jupyterapp.shell.currentWidget.content.model; const out = [];
              for (let i = 0; i < m.cells.length; i++) { const c = m.cells.get(i);
                if (c.type !== 'code') continue;
                for (let j = 0; j < c.outputs.length; j++) {
                  const o = c.outputs.get(j).toJSON();
                  if (o.output_type === 'error') out.push(`${i}: ${o.ename}: ${o.evalue}`);
                  if (o.name === 'stderr') out.push(`${i}: ${o.text}`);
                } } return out; }"""
        )
        assert errors == []
        cell = _show_cell(page, MAP_CELL)
        frame = cell.locator(".jp-OutputArea-output iframe").first
        frame.wait_for(state="visible")
        # run, the output is trusted: the frame shows the map and the fallback is hidden
        assert cell.locator(".explainer-static-map").first.is_hidden()
        frame.content_frame.locator("#cy canvas").first.wait_for()
        page.wait_for_timeout(1_000)  # the frame takes the height its page reports
        _shot(page, "jupyterlab-02-after-run-all.png")
        inner = frame.element_handle().content_frame()
        content = inner.evaluate(
            "() => Math.max(document.documentElement.scrollHeight, document.body.scrollHeight)"
        )
        height = frame.evaluate("f => f.getBoundingClientRect().height")
        assert height >= content, f"the frame is {height} px high for {content} px of content"
        # A wheel over the map itself scrolls the notebook (zooming is for the buttons or a
        # modifier key): the map's canvas is brought into view, then the wheel turns over it.
        scroller = page.locator(".jp-WindowedPanel-outer").first
        canvas = frame.content_frame.locator("#cy")
        top = canvas.bounding_box()["y"]
        scroller.evaluate("(el, by) => el.scrollBy(0, by)", top - 150)
        _settle(page, scroller, frame)
        box = canvas.bounding_box()
        assert box["y"] > 0 and box["y"] + 200 < 900, box  # the map is on screen
        _shot(page, "jupyterlab-02-after-run-all-map.png")
        zoom = frame.content_frame.locator("#cy").evaluate("() => window.explainerMap.zoom()")
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + 100)
        page.wait_for_timeout(300)  # the pointer is over the frame before the wheel turns
        before = scroller.evaluate("el => el.scrollTop")
        # upwards: JupyterLab sizes the cells below the view by estimate, so the notebook may
        # not yet reach further down, while above the map there is always the notebook's top.
        # Up to three turns, as a reader would turn again: headless Chromium under load has
        # been seen to drop a wheel event while JupyterLab re-lays out its windowed notebook
        # (once, in a thorough run after a dozen passing ones); a map that took the wheel
        # would stop every turn, and the zoom check below catches a map that zooms instead.
        after = before
        for _turn in range(3):
            page.mouse.wheel(0, -400)
            for _ in range(30):  # the scroll is animated, and late on a busy machine
                page.wait_for_timeout(100)
                after = scroller.evaluate("el => el.scrollTop")
                if after != before:
                    break
            if after != before:
                break
        inside = frame.content_frame.locator("html").evaluate(
            "html => [window.scrollY, html.scrollHeight, window.innerHeight]"
        )
        top = scroller.evaluate("el => [el.scrollHeight, el.clientHeight]")
        assert after < before, (
            f"a wheel over the map did not scroll the notebook: at {before} of {top}, "
            f"frame [scrollY, scrollHeight, innerHeight] = {inside}"
        )
        again = frame.content_frame.locator("#cy").evaluate("() => window.explainerMap.zoom()")
        assert again == zoom  # and did not zoom the map
    finally:
        page.close()
