"""Query results as JSON, CSV or a text table, as text (the terminal) or bytes (published files).

One writer, so that ``pressdx kpi --format csv`` and the quarterly publication's ``kpi.csv`` (and likewise
timeliness and tasks) have the same columns and the same cells. The generic writers take rows and
columns; ``kpi_csv`` / ``timeliness_csv`` / ``tasks_csv`` (and ``*_table``) take the result objects of
``pressdx.figures`` (the JSON shapes of ``interfaces.md``) and are what the CLI and the publication call.

Cells: ``None`` is empty in CSV and ``–`` in a table; instants and dates are ISO 8601; an object (the
progress classes ``{"2025": "on_track", …}``) is JSON in CSV, ``2025:on_track …`` in a table. Tables are
drawn by rich (plain text, no colour); ``whole_seconds`` cuts the instants of a result to the second for
people (the CLI prints every result through it).
"""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date, datetime
from typing import Any

from pressdx.figures.kpi import HISTORY_COLUMNS as KPI_HISTORY_COLUMNS
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
    """A plain-text table drawn by rich: the title, the header, a rule, one line per row; a column whose
    cells are all numbers (or ``–``) is right-aligned. No colour, no markup, no wrapping (cells are
    ``Text``, so ``[`` or ``:name:`` in a value is printed as it is)."""
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    cells = [[_cell(r.get(c)) for c in columns] for r in rows]
    table = Table(title=Text(title) if title else None, title_justify="left", title_style="",
                  box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, highlight=False, header_style="")
    for i, c in enumerate(columns):
        numeric = bool(cells) and all(_numeric(row[i]) or row[i] == "–" for row in cells)
        table.add_column(Text(c), justify="right" if numeric else "left", no_wrap=True)
    for row in cells:
        table.add_row(*(Text(v) for v in row))
    buf = io.StringIO()
    Console(file=buf, width=100_000, color_system=None, force_terminal=False, highlight=False, emoji=False,
            markup=False, legacy_windows=False).print(table)
    return "\n".join(line.rstrip() for line in buf.getvalue().splitlines())


_FRACTION = re.compile(r"(\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d)\.\d+")


def whole_seconds(obj: Any) -> Any:
    """``obj`` with every instant cut to the second (``…T16:58:05.448618+07:00`` → ``…T16:58:05+07:00``),
    in ISO strings and ``datetime`` values alike, through nested dicts and lists: what people are shown."""
    if isinstance(obj, dict):
        return {k: whole_seconds(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [whole_seconds(v) for v in obj]
    if isinstance(obj, datetime):
        return obj.replace(microsecond=0)
    if isinstance(obj, str) and "." in obj:
        return _FRACTION.sub(r"\1", obj, count=1) if _FRACTION.match(obj) else obj
    return obj


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


def kpi_history_csv(result: dict) -> str:
    """Every version of a period's figures (``pressdx.figures.kpi.history``) as CSV, one row per version."""
    rows = [{"period": result["period"], **v} for v in result["versions"]]
    return to_csv(rows, ["period", *KPI_HISTORY_COLUMNS])


def kpi_history_table(result: dict) -> str:
    """Every version of a period's figures as a text table: the columns some version fills."""
    cols = [c for c in KPI_HISTORY_COLUMNS if any(v.get(c) is not None for v in result["versions"])
            or c in ("known_from", "known_to")]
    title = f"KPI {result['period']}: every version known (last build as of {result['as_of']}; known_to empty: current)"
    return to_table(result["versions"], cols, title)


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
