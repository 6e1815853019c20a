"""``pressdx timeliness``: expected submissions and their state, and each unit's reporting rates.

Figures come from the marts ``fct_submission_timeliness`` (one row per expected submission). Without
``--as-of`` they are those of the last build, judged at that build's as-of instant (printed); with it,
from an as-of build (``pressdx.warehouse.asof.marts_for``) whose as-of instant is T itself, so that the states
(on time, late, missing, not due) are those at T.
"""

from __future__ import annotations

from datetime import datetime

from pressdx.domain import calendar
from pressdx.settings import ConfigError
from pressdx.warehouse.asof import marts_for
from pressdx.warehouse.connection import WarehouseURL

EXPECTED_COLUMNS = ["unit_code", "dataset", "period", "due_at", "state", "provisional", "first_received_at",
                    "current_received_at"]
UNIT_COLUMNS = ["unit_code", "due", "on_time", "late", "missing", "completeness_pct", "timeliness_pct"]
STATES = ("on_time", "late", "missing", "not_due")


def iso(t: datetime | None) -> str | None:
    """An instant as ISO 8601 in Vietnam time (+07:00), or None."""
    return None if t is None else t.astimezone(calendar.VN_TZ).isoformat()


def pct(part: int, whole: int) -> float | None:
    """100 × part / whole, unrounded, as the marts compute it; None when whole is 0 (no value, never 0)."""
    return None if not whole else float(part) * 100 / float(whole)


def _periods(year: int, quarter: int | None) -> list[str]:
    codes = [f"{year}-Q{q}" for q in ([quarter] if quarter else [1, 2, 3, 4])]
    for code in codes:
        try:
            calendar.period(code)
        except KeyError:
            raise ConfigError(f"{code} is not a period of the calendar (2023-Q1 … 2030-Q4)") from None
    return codes


def unit_rates(expected: list[dict]) -> list[dict]:
    """Per unit: due (every state but not_due), on_time, late, missing and the two rates (kpi-rules.md)."""
    counts: dict[str, dict[str, int]] = {}
    for e in expected:
        c = counts.setdefault(e["unit_code"], dict.fromkeys(STATES, 0))
        c[e["state"]] += 1
    out = []
    for unit in sorted(counts):
        c = counts[unit]
        due = c["on_time"] + c["late"] + c["missing"]
        out.append({"unit_code": unit, "due": due, "on_time": c["on_time"], "late": c["late"],
                    "missing": c["missing"], "completeness_pct": pct(c["on_time"] + c["late"], due),
                    "timeliness_pct": pct(c["on_time"], due)})
    return out


def timeliness(url: WarehouseURL, year: int, quarter: int | None = None, as_of: datetime | None = None) -> dict:
    """The JSON object of ``pressdx timeliness`` (interfaces.md)."""
    codes = _periods(year, quarter)
    marks = ", ".join("?" for _ in codes)
    with marts_for(url, as_of) as (wh, schema):
        build = wh.query_dicts(f"select as_of, through_period from {schema}.dim_build")[0]
        in_scope = [r["period_code"] for r in wh.query_dicts(
            f"select period_code from {schema}.dim_reporting_period where is_in_scope and period_code in ({marks})",
            codes)]
        if not in_scope:
            raise ConfigError(f"no figures for {codes[0] if quarter else year}: the warehouse was built through "
                              f"{build['through_period']}")
        rows = wh.query_dicts(
            f"select period_index, unit_code, dataset, period_code, due_at, state, provisional, first_received_at, "
            f"current_received_at from {schema}.fct_submission_timeliness where period_code in ({marks})", codes)
    rows.sort(key=lambda r: (r["period_index"], r["unit_code"], r["dataset"]))  # code-point order on both engines
    expected = [{"unit_code": r["unit_code"], "dataset": r["dataset"], "period": r["period_code"],
                 "due_at": iso(r["due_at"]), "state": r["state"], "provisional": bool(r["provisional"]),
                 "first_received_at": iso(r["first_received_at"]),
                 "current_received_at": iso(r["current_received_at"])} for r in rows]
    return {"year": year, "period": codes[0] if quarter else None, "as_of": iso(as_of or build["as_of"]),
            "expected": expected, "units": unit_rates(expected)}
