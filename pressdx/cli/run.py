"""``pressdx run``: pull every source, validate, take in, build the warehouse (``pressdx.jobs.run``)."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from pressdx.cli import options
from pressdx.cli.progress import Progress
from pressdx.domain.calendar import VN_TZ

app = typer.Typer()

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


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

    Exit 1 when sources failed and nothing could be pulled, 2 when that is because a source's configuration
    is wrong (its token variable unset, a bad url, a missing folder); each failed source is one line on
    standard error. A rejected file is not a failure of the run.
    """
    from pressdx.jobs.run import run

    options.warehouse_url(warehouse)  # a wrong URL or file is told before anything is pulled
    if report:
        options.new_file(report, "--report")
    s = run(sources, warehouse, through, report, progress=Progress(), build=not no_build)
    c = s.counts()
    if no_build:
        built = "not built (--no-build)"
    elif s.built:
        built = f"warehouse built through {s.through}"
        if s.scope:
            built += f" ({s.scope['models']} of {s.scope['of_models']} models rebuilt: new {', '.join(s.scope['datasets'])})"
    else:
        kept = s.built_as_of.astimezone(VN_TZ).isoformat(timespec="seconds") if s.built_as_of else "?"
        built = f"nothing new: warehouse as of {kept} kept, through {s.through}"
    print(f"run {s.run_id[:8]}: pulled {c['pulled']} file(s): {c['accepted']} accepted, {c['rejected']} rejected, "
          f"{c['duplicates']} already taken in; {built}")
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
    misconfigured = False
    for name, err in s.source_errors.items():
        kind, _, reason = err.partition(": ")  # "<exception class>: <reason>" (pressdx.jobs.pull)
        reason = reason or err
        misconfigured = misconfigured or kind == "ConfigError"
        said = reason if reason.startswith(f"source {name}") else f"source {name} failed: {reason}"
        print(f"pressdx: {said}", file=sys.stderr)
    if s.source_errors and not s.pulled:  # nothing to take in: the user's to fix, or a failure
        return EXIT_USAGE if misconfigured else EXIT_FAILED
    return EXIT_OK
