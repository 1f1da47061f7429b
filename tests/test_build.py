from __future__ import annotations

import subprocess
import sys
import zipfile

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


def test_the_wheel_carries_the_data_and_finds_it(tmp_path):
    root = DATA.parent
    if not (root / "pyproject.toml").is_file():
        pytest.skip("not a source checkout")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--wheel-dir",
            str(tmp_path / "dist"),
            str(root),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = (tmp_path / "dist").glob("intimacy_explainer-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "explainer/data/datapackage.json" in names and "explainer/data/article.txt" in names
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    code = (
        "import explainer; from explainer._paths import default_data_dir; "
        "explainer.validate(); print(default_data_dir())"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        env={"PYTHONPATH": str(target)},
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == str(target / "explainer" / "data")
