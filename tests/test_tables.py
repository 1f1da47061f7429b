from __future__ import annotations

import json

import pandas as pd
import pytest

import explainer
from explainer import DataError, load, tables, validate
from explainer.tables import schema
from tests._shared_data import shared_data_fixture

from .conftest import DATA, rewrite

DESCRIPTOR = json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))
TABLES = [r["name"] for r in DESCRIPTOR["resources"]]

CONTRACT = {
    "sections": ["section_id", "parent_id", "number", "title", "level", "start", "end"],
    "claims": [
        "claim_id",
        "section_id",
        "quote",
        "claim_type",
        "claimant",
        "citation",
        "evidence_status",
    ],
    "concepts": ["concept_id", "label", "kind"],
    "relations": ["relation_id", "source", "link", "target", "claim_id"],
    "hormones": ["hormone_id", "name", "alias", "concept_id"],
    "mechanisms": ["mechanism_id", "name", "section_id"],
    "practices": ["practice_id", "title", "section_id"],
    "challenges": ["challenge_id", "title", "kind", "section_id"],
    "experts": ["expert_id", "name", "role", "claim_id"],
    "faqs": ["faq_id", "number", "question", "answer", "stance"],
    "faq_links": ["faq_id", "concept_id"],
    "citations": ["marker", "claim_id", "status"],
    "references": ["ref_id", "authors", "year", "title", "venue", "doi", "status"],
    "evidence": ["claim_id", "ref_id", "bearing", "finding"],
}
KEYS = {
    "faq_links": ["faq_id", "concept_id"],
    "evidence": ["claim_id", "ref_id"],
    "citations": ["marker"],
}


# One data copy for the module, put back after each test (tests/_shared_data.py).
data_copy = shared_data_fixture()


def test_tables_lists_the_descriptor_in_order():
    assert tables() == TABLES
    assert set(CONTRACT) <= set(TABLES)


@pytest.mark.parametrize("name", sorted(CONTRACT))
def test_contract_columns_and_keys(name):
    sch = schema(name)
    assert set(CONTRACT[name]) <= set(sch.columns)
    assert list(sch.primary_key) == KEYS.get(name, [CONTRACT[name][0]])


@pytest.mark.parametrize("name", TABLES)
def test_every_table_and_field_is_described(name):
    res = next(r for r in DESCRIPTOR["resources"] if r["name"] == name)
    assert res["path"] == f"{name}.csv" and len(res["description"]) > 40
    for field in res["schema"]["fields"]:
        assert len(field.get("description", "")) > 10, field["name"]


@pytest.mark.parametrize("name", TABLES)
def test_load_types_every_column_from_the_descriptor(name):
    frame = load(name)
    sch = schema(name)
    assert list(frame.columns) == sch.columns
    assert isinstance(frame.index, pd.RangeIndex)
    for field in sch.fields:
        col = frame[field["name"]]
        enum = field.get("constraints", {}).get("enum")
        if enum:
            assert isinstance(col.dtype, pd.CategoricalDtype) and col.cat.ordered
            assert list(col.cat.categories) == enum
        else:
            expected = {"integer": "Int64", "boolean": "boolean", "number": "Float64"}.get(
                field["type"], "string"
            )
            assert str(col.dtype) == expected, field["name"]


@pytest.mark.parametrize("name", TABLES)
def test_load_returns_a_fresh_copy(name):
    first = load(name)
    first.iloc[:, 0] = pd.NA
    assert load(name).iloc[:, 0].notna().all() or len(first) == 0


def test_unknown_table_names_the_valid_ones():
    with pytest.raises(KeyError, match="the tables are: sections, claims"):
        load("claim")


def test_shipped_data_is_valid():
    validate()


def test_import_is_cheap():
    import subprocess
    import sys

    heavy = ("matplotlib", "frictionless", "networkx")
    code = f"import sys, explainer; print(sorted(m for m in {heavy} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# ---------------------------------------------------------------------------
# Bad data: every corruption gives a DataError naming the file and the value.


def _first_row(path):
    lines = path.read_text(encoding="utf-8").splitlines()
    return lines[0], lines[1]


def expect_problem(data_dir, file, value=None, *, via_load=None):
    """Assert validate() (and load(), if named) raise a DataError naming file and value."""
    calls = [lambda: validate(data_dir)]
    if via_load:
        calls.append(lambda: load(via_load, data_dir=data_dir))
    for call in calls:
        with pytest.raises(DataError) as info:
            call()
        message = str(info.value)
        assert file in info.value.files, message
        if value is not None:
            assert repr(value) in message or value in message, message
    return info.value


def test_broken_csv_row(data_copy):
    path = data_copy / "claims.csv"
    with path.open("a", encoding="utf-8") as fh:
        fh.write('c999,s2a,"unterminated quote\n')
    err = expect_problem(data_copy, "claims.csv", via_load="claims")
    assert any(p.row is not None for p in err.problems)


def test_row_with_too_many_cells(data_copy):
    path = data_copy / "concepts.csv"
    with path.open("a", encoding="utf-8") as fh:
        fh.write("extra,Extra,state,One more,,surplus\n")  # one cell past terms
    expect_problem(data_copy, "concepts.csv", "surplus", via_load="concepts")


def test_missing_column(data_copy):
    frame = pd.read_csv(data_copy / "concepts.csv", dtype=str, keep_default_na=False)
    frame.drop(columns="kind").to_csv(data_copy / "concepts.csv", index=False)
    err = expect_problem(data_copy, "concepts.csv", via_load="concepts")
    assert any(p.column == "kind" for p in err.problems)


def test_extra_column(data_copy):
    frame = pd.read_csv(data_copy / "concepts.csv", dtype=str, keep_default_na=False)
    frame.assign(colour="red").to_csv(data_copy / "concepts.csv", index=False)
    expect_problem(data_copy, "concepts.csv", "colour", via_load="concepts")


def test_duplicate_key(data_copy):
    path = data_copy / "references.csv"
    _header, first = _first_row(path)
    with path.open("a", encoding="utf-8") as fh:
        fh.write(first + "\n")
    key = first.split(",")[0]
    expect_problem(data_copy, "references.csv", key, via_load="references")


def test_duplicate_composite_key(data_copy):
    path = data_copy / "faq_links.csv"
    _, first = _first_row(path)
    with path.open("a", encoding="utf-8") as fh:
        fh.write(first + "\n")
    expect_problem(data_copy, "faq_links.csv", via_load="faq_links")


def test_dangling_foreign_key(data_copy):
    frame = pd.read_csv(data_copy / "relations.csv", dtype=str, keep_default_na=False)
    frame.loc[0, "target"] = "no_such_concept"
    frame.to_csv(data_copy / "relations.csv", index=False)
    err = expect_problem(data_copy, "relations.csv", "no_such_concept")
    assert any(p.column == "target" and p.row == 2 for p in err.problems)


def test_enum_out_of_range(data_copy):
    frame = pd.read_csv(data_copy / "claims.csv", dtype=str, keep_default_na=False)
    frame.loc[3, "claim_type"] = "gossip"
    frame.to_csv(data_copy / "claims.csv", index=False)
    err = expect_problem(data_copy, "claims.csv", "gossip", via_load="claims")
    assert any(p.row == 5 and p.column == "claim_type" for p in err.problems)


def test_quote_not_in_the_article(data_copy):
    frame = pd.read_csv(data_copy / "claims.csv", dtype=str, keep_default_na=False)
    frame.loc[0, "quote"] = "Sex cures everything."
    frame.to_csv(data_copy / "claims.csv", index=False)
    err = expect_problem(data_copy, "claims.csv", "Sex cures everything.")
    assert "not found in the article" in str(err)


def test_quote_outside_its_section(data_copy):
    frame = pd.read_csv(data_copy / "claims.csv", dtype=str, keep_default_na=False)
    row = frame.index[frame.section_id != "s3a"][0]
    frame.loc[row, "quote"] = "the body releases oxytocin"
    frame.to_csv(data_copy / "claims.csv", index=False)
    err = expect_problem(data_copy, "claims.csv", "the body releases oxytocin")
    assert "outside its section" in str(err)


def test_wrong_hedge(data_copy):
    frame = pd.read_csv(data_copy / "claims.csv", dtype=str, keep_default_na=False)
    row = frame.index[frame.hedge == "none"][0]
    frame.loc[row, "hedge"] = "may"
    frame.to_csv(data_copy / "claims.csv", index=False)
    expect_problem(data_copy, "claims.csv", "may")


def test_not_utf8(data_copy):
    path = data_copy / "concepts.csv"
    path.write_bytes(path.read_bytes() + "extra,Caf\u00e9,state,x\n".encode("latin-1"))
    err = expect_problem(data_copy, "concepts.csv", via_load="concepts")
    assert "UTF-8" in str(err) or "utf-8" in str(err).lower()


def test_malformed_descriptor(data_copy):
    path = data_copy / "datapackage.json"
    path.write_text(path.read_text(encoding="utf-8")[:-10], encoding="utf-8")
    err = expect_problem(data_copy, "datapackage.json", via_load="claims")
    assert "malformed JSON" in str(err)


def test_missing_table_file(data_copy):
    (data_copy / "hormones.csv").unlink()
    expect_problem(data_copy, "hormones.csv", via_load="hormones")


def test_missing_data_directory(tmp_path):
    with pytest.raises(DataError, match="data directory not found") as info:
        validate(tmp_path / "nowhere")
    assert "nowhere" in str(info.value)
    with pytest.raises(DataError):
        load("claims", data_dir=tmp_path / "nowhere")


def test_sections_drift_from_the_parser(data_copy):
    rewrite(data_copy / "sections.csv", "Conflict Resolution", "Conflict Management")
    err = expect_problem(data_copy, "sections.csv", "Conflict Management")
    assert "regenerate" in str(err)


def test_required_value_missing(data_copy):
    frame = pd.read_csv(data_copy / "claims.csv", dtype=str, keep_default_na=False)
    frame.loc[0, "statement"] = ""
    frame.to_csv(data_copy / "claims.csv", index=False)
    err = expect_problem(data_copy, "claims.csv", via_load="claims")
    assert any(p.column == "statement" and p.row == 2 for p in err.problems)


def test_every_problem_is_listed_at_once(data_copy):
    rewrite(data_copy / "concepts.csv", ",state,", ",mood,")
    frame = pd.read_csv(data_copy / "relations.csv", dtype=str, keep_default_na=False)
    frame.loc[0, "polarity"] = "sideways"
    frame.to_csv(data_copy / "relations.csv", index=False)
    err = expect_problem(data_copy, "concepts.csv", "mood")
    assert {"concepts.csv", "relations.csv"} <= set(err.files)


def test_error_is_a_value_error():
    assert issubclass(explainer.DataError, ValueError)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('"reference":', '"referencd":', "a foreign key without a 'reference'"),
        ('"type": "integer"', '"type": "integet"', "unknown field type 'integet'"),
        (
            '"pattern": "c[0-9]{3}"',
            '"pattern": "c[0-9{3}"',
            "pattern is not a valid regular expression",
        ),
        ('"name": "sections"', '"name": "sectioms"', "the package needs this table"),
        ('"maxLength": 75', '"maxLength": "75"', "maxLength must be a whole number"),
        ('"resource": "concepts"', '"resource": "concept"', "names no such resource or field"),
    ],
)
def test_a_damaged_descriptor_is_a_data_error(data_copy, old, new, message):
    rewrite(data_copy / "datapackage.json", old, new)
    err = expect_problem(data_copy, "datapackage.json", via_load="claims")
    assert message in str(err)


def test_frictionless_accepts_the_descriptor_as_standard():
    """The descriptor is standard Data Package and Table Schema, by frictionless's profiles.

    The default run's part of the next test (frictionless reading every row
    takes a second; our loader checks the rows in ``test_shipped_data_is_valid``).
    """
    import frictionless

    report = frictionless.Package.validate_descriptor(str(DATA / "datapackage.json"))
    assert report.valid, report.flatten(["type", "note"])


@pytest.mark.thorough
def test_frictionless_agrees_the_shipped_package_is_valid():
    """The descriptor is standard Table Schema: frictionless accepts the package as it is.

    validate() no longer runs frictionless (the loader checks every Table Schema
    rule the descriptor uses, offline); this keeps the two in agreement.
    Foreign keys are checked once, by our own code, so frictionless skips them.
    """
    import frictionless

    package = frictionless.Package(str(DATA / "datapackage.json"))
    report = package.validate(checklist=frictionless.Checklist(skip_errors=["foreign-key"]))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_a_problem_shows_a_missing_or_numeric_value_as_the_file_has_it():
    import pandas as pd

    from explainer.errors import Problem

    assert str(Problem("a.csv", "m", row=2, column="c", value=pd.NA)).endswith("value '': m")
    assert str(Problem("a.csv", "m", value=float("nan"))) == "a.csv, value '': m"
    assert str(Problem("a.csv", "m", value=7)) == "a.csv, value '7': m"


def test_a_blank_claim_id_is_a_data_error_naming_claims(data_copy):
    # found by the property tests: a blank key once reached the assessments check
    text = (data_copy / "claims.csv").read_text(encoding="utf-8")
    header, first, rest = text.split("\n", 2)
    (data_copy / "claims.csv").write_text(
        "\n".join([header, first.replace("c001", "", 1), rest]), encoding="utf-8"
    )
    with pytest.raises(DataError) as info:
        validate(data_copy)
    assert any(p.file == "claims.csv" and p.row == 2 for p in info.value.problems)


def test_the_load_caches_are_bounded():
    # keyed by path and modification time: unbounded, every edit or data folder would stay
    import importlib

    module = importlib.import_module("explainer.tables")  # the name 'tables' is the function
    guard = importlib.import_module("explainer.descriptor")

    for cached in (guard._descriptor_cached, module._schemas_cached, module._load_cached):
        assert cached.cache_info().maxsize is not None, cached.__name__
