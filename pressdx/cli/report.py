"""``pressdx report``: the annual Strategy implementation report, or the Q2 six-month review."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from pressdx.cli import options
from pressdx.cli.progress import Progress

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

    try:
        res = write_report(options.warehouse_url(warehouse), year, Path(out), as_of=options.instant(as_of),
                           lang=lang.value, half=half, pdf=not no_pdf, progress=Progress())
    except PdfError as e:
        print(f"pressdx: report.html and figures.json written to {out}, but no PDF: {e}", file=sys.stderr)
        return 1
    files = ", ".join(p.name for p in (res.html, res.pdf, res.figures) if p)
    print(f"{'six-month review' if half else 'report'} {year} as of {res.as_of.astimezone(VN_TZ).isoformat()} "
          f"written to {res.out}: {files}; figures sha256 {res.sha256}")
    if res.missing_marts:
        print(f"  no data (mart missing): {', '.join(res.missing_marts)}", file=sys.stderr)
    return 0
