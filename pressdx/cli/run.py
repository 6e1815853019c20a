"""``pressdx run``: pull every source, validate, take in, build the warehouse (``pressdx.jobs.run``)."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from pressdx.cli import options
from pressdx.cli.progress import Progress

app = typer.Typer()

EXIT_OK, EXIT_FAILED = 0, 1


@app.command("run")
def run_command(
    sources: Annotated[str, typer.Option("--sources", metavar="FILE",
                                         help="The sources.yml listing every unit source (docs/configuration.md).")],
    warehouse: options.Warehouse = None,
    through: options.Through = None,
    report: Annotated[str | None, typer.Option("--report", metavar="FILE",
                                               help="Also write the intake report (JSON) to this file.")] = None,
    no_build: Annotated[bool, typer.Option("--no-build", help="Take in only; do not run dbt.")] = False,
) -> int:
    """Pull every source, validate, take in, build the warehouse.

    Exit 1 when sources failed and nothing could be pulled; a rejected file is not a failure of the run.
    """
    from pressdx.jobs.run import run

    s = run(sources, warehouse, through, report, progress=Progress(), build=not no_build)
    c = s.counts()
    print(f"run {s.run_id[:8]}: pulled {c['pulled']} file(s): {c['accepted']} accepted, {c['rejected']} rejected, "
          f"{c['duplicates']} already taken in; warehouse built through {s.through}")
    for sub in s.intake.accepted:
        ws = sub.warnings
        if ws:
            more = f" (+{len(ws) - 1} more warning(s); see the intake report)" if len(ws) > 1 else ""
            print(f"  warning  {sub.item.source.unit_code}/{sub.item.path}: {ws[0].message_en}{more}")
    for sub in s.intake.rejected:
        first = sub.errors[0]
        more = f" (+{len(sub.errors) - 1} more)" if len(sub.errors) > 1 else ""
        where = f" row {first.row}" if first.row else ""
        print(f"  rejected {sub.item.source.unit_code}/{sub.item.path}{where}: {first.message_en}{more}")
    for name, err in s.source_errors.items():
        print(f"  source failed {name}: {err}", file=sys.stderr)
    return EXIT_FAILED if s.source_errors and not s.pulled else EXIT_OK
