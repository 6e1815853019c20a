"""``pressdx tasks``: the action-plan task instances of a year and their status, as of an instant.

Figures come from the mart ``fct_task_progress`` (one row per task instance). Listed: the instances of
year Y of the annual tasks, and every task that is not annual (its single instance). Without ``--as-of``
the status and ``overdue`` are those of the last build (its as-of instant is printed); with it, the rows of
``fct_task_progress_history`` that hold at T (``pressdx.figures.history``): overdue turns at the day after
the due date, Vietnam time, whatever the build's as-of.
"""

from __future__ import annotations

from datetime import datetime

from pressdx.domain import calendar
from pressdx.figures.history import read_at
from pressdx.settings import ConfigError
from pressdx.warehouse.connection import WarehouseURL

TASK_COLUMNS = ["task_code", "year", "due_date", "status", "overdue", "output_count", "output_met"]


def tasks(url: WarehouseURL, year: int, as_of: datetime | None = None) -> dict:
    """The JSON object of ``pressdx tasks`` (interfaces.md)."""
    years = sorted({p.year for p in calendar.periods()})
    if year not in years:
        raise ConfigError(f"--year {year}: the action plan's years are {years[0]} … {years[-1]}")
    with read_at(url, as_of) as (wh, at, build):
        rows = wh.query_dicts(
            f"select p.task_code, p.instance_year, p.due_date, p.status, p.overdue, p.output_count, p.output_met "
            f"from {at.mart('fct_task_progress')} p join marts.dim_task t using (task_code) "
            f"where (p.instance_year = ? or (p.instance_year is null and t.due_kind <> 'annual')) and {at.known('p')} "
            "order by t.task_order, p.instance_year", (year, *at.params))
    out = [{"task_code": r["task_code"], "year": r["instance_year"],
            "due_date": r["due_date"].isoformat() if r["due_date"] is not None else None,
            "status": r["status"], "overdue": bool(r["overdue"]),
            "output_count": None if r["output_count"] is None else int(r["output_count"]),
            "output_met": None if r["output_met"] is None else bool(r["output_met"])} for r in rows]
    instant = as_of or build["as_of"]
    return {"year": year, "as_of": instant.astimezone(calendar.VN_TZ).isoformat(), "tasks": out}
