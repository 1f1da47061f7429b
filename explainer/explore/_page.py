"""What every explore view shares: the vendored scripts, safe JSON in HTML, and the View object."""

from __future__ import annotations

import html
import json
import os
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

__all__ = ["View", "page", "script_json", "vendor"]


def vendor(name: str) -> str:
    """Return a vendored script's text (``cytoscape`` or ``minisearch``)."""
    files = {"cytoscape": "cytoscape/cytoscape.min.js", "minisearch": "minisearch/minisearch.js"}
    return (resources.files("explainer") / "static" / "vendor" / files[name]).read_text("utf-8")


def asset(name: str) -> str:
    """Return one of the explore views' own files (``explore.css``, ``map.js`` ...)."""
    return (resources.files("explainer") / "static" / name).read_text("utf-8")


def script_json(value) -> str:
    """Return ``value`` as JSON that is safe inside a ``<script>`` element, keys sorted."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.replace("</", "<\\/").replace("<!--", "<\\!--")


def page(title: str, body: str, *, head: str = "", scripts: tuple[str, ...] = ()) -> str:
    """Return a complete, self-contained HTML page: styles and scripts inline."""
    inline = "\n".join(f"<script>{s}</script>" for s in scripts)
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1.0">\n'
        f"<title>{html.escape(title)}</title>\n<style>{asset('explore.css')}</style>\n{head}"
        f"</head>\n<body>\n{body}\n{inline}\n</body>\n</html>\n"
    )


def _attribute(text: str) -> str:
    """Escape ``text`` for a double-quoted attribute: only ``&`` and ``"`` need it (smaller)."""
    return text.replace("&", "&amp;").replace('"', "&quot;")


@dataclass(frozen=True)
class View:
    """An interactive view: a standalone page, shown inline by Jupyter.

    ``html`` is a complete page with everything inline (no network);
    Jupyter shows it in an ``<iframe srcdoc>`` of ``height`` pixels, so its
    scripts and styles cannot clash with the notebook's.
    """

    title: str
    html: str = field(repr=False)
    height: int = 640

    def __repr__(self) -> str:
        return (
            f"<View {self.title!r}: a page of {len(self.html) // 1000} kB; .save(path) writes it>"
        )

    def _repr_html_(self) -> str:
        return (
            f'<iframe title="{html.escape(self.title)}" srcdoc="{_attribute(self.html)}" '
            f'style="width:100%;height:{self.height}px;border:1px solid #ccc" '
            'sandbox="allow-scripts"></iframe>'
        )

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the standalone page to ``path`` and return it."""
        from explainer._io import atomic_write_text

        return atomic_write_text(Path(path), self.html)
