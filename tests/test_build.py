from __future__ import annotations

import pytest

from explainer import DataError, article_text
from explainer._io import atomic_dir, atomic_write_text
from explainer.build import regenerate, sections_csv

from .conftest import DATA, rewrite


def test_sections_csv_is_what_the_parser_makes():
    assert (DATA / "sections.csv").read_text(encoding="utf-8") == sections_csv(article_text())


def test_regenerate_leaves_current_files_alone(data_copy):
    before = {p.name: p.stat().st_mtime_ns for p in data_copy.iterdir()}
    assert regenerate(data_copy) == []
    assert before == {p.name: p.stat().st_mtime_ns for p in data_copy.iterdir()}


def test_regenerate_repairs_drifted_sections_and_hedges(data_copy):
    rewrite(data_copy / "sections.csv", "Conflict Resolution", "Conflict Management")
    claims = (data_copy / "claims.csv").read_text(encoding="utf-8")
    rewrite(data_copy / "claims.csv", ",none\n", ",may\n")
    changed = sorted(p.name for p in regenerate(data_copy))
    assert changed == ["claims.csv", "sections.csv"]
    assert (data_copy / "sections.csv").read_text(encoding="utf-8") == (
        DATA / "sections.csv"
    ).read_text(encoding="utf-8")
    assert (data_copy / "claims.csv").read_text(encoding="utf-8") == claims


def test_regenerate_refuses_a_broken_article(data_copy):
    (data_copy / "article.txt").write_text("", encoding="utf-8")
    before = (data_copy / "sections.csv").read_bytes()
    with pytest.raises(DataError, match="empty"):
        regenerate(data_copy)
    assert (data_copy / "sections.csv").read_bytes() == before


def test_atomic_write_keeps_the_old_file_when_writing_fails(tmp_path, monkeypatch):
    target = tmp_path / "sections.csv"
    target.write_text("old\n")

    def broken_fsync(fd):
        raise OSError("disk full")

    monkeypatch.setattr("explainer._io.os.fsync", broken_fsync)
    with pytest.raises(OSError, match="disk full"):
        atomic_write_text(target, "new\n")
    assert target.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["sections.csv"]


def test_atomic_dir_keeps_the_old_folder_when_building_fails(tmp_path):
    target = tmp_path / "site"
    target.mkdir()
    (target / "index.html").write_text("old")
    with pytest.raises(RuntimeError), atomic_dir(target) as tmp:
        (tmp / "index.html").write_text("half")
        raise RuntimeError("build failed")
    assert (target / "index.html").read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["site"]
