"""Query results as JSON, CSV or a text table, as text (the terminal) or bytes (published files).

One writer, so that ``pressdx kpi --format csv`` and the quarterly publication's ``kpi.csv`` (and likewise
timeliness and tasks) have the same columns and the same cells. The generic writers take rows and
columns; ``kpi_csv`` / ``timeliness_csv`` / ``tasks_csv`` (and ``*_table``) take the result objects of
``pressdx.figures`` (the JSON shapes of ``interfaces.md``) and are what the CLI and the publication call.

Cells: ``None`` is empty in CSV and ``–`` in a table; instants and dates are ISO 8601; an object (the
progress classes ``{"2025": "on_track", …}``) is JSON in CSV, ``2025:on_track …`` in a table.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime
from typing import Any

from pressdx.figures.kpi import TABLE_COLUMNS as KPI_TABLE_COLUMNS
from pressdx.figures.tasks import TASK_COLUMNS
from pressdx.figures.timeliness import EXPECTED_COLUMNS, UNIT_COLUMNS

# One list for the CLI and the publication: every field an indicator can carry (interfaces.md), after the
# result's year, period and as-of instant; ``progress`` (annual figures only) holds the progress class
# per target year as a JSON object.
KPI_CSV_COLUMNS = ["year", "period", "as_of", "indicator_code", "numerator", "denominator", "value_pct",
                   "target_pct", "min_revenue_growth_pct", "status", "coverage_pct", "stage", "target_stage",
                   "progress"]
TIMELINESS_CSV_COLUMNS = ["year", "as_of", *EXPECTED_COLUMNS]
TASKS_CSV_COLUMNS = ["as_of", *TASK_COLUMNS]


# -- generic writers -------------------------------------------------------------------------------------
def _json_default(o):
    if isinstance(o, datetime | date):
        return o.isoformat()
    raise TypeError(type(o).__name__)


def to_json(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=2, default=_json_default)


def to_json_bytes(obj: Any) -> bytes:
    """``to_json`` with a final newline, UTF-8: a published file."""
    return (to_json(obj) + "\n").encode("utf-8")


def _csv_cell(v: Any) -> Any:
    if v is None:
        return ""
    if isinstance(v, dict | list):
        return json.dumps(v, ensure_ascii=False, sort_keys=True)
    if isinstance(v, datetime | date):
        return v.isoformat()
    return v


def to_csv(rows: list[dict], columns: list[str]) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    w.writeheader()
    for r in rows:
        w.writerow({c: _csv_cell(r.get(c)) for c in columns})
    return buf.getvalue()


def to_csv_bytes(rows: list[dict], columns: list[str]) -> bytes:
    return to_csv(rows, columns).encode("utf-8")


def _cell(v) -> str:
    if v is None:
        return "–"
    if isinstance(v, float):
        return f"{v:.1f}"
    if isinstance(v, datetime | date):
        return v.isoformat()
    if isinstance(v, dict):
        return " ".join(f"{k}:{x}" for k, x in v.items())
    return str(v)


def _numeric(s: str) -> bool:
    try:
        float(s)
    except ValueError:
        return False
    return True


def to_table(rows: list[dict], columns: list[str], title: str = "") -> str:
    cells = [[_cell(r.get(c)) for c in columns] for r in rows]
    widths = [max([len(c)] + [len(row[i]) for row in cells]) for i, c in enumerate(columns)]
    line = "  ".join("-" * w for w in widths)
    out = [title] if title else []
    out.append("  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)))
    out.append(line)
    out += ["  ".join(v.rjust(w) if _numeric(v) else v.ljust(w) for v, w in zip(row, widths, strict=True))
            for row in cells]
    return "\n".join(out)


# -- the figures' results ----------------------------------------------------------------------------------
def kpi_rows(result: dict) -> list[dict]:
    """One row per indicator of a ``pressdx.figures.kpi.kpi`` result, with its year, period and as-of."""
    return [{"year": result["year"], "period": result["period"], "as_of": result["as_of"], **i}
            for i in result["indicators"]]


def kpi_csv(result: dict) -> str:
    """The KPI figures as CSV (``KPI_CSV_COLUMNS``): ``pressdx kpi --format csv`` and ``kpi.csv``."""
    return to_csv(kpi_rows(result), KPI_CSV_COLUMNS)


def kpi_table(result: dict) -> str:
    """The KPI figures as a text table: the columns some indicator fills, progress classes last."""
    cols = [c for c in [*KPI_TABLE_COLUMNS, "progress"] if any(i.get(c) is not None for i in result["indicators"])]
    title = f"KPI {result['period'] or str(result['year']) + ' (annual)'} as of {result['as_of']}"
    return to_table(result["indicators"], cols, title)


def timeliness_rows(result: dict) -> list[dict]:
    return [{"year": result["year"], "as_of": result["as_of"], **e} for e in result["expected"]]


def timeliness_csv(result: dict) -> str:
    """The expected submissions of a ``pressdx.figures.timeliness.timeliness`` result as CSV."""
    return to_csv(timeliness_rows(result), TIMELINESS_CSV_COLUMNS)


def timeliness_table(result: dict) -> str:
    """Each unit's reporting rates, a blank line, then the expected submissions."""
    scope = result["period"] or f"{result['year']} (every period)"
    units = to_table(result["units"], UNIT_COLUMNS, f"Reporting rates {scope} as of {result['as_of']}")
    return f"{units}\n\n{to_table(result['expected'], EXPECTED_COLUMNS, 'Expected submissions')}"


def tasks_rows(result: dict) -> list[dict]:
    return [{"as_of": result["as_of"], **t} for t in result["tasks"]]


def tasks_csv(result: dict) -> str:
    """The task instances of a ``pressdx.figures.tasks.tasks`` result as CSV."""
    return to_csv(tasks_rows(result), TASKS_CSV_COLUMNS)


def tasks_table(result: dict) -> str:
    return to_table(result["tasks"], TASK_COLUMNS, f"Action-plan tasks {result['year']} as of {result['as_of']}")
