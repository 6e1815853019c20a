"""Publishing the reports: the 6-month trend review (after the Q2 due instant) and the annual Strategy report.

The renderer (``pressdx.publishing.report``) writes each language's ``figures.json``, ``report.html`` and
``report.pdf``; this module puts them into their publication folder with a manifest that records the
as-of instant and the report's hash (the SHA-256 of its canonical ``figures.json``, reproducible), so a
published report can be regenerated later and checked. The HTML and PDF carry their generation time,
so their own hashes change from one rendering to the next.
"""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path
from typing import Any

from pressdx.domain import calendar
from pressdx.domain.calendar import Due
from pressdx.publishing.due_figures import last_build
from pressdx.publishing.store import published_root, write_manifest
from pressdx.warehouse.connection import WarehouseURL

log = logging.getLogger(__name__)

REPORT_LANGS = ("vi", "en")


def publish_report(url: WarehouseURL | str, year: int, folder: Path, as_of: datetime, *, half: bool = False,
                   langs: tuple[str, ...] = REPORT_LANGS, meta: dict[str, Any] | None = None) -> dict[str, Any]:
    """Render the annual report of ``year`` (or, ``half``, its 6-month trend review) as of ``as_of``.

    ``pressdx.publishing.report.write_report`` writes ``<lang>/figures.json``, ``report.html`` and ``report.pdf`` for
    each language into ``folder``; then ``manifest.json`` records the as-of instant, the report's hash
    (the SHA-256 of its canonical ``figures.json``, printed in the report) and each file's SHA-256.
    Re-rendering the same as-of instant gives the same ``figures.json`` and report hash; the HTML and PDF
    also carry their generation time, so their own hashes change.
    """
    from pressdx.publishing.report import write_report

    url = url if isinstance(url, WarehouseURL) else WarehouseURL.parse(url)
    kind, period = ("trend_review", f"{year}-Q2") if half else ("annual_report", f"{year}-Q4")
    build = last_build(url)
    fresh = build is not None and build["as_of"] == as_of
    folder.mkdir(parents=True, exist_ok=True)
    hashes = set()
    for lang in langs:
        res = write_report(url, year, folder / lang, as_of=None if fresh else as_of, lang=lang, half=half)
        if res.as_of != as_of:  # the marts were rebuilt meanwhile: read them as of as_of (history)
            res = write_report(url, year, folder / lang, as_of=as_of, lang=lang, half=half)
        if res.missing_marts:
            log.warning("%s %d (%s): marts missing, sections left out: %s", kind, year, lang,
                        ", ".join(res.missing_marts))
        hashes.add(res.sha256)
    if len(hashes) != 1:
        raise RuntimeError(f"the {kind} of {year} has different figures in {', '.join(langs)}: {sorted(hashes)}")
    manifest = write_manifest(folder, {
        "publication": folder.name if not half else f"{period}/{folder.name}", "kind": kind,
        "period": period, "year": year, "as_of": as_of.astimezone(calendar.VN_TZ).isoformat(),
        "report_sha256": hashes.pop(), "languages": list(langs), **(meta or {})})
    log.info("%s %d as of %s (report hash %s) in %s", kind, year, manifest["as_of"], manifest["report_sha256"],
             folder)
    return manifest


def trend_review(url: WarehouseURL | str, due: Due, root: Path | None = None,
                 langs: tuple[str, ...] = REPORT_LANGS) -> dict[str, Any]:
    """The 6-month trend review of year Y as of the Q2 due instant: ``published/Y-Q2/trend-review/``."""
    if due.quarter != 2 or due.kind != "quarterly":
        raise ValueError(f"the trend review is made at the Q2 due instant, not for {due.publication}")
    folder = (root or published_root()) / due.publication / "trend-review"
    return publish_report(url, due.year, folder, due.as_of, half=True, langs=langs)


def annual_report(url: WarehouseURL | str, year: int, as_of: datetime, root: Path | None = None,
                  langs: tuple[str, ...] = REPORT_LANGS) -> dict[str, Any]:
    """The annual Strategy implementation report of ``year`` as of ``as_of``: ``published/Y-annual-report/``."""
    folder = (root or published_root()) / f"{year}-annual-report"
    return publish_report(url, year, folder, as_of, langs=langs)
