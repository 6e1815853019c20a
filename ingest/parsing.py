"""Reading one file, in any of the three encodings, into a ``RawDocument`` of untyped cells.

Parsers never trust their input: every failure becomes a ``Rejected`` carrying Findings, and the XLSX
reader checks the archive's size and compression ratio before it inflates anything.
"""

from __future__ import annotations

import csv
import io
import json
import operator
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePath

from pressdx.domain.datasets import META_FIELDS, OPTIONAL_META_FIELDS
from pressdx.domain.findings import Finding, error

ENCODINGS = {".csv": "csv", ".xlsx": "xlsx", ".json": "json"}
REFUSED_EXTENSIONS = {".xlsm", ".xls", ".xlsb", ".xltm", ".xlam"}
ALL_META = META_FIELDS + OPTIONAL_META_FIELDS


@dataclass(frozen=True)
class Limits:
    """Configurable in ``sources.yml`` under ``limits:``."""

    max_file_bytes: int = 20 * 1024 * 1024
    max_rows: int = 200_000
    max_xlsx_uncompressed_bytes: int = 200 * 1024 * 1024
    max_xlsx_ratio: float = 100.0

    @classmethod
    def from_config(cls, cfg: dict | None) -> Limits:
        cfg = cfg or {}
        known = {k: type(getattr(cls(), k))(v) for k, v in cfg.items() if k in cls.__dataclass_fields__}
        return cls(**known)


class Rejected(Exception):
    def __init__(self, findings: list[Finding], meta: dict | None = None):
        super().__init__("; ".join(f.message_en for f in findings))
        self.findings = findings
        self.meta = meta or {}


@dataclass
class RawDocument:
    encoding: str
    meta: dict[str, object]
    header: list[str]
    rows: list[dict[str, object]]
    findings: list[Finding] = field(default_factory=list)


def header_name(value) -> str:
    s = unicodedata.normalize("NFC", str(value if value is not None else "")).strip().lstrip("\ufeff")
    return s.lower().replace(" ", "_")


def encoding_of(name: str) -> str:
    ext = PurePath(name).suffix.lower()
    if ext in ENCODINGS:
        return ENCODINGS[ext]
    raise Rejected([error("unsupported_format", value=ext or name)])


def parse(name: str, data: bytes, limits: Limits = Limits()) -> RawDocument:
    """Parse ``data`` (the bytes of a file called ``name``); raises ``Rejected``."""
    enc = encoding_of(name)
    if len(data) > limits.max_file_bytes:
        raise Rejected([error("too_large", detail=f"{len(data):,} > {limits.max_file_bytes:,} bytes")])
    if not data.strip():
        raise Rejected([error("unreadable", detail="empty file / tệp rỗng")])
    try:
        doc = {"csv": _parse_csv, "json": _parse_json, "xlsx": _parse_xlsx}[enc](data, limits)
    except Rejected:
        raise
    except RecursionError:
        raise Rejected([error("unreadable", detail="nested too deeply / lồng quá sâu")]) from None
    except Exception as e:  # a parser library failing on hostile input is a rejection, not a crash
        raise Rejected([error("unreadable", detail=f"{type(e).__name__}: {str(e)[:120]}")]) from None
    if len(doc.rows) > limits.max_rows:
        raise Rejected([error("too_many_rows", detail=f"{len(doc.rows):,} > {limits.max_rows:,}")], doc.meta)
    return doc


# -- CSV ------------------------------------------------------------------------------------------------
def _parse_csv(data: bytes, limits: Limits) -> RawDocument:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise Rejected([error("encoding", detail=f"byte {e.start}")]) from None
    if "\x00" in text:
        raise Rejected([error("encoding", detail="NUL byte")])
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except csv.Error as e:
        raise Rejected([error("unreadable", detail=f"CSV: {e}")]) from None
    records = [r for r in records if any(c.strip() for c in r)]
    if not records:
        raise Rejected([error("unreadable", detail="no header row / không có dòng tiêu đề")])
    header = [header_name(h) for h in records[0]]
    width = len(header)
    body = records[1:]
    for n, rec in enumerate(body, start=1):
        if len(rec) > width:
            raise Rejected([error("unreadable", row=n, detail=f"{len(rec)} fields, header has {width}")])
        if len(rec) < width:
            rec.extend([""] * (width - len(rec)))
    index = {h: i for i, h in enumerate(header)}  # a repeated header name: its last column wins
    # A dataset with its own `status` column (task_progress) names the submission's status
    # `submission_status` in CSV, where metadata and data share one header.
    meta_cols = {k: k for k in ALL_META}
    if "submission_status" in header:
        meta_cols["status"] = "submission_status"
    meta: dict[str, object] = {}
    findings: list[Finding] = []
    for key, col in meta_cols.items():
        if col not in index:
            continue
        i = index[col]
        first_raw = body[0][i] if body else ""
        meta[key] = first = first_raw.strip()
        folded = unicodedata.normalize("NFC", first).casefold()
        for n, rec in enumerate(body, start=1):
            v = rec[i]
            if v != first_raw and unicodedata.normalize("NFC", v.strip()).casefold() != folded:
                findings.append(error("meta_inconsistent", row=n, column=col, value=v.strip()))
                break
    data_header = [h for h in header if h not in meta_cols.values()]
    names = list(dict.fromkeys(data_header))
    if findings:
        raise Rejected(findings, meta)
    if not names:
        return RawDocument("csv", meta, data_header, [{} for _ in body])
    pick = operator.itemgetter(*(index[h] for h in names))
    if len(names) == 1:
        rows = [{names[0]: pick(rec)} for rec in body]
    else:
        rows = [dict(zip(names, pick(rec), strict=True)) for rec in body]
    return RawDocument("csv", meta, data_header, rows)


# -- JSON -----------------------------------------------------------------------------------------------
def _parse_json(data: bytes, limits: Limits) -> RawDocument:
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as e:
        raise Rejected([error("encoding", detail=f"byte {e.start}")]) from None
    except json.JSONDecodeError as e:
        raise Rejected([error("unreadable", detail=f"JSON: {e.msg} (line {e.lineno}, column {e.colno})")]) from None
    if not isinstance(doc, dict):
        raise Rejected([error("unreadable", detail="JSON: the document must be an object")])
    meta = {k: doc[k] for k in ALL_META if k in doc and doc[k] is not None}
    rows = doc.get("rows")
    if not isinstance(rows, list):
        raise Rejected([error("column_missing", column="rows")], meta)
    header: list[str] = []
    out = []
    for n, r in enumerate(rows, start=1):
        if not isinstance(r, dict):
            raise Rejected([error("unreadable", row=n, detail="JSON: each row must be an object")], meta)
        row = {}
        for k, v in r.items():
            h = header_name(k)
            if isinstance(v, dict | list):
                raise Rejected([error("type", row=n, column=h, value=json.dumps(v, ensure_ascii=False)[:60],
                                      detail=("một giá trị đơn", "a single value"))], meta)
            row[h] = v
            if h not in header:
                header.append(h)
        out.append(row)
    return RawDocument("json", meta, header, out)


# -- XLSX -----------------------------------------------------------------------------------------------
def _check_archive(data: bytes, limits: Limits) -> bool:
    """Refuse bombs and macro workbooks before anything is inflated; tell whether any sheet has a formula."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise Rejected([error("unreadable", detail="not a valid XLSX (zip) archive")]) from None
    with zf:
        infos = zf.infolist()
        total = sum(i.file_size for i in infos)
        packed = max(1, sum(i.compress_size for i in infos))
        if total > limits.max_xlsx_uncompressed_bytes:
            raise Rejected([error("too_large", detail=f"XLSX uncompressed {total:,} bytes")])
        if total / packed > limits.max_xlsx_ratio:
            raise Rejected([error("too_large", detail=f"XLSX compression ratio {total / packed:.0f}")])
        names = {i.filename for i in infos}
        if "vbaProject.bin" in {n.rsplit("/", 1)[-1] for n in names}:
            raise Rejected([error("unsupported_format", value="xlsm (macros)")])
        if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
            raise Rejected([error("unreadable", detail="not an Excel workbook")])
        ct = zf.read("[Content_Types].xml")
        if b"macroEnabled" in ct:
            raise Rejected([error("unsupported_format", value="xlsm (macros)")])
        sheets = [n for n in names if n.startswith("xl/worksheets/") and n.endswith(".xml")]
        return any(b"<f>" in (x := zf.read(n)) or b"<f " in x for n in sheets)


def _sheet_rows(ws) -> list[list[object]]:
    return [list(r) for r in ws.iter_rows(values_only=True)]


def _parse_xlsx(data: bytes, limits: Limits) -> RawDocument:
    has_formulas = _check_archive(data, limits)
    import openpyxl  # defusedxml, when installed, hardens openpyxl's XML parsing

    wb_values = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    sheets = {s.lower(): s for s in wb_values.sheetnames}
    missing = [s for s in ("meta", "data") if s not in sheets]
    if missing:
        raise Rejected([error("unreadable", detail=f"XLSX: sheet(s) {', '.join(missing)} missing / thiếu trang tính")])
    values = {key: _sheet_rows(wb_values[sheets[key]]) for key in ("meta", "data")}
    wb_values.close()
    findings: list[Finding] = []
    if has_formulas:  # only then is a second read needed, to see formulas whose cached value is missing
        wb_formulas = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        for key in ("meta", "data"):
            forms = _sheet_rows(wb_formulas[sheets[key]])
            for ri, (vr, fr) in enumerate(zip(values[key], forms, strict=False), start=1):
                for ci, (v, f) in enumerate(zip(vr, fr, strict=False), start=1):
                    if v is None and isinstance(f, str) and f.startswith("="):
                        cell = f"{sheets[key]}!{openpyxl.utils.get_column_letter(ci)}{ri}"
                        findings.append(error("formula_without_value", row=ri - 1 if key == "data" else None,
                                              value=f[:60], detail=cell))
        wb_formulas.close()
    meta: dict[str, object] = {}
    for r in values["meta"]:
        if r and r[0] is not None and len(r) > 1:
            k = header_name(r[0])
            if k in ALL_META and r[1] is not None:
                meta[k] = r[1]
    data_rows = [r for r in values["data"] if any(c is not None and str(c).strip() for c in r)]
    if findings:
        raise Rejected(findings, meta)
    if not data_rows:
        return RawDocument("xlsx", meta, [], [])
    header = [header_name(h) for h in data_rows[0]]
    rows = []
    for r in data_rows[1:]:
        cells = list(r) + [None] * (len(header) - len(r))
        rows.append({h: c for h, c in zip(header, cells, strict=False) if h})
    return RawDocument("xlsx", meta, [h for h in header if h], rows)
