"""I4, I5, I6, I7, I8 and a progress class end to end on a small hand-made fixture, on DuckDB and PostgreSQL.

Raw rows are written as intake would (Warehouse.ensure_schema() + insert_rows()), the warehouse is built with
pressdx.warehouse.dbt.build(as_of=AS_OF, through="2024-Q4"), and the marts are checked against figures computed by
hand in the comments below (never by re-running the SQL).

The fixture (received times in Vietnam time, UTC+7; 2024 targets: I4 15 % of agencies at +10 %, I5 95,
I6 70, I7 70, I8R/I8T developing, I8E formed; 2023: I5 80; 2025: I5 100):

  CBC agency_register
    R1 2024-Q1 (recv 2024-04-02):  A1 newspaper print;electronic   A2 magazine electronic
                                   A3 broadcaster radio;television A4 newspaper electronic, closed 2024-05-20
                                   A5 magazine print
    R2 2024-Q2 (recv 2024-07-03):  R1's five (A4 still listed with its closure) + A6 magazine electronic,
                                   licensed 2024-05-01 (newly registered)
    No register before 2024-Q1: every agency indicator of 2023 has no data.
    E(2024-Q1) = 2024-03-31: active A1 A2 A3 A4 A5.  E(2024-Q2) = 2024-06-30: active A1 A2 A3 A5 A6
    (A4 closed 2024-05-20 ≤ 06-30). 2024-Q3, 2024-Q4: R2 (look-back), same five.

  CBC agency_dx_status (doing_digital_transformation, staff_total, staff_trained; "-" = blank)
                D1 2024-Q1 official   D2P 2024-Q2 provisional   D2O 2024-Q2 official (revision)
                recv 2024-04-03       recv 2024-07-04           recv 2024-07-25 (after the 07-05 deadline)
    A1          T 100 60              T 100 60                  T 100 70
    A2          T  50 20              T  50 20                  T  50 30
    A3          F 200 100             F 200 100                 T 200 120
    A4          T  40 40              -                         -
    A5          T   -  -              -                         -
    A6          -                     T  10  0                  T  10  5
    From 2024-Q2 D2O is current (D2P superseded); A5 keeps its D1 row (window 2023-Q3..2024-Q2).

  CBC agency_revenue_baseline B (2023-Q2, recv 2023-07-03): A1 1200, A2 2400, A3 1200, A4 1200, A5 0;
    A6 none.
  CBC agency_revenue (months; VND)
    V1 2024-Q1 (recv 2024-04-02): A1 Dec-Mar 110 each; A2 Dec-Mar 200 each; A3 Dec-Mar 150 each;
                                  A4 Dec-Mar 100 each
    V2 2024-Q2 (recv 2024-07-03): A1 Apr-Jun 110 each; A2 Apr-Jun 250 each and a correction of A2's
                                  March: 300; A3 Apr 150, Jun 150 (no May); A4 Apr 150; A6 May, Jun 10
    No revenue after June 2024: the 2024-Q3 and 2024-Q4 windows have missing months for everybody.

  ATTT agency_security: S1 2024-Q1 (recv 2024-04-02): A1 3, A2 2, A4 4;  S2 2024-Q2 (recv 2024-07-04): A2 3.
  PTIT university_curriculum (has_journalism_program / curriculum_updated):
    C4 2023-Q4 (recv 2023-12-04): U1 T/T, U2 T/T, U3 T/F, U4 T/F, U5 F/F
    C6 2024-Q2 (recv 2024-07-02): U1 T/T, U2 T/T, U3 T/F, U4 T/F, U6 T/T
    C8 2024-Q4 (recv 2024-12-04): U1 T/T, U2 T/T, U3 T/T, U4 T/F  (U5, U6 dropped: a full list)
  platform_stage: PTTH P1 2024-Q1 (recv 2024-04-02): radio formed, television developing;
                  PTTH P2 2024-Q2 (recv 2024-07-02): radio developing;  CBC E1 2023-Q4 (recv 2023-12-04):
                  epress research_proposal.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from ingest.records import SUBMISSION_COLS
from pressdx.warehouse.connection import Warehouse, WarehouseURL, raw_columns
from pressdx.warehouse.dbt import build

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("indicators")]

VN = timezone(timedelta(hours=7))
AS_OF = datetime(2025, 1, 10, 0, 0, tzinfo=VN)  # after every submission
THROUGH = "2024-Q4"
T, F = True, False


def vn(y, m, d, h=9):
    return datetime(y, m, d, h, 0, tzinfo=VN)


def months(first: date, last: date) -> list[date]:
    out, d = [], first
    while d <= last:
        out.append(d)
        d = date(d.year + (d.month == 12), d.month % 12 + 1, 1)
    return out


DEC_MAR = months(date(2023, 12, 1), date(2024, 3, 1))
APR_JUN = months(date(2024, 4, 1), date(2024, 6, 1))
REGISTER_R1 = [  # agency_code, kind, media_types, licensed_on, closed_on
    ("A1", "newspaper", "print;electronic", date(2010, 1, 1), None),
    ("A2", "magazine", "electronic", date(2015, 1, 1), None),
    ("A3", "broadcaster", "radio;television", date(2000, 1, 1), None),
    ("A4", "newspaper", "electronic", date(2005, 1, 1), date(2024, 5, 20)),
    ("A5", "magazine", "print", None, None),
]
REGISTER_R2 = [*REGISTER_R1, ("A6", "magazine", "electronic", date(2024, 5, 1), None)]

# (submission_id, unit, dataset, period, status, received_at, rows as dicts of the dataset's columns)
SUBMISSIONS = [
    ("R1", "CBC", "agency_register", "2024-Q1", "official", vn(2024, 4, 2),
     [dict(agency_code=a, agency_name=f"Agency {a}", agency_kind=k, governing_body="GB", media_types=m,
           licensed_on=lic, closed_on=c) for a, k, m, lic, c in REGISTER_R1]),
    ("R2", "CBC", "agency_register", "2024-Q2", "official", vn(2024, 7, 3),
     [dict(agency_code=a, agency_name=f"Agency {a}", agency_kind=k, governing_body="GB", media_types=m,
           licensed_on=lic, closed_on=c) for a, k, m, lic, c in REGISTER_R2]),
    *[(sid, "CBC", "agency_dx_status", period, status, received,
       [dict(agency_code=a, distributes_on_digital_platforms=F, uses_data_ai_platform=F, converged_newsroom=F,
             doing_digital_transformation=dx, staff_total=tot, staff_trained=tr) for a, dx, tot, tr in rows])
      for sid, period, status, received, rows in (
          ("D1", "2024-Q1", "official", vn(2024, 4, 3),
           [("A1", T, 100, 60), ("A2", T, 50, 20), ("A3", F, 200, 100), ("A4", T, 40, 40), ("A5", T, None, None)]),
          ("D2P", "2024-Q2", "provisional", vn(2024, 7, 4),
           [("A1", T, 100, 60), ("A2", T, 50, 20), ("A3", F, 200, 100), ("A6", T, 10, 0)]),
          ("D2O", "2024-Q2", "official", vn(2024, 7, 25),
           [("A1", T, 100, 70), ("A2", T, 50, 30), ("A3", T, 200, 120), ("A6", T, 10, 5)]))],
    ("B", "CBC", "agency_revenue_baseline", "2023-Q2", "official", vn(2023, 7, 3),
     [dict(agency_code=a, revenue_2022_vnd=v) for a, v in
      (("A1", 1200), ("A2", 2400), ("A3", 1200), ("A4", 1200), ("A5", 0))]),
    ("V1", "CBC", "agency_revenue", "2024-Q1", "official", vn(2024, 4, 2),
     [dict(agency_code=a, month=m, revenue_vnd=v) for a, v in (("A1", 110), ("A2", 200), ("A3", 150), ("A4", 100))
      for m in DEC_MAR]),
    ("V2", "CBC", "agency_revenue", "2024-Q2", "official", vn(2024, 7, 3),
     [*[dict(agency_code="A1", month=m, revenue_vnd=110) for m in APR_JUN],
      *[dict(agency_code="A2", month=m, revenue_vnd=250) for m in APR_JUN],
      dict(agency_code="A2", month=date(2024, 3, 1), revenue_vnd=300),  # corrects V1's March
      dict(agency_code="A3", month=date(2024, 4, 1), revenue_vnd=150),
      dict(agency_code="A3", month=date(2024, 6, 1), revenue_vnd=150),  # no May
      dict(agency_code="A4", month=date(2024, 4, 1), revenue_vnd=150),
      dict(agency_code="A6", month=date(2024, 5, 1), revenue_vnd=10),
      dict(agency_code="A6", month=date(2024, 6, 1), revenue_vnd=10)]),
    ("S1", "ATTT", "agency_security", "2024-Q1", "official", vn(2024, 4, 2),
     [dict(agency_code=a, security_level=lv) for a, lv in (("A1", 3), ("A2", 2), ("A4", 4))]),
    ("S2", "ATTT", "agency_security", "2024-Q2", "official", vn(2024, 7, 4),
     [dict(agency_code="A2", security_level=3)]),
    *[(sid, "PTIT", "university_curriculum", period, "official", received,
       [dict(institution_code=u, institution_name=f"Institution {u}", has_journalism_program=h,
             curriculum_updated=c) for u, h, c in rows])
      for sid, period, received, rows in (
          ("C4", "2023-Q4", vn(2023, 12, 4),
           [("U1", T, T), ("U2", T, T), ("U3", T, F), ("U4", T, F), ("U5", F, F)]),
          ("C6", "2024-Q2", vn(2024, 7, 2),
           [("U1", T, T), ("U2", T, T), ("U3", T, F), ("U4", T, F), ("U6", T, T)]),
          ("C8", "2024-Q4", vn(2024, 12, 4),
           [("U1", T, T), ("U2", T, T), ("U3", T, T), ("U4", T, F)]))],
    ("P1", "PTTH", "platform_stage", "2024-Q1", "official", vn(2024, 4, 2),
     [dict(platform_code="radio", stage="formed"), dict(platform_code="television", stage="developing")]),
    ("P2", "PTTH", "platform_stage", "2024-Q2", "official", vn(2024, 7, 2),
     [dict(platform_code="radio", stage="developing")]),
    ("E1", "CBC", "platform_stage", "2023-Q4", "official", vn(2023, 12, 4),
     [dict(platform_code="epress", stage="research_proposal")]),
]

NO_DATA = (0, 0, None, None, "no_data")
# (indicator, period) → (numerator, denominator, value_pct, coverage_pct, status)
EXPECTED_RATIOS = {
    # ---- I4 (2024 threshold +10 %, target 15 % of agencies) ----
    # 2024-Q1: window Dec 2023 .. Mar 2024 = 4 months; pro-rated baseline = baseline × 4 / 12.
    #   Denominator: active (A1..A5) ∧ doing dx (D1: A1 A2 A4 A5; A3 false) ∧ baseline > 0 (A5 is 0) = A1 A2 A4.
    #   A1: 4 × 110 = 440 vs 1200 × 4 / 12 = 400 → 440 / 400 − 1 = 10 % = threshold → meets (≥).
    #   A2: 200 + 200 + 200 + 300 (March corrected by V2, the later submission) = 900 vs 2400 × 4 / 12 = 800
    #       → +12.5 % meets.  A4: 4 × 100 = 400 vs 400 → 0 % → does not meet.
    #   → 2 / 3 = 66.6667 % ≥ 15 achieved; every month known → coverage 100.
    ("I4", "2024-Q1"): (2, 3, 66.6667, 100.0, "achieved"),
    # 2024-Q2: window Dec 2023 .. Jun 2024 = 7 months. Active A1 A2 A3 A5 A6 (A4 closed 05-20); doing dx
    #   (D2O, the revision): A1 A2 A3 A6, A5 (D1); baseline > 0: A1 A2 A3 (A5 0, A6 none) → denominator 3.
    #   A1: 7 × 110 = 770 vs 1200 × 7 / 12 = 700 → exactly +10 % meets.
    #   A2: 900 + 3 × 250 = 1650 vs 2400 × 7 / 12 = 1400 → +17.86 % meets.
    #   A3: May missing (6 of 7 months) → unknown, does not meet.
    #   → 2 / 3 = 66.6667 % achieved; coverage 2 / 3 = 66.6667.
    ("I4", "2024-Q2"): (2, 3, 66.6667, 66.6667, "achieved"),
    # 2024-Q4: window Dec 2023 .. Nov 2024 = 12 months; nobody reported July..November → the same three
    #   agencies, none with every month known → 0 / 3 = 0 % below 15; coverage 0.
    ("I4", "2024-Q4"): (0, 3, 0.0, 0.0, "below_target"),
    ("I4", "2023-Q4"): NO_DATA,  # no register before 2024-Q1
    # ---- I5 (full list; 2023 target 80, 2024 target 95) ----
    # 2023-Q4: C4 — journalism programmes U1 U2 U3 U4 (U5 has none); updated U1 U2 → 2 / 4 = 50 % < 80.
    ("I5", "2023-Q4"): (2, 4, 50.0, 100.0, "below_target"),
    # 2024-Q1: window 2023-Q2..2024-Q1 → C4 still the list → 50 % < 95.
    ("I5", "2024-Q1"): (2, 4, 50.0, 100.0, "below_target"),
    # 2024-Q3: C6 (2024-Q2) — U1 U2 U3 U4 U6; updated U1 U2 U6 → 3 / 5 = 60 %.
    ("I5", "2024-Q3"): (3, 5, 60.0, 100.0, "below_target"),
    # 2024-Q4: C8, whole (U5, U6 gone) — U1..U4; updated U1 U2 U3 → 3 / 4 = 75 %.
    ("I5", "2024-Q4"): (3, 4, 75.0, 100.0, "below_target"),
    ("I5", "2023-Q3"): NO_DATA,  # no list before 2023-Q4
    # ---- I6 (persons; 2024 target 70) ----
    # 2024-Q1: active A1..A5; D1: A5's staff blank → known A1 A2 A3 A4 (4 of 5 → coverage 80).
    #   Σ trained 60 + 20 + 100 + 40 = 220, Σ total 100 + 50 + 200 + 40 = 390 → 56.4103 % < 70.
    ("I6", "2024-Q1"): (220, 390, 56.4103, 80.0, "below_target"),
    # 2024-Q2: active A1 A2 A3 A5 A6; D2O (not the provisional D2P): A1 100/70, A2 50/30, A3 200/120,
    #   A6 10/5; A5 (D1) unknown → Σ trained 70 + 30 + 120 + 5 = 225, Σ total 100 + 50 + 200 + 10 = 360
    #   → 62.5 %; coverage 4 / 5 = 80.
    ("I6", "2024-Q2"): (225, 360, 62.5, 80.0, "below_target"),
    # ---- I7 (level ≥ 3; 2024 target 70) ----
    # 2024-Q1: active electronic A1 A2 A4 (A3 radio;television, A5 print); S1: A1 3 ✓, A2 2 ✗, A4 4 ✓
    #   → 2 / 3 = 66.6667 % < 70; coverage 100.
    ("I7", "2024-Q1"): (2, 3, 66.6667, 100.0, "below_target"),
    # 2024-Q2: active electronic A1 A2 A6 (A4 closed); A1 3 (S1, in the window), A2 3 (S2), A6 unknown
    #   → 2 / 3 = 66.6667 %; coverage 2 / 3 = 66.6667.
    ("I7", "2024-Q2"): (2, 3, 66.6667, 66.6667, "below_target"),
}

# (indicator, period) → (stage, target_stage, status)
EXPECTED_STAGES = {
    ("I8R", "2023-Q4"): (None, "formed", "no_data"),  # nothing before P1 (2024-Q1)
    ("I8R", "2024-Q1"): ("formed", "developing", "below_target"),  # rank 2 < 3
    ("I8R", "2024-Q2"): ("developing", "developing", "achieved"),  # P2: at the target
    ("I8R", "2024-Q4"): ("developing", "developing", "achieved"),  # P2 still in the window 2024-Q1..Q4
    ("I8T", "2024-Q2"): ("developing", "developing", "achieved"),  # missing from P2 → P1's row
    ("I8E", "2024-Q1"): ("research_proposal", "formed", "below_target"),  # E1 (2023-Q4) in the window
    ("I8E", "2024-Q4"): (None, "formed", "no_data"),  # window 2024-Q1..Q4: E1 too old
}

# fct_agency_revenue_growth: (period, agency) → (in_denominator, window_months, months_known, window_revenue,
#                                               prorated_baseline, growth_pct, meets_threshold)
EXPECTED_GROWTH = {
    ("2024-Q1", "A1"): (True, 4, 4, 440, 400.0, 10.0, True),  # 440 / 400 − 1 = 10 %
    ("2024-Q1", "A2"): (True, 4, 4, 900, 800.0, 12.5, True),  # 900 / 800 − 1 = 12.5 %
    ("2024-Q1", "A3"): (False, 4, 4, 600, 400.0, 50.0, True),  # not doing dx at Q1: not counted
    ("2024-Q1", "A4"): (True, 4, 4, 400, 400.0, 0.0, False),
    ("2024-Q1", "A5"): (False, 4, 0, None, 0.0, None, None),  # zero baseline
    ("2024-Q2", "A2"): (True, 7, 7, 1650, 1400.0, 17.857142857142858, True),  # 1650 / 1400 − 1
    ("2024-Q2", "A3"): (True, 7, 6, 900, 700.0, None, False),  # 4 × 150 + Apr 150 + Jun 150; May missing
    ("2024-Q2", "A4"): (False, 7, 5, 550, 700.0, None, False),  # closed inside 2024-Q2
    ("2024-Q4", "A1"): (True, 12, 7, 770, 1200.0, None, False),
}


@dataclass
class Built:
    url: WarehouseURL
    seconds: dict[str, float] = field(default_factory=dict)

    def query(self, sql: str) -> list[dict]:
        with Warehouse(self.url) as wh:
            return wh.query_dicts(sql)


def load_fixture(url: WarehouseURL) -> None:
    sub_rows, data_rows = [], {}
    for sid, unit, dataset, period, status, received, rows in SUBMISSIONS:
        sha = f"{sid:0<64}"[:64]
        received_utc = received.astimezone(UTC)
        sub_rows.append((sid, unit, dataset, period, status, None, received_utc, sha, "json", f"{unit}-inbox",
                         f"{sid}.json", len(rows), 0, "run-test", received_utc))
        columns = raw_columns(dataset)
        for n, row in enumerate(rows, start=1):
            meta = {"submission_id": sid, "unit_code": unit, "dataset": dataset, "period": period,
                    "submission_status": status, "received_at": received_utc, "sha256": sha, "row_number": n}
            data_rows.setdefault(dataset, []).append(tuple({**meta, **row}.get(c) for c in columns))
    with Warehouse(url) as wh:
        wh.ensure_schema()
        with wh.transaction():
            wh.insert_rows("raw.submissions",
                           SUBMISSION_COLS, sub_rows)
            for dataset, rows in data_rows.items():
                wh.insert_rows(f"raw.{dataset}", raw_columns(dataset), rows)


@pytest.fixture(scope="module", params=["duckdb", pytest.param("postgres", marks=pytest.mark.postgres)])
def built(request) -> Built:
    name = "duckdb_module_url" if request.param == "duckdb" else "pg_module_url"
    url = WarehouseURL.parse(request.getfixturevalue(name))
    load_fixture(url)
    b = Built(url)
    t0 = time.monotonic()
    build(url, as_of=AS_OF, through=THROUGH)
    b.seconds["build"] = time.monotonic() - t0
    print(f"\n[{url.kind}] build() {b.seconds['build']:.1f}s")
    return b


def approx(got, want, key):
    if want is None:
        assert got is None, key
    else:
        assert got == pytest.approx(want, abs=5e-5), key


def test_ratio_indicators_per_period(built):
    rows = built.query("select indicator_code, period_code, numerator, denominator, value_pct, coverage_pct, "
                       "status from marts.fct_indicator_period")
    got = {(r["indicator_code"], r["period_code"]): r for r in rows}
    for key, (num, den, value, coverage, status) in EXPECTED_RATIOS.items():
        r = got[key]
        assert (r["numerator"], r["denominator"], r["status"]) == (num, den, status), key
        approx(r["value_pct"], value, key)
        approx(r["coverage_pct"], coverage, key)


def test_i4_carries_the_years_threshold_and_target(built):
    rows = built.query("select period_code, target_pct, min_revenue_growth_pct from marts.fct_indicator_period "
                       "where indicator_code = 'I4' and period_code in ('2023-Q4', '2024-Q2')")
    got = {r["period_code"]: (r["target_pct"], r["min_revenue_growth_pct"]) for r in rows}
    # indicator_targets: 2023 5 % of agencies at +5 %, 2024 15 % at +10 %
    assert got == {"2023-Q4": (5.0, 5.0), "2024-Q2": (15.0, 10.0)}


def test_stage_indicators(built):
    rows = built.query("select indicator_code, period_code, stage, stage_rank, target_stage, status, numerator, "
                       "value_pct from marts.fct_indicator_period where indicator_code in ('I8R', 'I8T', 'I8E')")
    got = {(r["indicator_code"], r["period_code"]): r for r in rows}
    assert len(got) == 3 * 8  # three platforms × 2023-Q1 .. 2024-Q4
    ranks = {None: None, "research_proposal": 1, "formed": 2, "developing": 3, "completed": 4}
    for key, (stage, target, status) in EXPECTED_STAGES.items():
        r = got[key]
        assert (r["stage"], r["stage_rank"], r["target_stage"], r["status"]) == (stage, ranks[stage], target,
                                                                                 status), key
        assert (r["numerator"], r["value_pct"]) == (None, None), key


def test_agency_revenue_growth(built):
    rows = built.query("select * from marts.fct_agency_revenue_growth")
    got = {(r["period_code"], r["agency_code"]): r for r in rows}
    # one row per period (2023-Q1 .. 2024-Q4) and agency with a baseline (A1..A5; A6 has none)
    assert sorted({a for _, a in got}) == ["A1", "A2", "A3", "A4", "A5"] and len(got) == 8 * 5
    for key, (in_den, months_, known, revenue, prorated, growth, meets) in EXPECTED_GROWTH.items():
        r = got[key]
        assert (r["in_denominator"], r["window_months"], r["months_known"], r["window_revenue_vnd"],
                r["meets_threshold"]) == (in_den, months_, known, revenue, meets), key
        assert r["prorated_baseline_vnd"] == pytest.approx(prorated), key
        approx(r["growth_pct"], growth, key)
        assert r["threshold_pct"] == 10.0 and r["baseline_submission_id"] == "B", key
    # window: 2024-Q1 from 1 December 2023 (the calendar's first coverage day of 2024) to E(2024-Q1)
    assert (got[("2024-Q1", "A1")]["window_start"], got[("2024-Q1", "A1")]["window_end"]) == (
        date(2023, 12, 1), date(2024, 3, 31))


def test_progress_class_of_i5(built):
    rows = built.query("select year, target_year, annual_value_pct, base_year, latest_year, annual_value_count, cagr, "
                       "projected_value_pct, progress_ratio, progress_class from marts.fct_indicator_annual "
                       "where indicator_code = 'I5' order by year")
    # I5 has a 2025 target (100) and none for 2030 → one row per year 2023, 2024.
    assert [(r["year"], r["target_year"]) for r in rows] == [(2023, 2025), (2024, 2025)]
    y2023, y2024 = rows
    # 2023: annual value = 2023-Q4 = 50 %; a single value below the target → insufficient_data.
    assert (y2023["annual_value_pct"], y2023["annual_value_count"], y2023["progress_class"]) == (
        50.0, 1, "insufficient_data")
    assert (y2023["cagr"], y2023["projected_value_pct"], y2023["progress_ratio"]) == (None, None, None)
    # 2024: v_2023 = 50, v_2024 = 75 → CAGR = (75 / 50)^(1 / 1) − 1 = 0.5;
    #   projected 2025 = min(100, 75 × 1.5^(2025 − 2024)) = min(100, 112.5) = 100;
    #   ratio = (100 − 50) / (100 − 50) = 1.0 ≥ 0.95 → on_track.
    assert (y2024["annual_value_pct"], y2024["base_year"], y2024["latest_year"], y2024["annual_value_count"]) == (
        75.0, 2023, 2024, 2)
    assert y2024["cagr"] == pytest.approx(0.5)
    assert y2024["projected_value_pct"] == pytest.approx(100.0)
    assert y2024["progress_ratio"] == pytest.approx(1.0)
    assert y2024["progress_class"] == "on_track"


def test_annual_rows_per_ratio_indicator_and_target_year(built):
    rows = built.query("select indicator_code, year, target_year from marts.fct_indicator_annual")
    got = sorted((r["indicator_code"], r["year"], r["target_year"]) for r in rows)
    # years 2023, 2024 (through 2024-Q4); target year 2025 for I1..I7, 2030 for I1..I4
    expected = sorted([(i, y, 2025) for i in ("I1", "I2", "I3", "I4", "I5", "I6", "I7") for y in (2023, 2024)]
                      + [(i, y, 2030) for i in ("I1", "I2", "I3", "I4") for y in (2023, 2024)])
    assert got == expected
