"""Warnings that need history: outliers and provisional figures left standing (submissions.md, Warnings).

They never reject a file; they tell the clerk (and the auditor, through ``audit.intake_messages``) that a
figure deserves a second look. History is read from ``raw``, which holds only accepted submissions.
"""

from __future__ import annotations

import statistics
from collections import defaultdict

from pressdx.domain import calendar
from pressdx.domain.findings import warning
from pressdx.warehouse.connection import Warehouse

MODIFIED_Z_LIMIT = 3.5
MIN_HISTORY = 6  # fewer months give a MAD too small to mean anything
STAFF_CHANGE_LIMIT = 0.5
PROVISIONAL_GRACE_PERIODS = 2


def robust_centre(history: list[float]) -> tuple[float, float] | None:
    """Median and MAD of ``history``; None when there is too little of it or no spread (MAD 0)."""
    if len(history) < MIN_HISTORY:
        return None
    med = statistics.median(history)
    mad = statistics.median([abs(x - med) for x in history])
    return None if mad == 0 else (med, mad)


class RevenueHistory:
    """Every agency's known monthly revenue (as floats, what the statistics use), loaded once per intake run
    and kept current as files come in."""

    def __init__(self, wh: Warehouse):
        self._wh = wh
        self._series: dict[str, dict] | None = None

    def series(self) -> dict[str, dict]:
        if self._series is None:
            self._series = defaultdict(dict)
            for code, month, value in self._wh.query(
                    "select agency_code, month, revenue_vnd from raw.agency_revenue order by received_at, row_number"):
                self._series[code][month] = _as_float(value)
        return self._series

    def add(self, rows: list[dict]) -> None:
        series = self.series()
        for r in rows:
            series[r["agency_code"]][r["month"]] = _as_float(r["revenue_vnd"])


def _as_float(value) -> float | None:
    return None if value is None else float(value)


def revenue_outliers(history: RevenueHistory, sub) -> None:
    known = history.series()
    mine: dict[str, dict] = defaultdict(dict)
    for r in sub.rows:
        mine[r["agency_code"]][r["month"]] = r
    for code, months in mine.items():
        # Against earlier submissions only: months of the same file are not their own history.
        before = known.get(code, {})
        changed = [r for month, r in months.items() if before.get(month) != r["revenue_vnd"]]
        if not changed:
            continue  # re-sent unchanged: judged when it first came
        centre = robust_centre([v for m, v in before.items() if v is not None and m not in months])
        if centre is None:
            continue
        med, mad = centre  # once per agency, not once per month of the file
        for r in changed:
            z = 0.6745 * (float(r["revenue_vnd"]) - med) / mad  # Iglewicz–Hoaglin modified z-score
            if abs(z) > MODIFIED_Z_LIMIT:
                sub.findings.append(warning("outlier", row=r["_line"], column="revenue_vnd", value=r["revenue_vnd"],
                                            detail=(f"điểm z hiệu chỉnh {z:.1f} > {MODIFIED_Z_LIMIT}",
                                                    f"modified z-score {z:.1f} > {MODIFIED_Z_LIMIT}")))


def staff_jumps(wh: Warehouse, sub) -> None:
    """A change of more than 50 % in an agency's staff count against the previous period's current value."""
    p = calendar.period(sub.meta["period"])
    prev = [q.code for q in calendar.periods() if q.index == p.index - 1]
    if not prev:
        return
    rows = wh.query(
        "select d.agency_code, d.staff_total from raw.agency_dx_status d join raw.submissions s "
        "using (submission_id) where s.period = ? and s.unit_code = ? and s.received_at = ("
        " select max(received_at) from raw.submissions x where x.period = s.period and x.unit_code = s.unit_code"
        " and x.dataset = 'agency_dx_status')", (prev[0], sub.meta["unit_code"]))
    before = {code: total for code, total in rows if total}
    for r in sub.rows:
        old, new = before.get(r["agency_code"]), r.get("staff_total")
        if old and new is not None and abs(new - old) / old > STAFF_CHANGE_LIMIT:
            sub.findings.append(warning("outlier", row=r["_line"], column="staff_total", value=new,
                                        detail=(f"kỳ trước {old}, thay đổi > 50 %", f"previous period {old}, change > 50%")))


def provisional_left_standing(wh: Warehouse, sub) -> None:
    """Earlier periods of this unit and dataset whose current version is still provisional two periods on."""
    p = calendar.period(sub.meta["period"])
    rows = wh.query(
        "select period, status from raw.submissions where unit_code = ? and dataset = ? order by received_at",
        (sub.meta["unit_code"], sub.meta["dataset"]))
    current: dict[str, str] = {}
    for period, status in rows:
        current[period] = status
    for period, status in sorted(current.items()):
        if status == "provisional" and calendar.period(period).index <= p.index - PROVISIONAL_GRACE_PERIODS:
            sub.findings.append(warning("provisional_not_replaced", column="status", value=period))


def add_history_warnings(wh: Warehouse, sub, revenue: RevenueHistory) -> None:
    ds = sub.meta["dataset"]
    if ds == "agency_revenue":
        revenue_outliers(revenue, sub)
    elif ds == "agency_dx_status":
        staff_jumps(wh, sub)
    provisional_left_standing(wh, sub)
