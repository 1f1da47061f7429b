"""The static, offline HTML edition of the explainer: notebook pages, an index, the data."""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import sys
import tempfile
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import quote

from markupsafe import Markup

from explainer._cache import Bounded, derived
from explainer._io import check_output_target, output_folder
from explainer._paths import default_notebooks_dir, resolve_data_dir
from explainer.errors import DataError, Problem

__all__ = ["DEFAULT_NOTEBOOKS_DIR", "EXECUTE_KERNELS", "EXECUTE_TIMEOUT", "build_site"]

#: The shipped notebooks: the wheel's copy, or the checkout's (see ``_paths``).
DEFAULT_NOTEBOOKS_DIR = default_notebooks_dir()

#: Seconds a cell may run when the notebooks are re-executed.
EXECUTE_TIMEOUT = 600

# Only the numbered notebooks are pages: NN-title-words.ipynb.
_NOTEBOOK_NAME = re.compile(r"\d\d-[^/\\]+\.ipynb")

_TITLE = "Why Sex Is Good for Emotional Intimacy: the explainer"
_LEDE = (
    "We read the article \u201cExploring the Connection: Why Sex Is Good for Emotional "
    "Intimacy\u201d claim by claim and set each claim that says something about the world "
    "beside published research. In short:"
)
_INTRO = (
    "This explainer encodes the article \u201cExploring the Connection: Why Sex Is Good for "
    "Emotional Intimacy\u201d as linked tables: its structure, every claim it makes, the "
    "hormones and mechanisms it invokes, the practices it recommends, its experts and its FAQ. "
    "Every row points to the section it comes from and quotes the article word for word. "
    "The notebooks below explore those tables: the article's structure, its concept map, its "
    "hormones and mechanisms, its FAQ and the evidence behind its claims. This edition works "
    "offline: every page, figure and table is in this folder."
)
_MAP_ALT = (
    "The article's concept map: practices and activities on the left lead, through hormones, "
    "the brain and feelings, to the relationship's outcomes on the right."
)
_MAP_CAPTION = (
    "The concept map: how, according to the article, sex leads to emotional intimacy. "
    "Each arrow is a proposition the article makes; each box is a concept, coloured by kind."
)

# The lab template without the parts that fetch code from a CDN: require.js,
# the widget manager, MathJax and mermaid. The site's stylesheet is linked last,
# so its navigation-bar rules sit on top of JupyterLab's.
_TEMPLATE_FILE = "explainer-offline.html.j2"
_TEMPLATE = """\
{%- extends 'index.html.j2' -%}
{%- block html_head_js -%}{%- endblock html_head_js -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block notebook_css -%}
<link rel="stylesheet" href="static/notebook.css">
{%- endblock notebook_css -%}
{%- block html_head_css -%}
<link rel="stylesheet" href="style.css">
{%- endblock html_head_css -%}
{% block input_group -%}
<details class="explainer-code"><summary>Show the code</summary>
{{ super() }}
</details>
{%- endblock input_group %}
{% block in_prompt -%}
<div class="jp-InputPrompt jp-InputArea-prompt"></div>
{%- endblock in_prompt %}
{% block output_area_prompt %}
<div class="jp-OutputPrompt jp-OutputArea-prompt"></div>
{%- endblock output_area_prompt %}
{% block data_png scoped %}
<div class="jp-RenderedImage jp-OutputArea-output {{ extra_class }}">
{%- if 'image/png' in output.metadata.get('filenames', {}) %}
<img src="{{ output.metadata.filenames['image/png'] | posix_path | escape_html }}" \
alt="{{ output | get_metadata('alt', 'image/png') | escape_html }}" loading="lazy">
{%- else %}
<img src="data:image/png;base64,{{ output.data['image/png'] | escape_html }}" \
alt="{{ output | get_metadata('alt', 'image/png') | escape_html }}">
{%- endif %}
</div>
{%- endblock data_png %}
"""

# The stylesheets of nbconvert's lab template that every notebook page shares, written
# once into static/notebook.css instead of into every page.
_NOTEBOOK_CSS = ("static/index.css", "static/theme-light.css")
# The views a notebook shows (by their frame's title) and the site's page that shows each.
_VIEW_PAGES = {
    "The concept map, to explore": "map.html",
    "The article, annotated": "article.html",
    "The data dictionary": "dictionary.html",
}

# Anything that would make a browser fetch from the network: a remote src or
# href on an element that loads it, a remote url() in CSS, a remote import().
_REMOTE = re.compile(
    r"<(?:script|link|img|iframe|source|video|audio|embed|object)\b[^>]*?"
    r"\b(?:src|href|data)\s*=\s*[\"']?\s*(?:https?:)?//"
    r"|url\(\s*[\"']?\s*(?:https?:)?//"
    r"|\bimport\(\s*[\"'](?:https?:)?//",
    re.IGNORECASE,
)


# The pages made from explainer.explore, in the order the navigation bar lists them.
_EXPLORE_PAGES = (
    ("map.html", "Concept map (interactive)"),
    ("article.html", "Annotated article (interactive)"),
    ("bibliography.html", "Bibliography"),
    ("dictionary.html", "Data dictionary"),
)
# Files copied from the package into the site's static/ folder.
_STATIC = {
    "explore.css": "explore.css",
    "map.js": "map.js",
    "article.js": "article.js",
    "search.js": "search.js",
    "frame.js": "frame.js",
    "cytoscape.min.js": "vendor/cytoscape/cytoscape.min.js",
    "cytoscape-LICENSE.txt": "vendor/cytoscape/LICENSE",
    "minisearch.js": "vendor/minisearch/minisearch.js",
    "minisearch-LICENSE.txt": "vendor/minisearch/LICENSE",
    "VENDORED.md": "vendor/README.md",
}


@dataclass(frozen=True)
class _Page:
    """One notebook as a page of the site."""

    source: Path
    title: str
    blurb: str

    @property
    def stem(self) -> str:
        return self.source.stem

    @property
    def href(self) -> str:
        return f"{self.stem}.html"


def build_site(
    target: str | os.PathLike[str],
    *,
    notebooks_dir: str | os.PathLike[str] | None = None,
    execute: bool = False,
    data_dir: str | os.PathLike[str] | None = None,
    progress: Callable[[str], Any] | None = None,
    force: bool = False,
) -> Path:
    """Build the static, offline HTML edition of the explainer in folder ``target``.

    The site holds one page per numbered notebook (``NN-title.ipynb``, in
    sorted order), converted by nbconvert's ``lab`` template with every
    script, font and style that would come from a CDN left out and every
    figure embedded as a ``data:`` URI; ``index.html``, which says what the
    explainer is, shows the concept map (``concept-map.png``) and links every
    notebook and download; ``map.html`` (the interactive concept map),
    ``article.html`` (the annotated article) and ``dictionary.html`` (the
    data dictionary), from :mod:`explainer.explore`; ``static/``, their
    scripts (Cytoscape.js and MiniSearch vendored, with their licences) and
    the search index; ``style.css``; ``data/``, a copy of the data
    package's CSV files and ``datapackage.json``; and ``exports/``, written by
    :func:`explainer.export.export_all`. A navigation bar on every page
    links the previous page, the index, the next page and the list of pages,
    and holds a search box over claims, concepts, sections, hormones and
    references. Every figure carries alt text: the cell's ``alt`` metadata,
    or else the paragraph that introduces it.

    The site is built in a temporary folder beside ``target`` and moved into
    place only when it is complete: a failed build leaves ``target`` as it
    was. Nothing is written to the data directory or the notebooks. The
    target must be new, empty or a folder explainer made (see
    :func:`explainer._io.output_folder`); anything else is refused.

    Parameters
    ----------
    target : str or path-like
        The folder to create, or to replace whole.
    notebooks_dir : str or path-like, optional
        Where the notebooks are; by default the ones shipped with the package.
    execute : bool, default False
        Re-execute each notebook (kernel ``python3``, a copy of the notebooks
        folder as working directory, :data:`EXECUTE_KERNELS` kernels at a
        time) before converting it. By default the outputs stored in the
        notebooks are used as they are.
    data_dir : str or path-like, optional
        The data to describe, copy and draw; by default the shipped data. With
        ``execute=True`` the notebooks' kernels read it too (through
        ``$EXPLAINER_DATA_DIR``).
    progress : callable, optional
        Called with one line of text per step (``"site: 02-concept-map.html"``);
        by default the line is printed to stderr.
    force : bool, default False
        Replace a site folder explainer made even if other files were added to it.

    Returns
    -------
    pathlib.Path
        The absolute path of the site folder; open its ``index.html``.

    Raises
    ------
    DataError
        If the notebooks folder holds no numbered notebook, a notebook cannot
        be read, a page would load something from the network, or the data is
        broken.
    OutputError
        If ``target`` is refused (inside the data directory, a folder holding
        somebody's files, a file) or cannot be written; a DataError.
    nbclient.exceptions.CellExecutionError
        If ``execute=True`` and a cell raises.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> with tempfile.TemporaryDirectory() as scratch:
    ...     site = build_site(pathlib.Path(scratch) / "site", progress=lambda line: None)
    ...     (site / "index.html").is_file(), (site / "data" / "datapackage.json").is_file()
    (True, True)
    """
    report = _print_progress if progress is None else progress
    data_root = resolve_data_dir(data_dir)
    target = check_output_target(target, force=force, kind="site", data_dir=data_root)
    folder = DEFAULT_NOTEBOOKS_DIR if notebooks_dir is None else Path(notebooks_dir).resolve()
    sources = _notebook_files(folder)
    notebooks = [_read_notebook(path) for path in sources]
    pages = [_page(path, nb) for path, nb in zip(sources, notebooks, strict=True)]
    if execute:
        notebooks = _execute(folder, sources, notebooks, data_root, report)
    # Read the tables before writing anything: broken data fails the build early.
    from explainer.export import draw_alongside
    from explainer.tables import describe

    tables = describe(data_dir=data_root)
    references = _reference_ids(data_root)
    exporter = _exporter()
    with output_folder(target, force=force, kind="site", data_dir=data_root) as tmp:
        # The concept map is drawn on the other core while the pages are made.
        alongside = draw_alongside(data_root, tmp)
        try:
            (tmp / "style.css").write_bytes(_template("style.css").encode("utf-8"))
            _static(tmp, data_root)
            report("site: map.html, article.html, bibliography.html, dictionary.html")
            _explore_pages(tmp, pages, data_root)
            classes: set[str] = set()
            for number, (page, nb) in enumerate(zip(pages, notebooks, strict=True)):
                report(f"site: {page.href}")
                text = _notebook_html(exporter, nb, page, pages, number, tmp, references)
                (tmp / page.href).write_text(text, encoding="utf-8", newline="\n")
                classes |= _classes(text)
            _notebook_css(exporter, tmp / "static" / "notebook.css", classes)
        finally:
            if alongside is not None:
                alongside.collect()
        report("site: data/")
        downloads = _copy_data(data_root, tmp / "data")
        report("site: exports/")
        exports = _export(tmp, data_root)
        report("site: index.html")
        index = _index_html(pages, tables, downloads, exports, data_root)
        (tmp / "index.html").write_text(index, encoding="utf-8", newline="\n")
        _publishable(tmp)
    report(f"site: done, open {target / 'index.html'}")
    return target


def _publishable(folder: Path) -> None:
    """Let a web server read the site: temporary folders and files are private to their owner."""
    folder.chmod(0o755)
    for path in folder.rglob("*"):
        path.chmod(0o755 if path.is_dir() else 0o644)


def _print_progress(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def _template(name: str) -> str:
    return (resources.files("explainer") / "templates" / name).read_text(encoding="utf-8")


# ----------------------------------------------------------------------------
# The notebooks


def _notebook_files(folder: Path) -> list[Path]:
    found = sorted(p for p in folder.glob("*.ipynb") if _NOTEBOOK_NAME.fullmatch(p.name))
    if not found:
        raise DataError(
            [Problem(str(folder), "no notebooks named NN-title.ipynb here to build a site from")]
        )
    return found


def _read_notebook(path: Path):
    import nbformat

    try:
        return nbformat.read(path, as_version=4)
    except (OSError, ValueError) as exc:  # NotJSONError is a ValueError
        raise DataError([Problem(path.name, f"cannot read the notebook: {exc}")]) from exc


def _page(path: Path, nb) -> _Page:
    """Take a page's title and blurb from the notebook's first markdown cell.

    The title is its first ``# `` heading, the blurb the paragraph after it.
    """
    cell = next((c for c in nb.cells if c.cell_type == "markdown"), None)
    lines = cell.source.splitlines() if cell is not None else []
    title, rest = path.stem, lines
    for number, line in enumerate(lines):
        if line.startswith("# "):
            title, rest = _plain(line[2:]) or path.stem, lines[number + 1 :]
            break
    paragraph: list[str] = []
    for line in rest:
        if not line.strip() or line.lstrip().startswith("#"):
            if paragraph:
                break
            continue
        paragraph.append(line.strip())
    return _Page(source=path, title=title, blurb=_plain(" ".join(paragraph)))


def _plain(markdown: str) -> str:
    """Return inline markdown as plain text: links, code and emphasis unwrapped."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", markdown)
    text = re.sub(r"`([^`]*)`", r"\1", text)
    text = re.sub(r"(\*\*|__)(.+?)\1", r"\2", text)
    text = re.sub(r"(?<![\w*])[*_](?!\s)(.+?)(?<!\s)[*_](?![\w*])", r"\1", text)
    text = re.sub(r"\\([\\`*_{}\[\]()#+\-.!])", r"\1", text)
    return " ".join(text.split())


#: Kernels run at once by ``build_site(execute=True)``: two, for two cores.
EXECUTE_KERNELS = 2


def _execute(folder: Path, sources: Sequence[Path], notebooks: list, data_root: Path, report):
    """Run every notebook in a fresh kernel, in a scratch copy of its folder, two at a time.

    The pages keep the notebooks' order whatever order the kernels finish in.
    """
    from jupyter_core.utils import run_sync
    from nbclient import NotebookClient

    # The kernels read the data the site is built from, and inherit the rest.
    env = {**os.environ, "EXPLAINER_DATA_DIR": str(data_root)}

    async def run_all(workdir: Path) -> list:
        import asyncio

        gate = asyncio.Semaphore(EXECUTE_KERNELS)

        async def run_one(path: Path, nb):
            async with gate:
                report(f"site: executing {path.name}")
                client = NotebookClient(
                    nb,
                    timeout=EXECUTE_TIMEOUT,
                    kernel_name="python3",
                    record_timing=False,
                    resources={"metadata": {"path": str(workdir)}},
                )
                return await client.async_execute(env=env)

        return list(
            await asyncio.gather(
                *(run_one(p, nb) for p, nb in zip(sources, notebooks, strict=True))
            )
        )

    with tempfile.TemporaryDirectory(prefix="explainer-site-") as scratch:
        # A copy, so that nothing a notebook writes lands beside the originals.
        workdir = Path(scratch) / "notebooks"
        shutil.copytree(folder, workdir)
        return run_sync(run_all)(workdir)


# ----------------------------------------------------------------------------
# The pages


def _exporter():
    """Return this thread's page exporter, made once: it compiles its templates on first use.

    One per thread, since an exporter registers per-notebook filters while
    it converts; and per set of Jupyter data folders, where the templates
    are found.
    """
    from jupyter_core.paths import jupyter_path

    key = (threading.get_ident(), tuple(jupyter_path()))
    if key not in _EXPORTERS:
        _EXPORTERS[key] = _new_exporter()
    return _EXPORTERS[key]


_EXPORTERS: Bounded = Bounded(4)  # by thread and template folders


def _new_exporter():
    from jinja2 import DictLoader
    from nbconvert import HTMLExporter
    from nbconvert.exporters.templateexporter import TemplateExporter
    from nbconvert.filters.highlight import Highlight2HTML
    from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

    class OfflineExporter(HTMLExporter):
        """nbconvert's HTML exporter without its BeautifulSoup pass.

        After rendering its template, ``HTMLExporter`` parses the whole page
        with BeautifulSoup and writes it out again, only to give images
        without alt text a placeholder and to make cell inputs and outputs
        focusable: a third of a page's time. The site gives every figure
        real alt text before converting (:func:`_add_alt_text`) and makes
        the same elements focusable with :func:`_focusable`; the rest is
        ``HTMLExporter.from_notebook_node`` as it is.
        """

        def from_notebook_node(self, nb, resources=None, **kw):
            langinfo = nb.metadata.get("language_info", {})
            lexer = langinfo.get("pygments_lexer", langinfo.get("name", None))
            highlight = self.filters.get(
                "highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self)
            )
            resources = self._init_resources(resources)
            data_types = WidgetsDataTypeFilter(
                notebook_metadata=self._nb_metadata, parent=self, resources=resources
            )
            self.register_filter("highlight_code", highlight)
            self.register_filter("filter_data_type", data_types)
            page, resources = TemplateExporter.from_notebook_node(self, nb, resources, **kw)
            return _focusable(page), resources

    exporter = OfflineExporter(
        template_name="lab",
        template_file=_TEMPLATE_FILE,
        extra_loaders=[DictLoader({_TEMPLATE_FILE: _TEMPLATE})],
    )
    exporter.register_preprocessor(_shared_highlight_css(), enabled=True)
    return exporter


def _highlight_css() -> str:
    """Return the code highlighting's stylesheet, as nbconvert would inline it in each page."""
    from jupyterlab_pygments import JupyterStyle
    from pygments.formatters import HtmlFormatter

    return HtmlFormatter(style=JupyterStyle).get_style_defs(".highlight")


def _shared_highlight_css():
    from nbconvert.preprocessors import Preprocessor

    class SharedHighlightCSS(Preprocessor):
        """Leave the code highlighting's styles out of each page: static/notebook.css has them."""

        def preprocess(self, nb, resources):
            resources.setdefault("inlining", {})["css"] = []
            return nb, resources

    return SharedHighlightCSS


_NO_ALT = "No description has been provided for this image"
_FOCUSABLE = {"jp-Cell-inputWrapper", "jp-OutputArea-output"}


def _focusable(page: str) -> str:
    """Do what nbconvert's HTMLExporter does after its template, without parsing the page.

    Every cell input and output area gets ``tabindex="0"``, so that a reader
    can scroll a wide table or figure from the keyboard, and an image with
    no alt text gets nbconvert's placeholder.

    Examples
    --------
    >>> _focusable('<div class="jp-Cell-inputWrapper x"><img src="a.png"></div>')
    ... # doctest: +NORMALIZE_WHITESPACE
    '<div class="jp-Cell-inputWrapper x" tabindex="0"><img src="a.png"
     alt="No description has been provided for this image"></div>'
    """

    def tag(match: re.Match) -> str:
        name, attrs, end = match.group(1), match.group(2) or "", match.group(3)
        if name == "img" and not re.search(r"\salt=", attrs):
            attrs += f' alt="{_NO_ALT}"'
        elif name == "div" and "tabindex=" not in attrs:
            classes = re.search(r'\sclass="([^"]*)"', attrs)
            if classes and _FOCUSABLE & set(classes.group(1).split()):
                attrs += ' tabindex="0"'
        return f"<{name}{attrs}{end}>"

    return re.sub(r"<(img|div)(\s[^>]*?)?(\s*/?)>", tag, page)


def _notebook_html(
    exporter,
    nb,
    page: _Page,
    pages: Sequence[_Page],
    number: int,
    site: Path,
    references: frozenset[str] = frozenset(),
) -> str:
    import nbformat

    # The page's <title>; a new node, so the notebook read from disk is left as it was.
    nb = nbformat.from_dict({**nb, "metadata": {**nb.metadata, "title": page.title}})
    _add_alt_text(nb)
    _link_views(nb)
    _link_references(nb, references)
    _figures_beside(nb, site, page.stem)
    body = _converted(exporter, nb, page.stem)
    top = f"{_nav(pages, number)}\n{_contents(body)}"
    body, found = re.subn(r"<body\b[^>]*>", lambda m: f"{m.group(0)}\n{top}", body, count=1)
    if not found:
        raise DataError([Problem(page.source.name, "nbconvert's page has no <body> tag")])
    body = _link_pages(body, {p.stem for p in pages})
    remote = _REMOTE.search(body)
    if remote:
        raise DataError(
            [
                Problem(
                    page.source.name,
                    "the page would load something from the network, so it is not offline",
                    value=remote.group(0)[-120:],
                )
            ]
        )
    return body


def _link_views(nb) -> None:
    """Put a link to the site's own page in place of a view a notebook shows inline.

    The interactive map and the annotated article have their own pages; a
    second copy inside a notebook's page (an ``<iframe srcdoc>`` with all of
    Cytoscape) would double its weight. The output keeps its static
    fallback where it has one.
    """
    from explainer.explore._page import render

    for cell in nb.cells:
        for output in cell.get("outputs", []):
            text = output.get("data", {}).get("text/html")
            if not isinstance(text, str) or "<iframe" not in text:
                continue
            title = re.search(r'<iframe\b[^>]*\btitle="([^"]*)"', text)
            href = _VIEW_PAGES.get(html.unescape(title.group(1))) if title else None
            if href:
                output["data"] = {
                    "text/html": str(
                        render("_view_link.html", href=href, title=html.unescape(title.group(1)))
                    )
                }


def _reference_ids(data_root: Path) -> frozenset[str]:
    from explainer.tables import load

    return frozenset(str(r) for r in load("references", data_dir=data_root).ref_id)


_TABLE_CELL = re.compile(r"(<td\b[^>]*>)([^<]*)(</td>)")
_WORD = re.compile(r"[A-Za-z0-9_.:-]+")


def _link_references(nb, references: frozenset[str]) -> None:
    """Link every reference key in a notebook's HTML tables to its entry in the bibliography.

    A table cell that names a reference (``carmichael1994``, or several:
    ``le2010; yoo2013``) gets a link to ``bibliography.html#ref-<key>``; any
    other text is left as it was.
    """
    from explainer.explore._page import render

    if not references:
        return

    def word(match: re.Match) -> str:
        text = html.unescape(match.group(0))
        key = text.rstrip(".:-")  # a key that ends a sentence or a label is still the key
        if key not in references:
            return match.group(0)
        href = "bibliography.html#ref-" + quote(key, safe="")
        return str(render("_link.html", href=href, text=key)) + html.escape(text[len(key) :])

    def cell(match: re.Match) -> str:
        return match.group(1) + _WORD.sub(word, match.group(2)) + match.group(3)

    for c in nb.cells:
        for output in c.get("outputs", []):
            text = output.get("data", {}).get("text/html")
            if isinstance(text, str) and "<td" in text:
                output["data"]["text/html"] = _TABLE_CELL.sub(cell, text)
            elif isinstance(text, list) and any("<td" in line for line in text):
                output["data"]["text/html"] = _TABLE_CELL.sub(cell, "".join(text))


def _figures_beside(nb, site: Path, stem: str) -> None:
    """Write every PNG a notebook shows into ``{stem}_files/`` beside its page, and point to it.

    A page then loads its figures as files (cached, fetched as the reader
    scrolls to them) instead of carrying them as base64 text.
    """
    import base64

    number = 0
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if "image/png" not in data:
                continue
            number += 1
            relative = f"{stem}_files/figure-{number:02d}.png"
            path = site / relative
            path.parent.mkdir(exist_ok=True)
            path.write_bytes(_smaller_png(base64.b64decode(data["image/png"])))
            output.setdefault("metadata", {}).setdefault("filenames", {})["image/png"] = quote(
                relative
            )


def _smaller_png(png: bytes) -> bytes:
    """Return a figure as a 256-colour PNG: a third of the size, the same to the eye.

    The notebooks' figures are flat colours and anti-aliased text on white;
    a palette of 256 colours, chosen by median cut without dithering, keeps
    them sharp. Transparent parts are laid on white first, as the page shows
    them. Deterministic: the same figure gives the same bytes.
    """
    import io
    import warnings

    from PIL import Image

    bomb = (Image.DecompressionBombWarning, Image.DecompressionBombError)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(png)) as image:
                rgba = image.convert("RGBA")
    except (OSError, ValueError, *bomb):  # not a picture Pillow reads, or a huge one: kept
        return png
    flat = Image.alpha_composite(Image.new("RGBA", rgba.size, "white"), rgba).convert("RGB")
    palette = flat.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    out = io.BytesIO()
    palette.save(out, format="PNG", optimize=True)
    return out.getvalue() if out.tell() < len(png) else png


def _contents(body: str) -> Markup:
    """Return a notebook page's contents: its first- and second-level headings, linked."""
    from explainer.explore._page import render

    headings = []
    for level, anchor, inner in re.findall(r'<h([12])\s+id="([^"]+)"[^>]*>(.*?)</h\1>', body, re.S):
        text = html.unescape(re.sub(r"<[^>]+>", "", inner)).replace("\u00b6", "").strip()
        if text:
            headings.append(
                {"level": int(level), "href": "#" + html.unescape(anchor), "text": text}
            )
    return render("_contents.html", headings=headings)


def _converted(exporter, nb, stem: str) -> str:
    """Return nbconvert's page for a notebook, converted once per notebook content.

    nbconvert is most of a build's time; the page depends only on the
    notebook (with its title and alt text) and its name, so a process that
    builds the site again from the same notebooks (a test session, a
    notebook cell) reuses the pages. Bounded, like every cache here.
    """
    import hashlib

    key = hashlib.sha256(json.dumps([stem, nb], sort_keys=True).encode("utf-8")).hexdigest()
    if key not in _PAGE_CACHE:
        body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": stem}})
        _PAGE_CACHE[key] = body
    return _PAGE_CACHE[key]


_PAGE_CACHE: Bounded = Bounded(16)  # the newest converted pages, by content


def _link_pages(body: str, stems: set[str]) -> str:
    """Point a notebook's links to other notebooks at their pages in the site."""

    def relink(match: re.Match) -> str:
        stem, fragment = match.group(1), match.group(2) or ""
        return f'href="{stem}.html{fragment}"' if stem in stems else match.group(0)

    return re.sub(r'href="([^"/:#?]+)\.ipynb(#[^"]*)?"', relink, body)


def _nav(pages: Sequence[_Page], current: int | str | None) -> Markup:
    """Return the navigation bar and search box.

    ``current`` is the page's number, the file name of an explore page, or
    ``None`` for the index.
    """
    from explainer.explore._page import render

    if not isinstance(current, int):
        previous, following = None, pages[0] if pages else None
    else:
        previous = pages[current - 1] if current > 0 else None
        following = pages[current + 1] if current + 1 < len(pages) else None
    items = [{"href": "index.html", "title": "Index", "here": current is None}]
    items += [
        {"href": p.href, "title": p.title, "here": number == current}
        for number, p in enumerate(pages)
    ]
    items += [{"href": h, "title": t, "here": h == current} for h, t in _EXPLORE_PAGES]
    return render("_nav.html", previous=previous, following=following, items=items)


def _verdict_grid(data_dir: Path) -> dict:
    """Return the verdict-by-certainty table of the index, every cell with the claims it counts."""
    from explainer.explore.article import VERDICT_COLOURS
    from explainer.findings import verdict_certainty_claims

    cells = verdict_certainty_claims(data_dir=data_dir)
    certainties = list(dict.fromkeys(cells.certainty))
    order = ["high", "moderate", "low", "very low", "not checked"]
    certainties = sorted(certainties, key=lambda c: order.index(c) if c in order else len(order))
    verdicts = list(dict.fromkeys(cells.verdict))
    widest = max([len(ids) for ids in cells.claim_ids] + [1])
    rows = []
    for verdict in verdicts:
        mine = cells[cells.verdict == verdict]
        by_certainty = dict(zip(mine.certainty, mine.claim_ids, strict=True))
        row_cells = [
            {
                "ids": list(by_certainty.get(c, ())),
                "share": round(100 * len(by_certainty.get(c, ())) / widest),
            }
            for c in certainties
        ]
        rows.append(
            {
                "verdict": str(verdict).replace("_", " "),
                "colour": VERDICT_COLOURS.get(str(verdict), "#999999"),
                "cells": row_cells,
                "total": int(mine.claims.sum()),
            }
        )
    return {"certainties": certainties, "rows": rows, "total": int(cells.claims.sum())}


def _strongest(data_dir: Path) -> list[dict]:
    from explainer.findings import strongest_claims
    from explainer.plots._routes import text_of

    return [
        {
            "claim_id": str(c.claim_id),
            "statement": text_of(c.statement),
            "verdict_key": text_of(c.verdict),
            "verdict": text_of(c.verdict).replace("_", " "),
            "certainty": text_of(c.certainty).replace("_", " "),
        }
        for c in strongest_claims(data_dir=data_dir).itertuples(index=False)
    ]


def _index_html(
    pages: Sequence[_Page], tables, downloads: dict[str, str], exports, data_root: Path
) -> str:
    from explainer.explore._page import render
    from explainer.findings import findings

    rows = [
        {
            "name": str(row.table),
            "href": downloads.get(row.table, ""),
            "rows": str(row.rows),
            "description": str(row.description),
        }
        for row in tables.itertuples(index=False)
    ]
    body = render(
        "index.html",
        title=_TITLE,
        lede=_LEDE,
        intro=_INTRO,
        findings=findings(data_dir=data_root),
        strongest=_strongest(data_root),
        grid=_verdict_grid(data_root),
        map_alt=_MAP_ALT,
        map_caption=_MAP_CAPTION,
        pages=pages,
        tables=rows,
        exports=list(exports or ()),
    )
    return _site_page(_TITLE, body, _nav(pages, None))


def _site_page(
    title: str,
    body: Markup,
    nav: Markup,
    *,
    data: dict | None = None,
    sources: Sequence[str] = (),
    jsonld=None,
) -> str:
    """Return one of the site's own pages: its styles and scripts linked from static/."""
    from explainer.explore._page import shell

    return shell(
        title,
        body,
        standalone=False,
        nav=nav,
        body_class="explainer-index",
        data=data,
        sources=sources,
        jsonld=jsonld,
    )


# ----------------------------------------------------------------------------
# The figure, the data and the exports


def _copy_data(data_root: Path, folder: Path) -> dict[str, str]:
    """Copy the descriptor and every CSV it lists; return each table's link.

    Every file is read through the one safe reader, as the loader reads it:
    the guarded descriptor names plain CSV files inside the folder, and a
    link leaving it, a pipe or an oversize file is refused.
    """
    from explainer._read import read_inside
    from explainer.descriptor import DESCRIPTOR, MAX_DESCRIPTOR_BYTES, read_descriptor
    from explainer.tables import MAX_TABLE_BYTES

    descriptor = read_descriptor(data_root)
    folder.mkdir()
    (folder / DESCRIPTOR).write_bytes(
        read_inside(data_root, data_root / DESCRIPTOR, MAX_DESCRIPTOR_BYTES)
    )
    links = {}
    for resource in descriptor["resources"]:
        relative = resource["path"]  # a plain CSV file name: the descriptor's guard says so
        (folder / relative).write_bytes(
            read_inside(data_root, data_root / relative, MAX_TABLE_BYTES)
        )
        links[resource["name"]] = "data/" + quote(relative)
    return links


def _export(site: Path, data_dir) -> list[str]:
    """Write the exports into ``site/exports``; return their links, relative to the site."""
    from explainer.export import write_exports

    folder = site / "exports"
    folder.mkdir()
    written = write_exports(folder, data_dir=data_dir)
    for path in map(Path, written):
        if path.suffix == ".png":  # the site's copy only: the same picture, a third of the bytes
            path.write_bytes(_smaller_png(path.read_bytes()))
    root = site.resolve()
    return sorted(quote(Path(p).resolve().relative_to(root).as_posix()) for p in written)


# ----------------------------------------------------------------------------
# Alt text, the explore pages and their scripts


def _introduction(cells, index: int) -> str:
    """Return the last paragraph of the markdown cell before ``cells[index]``, as plain text."""
    for cell in reversed(cells[:index]):
        if cell.cell_type == "markdown":
            paragraphs = [p for p in re.split(r"\n\s*\n", cell.source) if p.strip()]
            text = _plain(paragraphs[-1]) if paragraphs else ""
            return text.lstrip("#").strip()
        if any("image/png" in o.get("data", {}) for o in cell.get("outputs", [])):
            return ""
    return ""


def _add_alt_text(nb) -> None:
    """Give every PNG output alt text: the cell's ``alt`` metadata, or the sentence before it."""
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        for output in cell.get("outputs", []):
            if "image/png" not in output.get("data", {}):
                continue
            alt = cell.metadata.get("alt") or _introduction(nb.cells, index)
            if not alt:
                alt = "A figure drawn by the code above: " + " ".join(cell.source.split())[:120]
            metadata = output.setdefault("metadata", {})
            metadata.setdefault("image/png", {})["alt"] = alt


def _notebook_css(exporter, path: Path, classes: set[str]) -> None:
    """Write nbconvert's lab stylesheets, which every notebook page links, into one file.

    Only the rules that can apply to the pages are kept (see :func:`_used_css`):
    JupyterLab's stylesheet styles its whole application, menus and dialogs included.
    """
    parts = []
    for name in _NOTEBOOK_CSS:
        found = next(
            (Path(d) / name for d in exporter.template_paths if (Path(d) / name).is_file()), None
        )
        if found is None:
            raise DataError([Problem(name, "nbconvert's lab template has no such stylesheet")])
        parts.append(_used_css(_minified_css(found.read_text(encoding="utf-8")), classes))
    # What the lab template writes inline after them: anchor links hidden, inputs clipped;
    # and the code highlighting nbconvert would inline in each page.
    parts.append("a.anchor-link { display: none; }\n.jp-InputArea { overflow: hidden; }\n")
    parts.append(_minified_css(_highlight_css()))
    # One stylesheet declares the properties, another reads them: pruned together.
    css = _minified_css(_used_properties("\n".join(parts)))
    path.write_text(css, encoding="utf-8", newline="\n")


_CSS_TOKENS = re.compile(r"""("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')|(?:\s|/\*.*?\*/)+""", re.S)


def _minified_css(css: str) -> str:
    """Return a stylesheet without its comments and runs of white space (strings kept).

    Examples
    --------
    >>> _minified_css('a  {  content: "/* x  */"; /* gone */ }').strip()
    'a { content: "/* x  */"; }'
    """
    return _CSS_TOKENS.sub(lambda m: m.group(1) or " ", css).strip() + "\n"


def _classes(page: str) -> set[str]:
    """Return the class names a page's elements carry."""
    return {name for value in re.findall(r'\bclass="([^"]*)"', page) for name in value.split()}


_NEGATED = re.compile(r":not\([^()]*\)")


def _used_css(css: str, classes: set[str]) -> str:
    """Return ``css`` without the rules whose every selector needs a class no page has.

    A selector can match only if each class it names (outside ``:not()``) is
    on some element; a rule without classes (``:root``, ``body``, ``a``) and
    every at-rule (``@media``, ``@font-face``) is kept whole. The pages have
    no script that adds a class nbconvert's stylesheet styles.

    Examples
    --------
    >>> _used_css(":root{--x:1} .a .b{c:d} .a:not(.z){e:f} .q,.a{g:h} .q{i:j}", {"a", "b"})
    ':root{--x:1} .a .b{c:d} .a:not(.z){e:f} .q,.a{g:h}'
    """
    kept, depth, start = [], 0, 0
    for at, char in enumerate(css):
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                rule = css[start : at + 1]
                start = at + 1
                selectors = rule.split("{", 1)[0]
                if selectors.strip().startswith("@") or any(
                    set(re.findall(r"\.(-?[_a-zA-Z][\w-]*)", _NEGATED.sub("", one))) <= classes
                    for one in selectors.split(",")
                ):
                    kept.append(rule)
    return "".join(kept).strip()


# A custom property's declaration: its value may hold strings and url(...) with ';' inside.
_PROPERTY = re.compile(
    r"""(--[\w-]+)\s*:(?:url\([^)]*\)|"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|[^;{}"'])*(?:;|(?=\}))"""
)


def _used_properties(css: str) -> str:
    """Return ``css`` without the custom properties that no ``var()`` reads.

    JupyterLab's ``:root`` declares hundreds of them (its icons as base64
    images among them) for its application; a notebook page reads few. A
    property read only by a removed one goes too. The pages' own markup and
    scripts use no ``var()`` of nbconvert's stylesheet.

    Examples
    --------
    >>> _used_properties(":root{--a:1;--b:url(data:x;y);--c:var(--a)} p{color:var(--c)}")
    ':root{--a:1;--c:var(--a)} p{color:var(--c)}'
    """
    while True:
        used = set(re.findall(r"var\(\s*(--[\w-]+)", css))
        kept = _PROPERTY.sub(lambda m, used=used: m.group(0) if m.group(1) in used else "", css)
        if kept == css:
            return css
        css = kept


def _static(site: Path, data_root: Path) -> None:
    """Write static/: the explore scripts and styles, the vendored libraries, the search index."""
    from explainer.explore._page import script_json
    from explainer.explore.search import search_documents

    folder = site / "static"
    folder.mkdir()
    base = resources.files("explainer") / "static"
    for name, source in sorted(_STATIC.items()):
        (folder / name).write_bytes((base / source).read_bytes())
    docs = script_json(search_documents(data_dir=data_root))
    (folder / "search-index.js").write_text(
        f"window.EXPLAINER_SEARCH = {docs};\n", encoding="utf-8", newline="\n"
    )


@derived()
def _explore_contents(*, data_dir: Path | None = None) -> tuple[dict, dict, Markup, list]:
    """Return the map's and article's data, the dictionary and the bibliography, once per data."""
    from explainer.explore.article import article_data
    from explainer.explore.bibliography import bibliography_entries
    from explainer.explore.dictionary import dictionary_body
    from explainer.explore.map import map_data
    from explainer.graph import concept_graph

    return (
        map_data(concept_graph(data_dir=data_dir), data_dir=data_dir),
        article_data(data_dir=data_dir),
        dictionary_body(data_dir=data_dir),
        bibliography_entries(data_dir=data_dir),
    )


def _claim_reviews(data_dir: Path) -> list[dict]:
    """Return each assessed claim's ClaimReview, its ``url`` the claim's anchor in article.html."""
    from explainer.audit import claim_reviews

    return [
        {**review, "url": f"article.html#{quote(str(review['identifier']), safe='')}"}
        for review in claim_reviews(data_dir=data_dir)
    ]


def _explore_pages(site: Path, pages: Sequence[_Page], data_root: Path) -> None:
    """Write map.html, article.html, bibliography.html and dictionary.html."""
    from explainer.explore._page import render
    from explainer.explore.article import article_body
    from explainer.explore.bibliography import bibliography_body
    from explainer.explore.map import map_body

    data, article, dictionary, entries = _explore_contents(data_dir=data_root)
    contents = {
        "map.html": (
            map_body(data),
            {"EXPLAINER_MAP": data},
            ("static/cytoscape.min.js", "static/map.js"),
            None,
        ),
        "article.html": (
            article_body(article, site=True),
            {"EXPLAINER_ARTICLE": article["claims"], "EXPLAINER_BIBLIOGRAPHY": "bibliography.html"},
            ("static/article.js",),
            _claim_reviews(data_root),
        ),
        "bibliography.html": (bibliography_body(entries), {}, (), None),
        "dictionary.html": (
            render("dictionary_page.html", body=dictionary, site=True),
            {},
            (),
            None,
        ),
    }
    for name, title in _EXPLORE_PAGES:
        body, data_scripts, sources, jsonld = contents[name]
        text = _site_page(
            title, body, _nav(pages, name), data=data_scripts, sources=sources, jsonld=jsonld
        )
        (site / name).write_text(text, encoding="utf-8", newline="\n")
