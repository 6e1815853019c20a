"""XLSX files: the archive checked before openpyxl opens it (zip bombs, macros), sheets streamed row by row."""

from __future__ import annotations

import io
import zipfile

from ingest.layout import ALL_META, Layout
from ingest.parsing.document import (
    Limits,
    RawDocument,
    Rejected,
    RowLimit,
    done,
    fmt_n,
    header_name,
)
from ingest.parsing.json_file import bad_text
from pressdx.domain.findings import Finding, error


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
            raise Rejected([error("too_large", detail=(f"XLSX khi giải nén {fmt_n(total, 'vi')} byte",
                                                       f"XLSX uncompressed {fmt_n(total, 'en')} bytes"))])
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
                if type(c) is str and (why := bad_text(c)):
                    raise Rejected([error("encoding", detail=why)])
        if filled > limits.max_rows + 1 or len(out) >= cap_all:  # + 1: the header row
            raise RowLimit
        out.append(row)
    return out


def _filled(r: list[object]) -> bool:
    return any(c is not None and str(c).strip() for c in r)


def parse_xlsx(data: bytes, limits: Limits) -> RawDocument:
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
    return done(RawDocument("xlsx", meta, list(dict.fromkeys(h for h in header if h)), rows, findings, lines, layout))
