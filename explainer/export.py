"""Exports for other tools: GraphML, node-link JSON, Mermaid, ClaimReview JSON-LD.

The export set is built in a temporary folder and swapped in whole: a failed
or killed export leaves the earlier set as it was. Nothing here writes into
the data folder. Text from the data is cleaned for each format (XML 1.0
characters in GraphML, ids and quoting in Mermaid), so every file parses
whatever the tables hold.
"""

from __future__ import annotations

import io
import json
import os
import re
import warnings
from pathlib import Path

from explainer._cache import Bounded
from explainer._docs import fill_doc
from explainer._io import check_output_target, output_folder
from explainer._paths import resolve_data_dir

__all__ = [
    "EXPORTS",
    "claims_jsonld",
    "export_all",
    "graph_json",
    "graphml",
    "mermaid",
    "png_size",
    "write_exports",
]

#: The files :func:`export_all` writes, in order.
EXPORTS = (
    "concept-map.graphml",
    "concept-map.json",
    "concept-map.mmd",
    "concept-map.png",
    "claims.jsonld",
)

PathLike = str | os.PathLike[str]


@fill_doc
def graphml(G) -> str:
    """Return the concept map as GraphML text (for Gephi, Cytoscape, yEd).

    Node attributes ``label``, ``kind`` and ``description`` and every edge
    attribute become GraphML keys; the edge key is the relation id.

    %(concept_map_returns)s
    str

    %(concept_graph_example)s
    >>> graphml(concept_graph()).startswith("<?xml")
    True
    """
    import networkx as nx

    buf = io.BytesIO()
    nx.write_graphml(
        _cleaned(G, _xml_text),
        buf,
        encoding="utf-8",
        prettyprint=True,
        named_key_ids=True,
        edge_id_from_attribute="relation_id",
    )
    return buf.getvalue().decode("utf-8")


@fill_doc
def graph_json(G) -> str:
    """Return the concept map as networkx node-link JSON.

    Read it back with ``networkx.node_link_graph(json.loads(text), edges="edges")``.

    %(graph_returns)s
    str
        Indented JSON, keys sorted, ending in a newline.

    Examples
    --------
    >>> import json
    >>> from explainer import concept_graph
    >>> json.loads(graph_json(concept_graph()))["directed"]
    True
    """
    import networkx as nx

    data = nx.node_link_data(_cleaned(G, _json_text), edges="edges")
    return json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True, allow_nan=False) + "\n"


def claims_jsonld(reviews) -> str:
    """Return ClaimReview records as JSON-LD text, valid JSON whatever the data holds.

    Parameters
    ----------
    reviews : list of dict
        From :func:`explainer.audit.claim_reviews`.

    Returns
    -------
    str

    Examples
    --------
    >>> json.loads(claims_jsonld([{"claimReviewed": "x", "rating": float("nan")}]))
    [{'claimReviewed': 'x', 'rating': None}]
    """
    return json.dumps(_json_value(reviews), indent=2, ensure_ascii=False, allow_nan=False) + "\n"


# Text from the data, made safe for each format.
# XML 1.0 allows tab, newline, carriage return and the characters from U+0020
# on, except surrogates and U+FFFE/U+FFFF: everything else becomes U+FFFD.
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _missing(value) -> bool:
    try:
        import pandas as pd

        return value is None or bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _xml_text(value):
    if _missing(value):
        return ""
    if isinstance(value, str):
        return _XML_FORBIDDEN.sub("\ufffd", value)
    return value


def _json_text(value):
    if _missing(value):
        return None
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    return value


def _json_value(value):
    if isinstance(value, dict):
        return {str(_json_text(k)): _json_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_value(v) for v in value]
    if isinstance(value, float) and value != value:
        return None
    return _json_text(value) if not isinstance(value, bool | int | float) else value


def _cleaned(G, clean):
    """Return a copy of ``G`` with every id, attribute and graph value passed through ``clean``."""
    import networkx as nx

    H = nx.MultiDiGraph(**{k: clean(v) for k, v in G.graph.items()})
    for node, data in G.nodes(data=True):
        H.add_node(clean(node), **{k: clean(v) for k, v in data.items()})
    for u, v, key, data in G.edges(keys=True, data=True):
        H.add_edge(clean(u), clean(v), key=clean(key), **{k: clean(v) for k, v in data.items()})
    return H


_MERMAID_STYLE = {
    "practice": "fill:#F0E442,color:#000",
    "challenge": "fill:#999999,color:#000",
    "activity": "fill:#E69F00,color:#000",
    "hormone": "fill:#56B4E9,color:#000",
    "brain_system": "fill:#CC79A7,color:#000",
    "state": "fill:#009E73,color:#fff",
    "outcome": "fill:#D55E00,color:#fff",
}


# Characters that could end a quoted label or start markup or an entity are
# written as Mermaid entity codes (#34; is a double quote).
_MERMAID_ESCAPE = re.compile(r'[\x00-\x1f"#&<>|\[\]{}()`;\\\x7f-\x9f\ud800-\udfff]')
_MERMAID_ID = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,63}")
# Words Mermaid's flowchart grammar reads as keywords, never as node ids.
_MERMAID_RESERVED = {
    "end",
    "graph",
    "flowchart",
    "subgraph",
    "style",
    "class",
    "classdef",
    "click",
    "linkstyle",
    "direction",
    "call",
    "href",
    "default",
    "interpolate",
}


def _mermaid_text(text) -> str:
    text = "" if _missing(text) else str(text)
    text = re.sub(r"\s+", " ", text).strip()
    return _MERMAID_ESCAPE.sub(lambda m: "#quot;" if m[0] == '"' else f"#{ord(m[0])};", text)


def _mermaid_ids(nodes) -> dict:
    """Map each node to a Mermaid id: its own when safe, else ``n<k>`` (unique)."""
    ids, used = {}, set()
    for node in sorted(nodes, key=str):
        name = str(node)
        if (
            not _MERMAID_ID.fullmatch(name)
            or name.lower() in _MERMAID_RESERVED
            or name.lower() in used
            or re.fullmatch(r"n\d+", name)
        ):
            name = f"n{len(ids)}"
            while name.lower() in used:
                name += "_"
        ids[node] = name
        used.add(name.lower())
    return ids


@fill_doc
def mermaid(G) -> str:
    """Return the concept map as a Mermaid flowchart (renders on GitHub).

    Causal and correlational links are solid arrows, definitions and
    rebuttals dotted; negative links say so in their label. Each label is
    the edge's ``phrase``: the linking phrase with the article's force
    ("can be a source of", not "is a source of").

    %(graph_returns)s
    str

    %(concept_graph_example)s
    >>> text = mermaid(concept_graph())
    >>> text.splitlines()[0]
    'flowchart LR'
    >>> '|"can be a source of"|' in text
    True
    """
    lines = ["flowchart LR"]
    ids = _mermaid_ids(G.nodes)
    for node in sorted(G.nodes, key=str):
        kind = str(G.nodes[node].get("kind", ""))
        style = f":::{kind}" if kind in _MERMAID_STYLE else ""
        lines.append(f'    {ids[node]}["{_mermaid_text(G.nodes[node].get("label"))}"]{style}')
    for u, v, d in sorted(G.edges(data=True), key=lambda e: str(e[2]["relation_id"])):
        arrow = "-->" if d["link_type"] in {"causal", "correlational"} else "-.->"
        label = _mermaid_text(d.get("phrase") or d["link"])
        lines.append(f'    {ids[u]} {arrow}|"{label}"| {ids[v]}')
    for kind, style in _MERMAID_STYLE.items():
        lines.append(f"    classDef {kind} {style}")
    return "\n".join(lines) + "\n"


def _png(G) -> bytes:
    """Return the concept map drawn as PNG bytes, drawn once per graph and style.

    Drawing the map is the slowest part of an export (most of a second), and
    a process that builds the site and the exports several times (a test
    session, a notebook) would draw the same picture each time. The bytes
    are kept, keyed by a hash of everything the drawing reads: the graph
    with its attributes (node-link JSON) and matplotlib's settings.
    """
    key = _png_key(G)
    if key not in _PNG_CACHE:
        _PNG_CACHE[key] = _draw_png(G)
    return _PNG_CACHE[key]


def _png_key(G) -> str:
    import hashlib

    import matplotlib

    # dict.items: reading rcParams["backend"] through the mapping would pick
    # a backend (importing pyplot); the backend does not change a saved PNG.
    style = sorted(
        (k, v) for k, v in dict.items(matplotlib.rcParams) if not k.startswith("backend")
    )
    return hashlib.sha256(graph_json(G).encode("utf-8") + repr(style).encode()).hexdigest()


def _die_with(parent: int) -> None:
    """Make this forked child die with its parent: a killed build leaves no drawer behind.

    Linux's ``prctl(PR_SET_PDEATHSIG, SIGKILL)``; elsewhere the child
    finishes its drawing into a folder the next build removes.
    """
    import signal

    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # 1: PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:  # the parent died before the line above
        os._exit(1)


class Alongside:
    """The concept map being drawn by a forked child while this process goes on.

    Made by :func:`draw_alongside`; :meth:`collect` waits for the child and
    puts its picture in the cache that :func:`_png` reads.
    """

    def __init__(self, pid: int, path: Path):
        self.pid, self.path = pid, path

    def collect(self) -> bool:
        """Wait for the child; return True if its picture is now in the cache.

        If the child failed, nothing is kept and the export draws the map
        itself (raising whatever the drawing raises, in this process).
        """
        try:
            _, status = os.waitpid(self.pid, 0)
            if os.waitstatus_to_exitcode(status) != 0 or not self.path.is_file():
                return False
            key, png = self.path.read_bytes().split(b"\n", 1)
            _PNG_CACHE[key.decode("ascii")] = png
            return True
        finally:
            self.path.unlink(missing_ok=True)


def draw_alongside(data_dir: PathLike | None, scratch: Path) -> Alongside | None:
    """Start drawing the concept map in a forked child; None where that is not safe.

    Drawing the map takes about a second, most of it in matplotlib; a site
    build spends several seconds converting notebooks meanwhile, on one core.
    The child draws on the other. Only a process with a single thread forks
    (a notebook's kernel or a test runner has more, and forking them is not
    safe); there, and where ``os.fork`` does not exist, the map is drawn in
    the process as before. The child writes its picture into ``scratch`` (a
    folder of the build, removed with it if the build fails), and dies with
    its parent.

    Parameters
    ----------
    data_dir : str or path-like, optional
    scratch : pathlib.Path
        An existing folder the caller owns.

    Returns
    -------
    Alongside or None
    """
    import threading

    if not hasattr(os, "fork") or threading.active_count() > 1 or _PNG_CACHE:
        return None  # a process that drew the map before has it in its cache
    path = scratch / ".concept-map.png.part"
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:  # the child: draw, write, and leave without running the parent's exit code
        code = 1
        try:
            _die_with(parent)
            from explainer.graph import concept_graph

            G = concept_graph(data_dir=data_dir)
            path.write_bytes(_png_key(G).encode("ascii") + b"\n" + _draw_png(G))
            code = 0
        except BaseException:  # the parent draws it again, and reports what fails
            pass
        finally:
            os._exit(code)
    return Alongside(pid, path)


_PNG_CACHE: Bounded = Bounded(4)  # the newest pictures, by _png_key


#: The resolution of the concept map's picture.
PNG_DPI = 110
#: The largest whole-map picture drawn, in pixels on a side (the shipped map is
#: about 1,230 by 1,080). A larger map is too big to read as one picture, and
#: would cost memory as its area: its picture is an overview instead.
MAX_PNG_SIDE = 10_000


@fill_doc
def png_size(G) -> tuple[int, int]:
    """Return the size in pixels (width, height) of the whole concept map's picture.

    %(graph_returns)s
    tuple of int

    %(concept_graph_example)s
    >>> max(png_size(concept_graph())) < MAX_PNG_SIDE
    True
    """
    from explainer.plots.layout import layered_layout

    layout = layered_layout(G)
    return round(layout.width * PNG_DPI), round((layout.height + 1.7) * PNG_DPI)


def _draw_png(G) -> bytes:
    import sys

    import matplotlib

    if "matplotlib.pyplot" not in sys.modules:
        # Headless: never open a window. A process that already uses pyplot
        # (a notebook, say) keeps its backend; savefig draws the PNG anyway.
        matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from explainer.plots import draw_concept_map

    G = _cleaned(G, _xml_text)
    width, height = png_size(G)
    # Labels are the data's text: a "$" is a dollar sign, never mathtext.
    with warnings.catch_warnings(), matplotlib.rc_context({"text.parse_math": False}):
        # A label may hold characters no font draws (emoji, control characters):
        # the picture shows a box for them; the text exports keep them.
        warnings.filterwarnings("ignore", message="Glyph .* missing from font")
        warnings.filterwarnings("ignore", message="Matplotlib currently does not support")
        if max(width, height) > MAX_PNG_SIDE:
            ax = _draw_overview(G, width, height)
        else:
            ax = draw_concept_map(G)
        buf = io.BytesIO()
        ax.figure.savefig(
            buf, format="png", dpi=PNG_DPI, bbox_inches="tight", metadata={"Software": None}
        )
    plt.close(ax.figure)
    return buf.getvalue()


def _draw_overview(G, width: int, height: int):
    """Draw what a map too large to picture holds: its concepts by kind; say why."""
    import matplotlib.pyplot as plt

    from explainer.errors import Note
    from explainer.plots import CONCEPT_COLOURS

    message = (
        f"the concept map ({G.number_of_nodes():,} concepts, {G.number_of_edges():,} links) "
        f"would be a picture of {width:,} by {height:,} pixels, larger than "
        f"{MAX_PNG_SIDE:,} on a side: concept-map.png shows an overview instead "
        "(open concept-map.graphml or concept-map.json for the whole map)"
    )
    warnings.warn(message, Note, stacklevel=3)
    counts: dict[str, int] = {}
    for _, kind in G.nodes(data="kind"):
        counts[str(kind)] = counts.get(str(kind), 0) + 1
    kinds = [k for k in CONCEPT_COLOURS if k in counts] + sorted(set(counts) - set(CONCEPT_COLOURS))
    _, ax = plt.subplots(figsize=(8, 1.2 + 0.35 * len(kinds)))
    ys = range(len(kinds))
    ax.barh(
        ys, [counts[k] for k in kinds], color=[CONCEPT_COLOURS.get(k, "#999999") for k in kinds]
    )
    ax.set_yticks(list(ys), [k.replace("_", " ") for k in kinds])
    ax.invert_yaxis()
    ax.set_xlabel("concepts")
    ax.set_title(
        f"Concept map overview: {G.number_of_nodes():,} concepts, {G.number_of_edges():,} links\n"
        "too large to draw as one legible picture; the GraphML and JSON exports hold it all",
        fontsize=10,
    )
    return ax


_READS = None  # every table: the exports draw on most of them


def export_all(
    target: PathLike, *, data_dir: PathLike | None = None, force: bool = False
) -> list[Path]:
    """Write every export into the folder ``target``; return the paths written.

    Writes ``concept-map.graphml``, ``concept-map.json`` (node-link),
    ``concept-map.mmd`` (Mermaid), ``concept-map.png`` and
    ``claims.jsonld`` (schema.org ClaimReview). The set is built in a
    temporary folder beside ``target`` and swapped in whole (see
    :func:`explainer._io.output_folder`): a failed or killed export leaves
    the previous set complete. The tables it reads are checked first.

    Parameters
    ----------
    target : str or path-like
        A new or empty folder, or one an earlier export made. Never the data
        folder, a folder holding somebody's files, ``/`` or the home folder.
    data_dir : str or path-like, optional
    force : bool, default False
        Replace an earlier export folder even if other files were added to it.

    Returns
    -------
    list of pathlib.Path

    Raises
    ------
    DataError
        If ``target`` is refused (an :class:`~explainer.errors.OutputError`)
        or the data is broken.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> [p.name for p in export_all(pathlib.Path(tempfile.mkdtemp()) / "out")][:2]
    ['concept-map.graphml', 'concept-map.json']
    """
    root = resolve_data_dir(data_dir)
    path = check_output_target(target, force=force, kind="export", data_dir=root)
    contents = _contents(root)
    with output_folder(path, force=force, kind="export", data_dir=root) as tmp:
        _write(tmp, contents)
    return [path / name for name in EXPORTS]


@fill_doc
def write_exports(folder: PathLike, *, data_dir: PathLike | None = None) -> list[Path]:
    """Write every export into ``folder``, a new folder that is part of a larger build.

    For builds that already own their output folder (the site writes its
    ``exports/`` inside its own temporary folder): no stamp, no swap. Use
    :func:`export_all` for a folder of its own.

    Parameters
    ----------
    folder : str or path-like
        An existing, empty folder.
    %(data_dir_last_returns)s
    list of pathlib.Path

    Examples
    --------
    >>> import pathlib, tempfile
    >>> len(write_exports(tempfile.mkdtemp()))
    5
    """
    folder = Path(folder)
    _write(folder, _contents(resolve_data_dir(data_dir)))
    return [folder / name for name in EXPORTS]


def _contents(root: Path) -> dict[str, bytes]:
    """Check the tables the exports read, then make every export in memory."""
    from explainer.audit import claim_reviews
    from explainer.graph import concept_graph
    from explainer.validation import require

    require(_READS, data_dir=root)
    G = concept_graph(data_dir=root)
    reviews = claim_reviews(data_dir=root)
    return {
        "concept-map.graphml": graphml(G).encode("utf-8"),
        "concept-map.json": graph_json(G).encode("utf-8"),
        "concept-map.mmd": mermaid(G).encode("utf-8"),
        "concept-map.png": _png(G),
        "claims.jsonld": claims_jsonld(reviews).encode("utf-8"),
    }


def _write(folder: Path, contents: dict[str, bytes]) -> None:
    for name, data in contents.items():
        (folder / name).write_bytes(data)
        (folder / name).chmod(0o644)
