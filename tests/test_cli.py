from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest

from explainer.__main__ import main
from explainer.tables import tables


def run(*args):
    """Run the real command line in a subprocess."""
    command = [sys.executable, "-m", "explainer", *args]
    return subprocess.run(command, capture_output=True, text=True)


def test_tables_lists_every_table_with_its_rows(capsys):
    assert main(["tables"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in out] == tables()
    from explainer import load

    assert f"{len(load('claims'))} rows" in next(line for line in out if line.startswith("claims "))


def test_show_filters_and_limits(capsys):
    assert main(["show", "claims", "--where", "section_id=s3a", "--limit", "2"]) == 0
    out = capsys.readouterr().out
    assert "c027" in out and "c028" in out and "c029" not in out


def test_show_with_no_match_says_so(capsys):
    assert main(["show", "hormones", "--where", "name=Serotonin"]) == 0
    assert "no rows of hormones match" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["show", "claim"], "no table 'claim'; the tables are: sections"),
        (["show", "claims", "--where", "colour=red"], "--where needs COLUMN=VALUE"),
        (["show", "claims", "--limit", "-1"], "--limit must be 0 or more"),
        (["frobnicate"], "invalid choice"),
        (["trace"], "the following arguments are required"),
    ],
)
def test_usage_errors_exit_2_with_one_line_on_stderr(argv, message, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err


def test_no_command_prints_help_and_exits_2(capsys):
    assert main([]) == 2
    assert "COMMAND" in capsys.readouterr().out


def test_validate_ok(capsys):
    assert main(["validate"]) == 0
    assert "valid" in capsys.readouterr().out


def test_validate_reports_every_problem_and_exits_1(data_copy, capsys):
    frame = pd.read_csv(data_copy / "claims.csv", dtype=str, keep_default_na=False)
    frame.loc[0, "claim_type"] = "gossip"
    frame.loc[1, "quote"] = "Not in the article."
    frame.to_csv(data_copy / "claims.csv", index=False)
    assert main(["--data-dir", str(data_copy), "validate"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert len(err) >= 2 and all(line.startswith("error: claims.csv, row ") for line in err)
    assert any("'gossip'" in line for line in err)


def test_trace_shows_the_quote_in_its_paragraph(capsys):
    assert main(["trace", "c029"]) == 0
    out = capsys.readouterr().out
    assert "3.A Oxytocin" in out
    assert ">>Research shows that higher levels of oxytocin" in out and "<<" in out
    assert "When engaging in sexual activity" in out  # the rest of the paragraph


def test_trace_unknown_claim_is_a_usage_error(capsys):
    assert main(["trace", "c999"]) == 2
    assert "no claim 'c999'" in capsys.readouterr().err


def test_regenerate_with_nothing_to_do(data_copy, capsys):
    assert main(["--data-dir", str(data_copy), "regenerate"]) == 0
    assert "up to date" in capsys.readouterr().out


def test_subprocess_tables():
    out = run("tables")
    assert out.returncode == 0 and out.stdout.startswith("sections") and out.stderr == ""


def test_subprocess_show():
    out = run("show", "experts")
    assert out.returncode == 0 and "Gottman" in out.stdout


def test_subprocess_validate_bad_data(data_copy):
    (data_copy / "loops.csv").unlink()
    out = run("--data-dir", str(data_copy), "validate")
    assert out.returncode == 1
    assert out.stderr.startswith("error: loops.csv") and "Traceback" not in out.stderr


def test_subprocess_trace():
    out = run("trace", "c001")
    assert out.returncode == 0 and out.stdout.startswith("c001 · Introduction")


def test_subprocess_usage_error():
    out = run("show", "nothing")
    assert out.returncode == 2 and out.stdout == "" and "no table 'nothing'" in out.stderr


def test_subprocess_regenerate(data_copy):
    (data_copy / "sections.csv").write_text("section_id\n", encoding="utf-8")
    out = run("--data-dir", str(data_copy), "regenerate")
    assert out.returncode == 0 and "wrote sections.csv" in out.stdout
    assert run("--data-dir", str(data_copy), "validate").returncode == 0


def test_subprocess_export(tmp_path):
    out = run("export", str(tmp_path))
    assert out.returncode == 0 and (tmp_path / "claims.jsonld").is_file()


def test_subprocess_site(tmp_path):
    out = run("site", str(tmp_path / "site"))
    assert out.returncode == 0, out.stderr
    assert (tmp_path / "site" / "index.html").is_file()
    assert "site:" in out.stderr  # progress goes to stderr


def test_every_command_has_help():
    for command in ["tables", "show", "validate", "trace", "export", "site", "regenerate"]:
        out = run(command, "--help")
        assert out.returncode == 0 and "usage: explainer" in out.stdout, command


def test_console_script_is_declared():
    import tomllib
    from pathlib import Path

    project = tomllib.loads(Path(__file__).parents[1].joinpath("pyproject.toml").read_text())
    assert project["project"]["scripts"]["explainer"] == "explainer.__main__:main"
