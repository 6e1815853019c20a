"""The ``pressdx`` command line (interfaces.md). User mistakes print one line and exit 2, never a traceback."""

from __future__ import annotations

import argparse
import os
import sys
from datetime import datetime
from pathlib import Path

from ingest.warehouse import ConfigError

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class Progress:
    """Progress lines on standard error when it is a terminal (or PRESSDX_PROGRESS=1)."""

    def __init__(self) -> None:
        self.enabled = sys.stderr.isatty() or os.environ.get("PRESSDX_PROGRESS") == "1"
        self.t0 = datetime.now()

    def __call__(self, msg: str) -> None:
        if self.enabled:
            secs = (datetime.now() - self.t0).total_seconds()
            print(f"[{secs:6.1f}s] {msg}", file=sys.stderr, flush=True)


def _instant(text: str) -> datetime:
    try:
        t = datetime.fromisoformat(text)
    except ValueError:
        raise ConfigError(f"--as-of {text!r} is not an ISO-8601 instant (e.g. 2024-07-10T00:00:00+07:00)") from None
    if t.tzinfo is None:
        from ingest.calendar import VN_TZ

        t = t.replace(tzinfo=VN_TZ)  # a bare local time is read as Vietnam time, as the calendar is
    return t


def _quarter(text: str | None) -> int | None:
    if text is None:
        return None
    t = text.strip().upper().removeprefix("Q")
    if t not in {"1", "2", "3", "4"}:
        raise ConfigError(f"--period {text!r}: use Q1, Q2, Q3 or Q4")
    return int(t)


def cmd_run(a) -> int:
    from ingest.pipeline import run

    progress = Progress()
    s = run(a.sources, a.warehouse, a.through, a.report, progress=progress, build=not a.no_build)
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


def cmd_kpi(a) -> int:
    from ingest import output
    from ingest.kpi import TABLE_COLUMNS, kpi
    from ingest.warehouse import WarehouseURL

    res = kpi(WarehouseURL.parse(a.warehouse), a.year, _quarter(a.period), _instant(a.as_of) if a.as_of else None)
    if a.format == "json":
        print(output.to_json(res))
    elif a.format == "csv":
        rows = [{"year": res["year"], "period": res["period"], "as_of": res["as_of"], **i} for i in res["indicators"]]
        print(output.to_csv(rows, ["year", "period", "as_of", *TABLE_COLUMNS, "min_revenue_growth_pct"]), end="")
    else:
        cols = [c for c in TABLE_COLUMNS + ["progress"] if any(i.get(c) is not None for i in res["indicators"])]
        title = f"KPI {res['period'] or str(res['year']) + ' (annual)'} as of {res['as_of']}"
        print(output.to_table(res["indicators"], cols, title))
    return EXIT_OK


def cmd_sample(a) -> int:
    from ingest.sample import generate

    out = Path(a.out)
    if out.exists() and any(out.iterdir()):
        if not a.force:
            raise ConfigError(f"{out} is not empty (use --force to replace it)")
        import shutil

        shutil.rmtree(out)
    s = generate(out, seed=a.seed, through=a.through, scale=a.scale, progress=Progress())
    print(f"sample inbox written to {out}: {s.get('files')} files, {s.get('agencies')} agencies")
    return EXIT_OK


def cmd_validate(a) -> int:
    from ingest.validate_file import validate_file

    report, ok = validate_file(Path(a.file), a.unit, a.warehouse)
    print(report)
    return EXIT_OK if ok else EXIT_FAILED


def cmd_templates(a) -> int:
    from ingest.templates import write_templates

    try:
        paths = write_templates(Path(a.out), unit_code=a.unit, period=a.period, datasets=a.dataset or None)
    except ValueError as e:
        raise ConfigError(str(e)) from None
    print(f"{len(paths)} template(s) written to {a.out}: {', '.join(p.name for p in paths)}")
    return EXIT_OK


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="pressdx", description="KPI warehouse of the Press Digital Transformation "
                                "Strategy (Decision 781/QĐ-BTTTT).")
    p.add_argument("--debug", action="store_true", help="show tracebacks")
    sub = p.add_subparsers(dest="command", required=True)
    wh_help = "warehouse URL (default: $PRESSDX_WAREHOUSE or duckdb:///var/warehouse.duckdb)"

    r = sub.add_parser("run", help="pull every source, validate, take in, build the warehouse")
    r.add_argument("--sources", required=True, help="sources.yml")
    r.add_argument("--warehouse", help=wh_help)
    r.add_argument("--through", help="last period to compute (default: the period containing today)")
    r.add_argument("--report", help="write the intake report JSON here")
    r.add_argument("--no-build", action="store_true", help="take in only; do not run dbt")
    r.set_defaults(fn=cmd_run)

    k = sub.add_parser("kpi", help="indicator figures of a period or a year")
    k.add_argument("--year", type=int, required=True)
    k.add_argument("--period", help="Q1..Q4 (default: the annual figures, i.e. Q4 with progress classes)")
    k.add_argument("--as-of", help="ISO-8601 instant: figures as they were known then")
    k.add_argument("--format", choices=("table", "json", "csv"), default="table")
    k.add_argument("--warehouse", help=wh_help)
    k.set_defaults(fn=cmd_kpi)

    s = sub.add_parser("sample", help="write the realistic sample inbox (fixed seed)")
    s.add_argument("--out", default="var/sample")
    s.add_argument("--seed", type=int, default=781)
    s.add_argument("--through", default="2025-Q4")
    s.add_argument("--scale", type=float, default=1.0)
    s.add_argument("--force", action="store_true")
    s.set_defaults(fn=cmd_sample)

    v = sub.add_parser("validate", help="check one file as intake would, taking nothing in")
    v.add_argument("file")
    v.add_argument("--unit", required=True)
    v.add_argument("--warehouse", help=wh_help + "; its registers make agency codes known")
    v.set_defaults(fn=cmd_validate)

    t = sub.add_parser("templates", help="write the XLSX templates units fill in, one per dataset")
    t.add_argument("--out", default="var/templates")
    t.add_argument("--unit", help="pre-fill this unit code (and list only its tasks in task_progress)")
    t.add_argument("--period", help="pre-fill this period (YYYY-Qn)")
    t.add_argument("--dataset", action="append", help="only this dataset (repeatable)")
    t.set_defaults(fn=cmd_templates)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.fn(args)
    except ConfigError as e:
        print(f"pressdx: {e}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("pressdx: interrupted", file=sys.stderr)
        return EXIT_FAILED
    except Exception as e:
        if args.debug:
            raise
        msg = str(e).strip().splitlines()[0] if str(e).strip() else ""
        print(f"pressdx: {type(e).__name__}: {msg} (run with --debug for details)", file=sys.stderr)
        return EXIT_FAILED


if __name__ == "__main__":
    sys.exit(main())
