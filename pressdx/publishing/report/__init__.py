"""The annual Strategy implementation report (action-plan task VI.2) and the Q2 six-month trend review.

``write_report(url, year, out, as_of=None, lang="vi", half=False)`` writes into ``out``:

- ``figures.json``: the canonical JSON of every figure the report shows (``pressdx.figures.report``); its
  SHA-256 is the report's hash, printed in the report;
- ``report.html``: one self-contained file (styles and SVG charts inlined);
- ``report.pdf``: the same page printed by WeasyPrint (``pressdx.publishing.report.pdf``).

The report records its as-of instant; ``as_of=<that instant>`` regenerates the same figures, hence the same
hash, whatever was revised since. See docs/report.md.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from pressdx.figures.report import Report, canonical_json, collect, figures_sha256
from pressdx.warehouse.connection import WarehouseURL

__all__ = ["ReportResult", "Report", "canonical_json", "collect", "figures_sha256", "write_report"]


@dataclass
class ReportResult:
    out: Path
    html: Path
    pdf: Path | None
    figures: Path
    sha256: str
    as_of: datetime
    missing_marts: list[str]
    timings: dict[str, float] = field(default_factory=dict)


def write_report(url: WarehouseURL | str | None, year: int, out: Path | str, *, as_of: datetime | None = None,
                 lang: str = "vi", half: bool = False, pdf: bool = True, progress=None) -> ReportResult:
    from pressdx.publishing.report.pdf import html_to_pdf
    from pressdx.publishing.report.render import render_html

    url = url if isinstance(url, WarehouseURL) else WarehouseURL.parse(url)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    if progress:
        progress(f"reading figures for {year}{' (first half)' if half else ''}"
                 + (f" as of {as_of.isoformat()} (an as-of build may run dbt)" if as_of else ""))
    rep = collect(url, year, as_of, half)
    timings["figures_s"] = time.perf_counter() - t0
    data = canonical_json(rep.figures)
    sha = figures_sha256(rep.figures)
    (out / "figures.json").write_bytes(data)
    t1 = time.perf_counter()
    html = out / "report.html"
    html.write_text(render_html(rep, lang, sha), encoding="utf-8")
    timings["html_s"] = time.perf_counter() - t1
    pdf_path = None
    if pdf:
        if progress:
            progress("printing report.pdf (WeasyPrint)")
        t2 = time.perf_counter()
        pdf_path = html_to_pdf(html, out / "report.pdf")
        timings["pdf_s"] = time.perf_counter() - t2
    timings["total_s"] = time.perf_counter() - t0
    return ReportResult(out, html, pdf_path, out / "figures.json", sha, rep.as_of, rep.missing_marts, timings)
