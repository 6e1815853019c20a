"""The main job's intake on the sample inbox: the valid files are taken in whole, every planted reject is
rejected for its reason, a second run takes in nothing, and one source down fails only itself."""

from __future__ import annotations

import json
import shutil

import pytest

from pressdx.cli import main
from pressdx.jobs.run import run
from pressdx.sample.generator import generate
from pressdx.warehouse.connection import connect


@pytest.fixture(scope="module")
def inbox(tmp_path_factory):
    out = tmp_path_factory.mktemp("sample")
    summary = generate(out, scale=0.1, through="2025-Q4")
    return out, summary


@pytest.fixture(params=["duckdb", pytest.param("postgres", marks=pytest.mark.postgres)])
def url(request, tmp_path, monkeypatch):
    monkeypatch.setenv("PRESSDX_DATA_DIR", str(tmp_path / "data"))
    if request.param == "duckdb":
        return f"duckdb:///{tmp_path}/w.duckdb"
    return str(request.getfixturevalue("pg_url"))


def test_sample_inbox_taken_in_whole_then_nothing_new(inbox, url, tmp_path):
    out, summary = inbox
    report = tmp_path / "intake.json"
    first = run(out / "sources.yml", url, "2025-Q4", report_file=report, build=False)
    rejects = {r["path"].split("/", 2)[2]: r["rule"] for r in summary["rejects"]}
    got = {s.item.path: {e.rule for e in s.errors} for s in first.intake.rejected}
    assert set(got) == set(rejects), "exactly the planted rejects are rejected"
    for path, rule in rejects.items():
        assert rule in got[path], (path, got[path])
    assert len(first.intake.accepted) == summary["files"] - len(rejects)
    with connect(url) as wh:
        assert wh.query("select count(*) from raw.submissions")[0][0] == len(first.intake.accepted)
        rows = sum(wh.query(f"select count(*) from raw.{d}")[0][0] for d in summary["by_dataset"])
        assert rows == sum(s["rows"] for s in summary["submissions"])
        units = wh.query("select count(distinct unit_code) from raw.unit_registrations where active")[0][0]
        assert units == 20  # the sample registers 6 ministries, 10 provinces and 4 governing bodies
    doc = json.loads(report.read_text(encoding="utf-8"))
    assert set(doc) == {"accepted", "rejected", "duplicates"}
    assert set(doc["accepted"][0]) == {"path", "unit_code", "dataset", "period", "status", "sha256", "received_at",
                                       "warnings"}
    assert set(doc["rejected"][0]) == {"path", "unit_code", "dataset", "period", "sha256", "received_at", "errors"}
    assert set(doc["rejected"][0]["errors"][0]) == {"row", "column", "value", "message_vi", "message_en"}

    second = run(out / "sources.yml", url, "2025-Q4", build=False)
    assert second.intake.accepted == [] and second.intake.rejected == []
    assert len(second.intake.duplicates) == summary["files"]
    with connect(url) as wh:
        assert wh.query("select count(*) from raw.submissions")[0][0] == len(first.intake.accepted)


def test_one_source_down_fails_only_itself(inbox, tmp_path, monkeypatch):
    out, _ = inbox
    monkeypatch.setenv("PRESSDX_DATA_DIR", str(tmp_path / "data"))
    copy = tmp_path / "s"
    shutil.copytree(out, copy)
    shutil.rmtree(copy / "inbox" / "ATTT")
    url = f"duckdb:///{tmp_path}/w.duckdb"
    s = run(copy / "sources.yml", url, "2025-Q4", build=False)
    assert list(s.source_errors) == [n for n in s.source_errors if n.startswith("ATTT")] and s.source_errors
    assert s.intake.accepted and all(a.item.source.unit_code != "ATTT" for a in s.intake.accepted)


def test_cli_user_errors_are_one_line(capsys, tmp_path):
    assert main(["run", "--sources", str(tmp_path / "missing.yml"), "--warehouse", f"duckdb:///{tmp_path}/w.duckdb"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "sources file not found" in err
    assert main(["kpi", "--year", "2024", "--warehouse", "mysql://x/y"]) == 2
    assert "unknown warehouse URL" in capsys.readouterr().err
    assert main(["kpi", "--year", "2024", "--warehouse", f"duckdb:///{tmp_path}/none.duckdb"]) == 2
    assert "pressdx run" in capsys.readouterr().err


def test_validate_prints_the_clerks_report(inbox, capsys):
    out, summary = inbox
    bad = next(r for r in summary["rejects"] if r["rule"] == "staff_trained_le_total")
    registers = [a for s in summary["submissions"] if s["dataset"] == "agency_register"
                 for a in ("--register", str(out / s["path"]))]
    code = main(["validate", str(out / bad["path"]), "--unit", bad["unit_code"], *registers])
    text = capsys.readouterr().out
    assert code == 0  # a rejection is a result (interfaces.md); the registers make the agency codes known
    assert "REJECTED" in text and "Staff trained" in text and "Số người được đào tạo" in text
    good = next(s for s in summary["submissions"] if s["dataset"] == "agency_register")
    assert main(["validate", str(out / good["path"]), "--unit", good["unit_code"]]) == 0
    ok = capsys.readouterr().out.splitlines()  # one line per language (issue 15: each message wholly in one)
    assert any(": HỢP LỆ," in line for line in ok) and any(": OK," in line for line in ok)
