"""The one table display: no index, wrapped left-aligned text, words for codes and gaps."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

from explainer import audit
from explainer.display import MISSING, Table, show

NOTEBOOKS = Path(__file__).parents[1] / "notebooks"


class _Cells(HTMLParser):
    """The text of every th and td, row by row, and every tag seen."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.tags: list[tuple[str, dict]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "tr":
            self.rows.append([])
        elif tag in ("th", "td"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("th", "td") and self._cell is not None:
            self.rows[-1].append("".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def _parse(table: Table) -> _Cells:
    parser = _Cells()
    parser.feed(table._repr_html_())
    return parser


FRAME = pd.DataFrame(
    {
        "claim_id": ["c001", "c031"],
        "caveat_id": ["small_sample", "blood_oxytocin_assay"],
        "verdict": pd.Categorical(["partly_supported", "not_checked"]),
        "certainty": ["very_low", None],
        "rating": pd.array([3, None], dtype="Int64"),
        "share": [0.125, float("nan")],
        "indirect_only": [True, False],
        "best_evidence": ["le2010; yoo2013", ""],
    },
    index=[5, 9],
)


def test_html_and_text_show_the_same_cells_without_an_index():
    table = show(FRAME)
    rows = _parse(table).rows
    header = ["claim id", "caveat id", "verdict", "certainty", "rating", "share"]
    assert rows[0] == [*header, "indirect only", "best evidence"]
    assert rows[1:] == [
        [
            "c001",
            "small_sample",
            "partly supported",
            "very low",
            "3",
            "0.125",
            "yes",
            "le2010; yoo2013",
        ],
        ["c031", "blood_oxytocin_assay", "not checked", MISSING, MISSING, MISSING, "no", MISSING],
    ]
    text = repr(table).splitlines()
    assert [line.split("  ")[0] for line in text] == ["claim id", "c001", "c031"]  # no index
    assert all(len(r) == 8 for r in rows)
    for shown in (repr(table), table._repr_html_()):
        for raw in ("NaN", "nan", "<NA>", "None", "partly_supported", "True", "very_low"):
            assert not re.search(rf"(?<![\w_]){re.escape(raw)}(?![\w_])", shown), raw


def test_text_is_left_aligned_and_wraps_in_html():
    table = show(FRAME)
    lines = repr(table).splitlines()
    start = lines[0].index("verdict")
    assert all(
        line[start:].startswith(("verdict", "partly supported", "not checked")) for line in lines
    )
    parsed = _parse(table)
    cells = [attrs for tag, attrs in parsed.tags if tag in ("th", "td")]
    assert len(cells) == 3 * 8
    for attrs in cells:  # inline, the one style an untrusted notebook keeps
        style = dict(p.split(":", 1) for p in attrs["style"].split(";"))
        assert style["text-align"] == "left" and style["vertical-align"] == "top"
    assert "<style" not in table._repr_html_()


def test_a_meaningful_index_becomes_the_first_column():
    table = show(audit.verdict_certainty_table())
    assert list(table.cells.columns[:2]) == ["verdict", "high"]
    assert table.cells.iloc[-1, 0] == "total"
    counts = show(pd.Series([7, 2], index=pd.Index(["a_b", "c"], name="claim_type"), name="n"))
    assert repr(counts).splitlines() == ["claim type  n", "a b         7", "c           2"]


def test_first_puts_columns_first_and_names_a_wrong_one():
    table = show(FRAME, first=["verdict", "certainty"])
    assert list(table.cells.columns[:3]) == ["verdict", "certainty", "claim id"]
    with pytest.raises(KeyError, match=r"'verdic'.*claim_id"):
        show(FRAME, first=["verdic"])


def test_missing_words_per_column():
    table = show(FRAME, missing={"share": "not reported"})
    assert table.cells["share"].tolist() == ["0.125", "not reported"]
    assert table.cells["rating"].tolist() == ["3", MISSING]


def test_hostile_text_is_escaped_in_cells_and_headers():
    evil = '<img src=x onerror="alert(1)">'
    table = show(pd.DataFrame({evil: [evil, "</style><script>alert(2)</script>"]}))
    tags = {tag for tag, _ in _parse(table).tags}
    assert tags == {"div", "table", "thead", "tbody", "tr", "th", "td"}
    assert _parse(table).rows == [[evil], [evil], ["</style><script>alert(2)</script>"]]


_PROBE = """
import sys
from explainer import audit
from explainer.display import show
sys.stdout.write(show(audit.family_evidence("oxytocin"))._repr_html_())
"""


def test_the_html_is_the_same_in_every_process():
    runs = {
        subprocess.run(
            [sys.executable, "-c", _PROBE],
            capture_output=True,
            text=True,
            check=True,
            env={"PYTHONHASHSEED": seed, "PATH": ""},
        ).stdout
        for seed in ("1", "2")
    }
    assert len(runs) == 1
    (html,) = runs
    assert html == show(audit.family_evidence("oxytocin"))._repr_html_()


def _table_cells():
    """Every code cell of the numbered notebooks that shows a DataFrame's HTML."""
    for path in sorted(NOTEBOOKS.glob("[0-9][0-9]-*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        for index, cell in enumerate(cells):
            for output in cell.get("outputs", []):
                html = "".join(output.get("data", {}).get("text/html", []))
                if "<table" in html:
                    yield path.name, index, html


# Every notebook shows its tables through show(); none is waiting for it.
NOT_YET: set[str] = set()


def test_every_table_a_notebook_shows_comes_through_show():
    raw = sorted(
        (name, index)
        for name, index, html in _table_cells()
        if name not in NOT_YET and 'class="dataframe"' in html
    )
    assert raw == []
    series = sorted(  # a bare Series prints "Name: ..., dtype: ..." under it
        (path.name, index)
        for path in sorted(NOTEBOOKS.glob("[0-9][0-9]-*.ipynb"))
        if path.name not in NOT_YET
        for index, cell in enumerate(json.loads(path.read_text(encoding="utf-8"))["cells"])
        for output in cell.get("outputs", [])
        if re.search(
            r"^(Name: .*, )?dtype: \w+$",
            "".join(output.get("data", {}).get("text/plain", [])),
            re.M,
        )
    )
    assert series == []


def test_lists_of_codes_and_routes_of_ids_are_written_in_words():
    frame = pd.DataFrame(
        {
            "mechanisms": ["relationship_satisfaction; conflict_resolution", "a; b"],
            "nodes": ["sex → physical_connection → emotional_intimacy", "Hello → world"],
            "concept_id": ["physical_connection", "sex"],
        }
    )
    cells = show(frame).cells
    assert cells["mechanisms"].tolist() == [
        "relationship satisfaction; conflict resolution",
        "a; b",
    ]
    assert cells["nodes"].tolist() == [
        "sex → physical connection → emotional intimacy",
        "Hello → world",
    ]
    assert cells["concept id"].tolist() == ["physical_connection", "sex"]  # ids keep their spelling


def test_an_unnamed_series_is_a_value_column():
    table = show(pd.Series([1, 2], index=pd.Index(["x", "y"], name="kind")))
    assert list(table.cells.columns) == ["kind", "value"]
