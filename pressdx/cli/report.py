"""``pressdx report``: the annual Strategy implementation report, or the Q2 six-month review."""

from __future__ import annotations

import sys
from enum import StrEnum
from typing import Annotated

import typer

from pressdx.cli import options
from pressdx.cli.progress import Progress
from pressdx.settings import ConfigError

app = typer.Typer()


class Lang(StrEnum):
    vi = "vi"
    en = "en"


@app.command("report")
def report_command(
    year: options.Year,
    out: Annotated[str, typer.Option("--out", metavar="DIR", help="Output directory (created if missing).")],
    half: Annotated[bool, typer.Option("--half", help="The Q2 six-month trend review instead (period YEAR-Q2).")]
    = False,
    as_of: options.AsOf = None,
    lang: Annotated[Lang, typer.Option("--lang", help="Language of the report.")] = Lang.vi,
    no_pdf: Annotated[bool, typer.Option("--no-pdf", help="Write report.html and figures.json only.")] = False,
    warehouse: options.Warehouse = None,
) -> int:
    """The annual Strategy implementation report (report.html, report.pdf, figures.json).

    Exit 1 when the PDF cannot be made (the HTML and the figures are written all the same).
    """
    from pressdx.domain.calendar import VN_TZ
    from pressdx.publishing.report import write_report
    from pressdx.publishing.report.pdf import PdfError

    url = options.warehouse_url(warehouse)
    instant = options.instant(as_of)
    options.out_folder(out, create=False)
    _check_built_through(url, f"{year}-Q{2 if half else 4}")
    folder = options.out_folder(out)
    try:
        res = write_report(url, year, folder, as_of=instant, lang=lang.value, half=half, pdf=not no_pdf,
                           progress=Progress())
    except PdfError as e:
        print(f"pressdx: report.html and figures.json written to {out}, but no PDF: {e}", file=sys.stderr)
        return 1
    files = ", ".join(p.name for p in (res.html, res.pdf, res.figures) if p)
    shown = res.as_of.astimezone(VN_TZ).replace(microsecond=0).isoformat()
    print(f"{'six-month review' if half else 'report'} {year} as of {shown} "
          f"written to {res.out}: {files}; figures sha256 {res.sha256}")
    if res.missing_marts:
        print(f"  no data (mart missing): {', '.join(res.missing_marts)}", file=sys.stderr)
    return 0


def _check_built_through(url, code: str) -> None:
    """Refuse, as ``kpi`` does, a report whose period (Q4, or Q2 for --half) the warehouse was not built
    through: it would be all "no data". A year outside the calendar is left to the report's own message."""
    from pressdx.domain import calendar
    from pressdx.figures.history import open_at

    try:
        calendar.period(code)
    except KeyError:
        return
    with open_at(url, None, history=False) as (_, build):
        through = build["through_period"]
    if through and calendar.period(through).index < calendar.period(code).index:
        raise ConfigError(f"no figures for {code}: the warehouse was built through {through} "
                          f"(`pressdx run --through {code}` builds it further)")
