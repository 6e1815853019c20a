"""``pressdx kpi | timeliness | tasks``: the figures of the marts, as a table, JSON or CSV.

The queries are ``pressdx.figures``; the writers are ``pressdx.publishing.formats`` (``kpi_csv``,
``kpi_table``…), the same the quarterly publication writes its files with, so ``pressdx kpi --format csv``
and the published ``kpi.csv`` have one column list. Instants are shown to the second.
"""

from __future__ import annotations

from typing import Annotated

import typer

from pressdx.cli import options
from pressdx.cli.options import OutputFormat
from pressdx.settings import ConfigError

app = typer.Typer()


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
                history: Annotated[bool, typer.Option(
                    "--history", help="Every version of the period's figures, each with the instants it held "
                    "for and the submission whose arrival made it.")] = False,
                format: options.Format = OutputFormat.table, warehouse: options.Warehouse = None) -> int:
    """Indicator figures of a period, or of a year (without --period: Q4 with progress classes)."""
    from pressdx.figures import kpi
    from pressdx.publishing import formats

    url = options.warehouse_url(warehouse)
    if history:
        if as_of is not None:
            raise ConfigError("--history lists every version of the figures; leave out --as-of")
        _print(kpi.history(url, year, options.quarter(period)), format, formats.kpi_history_csv,
               formats.kpi_history_table)
        return 0
    res = kpi.kpi(url, year, options.quarter(period), options.instant(as_of))
    _print(res, format, formats.kpi_csv, formats.kpi_table)
    return 0


@app.command("timeliness")
def timeliness_command(year: options.Year, period: options.Period = None, as_of: options.AsOf = None,
                       format: options.Format = OutputFormat.table, warehouse: options.Warehouse = None) -> int:
    """Expected submissions and their state, and reporting rates per unit (without --period: every period)."""
    from pressdx.figures.timeliness import timeliness
    from pressdx.publishing import formats

    res = timeliness(options.warehouse_url(warehouse), year, options.quarter(period), options.instant(as_of))
    _print(res, format, formats.timeliness_csv, formats.timeliness_table)
    return 0


@app.command("tasks")
def tasks_command(year: options.Year, as_of: options.AsOf = None, format: options.Format = OutputFormat.table,
                  warehouse: options.Warehouse = None) -> int:
    """Action-plan task instances of a year and their status."""
    from pressdx.figures.tasks import tasks
    from pressdx.publishing import formats

    res = tasks(options.warehouse_url(warehouse), year, options.instant(as_of))
    _print(res, format, formats.tasks_csv, formats.tasks_table)
    return 0
