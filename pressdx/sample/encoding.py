"""One submission (``Sub``) and its bytes in the three encodings of ``submissions.md``, with their variants.

CSV comes in styles a unit's software would write (BOM, ``có/không``, ``1.234.567``, ``DD/MM/YYYY``, CRLF);
XLSX archives are written with fixed zip-entry dates and document properties, so equal content gives equal
bytes; variants (NFD text, lower-case codes, padding, an extra or a dropped column, ``.xlsm``, a cut-off
archive) exercise normalisation and rejection.
"""

from __future__ import annotations

import csv
import io
import json
import os
import unicodedata
import zipfile
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from pressdx.domain.calendar import VN_TZ as VN
from pressdx.domain.calendar import Period
from pressdx.domain.datasets import DATASETS


@dataclass(frozen=True)
class Style:
    bom: bool = False
    true: str = "true"
    false: str = "false"
    group: str = ""
    dmy: bool = False
    dec_comma: bool = False
    crlf: bool = False


STYLES = {
    "csv": Style(),
    "csv_vn": Style(bom=True, true="có", false="không", group=".", dmy=True, dec_comma=True, crlf=True),
    "csv_excel": Style(bom=True, true="TRUE", false="FALSE", group=",", dmy=True, crlf=True),
    "csv_co": Style(true="co", false="khong", group="\u00a0", crlf=False),
    "csv_10": Style(true="1", false="0", group=" ", dmy=False),
}
GROUPED = {"staff_total", "staff_trained", "revenue_vnd", "revenue_2022_vnd"}


@dataclass
class Sub:
    unit: str
    dataset: str
    period: Period
    columns: tuple[str, ...]
    rows: list[tuple]
    encoding: str  # a key of STYLES, or json, xlsx
    status: str = "official"
    commentary: str | None = None
    received: datetime | None = None
    name: str = ""
    doc_unit: str | None = None  # unit_code written in the document, when it differs
    doc_period: str | None = None
    variants: tuple[str, ...] = ()  # nfd, lower_codes, pad, extra_col, drop:<column>, xlsm, truncate
    reject: str | None = None
    detail: str = ""

    @property
    def ext(self) -> str:
        if "xlsm" in self.variants:
            return "xlsm"
        return "csv" if self.encoding.startswith("csv") else self.encoding


def _fmt_int(v: int, sep: str) -> str:
    return f"{v:,}".replace(",", sep) if sep and v >= 1000 else str(v)


def _formatters(columns, dataset, style: Style):
    kinds = {c.name: c.kind for c in DATASETS[dataset].columns}
    out = []
    for name in columns:
        kind = kinds.get(name, "text")
        if kind == "bool":
            t, f = style.true, style.false
            out.append(lambda v, t=t, f=f: "" if v is None else v if isinstance(v, str) else (t if v else f))
        elif kind == "int":
            sep = style.group if name in GROUPED else ""
            out.append(lambda v, sep=sep: "" if v is None else v if isinstance(v, str) else _fmt_int(v, sep))
        elif kind == "decimal":
            dc = style.dec_comma
            out.append(lambda v, dc=dc: "" if v is None else (f"{v:g}".replace(".", ",") if dc else f"{v:g}"))
        elif kind == "date":
            if style.dmy:
                out.append(lambda v: "" if v is None else v if isinstance(v, str)
                           else f"{v.day:02d}/{v.month:02d}/{v.year}")
            else:
                out.append(lambda v: "" if v is None else v if isinstance(v, str) else v.isoformat())
        elif kind == "month":
            if style.dmy:
                out.append(lambda v: "" if v is None else f"{v.month:02d}/{v.year}")
            else:
                out.append(lambda v: "" if v is None else f"{v.year}-{v.month:02d}")
        else:
            out.append(lambda v: "" if v is None else str(v))
    return out


def _apply_variants(sub: Sub) -> tuple[tuple[str, ...], list[tuple]]:
    columns, rows = sub.columns, sub.rows
    kinds = {c.name: c.kind for c in DATASETS[sub.dataset].columns}
    for v in sub.variants:
        if v.startswith("drop:"):
            i = columns.index(v[5:])
            columns = columns[:i] + columns[i + 1:]
            rows = [r[:i] + r[i + 1:] for r in rows]
        elif v == "extra_col":
            columns = (*columns, "ghi_chu")
            rows = [(*r, "Đã đối chiếu với hồ sơ" if k % 7 == 0 else None) for k, r in enumerate(rows)]
        elif v in ("nfd", "pad", "lower_codes"):
            idx = [i for i, c in enumerate(columns)
                   if kinds.get(c) == ("code" if v == "lower_codes" else "text")]

            def tr(x, v=v):
                if not isinstance(x, str):
                    return x
                return unicodedata.normalize("NFD", x) if v == "nfd" else f" {x}  " if v == "pad" else x.lower()

            rows = [tuple(tr(x) if i in idx else x for i, x in enumerate(r)) for r in rows]
    return columns, rows


def _meta(sub: Sub) -> list[tuple[str, str]]:
    meta = [("unit_code", sub.doc_unit or sub.unit), ("dataset", sub.dataset),
            ("period", sub.doc_period or sub.period.code), ("status", sub.status)]
    if sub.commentary:
        meta.append(("commentary", sub.commentary))
    return meta


def _csv_bytes(sub: Sub) -> bytes:
    style = STYLES[sub.encoding]
    columns, rows = _apply_variants(sub)
    meta = _meta(sub)
    if "nfd" in sub.variants:
        meta = [(k, unicodedata.normalize("NFD", v)) for k, v in meta]
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n" if style.crlf else "\n")
    w.writerow([k for k, _ in meta] + list(columns))
    prefix = [v for _, v in meta]
    fmts = _formatters(columns, sub.dataset, style)
    pairs = list(zip(fmts, range(len(columns)), strict=True))
    w.writerows(prefix + [f(r[i]) for f, i in pairs] for r in rows)
    data = buf.getvalue().encode("utf-8")
    return b"\xef\xbb\xbf" + data if style.bom else data


def _json_bytes(sub: Sub) -> bytes:
    columns, rows = _apply_variants(sub)
    kinds = {c.name: c.kind for c in DATASETS[sub.dataset].columns}
    conv = []
    for c in columns:
        k = kinds.get(c)
        if k == "date":
            conv.append(lambda v: v.isoformat() if isinstance(v, date) else v)
        elif k == "month":
            conv.append(lambda v: f"{v.year}-{v.month:02d}" if isinstance(v, date) else v)
        else:
            conv.append(None)
    doc = dict(_meta(sub))
    doc.setdefault("commentary", None)
    doc["rows"] = [{c: (f(v) if f else v) for c, f, v in zip(columns, conv, r, strict=True)} for r in rows]
    big = len(rows) > 200  # indented JSON goes through the slow pure-Python encoder
    text = json.dumps(doc, ensure_ascii=False, indent=None if big else 1,
                      separators=(",", ":") if big else None)
    return (text + "\n").encode("utf-8")


class _FixedZip(zipfile.ZipFile):
    """A zip whose entries all carry one fixed date, so that equal content gives equal bytes."""

    fixed_date = (2023, 1, 1, 0, 0, 0)

    def writestr(self, zinfo_or_arcname, data, compress_type=None, compresslevel=None):
        if not isinstance(zinfo_or_arcname, zipfile.ZipInfo):
            zinfo_or_arcname = zipfile.ZipInfo(zinfo_or_arcname, date_time=self.fixed_date)
            zinfo_or_arcname.compress_type = zipfile.ZIP_DEFLATED
            zinfo_or_arcname.external_attr = 0o600 << 16
        super().writestr(zinfo_or_arcname, data, compress_type, compresslevel)

    def write(self, filename, arcname=None, compress_type=None, compresslevel=None):
        with open(filename, "rb") as f:
            self.writestr(arcname or os.path.basename(filename), f.read())


def _xlsx_bytes(sub: Sub) -> bytes:
    """A workbook as Excel saves it (dimension, shared strings, typed cells), with fixed dates inside."""
    from openpyxl import Workbook
    from openpyxl.writer.excel import ExcelWriter

    columns, rows = _apply_variants(sub)
    kinds = {c.name: c.kind for c in DATASETS[sub.dataset].columns}
    wb = Workbook()
    when = sub.received.astimezone(UTC).replace(tzinfo=None)
    wb.properties.created = when - timedelta(hours=3)
    wb.properties.modified = when
    wb.properties.creator = sub.unit
    wb.properties.lastModifiedBy = sub.unit
    meta = wb.active
    meta.title = "meta"
    for k, v in _meta(sub):
        meta.append([k, v])
    meta.column_dimensions["A"].width = 14
    meta.column_dimensions["B"].width = 60
    ws = wb.create_sheet("data")
    ws.append(list(columns))
    for r in rows:
        ws.append(r)
    for i, c in enumerate(columns, start=1):
        fmt = {"date": "dd/mm/yyyy", "month": "mm/yyyy"}.get(kinds.get(c))
        if fmt:
            for (cell,) in ws.iter_rows(min_row=2, min_col=i, max_col=i):
                cell.number_format = fmt
    ws.freeze_panes = "A2"
    buf = io.BytesIO()
    archive = _FixedZip(buf, "w", zipfile.ZIP_DEFLATED)
    archive.fixed_date = sub.received.astimezone(VN).timetuple()[:6]
    ExcelWriter(wb, archive).save()
    return buf.getvalue()


def encode(sub: Sub) -> bytes:
    if sub.encoding == "json":
        data = _json_bytes(sub)
    elif sub.encoding == "xlsx":
        data = _xlsx_bytes(sub)
    else:
        data = _csv_bytes(sub)
    if "truncate" in sub.variants:
        data = data[: len(data) * 3 // 5]
    return data

