"""``pressdx kpi``: the indicator figures of a period or a year, as of an instant.

Figures come from the marts. Without ``--as-of`` they are those of the last build; with it, the
versions the history marts hold at that instant (``pressdx.figures.history``), so an earlier instant shows
exactly what was known then, without building anything. ``history`` lists every version of a period's
figures with the submission whose arrival made it.
"""

from __future__ import annotations

from datetime import datetime

from pressdx.domain import calendar
from pressdx.figures.history import PERIOD_HISTORY, At, open_at, read_at
from pressdx.settings import ConfigError
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


def _period_code(year: int, quarter: int | None) -> str:
    code = f"{year}-Q{quarter or 4}"
    try:
        calendar.period(code)
    except KeyError:
        raise ConfigError(f"{code} is not a period of the calendar ({calendar.period_range()})") from None
    return code


def kpi(url: WarehouseURL, year: int, quarter: int | None = None, as_of: datetime | None = None) -> dict:
    code = _period_code(year, quarter)
    with read_at(url, as_of) as (wh, at, build):
        rows = wh.query_dicts(
            f"select f.*, i.kind from {at.mart('fct_indicator_period')} f "
            f"join marts.dim_indicator i using (indicator_code) where f.period_code = ? and {at.known('f')} "
            "order by i.decision_row, f.indicator_code", (code, *at.params))
        if quarter is None:
            _attach_progress(wh, at, year, rows)
    if not rows:
        raise ConfigError(f"no figures for {code}: the warehouse was built through an earlier period")
    instant = as_of or build["as_of"]
    return {"year": year, "period": code if quarter else None,
            "as_of": instant.astimezone(calendar.VN_TZ).isoformat(),
            "indicators": [_indicator(r) for r in rows]}


def history(url: WarehouseURL, year: int, quarter: int | None = None) -> dict:
    """Every version of the figures of a period (Q4 without ``quarter``), oldest first, with the submission
    whose arrival made each one (its unit, dataset, status and version number)."""
    code = _period_code(year, quarter)
    with open_at(url, None) as (wh, build):
        rows = wh.query_dicts(
            f"select h.*, i.kind, v.unit_code as changed_by_unit, v.dataset as changed_by_dataset, "
            f"v.submission_status as changed_by_status, v.version_number as changed_by_version "
            f"from marts.{PERIOD_HISTORY} h join marts.dim_indicator i using (indicator_code) "
            "left join marts.fct_submission_version v on v.submission_id = h.changed_by_submission_id "
            "where h.period_code = ? order by i.decision_row, h.indicator_code, h.known_from nulls first", (code,))
    if not rows:
        raise ConfigError(f"no figures for {code}: the warehouse was built through an earlier period")
    versions = []
    for r in rows:
        v = _indicator(r)
        v.pop("progress", None)
        v["known_from"] = _vn(r["known_from"])
        v["known_to"] = _vn(r["known_to"])
        v["changed_by"] = r["changed_by_submission_id"]
        if r["changed_by_submission_id"]:
            v["changed_by"] = (f"{r['changed_by_unit']} {r['changed_by_dataset']} v{r['changed_by_version']} "
                               f"{r['changed_by_status']} ({r['changed_by_submission_id']})")
        versions.append(v)
    return {"year": year, "period": code, "as_of": _vn(build["as_of"]), "versions": versions}


def _vn(t: datetime | None) -> str | None:
    return None if t is None else t.astimezone(calendar.VN_TZ).isoformat()


def _attach_progress(wh: Warehouse, at: At, year: int, rows: list[dict]) -> None:
    progress = {}
    for r in wh.query_dicts(f"select indicator_code, target_year, progress_class from {at.mart('fct_indicator_annual')} a "
                            f"where year = ? and progress_class is not null and {at.known('a')}", (year, *at.params)):
        progress.setdefault(r["indicator_code"], {})[str(r["target_year"])] = r["progress_class"]
    for r in rows:
        if r["kind"] != "stage":
            r["progress"] = progress.get(r["indicator_code"], {})


TABLE_COLUMNS = ["indicator_code", "numerator", "denominator", "value_pct", "target_pct", "status", "coverage_pct",
                 "stage", "target_stage"]
HISTORY_COLUMNS = ["indicator_code", "known_from", "known_to", "numerator", "denominator", "value_pct", "status",
                   "coverage_pct", "stage", "changed_by"]
