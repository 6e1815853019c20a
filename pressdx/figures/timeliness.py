"""``pressdx timeliness``: expected submissions and their state, and each unit's reporting rates.

Figures come from the marts: ``fct_submission_timeliness`` (one row per expected submission) and the
rates of ``fct_unit_reporting_rate`` (a unit and a period) or ``fct_unit_reporting_rate_year_to_date``
(a unit and a whole year, through Q4); the rates are computed there, never here. Without
``--as-of`` they are those of the last build, judged at that build's as-of instant (printed); with it, the
rows of their ``_history`` twins that hold at T (``pressdx.figures.history``), so that the states (on time,
late, missing, not due) are those at T, due instants included, without building anything.
"""

from __future__ import annotations

from datetime import datetime

from pressdx.domain import calendar
from pressdx.figures.history import At, read_at
from pressdx.settings import ConfigError
from pressdx.warehouse.connection import Warehouse, WarehouseURL

EXPECTED_COLUMNS = ["unit_code", "dataset", "period", "due_at", "state", "provisional", "first_received_at",
                    "current_received_at"]
UNIT_COLUMNS = ["unit_code", "due", "on_time", "late", "missing", "completeness_pct", "timeliness_pct"]


def iso(t: datetime | None) -> str | None:
    """An instant as ISO 8601 in Vietnam time (+07:00), or None."""
    return None if t is None else t.astimezone(calendar.VN_TZ).isoformat()


def _periods(year: int, quarter: int | None) -> list[str]:
    codes = [f"{year}-Q{q}" for q in ([quarter] if quarter else [1, 2, 3, 4])]
    for code in codes:
        try:
            calendar.period(code)
        except KeyError:
            raise ConfigError(f"{code} is not a period of the calendar ({calendar.period_range()})") from None
    return codes


def _unit_rates(wh: Warehouse, at: At, year: int, period: str | None) -> list[dict]:
    """Per unit: due, on_time, late, missing and the two rates, as the marts computed them."""
    if period:
        rows = wh.query_dicts(f"select {', '.join(UNIT_COLUMNS)} from {at.mart('fct_unit_reporting_rate')} r "
                              f"where period_code = ? and {at.known('r')}", (period, *at.params))
    else:
        rows = wh.query_dicts(f"select {', '.join(UNIT_COLUMNS)} from {at.mart('fct_unit_reporting_rate_year_to_date')} r "
                              f"where year = ? and through_quarter = 4 and {at.known('r')}",  # the whole year
                              (year, *at.params))
    rows.sort(key=lambda r: r["unit_code"])  # code-point order on both engines
    return [{c: r[c] for c in UNIT_COLUMNS} for r in rows]


def timeliness(url: WarehouseURL, year: int, quarter: int | None = None, as_of: datetime | None = None) -> dict:
    """The JSON object of ``pressdx timeliness`` (interfaces.md)."""
    codes = _periods(year, quarter)
    marks = ", ".join("?" for _ in codes)
    with read_at(url, as_of) as (wh, at, build):
        in_scope = [r["period_code"] for r in wh.query_dicts(
            f"select period_code from marts.dim_reporting_period where is_in_scope and period_code in ({marks})",
            codes)]
        if not in_scope:
            raise ConfigError(f"no figures for {codes[0] if quarter else year}: the warehouse was built through "
                              f"{build['through_period']}")
        rows = wh.query_dicts(
            f"select period_index, unit_code, dataset, period_code, due_at, state, provisional, first_received_at, "
            f"current_received_at from {at.mart('fct_submission_timeliness')} t where period_code in ({marks}) "
            f"and {at.known('t')}", (*codes, *at.params))
        units = _unit_rates(wh, at, year, codes[0] if quarter else None)
    rows.sort(key=lambda r: (r["period_index"], r["unit_code"], r["dataset"]))  # code-point order on both engines
    expected = [{"unit_code": r["unit_code"], "dataset": r["dataset"], "period": r["period_code"],
                 "due_at": iso(r["due_at"]), "state": r["state"], "provisional": bool(r["provisional"]),
                 "first_received_at": iso(r["first_received_at"]),
                 "current_received_at": iso(r["current_received_at"])} for r in rows]
    return {"year": year, "period": codes[0] if quarter else None, "as_of": iso(as_of or build["as_of"]),
            "expected": expected, "units": units}
