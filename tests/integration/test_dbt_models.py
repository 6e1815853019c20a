"""The dbt project end to end on a small hand-made fixture, on DuckDB and on PostgreSQL.

Raw rows are written as intake would (Warehouse.ensure_schema() + insert_rows()), the warehouse is built
with pressdx.warehouse.dbt.build(), and I1, I2, I3 are checked against figures computed by hand below (never by
re-running the SQL); I4-I8, whose datasets this fixture lacks, must show no value (tests/integration/test_indicators.py
checks them on their own fixture). Then an as-of build with an instant before the revision of a provisional
submission must show the provisional figures, in prefixed schemas, without touching the regular marts.

The fixture (CBC's submissions; times in Vietnam time, UTC+7):

  register 2023-Q2 (R2, received 2023-07-03 09:00):
    A01 newspaper   print;electronic             licensed 2010-01-01
    A02 magazine    print                        licensed 2015-05-05          (one media type)
    A03 broadcaster radio;television             licensed 2000-01-01
    A04 newspaper   print;electronic             no dates                     (never sends a dx status)
    A05 magazine    electronic                   licensed 2023-08-15          (licensed inside 2023-Q3)
    A06 newspaper   print;electronic             licensed 2005-01-01, closed 2023-09-30 (= E(2023-Q3))
    A07 broadcaster radio;television;electronic  licensed 2001-01-01, closed 2023-10-15 (inside 2023-Q4)
  register 2023-Q4 (R4, received 2023-12-04 10:00): R2 without A06, plus
    A08 magazine    print                        licensed 2023-11-01          (licensed inside 2023-Q4)
  No register for 2023-Q3: the 2023-Q2 one is the list at 2023-Q3 (look-back).

  dx status (distributes_on_digital_platforms / uses_data_ai_platform / converged_newsroom):
                 D2 2023-Q2 official   D3P 2023-Q3 provisional   D3O 2023-Q3 official (revision)
                 recv 2023-07-04 08:00 recv 2023-10-04 09:00     recv 2023-10-20 09:00
    A01          T / T / T             T / T / T                 T / T / T
    A02          T / F / T             -                         -
    A03          F / F / T             F / F / T                 T / T / T
    A05          -                     F / F / F                 T / F / F
    A06          T / F / F             -                         -
    A07          T / F / F             T / F / F                 T / T / F
  No dx status for 2023-Q4: each agency's row is the latest one in the window 2023-Q1..2023-Q4.

Period ends E(P): 2023-Q1 2023-03-31, Q2 06-30, Q3 09-30, Q4 11-30. Targets 2023: I1 30, I2 20, I3 30.
"""

from __future__ import annotations

import os
import shutil
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from ingest.records import SUBMISSION_COLS
from pressdx.warehouse.connection import Warehouse, WarehouseURL, raw_columns
from pressdx.warehouse.dbt import PROJECT_DIR, DbtError, build, run_dbt
from tests import helpers

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("dbt_models")]

VN = timezone(timedelta(hours=7))
AS_OF = datetime(2023, 12, 10, 0, 0, tzinfo=VN)  # after every submission
AS_OF_BEFORE_REVISION = datetime(2023, 10, 10, 0, 0, tzinfo=VN)  # after D3P, before D3O and R4
ASOF_PREFIX = "asof_t1_"
PERIODS = ("2023-Q1", "2023-Q2", "2023-Q3", "2023-Q4")

T, F = True, False
REGISTER = {  # agency_code: (kind, media_types, licensed_on, closed_on)
    "A01": ("newspaper", "print;electronic", date(2010, 1, 1), None),
    "A02": ("magazine", "print", date(2015, 5, 5), None),
    "A03": ("broadcaster", "radio;television", date(2000, 1, 1), None),
    "A04": ("newspaper", "print;electronic", None, None),
    "A05": ("magazine", "electronic", date(2023, 8, 15), None),
    "A06": ("newspaper", "print;electronic", date(2005, 1, 1), date(2023, 9, 30)),
    "A07": ("broadcaster", "radio;television;electronic", date(2001, 1, 1), date(2023, 10, 15)),
    "A08": ("magazine", "print", date(2023, 11, 1), None),
}
SUBMISSIONS = [  # (submission_id, dataset, period, status, received_at (Vietnam time), rows)
    ("R2", "agency_register", "2023-Q2", "official", datetime(2023, 7, 3, 9, 0, tzinfo=VN),
     ["A01", "A02", "A03", "A04", "A05", "A06", "A07"]),
    ("D2", "agency_dx_status", "2023-Q2", "official", datetime(2023, 7, 4, 8, 0, tzinfo=VN),
     {"A01": (T, T, T), "A02": (T, F, T), "A03": (F, F, T), "A06": (T, F, F), "A07": (T, F, F)}),
    ("D3P", "agency_dx_status", "2023-Q3", "provisional", datetime(2023, 10, 4, 9, 0, tzinfo=VN),
     {"A01": (T, T, T), "A03": (F, F, T), "A05": (F, F, F), "A07": (T, F, F)}),
    ("D3O", "agency_dx_status", "2023-Q3", "official", datetime(2023, 10, 20, 9, 0, tzinfo=VN),
     {"A01": (T, T, T), "A03": (T, T, T), "A05": (T, F, F), "A07": (T, T, F)}),
    ("R4", "agency_register", "2023-Q4", "official", datetime(2023, 12, 4, 10, 0, tzinfo=VN),
     ["A01", "A02", "A03", "A04", "A05", "A07", "A08"]),
]

# Expected figures: (indicator, period) → (numerator, denominator, value_pct, coverage_pct, status).
NO_DATA = (0, 0, None, None, "no_data")
EXPECTED = {
    # 2023-Q1: no register in the window (the first one is for 2023-Q2) → no agency → 0 / 0, no value.
    ("I1", "2023-Q1"): NO_DATA,
    ("I2", "2023-Q1"): NO_DATA,
    ("I3", "2023-Q1"): NO_DATA,
    # 2023-Q2: register R2; active at 2023-06-30: A01 A02 A03 A04 A06 A07 = 6 (A05 licensed 2023-08-15 later).
    #   dx = D2; A04 has none → unknown: counted in the denominator, not in the numerator; known 5 of 6.
    # I1 distributing: A01 A02 A06 A07 = 4 → 100 × 4 / 6 = 66.6667 ≥ 30 achieved; coverage 5 / 6 = 83.3333
    ("I1", "2023-Q2"): (4, 6, 66.6667, 83.3333, "achieved"),
    # I2 data/AI platform: A01 = 1 → 100 × 1 / 6 = 16.6667 < 20 below_target; coverage 5 / 6 = 83.3333
    ("I2", "2023-Q2"): (1, 6, 16.6667, 83.3333, "below_target"),
    # I3 two or more media types: A01 A03 A04 A06 A07 = 5 (A02 print only); converged: A01 A03 = 2
    #   → 100 × 2 / 5 = 40 ≥ 30 achieved; known 4 of 5 (A04 unknown) → coverage 80
    ("I3", "2023-Q2"): (2, 5, 40.0, 80.0, "achieved"),
    # 2023-Q3: no 2023-Q3 register → R2 (2023-Q2, inside the window). Active at 2023-09-30:
    #   A01 A02 A03 A04 A05 (licensed 08-15 ≤ 09-30) A07 (closed 10-15 > 09-30) = 6; A06 closed on 09-30 → not.
    #   dx: D3O is current (the revision): A01 A03 A05 A07 from D3O, A02 from D2 (missing from D3O), A04 unknown.
    # I1: A01 A02 A03 A05 A07 = 5 → 100 × 5 / 6 = 83.3333 achieved; coverage 5 / 6 = 83.3333
    ("I1", "2023-Q3"): (5, 6, 83.3333, 83.3333, "achieved"),
    # I2: A01 A03 A07 = 3 → 100 × 3 / 6 = 50 ≥ 20 achieved; coverage 83.3333
    ("I2", "2023-Q3"): (3, 6, 50.0, 83.3333, "achieved"),
    # I3: multi-media active A01 A03 A04 A07 = 4 (A02, A05 one type); converged A01 A03 = 2 (A07 false)
    #   → 100 × 2 / 4 = 50 achieved; known 3 of 4 → coverage 75
    ("I3", "2023-Q3"): (2, 4, 50.0, 75.0, "achieved"),
    # 2023-Q4: register R4. Active at 2023-11-30: A01 A02 A03 A04 A05 A08 (licensed 11-01) = 6;
    #   A07 closed 10-15 → not active. No Q4 dx: A01 A03 A05 from D3O, A02 from D2; A04, A08 unknown (4 of 6 known).
    # I1: A01 A02 A03 A05 = 4 → 100 × 4 / 6 = 66.6667 achieved; coverage 4 / 6 = 66.6667
    ("I1", "2023-Q4"): (4, 6, 66.6667, 66.6667, "achieved"),
    # I2: A01 A03 = 2 → 100 × 2 / 6 = 33.3333 achieved; coverage 66.6667
    ("I2", "2023-Q4"): (2, 6, 33.3333, 66.6667, "achieved"),
    # I3: multi-media active A01 A03 A04 = 3; converged A01 A03 = 2 → 66.6667 achieved; known 2 of 3 → 66.6667
    ("I3", "2023-Q4"): (2, 3, 66.6667, 66.6667, "achieved"),
}

# As of 2023-10-10 00:00 (Vietnam): D3O (10-20) and R4 (12-04) do not exist yet; D3P is current for 2023-Q3.
# through is not given: the as-of date 2023-10-10 falls in 2023-Q4 (2023-10-01..2023-11-30).
EXPECTED_BEFORE_REVISION = {
    **{k: v for k, v in EXPECTED.items() if k[1] in ("2023-Q1", "2023-Q2")},  # Q1, Q2: nothing changes
    # 2023-Q3: same 6 active agencies; dx from D3P: A01 T/T/T, A03 F/F/T, A05 F/F/F, A07 T/F/F; A02 from D2.
    # I1: A01 A02 A07 = 3 → 100 × 3 / 6 = 50 (83.3333 after the revision); coverage 5 / 6 = 83.3333
    ("I1", "2023-Q3"): (3, 6, 50.0, 83.3333, "achieved"),
    # I2: A01 = 1 → 100 × 1 / 6 = 16.6667 < 20 below_target (achieved after the revision)
    ("I2", "2023-Q3"): (1, 6, 16.6667, 83.3333, "below_target"),
    # I3: A01 A03 of A01 A03 A04 A07 → 100 × 2 / 4 = 50; coverage 3 / 4 = 75
    ("I3", "2023-Q3"): (2, 4, 50.0, 75.0, "achieved"),
    # 2023-Q4: R4 unknown yet → R2 (2023-Q2, in the window 2023-Q1..Q4). Active at 2023-11-30:
    #   A01 A02 A03 A04 A05 = 5 (A06 closed 09-30, A07 closed 10-15). dx: A01 A03 A05 from D3P, A02 from D2.
    # I1: A01 A02 = 2 → 100 × 2 / 5 = 40 achieved; known 4 of 5 → coverage 80
    ("I1", "2023-Q4"): (2, 5, 40.0, 80.0, "achieved"),
    # I2: A01 = 1 → 100 × 1 / 5 = 20 = target 20 → achieved (≥); coverage 80
    ("I2", "2023-Q4"): (1, 5, 20.0, 80.0, "achieved"),
    # I3: multi-media A01 A03 A04 = 3; converged A01 A03 = 2 → 66.6667; known 2 of 3 → 66.6667
    ("I3", "2023-Q4"): (2, 3, 66.6667, 66.6667, "achieved"),
}


INDICATORS = ("I1", "I2", "I3", "I4", "I5", "I6", "I7", "I8R", "I8T", "I8E")
# I4-I7 in this fixture, which has no baseline, revenue, curriculum or security submission and whose dx
# statuses leave staff_total / staff_trained blank (the active agencies are those counted above):
#   I4: no 2022 baseline → no agency in the denominator → 0 / 0, no value, every period.
#   I5: no curriculum list → no data.
#   I6: every active agency is a member with unknown staff figures: Σ trained / Σ total = 0 / 0 → no value,
#       but coverage = known agencies / active agencies = 0 / n = 0 % (2023-Q1: no register, no member).
#   I7: active agencies with the electronic media type, none with a security level → 0 / n = 0 %
#       (below the 2023 target 40), coverage 0.
#       2023-Q2: A01 A04 A06 A07 (A05 not yet licensed) = 4; 2023-Q3: A01 A04 A05 A07 (A06 closed) = 4;
#       2023-Q4 (R4): A01 A04 A05 (A07 closed 10-15) = 3.
EXPECTED_WITHOUT_DATASETS = {
    **{("I4", p): NO_DATA for p in PERIODS},
    **{("I5", p): NO_DATA for p in PERIODS},
    ("I6", "2023-Q1"): NO_DATA,
    ("I6", "2023-Q2"): (0, 0, None, 0.0, "no_data"),
    ("I6", "2023-Q3"): (0, 0, None, 0.0, "no_data"),
    ("I6", "2023-Q4"): (0, 0, None, 0.0, "no_data"),
    ("I7", "2023-Q1"): NO_DATA,
    ("I7", "2023-Q2"): (0, 4, 0.0, 0.0, "below_target"),
    ("I7", "2023-Q3"): (0, 4, 0.0, 0.0, "below_target"),
    ("I7", "2023-Q4"): (0, 3, 0.0, 0.0, "below_target"),
}
# As of 2023-10-10 the same: 2023-Q4 uses R2 → active A01..A05 (A06 closed 09-30, A07 closed 10-15), electronic
# A01 A04 A05 = 3 (I7 0 / 3); I6 5 members, none known (coverage 0).
EXPECTED_WITHOUT_DATASETS_BEFORE_REVISION = EXPECTED_WITHOUT_DATASETS


@dataclass
class Built(helpers.Built):
    seconds: dict[str, float] = field(default_factory=dict)
    unit_tests: dict[str, str] = field(default_factory=dict)  # unique_id -> status of the build's unit tests


def load_fixture(url: WarehouseURL) -> None:
    sub_rows, register_rows, dx_rows = [], [], []
    for sid, dataset, period, status, received, rows in SUBMISSIONS:
        sha = f"{sid:0<64}"[:64]
        received_utc = received.astimezone(UTC)
        sub_rows.append((sid, "CBC", dataset, period, status, None, received_utc, sha, "json", "cbc-inbox",
                         f"{sid}.json", len(rows), 0, "run-test", received_utc))
        meta = (sid, "CBC", dataset, period, status, received_utc, sha)
        for n, code in enumerate(rows, start=1):
            if dataset == "agency_register":
                kind, media, licensed, closed = REGISTER[code]
                register_rows.append((*meta, n, code, f"Agency {code}", kind, "Governing body", media, licensed,
                                      closed))
            else:
                dist, ai, conv = rows[code]
                dx_rows.append((*meta, n, code, dist, None, ai, conv, True, None, None))
    with Warehouse(url) as wh:
        wh.ensure_schema()
        with wh.transaction():
            wh.insert_rows("raw.submissions",
                           SUBMISSION_COLS, sub_rows)
            wh.insert_rows("raw.agency_register", raw_columns("agency_register"), register_rows)
            wh.insert_rows("raw.agency_dx_status", raw_columns("agency_dx_status"), dx_rows)


@pytest.fixture(scope="module", params=["duckdb", pytest.param("postgres", marks=pytest.mark.postgres)])
def built(request) -> Built:
    name = "duckdb_module_url" if request.param == "duckdb" else "pg_module_url"
    url = WarehouseURL.parse(request.getfixturevalue(name))
    load_fixture(url)
    b = Built(url)
    t0 = time.monotonic()
    result = build(url, as_of=AS_OF, through="2023-Q4", unit_tests=True)  # the YAML unit tests run here, on both engines
    b.seconds["build"] = time.monotonic() - t0
    b.unit_tests = {r.node.unique_id: str(r.status) for r in result.result.results
                    if r.node.resource_type == "unit_test"}
    t0 = time.monotonic()
    build(url, as_of=AS_OF_BEFORE_REVISION, schema_prefix=ASOF_PREFIX)
    b.seconds["as_of_build"] = time.monotonic() - t0
    print(f"\n[{url.kind}] build() {b.seconds['build']:.1f}s, as-of build() {b.seconds['as_of_build']:.1f}s")
    return b


def figures(b: Built, schema: str, codes: tuple[str, ...] = ("I1", "I2", "I3")) -> dict[tuple[str, str], tuple]:
    rows = b.query(f"select indicator_code, period_code, numerator, denominator, value_pct, coverage_pct, status "
                   f"from {schema}.fct_indicator_period where indicator_code in ({', '.join(repr(c) for c in codes)})")
    return {(r["indicator_code"], r["period_code"]): (r["numerator"], r["denominator"], r["value_pct"],
                                                      r["coverage_pct"], r["status"]) for r in rows}


def assert_figures(actual: dict, expected: dict) -> None:
    assert sorted(actual) == sorted(expected)
    for key, (num, den, value, coverage, status) in expected.items():
        a_num, a_den, a_value, a_coverage, a_status = actual[key]
        assert (a_num, a_den, a_status) == (num, den, status), key
        for got, want in ((a_value, value), (a_coverage, coverage)):
            if want is None:
                assert got is None, key
            else:
                assert got == pytest.approx(want, abs=5e-5), key


def test_unit_tests_run_and_pass(built):
    """Production builds leave the YAML unit tests out; this build runs them, so they must all be there."""
    import yaml

    declared = set()
    for f in (PROJECT_DIR / "models").rglob("*.yml"):
        for ut in (yaml.safe_load(f.read_text(encoding="utf-8")) or {}).get("unit_tests") or []:
            declared.add(f"unit_test.pressdx.{ut['model']}.{ut['name']}")
    assert declared, "the project declares YAML unit tests"
    assert set(built.unit_tests) == declared
    assert set(built.unit_tests.values()) == {"pass"}, built.unit_tests


def test_i1_i2_i3_per_period(built):
    assert_figures(figures(built, "marts"), EXPECTED)


def test_every_period_through_has_a_row_with_the_years_target(built):
    rows = built.query("select indicator_code, period_code, year, quarter, period_index, target_pct, "
                       "min_revenue_growth_pct, stage, stage_rank, target_stage from marts.fct_indicator_period "
                       "order by indicator_code, period_index")
    assert [(r["indicator_code"], r["period_code"]) for r in rows] == [
        (i, p) for i in sorted(INDICATORS) for p in PERIODS]
    # reference indicator_targets, 2023: (target_pct, min_revenue_growth_pct, target_stage)
    targets = {"I1": (30.0, None, None), "I2": (20.0, None, None), "I3": (30.0, None, None),
               "I4": (5.0, 5.0, None), "I5": (80.0, None, None), "I6": (40.0, None, None), "I7": (40.0, None, None),
               "I8R": (None, None, "formed"), "I8T": (None, None, "formed"), "I8E": (None, None, "research_proposal")}
    for r in rows:
        assert (r["year"], r["quarter"], r["period_index"]) == (2023, int(r["period_code"][-1]),
                                                                 int(r["period_code"][-1]))
        assert (r["target_pct"], r["min_revenue_growth_pct"], r["target_stage"]) == targets[r["indicator_code"]]
        assert (r["stage"], r["stage_rank"]) == (None, None)  # no platform_stage in this fixture


def test_indicators_without_their_datasets_have_no_value(built):
    # This fixture has registers and dx statuses only, with staff counts left blank.
    got = figures(built, "marts", ("I4", "I5", "I6", "I7"))
    assert_figures(got, EXPECTED_WITHOUT_DATASETS)
    got = figures(built, f"{ASOF_PREFIX}marts", ("I4", "I5", "I6", "I7"))
    assert_figures(got, EXPECTED_WITHOUT_DATASETS_BEFORE_REVISION)
    stages = built.query("select indicator_code, numerator, denominator, stage, status "
                         "from marts.fct_indicator_period where indicator_code in ('I8R', 'I8T', 'I8E')")
    assert len(stages) == 3 * len(PERIODS)
    assert {(r["numerator"], r["denominator"], r["stage"], r["status"]) for r in stages} == {
        (None, None, None, "no_data")}  # a stage indicator has no numerator, denominator or value


def test_as_of_before_the_revision_shows_the_provisional_figures(built):
    assert_figures(figures(built, f"{ASOF_PREFIX}marts"), EXPECTED_BEFORE_REVISION)
    # and the regular marts are untouched by the as-of build
    assert_figures(figures(built, "marts"), EXPECTED)


def test_dim_build_records_the_knowledge_instant_and_the_through_period(built):
    (regular,) = built.query("select build_id, as_of, through_period, built_at from marts.dim_build")
    (as_of_build,) = built.query(f"select build_id, as_of, through_period, built_at from {ASOF_PREFIX}marts.dim_build")
    assert regular["as_of"] == AS_OF and regular["through_period"] == "2023-Q4"
    # through defaulted from as_of: 2023-10-10 (Vietnam) lies in 2023-Q4 (2023-10-01..2023-11-30)
    assert as_of_build["as_of"] == AS_OF_BEFORE_REVISION and as_of_build["through_period"] == "2023-Q4"
    assert regular["build_id"] != as_of_build["build_id"]
    fct_as_of = built.query("select distinct as_of from marts.fct_indicator_period")
    assert [r["as_of"] for r in fct_as_of] == [AS_OF]


def test_register_at_each_period_and_agency_history(built):
    rows = built.query("select period_code, agency_code, is_active, source_submission_id "
                       "from intermediate.int_agency_register__at_period")
    got = {(r["period_code"], r["agency_code"]): (r["is_active"], r["source_submission_id"]) for r in rows}
    # Q2 and Q3 list R2's seven agencies, Q4 lists R4's seven (A06 dropped, A08 added); Q1 has no register.
    assert sorted({p for p, _ in got}) == ["2023-Q2", "2023-Q3", "2023-Q4"]
    assert got[("2023-Q2", "A05")] == (False, "R2")  # licensed 2023-08-15 > 2023-06-30
    assert got[("2023-Q3", "A05")] == (True, "R2")  # look-back: R2 is still the list at 2023-Q3
    assert got[("2023-Q3", "A06")] == (False, "R2")  # closed on E(2023-Q3) itself
    assert got[("2023-Q3", "A07")] == (True, "R2")  # closed 2023-10-15 > 2023-09-30
    assert got[("2023-Q4", "A07")] == (False, "R4")
    assert got[("2023-Q4", "A08")] == (True, "R4")
    assert ("2023-Q4", "A06") not in got  # the Q4 register is the whole list

    rows = built.query("select agency_code, valid_from_period, valid_to_period, is_current, is_active_at_valid_to, "
                       "first_source_submission_id, last_source_submission_id from marts.dim_press_agency")
    hist = {r["agency_code"]: tuple(v for k, v in r.items() if k != "agency_code") for r in rows}
    assert len(rows) == 8  # R4 repeats R2's attributes: one interval per agency
    for code in ("A01", "A02", "A03", "A04", "A05"):
        assert hist[code] == ("2023-Q2", "2023-Q4", True, True, "R2", "R4")
    assert hist["A06"] == ("2023-Q2", "2023-Q3", False, False, "R2", "R2")  # closed on E(Q3), dropped by R4
    assert hist["A07"] == ("2023-Q2", "2023-Q4", True, False, "R2", "R4")  # closed 2023-10-15
    assert hist["A08"] == ("2023-Q4", "2023-Q4", True, True, "R4", "R4")


def test_marts_carry_their_descriptions(built):
    if built.url.kind == "postgres":
        rows = built.query("select obj_description('marts.fct_indicator_period'::regclass, 'pg_class') as d, "
                           "col_description('marts.fct_indicator_period'::regclass, 8) as c")
    else:
        rows = built.query("select t.comment as d, c.comment as c from duckdb_tables() t join duckdb_columns() c "
                           "using (database_name, schema_name, table_name) where t.schema_name = 'marts' and "
                           "t.table_name = 'fct_indicator_period' and c.column_name = 'value_pct'")
    assert "One row per indicator and reporting period" in rows[0]["d"]
    assert rows[0]["c"].startswith("100 × numerator / denominator")


def test_a_failing_build_raises_a_one_line_dbt_error(built):
    before = {k: os.environ.get(k) for k in built.url.dbt_env()}
    with pytest.raises(DbtError) as err:  # 2031-Q1 is not in the calendar: int_build__params' tests fail
        run_dbt(built.url, ["build", "--select", "+int_build__params"], vars={"through": "2031-Q1"},
                schema_prefix="asof_bad_")
    message = str(err.value)
    assert "\n" not in message
    assert "not_null_int_build__params_through_period_index" in message
    assert err.value.log_path is not None and err.value.log_path.exists()  # kept for the post-mortem
    assert {k: os.environ.get(k) for k in built.url.dbt_env()} == before  # environment restored
    shutil.rmtree(err.value.log_path.parent.parent)


@pytest.mark.postgres
def test_the_password_is_never_logged(pg_admin_url):
    secret = "pw-never-logged-7f3a"
    url = WarehouseURL.parse(pg_admin_url)
    url = WarehouseURL.parse(f"postgresql://{url.user}:{secret}@{url.host}:{url.port}/pressdx_dbt_no_such_db")
    with pytest.raises(DbtError) as err:
        run_dbt(url, ["debug"])
    assert secret not in str(err.value)
    assert secret not in err.value.log_path.read_text()
    assert os.environ.get("PRESSDX_PG_PASSWORD") != secret  # only set during the invocation
    shutil.rmtree(err.value.log_path.parent.parent)
