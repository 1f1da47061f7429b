"""The one way the explainer writes HTML: Jinja2 templates with autoescape, and JSON for scripts.

Every page and view (the site's index, bibliography and explore pages, and
the views Jupyter shows) is rendered from a template in
``explainer/templates`` by :func:`render`, with autoescape on: a value from
the data is escaped for where it goes whatever it holds. JSON that a page
hands to its scripts goes through :func:`script_json`, the only helper that
writes data inside a ``<script>`` element.
"""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from markupsafe import Markup

__all__ = ["View", "asset", "page", "render", "script_json", "shell", "vendor"]


def vendor(name: str) -> str:
    """Return a vendored script's text (``cytoscape`` or ``minisearch``)."""
    files = {"cytoscape": "cytoscape/cytoscape.min.js", "minisearch": "minisearch/minisearch.js"}
    return (resources.files("explainer") / "static" / "vendor" / files[name]).read_text("utf-8")


def asset(name: str) -> str:
    """Return one of the explore views' own files (``explore.css``, ``map.js`` ...)."""
    return (resources.files("explainer") / "static" / name).read_text("utf-8")


# Characters that could end a <script> element, open a comment or an entity in it,
# or end a JavaScript line (U+2028 and U+2029 are line ends in older engines).
_SCRIPT_UNSAFE = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}
_SCRIPT_TABLE = str.maketrans(_SCRIPT_UNSAFE)


def script_json(value) -> Markup:
    """Return ``value`` as JSON that is safe inside a ``<script>`` element, keys sorted.

    ``<``, ``>``, ``&``, U+2028 and U+2029 are written as ``\\uXXXX``
    escapes: JSON means the same, and no string in the data can close the
    element, open a comment or end a line of the script.

    Examples
    --------
    >>> str(script_json({"q": "</script><b>&"}))
    '{"q":"\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e\\\\u0026"}'
    >>> json.loads(script_json(["</script>"]))
    ['</script>']
    """
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return Markup(text.translate(_SCRIPT_TABLE))


def _inline(text: str, element: str) -> Markup:
    """Return one of the package's own scripts or styles for inline use.

    One that would end its element early is refused (the package's files
    are trusted; data never comes here).
    """
    if f"</{element}" in text.lower():
        raise ValueError(f"an inline {element} holds '</{element}': it would end the element")
    return Markup(text)


@functools.cache
def _environment():
    from jinja2 import Environment, PackageLoader, StrictUndefined

    env = Environment(
        loader=PackageLoader("explainer", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["script_json"] = script_json
    env.filters["inline_script"] = lambda text: _inline(text, "script")
    env.filters["inline_style"] = lambda text: _inline(text, "style")
    env.filters["fragment"] = _fragment
    return env


def _fragment(text) -> str:
    """Return ``text`` percent-encoded for a URL's ``#fragment`` (an id from the data)."""
    from urllib.parse import quote

    return quote(str(text), safe="")


def render(template: str, /, **context) -> Markup:
    """Render one of the package's templates, every value escaped for where it goes.

    Examples
    --------
    >>> str(render("_link.html", href="a.html?x=1&y=2", text="<b>"))
    '<a href="a.html?x=1&amp;y=2">&lt;b&gt;</a>'
    """
    return Markup(_environment().get_template(template).render(**context))


def page(
    title: str,
    body: Markup,
    *,
    scripts: tuple[str, ...] = (),
    data: dict | None = None,
    jsonld=None,
) -> str:
    """Return a complete, self-contained HTML page: styles and scripts inline.

    ``data`` maps a ``window`` variable to the value its scripts read
    (written with :func:`script_json`); ``scripts`` are the package's own
    scripts, run after it in order; ``jsonld`` is embedded as
    ``application/ld+json``.
    """
    return shell(title, body, standalone=True, data=data, scripts=scripts, jsonld=jsonld)


def shell(
    title: str,
    body: Markup,
    *,
    standalone: bool,
    nav: Markup | None = None,
    body_class: str = "",
    data: dict | None = None,
    scripts: tuple[str, ...] = (),
    sources: Sequence[str] = (),
    jsonld=None,
) -> str:
    """Return ``body`` in the package's page shell, ``_shell.html``: a whole HTML page.

    A ``standalone`` page carries its styles inline (a view, an explorer
    page); any other links them from ``static/`` (a page of the site).
    ``nav`` and ``body_class`` are the site's; ``data``, ``scripts`` and
    ``jsonld`` are as for :func:`page`; ``sources`` are script files it links.
    """
    return str(
        render(
            "_shell.html",
            title=title,
            body=body,
            standalone=standalone,
            css=asset("explore.css") if standalone else None,
            nav=nav,
            body_class=body_class,
            data=data or {},
            scripts=scripts,
            sources=sources,
            jsonld=jsonld,
        )
    )


@dataclass(frozen=True)
class View:
    """An interactive view: a standalone page, shown inline by Jupyter.

    ``html`` is a complete page with everything inline (no network);
    Jupyter shows it in an ``<iframe srcdoc>`` of ``height`` pixels, so its
    scripts and styles cannot clash with the notebook's. ``fallback`` is
    what a reader sees before the cell is run: JupyterLab removes scripts
    and frames from the outputs of a notebook it does not trust, so the
    output also holds this static HTML (a picture or a list, and a line
    saying to run the cell), which a script hides once the frame can run.
    """

    title: str
    html: str = field(repr=False)
    height: int = 640
    fallback: str = field(default="", repr=False)

    def __repr__(self) -> str:
        return (
            f"<View {self.title!r}: a page of {len(self.html) // 1000} kB; .save(path) writes it>"
        )

    def _repr_html_(self) -> str:
        import hashlib

        # The style that hides the fallback once the output can run applies to this output
        # only: another view's output in the same notebook may still be untrusted.
        key = "explainer-view-" + hashlib.sha256(self.html.encode("utf-8")).hexdigest()[:12]
        return str(
            render(
                "_frame.html",
                key=key,
                title=self.title,
                page=self.html,
                height=self.height,
                fallback=Markup(self.fallback),
            )
        )

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the standalone page to ``path`` and return it."""
        from explainer._io import atomic_write_text

        return atomic_write_text(Path(path), self.html)
