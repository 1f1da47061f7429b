from __future__ import annotations

import pandas as pd
import pytest

from explainer import about


def test_oxytocin_finds_its_hormone_claims_propositions_and_sections():
    found = about("oxytocin")
    assert found["hormones"].hormone_id.tolist() == ["oxytocin"]
    quotes = " ".join(found["claims"].quote)
    assert "releases oxytocin" in quotes and "higher levels of oxytocin" in quotes
    assert "oxytocin" in set(found["relations"].source) | set(found["relations"].target)
    assert set(found["sections"].section_id) == {"s2a", "s3a"}
    assert (found["sections"].mentions >= 1).all()


def test_search_is_case_insensitive_whole_word_with_plurals():
    assert about("OXYTOCIN").rows == about("oxytocin").rows
    assert "hormones" in about("endorphin")  # finds "endorphins"
    # "sexual" is another word: every claim found says "sex" itself somewhere.
    found = about("sex")["claims"]
    text = found.astype("string").fillna("").agg(" ".join, axis=1)
    assert text.str.contains(r"(?i)\bsex(?:es)?\b").all()
    only_sexual = "Performance anxiety can inhibit sexual pleasure"
    assert not found.quote.str.startswith(only_sexual).any()


def test_a_concept_id_also_finds_its_label():
    found = about("emotional_intimacy")
    assert found.patterns == ["emotional_intimacy", "Emotional intimacy"]
    assert len(found["claims"]) > 10


def test_every_table_row_returned_really_mentions_the_term():
    found = about("trust")
    for name, frame in found.items():
        if name == "sections":
            continue
        text = frame.astype("string").fillna("").agg(" ".join, axis=1).str.lower()
        assert text.str.contains("trust").all(), name


def test_reprs_are_text_and_html():
    found = about("dopamine")
    text = repr(found)
    assert text.startswith("about('dopamine'): ") and "\nhormones (1 row)" in text
    html = found._repr_html_()
    assert "<table" in html and "<h4>hormones (1)</h4>" in html


def test_html_repr_escapes_the_data(data_copy):
    frame = pd.read_csv(data_copy / "concepts.csv", dtype=str, keep_default_na=False)
    frame.loc[frame.concept_id == "trust", "description"] = "Trust <script>alert(1)</script>"
    frame.to_csv(data_copy / "concepts.csv", index=False)
    html = about("trust", data_dir=data_copy)._repr_html_()
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_no_match_is_empty_not_an_error():
    found = about("zebra")
    assert len(found) == 0 and found.rows == 0


def test_empty_term_is_an_error():
    with pytest.raises(ValueError, match="needs a term"):
        about("  ")
