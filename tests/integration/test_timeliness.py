"""Timeliness and completeness end to end (kpi-rules.md), on DuckDB and on PostgreSQL.

Raw rows are written as intake would, the warehouse is built with pressdx.warehouse.dbt.build() as of T, and the
marts and ``pressdx timeliness --format json`` are checked against states computed by hand below (never
by re-running the SQL), key by key. Then ``--as-of T2`` (an as-of build) must show the states at T2.

Fixture (times in Vietnam time, UTC+7; due instants from the calendar seed: 2023-Q2 due 2023-07-05 00:00,
Q3 2023-10-05 00:00, Q4 2023-12-05 00:00, 2024-Q1 2024-04-03 00:00, annual reports 2023-12-15 00:00).
Expected by the reference assignments: CBC agency_register, agency_dx_status, agency_revenue,
platform_stage, PTTH platform_stage, ATTT agency_security, PTIT university_curriculum quarterly from
2023-Q2; CBC agency_revenue_baseline once in 2023-Q2; task_progress from 15 lead units in Y-Q4.

  registrations  run r0 2023-02-01 09:00 (the first roster): BYT ministry, HANOI and OLDPROV provinces
                 run r1 2023-11-01 09:00: OLDPROV removed (before the 2023 annual reports are due)
                 run r2 2024-01-15 09:00: LATEPROV and NEWPROV provinces (registered after 2023)

  S01 CBC agency_register        2023-Q1 official     2023-04-02 10:00  nobody expects 2023-Q1: no row
  S02 CBC agency_register        2023-Q2 official     2023-07-04 23:59:59  one second before due: on_time
  S03 CBC agency_register        2023-Q3 official     2023-10-05 00:00  exactly at the due instant: late
  S04 CBC agency_register        2023-Q4 provisional  2023-12-01 10:00  on_time ...
  S05 CBC agency_register        2023-Q4 official     2023-12-10 10:00  ... revised: no longer provisional
  S06 CBC agency_register        2024-Q1 provisional  2024-03-15 10:00  on_time, still provisional
  (rejected) CBC agency_dx_status 2023-Q3             2023-10-01 10:00  audit only: never "received"
  S07 CBC agency_dx_status       2023-Q3 official     2023-10-08 10:00  late (the rejection does not count)
  S08 CBC agency_dx_status       2023-Q4 official     2023-12-04 16:00  on_time
  S09 CBC agency_revenue_baseline 2023-Q2 official    2023-08-01 09:00  late
  S10 CBC task_progress          2023-Q4 official     2023-11-20 09:00  on_time ...
  S11 CBC task_progress          2023-Q4 official     2023-12-20 09:00  ... its revision
  S12 PTTH task_progress         2023-Q4 official     2024-01-05 09:00  late
  S13 VPC task_progress          2023-Q4 official     2023-12-06 09:00  late
  S14 BYT annual_implementation  2023-Q4 provisional  2023-12-14 10:00  on_time ...
  S15 BYT annual_implementation  2023-Q4 official     2024-01-10 10:00  ... revised after the due instant
  S16 LATEPROV annual_implementation 2023-Q4 official 2024-01-20 10:00  registered after 2023 but reported: late

T = 2024-03-20 00:00 (build through 2024-Q1). T2 = 2023-12-10 00:00 (S05, S11, S12, S14..S16 and run r2
unknown yet).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from ingest.records import EVENT_COLS, SUBMISSION_COLS
from pressdx.cli import main
from pressdx.warehouse.connection import Warehouse, WarehouseURL, raw_columns
from tests.helpers import ENGINES, Built, built_warehouse, run_cli

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("timeliness")]

VN = timezone(timedelta(hours=7))
T = datetime(2024, 3, 20, 0, 0, tzinfo=VN)
T2 = datetime(2023, 12, 10, 0, 0, tzinfo=VN)


def vn(*args) -> datetime:
    return datetime(*args, tzinfo=VN)


REGISTRATIONS = [  # (unit_code, unit_kind, active, registered_at, run_id)
    ("BYT", "ministry", True, vn(2023, 2, 1, 9), "r0"),
    ("HANOI", "province", True, vn(2023, 2, 1, 9), "r0"),
    ("OLDPROV", "province", True, vn(2023, 2, 1, 9), "r0"),
    ("OLDPROV", "province", False, vn(2023, 11, 1, 9), "r1"),
    ("LATEPROV", "province", True, vn(2024, 1, 15, 9), "r2"),
    ("NEWPROV", "province", True, vn(2024, 1, 15, 9), "r2"),
]
SUBMISSIONS = [  # (submission_id, unit_code, dataset, period, status, received_at)
    ("S01", "CBC", "agency_register", "2023-Q1", "official", vn(2023, 4, 2, 10)),
    ("S02", "CBC", "agency_register", "2023-Q2", "official", vn(2023, 7, 4, 23, 59, 59)),
    ("S03", "CBC", "agency_register", "2023-Q3", "official", vn(2023, 10, 5, 0, 0)),
    ("S04", "CBC", "agency_register", "2023-Q4", "provisional", vn(2023, 12, 1, 10)),
    ("S05", "CBC", "agency_register", "2023-Q4", "official", vn(2023, 12, 10, 10)),
    ("S06", "CBC", "agency_register", "2024-Q1", "provisional", vn(2024, 3, 15, 10)),
    ("S07", "CBC", "agency_dx_status", "2023-Q3", "official", vn(2023, 10, 8, 10)),
    ("S08", "CBC", "agency_dx_status", "2023-Q4", "official", vn(2023, 12, 4, 16)),
    ("S09", "CBC", "agency_revenue_baseline", "2023-Q2", "official", vn(2023, 8, 1, 9)),
    ("S10", "CBC", "task_progress", "2023-Q4", "official", vn(2023, 11, 20, 9)),
    ("S11", "CBC", "task_progress", "2023-Q4", "official", vn(2023, 12, 20, 9)),
    ("S12", "PTTH", "task_progress", "2023-Q4", "official", vn(2024, 1, 5, 9)),
    ("S13", "VPC", "task_progress", "2023-Q4", "official", vn(2023, 12, 6, 9)),
    ("S14", "BYT", "annual_implementation", "2023-Q4", "provisional", vn(2023, 12, 14, 10)),
    ("S15", "BYT", "annual_implementation", "2023-Q4", "official", vn(2024, 1, 10, 10)),
    ("S16", "LATEPROV", "annual_implementation", "2023-Q4", "official", vn(2024, 1, 20, 10)),
]
REJECTED = ("E01", "CBC", "agency_dx_status", "2023-Q3", "official", vn(2023, 10, 1, 10))

DUE = {  # the calendar seed's due instants, as the JSON prints them
    "2023-Q2": "2023-07-05T00:00:00+07:00",
    "2023-Q3": "2023-10-05T00:00:00+07:00",
    "2023-Q4": "2023-12-05T00:00:00+07:00",
    "2024-Q1": "2024-04-03T00:00:00+07:00",
    "annual 2023": "2023-12-15T00:00:00+07:00",
}
TASK_UNITS_MISSING = ["CDSQG", "TCTTTT", "TDTBD", "TTDN", "VCL", "VCNPM", "VHTQT", "VKHCN", "VKHTC", "VNN"]

# Expected submissions as of T, year 2023 (every period), in the command's order: period, unit, dataset.
# (unit, dataset, period, state, provisional, first_received_at, current_received_at); times in VN time.
EXPECTED_2023 = [
    # 2023-Q1: nothing is expected (every assignment starts in 2023-Q2 or later): S01 gives no row.
    # 2023-Q2, due 2023-07-05 00:00
    ("ATTT", "agency_security", "2023-Q2", "missing", False, None, None),
    ("CBC", "agency_dx_status", "2023-Q2", "missing", False, None, None),
    ("CBC", "agency_register", "2023-Q2", "on_time", False, "2023-07-04T23:59:59+07:00", "2023-07-04T23:59:59+07:00"),
    ("CBC", "agency_revenue", "2023-Q2", "missing", False, None, None),
    ("CBC", "agency_revenue_baseline", "2023-Q2", "late", False, "2023-08-01T09:00:00+07:00",
     "2023-08-01T09:00:00+07:00"),
    ("CBC", "platform_stage", "2023-Q2", "missing", False, None, None),
    ("PTIT", "university_curriculum", "2023-Q2", "missing", False, None, None),
    ("PTTH", "platform_stage", "2023-Q2", "missing", False, None, None),
    # 2023-Q3, due 2023-10-05 00:00
    ("ATTT", "agency_security", "2023-Q3", "missing", False, None, None),
    ("CBC", "agency_dx_status", "2023-Q3", "late", False, "2023-10-08T10:00:00+07:00", "2023-10-08T10:00:00+07:00"),
    ("CBC", "agency_register", "2023-Q3", "late", False, "2023-10-05T00:00:00+07:00", "2023-10-05T00:00:00+07:00"),
    ("CBC", "agency_revenue", "2023-Q3", "missing", False, None, None),
    ("CBC", "platform_stage", "2023-Q3", "missing", False, None, None),
    ("PTIT", "university_curriculum", "2023-Q3", "missing", False, None, None),
    ("PTTH", "platform_stage", "2023-Q3", "missing", False, None, None),
    # 2023-Q4, due 2023-12-05 00:00 (annual_implementation: 2023-12-15 00:00). OLDPROV (removed 2023-11-01)
    # and NEWPROV (registered 2024-01-15) are not expected; LATEPROV is, because it reported.
    ("ATTT", "agency_security", "2023-Q4", "missing", False, None, None),
    ("ATTT", "task_progress", "2023-Q4", "missing", False, None, None),
    ("BYT", "annual_implementation", "2023-Q4", "on_time", False, "2023-12-14T10:00:00+07:00",
     "2024-01-10T10:00:00+07:00"),
    ("CBC", "agency_dx_status", "2023-Q4", "on_time", False, "2023-12-04T16:00:00+07:00", "2023-12-04T16:00:00+07:00"),
    ("CBC", "agency_register", "2023-Q4", "on_time", False, "2023-12-01T10:00:00+07:00", "2023-12-10T10:00:00+07:00"),
    ("CBC", "agency_revenue", "2023-Q4", "missing", False, None, None),
    ("CBC", "platform_stage", "2023-Q4", "missing", False, None, None),
    ("CBC", "task_progress", "2023-Q4", "on_time", False, "2023-11-20T09:00:00+07:00", "2023-12-20T09:00:00+07:00"),
    ("CDSQG", "task_progress", "2023-Q4", "missing", False, None, None),
    ("HANOI", "annual_implementation", "2023-Q4", "missing", False, None, None),
    ("LATEPROV", "annual_implementation", "2023-Q4", "late", False, "2024-01-20T10:00:00+07:00",
     "2024-01-20T10:00:00+07:00"),
    ("PTIT", "task_progress", "2023-Q4", "missing", False, None, None),
    ("PTIT", "university_curriculum", "2023-Q4", "missing", False, None, None),
    ("PTTH", "platform_stage", "2023-Q4", "missing", False, None, None),
    ("PTTH", "task_progress", "2023-Q4", "late", False, "2024-01-05T09:00:00+07:00", "2024-01-05T09:00:00+07:00"),
    *[(u, "task_progress", "2023-Q4", "missing", False, None, None) for u in TASK_UNITS_MISSING if u != "CDSQG"],
    ("VPC", "task_progress", "2023-Q4", "late", False, "2023-12-06T09:00:00+07:00", "2023-12-06T09:00:00+07:00"),
]
# Per unit over the year: (due, on_time, late, missing, completeness_pct, timeliness_pct)
UNITS_2023 = {
    "ATTT": (4, 0, 0, 4, 0.0, 0.0),  # agency_security Q2..Q4 + task_progress, all missing
    "BYT": (1, 1, 0, 0, 100.0, 100.0),
    # CBC Q2: register on_time, baseline late, dx / revenue / platform missing; Q3: dx, register late,
    # revenue, platform missing; Q4: dx, register, task_progress on_time, revenue, platform missing
    # → due 14, on_time 4, late 3, missing 7: completeness 100 × 7 / 14 = 50, timeliness 100 × 4 / 14
    "CBC": (14, 4, 3, 7, 50.0, 100 * 4 / 14),
    "HANOI": (1, 0, 0, 1, 0.0, 0.0),
    "LATEPROV": (1, 0, 1, 0, 100.0, 0.0),
    "PTIT": (4, 0, 0, 4, 0.0, 0.0),
    "PTTH": (4, 0, 1, 3, 25.0, 0.0),  # platform_stage Q2..Q4 missing, task_progress late → 100 × 1 / 4
    **{u: (1, 0, 0, 1, 0.0, 0.0) for u in TASK_UNITS_MISSING},
    "VPC": (1, 0, 1, 0, 100.0, 0.0),
}

# 2024-Q1 as of T (due 2024-04-03 00:00 is still ahead): only S06 is received.
EXPECTED_2024_Q1 = [
    ("ATTT", "agency_security", "2024-Q1", "not_due", False, None, None),
    ("CBC", "agency_dx_status", "2024-Q1", "not_due", False, None, None),
    ("CBC", "agency_register", "2024-Q1", "on_time", True, "2024-03-15T10:00:00+07:00", "2024-03-15T10:00:00+07:00"),
    ("CBC", "agency_revenue", "2024-Q1", "not_due", False, None, None),
    ("CBC", "platform_stage", "2024-Q1", "not_due", False, None, None),
    ("PTIT", "university_curriculum", "2024-Q1", "not_due", False, None, None),
    ("PTTH", "platform_stage", "2024-Q1", "not_due", False, None, None),
]
UNITS_2024_Q1 = {  # due excludes not_due: rates are null (no value) where nothing is due
    "ATTT": (0, 0, 0, 0, None, None),
    "CBC": (1, 1, 0, 0, 100.0, 100.0),
    "PTIT": (0, 0, 0, 0, None, None),
    "PTTH": (0, 0, 0, 0, None, None),
}

# 2023-Q4 as of T2 = 2023-12-10 00:00: the quarterly figures are due (12-05), the annual reports not yet
# (12-15). Known then: S04 (provisional, still current), S08, S10, S13; registrations r0 and r1 only, so
# LATEPROV is not expected (neither registered nor reported yet).
EXPECTED_2023_Q4_AT_T2 = [
    ("ATTT", "agency_security", "2023-Q4", "missing", False, None, None),
    ("ATTT", "task_progress", "2023-Q4", "missing", False, None, None),
    ("BYT", "annual_implementation", "2023-Q4", "not_due", False, None, None),
    ("CBC", "agency_dx_status", "2023-Q4", "on_time", False, "2023-12-04T16:00:00+07:00", "2023-12-04T16:00:00+07:00"),
    ("CBC", "agency_register", "2023-Q4", "on_time", True, "2023-12-01T10:00:00+07:00", "2023-12-01T10:00:00+07:00"),
    ("CBC", "agency_revenue", "2023-Q4", "missing", False, None, None),
    ("CBC", "platform_stage", "2023-Q4", "missing", False, None, None),
    ("CBC", "task_progress", "2023-Q4", "on_time", False, "2023-11-20T09:00:00+07:00", "2023-11-20T09:00:00+07:00"),
    ("CDSQG", "task_progress", "2023-Q4", "missing", False, None, None),
    ("HANOI", "annual_implementation", "2023-Q4", "not_due", False, None, None),
    ("PTIT", "task_progress", "2023-Q4", "missing", False, None, None),
    ("PTIT", "university_curriculum", "2023-Q4", "missing", False, None, None),
    ("PTTH", "platform_stage", "2023-Q4", "missing", False, None, None),
    ("PTTH", "task_progress", "2023-Q4", "missing", False, None, None),
    *[(u, "task_progress", "2023-Q4", "missing", False, None, None) for u in TASK_UNITS_MISSING if u != "CDSQG"],
    ("VPC", "task_progress", "2023-Q4", "late", False, "2023-12-06T09:00:00+07:00", "2023-12-06T09:00:00+07:00"),
]
UNITS_2023_Q4_AT_T2 = {
    "ATTT": (2, 0, 0, 2, 0.0, 0.0),
    "BYT": (0, 0, 0, 0, None, None),
    "CBC": (5, 3, 0, 2, 60.0, 60.0),  # dx, register, task_progress on time; revenue, platform missing
    "HANOI": (0, 0, 0, 0, None, None),
    "PTIT": (2, 0, 0, 2, 0.0, 0.0),
    "PTTH": (2, 0, 0, 2, 0.0, 0.0),
    **{u: (1, 0, 0, 1, 0.0, 0.0) for u in TASK_UNITS_MISSING},
    "VPC": (1, 0, 1, 0, 100.0, 0.0),
}


def _due(dataset: str, period: str) -> str:
    return DUE["annual 2023"] if dataset == "annual_implementation" else DUE[period]


def expected_json(rows: list[tuple]) -> list[dict]:
    return [{"unit_code": u, "dataset": d, "period": p, "due_at": _due(d, p), "state": s, "provisional": prov,
             "first_received_at": first, "current_received_at": current}
            for u, d, p, s, prov, first, current in rows]


def units_json(units: dict) -> list[dict]:
    return [{"unit_code": u, "due": v[0], "on_time": v[1], "late": v[2], "missing": v[3],
             "completeness_pct": v[4], "timeliness_pct": v[5]} for u, v in sorted(units.items())]


def load_fixture(url: WarehouseURL) -> None:
    subs, task_rows = [], []
    for sid, unit, dataset, period, status, received in SUBMISSIONS:
        r = received.astimezone(UTC)
        sha = f"{sid:0<64}"[:64]
        subs.append((sid, unit, dataset, period, status, None, r, sha, "json", f"{unit.lower()}-inbox",
                     f"{sid}.json", 1, 0, "run-test", r))
        if dataset == "task_progress":  # one row each, so the staging models see realistic data
            task = {"CBC": "I.1", "PTTH": "IV.1", "VPC": "I.3"}[unit]
            task_rows.append((sid, unit, dataset, period, status, r, sha, 1, task, None, "in_progress", None, None,
                              None, None))
    eid, unit, dataset, period, status, received = REJECTED
    event = (eid, "run-test", received.astimezone(UTC), "rejected", "cbc-inbox", unit, f"{eid}.csv", "e" * 64,
             received.astimezone(UTC), unit, dataset, period, status, None, 1, 0)
    with Warehouse(url) as wh:
        wh.ensure_schema()
        with wh.transaction():
            wh.insert_rows("raw.submissions",
                           SUBMISSION_COLS, subs)
            wh.insert_rows("raw.task_progress", raw_columns("task_progress"), task_rows)
            wh.insert_rows("raw.unit_registrations",
                           ("unit_code", "unit_kind", "name_vi", "name_en", "active", "registered_at",
                            "sources_file", "run_id"),
                           [(c, k, c, c, a, t.astimezone(UTC), "sources.yml", run) for c, k, a, t, run in REGISTRATIONS])
            wh.insert_rows("audit.intake_events",
                           EVENT_COLS, [event])


@pytest.fixture(scope="module", params=ENGINES)
def built(request) -> Built:
    return built_warehouse(request, load_fixture, T, "2024-Q1")


def assert_same(got: list[dict], want: list[dict]) -> None:
    """Key by key, element by element (rates to 1e-9: the same IEEE computation on both engines)."""
    assert len(got) == len(want)
    for g, w in zip(got, want, strict=True):
        assert list(g) == list(w), w
        for k in w:
            if isinstance(w[k], float):
                assert g[k] == pytest.approx(w[k], abs=1e-9), (w, k)
            else:
                assert g[k] == w[k], (w, k)


def test_timeliness_json_for_a_year(built, capsys):
    res = run_cli(capsys, built, "timeliness", "--year", "2023")
    assert list(res) == ["year", "period", "as_of", "expected", "units"]
    assert res["year"] == 2023
    assert res["period"] is None  # every period of the year
    assert res["as_of"] == "2024-03-20T00:00:00+07:00"  # the build's as-of instant
    assert_same(res["expected"], expected_json(EXPECTED_2023))
    assert_same(res["units"], units_json(UNITS_2023))


def test_timeliness_json_for_a_period_not_due_yet(built, capsys):
    res = run_cli(capsys, built, "timeliness", "--year", "2024", "--period", "Q1")
    assert (res["year"], res["period"], res["as_of"]) == (2024, "2024-Q1", "2024-03-20T00:00:00+07:00")
    assert_same(res["expected"], expected_json(EXPECTED_2024_Q1))
    assert_same(res["units"], units_json(UNITS_2024_Q1))


def test_timeliness_as_of_an_earlier_instant(built, capsys):
    res = run_cli(capsys, built, "timeliness", "--year", "2023", "--period", "q4", "--as-of",
                  "2023-12-10T00:00:00+07:00")
    assert (res["year"], res["period"], res["as_of"]) == (2023, "2023-Q4", "2023-12-10T00:00:00+07:00")
    assert_same(res["expected"], expected_json(EXPECTED_2023_Q4_AT_T2))
    assert_same(res["units"], units_json(UNITS_2023_Q4_AT_T2))
    # the regular marts are untouched by the as-of build
    again = run_cli(capsys, built, "timeliness", "--year", "2023", "--period", "Q4")
    assert_same(again["expected"], [e for e in expected_json(EXPECTED_2023) if e["period"] == "2023-Q4"])


def test_marts_agree_with_the_command(built):
    rows = built.query("select unit_code, period_code, expected, due, on_time, late, missing, not_due, provisional, "
                       "completeness_pct, timeliness_pct from marts.fct_unit_reporting_rate "
                       "where unit_code = 'CBC' order by period_index")
    got = {r["period_code"]: (r["expected"], r["due"], r["on_time"], r["late"], r["missing"], r["not_due"],
                              r["provisional"], r["completeness_pct"], r["timeliness_pct"]) for r in rows}
    assert got == {
        # 2023-Q2: register on_time, baseline late, dx / revenue / platform missing → 100 × 2 / 5, 100 × 1 / 5
        "2023-Q2": (5, 5, 1, 1, 3, 0, 0, 40.0, 20.0),
        # 2023-Q3: dx and register late, revenue and platform missing → 100 × 2 / 4, 0
        "2023-Q3": (4, 4, 0, 2, 2, 0, 0, 50.0, 0.0),
        # 2023-Q4: dx, register, task_progress on time; revenue, platform missing → 100 × 3 / 5 twice
        "2023-Q4": (5, 5, 3, 0, 2, 0, 0, 60.0, 60.0),
        # 2024-Q1: register on time (provisional); dx, revenue, platform not due → due 1 (the baseline is once)
        "2024-Q1": (4, 1, 1, 0, 0, 3, 1, 100.0, 100.0),
    }
    (byt,) = built.query("select version_count, first_submission_id, current_submission_id, "
                         "current_submission_status, expected_because, frequency from marts.fct_submission_timeliness "
                         "where unit_code = 'BYT'")
    assert byt == {"version_count": 2, "first_submission_id": "S14", "current_submission_id": "S15",
                   "current_submission_status": "official", "expected_because": "registered", "frequency": "annual"}
    (late,) = built.query("select expected_because from marts.fct_submission_timeliness where unit_code = 'LATEPROV'")
    assert late["expected_because"] == "reported"
    units = {r["unit_code"]: r for r in built.query(
        "select unit_code, unit_kind, is_registered_unit, is_active from marts.dim_reporting_unit")}
    assert units["OLDPROV"]["is_active"] is False and units["OLDPROV"]["is_registered_unit"] is True
    assert (units["HANOI"]["unit_kind"], units["HANOI"]["is_active"]) == ("province", True)
    assert units["CBC"]["is_active"] is True and units["CBC"]["unit_kind"] == "ministry_unit"


def test_table_and_csv_formats(built, capsys):
    capsys.readouterr()
    assert main(["timeliness", "--year", "2023", "--period", "Q2", "--warehouse", built.url.url]) == 0
    out = capsys.readouterr().out
    assert "Reporting rates 2023-Q2 as of 2024-03-20T00:00:00+07:00" in out
    assert "agency_revenue_baseline" in out
    assert main(["timeliness", "--year", "2023", "--period", "Q2", "--format", "csv",
                 "--warehouse", built.url.url]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "year,as_of,unit_code,dataset,period,due_at,state,provisional,first_received_at,current_received_at"
    assert len(lines) == 1 + 8  # the eight expected submissions of 2023-Q2


def test_a_period_outside_the_build_is_a_usage_error(built, capsys):
    capsys.readouterr()
    assert main(["timeliness", "--year", "2024", "--period", "Q2", "--warehouse", built.url.url]) == 2
    assert "built through 2024-Q1" in capsys.readouterr().err
    assert main(["timeliness", "--year", "2031", "--warehouse", built.url.url]) == 2
    assert main(["timeliness", "--year", "2023", "--period", "Q5", "--warehouse", built.url.url]) == 2
