"""The ``pressdx`` command line (interfaces.md). User mistakes print one line and exit 2, never a traceback."""

from __future__ import annotations

import argparse
import os
import sys
from datetime import datetime
from pathlib import Path

from pressdx.settings import ConfigError

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
        from pressdx.domain.calendar import VN_TZ

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
    from pressdx.jobs.pipeline import run

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
    from pressdx.figures.kpi import TABLE_COLUMNS, kpi
    from pressdx.publishing import formats as output
    from pressdx.warehouse.connection import WarehouseURL

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


def cmd_timeliness(a) -> int:
    from pressdx.figures.timeliness import EXPECTED_COLUMNS, UNIT_COLUMNS, timeliness
    from pressdx.publishing import formats as output
    from pressdx.warehouse.connection import WarehouseURL

    res = timeliness(WarehouseURL.parse(a.warehouse), a.year, _quarter(a.period),
                     _instant(a.as_of) if a.as_of else None)
    if a.format == "json":
        print(output.to_json(res))
    elif a.format == "csv":
        rows = [{"year": res["year"], "as_of": res["as_of"], **e} for e in res["expected"]]
        print(output.to_csv(rows, ["year", "as_of", *EXPECTED_COLUMNS]), end="")
    else:
        scope = res["period"] or f"{res['year']} (every period)"
        print(output.to_table(res["units"], UNIT_COLUMNS, f"Reporting rates {scope} as of {res['as_of']}"))
        print()
        print(output.to_table(res["expected"], EXPECTED_COLUMNS, "Expected submissions"))
    return EXIT_OK


def cmd_tasks(a) -> int:
    from pressdx.figures.tasks import TASK_COLUMNS, tasks
    from pressdx.publishing import formats as output
    from pressdx.warehouse.connection import WarehouseURL

    res = tasks(WarehouseURL.parse(a.warehouse), a.year, _instant(a.as_of) if a.as_of else None)
    if a.format == "json":
        print(output.to_json(res))
    elif a.format == "csv":
        rows = [{"as_of": res["as_of"], **t} for t in res["tasks"]]
        print(output.to_csv(rows, ["as_of", *TASK_COLUMNS]), end="")
    else:
        print(output.to_table(res["tasks"], TASK_COLUMNS, f"Action-plan tasks {res['year']} as of {res['as_of']}"))
    return EXIT_OK


def cmd_grant_bi(a) -> int:
    from pressdx.warehouse.roles import grant_bi_reader

    done = grant_bi_reader(a.warehouse, role=a.role)
    print(f"role {done['role']} ({'created, ' if done['created'] else ''}{'login' if done['login'] else 'nologin'}): "
          f"select on {', '.join(done['granted']) or 'nothing (no marts schema yet)'}; "
          f"revoked on {', '.join(done['revoked']) or 'nothing'}")
    return EXIT_OK


def cmd_report(a) -> int:
    from pressdx.publishing.report import write_report
    from pressdx.publishing.report.pdf import PdfError
    from pressdx.warehouse.connection import WarehouseURL

    try:
        res = write_report(WarehouseURL.parse(a.warehouse), a.year, Path(a.out),
                           as_of=_instant(a.as_of) if a.as_of else None, lang=a.lang, half=a.half,
                           pdf=not a.no_pdf, progress=Progress())
    except PdfError as e:
        print(f"pressdx: report.html and figures.json written to {a.out}, but no PDF: {e}", file=sys.stderr)
        return EXIT_FAILED
    from pressdx.domain.calendar import VN_TZ

    files = ", ".join(p.name for p in (res.html, res.pdf, res.figures) if p)
    print(f"{'six-month review' if a.half else 'report'} {a.year} as of {res.as_of.astimezone(VN_TZ).isoformat()} "
          f"written to {res.out}: {files}; figures sha256 {res.sha256}")
    if res.missing_marts:
        print(f"  no data (mart missing): {', '.join(res.missing_marts)}", file=sys.stderr)
    return EXIT_OK


def cmd_sample(a) -> int:
    from pressdx.sample.generator import generate

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

    tl = sub.add_parser("timeliness", help="expected submissions and their state, per unit")
    tl.add_argument("--year", type=int, required=True)
    tl.add_argument("--period", help="Q1..Q4 (default: every period of the year)")
    tl.add_argument("--as-of", help="ISO-8601 instant: states as they were then")
    tl.add_argument("--format", choices=("table", "json", "csv"), default="table")
    tl.add_argument("--warehouse", help=wh_help)
    tl.set_defaults(fn=cmd_timeliness)

    tk = sub.add_parser("tasks", help="action-plan task instances and their status")
    tk.add_argument("--year", type=int, required=True)
    tk.add_argument("--as-of", help="ISO-8601 instant: status as known then")
    tk.add_argument("--format", choices=("table", "json", "csv"), default="table")
    tk.add_argument("--warehouse", help=wh_help)
    tk.set_defaults(fn=cmd_tasks)

    g = sub.add_parser("grant-bi", help="create/refresh the read-only BI role on a PostgreSQL warehouse "
                       "(LOGIN with $PRESSDX_BI_PASSWORD when set)")
    g.add_argument("--role", default="pressdx_bi")
    g.add_argument("--warehouse", help=wh_help)
    g.set_defaults(fn=cmd_grant_bi)

    rp = sub.add_parser("report", help="the annual Strategy implementation report (report.html, report.pdf, "
                        "figures.json)")
    rp.add_argument("--year", type=int, required=True)
    rp.add_argument("--half", action="store_true", help="the Q2 six-month trend review instead (period YEAR-Q2)")
    rp.add_argument("--as-of", help="ISO-8601 instant: the figures as known then (the instant a report records)")
    rp.add_argument("--lang", choices=("vi", "en"), default="vi")
    rp.add_argument("--out", required=True, help="output directory")
    rp.add_argument("--no-pdf", action="store_true", help="write report.html and figures.json only")
    rp.add_argument("--warehouse", help=wh_help)
    rp.set_defaults(fn=cmd_report)

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
