"""The offline HTML edition: pages, navigation, figures, downloads, escaping, atomicity."""

from __future__ import annotations

import contextlib
import html
import html.parser
import importlib
import importlib.util
import io
import json
import re
import shutil
from pathlib import Path
from typing import NamedTuple

import matplotlib.image
import nbformat
import numpy as np
import pytest

import explainer
from explainer._paths import default_data_dir
from explainer.errors import DataError
from explainer.site import DEFAULT_NOTEBOOKS_DIR, build_site
from tests._built_site import Built as _Built
from tests._built_site import digests, shared_site
from tests.conftest import rows

DATA = default_data_dir()
NOTEBOOKS = sorted(p for p in DEFAULT_NOTEBOOKS_DIR.glob("*.ipynb") if re.match(r"\d\d-", p.name))
EVIL = "<script>alert(1)</script>"
EXPLORE = ["map.html", "article.html", "bibliography.html", "dictionary.html"]

# A resource the browser would fetch over the network.
REMOTE_SCRIPT = re.compile(r"<script\b[^>]*\bsrc\s*=\s*[\"']?\s*(?:https?:)?//", re.I)
REMOTE_LINK = re.compile(r"<link\b[^>]*\bhref\s*=\s*[\"']?\s*(?:https?:)?//", re.I)


class Built(_Built):
    @property
    def pages(self) -> list[str]:
        return ["index.html", *(f"{nb.stem}.html" for nb in NOTEBOOKS), *EXPLORE]


def nav_of(page: str) -> str:
    match = re.search(r'<nav class="explainer-nav".*?</nav>', page, re.S)
    assert match, "the page has no navigation bar"
    return match.group(0)


def hrefs(fragment: str) -> list[str]:
    return [html.unescape(h) for h in re.findall(r'href="([^"]*)"', fragment)]


def title_of(notebook: Path) -> str:
    """The notebook's title as the reader sees it: its first '# ' heading, markup removed."""
    nb = nbformat.read(notebook, as_version=4)
    first = next(c for c in nb.cells if c.cell_type == "markdown")
    heading = next(line for line in first.source.splitlines() if line.startswith("# "))
    return re.sub(r"[*_`]", "", heading[2:]).strip()


def png_outputs(notebook: Path) -> int:
    nb = nbformat.read(notebook, as_version=4)
    return sum(
        "image/png" in out.get("data", {})
        for cell in nb.cells
        if cell.cell_type == "code"
        for out in cell.outputs
    )


def two_notebooks(folder: Path) -> Path:
    """Return a folder holding two small numbered notebooks (copies of the first one)."""
    folder.mkdir()
    shutil.copyfile(NOTEBOOKS[0], folder / "00-first.ipynb")
    shutil.copyfile(NOTEBOOKS[0], folder / "01-second.ipynb")
    return folder


@pytest.fixture(scope="module")
def built() -> Built:
    shared = shared_site()
    return Built(shared.path, shared.lines, shared.data_before, shared.data_after)


def test_the_site_has_its_parts(built):
    names = {p.name for p in built.path.iterdir()}
    assert {"index.html", "style.css", "static", "exports", "data"} <= names
    assert not any(name.startswith(".") for name in names)


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_notebook_has_a_page_linked_from_the_index(built, notebook):
    page = built.path / f"{notebook.stem}.html"
    assert page.is_file()
    index = built.page("index.html")
    assert f"{notebook.stem}.html" in hrefs(index)
    link = re.search(rf'<a href="{re.escape(notebook.stem)}\.html">(.*?)</a>', index)
    assert link and html.unescape(link.group(1)) == title_of(notebook)


@pytest.mark.parametrize("number", range(len(NOTEBOOKS) + 1), ids=lambda n: f"page{n}")
def test_every_page_has_the_navigation_bar(built, number):
    pages = built.pages
    nav = nav_of(built.page(pages[number]))
    listed = hrefs(re.split(r'<ol class="explainer-nav-pages"[^>]*>', nav)[1])
    assert listed == pages
    assert 'href="style.css"' in built.page(pages[number])
    previous = re.search(r'<a href="([^"]*)" rel="prev"', nav)
    following = re.search(r'<a href="([^"]*)" rel="next"', nav)
    # The index comes first, then the notebooks in order; the index has no previous page.
    pages = pages[: len(NOTEBOOKS) + 1]
    assert (previous.group(1) if previous else None) == (pages[number - 1] if number > 1 else None)
    assert (following.group(1) if following else None) == (
        pages[number + 1] if number + 1 < len(pages) else None
    )
    assert 'href="index.html"' in nav


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_figures_are_files_beside_their_page(built, notebook):
    from PIL import Image

    page = built.page(f"{notebook.stem}.html")
    sources = [html.unescape(s) for s in re.findall(r'<img\b[^>]*\bsrc="([^"]*)"', page)]
    assert not any(src.startswith("data:") for src in sources), "a figure is inlined as base64"
    assert len(sources) == png_outputs(notebook)
    assert sources == [
        f"{notebook.stem}_files/figure-{n:02d}.png" for n in range(1, len(sources) + 1)
    ]
    nb = nbformat.read(notebook, as_version=4)
    stored = [
        out["data"]["image/png"]
        for cell in nb.cells
        if cell.cell_type == "code"
        for out in cell.outputs
        if "image/png" in out.get("data", {})
    ]
    for src, b64 in zip(sources, stored, strict=True):
        import base64

        with (
            Image.open(built.path / src) as shown,
            Image.open(io.BytesIO(base64.b64decode(b64))) as made,
        ):
            assert shown.size == made.size  # the same figure, at the same size
            assert (built.path / src).stat().st_size <= len(base64.b64decode(b64))


def test_index_shows_the_concept_map(built):
    assert '<img src="exports/concept-map.png"' in built.page("index.html")
    png = built.path / "exports" / "concept-map.png"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    pixels = matplotlib.image.imread(png)
    assert pixels.shape[0] > 200 and pixels.shape[1] > 200
    rgb = (pixels[..., :3] * 255).astype(np.uint32)
    colours = np.unique(rgb[..., 0] << 16 | rgb[..., 1] << 8 | rgb[..., 2])  # one int a colour
    assert len(colours) > 16


@pytest.mark.parametrize("name", ["index.html", *(f"{nb.stem}.html" for nb in NOTEBOOKS), *EXPLORE])
def test_no_page_loads_anything_remote(built, name):
    page = built.page(name)
    assert not REMOTE_SCRIPT.search(page)
    assert not REMOTE_LINK.search(page)
    assert "cdnjs" not in page and "require.js" not in page and "mathjax" not in page.lower()


def test_data_is_copied_byte_for_byte_and_linked(built):
    descriptor = json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))
    copied = built.path / "data"
    assert (copied / "datapackage.json").read_bytes() == (DATA / "datapackage.json").read_bytes()
    index = hrefs(built.page("index.html"))
    assert "data/datapackage.json" in index
    for resource in descriptor["resources"]:
        assert (copied / resource["path"]).read_bytes() == (DATA / resource["path"]).read_bytes()
        assert f"data/{resource['path']}" in index


def test_index_lists_every_table(built):
    index = built.page("index.html")
    rows = re.findall(r"<tr><td>(.*?)</td><td[^>]*>(.*?)</td><td>(.*?)</td></tr>", index, re.S)
    shown = {
        html.unescape(re.sub(r"<[^>]+>", "", name)): (count, html.unescape(text))
        for name, count, text in rows
    }
    for row in explainer.describe().itertuples(index=False):
        assert shown[row.table] == (str(row.rows), row.description)


def test_exports_are_linked(built):
    if importlib.util.find_spec("explainer.export") is None or not hasattr(
        importlib.import_module("explainer.export"), "export_all"
    ):
        pytest.skip("explainer.export.export_all does not exist")
    files = sorted(p for p in (built.path / "exports").rglob("*") if p.is_file())
    assert files
    index = hrefs(built.page("index.html"))
    for path in files:
        assert path.relative_to(built.path).as_posix() in index


def test_progress_names_every_step(built):
    for notebook in NOTEBOOKS:
        assert f"site: {notebook.stem}.html" in built.lines
    assert "site: index.html" in built.lines
    assert "site: exports/" in built.lines and "site: data/" in built.lines


def test_the_data_directory_is_untouched(built):
    assert built.data_after == built.data_before


class Executed(NamedTuple):
    site: Path
    notebooks: Path
    stored: dict[str, str]
    out: str
    err: str
    descriptor: dict


@pytest.fixture(scope="module")
def executed(tmp_path_factory) -> Executed:
    """One build with ``execute=True`` of two small notebooks and of hostile data.

    The data's first table description and the first notebook's title and
    blurb hold markup (the escaping test); each notebook's kernel waits for
    the other's word (the execute test); no ``progress`` is given, and what
    the build prints is captured (the progress test). One build serves the three.
    """
    root = tmp_path_factory.mktemp("executed")
    data = root / "data"
    shutil.copytree(DATA, data)
    descriptor_path = data / "datapackage.json"
    descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
    descriptor["resources"][0]["description"] += f" {EVIL}"
    descriptor_path.write_text(json.dumps(descriptor, indent=2), encoding="utf-8")
    notebooks = root / "notebooks"
    notebooks.mkdir()
    # Each notebook's kernel says it has started, then waits for the other's
    # word: both can hear each other only if the two kernels run at once.
    names = ("00-rerun", "01-alongside")
    headings = (
        f"# Notes {EVIL}\n\nA blurb {EVIL}.",
        "# 01-alongside\n\nIt says where the data is.",
    )
    for name, other, heading in zip(names, reversed(names), headings, strict=True):
        nb = nbformat.v4.new_notebook(
            cells=[
                nbformat.v4.new_markdown_cell(heading),
                nbformat.v4.new_code_cell(
                    "import os, time\n"
                    f"open('{name}.started', 'w').close()\n"
                    "deadline = time.monotonic() + 60\n"
                    f"while not os.path.exists('{other}.started')"
                    " and time.monotonic() < deadline:\n"
                    "    time.sleep(0.02)\n"
                    "print('data at', os.path.basename(os.environ['EXPLAINER_DATA_DIR']))\n"
                    f"print('met' if os.path.exists('{other}.started') else 'alone')"
                ),
            ],
            metadata={"kernelspec": {"name": "python3", "display_name": "Python 3"}},
        )
        nbformat.write(nb, notebooks / f"{name}.ipynb")
    stored = digests(notebooks)
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        site = build_site(root / "site", notebooks_dir=notebooks, data_dir=data, execute=True)
    return Executed(site, notebooks, stored, out.getvalue(), err.getvalue(), descriptor)


def test_strings_from_the_data_and_notebooks_are_escaped(executed):
    site, descriptor = executed.site, executed.descriptor

    index = (site / "index.html").read_text(encoding="utf-8")
    assert EVIL not in index
    shown = html.escape(EVIL)
    first_table = descriptor["resources"][0]["name"]
    assert re.search(
        rf">{first_table}</a></td><td[^>]*>\d+</td><td>[^<]*{re.escape(shown)}</td>", index
    )
    assert f'<a href="00-rerun.html">Notes {shown}</a><p>A blurb {shown}.</p>' in index
    for name in ["00-rerun.html", "01-alongside.html"]:
        nav = nav_of((site / name).read_text(encoding="utf-8"))
        assert EVIL not in nav and html.escape(EVIL) in nav
    assert EVIL not in nav_of(index)


def test_a_failed_build_leaves_the_earlier_site_as_it_was(built, tmp_path, monkeypatch):
    import explainer.site

    notebooks = two_notebooks(tmp_path / "notebooks")
    # The earlier site: a copy of the session's site (a finished build, stamp included).
    target = tmp_path / "site"
    shutil.copytree(built.path, target)
    before = digests(target)
    data_before = digests(DATA)

    # The conversion of the second page breaks (a converted page may come
    # from the build's cache, so the break is put where every page passes).
    convert = explainer.site._converted
    calls = []

    def fail_on_the_second(exporter, nb, stem):
        calls.append(nb)
        if len(calls) == 2:
            raise RuntimeError("the exporter broke")
        return convert(exporter, nb, stem)

    monkeypatch.setattr(explainer.site, "_converted", fail_on_the_second)
    with pytest.raises(RuntimeError, match="the exporter broke"):
        build_site(target, notebooks_dir=notebooks, progress=lambda line: None)
    calls.clear()
    with pytest.raises(RuntimeError, match="the exporter broke"):
        build_site(tmp_path / "fresh", notebooks_dir=notebooks, progress=lambda line: None)

    assert digests(target) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notebooks", "site"]
    assert digests(DATA) == data_before


def test_execute_reruns_a_copy_two_kernels_at_a_time_and_leaves_the_notebooks_alone(executed):
    site, notebooks, stored = executed.site, executed.notebooks, executed.stored
    lines = executed.err.splitlines()
    names = ("00-rerun", "01-alongside")

    for name in names:
        page = (site / f"{name}.html").read_text(encoding="utf-8")
        # the kernel found the data, and met the other kernel: they ran at the same time
        assert "<pre>data at data\nmet\n</pre>" in page
    assert digests(notebooks) == stored
    assert {"site: executing 00-rerun.ipynb", "site: executing 01-alongside.ipynb"} <= set(lines)
    # the pages keep the notebooks' order, whichever kernel finished first
    index = (site / "index.html").read_text(encoding="utf-8")
    assert index.index("00-rerun.html") < index.index("01-alongside.html")


def test_a_folder_without_notebooks_is_a_data_error(tmp_path):
    with pytest.raises(DataError, match="no notebooks"):
        build_site(tmp_path / "site", notebooks_dir=tmp_path, progress=lambda line: None)
    assert not (tmp_path / "site").exists()


def test_the_site_never_goes_into_the_data_directory(data_copy):
    before = digests(data_copy)
    with pytest.raises(ValueError, match="inside the data directory"):
        build_site(data_copy / "site", data_dir=data_copy, progress=lambda line: None)
    assert digests(data_copy) == before


def test_progress_goes_to_stderr_by_default(executed):
    # the build of the fixture was given no progress, and its stdout and stderr were captured
    assert executed.out == ""
    assert "site: 00-rerun.html\n" in executed.err


# ----------------------------------------------------------------------------
# The explore pages, search and alt text

NBCONVERT_DEFAULT_ALT = "No description has been provided for this image"


def images_in(page: str) -> list[dict]:
    """Return the attributes of every <img> of a page, parsed as a browser would."""
    from html.parser import HTMLParser

    found: list[dict] = []

    class Images(HTMLParser):
        def handle_starttag(self, tag, attrs):
            if tag == "img":
                found.append(dict(attrs))

    Images().feed(page)
    return found


@pytest.mark.parametrize("name", EXPLORE)
def test_explore_pages_are_linked_and_searchable(built, name):
    page = built.page(name)
    assert name in hrefs(built.page("index.html"))
    assert 'id="explainer-search"' in page
    for src in re.findall(r'<script src="([^"]+)"', page):
        assert (built.path / src).is_file(), src


def test_every_page_has_the_search_box(built):
    for name in built.pages:
        page = built.page(name)
        assert page.count('id="explainer-search"') == 1, name
        assert '<script src="static/search.js"></script>' in page, name


def test_the_search_index_covers_every_kind(built):
    text = (built.path / "static" / "search-index.js").read_text(encoding="utf-8")
    docs = json.loads(text.removeprefix("window.EXPLAINER_SEARCH = ").rstrip().rstrip(";"))
    kinds = {d["kind"] for d in docs}
    assert kinds == {"claim", "concept", "section", "hormone", "reference"}
    claims = {d["id"] for d in docs if d["kind"] == "claim"}
    assert claims == {f"claim:{c}" for c in explainer.load("claims").claim_id}
    for d in docs:
        target = d["href"].split("#")[0]
        assert (built.path / target).is_file(), d


def test_vendored_libraries_ship_with_their_licences(built):
    static = built.path / "static"
    for name in ("cytoscape", "minisearch"):
        assert "Permission is hereby granted" in (static / f"{name}-LICENSE.txt").read_text()


@pytest.mark.parametrize("name", ["index.html", *(f"{nb.stem}.html" for nb in NOTEBOOKS)])
def test_every_image_has_meaningful_alt_text(built, name):
    images = images_in(built.page(name))
    assert images or name != "index.html"
    for attrs in images:
        assert "alt" in attrs, f"an image in {name} has no alt text"
        text = (attrs["alt"] or "").strip()
        assert text != NBCONVERT_DEFAULT_ALT, f"an image in {name} has nbconvert's placeholder"
        assert len(text.split()) >= 5, f"an image in {name} has too short an alt text: {text!r}"


def test_alt_text_comes_from_cell_metadata_first():
    from explainer.site import _add_alt_text

    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Title\n\nThe figure below shows the bars."),
        nbformat.v4.new_code_cell("plot()"),
        nbformat.v4.new_code_cell("plot()", metadata={"alt": "Bars of claims per part."}),
    ]
    png = {"output_type": "display_data", "data": {"image/png": "AAAA"}, "metadata": {}}
    nb.cells[1].outputs = [nbformat.from_dict(dict(png))]
    nb.cells[2].outputs = [nbformat.from_dict(dict(png, metadata={}))]
    _add_alt_text(nb)
    assert nb.cells[1].outputs[0].metadata["image/png"]["alt"] == "The figure below shows the bars."
    assert nb.cells[2].outputs[0].metadata["image/png"]["alt"] == "Bars of claims per part."


class _Events(html.parser.HTMLParser):
    """A page as parsed: each start tag with its attributes, and the text."""

    def __init__(self, page: str):
        super().__init__(convert_charrefs=True)
        self.events: list = []
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        # a class is a list of words (BeautifulSoup writes it back without a trailing space)
        attrs = [(k, " ".join((v or "").split()) if k == "class" else v or "") for k, v in attrs]
        self.events.append((tag, sorted(attrs)))

    def handle_data(self, data):
        if data.strip():
            self.events.append(" ".join(data.split()))


@pytest.mark.parametrize(
    "notebook",
    # the first (figures) and the last (wide HTML outputs); all of them in the thorough run
    [
        n if n in (NOTEBOOKS[0], NOTEBOOKS[-1]) else pytest.param(n, marks=pytest.mark.thorough)
        for n in NOTEBOOKS
    ],
    ids=lambda p: p.stem,
)
def test_pages_parse_as_nbconverts_own_would(notebook):
    # The site skips HTMLExporter's BeautifulSoup pass and does its two
    # edits itself: the page must still parse to what nbconvert gives.
    from nbconvert import HTMLExporter

    import explainer.site as site

    ours = site._exporter()
    stock = HTMLExporter(
        template_name="lab", template_file=site._TEMPLATE_FILE, extra_loaders=ours.extra_loaders
    )
    nb = nbformat.read(notebook, as_version=4)
    site._add_alt_text(nb)
    stock.register_preprocessor(site._shared_highlight_css(), enabled=True)
    mine, _ = ours.from_notebook_node(nb)
    theirs, _ = stock.from_notebook_node(nb)
    events = _Events(mine).events
    assert events == _Events(theirs).events
    assert sum(e[0] == "img" for e in events if isinstance(e, tuple)) == png_outputs(notebook)
    focusable = [e for e in events if isinstance(e, tuple) and ("tabindex", "0") in e[1]]
    assert len(focusable) >= len(nbformat.read(notebook, as_version=4).cells)


# ----------------------------------------------------------------------------
# Hostile data: no string from the data becomes markup or script on any page

EVIL_ID = 'c029" onmouseover="alert(1)'
EVIL_LABEL = "Oxytocin</script><script>alert(2)</script>\u2028"
EVIL_TITLE = "<img src=x onerror=alert(3)>"
EVIL_ADDRESS = "javascript:alert(4)"
EVIL_SECTION = "'><svg onload=alert(5)>"


def _rewrite_csv(path: Path, change) -> None:
    import csv

    with path.open(encoding="utf-8", newline="") as fh:
        table = list(csv.reader(fh))
    header, body = table[0], table[1:]
    body = [change(dict(zip(header, row, strict=True))) for row in body]
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        writer.writerows([[row[h] for h in header] for row in body])


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    """A site built from data whose ids, labels, titles and addresses carry markup.

    The claim id pattern is removed from the descriptor (issue 26: the data's
    constraints are the data's, not ours) and c029 gets an event handler.
    """
    root = tmp_path_factory.mktemp("hostile")
    data = root / "data"
    shutil.copytree(DATA, data)
    descriptor = json.loads((data / "datapackage.json").read_text(encoding="utf-8"))
    for resource in descriptor["resources"]:
        for field in resource["schema"]["fields"]:
            field.get("constraints", {}).pop("pattern", None)
    (data / "datapackage.json").write_text(json.dumps(descriptor, indent=2), encoding="utf-8")
    for csv_path in data.glob("*.csv"):

        def change(row: dict, name=csv_path.stem) -> dict:
            row = {
                k: v.replace("c029", EVIL_ID) if k.endswith("claim_id") else v
                for k, v in row.items()
            }
            if name == "concepts" and row["concept_id"] == "oxytocin":
                row["label"] = EVIL_LABEL
            if name == "references" and row["ref_id"] == "carmichael1994":
                row["title"], row["confirmed_at"] = EVIL_TITLE, EVIL_ADDRESS
            if name == "sections" and row["section_id"] == "s3a":
                row["title"] = EVIL_SECTION
            return row

        _rewrite_csv(csv_path, change)
    notebooks = root / "notebooks"
    notebooks.mkdir()
    shutil.copyfile(NOTEBOOKS[0], notebooks / NOTEBOOKS[0].name)
    return build_site(
        root / "site", notebooks_dir=notebooks, data_dir=data, progress=lambda _: None
    )


class _Parsed(html.parser.HTMLParser):
    """Every element with its attributes, and the text of every inline script."""

    def __init__(self, page: str):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict]] = []
        self.scripts: list[tuple[dict, str]] = []
        self._script: dict | None = None
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))
        if tag == "script":
            self._script = dict(attrs)
            self.scripts.append((self._script, ""))

    def handle_endtag(self, tag):
        if tag == "script":
            self._script = None

    def handle_data(self, data):
        if self._script is not None:
            attrs, text = self.scripts[-1]
            self.scripts[-1] = (attrs, text + data)


def test_hostile_strings_never_become_markup_or_script(hostile_site):
    pages = sorted(hostile_site.glob("*.html"))
    assert {"article.html", "map.html", "bibliography.html", "index.html"} <= {
        p.name for p in pages
    }
    for path in pages:
        parsed = _Parsed(path.read_text(encoding="utf-8"))
        for tag, attrs in parsed.elements:
            handlers = [a for a in attrs if a.startswith("on")]
            assert not handlers, (path.name, tag, attrs)
            assert tag != "svg" or "onload" not in attrs
            assert not (tag == "img" and attrs.get("src") == "x"), path.name
            for name in ("href", "src"):
                assert not (attrs.get(name) or "").lower().startswith("javascript:"), path.name
        for attrs, text in parsed.scripts:
            if "src" in attrs:
                assert not text.strip()
            elif attrs.get("type") == "application/ld+json":
                json.loads(text)
            else:
                match = re.fullmatch(r"window\.[A-Z_]+ = (.*);", text.strip(), re.S)
                assert match, (path.name, text[:80])
                json.loads(match.group(1))
            assert "</script" not in text.lower() and "\u2028" not in text


def test_a_hostile_claim_id_is_one_anchor_and_its_claimreview_points_at_it(hostile_site):
    from urllib.parse import quote

    parsed = _Parsed((hostile_site / "article.html").read_text(encoding="utf-8"))
    ids = [attrs.get("id") for _, attrs in parsed.elements]
    assert EVIL_ID in ids
    reviews = [json.loads(t) for a, t in parsed.scripts if a.get("type") == "application/ld+json"]
    assert len(reviews) == 1
    urls = {r["identifier"]: r["url"] for r in reviews[0]}
    assert urls[EVIL_ID] == "article.html#" + quote(EVIL_ID, safe="")
    index = _Parsed((hostile_site / "index.html").read_text(encoding="utf-8"))
    assert "article.html#" + quote(EVIL_ID, safe="") in [a.get("href") for _, a in index.elements]
    bibliography = (hostile_site / "bibliography.html").read_text(encoding="utf-8")
    assert html.escape(EVIL_TITLE, quote=False) in bibliography


# ----------------------------------------------------------------------------
# What we found, sources one click away, light pages


def _found_items(index: str) -> list[str]:
    found = index.split('<ol class="explainer-found">')[1].split("</ol>")[0]
    return re.findall(r"<li>(.*?)</li>", found, re.S)


def test_the_index_opens_with_what_we_found_each_sentence_linked_to_its_claims(built):
    from explainer.findings import findings

    index = built.page("index.html")
    main = index.split("<main", 1)[1]
    assert main.index('id="found"') < main.index('id="explore"') < main.index('id="notebooks"')
    items = _found_items(index)
    expected = findings()
    assert len(items) == len(expected)
    for item, finding in zip(items, expected, strict=True):
        sentence = re.search(r'<span class="explainer-sentence">(.*?)</span>', item, re.S)
        assert html.unescape(sentence.group(1)) == finding.sentence
        linked = re.findall(r'href="article\.html#([^"]+)"', item)
        assert linked == list(finding.claim_ids)
        assert f'href="{finding.link(".html")}"' in item


def test_the_verdict_certainty_table_counts_the_claims_it_links(built):
    from explainer.findings import verdict_certainty_claims

    index = built.page("index.html")
    table = index.split('<table class="explainer-grid">')[1].split("</table>")[0]
    headers = [html.unescape(h) for h in re.findall(r'<th scope="col">(.*?)</th>', table)][1:-1]
    cells = verdict_certainty_claims()
    shown = {}
    for row in re.findall(r"<tr><th scope=\"row\">(.*?)</tr>", table, re.S):
        verdict = re.sub(r"<[^>]+>", "", row.split("</th>")[0])
        tds = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        for certainty, td in zip(headers, tds, strict=False):
            ids = re.findall(r'href="article\.html#([^"]+)"', td)
            if ids:
                count = re.search(r'<span class="explainer-count">(\d+)</span>', td).group(1)
                assert int(count) == len(ids)
                shown[(verdict, certainty)] = tuple(ids)
    assert shown == {
        (v.replace("_", " "), c): ids
        for v, c, ids in zip(cells.verdict, cells.certainty, cells.claim_ids, strict=True)
    }


def test_the_bibliography_lists_every_reference_with_its_doi_and_addresses(built):
    page = built.page("bibliography.html")
    entries = dict(re.findall(r'<li id="ref-([^"]+)" tabindex="-1">(.*?)</li>', page, re.S))
    refs = rows("references")
    assert set(entries) == {r["ref_id"] for r in refs}
    for r in refs:
        entry = html.unescape(entries[r["ref_id"]])
        for part in ("authors", "year", "title"):
            assert " ".join(r[part].split()) in " ".join(entry.split())
        links = hrefs(entries[r["ref_id"]])
        assert (f"https://doi.org/{r['doi']}" in links) == bool(r["doi"])
        for address in re.findall(r"https?://\S+", r["confirmed_at"]):
            assert address in links
    assert len([r for r in refs if r["doi"]]) == page.count('href="https://doi.org/')


def test_article_html_embeds_each_claims_claimreview_pointing_at_its_anchor(built):
    from explainer.audit import claim_reviews

    page = built.page("article.html")
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert len(blocks) == 1
    embedded = json.loads(blocks[0])
    reviews = claim_reviews()
    assert [r["identifier"] for r in embedded] == [r["identifier"] for r in reviews]
    ids = set(re.findall(r'<span class="claim" id="([^"]+)"', page))
    for mine, theirs in zip(embedded, reviews, strict=True):
        assert mine["url"] == f"article.html#{mine['identifier']}"
        assert mine["identifier"] in ids
        assert {k: v for k, v in mine.items() if k != "url"} == {
            k: v for k, v in theirs.items() if k != "url"
        }


def test_every_search_result_lands_on_an_anchor_that_exists(built):
    text = (built.path / "static" / "search-index.js").read_text(encoding="utf-8")
    docs = json.loads(text.removeprefix("window.EXPLAINER_SEARCH = ").rstrip().rstrip(";"))
    mapped = json.loads(
        re.search(r"window\.EXPLAINER_MAP = (.*?);</script>", built.page("map.html"), re.S).group(1)
    )
    concepts = {n["id"] for n in mapped["nodes"]}
    for doc in docs:
        page, _, fragment = doc["href"].partition("#")
        assert fragment, doc
        if page == "map.html":
            assert fragment in concepts, doc
        else:
            assert f'id="{fragment}"' in built.page(page), doc


def test_notebook_pages_fold_the_code_link_the_views_and_have_contents(built):
    for notebook in NOTEBOOKS:
        page = built.page(f"{notebook.stem}.html")
        nb = nbformat.read(notebook, as_version=4)
        code = [c for c in nb.cells if c.cell_type == "code" and c.source.strip()]
        assert page.count('<details class="explainer-code">') == len(code)
        assert "In&nbsp;[" not in page and "<iframe" not in page
        assert "window.EXPLAINER_MAP" not in page and "cytoscape({" not in page
        assert '<details class="explainer-toc">' in page
        assert (
            'href="static/notebook.css"' in page
            and '<style type="text/css">\n.highlight' not in page
        )
    shows_map = [
        n.stem for n in NOTEBOOKS if "The concept map, to explore" in n.read_text(encoding="utf-8")
    ]
    for stem in shows_map:
        assert 'href="map.html"' in built.page(f"{stem}.html").split("</nav>", 1)[1]


def test_the_site_is_light(built):
    sizes = {
        p.relative_to(built.path).as_posix(): p.stat().st_size
        for p in built.path.rglob("*")
        if p.is_file()
    }
    page = next((n for n in sizes if n.startswith("02-") and n.endswith(".html")), None)
    if page:
        assert sizes[page] <= 400_000, sizes[page]
    assert sum(sizes.values()) <= 3_000_000, sum(sizes.values())


def test_evidence_tables_link_each_reference_to_its_bibliography_entry(built):
    page = built.page("05-claims-and-evidence.html")
    linked = set(re.findall(r'<td[^>]*><a href="bibliography\.html#ref-([^"]+)">', page))
    evidence = {r["ref_id"] for r in rows("evidence")}
    # no reference key is left as bare text at the start of a table cell
    bare = {key for key in evidence if re.search(rf"<td[^>]*>[^<]*\b{re.escape(key)}\b", page)}
    assert linked and not bare, bare
    entries = set(re.findall(r'<li id="ref-([^"]+)"', built.page("bibliography.html")))
    assert linked <= entries
