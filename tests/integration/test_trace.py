"""The auditor's path from a figure to the bytes (issue 13): lineage marts, ``pressdx trace``, ``pressdx verify``.

A small sample inbox (seed 781, scale 0.05) is taken in and built with ``pressdx.jobs.run.run`` on each
engine, with its own landing store. The tests read the lineage marts through ``pressdx.figures.trace`` and
the CLI, and damage landed or published bytes to see the checks fail. The revision test needs one as-of
build, at a due instant between a version and its revision when the sample has one, so that the
publication of that due instant reuses it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest

from pressdx.cli import main
from pressdx.domain import calendar
from pressdx.domain.landing import landing_path
from pressdx.figures.marts import aware
from pressdx.figures.trace import trace, trace_submission
from pressdx.jobs.run import run
from pressdx.sample.generator import generate
from pressdx.settings import ConfigError
from pressdx.warehouse.connection import Warehouse, WarehouseURL
from tests.helpers import ENGINES

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("trace")]

SCALE = 0.05
THROUGH = "2025-Q4"
RATIO = ["I1", "I2", "I3", "I4", "I5", "I6", "I7"]
STAGE = ["I8R", "I8T", "I8E"]

# The JSON shape documented in docs/lineage.md.
TOP_KEYS = {"schema_version", "indicator", "year", "period", "as_of", "build", "figure", "annual", "inputs",
            "superseded", "members", "agency"}
FIGURE_KEYS = {"period", "numerator", "denominator", "value_pct", "target_pct", "min_revenue_growth_pct", "status",
               "coverage_pct", "stage", "target_stage", "member_count", "known_member_count"}
VERSION_KEYS = {"submission_id", "unit_code", "dataset", "period", "status", "received_at", "sha256", "source_name",
                "source_path", "landing_path", "version_number", "version_count", "is_current", "superseded_by",
                "superseded_at"}
MEMBER_KEYS = {"member_code", "member_name", "is_known", "in_numerator", "numerator_value", "denominator_value",
               "reason", "value_column", "source_dataset", "source_submission_id", "source_period_code",
               "source_row_number", "register_submission_id", "register_period_code", "register_row_number",
               "explanation"}
ANNUAL_KEYS = {"year", "annual_value_pct", "progress", "annual_values"}
FORWARD_KEYS = {"schema_version", "as_of", "build", "submission", "figures", "superseded_by", "versions"}


@dataclass
class Traced:
    url: WarehouseURL
    data: Path

    def query(self, sql: str, params=()) -> list[dict]:
        with Warehouse(self.url, read_only=self.url.kind == "duckdb") as wh:
            return wh.query_dicts(sql, params)

    def cli(self, capsys, *args: str) -> tuple[int, str, str]:
        capsys.readouterr()
        code = main([*args, "--warehouse", self.url.url])
        out, err = capsys.readouterr()
        return code, out, err


@pytest.fixture(scope="module")
def inbox(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("trace_sample")
    generate(root, seed=781, through=THROUGH, scale=SCALE)
    return root


@pytest.fixture(scope="module", params=ENGINES)
def traced(request, inbox, tmp_path_factory):
    name = "duckdb_module_url" if request.param == "duckdb" else "pg_module_url"
    url = WarehouseURL.parse(request.getfixturevalue(name))
    data = tmp_path_factory.mktemp(f"trace_data_{request.param}")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PRESSDX_DATA_DIR", str(data))
        summary = run(inbox / "sources.yml", url.url, THROUGH, build=True)
        assert summary.intake.accepted
        yield Traced(url, data)


@pytest.fixture(scope="module")
def revision(traced) -> dict:
    """A version v1 and its revision v2 where v2 now decides members of the figure of its own period; T lies
    between their receipt, at a due instant when one falls there."""
    pairs = traced.query(
        "select v1.submission_id as v1, v2.submission_id as v2, v1.received_at as r1, v2.received_at as r2, "
        "i.indicator_code, i.period_code, i.year, i.quarter "
        "from marts.fct_submission_lineage v1 join marts.fct_submission_lineage v2 "
        "on v2.submission_id = v1.superseded_by_submission_id "
        "join marts.fct_indicator_input i on i.submission_id = v2.submission_id and i.period_code = v2.period_code "
        "where i.input_role = 'member_value' and v2.received_at > v1.received_at "
        "order by i.period_code, i.indicator_code")
    assert pairs, "the sample has no revision that feeds a figure"
    dues = calendar.due_instants()
    for p in pairs:
        p["r1"], p["r2"] = aware(p["r1"]), aware(p["r2"])
        r1, r2 = p["r1"], p["r2"]
        between = [d for d in dues if r1 <= d.as_of < r2 and d.kind == "quarterly"]
        if between:
            return {**p, "as_of": between[0].as_of, "due": between[0]}
    p = {**pairs[0], "r1": aware(pairs[0]["r1"]), "r2": aware(pairs[0]["r2"])}
    return {**p, "as_of": p["r1"] + (p["r2"] - p["r1"]) / 2, "due": None}


def test_members_sum_to_every_figure(traced):
    """For every (indicator, period) in scope the members add up to fct_indicator_period (I6: persons)."""
    figures = traced.query("select indicator_code, period_code, numerator, denominator, coverage_pct, stage "
                           "from marts.fct_indicator_period")
    sums = {(r["indicator_code"], r["period_code"]): r for r in traced.query(
        "select indicator_code, period_code, count(*) as n, sum(case when is_known then 1 else 0 end) as known, "
        "sum(numerator_value) as num, sum(denominator_value) as den, max(stage) as stage "
        "from marts.fct_indicator_member group by indicator_code, period_code")}
    assert len(figures) == 10 * 12
    for f in figures:
        m = sums.get((f["indicator_code"], f["period_code"]))
        if f["indicator_code"] in STAGE:
            assert m is not None and m["n"] == 1 and m["stage"] == f["stage"], f
            continue
        assert (int(m["num"] or 0) if m else 0) == f["numerator"], f
        assert (int(m["den"] or 0) if m else 0) == f["denominator"], f
        if m and m["n"]:
            assert abs(float(f["coverage_pct"]) - 100 * int(m["known"]) / int(m["n"])) < 1e-9, f
    for code in RATIO:
        res = trace(traced.url, code, 2025, 4)
        assert sum(x["numerator_value"] for x in res["members"]) == res["figure"]["numerator"]
        assert sum(x["denominator_value"] for x in res["members"]) == res["figure"]["denominator"]
        assert len(res["members"]) == res["figure"]["member_count"]


@pytest.mark.parametrize("code", RATIO + STAGE)
def test_every_input_exists_and_was_received_by_as_of(traced, code):
    res = trace(traced.url, code, 2025, 4)
    as_of = datetime.fromisoformat(res["as_of"])
    known = {r["submission_id"] for r in traced.query("select submission_id from marts.fct_submission_lineage")}
    assert res["inputs"], code
    for v in res["inputs"]:
        assert v["submission_id"] in known
        assert datetime.fromisoformat(v["received_at"]) <= as_of
        assert v["is_current"] is True
        assert Path(v["landing_path"]) == landing_path(v["sha256"], traced.data)
        assert Path(v["landing_path"]).is_file()
    used = {s for m in res["members"] for s in (m["source_submission_id"], m["register_submission_id"]) if s}
    assert used <= {v["submission_id"] for v in res["inputs"]}


def test_verify_passes_then_fails_after_a_landing_file_changes(traced, capsys):
    code, out, err = traced.cli(capsys, "trace", "--indicator", "I1", "--year", "2025", "--period", "Q4",
                                "--verify", "--format", "json")
    assert code == 0, err
    res = json.loads(out)
    assert res["verify"]["problems"] == [] and res["verify"]["checked"] == len({v["sha256"] for v in res["inputs"]})
    victim = Path(res["inputs"][0]["landing_path"])
    saved = victim.read_bytes()
    try:
        victim.write_bytes(saved[:-1] + bytes([saved[-1] ^ 1]))
        code, out, err = traced.cli(capsys, "trace", "--indicator", "I1", "--year", "2025", "--period", "Q4",
                                    "--verify")
        assert code == 1
        lines = err.strip().splitlines()
        assert len(lines) == 1 and res["inputs"][0]["submission_id"] in lines[0] and "SHA-256" in lines[0]
        victim.unlink()
        code, _, err = traced.cli(capsys, "trace", "--indicator", "I1", "--year", "2025", "--period", "Q4", "--verify")
        assert code == 1 and "missing" in err
    finally:
        victim.write_bytes(saved)


def test_a_revision_before_and_after(traced, revision):
    y, q, code = revision["year"], revision["quarter"], revision["indicator_code"]
    then = trace(traced.url, code, y, q, as_of=revision["as_of"])
    ids = {v["submission_id"] for v in then["inputs"]}
    assert revision["v1"] in ids
    assert revision["v2"] not in ids | {v["submission_id"] for v in then["superseded"]}
    assert datetime.fromisoformat(then["as_of"]) == revision["as_of"]
    with pytest.raises(ConfigError):
        trace_submission(traced.url, revision["v2"], as_of=revision["as_of"])
    now = trace(traced.url, code, y, q)
    assert revision["v2"] in {v["submission_id"] for v in now["inputs"]}
    old = [v for v in now["superseded"] if v["submission_id"] == revision["v1"]]
    assert old and old[0]["superseded_by"] == revision["v2"] and old[0]["is_current"] is False
    forward = trace_submission(traced.url, revision["v1"])
    assert forward["figures"] == [] and forward["superseded_by"]["submission_id"] == revision["v2"]
    fed = trace_submission(traced.url, revision["v2"])
    assert {(f["indicator_code"], f["period"]) for f in fed["figures"]} >= {(code, revision["period_code"])}


def test_json_matches_the_documented_shape(traced, capsys):
    code, out, err = traced.cli(capsys, "trace", "--indicator", "I4", "--year", "2025", "--format", "json")
    assert code == 0, err
    res = json.loads(out)
    assert set(res) == TOP_KEYS and res["period"] is None and res["agency"] is None
    assert set(res["figure"]) == FIGURE_KEYS and set(res["annual"]) == ANNUAL_KEYS
    assert all(set(v) == VERSION_KEYS | {"input_role", "member_count"} for v in res["inputs"])
    assert all(set(v) == VERSION_KEYS for v in res["superseded"])
    assert all(set(m) >= MEMBER_KEYS and "months_known" in m for m in res["members"])
    used = [v["year"] for v in res["annual"]["annual_values"] if v["in_cagr"]]
    assert {p["base_year"] for p in res["annual"]["progress"]} <= set(used)
    code, out, _ = traced.cli(capsys, "trace", "--indicator", "I8R", "--year", "2025", "--period", "Q4",
                              "--format", "json")
    stage = json.loads(out)
    assert stage["figure"]["numerator"] is None and stage["members"][0]["in_numerator"] is None
    assert "stage" in stage["members"][0]
    member = stage["members"][0]["member_code"]
    agency = res["members"][0]["member_code"]
    code, out, _ = traced.cli(capsys, "trace", "--indicator", "I4", "--year", "2025", "--period", "Q4",
                              "--agency", agency, "--format", "json")
    one = json.loads(out)
    assert [m["member_code"] for m in one["members"]] == [agency] and one["agency"]["is_member"] is True
    code, out, _ = traced.cli(capsys, "trace", "--indicator", "I4", "--year", "2025", "--period", "Q4",
                              "--agency", member, "--format", "json")
    assert json.loads(out)["agency"]["is_member"] is False
    sid = res["inputs"][0]["submission_id"]
    code, out, _ = traced.cli(capsys, "trace", "--submission", sid, "--format", "json")
    fwd = json.loads(out)
    assert set(fwd) == FORWARD_KEYS and set(fwd["submission"]) == VERSION_KEYS
    assert ("I4", "2025-Q4") in {(f["indicator_code"], f["period"]) for f in fwd["figures"]}


def test_unknown_indicator_exits_2_with_one_line(traced, capsys):
    code, out, err = traced.cli(capsys, "trace", "--indicator", "I9", "--year", "2025")
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and "unknown indicator 'I9'" in err and "Traceback" not in err
    code, _, err = traced.cli(capsys, "trace", "--submission", "nope")
    assert code == 2 and len(err.strip().splitlines()) == 1


def test_verify_dir_passes_then_fails_after_one_byte(traced, revision, tmp_path, capsys):
    from pressdx.publishing.publication import publish

    due = revision["due"] or calendar.due_at_or_before(revision["as_of"])
    publish(traced.url, due, root=tmp_path)
    folder = tmp_path / due.publication
    code, out, err = traced.cli(capsys, "verify", str(folder))
    assert code == 0, err
    assert "match" in out
    victim = folder / "kpi.json"
    data = victim.read_bytes()
    victim.write_bytes(data[:10] + bytes([data[10] ^ 1]) + data[11:])
    code, _, err = traced.cli(capsys, "verify", str(folder))
    assert code == 1 and err.strip().splitlines() == [
        "pressdx verify: kpi.json: does not match its SHA-256 in the manifest"]
    victim.write_bytes(data)
    used = traced.query("select submission_id, sha256 from marts.fct_submission_lineage where received_at <= ? "
                        "order by received_at", (due.as_of,))
    victim = landing_path(used[0]["sha256"], traced.data)
    saved = victim.read_bytes()
    try:
        victim.write_bytes(saved + b"x")
        code, _, err = traced.cli(capsys, "verify", str(folder))
        lines = err.strip().splitlines()
        assert code == 1 and len(lines) == 1 and used[0]["submission_id"] in lines[0] and "SHA-256" in lines[0]
    finally:
        victim.write_bytes(saved)
    code, _, err = traced.cli(capsys, "verify", str(tmp_path / "nothing-here"))
    assert code == 2
