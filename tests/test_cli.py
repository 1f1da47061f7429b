from __future__ import annotations

import doctest
import importlib.metadata
import json
import re
import subprocess
import sys
import tomllib
from io import StringIO
from pathlib import Path

import pandas as pd
import pytest

import explainer
import explainer.__main__
from explainer.__main__ import _COMMANDS as COMMANDS
from explainer.__main__ import BROKEN_PIPE, format_table, main
from explainer._io import STAMP
from explainer.tables import load, tables

ROOT = Path(__file__).resolve().parents[1]


def test_tables_lists_every_table_with_its_rows(capsys):
    assert main(["tables"]) == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    out = captured.out.splitlines()
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


def test_show_prints_the_rows_asked_for(capsys):
    assert main(["show", "experts"]) == 0
    captured = capsys.readouterr()
    assert "Gottman" in captured.out and captured.err == ""


def test_trace_starts_with_the_claim_and_its_section(capsys):
    assert main(["trace", "c001"]) == 0
    assert capsys.readouterr().out.startswith("c001 · Introduction")


def test_regenerate_rewrites_a_broken_derived_table(data_copy, capsys):
    (data_copy / "sections.csv").write_text("section_id\n", encoding="utf-8")
    assert main(["--data-dir", str(data_copy), "regenerate"]) == 0
    assert "wrote sections.csv" in capsys.readouterr().out
    assert main(["--data-dir", str(data_copy), "validate"]) == 0


def test_the_real_command_line_exits_0_1_2_and_141_without_a_traceback(data_copy):
    """What only a real process shows, for each exit code: the console module's exit
    status, what reaches stdout and stderr, and a reader that goes away before the first
    write (the other commands' behaviour is tested in-process through main())."""
    (data_copy / "loops.csv").unlink()
    command = [sys.executable, "-m", "explainer"]
    pipes = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, "text": True}
    # Started together: four interpreters' start-up overlap on a machine's cores.
    procs = {
        0: subprocess.Popen([*command, "--version"], **pipes),
        1: subprocess.Popen([*command, "--data-dir", str(data_copy), "validate"], **pipes),
        2: subprocess.Popen([*command, "show", "nothing"], **pipes),
        BROKEN_PIPE: subprocess.Popen([*command, "show", "claims", "--format", "csv"], **pipes),
    }
    closed = procs[BROKEN_PIPE]
    closed.stdout.close()  # before any output: the first write finds no reader
    pipe_err = closed.stderr.read()
    closed.stderr.close()
    assert closed.wait() == BROKEN_PIPE and pipe_err == ""
    out = {code: proc.communicate() for code, proc in procs.items() if code != BROKEN_PIPE}
    codes = {code: procs[code].returncode for code in out}
    assert codes == {0: 0, 1: 1, 2: 2}, (codes, out)
    assert out[0] == (f"explainer {explainer.__version__}\n", "")
    stdout, stderr = out[1]
    assert stdout == "" and stderr.startswith("error: loops.csv")
    assert "Traceback" not in stderr
    stdout, stderr = out[2]
    assert stdout == "" and "no table 'nothing'" in stderr and "Traceback" not in stderr


def _help(command: str) -> tuple[int, str]:
    """Return main()'s exit code and the help it prints for ``command --help``, in-process
    (the subprocess tests cover the console entry point once)."""
    from contextlib import redirect_stdout

    out = StringIO()
    with redirect_stdout(out):
        code = main([command, "--help"])
    return code, out.getvalue()


def test_every_command_has_help():
    assert set(COMMANDS) >= {"tables", "show", "validate", "trace", "about", "export", "site"}
    for command in COMMANDS:
        code, usage = _help(command)
        assert code == 0 and "usage: explainer" in usage, command


def test_console_script_is_declared():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert project["project"]["scripts"]["explainer"] == "explainer.__main__:main"


# --- the version: written once, in explainer/__init__.py -----------------------


def test_version_is_one_and_the_same_everywhere(capsys):
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert "version" not in project and "version" in project["dynamic"]
    assert main(["--version"]) == 0  # and in a real process: the exit-code test above
    assert capsys.readouterr().out == f"explainer {explainer.__version__}\n"
    assert importlib.metadata.version("intimacy-explainer") == explainer.__version__
    package = json.loads((ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))
    assert package["version"] == explainer.__version__


def test_version_is_a_release_number():
    assert re.fullmatch(r"\d+\.\d+\.\d+", explainer.__version__)
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert f"## {explainer.__version__} " in changelog  # the release is described


# --- the command line behaves like its peers -------------------------------------


def test_main_doctests_run():
    """pytest's --doctest-modules skips __main__.py, so its examples run here."""
    flags = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
    result = doctest.testmod(explainer.__main__, optionflags=flags, verbose=False)
    assert result.attempted >= 4 and result.failed == 0


@pytest.mark.parametrize("where", ["before", "after"])
def test_data_dir_before_or_after_the_command(where, data_copy, capsys):
    (data_copy / "loops.csv").unlink()
    option = ["--data-dir", str(data_copy)]
    argv = [*option, "validate"] if where == "before" else ["validate", *option]
    assert main(argv) == 1
    assert "loops.csv" in capsys.readouterr().err


def test_data_dir_after_the_command_overrides_the_default(data_copy, capsys):
    experts = data_copy / "experts.csv"
    frame = pd.read_csv(experts, dtype=str, keep_default_na=False)
    frame.loc[0, "name"] = "Somebody Else"
    frame.to_csv(experts, index=False)
    assert main(["show", "experts", "--format", "csv", "--data-dir", str(data_copy)]) == 0
    assert "Somebody Else" in capsys.readouterr().out


def test_show_formats_agree_on_the_rows(capsys):
    frame = load("hormones")
    outs = {}
    for fmt in ["table", "csv", "json", "markdown"]:
        assert main(["show", "hormones", "--format", fmt]) == 0
        outs[fmt] = capsys.readouterr().out
    assert pd.read_csv(StringIO(outs["csv"]), dtype=str).hormone_id.tolist() == list(
        frame.hormone_id
    )
    records = json.loads(outs["json"])
    assert [r["hormone_id"] for r in records] == list(frame.hormone_id)
    assert set(records[0]) == set(frame.columns)
    table_lines = outs["markdown"].splitlines()
    assert len(table_lines) == len(frame) + 2 and table_lines[1].startswith("| --- |")
    assert all(h in outs["table"] for h in frame.hormone_id)


def test_show_prints_blanks_not_nan(capsys):
    claims = load("claims")
    assert claims.citation.isna().any()  # the test needs a missing value to print
    for fmt in ["table", "csv", "markdown"]:
        assert main(["show", "claims", "--format", fmt]) == 0
        out = capsys.readouterr().out
        assert "NaN" not in out and "<NA>" not in out
    assert main(["show", "claims", "--format", "json"]) == 0
    records = json.loads(capsys.readouterr().out)
    assert any(r["citation"] is None for r in records)


@pytest.mark.parametrize("width", [60, 80, 120, 250])
def test_show_fits_the_terminal_width(width, monkeypatch, capsys):
    monkeypatch.setenv("COLUMNS", str(width))
    assert main(["show", "claims"]) == 0
    out = capsys.readouterr().out
    assert max(map(len, out.splitlines())) <= width
    # nothing is cut off: every quote is there, word for word, once unwrapped
    assert main(["show", "claims", "--columns", "claim_id,quote"]) == 0
    out = capsys.readouterr().out
    assert max(map(len, out.splitlines())) <= width
    flat = " ".join(out.split())
    assert all(" ".join(q.split()) in flat for q in load("claims").quote)


def test_format_table_wraps_long_values_within_their_column():
    frame = pd.DataFrame({"id": ["x1", "x2"], "text": ["word " * 30, "short"], "n": [1, 22]})
    out = format_table(frame, width=50)
    lines = out.splitlines()
    assert max(map(len, lines)) <= 50 and len(lines) > 4
    assert lines[0].split() == ["id", "text", "n"]
    assert out.count("word") == 30


def test_show_columns_picks_and_orders_columns(capsys):
    assert main(["show", "experts", "--columns", "name,expert_id", "--format", "csv"]) == 0
    header = capsys.readouterr().out.splitlines()[0]
    assert header == "name,expert_id"


def test_show_unknown_column_is_a_usage_error(capsys):
    assert main(["show", "experts", "--columns", "name,colour"]) == 2
    err = capsys.readouterr().err
    assert "'colour'" in err and "expert_id" in err


def test_about_prints_what_about_returns(capsys):
    assert main(["about", "oxytocin"]) == 0
    out = capsys.readouterr().out
    found = explainer.about("oxytocin")
    assert out.startswith(f"{found.rows} rows in {len(found)} tables mention")
    for name, frame in found.items():
        assert f"\n{name} ({len(frame)} row" in out


def test_about_without_a_term_is_a_usage_error(capsys):
    assert main(["about", "  "]) == 2
    assert "needs a term" in capsys.readouterr().err


def test_missing_site_extra_is_one_line(monkeypatch, tmp_path, capsys):
    monkeypatch.setitem(sys.modules, "nbconvert", None)  # as if it were not installed
    assert main(["site", str(tmp_path / "site")]) == 1
    err = capsys.readouterr().err
    assert err == "the site needs the [site] extra: pip install 'intimacy-explainer[site]'\n"
    assert not (tmp_path / "site").exists()


def test_notebooks_copies_every_notebook(tmp_path, capsys):
    from explainer._paths import default_notebooks_dir

    shipped = sorted(p.name for p in default_notebooks_dir().glob("[0-9][0-9]-*.ipynb"))
    assert main(["notebooks", str(tmp_path / "nb")]) == 0
    assert sorted(p.name for p in (tmp_path / "nb").glob("*.ipynb")) == shipped
    assert (tmp_path / "nb" / STAMP).is_file()  # made by explainer, says the shared writer
    assert "jupyter lab" in capsys.readouterr().out


def test_notebooks_fills_an_empty_folder(tmp_path):
    assert main(["notebooks", str(tmp_path)]) == 0
    assert (tmp_path / "00-start-here.ipynb").is_file()


def test_notebooks_refuses_the_data_folder(data_copy, capsys):
    empty = data_copy / "empty"
    empty.mkdir()
    assert main(["--data-dir", str(data_copy), "notebooks", str(empty)]) == 1
    assert "data" in capsys.readouterr().err and not any(empty.iterdir())


def test_notebooks_never_overwrites(tmp_path, capsys):
    mine = tmp_path / "00-start-here.ipynb"
    mine.write_text("my own notes", encoding="utf-8")
    assert main(["notebooks", str(tmp_path)]) == 2
    assert "not an empty folder" in capsys.readouterr().err
    assert mine.read_text(encoding="utf-8") == "my own notes"
    assert [p.name for p in tmp_path.iterdir()] == ["00-start-here.ipynb"]


def test_help_metavars_match_the_readme():
    """Each command line the README shows uses the metavars of the real help."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shown = re.findall(r"^\s+\S*explainer (\w+)((?: [A-Z_]+)*)", readme, flags=re.M)
    assert {command for command, _ in shown} >= {"export", "site", "notebooks", "about"}
    for command, metavars in shown:
        usage = _help(command)[1]
        for metavar in metavars.split():
            assert re.search(rf"\b{metavar}\b", usage), (command, metavar)


def test_readme_python_examples_run():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", readme, flags=re.S)
    assert len(blocks) >= 2
    for block in blocks:
        exec(compile(block, "README.md", "exec"), {})


# --- licences and citation ------------------------------------------------------


def test_licences_are_declared_and_present():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["license"] == "MIT AND CC-BY-4.0"
    for name in project["license-files"]:
        assert (ROOT / name).is_file()
    assert "MIT License" in (ROOT / "LICENSE").read_text(encoding="utf-8")
    data = (ROOT / "LICENSE-DATA").read_text(encoding="utf-8")
    assert "Attribution 4.0 International Public License" in data
    assert "article.txt" in data  # the article is named as not covered


def test_data_package_says_the_article_is_not_covered():
    package = json.loads((ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))
    assert [lic["name"] for lic in package["licenses"]] == ["CC-BY-4.0"]
    (source,) = package["sources"]
    assert source["path"] == "article.txt"
    assert "not covered" in source["description"] and "unknown" in source["description"]


def test_citation_file_is_valid_cff():
    yaml = pytest.importorskip("yaml", reason="PyYAML (the [test] extra) parses CITATION.cff")
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff["cff-version"] == "1.2.0"
    for key in ["message", "title", "authors"]:
        assert cff[key], key
    assert all("name" in a or "family-names" in a for a in cff["authors"])
    assert cff["version"] == explainer.__version__
    assert cff["license"] == ["MIT", "CC-BY-4.0"]
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(cff["date-released"]))


def test_site_refuses_a_folder_before_it_reads_the_tables(data_copy, tmp_path, capsys):
    # a folder with somebody's file in it, and data that is broken too: the
    # refusal comes first, without the cost (or the noise) of reading every table
    target = tmp_path / "mine"
    target.mkdir()
    (target / "notes.txt").write_text("mine", encoding="utf-8")
    (data_copy / "loops.csv").unlink()
    assert main(["site", str(target), "--data-dir", str(data_copy)]) == 1
    err = capsys.readouterr().err
    assert "refusing to write here: the folder is not empty and explainer did not make it" in err
    assert "loops.csv" not in err
    assert (target / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_one_parser_serves_every_call_and_keeps_nothing_from_the_last(data_copy, capsys):
    """main() makes the parser once; an option given in one call is gone in the next."""
    assert explainer.__main__._parser() is explainer.__main__._parser()
    assert main(["--data-dir", str(data_copy), "show", "hormones", "--where", "name=None"]) == 0
    assert "no rows of hormones match" in capsys.readouterr().out
    (data_copy / "hormones.csv").unlink()  # were --data-dir remembered, this would fail
    assert main(["show", "hormones", "--columns", "hormone_id", "--format", "csv"]) == 0
    out = capsys.readouterr().out
    assert (
        out.splitlines()[0] == "hormone_id" and len(out.splitlines()) == len(load("hormones")) + 1
    )
