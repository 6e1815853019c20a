"""``pressdx kpi | timeliness | tasks``: the figures of the marts, as a table, JSON or CSV.

The queries are ``pressdx.figures``; the writers are ``pressdx.publishing.formats`` (``kpi_csv``,
``kpi_table``…), the same the quarterly publication writes its files with, so ``pressdx kpi --format csv``
and the published ``kpi.csv`` have one column list. Instants are shown to the second.
"""

from __future__ import annotations

import typer

from pressdx.cli import options
from pressdx.cli.options import OutputFormat

app = typer.Typer()


def _instant(as_of: str | None):
    """``--as-of`` parsed, with a progress line: an instant not asked before builds an as-of copy first."""
    instant = options.instant(as_of)
    if instant is not None:
        from pressdx.cli.progress import Progress

        Progress()(f"figures as of {instant.replace(microsecond=0).isoformat()}: an as-of build of the warehouse "
                   f"runs first unless one was kept (up to a minute)")
    return instant


def _print(result: dict, format: OutputFormat, csv, table) -> None:
    from pressdx.publishing import formats

    result = formats.whole_seconds(result)
    if format is OutputFormat.json:
        print(formats.to_json(result))
    elif format is OutputFormat.csv:
        print(csv(result), end="")
    else:
        print(table(result))


@app.command("kpi")
def kpi_command(year: options.Year, period: options.Period = None, as_of: options.AsOf = None,
                format: options.Format = OutputFormat.table, warehouse: options.Warehouse = None) -> int:
    """Indicator figures of a period, or of a year (without --period: Q4 with progress classes)."""
    from pressdx.figures.kpi import kpi
    from pressdx.publishing import formats

    res = kpi(options.warehouse_url(warehouse), year, options.quarter(period), _instant(as_of))
    _print(res, format, formats.kpi_csv, formats.kpi_table)
    return 0


@app.command("timeliness")
def timeliness_command(year: options.Year, period: options.Period = None, as_of: options.AsOf = None,
                       format: options.Format = OutputFormat.table, warehouse: options.Warehouse = None) -> int:
    """Expected submissions and their state, and reporting rates per unit (without --period: every period)."""
    from pressdx.figures.timeliness import timeliness
    from pressdx.publishing import formats

    res = timeliness(options.warehouse_url(warehouse), year, options.quarter(period), _instant(as_of))
    _print(res, format, formats.timeliness_csv, formats.timeliness_table)
    return 0


@app.command("tasks")
def tasks_command(year: options.Year, as_of: options.AsOf = None, format: options.Format = OutputFormat.table,
                  warehouse: options.Warehouse = None) -> int:
    """Action-plan task instances of a year and their status."""
    from pressdx.figures.tasks import tasks
    from pressdx.publishing import formats

    res = tasks(options.warehouse_url(warehouse), year, _instant(as_of))
    _print(res, format, formats.tasks_csv, formats.tasks_table)
    return 0
