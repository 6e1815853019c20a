"""``pressdx kpi | timeliness | tasks``: the figures of the marts, as a table, JSON or CSV.

The queries are ``pressdx.figures``; the writers are ``pressdx.publishing.formats``; this module only
picks the columns and titles of each format, so that the three outputs stay what the tests compare.
"""

from __future__ import annotations

import typer

from pressdx.cli import options
from pressdx.cli.options import OutputFormat

app = typer.Typer()


@app.command("kpi")
def kpi_command(year: options.Year, period: options.Period = None, as_of: options.AsOf = None,
                format: options.Format = OutputFormat.table, warehouse: options.Warehouse = None) -> int:
    """Indicator figures of a period, or of a year (without --period: Q4 with progress classes)."""
    from pressdx.figures.kpi import TABLE_COLUMNS, kpi
    from pressdx.publishing import formats as output

    res = kpi(options.warehouse_url(warehouse), year, options.quarter(period), options.instant(as_of))
    if format is OutputFormat.json:
        print(output.to_json(res))
    elif format is OutputFormat.csv:
        rows = [{"year": res["year"], "period": res["period"], "as_of": res["as_of"], **i} for i in res["indicators"]]
        print(output.to_csv(rows, ["year", "period", "as_of", *TABLE_COLUMNS, "min_revenue_growth_pct"]), end="")
    else:
        cols = [c for c in TABLE_COLUMNS + ["progress"] if any(i.get(c) is not None for i in res["indicators"])]
        title = f"KPI {res['period'] or str(res['year']) + ' (annual)'} as of {res['as_of']}"
        print(output.to_table(res["indicators"], cols, title))
    return 0


@app.command("timeliness")
def timeliness_command(year: options.Year, period: options.Period = None, as_of: options.AsOf = None,
                       format: options.Format = OutputFormat.table, warehouse: options.Warehouse = None) -> int:
    """Expected submissions and their state, and reporting rates per unit (without --period: every period)."""
    from pressdx.figures.timeliness import EXPECTED_COLUMNS, UNIT_COLUMNS, timeliness
    from pressdx.publishing import formats as output

    res = timeliness(options.warehouse_url(warehouse), year, options.quarter(period), options.instant(as_of))
    if format is OutputFormat.json:
        print(output.to_json(res))
    elif format is OutputFormat.csv:
        rows = [{"year": res["year"], "as_of": res["as_of"], **e} for e in res["expected"]]
        print(output.to_csv(rows, ["year", "as_of", *EXPECTED_COLUMNS]), end="")
    else:
        scope = res["period"] or f"{res['year']} (every period)"
        print(output.to_table(res["units"], UNIT_COLUMNS, f"Reporting rates {scope} as of {res['as_of']}"))
        print()
        print(output.to_table(res["expected"], EXPECTED_COLUMNS, "Expected submissions"))
    return 0


@app.command("tasks")
def tasks_command(year: options.Year, as_of: options.AsOf = None, format: options.Format = OutputFormat.table,
                  warehouse: options.Warehouse = None) -> int:
    """Action-plan task instances of a year and their status."""
    from pressdx.figures.tasks import TASK_COLUMNS, tasks
    from pressdx.publishing import formats as output

    res = tasks(options.warehouse_url(warehouse), year, options.instant(as_of))
    if format is OutputFormat.json:
        print(output.to_json(res))
    elif format is OutputFormat.csv:
        rows = [{"as_of": res["as_of"], **t} for t in res["tasks"]]
        print(output.to_csv(rows, ["as_of", *TASK_COLUMNS]), end="")
    else:
        print(output.to_table(res["tasks"], TASK_COLUMNS, f"Action-plan tasks {res['year']} as of {res['as_of']}"))
    return 0
