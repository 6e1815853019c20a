"""Every user mistake is one line on standard error and exit 2: no traceback, no exception class name.

Each case goes through ``pressdx.cli.main`` as a person would type it, against real files, a real DuckDB
warehouse (built once, through 2023-Q4, by ``pressdx run`` with progress shown), a real lock held by
another process and a PostgreSQL port nobody listens on. The build's progress lines are checked here too.
"""

from __future__ import annotations

import contextlib
import io
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pressdx.cli import main
from pressdx.sample.generator import generate

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("cli_mistakes")]

THROUGH = "2023-Q4"
CLASS_NAME = re.compile(r"\b[A-Z][A-Za-z]*(Error|Exception)\b|\bError:")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A warehouse built by ``pressdx run`` through 2023-Q4 with PRESSDX_PROGRESS=1; its stderr kept."""
    root = tmp_path_factory.mktemp("mistakes")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PRESSDX_DATA_DIR", str(root / "data"))
        mp.setenv("PRESSDX_PROGRESS", "1")
        generate(root / "sample", scale=0.05, through=THROUGH)
        url = f"duckdb:///{root / 'w.duckdb'}"
        err, out = io.StringIO(), io.StringIO()
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
            code = main(["run", "--sources", str(root / "sample" / "sources.yml"), "--warehouse", url,
                         "--through", THROUGH])
    assert code == 0, err.getvalue()
    return {"root": root, "url": url, "file": root / "w.duckdb", "sources": root / "sample" / "sources.yml",
            "stderr": err.getvalue(), "stdout": out.getvalue()}


def _one_line(capsys, argv: list[str]) -> str:
    code = main(argv)
    out, err = capsys.readouterr()
    lines = [line for line in err.splitlines() if line.strip()]
    assert code == 2, (argv, code, err)
    assert len(lines) == 1, (argv, err)
    assert "Traceback" not in err and not CLASS_NAME.search(err), err
    return lines[0]


# -- no warehouse needed -------------------------------------------------------------------------------------
def test_sample_scale_zero_and_a_period_before_the_sample(tmp_path, capsys):
    assert "positive size factor" in _one_line(capsys, ["sample", "--out", str(tmp_path / "a"), "--scale", "0"])
    assert "before the sample's first period" in _one_line(
        capsys, ["sample", "--out", str(tmp_path / "b"), "--through", "2023-Q1", "--scale", "0.01"])
    (tmp_path / "a-file").write_text("x", encoding="utf-8")
    assert "is a file, not a folder" in _one_line(capsys, ["sample", "--out", str(tmp_path / "a-file")])
    assert not (tmp_path / "a").exists() or not any((tmp_path / "a").iterdir())


@pytest.mark.parametrize("argv, says", [
    (["kpi", "--year", "2024", "--as-of", "2024-13-01"], "is not an ISO-8601 instant"),
    (["kpi", "--year", "2024", "--period", "Q7"], "use Q1, Q2, Q3 or Q4"),
    (["tasks", "--year", "2024", "--format", "xml"], "'xml' is not one of"),
    (["run", "--sources", "no/such/sources.yml"], "sources file not found"),
])
def test_a_wrong_value_or_file(argv, says, capsys, tmp_path):
    assert says in _one_line(capsys, [*argv, "--warehouse", f"duckdb:///{tmp_path}/w.duckdb"])


def test_an_unreachable_postgresql_names_its_host(capsys):
    with socket.socket() as s:  # a loopback port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    line = _one_line(capsys, ["kpi", "--year", "2024", "--warehouse", f"postgresql://postgres@127.0.0.1:{port}/x"])
    assert f"127.0.0.1:{port}" in line and line.startswith("pressdx: cannot connect")


def test_a_warehouse_path_that_is_a_folder_or_not_duckdb(tmp_path, capsys):
    (tmp_path / "folder.duckdb").mkdir()
    (tmp_path / "junk.duckdb").write_text("not a database")
    for name in ("folder.duckdb", "junk.duckdb"):
        line = _one_line(capsys, ["kpi", "--year", "2024", "--warehouse", f"duckdb:///{tmp_path / name}"])
        assert "warehouse file" in line and name in line


def test_an_http_source_whose_token_variable_is_unset(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("PRESSDX_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("PRESSDX_TEST_NO_SUCH_TOKEN", raising=False)
    sources = tmp_path / "sources.yml"
    sources.write_text("sources:\n  - name: api\n    unit_code: ATTT\n    kind: http\n"
                       "    url: https://127.0.0.1:9/submissions\n    token_env: PRESSDX_TEST_NO_SUCH_TOKEN\n")
    line = _one_line(capsys, ["run", "--sources", str(sources), "--warehouse", f"duckdb:///{tmp_path}/w.duckdb",
                              "--no-build"])
    assert line == ("pressdx: source api: the environment variable PRESSDX_TEST_NO_SUCH_TOKEN (its bearer token) "
                    "is not set")


def test_run_report_into_a_missing_folder_is_refused_before_anything_is_pulled(built, tmp_path, capsys):
    line = _one_line(capsys, ["run", "--sources", str(built["sources"]), "--warehouse", f"duckdb:///{tmp_path}/w.duckdb",
                              "--report", str(tmp_path / "no" / "such" / "intake.json")])
    assert "--report" in line and "does not exist" in line
    assert not (tmp_path / "w.duckdb").exists()


# -- against the built warehouse -----------------------------------------------------------------------------
def test_report_out_names_a_file_or_a_folder_that_cannot_be_made(built, tmp_path, capsys):
    readme = tmp_path / "README.md"
    readme.write_text("keep me")
    line = _one_line(capsys, ["report", "--year", "2023", "--out", str(readme), "--no-pdf", "--warehouse", built["url"]])
    assert "--out" in line and "is a file, not a folder" in line
    assert readme.read_text() == "keep me"
    line = _one_line(capsys, ["report", "--year", "2023", "--out", str(readme / "sub"), "--no-pdf",
                              "--warehouse", built["url"]])
    assert "cannot create the folder" in line


def test_report_refuses_a_year_the_warehouse_was_not_built_through_as_kpi_does(built, tmp_path, capsys):
    line = _one_line(capsys, ["report", "--year", "2024", "--out", str(tmp_path / "r"), "--no-pdf",
                              "--warehouse", built["url"]])
    assert line.startswith("pressdx: no figures for 2024-Q4: the warehouse was built through 2023-Q4")
    assert not (tmp_path / "r").exists()  # nothing written, nothing claimed
    assert _one_line(capsys, ["report", "--year", "2024", "--half", "--out", str(tmp_path / "r"), "--no-pdf",
                              "--warehouse", built["url"]]).startswith("pressdx: no figures for 2024-Q2")
    assert _one_line(capsys, ["kpi", "--year", "2024", "--warehouse", built["url"]]).startswith(
        "pressdx: no figures for 2024-Q4")


def test_a_warehouse_locked_by_another_process(built, capsys):
    holder = subprocess.Popen([sys.executable, "-c", "import duckdb, sys, time\n"
                               f"c = duckdb.connect({str(built['file'])!r})\nprint('held', flush=True)\n"
                               "time.sleep(60)"], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        for argv in (["kpi", "--year", "2023"], ["run", "--sources", str(built["sources"]), "--no-build"]):
            line = _one_line(capsys, [*argv, "--warehouse", built["url"]])
            assert f"another process (PID {holder.pid}) holds the warehouse file {built['file']}" in line, line
    finally:
        holder.kill()
        holder.wait()


# -- messages never claim work not done; instants to the second; progress --------------------------------------
def test_run_no_build_does_not_say_the_warehouse_was_built(built, capsys, monkeypatch):
    monkeypatch.setenv("PRESSDX_DATA_DIR", str(built["root"] / "data"))
    assert main(["run", "--sources", str(built["sources"]), "--warehouse", built["url"], "--no-build"]) == 0
    out = capsys.readouterr().out
    assert "not built (--no-build)" in out and "warehouse built" not in out
    assert f"warehouse built through {THROUGH}" in built["stdout"]


@pytest.mark.parametrize("argv", [["kpi", "--year", "2023"], ["kpi", "--year", "2023", "--format", "csv"],
                                  ["timeliness", "--year", "2023", "--format", "json"], ["tasks", "--year", "2023"]])
def test_instants_are_printed_to_the_second(built, argv, capsys):
    assert main([*argv, "--warehouse", built["url"]]) == 0
    out = capsys.readouterr().out
    assert re.search(r"\d\d:\d\d:\d\d[+-]\d\d:\d\d", out)
    assert not re.search(r"\d\d:\d\d:\d\d\.\d", out), out[:400]


def test_the_build_shows_each_model_as_it_starts(built):
    """``pressdx run`` with PRESSDX_PROGRESS=1: ``model N/M name`` for every model, N running up to M."""
    lines = re.findall(r"^\[\s*\d+\.\ds\] model (\d+)/(\d+) (\w+)$", built["stderr"], re.M)
    assert lines, built["stderr"][-2000:]
    total = int(lines[0][1])
    assert total > 20 and all(int(m) == total for _, m, _ in lines)
    assert [int(n) for n, _, _ in lines] == list(range(1, total + 1))
    assert {"fct_indicator_period", "dim_build"} <= {name for _, _, name in lines}
    assert re.search(r"^\[\s*\d+\.\ds\] dbt: \d+ models?, ", built["stderr"], re.M)


def test_progress_stays_off_when_not_asked(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("PRESSDX_PROGRESS", raising=False)
    t0 = time.monotonic()
    assert main(["sample", "--out", str(tmp_path / "s"), "--scale", "0.01", "--through", "2023-Q2"]) == 0
    assert capsys.readouterr().err == "" and time.monotonic() - t0 < 120
    assert Path(tmp_path / "s" / "sources.yml").is_file()
