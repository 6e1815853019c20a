"""The calendar's derived facts: read from the seed once, named the same way everywhere."""

from __future__ import annotations

import csv
from datetime import date

from pressdx.domain import calendar


def _rows() -> list[dict]:
    with calendar.CALENDAR_CSV.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_first_revenue_month_and_period_range_come_from_the_seed():
    rows = _rows()
    assert calendar.FIRST_REVENUE_MONTH == date.fromisoformat(rows[0]["coverage_start"]) == date(2022, 12, 1)
    assert calendar.PERIOD_RANGE == f"{rows[0]['period_code']} … {rows[-1]['period_code']}" == "2023-Q1 … 2030-Q4"
    assert calendar.period_range(" to ") == "2023-Q1 to 2030-Q4"


def test_periods_carry_the_trend_review_flag_and_their_months():
    flags = {r["period_code"]: r["needs_trend_review"] == "true" for r in _rows()}
    assert {p.code: p.needs_trend_review for p in calendar.periods()} == flags
    q1 = calendar.period("2023-q1")
    assert q1.months() == [date(2022, 12, 1), date(2023, 1, 1), date(2023, 2, 1), date(2023, 3, 1)]
    assert q1.months(since=date(2023, 2, 17)) == [date(2023, 2, 1), date(2023, 3, 1)]
    assert list(calendar.by_code()) == [p.code for p in calendar.periods()]


def test_due_instants_follow_the_calendar():
    dues = calendar.due_instants()
    assert [d.due_at for d in dues] == sorted(d.due_at for d in dues)
    q2 = next(d for d in dues if d.publication == "2024-Q2")
    assert q2.trend_review and q2.kind == "quarterly"
    assert calendar.due_at_or_before(q2.due_at) == q2
    assert calendar.Due.from_dict(q2.to_dict()) == q2
