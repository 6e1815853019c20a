"""``pressdx kpi``: the indicator figures of a period or a year, as of an instant.

Figures come from the marts. Without ``--as-of`` they are those of the last build; with it, from an
as-of build (``pressdx.warehouse.asof``), so an earlier instant shows exactly what was known then.
"""

from __future__ import annotations

from datetime import datetime

from pressdx.domain import calendar
from pressdx.settings import ConfigError
from pressdx.warehouse.asof import marts_for
from pressdx.warehouse.connection import Warehouse, WarehouseURL

RATIO_FIELDS = ("numerator", "denominator", "value_pct", "target_pct")


def _indicator(row: dict) -> dict:
    if row["kind"] == "stage":
        return {"indicator_code": row["indicator_code"], "stage": row["stage"], "target_stage": row["target_stage"],
                "status": row["status"]}
    out = {"indicator_code": row["indicator_code"]}
    for f in RATIO_FIELDS:
        out[f] = _num(row[f])
    if row["kind"] == "revenue_growth":
        out["min_revenue_growth_pct"] = _num(row["min_revenue_growth_pct"])
    out["status"] = row["status"]
    out["coverage_pct"] = _num(row["coverage_pct"])
    if row.get("progress") is not None:
        out["progress"] = row["progress"]
    return out


def _num(v):
    if v is None:
        return None
    f = float(v)
    return int(f) if f.is_integer() and not isinstance(v, float) else f


def kpi(url: WarehouseURL, year: int, quarter: int | None = None, as_of: datetime | None = None) -> dict:
    code = f"{year}-Q{quarter or 4}"
    try:
        calendar.period(code)
    except KeyError:
        raise ConfigError(f"{code} is not a period of the calendar ({calendar.period_range()})") from None
    with marts_for(url, as_of) as (wh, schema):
        build = wh.query_dicts(f"select as_of from {schema}.dim_build")[0]
        rows = wh.query_dicts(
            f"select f.*, i.kind from {schema}.fct_indicator_period f "
            f"join {schema}.dim_indicator i using (indicator_code) where f.period_code = ? "
            "order by i.decision_row, f.indicator_code", (code,))
        if quarter is None:
            _attach_progress(wh, schema, year, rows)
    if not rows:
        raise ConfigError(f"no figures for {code}: the warehouse was built through an earlier period")
    instant = as_of or build["as_of"]
    return {"year": year, "period": code if quarter else None,
            "as_of": instant.astimezone(calendar.VN_TZ).isoformat(),
            "indicators": [_indicator(r) for r in rows]}


def _attach_progress(wh: Warehouse, schema: str, year: int, rows: list[dict]) -> None:
    if not wh.table_exists(schema, "fct_indicator_annual"):
        return
    progress = {}
    for r in wh.query_dicts(f"select indicator_code, target_year, progress_class from {schema}.fct_indicator_annual "
                            "where year = ? and progress_class is not null", (year,)):
        progress.setdefault(r["indicator_code"], {})[str(r["target_year"])] = r["progress_class"]
    for r in rows:
        if r["kind"] != "stage":
            r["progress"] = progress.get(r["indicator_code"], {})


TABLE_COLUMNS = ["indicator_code", "numerator", "denominator", "value_pct", "target_pct", "status", "coverage_pct",
                 "stage", "target_stage"]
