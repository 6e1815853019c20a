"""``pressdx report --as-of T`` and ``pressdx trace --as-of T`` from the history marts (issue 14): the same figures
and the same lineage as an as-of build, nothing written.

The report read as of T (``Marts.at``: the ``_history`` twins filtered at T, the submission versions received by T)
must give, byte for byte, the canonical figures (hence the SHA-256) that the report read from an as-of build at T
gives: the marts the report reads, and everything upstream of them, built as of T into schemas prefixed
``oracle_report_`` (``dbt build --select``, no tests), as tests/integration/test_history.py does for the figures.
Instants of the same sample (seed 781): before anything, around a revision, between arrivals, at due instants,
after the last arrival; the annual report and the six-month review of 2024 and 2025; both engines. Trace: a
figure of each kind of indicator (flags, I4's revenue growth, I6's persons, I7's levels, I8's stages, a year's
progress) with every member and input, and a revised submission forwards, equal to trace on the as-of build
but for ``build`` (the build that answered: the last one, or the as-of build).
"""

from __future__ import annotations

import os

import pytest

from pressdx.figures.canonical import canonical_json, figures_sha256
from pressdx.figures.marts import Marts
from pressdx.figures.report import collect, collect_from
from pressdx.figures.trace import query_function, trace, trace_from, trace_submission, trace_submission_from
from pressdx.settings import ConfigError
from pressdx.warehouse import swap
from pressdx.warehouse.connection import Warehouse, WarehouseURL
from pressdx.warehouse.dbt import run_dbt
from tests.integration.test_history import THROUGH, instants, query

pytestmark = [pytest.mark.slow]

ORACLE = "oracle_report_"
# every mart the report reads (pressdx/figures/report.py, report_sections.py)
REPORT_MARTS = ["dim_build", "dim_indicator", "dim_reporting_period", "dim_reporting_unit", "dim_task",
                "fct_indicator_annual", "fct_indicator_period", "fct_indicator_period_history",
                "fct_indicator_provisional_share", "fct_report_provenance", "fct_reporting_rate_year_to_date",
                "fct_revenue_growth_histogram", "fct_revenue_growth_summary", "fct_submission_timeliness",
                "fct_submission_version", "fct_task_progress", "fct_unit_reporting_rate_year_to_date"]
REPORTS = [(2024, False), (2024, True), (2025, False), (2025, True)]
TRACE_MARTS = ["fct_indicator_member", "fct_indicator_input", "fct_submission_lineage"]
TRACES = [("I1", 2025, 2), ("I4", 2024, 4), ("I4", 2025, 3), ("I5", 2025, 1), ("I6", 2024, 3), ("I7", 2025, 4),
          ("I8R", 2024, 2), ("I2", 2024, None)]


def _traced(fn, *args) -> dict:
    """What a trace answers, its ``build`` left out; a refusal (no figure yet, no such version) as its message."""
    try:
        out = fn(*args)
    except ConfigError as e:
        return {"refused": str(e)}
    out.pop("build", None)
    return out


def revised(url: WarehouseURL) -> list[str]:
    """Two submission versions that a later version superseded (traced forwards)."""
    return [r["submission_id"] for r in query(
        url, "select submission_id from marts.fct_submission_version where version_number = 1 and "
             "superseded_at is not null order by received_at, submission_id")][:2]


@pytest.fixture
def built(history_built) -> WarehouseURL:
    """test_history's sample, taken in and built once per engine (tests/integration/conftest.py)."""
    return history_built


def picks(url: WarehouseURL) -> list:
    """8 of test_history's 20 instants: the first (before anything), the revisions and what is around them,
    due instants, the last (after every arrival)."""
    every = instants(url)
    return sorted(set(every[::3] + every[-2:]))


def oracle(url: WarehouseURL, t, first: bool, sids: list[str] = ()) -> dict:
    """The canonical figures of each report as read from an as-of build at t (``oracle_report_marts``), and the
    traces of TRACES and of ``sids`` from it."""
    if first:
        swap.drop_schemas(url, ORACLE)
        select = " ".join(f"+{m}" for m in REPORT_MARTS + TRACE_MARTS)
    else:
        select = " ".join(f"int_build__params+,+{m}" for m in REPORT_MARTS + TRACE_MARTS)
    run_dbt(url, ["build", "--select", select, "--exclude-resource-type", "test", "--exclude-resource-type",
                  "unit_test"], schema_prefix=ORACLE, keep_state=True,
            env={"PRESSDX_AS_OF": t.isoformat(), "PRESSDX_THROUGH": THROUGH})
    with Warehouse(url, read_only=url.kind == "duckdb") as wh:
        build = wh.query_dicts(f"select * from {ORACLE}marts.dim_build")[0]
        out = {}
        for year, half in REPORTS:
            rep = collect_from(Marts(wh, f"{ORACLE}marts", t), year, half, build)
            assert not rep.missing_marts
            out[year, half] = canonical_json(rep.figures)
        rows = query_function(Marts(wh, f"{ORACLE}marts", t))
        for ind, year, quarter in TRACES:
            out[ind, year, quarter] = _traced(trace_from, rows, ind, year, quarter, t)
        for sid in sids:
            out[sid] = _traced(trace_submission_from, rows, sid, t)
    return out


def test_report_and_trace_as_of_from_the_history_equal_those_of_an_as_of_build(built):
    """One as-of build per instant serves both comparisons (each build costs 15–30 s)."""
    sids = revised(built)
    assert sids, "the sample needs a revised submission"
    reports, traces = set(), set()
    for n, t in enumerate(picks(built)):
        want = oracle(built, t, first=n == 0, sids=sids)
        for year, half in REPORTS:
            rep = collect(built, year, as_of=t, half=half)
            assert not rep.missing_marts and rep.build["read"] == "history"
            assert canonical_json(rep.figures) == want[year, half], f"report {year} {'half' if half else ''} as of {t}"
            assert rep.sha256 == figures_sha256(rep.figures)
            reports.add(want[year, half])
        for ind, year, quarter in TRACES:
            got = _traced(trace, built, ind, year, quarter, t)
            assert got == want[ind, year, quarter], f"trace {ind} {year} Q{quarter} as of {t}"
            traces.add(repr({k: v for k, v in got.items() if k != "as_of"}))  # the answer, not the question
        for sid in sids:
            assert _traced(trace_submission, built, sid, t) == want[sid], f"trace --submission {sid} as of {t}"
    assert len(reports) >= 12, "the instants should see the reports change"
    assert len(traces) >= 3 * len(TRACES), "the instants should see the members and inputs change"
    swap.drop_schemas(built, ORACLE)


def test_report_as_of_writes_nothing(built):
    def tables():
        return query(built, "select table_schema, table_name from information_schema.tables "
                            "where table_schema not in ('information_schema', 'pg_catalog') order by 1, 2")
    def schemas():
        return query(built, "select schema_name from information_schema.schemata order by 1")
    before, names = tables(), schemas()
    size = os.path.getsize(built.path) if built.kind == "duckdb" else None
    for t in picks(built)[::3]:
        for year, half in REPORTS:
            assert collect(built, year, as_of=t, half=half).figures["indicators"]
        for ind, year, quarter in TRACES[:2]:
            assert _traced(trace, built, ind, year, quarter, t)
    assert tables() == before and schemas() == names, "report --as-of must not create any table or schema"
    if size is not None:
        assert os.path.getsize(built.path) == size
