"""Figure history (issue 14): ``--as-of`` read from the history marts, checked against full as-of builds.

Also timeliness, reporting rates and tasks: ``pressdx timeliness|tasks --as-of T`` read their ``_history``
twins the same way.

The fast path (``fct_indicator_period_history`` / ``fct_indicator_annual_history`` filtered at T, what
``pressdx kpi --as-of T`` reads) must give, at every instant, exactly the rows an as-of build at T gives
(``fct_indicator_period`` / ``fct_indicator_annual`` built with only the submissions received by T). The
oracle builds those marts and everything upstream of them (``dbt build --select +fct_indicator_period …``,
no tests) as of T into schemas prefixed ``oracle_``, at 20 instants of a small
sample (seed 781): before anything arrived, at a version's receipt and a microsecond before it, between a
version and its revision, at due instants, and after the last arrival. Both engines, every row, every column.
"""

from __future__ import annotations

import os
from datetime import timedelta

import pytest

from pressdx.domain import calendar
from pressdx.figures.history import known_at
from pressdx.figures.kpi import history, kpi
from pressdx.figures.marts import aware
from pressdx.figures.tasks import tasks
from pressdx.figures.timeliness import timeliness
from pressdx.settings import ConfigError
from pressdx.warehouse import swap
from pressdx.warehouse.connection import Warehouse, WarehouseURL
from pressdx.warehouse.dbt import run_dbt
from tests.integration.conftest import HISTORY_SCALE, HISTORY_THROUGH

pytestmark = [pytest.mark.slow]

SCALE = HISTORY_SCALE
THROUGH = HISTORY_THROUGH
ORACLE = "oracle_"
PERIOD_COLUMNS = ["indicator_code", "period_code", "year", "quarter", "period_index", "numerator", "denominator",
                  "value_pct", "target_pct", "min_revenue_growth_pct", "stage", "stage_rank", "target_stage",
                  "target_stage_rank", "status", "coverage_pct"]
TIMELINESS_COLUMNS = ["unit_code", "dataset", "period_code", "year", "quarter", "period_index", "frequency",
                      "expected_because", "due_at", "state", "provisional", "first_received_at", "days_late",
                      "current_received_at", "version_count", "first_submission_id", "current_submission_id",
                      "current_submission_status"]
RATE_COLUMNS = ["expected", "due", "on_time", "late", "missing", "not_due", "provisional", "completeness_pct",
                "timeliness_pct"]
TASK_COLUMNS = ["task_instance_code", "task_code", "instance_year", "due_kind", "due_date", "status", "progress_pct",
                "output_count", "output_min", "output_met", "overdue", "reported_by_unit", "reported_at",
                "source_submission_id", "source_period_code", "source_submission_status", "deliverable_ref", "note"]
# every mart --as-of reads, with its columns (those of its _history twin, known_from/known_to aside)
MARTS = {
    "fct_indicator_period": None,
    "fct_indicator_annual": None,
    "fct_submission_timeliness": TIMELINESS_COLUMNS,
    "fct_unit_reporting_rate": ["unit_code", "period_code", "year", "quarter", "period_index", *RATE_COLUMNS],
    "fct_unit_reporting_rate_year_to_date": ["unit_code", "year", "through_quarter", *RATE_COLUMNS],
    "fct_task_progress": TASK_COLUMNS,
}
ANNUAL_COLUMNS = ["indicator_code", "year", "annual_value_pct", "target_year", "target_pct", "base_year",
                  "base_value_pct", "latest_year", "latest_value_pct", "annual_value_count", "cagr",
                  "projected_value_pct", "progress_ratio", "progress_class"]
MARTS["fct_indicator_period"], MARTS["fct_indicator_annual"] = PERIOD_COLUMNS, ANNUAL_COLUMNS


@pytest.fixture
def built(history_built) -> WarehouseURL:
    """The sample taken in and built once per engine (tests/integration/conftest.py)."""
    return history_built


def query(url: WarehouseURL, sql: str, params=()) -> list[dict]:
    with Warehouse(url, read_only=url.kind == "duckdb") as wh:
        return wh.query_dicts(sql, params)


def instants(url: WarehouseURL) -> list:
    """20 instants: before anything, at/just before receipts (versions and revisions), between them, at due
    instants, after the last arrival."""
    received = [aware(r["received_at"]) for r in query(
        url, "select distinct received_at from raw.submissions order by received_at")]
    revised = [aware(r["received_at"]) for r in query(
        url, "select received_at from marts.fct_submission_version where version_number > 1 order by received_at")]
    assert len(received) >= 10 and revised, "the sample needs arrivals and at least one revision"
    tick = timedelta(microseconds=1)
    picks = [received[0] - timedelta(days=1), received[0], received[len(received) // 4] - tick,
             received[len(received) // 4], received[len(received) // 2],
             received[len(received) // 2] + (received[len(received) // 2 + 1] - received[len(received) // 2]) / 2,
             received[3 * len(received) // 4] - tick, received[-1], received[-1] + timedelta(days=30)]
    for r in revised[:3]:
        picks += [r - tick, r]
    dues = [d.as_of for d in calendar.due_instants() if received[0] < d.as_of < received[-1]]
    step = max(1, len(dues) // (20 - len(picks)))
    picks += dues[::step][:20 - len(picks)]
    picks = sorted(set(picks))
    assert len(picks) == 20, picks
    return picks


def oracle(url: WarehouseURL, t, first: bool) -> dict[str, list[tuple]]:
    """Every mart --as-of reads, from an as-of build at t into ``oracle_`` schemas (no tests). The first
    builds them and everything upstream (seeds, staging); the others rebuild only the models that read the
    as-of instant (``int_build__params`` and what follows it), the rest being the same at every instant."""
    if first:
        swap.drop_schemas(url, ORACLE)
        select = " ".join(f"+{m}" for m in MARTS)
    else:
        select = " ".join(f"int_build__params+,+{m}" for m in MARTS)
    run_dbt(url, ["build", "--select", select, "--exclude-resource-type", "test", "--exclude-resource-type",
                  "unit_test"], schema_prefix=ORACLE, keep_state=True,
            env={"PRESSDX_AS_OF": t.isoformat(), "PRESSDX_THROUGH": THROUGH})
    return {m: rows(query(url, f"select {', '.join(cols)} from {ORACLE}marts.{m}"), cols) for m, cols in MARTS.items()}


def fast(url: WarehouseURL, t) -> dict[str, list[tuple]]:
    """The same marts as read by --as-of: their history twins at t."""
    return {m: rows(query(url, f"select {', '.join(cols)} from marts.{m}_history h where {known_at('h')}", (t, t)),
                    cols) for m, cols in MARTS.items()}


def rows(dicts: list[dict], columns: list[str]) -> list[tuple]:
    return sorted((tuple(None if d[c] is None else (float(d[c]) if c.endswith(("_pct", "cagr", "ratio")) else
                                                    aware(d[c]) if hasattr(d[c], "tzinfo") else d[c])
                         for c in columns) for d in dicts), key=repr)


def test_the_history_at_20_instants_equals_an_as_of_build_at_each(built):
    picks = instants(built)
    seen = {m: set() for m in MARTS}
    for n, t in enumerate(picks):
        want, got = oracle(built, t, first=n == 0), fast(built, t)
        for m in MARTS:
            assert got[m] == want[m], f"{m} as of {t}: the history differs from the as-of build"
            seen[m].add(tuple(want[m]))
    for m in MARTS:  # else the instants prove little
        assert len(seen[m]) >= 5, f"{m}: the 20 instants should see it change ({len(seen[m])} states)"
    swap.drop_schemas(built, ORACLE)


def test_current_history_rows_are_the_marts_and_windows_tile_time(built):
    cols = ", ".join(PERIOD_COLUMNS)
    current = query(built, f"select {cols} from marts.fct_indicator_period_history where known_to is null")
    marts = query(built, f"select {cols} from marts.fct_indicator_period")
    assert rows(current, PERIOD_COLUMNS) == rows(marts, PERIOD_COLUMNS)
    gaps = query(built, "select count(*) as n from (select known_to, lead(known_from) over (partition by "
                        "indicator_code, period_code order by known_from nulls first) as next_from, known_from, "
                        "row_number() over (partition by indicator_code, period_code order by known_from nulls first) "
                        "as k from marts.fct_indicator_period_history) w "
                        "where (k = 1 and known_from is not null) or (next_from is not null and known_to <> next_from)")
    assert gaps[0]["n"] == 0, "each figure's versions must follow each other with no gap or overlap"
    unnamed = query(built, "select count(*) as n from marts.fct_indicator_period_history h "
                           "left join marts.fct_submission_version v on v.submission_id = h.changed_by_submission_id "
                           "where h.known_from is not null and v.submission_id is null")
    assert unnamed[0]["n"] == 0, "every change names a submission the marts know"


def test_kpi_as_of_reads_the_history_and_writes_nothing(built):
    picks = instants(built)
    def tables():
        return query(built, "select table_schema, table_name from information_schema.tables "
                            "where table_schema not in ('information_schema', 'pg_catalog') order by 1, 2")
    before = tables()
    size = os.path.getsize(built.path) if built.kind == "duckdb" else None
    for t in picks[::5]:
        res = kpi(built, 2025, None, as_of=t)
        want = {r["indicator_code"]: r for r in query(
            built, f"select * from marts.fct_indicator_period_history h where period_code = '2025-Q4' "
                   f"and {known_at('h')}", (t, t))}
        assert {i["indicator_code"] for i in res["indicators"]} == set(want)
        for i in res["indicators"]:
            if "numerator" in i:
                assert i["numerator"] == want[i["indicator_code"]]["numerator"]
        states = query(built, f"select count(*) as n from marts.fct_submission_timeliness_history h "
                              f"where year = 2025 and {known_at('h')}", (t, t))[0]["n"]
        assert len(timeliness(built, 2025, None, as_of=t)["expected"]) == states
        assert tasks(built, 2025, as_of=t)["tasks"]
    assert tables() == before, "--as-of must not create any table or schema"
    if size is not None:
        assert os.path.getsize(built.path) == size


def test_kpi_history_lists_each_version_with_the_submission_that_made_it(built):
    res = history(built, 2025, 2)
    versions = [v for v in res["versions"] if v["indicator_code"] == "I1"]
    assert versions[0]["known_from"] is None and versions[-1]["known_to"] is None
    for a, b in zip(versions, versions[1:], strict=False):
        assert a["known_to"] == b["known_from"]
        assert b["changed_by"] and "(" in b["changed_by"]
    assert len(versions) >= 2


def test_kpi_as_of_refuses_when_a_submission_was_taken_in_after_the_build(built):
    """A back-dated file taken in after the build is in no history row yet: one line, never a wrong figure."""
    first = query(built, "select min(submission_id) as s from raw.submissions")[0]["s"]
    t = instants(built)[-1]
    later = "loaded_at + interval '3650 days'"
    with Warehouse(built) as wh:
        wh.execute(f"update raw.submissions set loaded_at = {later} where submission_id = ?", (first,))
    try:
        with pytest.raises(ConfigError, match="taken in after the last build"):
            kpi(built, 2025, None, as_of=t)
    finally:
        with Warehouse(built) as wh:
            wh.execute("update raw.submissions set loaded_at = loaded_at - interval '3650 days' "
                       "where submission_id = ?", (first,))
    assert kpi(built, 2025, None, as_of=t)["indicators"]
