"""The offline site in a real browser: headless Chromium renders it, images and all."""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from pathlib import Path

import matplotlib.image
import numpy as np
import pytest

from explainer.site import build_site

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
if CHROMIUM is None:
    pytest.skip(
        "no headless browser: install Chromium (Debian: apt-get install chromium)",
        allow_module_level=True,
    )

pytestmark = pytest.mark.browser

# Flags for a quiet, offline, throwaway browser. Every host name resolves to
# nothing, so a page that needs the network shows it as a missing image.
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--hide-scrollbars",
    # Paint every tile before the screenshot; without it a large image can come out half drawn.
    "--run-all-compositor-stages-before-draw",
    "--host-resolver-rules=MAP * ~NOTFOUND",
]

# Appended to a copy of a page: once everything has loaded, write what each
# image decoded to into the DOM, where --dump-dom can read it.
PROBE = """
<script>
window.addEventListener("load", function () {
  var probe = document.createElement("pre");
  probe.id = "image-probe";
  probe.textContent = JSON.stringify(Array.from(document.images, function (img) {
    return {src: img.getAttribute("src").slice(0, 40), complete: img.complete,
            width: img.naturalWidth, height: img.naturalHeight};
  }));
  document.body.appendChild(probe);
});
</script>
"""


def chromium(tmp_path: Path, *args: str) -> str:
    profile = tmp_path / "profile"
    profile.mkdir(exist_ok=True)
    done = subprocess.run(
        [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def images_of(site: Path, page: str, tmp_path: Path) -> list[dict]:
    """Load a probed copy of ``page`` and return what each of its images decoded to."""
    copy = tmp_path / "probed"
    shutil.copytree(site, copy)
    text = (copy / page).read_text(encoding="utf-8")
    (copy / page).write_text(text.replace("</body>", PROBE + "</body>", 1), encoding="utf-8")
    dom = chromium(tmp_path, "--virtual-time-budget=5000", "--dump-dom", (copy / page).as_uri())
    found = re.search(r'<pre id="image-probe">(.*?)</pre>', dom, re.S)
    assert found, f"the probe did not run in {page}"
    return json.loads(html.unescape(found.group(1)))


def screenshot(site: Path, page: str, tmp_path: Path) -> np.ndarray:
    png = tmp_path / f"{Path(page).stem}.png"
    chromium(
        tmp_path,
        "--window-size=1200,900",
        "--virtual-time-budget=5000",
        f"--screenshot={png}",
        (site / page).as_uri(),
    )
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    return matplotlib.image.imread(png)


def assert_not_blank(pixels: np.ndarray) -> None:
    assert pixels.shape[:2] == (900, 1200)
    rgb = (pixels[..., :3] * 255).astype(np.uint8).reshape(-1, 3)
    colours, counts = np.unique(rgb, axis=0, return_counts=True)
    assert len(colours) > 32, "the screenshot has almost no colours: a blank page?"
    assert counts.max() / counts.sum() < 0.97, "the screenshot is one colour: a blank page?"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return build_site(tmp_path_factory.mktemp("browser") / "site", progress=lambda line: None)


@pytest.fixture(scope="module")
def figure_page(site) -> str:
    if (site / "02-concept-map.html").is_file():
        return "02-concept-map.html"
    with_figures = [
        p.name
        for p in sorted(site.glob("[0-9][0-9]-*.html"))
        if re.search(r'<img\b[^>]*\bsrc="data:image/png;base64,', p.read_text(encoding="utf-8"))
    ]
    if not with_figures:
        pytest.skip("no notebook page has a figure yet")
    return with_figures[0]


def test_the_index_renders_with_its_concept_map(site, tmp_path):
    images = images_of(site, "index.html", tmp_path)
    assert [i["src"] for i in images] == ["concept-map.png"]
    assert all(i["complete"] and i["width"] > 0 and i["height"] > 0 for i in images), images
    assert_not_blank(screenshot(site, "index.html", tmp_path))


def test_a_notebook_page_renders_with_its_figures(site, figure_page, tmp_path):
    images = images_of(site, figure_page, tmp_path)
    assert images, f"{figure_page} shows no image"
    assert all(i["complete"] and i["width"] > 0 and i["height"] > 0 for i in images), images
    assert_not_blank(screenshot(site, figure_page, tmp_path))
