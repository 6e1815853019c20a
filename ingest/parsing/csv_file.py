"""CSV files: records read with their line numbers (quoted newlines counted), metadata rows, the header."""

from __future__ import annotations

import csv
import io
import operator
import unicodedata

from ingest.layout import ALL_META, Layout
from ingest.parsing.document import (
    Limits,
    RawDocument,
    Rejected,
    RowLimit,
    done,
    header_name,
    positions,
)
from pressdx.domain.datasets import DATASETS, STATUSES
from pressdx.domain.findings import Finding, error


def _records(text: str, max_records: int) -> list[tuple[int, list[str]]]:
    """The non-empty records with the line each starts on (a quoted newline makes a record span lines).

    Counted while reading: past ``max_records`` it stops (``RowLimit``), so 20 MiB of one-character lines
    never become ten million lists.
    """
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    out: list[tuple[int, list[str]]] = []
    start = 1
    try:
        for rec in reader:
            if any(c.strip() for c in rec):
                if len(out) >= max_records:
                    raise RowLimit
                out.append((start, rec))
            start = reader.line_num + 1
    except csv.Error as e:
        n = reader.line_num
        raise Rejected([error("unreadable", detail=(
            f"CSV hỏng ở dòng {n}: dấu ngoặc kép không khớp hoặc tệp bị cắt cụt", f"broken CSV at line {n}: {e}"))]) from None
    return out


def _is_status(values: list[str]) -> bool:
    return bool(values) and all(v.strip().casefold() in STATUSES for v in values)


def parse_csv(data: bytes, limits: Limits) -> RawDocument:
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
            vi, en = positions([p + 1 for p in ps])
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
            findings.append(error("column_repeated", column=h, detail=positions([p + 1 for p in ps])))
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
    return done(RawDocument("csv", meta, list(dict.fromkeys(data_header)), rows, findings, lines, layout))


# -- JSON -----------------------------------------------------------------------------------------------
