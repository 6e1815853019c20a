"""CSV files: records read with their line numbers (quoted newlines counted), metadata rows, the header."""

from __future__ import annotations

import operator
import unicodedata

from ingest.layout import ALL_META, Layout
from ingest.parsing.csv_records import fit_to_header, read_columns, read_records
from ingest.parsing.document import (
    Limits,
    RawDocument,
    Rejected,
    bulk,
    done,
    header_name,
    positions,
)
from pressdx.domain.datasets import DATASETS, STATUSES
from pressdx.domain.findings import Finding, error


def _is_status(values: list[str]) -> bool:
    return bool(values) and all(v.strip().casefold() in STATUSES for v in values)


def _decode(data: bytes) -> str:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise Rejected([error("encoding", detail=(f"ký tự không hợp lệ ở vị trí {e.start}",
                                                  f"invalid byte at position {e.start}"))]) from None
    if "\x00" in text:
        raise Rejected([error("encoding", detail=("có ký tự NUL", "a NUL byte"))])
    return text


def parse_csv(data: bytes, limits: Limits, columnar: bool = False) -> RawDocument:
    """``columnar``: read the cells into ``RawDocument.columns`` (``ingest.parsing.csv_records``), not row dicts."""
    text = _decode(data)
    findings: list[Finding] = []
    if columnar:
        with bulk():
            got = read_columns(text, limits.max_rows + 1, findings)
        if got is None:
            raise Rejected([error("unreadable", detail=("không có dòng tiêu đề", "no header row"))])
        header_line, raw_header, lines, cells = got
        header = [header_name(h) for h in raw_header]
    else:
        records = read_records(text, limits.max_rows + 1)  # the header and at most max_rows records
        if not records:
            raise Rejected([error("unreadable", detail=("không có dòng tiêu đề", "no header row"))])
        header_line, raw_header = records[0]
        header = [header_name(h) for h in raw_header]
        body = fit_to_header(records[1:], len(header), findings)
        lines = [line for line, _ in body]
        cells = _Transposed(body)
    where: dict[str, list[int]] = {}
    for i, h in enumerate(header):
        if h:
            where.setdefault(h, []).append(i)
    index = {h: ps[-1] for h, ps in where.items()}  # a repeated header name: its last column wins
    meta_cols = {k: k for k in ALL_META}
    ds_cell = cells[index["dataset"]][0] if lines and "dataset" in index else ""
    ds = DATASETS.get(ds_cell.strip().lower())
    own_status = ds is not None and "status" in ds.column_names  # task_progress: `status` is the task's
    told: set[str] = set()  # repeated names already explained by a finding of their own
    if "submission_status" in index:
        meta_cols["status"] = "submission_status"
    elif own_status and "status" in where:
        ps = where["status"]
        looks_meta = [p for p in ps if _is_status(list(cells[p]))]
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
        values = cells[index[col]]
        first_raw = values[0] if lines else ""
        meta[key] = first = first_raw.strip()
        folded = unicodedata.normalize("NFC", first).casefold()
        if columnar and values.count(first_raw) == len(values):  # one value throughout: nothing to compare
            continue
        for line, v in zip(lines, values, strict=True):
            if v != first_raw and unicodedata.normalize("NFC", v.strip()).casefold() != folded:
                findings.append(error("meta_inconsistent", row=line, column=col, value=v.strip()))
    meta_names = {meta_cols[k] for k in meta_cols if meta_cols[k] in index}
    names = [h for h in index if h not in meta_names]
    layout = Layout("csv", header_row=header_line, meta_cells={k: raw_header[index[c]].strip() for k, c in meta_cols.items()
                                                                if c in index})
    data_header = list(dict.fromkeys(h for h in header if h and h not in meta_names and h in names))
    if columnar:
        return done(RawDocument("csv", meta, data_header, [], findings, lines, layout,
                                columns={h: cells[index[h]] for h in names}))
    if not names:
        rows: list[dict[str, object]] = [{} for _ in body]
    else:
        pick = operator.itemgetter(*(index[h] for h in names))
        if len(names) == 1:
            rows = [{names[0]: pick(rec)} for _, rec in body]
        else:
            rows = [dict(zip(names, pick(rec), strict=True)) for _, rec in body]
    return done(RawDocument("csv", meta, data_header, rows, findings, lines, layout))


class _Transposed:
    """Column ``i`` of the row path's records, read on demand (the metadata checks look at a few columns)."""

    def __init__(self, body: list[tuple[int, list[str]]]):
        self._body = body

    def __getitem__(self, i: int) -> list[str]:
        return [rec[i] for _, rec in self._body]
