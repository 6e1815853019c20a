"""One dataset's template as bytes, and every template written to a folder.

The bytes are deterministic: openpyxl would stamp the current time into the document properties and the
zip entries, so both are fixed (``FIXED_TIME``) and the same arguments always give the same file.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable
from pathlib import Path

from openpyxl import Workbook
from openpyxl.writer.excel import ExcelWriter

from ingest.templates.layout import AUTHOR, FIXED_TIME, LISTS_SHEET
from ingest.templates.sheets import data_sheet, help_sheet, meta_sheet
from ingest.templates.validation import Lists
from pressdx.domain import calendar
from pressdx.domain.datasets import DATASETS

# what a unit code may look like (the reference's codes and the registered ministries/provinces): a value
# that is not one (``=HYPERLINK(…)``, a line break) never reaches a template
UNIT_CODE = re.compile(r"[A-Z0-9][A-Z0-9_.\-]{0,39}")


def template(dataset: str, unit_code: str | None = None, period: str | None = None) -> bytes:
    """The bytes of one dataset's template (``unit_code`` / ``period`` pre-filled when given)."""
    from pressdx.domain.reference import read_seed

    ds = DATASETS[dataset]
    unit = unit_code.strip().upper() if unit_code and unit_code.strip() else None
    if unit is not None and not UNIT_CODE.fullmatch(unit):
        raise ValueError(f"--unit {unit_code.strip()[:40]!r} is not a unit code (letters, digits, '-', '_' or '.', "
                         f"starting with a letter or digit, at most 40)")
    code = None
    if period:
        code = calendar.normalise_code(period)
        if code not in calendar.by_code():
            raise ValueError(f"unknown period {period!r}: use YYYY-Qn from {calendar.period_range(' to ')}")
        if ds.periods == "q4" and not code.endswith("Q4"):
            code = None  # annual datasets belong to Y-Q4: leave it to the clerk rather than pre-fill a wrong one
    tasks = read_seed("tasks") if ds.name == "task_progress" else []
    if unit and tasks:
        led = [t for t in tasks if unit in {u.strip().upper() for u in t["lead_units"].split(";")}]
        tasks = led or tasks
    wb = Workbook()
    lists = Lists(wb)
    meta_sheet(wb, ds, lists, unit, code)
    data_sheet(wb, ds, lists, [t["task_code"] for t in tasks])
    help_sheet(wb, ds, tasks)
    if lists.ws is not None:  # keep the hidden sheet last
        wb.move_sheet(lists.ws, offset=len(wb.sheetnames) - 1 - wb.sheetnames.index(LISTS_SHEET))
    wb.active = 0
    props = wb.properties
    props.creator = props.lastModifiedBy = AUTHOR
    props.title = f"pressdx {ds.name}"
    props.created = props.modified = FIXED_TIME
    return _save(wb)


def _save(wb: Workbook) -> bytes:
    """Save without openpyxl stamping the current time, then fix every zip entry's time."""
    raw = io.BytesIO()
    ExcelWriter(wb, zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED)).save()
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def write_templates(out: Path, unit_code: str | None = None, period: str | None = None,
                    datasets: Iterable[str] | None = None) -> list[Path]:
    """Write ``<dataset>.xlsx`` for every dataset (or those named) into ``out``; returns the paths."""
    out = Path(out)
    names = list(datasets) if datasets is not None else list(DATASETS)
    unknown = [n for n in names if n not in DATASETS]
    if unknown:
        raise ValueError(f"unknown dataset(s) {', '.join(unknown)}: use {', '.join(DATASETS)}")
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for name in names:
        path = out / f"{name}.xlsx"
        path.write_bytes(template(name, unit_code, period))
        paths.append(path)
    return paths
