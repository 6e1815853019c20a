"""Reading one file, in any of the three encodings, into a ``RawDocument`` of untyped cells.

Parsers never trust their input: every failure becomes a ``Rejected`` carrying Findings, and the XLSX
reader checks the archive's size and compression ratio before it inflates anything.
"""

from __future__ import annotations

import csv
import io
import json
import operator
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePath

from ingest.layout import ALL_META, Layout
from pressdx.domain.datasets import DATASETS, STATUSES
from pressdx.domain.findings import Finding, error

ENCODINGS = {".csv": "csv", ".xlsx": "xlsx", ".json": "json"}
REFUSED_EXTENSIONS = {".xlsm", ".xls", ".xlsb", ".xltm", ".xlam"}


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
    """The file is rejected. ``document`` is what could still be read (``None`` when nothing could), so that
    intake goes on checking every row and the clerk gets every mistake in one round."""

    def __init__(self, findings: list[Finding], meta: dict | None = None, document: RawDocument | None = None):
        super().__init__("; ".join(f.message_en for f in findings))
        self.findings = findings
        self.meta = meta or {}
        self.document = document


@dataclass
class RawDocument:
    """``rows`` of untyped cells; ``lines[i]`` is where ``rows[i]`` is in the file (see ``Finding.row``)."""

    encoding: str
    meta: dict[str, object]
    header: list[str]
    rows: list[dict[str, object]]
    findings: list[Finding] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    layout: Layout | None = None

    def __post_init__(self) -> None:
        if not self.lines:
            self.lines = list(range(1, len(self.rows) + 1))
        if self.layout is None:
            self.layout = Layout(self.encoding)


def header_name(value) -> str:
    s = unicodedata.normalize("NFC", str(value if value is not None else "")).strip().lstrip("\ufeff")
    return s.lower().replace(" ", "_")


def encoding_of(name: str) -> str:
    ext = PurePath(name).suffix.lower()
    if ext in ENCODINGS:
        return ENCODINGS[ext]
    raise Rejected([error("unsupported_format", value=ext or name)])


def _n(n: int, locale: str) -> str:
    from babel.numbers import format_decimal

    return format_decimal(n, locale=locale)


def parse(name: str, data: bytes, limits: Limits = Limits()) -> RawDocument:
    """Parse ``data`` (the bytes of a file called ``name``); raises ``Rejected``.

    A file that can be read but has mistakes (a formula without its value, a line with too many fields,
    metadata that differs between rows, a repeated column) raises ``Rejected`` carrying the document read
    despite them, so that every other check still runs on it.
    """
    enc = encoding_of(name)
    if len(data) > limits.max_file_bytes:
        raise Rejected([error("too_large", detail=(f"{_n(len(data), 'vi')} byte > {_n(limits.max_file_bytes, 'vi')} byte",
                                                   f"{_n(len(data), 'en')} > {_n(limits.max_file_bytes, 'en')} bytes"))])
    if not data.strip():
        raise Rejected([error("unreadable", detail=("tệp rỗng", "the file is empty"))])
    try:
        doc = {"csv": _parse_csv, "json": _parse_json, "xlsx": _parse_xlsx}[enc](data, limits)
    except Rejected as r:
        if r.document is not None and len(r.document.rows) > limits.max_rows:
            raise _too_many_rows(len(r.document.rows), limits, r.meta) from None
        raise
    except _RowLimit:
        raise _too_many_rows(None, limits, {}) from None
    except RecursionError:
        raise Rejected([error("unreadable", detail=("dữ liệu lồng nhau quá sâu", "nested too deeply"))]) from None
    except MemoryError:
        raise Rejected([error("too_large", detail=("tệp cần quá nhiều bộ nhớ để đọc",
                                                   "the file needs too much memory to read"))]) from None
    except Exception as e:  # a parser library failing on hostile input is a rejection, not a crash
        raise Rejected([error("unreadable", detail=("tệp bị hỏng hoặc không đúng định dạng",
                                                    f"damaged or not in the expected format: {str(e)[:120]}"))]) from None
    if len(doc.rows) > limits.max_rows:
        raise _too_many_rows(len(doc.rows), limits, doc.meta)
    return doc


def _too_many_rows(n: int | None, limits: Limits, meta: dict) -> Rejected:
    """``n``: the rows counted, or ``None`` when reading stopped at the limit (the rest is never read)."""
    if n is None:
        return Rejected([error("too_many_rows", detail=(f"hơn {_n(limits.max_rows, 'vi')} dòng",
                                                        f"more than {_n(limits.max_rows, 'en')} rows"))], meta)
    return Rejected([error("too_many_rows", detail=(f"{_n(n, 'vi')} dòng > {_n(limits.max_rows, 'vi')}",
                                                    f"{_n(n, 'en')} rows > {_n(limits.max_rows, 'en')}"))], meta)


class _RowLimit(Exception):
    """Raised by a reader that met more rows than the limit: it stops reading there (memory stays bounded)."""


def _done(doc: RawDocument) -> RawDocument:
    if any(f.severity == "error" for f in doc.findings):
        raise Rejected(doc.findings, doc.meta, doc)
    return doc


# -- CSV ------------------------------------------------------------------------------------------------
def _positions(ns: list[int]) -> tuple[str, str]:
    """Column positions (1-based) as text: ``cột thứ 4 và thứ 7`` / ``columns 4 and 7``."""
    vi = "cột " + " và ".join(f"thứ {n}" for n in ns)
    en = "columns " + ", ".join(map(str, ns[:-1])) + f" and {ns[-1]}"
    return vi, en


def _records(text: str, max_records: int) -> list[tuple[int, list[str]]]:
    """The non-empty records with the line each starts on (a quoted newline makes a record span lines).

    Counted while reading: past ``max_records`` it stops (``_RowLimit``), so 20 MiB of one-character lines
    never become ten million lists.
    """
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    out: list[tuple[int, list[str]]] = []
    start = 1
    try:
        for rec in reader:
            if any(c.strip() for c in rec):
                if len(out) >= max_records:
                    raise _RowLimit
                out.append((start, rec))
            start = reader.line_num + 1
    except csv.Error as e:
        n = reader.line_num
        raise Rejected([error("unreadable", detail=(
            f"CSV hỏng ở dòng {n}: dấu ngoặc kép không khớp hoặc tệp bị cắt cụt", f"broken CSV at line {n}: {e}"))]) from None
    return out


def _is_status(values: list[str]) -> bool:
    return bool(values) and all(v.strip().casefold() in STATUSES for v in values)


def _parse_csv(data: bytes, limits: Limits) -> RawDocument:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise Rejected([error("encoding", detail=(f"ký tự không hợp lệ ở vị trí {e.start}",
                                                  f"invalid byte at position {e.start}"))]) from None
    if "\x00" in text:
        raise Rejected([error("encoding", detail=("có ký tự NUL", "a NUL byte"))])
    records = _records(text, limits.max_rows + 1)  # the header and at most max_rows records
    if not records:
        raise Rejected([error("unreadable", detail=("không có dòng tiêu đề", "no header row"))])
    header_line, raw_header = records[0]
    header = [header_name(h) for h in raw_header]
    width = len(header)
    findings: list[Finding] = []
    body: list[tuple[int, list[str]]] = []
    for line, rec in records[1:]:
        if len(rec) > width:  # its cells cannot be matched to the header: reported, left out of the checks
            findings.append(error("too_many_fields", row=line, value=len(rec), detail=str(width)))
            continue
        body.append((line, rec + [""] * (width - len(rec))))
    where: dict[str, list[int]] = {}
    for i, h in enumerate(header):
        if h:
            where.setdefault(h, []).append(i)
    index = {h: ps[-1] for h, ps in where.items()}  # a repeated header name: its last column wins
    meta_cols = {k: k for k in ALL_META}
    ds_cell = body[0][1][index["dataset"]] if body and "dataset" in index else ""
    ds = DATASETS.get(ds_cell.strip().lower())
    own_status = ds is not None and "status" in ds.column_names  # task_progress: `status` is the task's
    told: set[str] = set()  # repeated names already explained by a finding of their own
    if "submission_status" in index:
        meta_cols["status"] = "submission_status"
    elif own_status and "status" in where:
        ps = where["status"]
        looks_meta = [p for p in ps if _is_status([rec[p] for _, rec in body])]
        if len(ps) > 1:
            vi, en = _positions([p + 1 for p in ps])
            if len(looks_meta) == 1:
                vi, en = (f"{vi}; cột thứ {looks_meta[0] + 1} chứa provisional/official",
                          f"{en}; column {looks_meta[0] + 1} holds provisional/official")
            findings.append(error("status_column_twice", column="status", detail=(vi, en)))
            told.add("status")
            meta_at = looks_meta[0] if len(looks_meta) == 1 else ps[0]
            index["submission_status"] = meta_at
            index["status"] = next(p for p in reversed(ps) if p != meta_at)
            meta_cols["status"] = "submission_status"
        elif looks_meta:  # the only `status` holds provisional/official: it is the submission's
            findings.append(error("submission_status_column", column="status", value=ds.name, detail=(
                "Hãy đổi tên cột 'status' này thành 'submission_status' và thêm cột 'status' của dữ liệu.",
                "Rename this 'status' column 'submission_status' and add the data's own 'status' column.")))
            index["submission_status"] = index.pop("status")
            meta_cols["status"] = "submission_status"
        else:  # it is the data's: the submission's status is missing
            findings.append(error("submission_status_column", column="status", value=ds.name, detail=(
                "Hãy thêm cột 'submission_status'.", "Add a 'submission_status' column.")))
            del meta_cols["status"]
    for h, ps in where.items():
        if len(ps) > 1 and h not in told:
            findings.append(error("column_repeated", column=h, detail=_positions([p + 1 for p in ps])))
    meta: dict[str, object] = {}
    for key, col in meta_cols.items():
        if col not in index:
            continue
        i = index[col]
        first_raw = body[0][1][i] if body else ""
        meta[key] = first = first_raw.strip()
        folded = unicodedata.normalize("NFC", first).casefold()
        for line, rec in body:
            v = rec[i]
            if v != first_raw and unicodedata.normalize("NFC", v.strip()).casefold() != folded:
                findings.append(error("meta_inconsistent", row=line, column=col, value=v.strip()))
    meta_names = {meta_cols[k] for k in meta_cols if meta_cols[k] in index}
    names = [h for h in index if h not in meta_names]
    layout = Layout("csv", header_row=header_line, meta_cells={k: raw_header[index[c]].strip() for k, c in meta_cols.items()
                                                                if c in index})
    lines = [line for line, _ in body]
    if not names:
        rows: list[dict[str, object]] = [{} for _ in body]
    else:
        pick = operator.itemgetter(*(index[h] for h in names))
        if len(names) == 1:
            rows = [{names[0]: pick(rec)} for _, rec in body]
        else:
            rows = [dict(zip(names, pick(rec), strict=True)) for _, rec in body]
    data_header = [h for h in header if h and h not in meta_names and h in names]
    return _done(RawDocument("csv", meta, list(dict.fromkeys(data_header)), rows, findings, lines, layout))


# -- JSON -----------------------------------------------------------------------------------------------
_JSON_KIND = {list: ("một mảng", "an array"), str: ("một chuỗi", "a string"), bool: ("một giá trị đúng/sai", "a boolean"),
              int: ("một số", "a number"), float: ("một số", "a number"), type(None): ("null", "null")}


# ``\u0000`` and lone surrogates are the only ways a JSON text can smuggle a NUL or invalid Unicode into a
# string (raw control characters are a syntax error): looked for in the bytes, so a clean file costs one scan.
_SUSPECT_ESCAPE = re.compile(rb"\\u(?:0000|[dD][89a-fA-F][0-9a-fA-F]{2})")
_NUL_FINDING = ("có ký tự NUL (\\u0000) trong một chuỗi", "a NUL character (\\u0000) in a string")


def _bad_text(s: str) -> tuple[str, str] | None:
    """Why ``s`` cannot be stored as text on both engines (PostgreSQL refuses NUL; UTF-8 refuses surrogates)."""
    if "\x00" in s:
        return _NUL_FINDING
    try:
        s.encode("utf-8")
    except UnicodeEncodeError as e:
        return (f"ký tự Unicode không hợp lệ (nửa cặp thay thế U+{ord(s[e.start]):04X})",
                f"invalid Unicode (a lone surrogate U+{ord(s[e.start]):04X})")
    return None


def _check_json_text(doc) -> None:
    """Every key and string of ``doc`` is storable text, or the file is rejected with an encoding error."""
    stack = [doc]
    while stack:
        v = stack.pop()
        if isinstance(v, dict):
            stack.extend(v.keys())
            stack.extend(v.values())
        elif isinstance(v, list):
            stack.extend(v)
        elif isinstance(v, str) and (why := _bad_text(v)):
            raise Rejected([error("encoding", detail=why)])


def _parse_json(data: bytes, limits: Limits) -> RawDocument:
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as e:
        raise Rejected([error("encoding", detail=(f"ký tự không hợp lệ ở vị trí {e.start}",
                                                  f"invalid byte at position {e.start}"))]) from None
    except json.JSONDecodeError as e:
        raise Rejected([error("unreadable", detail=(f"JSON sai cú pháp ở dòng {e.lineno}, cột {e.colno}",
                                                    f"JSON: {e.msg} (line {e.lineno}, column {e.colno})"))]) from None
    if _SUSPECT_ESCAPE.search(data):
        _check_json_text(doc)
    if not isinstance(doc, dict):
        raise Rejected([error("unreadable", detail=("tài liệu JSON phải là một đối tượng {…}",
                                                    "a JSON document must be an object {…}"))])
    meta = {k: doc[k] for k in ALL_META if k in doc and doc[k] is not None}
    rows = doc.get("rows")
    if not isinstance(rows, list):
        raise Rejected([error("column_missing", column="rows")], meta)
    header: list[str] = []
    out, lines = [], []
    findings: list[Finding] = []
    for n, r in enumerate(rows):
        if not isinstance(r, dict):
            findings.append(error("row_not_object", row=n, detail=_JSON_KIND.get(type(r), ("một giá trị", "a value"))))
            continue
        row = {}
        for k, v in r.items():
            h = header_name(k)
            if isinstance(v, dict | list):
                findings.append(error("type", row=n, column=h, value=json.dumps(v, ensure_ascii=False)[:60],
                                      detail=("một giá trị đơn", "a single value")))
                v = None
            row[h] = v
            if h not in header:
                header.append(h)
        out.append(row)
        lines.append(n)
    return _done(RawDocument("json", meta, header, out, findings, lines, Layout("json")))


# -- XLSX -----------------------------------------------------------------------------------------------
def _check_archive(data: bytes, limits: Limits) -> bool:
    """Refuse bombs and macro workbooks before anything is inflated; tell whether any sheet has a formula."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise Rejected([error("unreadable", detail=("không phải tệp XLSX hợp lệ: tệp nén ZIP bị hỏng hoặc bị cắt cụt",
                                                    "not a valid XLSX (ZIP) archive"))]) from None
    with zf:
        infos = zf.infolist()
        total = sum(i.file_size for i in infos)
        packed = max(1, sum(i.compress_size for i in infos))
        if total > limits.max_xlsx_uncompressed_bytes:
            raise Rejected([error("too_large", detail=(f"XLSX khi giải nén {_n(total, 'vi')} byte",
                                                       f"XLSX uncompressed {_n(total, 'en')} bytes"))])
        if total / packed > limits.max_xlsx_ratio:
            raise Rejected([error("too_large", detail=(f"tỷ lệ nén của XLSX {total / packed:.0f}",
                                                       f"XLSX compression ratio {total / packed:.0f}"))])
        names = {i.filename for i in infos}
        if "vbaProject.bin" in {n.rsplit("/", 1)[-1] for n in names}:
            raise Rejected([error("unsupported_format", value=".xlsm")])
        if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
            raise Rejected([error("unreadable", detail=("không phải sổ tính Excel", "not an Excel workbook"))])
        ct = zf.read("[Content_Types].xml")
        if b"macroEnabled" in ct:
            raise Rejected([error("unsupported_format", value=".xlsm")])
        sheets = [n for n in names if n.startswith("xl/worksheets/") and n.endswith(".xml")]
        return any(b"<f>" in (x := zf.read(n)) or b"<f " in x for n in sheets)


def _sheet_rows(ws, limits: Limits) -> list[list[object]]:
    """The rows of a sheet, read as a stream and counted while read: past the row limit reading stops.

    Blank rows count too, beyond a margin (a sheet of a million empty rows is refused as fast as a full one),
    and every text cell is checked for what no warehouse can store (NUL, invalid Unicode)."""
    out: list[list[object]] = []
    filled = 0
    cap_all = 2 * limits.max_rows + 1000
    for r in ws.iter_rows(values_only=True):
        row = list(r)
        if _filled(row):
            filled += 1
            for c in row:
                if type(c) is str and (why := _bad_text(c)):
                    raise Rejected([error("encoding", detail=why)])
        if filled > limits.max_rows + 1 or len(out) >= cap_all:  # + 1: the header row
            raise _RowLimit
        out.append(row)
    return out


def _filled(r: list[object]) -> bool:
    return any(c is not None and str(c).strip() for c in r)


def _parse_xlsx(data: bytes, limits: Limits) -> RawDocument:
    has_formulas = _check_archive(data, limits)
    import openpyxl  # defusedxml, when installed, hardens openpyxl's XML parsing
    from openpyxl.utils import get_column_letter

    wb_values = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    sheets = {s.lower(): s for s in wb_values.sheetnames}
    missing = [s for s in ("meta", "data") if s not in sheets]
    if missing:
        raise Rejected([error("unreadable", detail=(f"thiếu trang tính {', '.join(missing)}",
                                                    f"sheet(s) {', '.join(missing)} missing"))])
    values = {key: _sheet_rows(wb_values[sheets[key]], limits) for key in ("meta", "data")}  # row n is values[key][n - 1]
    wb_values.close()
    findings: list[Finding] = []
    # the data sheet: the first non-empty row is the header, every further non-empty row a record
    filled = [(n, r) for n, r in enumerate(values["data"], start=1) if _filled(r)]
    header_row, header = (filled[0][0], [header_name(h) for h in filled[0][1]]) if filled else (1, [])
    letters: dict[str, str] = {}
    cols: dict[str, list[int]] = {}
    for i, h in enumerate(header):
        if h:
            letters[h] = get_column_letter(i + 1)
            cols.setdefault(h, []).append(i + 1)
    for h, ps in cols.items():
        if len(ps) > 1:
            cells = [f"{get_column_letter(p)}{header_row}" for p in ps]
            findings.append(error("column_repeated", column=h, detail=(f"ô {', '.join(cells)}", f"cells {', '.join(cells)}")))
    meta_cells: dict[str, str] = {}
    meta: dict[str, object] = {}
    for n, r in enumerate(values["meta"], start=1):
        if r and r[0] is not None:
            k = header_name(r[0])
            if k in ALL_META and k not in meta_cells:
                meta_cells[k] = f"B{n}"
                if len(r) > 1 and r[1] is not None:
                    meta[k] = r[1]
    if has_formulas:  # only then is a second read needed, to see formulas whose cached value is missing
        wb_formulas = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        for key in ("meta", "data"):
            forms = _sheet_rows(wb_formulas[sheets[key]], limits)
            for ri, (vr, fr) in enumerate(zip(values[key], forms, strict=False), start=1):
                for ci, (v, f) in enumerate(zip(vr, fr, strict=False), start=1):
                    if v is None and isinstance(f, str) and f.startswith("="):
                        cell = f"{sheets[key]}!{get_column_letter(ci)}{ri}"
                        on_data = key == "data" and ri > header_row
                        column = (header[ci - 1] if ci <= len(header) else None) if on_data else \
                            next((k for k, c in meta_cells.items() if c == f"{get_column_letter(ci)}{ri}"), None)
                        findings.append(error("formula_without_value", row=ri if on_data else None, column=column,
                                              value=f[:60], detail=cell))
        wb_formulas.close()
    rows, lines = [], []
    for n, r in filled[1:]:
        cells = list(r) + [None] * (len(header) - len(r))
        rows.append({h: c for h, c in zip(header, cells, strict=False) if h})
        lines.append(n)
    layout = Layout("xlsx", header_row=header_row, data_sheet=sheets["data"], meta_sheet=sheets["meta"],
                    letters=letters, meta_cells=meta_cells)
    return _done(RawDocument("xlsx", meta, list(dict.fromkeys(h for h in header if h)), rows, findings, lines, layout))
