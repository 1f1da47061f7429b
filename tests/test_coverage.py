from __future__ import annotations

import pandas as pd

from explainer.coverage import coverage, sentences, unaccounted

from .conftest import DATA


def test_every_sentence_is_accounted_for():
    assert len(unaccounted()) == 0
    cov = coverage()
    assert (cov.accounted == 1.0).all()
    assert int(cov.total.sum()) == len(sentences())


def test_sentences_cover_every_word_of_the_leaves():
    text = (DATA / "article.txt").read_text(encoding="utf-8")
    joined = " ".join(sentences().text)
    assert len(joined.split()) == len(text.split())


def test_dr_is_not_a_sentence_end():
    texts = sentences().text.tolist()
    assert any(t.startswith("Dr. John Gottman states,") for t in texts)


def test_removing_a_non_claim_leaves_its_sentence_unaccounted(data_copy):
    frame = pd.read_csv(data_copy / "non_claims.csv", dtype=str, keep_default_na=False)
    dropped = frame.iloc[0]
    frame.iloc[1:].to_csv(data_copy / "non_claims.csv", index=False)
    left = unaccounted(data_dir=data_copy)
    assert dropped.quote in " ".join(left.text)
    part = coverage(data_dir=data_copy)
    assert int(part.unaccounted.sum()) == len(left) >= 1
