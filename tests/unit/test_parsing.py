"""Parsers: the same logical submission in CSV, XLSX and JSON reads the same; hostile files are rejected."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date

import openpyxl
import pytest

from ingest.normalise import normalise
from ingest.parsing import Limits, Rejected, parse
from pressdx.domain.datasets import DATASETS

META = {"unit_code": "CBC", "dataset": "agency_dx_status", "period": "2024-Q2", "status": "official"}
ROWS = [
    {"agency_code": "A001", "distributes_on_digital_platforms": "có", "uses_data_ai_platform": "không",
     "converged_newsroom": "1", "doing_digital_transformation": "yes", "staff_total": "1.200",
     "staff_trained": "300"},
    {"agency_code": "A002", "distributes_on_digital_platforms": "false", "uses_data_ai_platform": "true",
     "converged_newsroom": "0", "doing_digital_transformation": "no", "staff_total": "", "staff_trained": ""},
]


def csv_bytes(meta=META, rows=ROWS, bom=False) -> bytes:
    cols = list(meta) + list(rows[0])
    lines = [",".join(cols)] + [",".join([*meta.values(), *(str(r[c]) for c in rows[0])]) for r in rows]
    return (b"\xef\xbb\xbf" if bom else b"") + ("\r\n".join(lines) + "\r\n").encode()


def xlsx_bytes(meta=META, rows=ROWS, formula=None) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "meta"
    for k, v in meta.items():
        ws.append([k, v])
    data = wb.create_sheet("data")
    data.append(list(rows[0]))
    for r in rows:
        data.append([r[c] for c in rows[0]])
    if formula:
        data["H2"] = formula
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def json_bytes(meta=META, rows=ROWS) -> bytes:
    return json.dumps({**meta, "rows": rows}, ensure_ascii=False).encode()


ENCODED = {"csv": ("s.csv", csv_bytes), "csv-bom": ("s.csv", lambda: csv_bytes(bom=True)),
           "xlsx": ("s.xlsx", xlsx_bytes), "json": ("s.json", json_bytes)}


@pytest.mark.parametrize("encoding", list(ENCODED))
def test_same_submission_in_every_encoding(encoding):
    name, make = ENCODED[encoding]
    doc = parse(name, make())
    assert {k: str(v) for k, v in doc.meta.items()} == META
    ds = DATASETS["agency_dx_status"]
    typed = [{c.name: normalise(c, r.get(c.name)) for c in ds.columns} for r in doc.rows]
    assert typed == [
        {"agency_code": "A001", "distributes_on_digital_platforms": True, "uses_domestic_platforms": None,
         "uses_data_ai_platform": False, "converged_newsroom": True, "doing_digital_transformation": True,
         "staff_total": 1200, "staff_trained": 300},
        {"agency_code": "A002", "distributes_on_digital_platforms": False, "uses_domestic_platforms": None,
         "uses_data_ai_platform": True, "converged_newsroom": False, "doing_digital_transformation": False,
         "staff_total": None, "staff_trained": None},
    ]


def test_csv_meta_must_be_identical_on_every_row():
    rows = csv_bytes().replace(b"2024-Q2,official\r\n", b"2024-Q3,official\r\n", 1)
    doc = rows.decode().splitlines()
    bad = "\r\n".join([doc[0], doc[1], doc[2].replace("2024-Q2", "2024-Q3")]).encode()
    with pytest.raises(Rejected) as e:
        parse("s.csv", bad)
    assert e.value.findings[0].rule == "meta_inconsistent"
    assert e.value.findings[0].row == 3  # CSV line 3: the second data row (the header is line 1)


@pytest.mark.parametrize("data,rule", [
    (b"\xff\xfeu\x00n\x00", "encoding"),
    (b"unit_code,dataset\n\"CBC,agency", "unreadable"),
    (b"   ", "unreadable"),
])
def test_broken_csv_is_rejected(data, rule):
    with pytest.raises(Rejected) as e:
        parse("s.csv", data)
    assert e.value.findings[0].rule == rule


@pytest.mark.parametrize("name", ["s.xlsm", "s.xls", "s.xlsb", "s.txt"])
def test_refused_extensions(name):
    with pytest.raises(Rejected) as e:
        parse(name, b"anything")
    assert e.value.findings[0].rule == "unsupported_format"


def test_formula_without_cached_value_is_rejected():
    with pytest.raises(Rejected) as e:
        parse("s.xlsx", xlsx_bytes(formula="=SUM(G2:G3)"))
    f = e.value.findings[0]
    assert f.rule == "formula_without_value"
    assert "data!H2" in f.message_en


def test_truncated_xlsx_is_rejected():
    data = xlsx_bytes()
    with pytest.raises(Rejected) as e:
        parse("s.xlsx", data[: len(data) // 2])
    assert e.value.findings[0].rule == "unreadable"


def test_zip_bomb_is_rejected_before_inflating():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", b"\x00" * (50 * 1024 * 1024))
    with pytest.raises(Rejected) as e:
        parse("bomb.xlsx", buf.getvalue())
    assert e.value.findings[0].rule == "too_large"
    assert "ratio" in e.value.findings[0].message_en


def test_size_and_row_limits():
    with pytest.raises(Rejected) as e:
        parse("s.csv", csv_bytes(), Limits(max_file_bytes=10))
    assert e.value.findings[0].rule == "too_large"
    with pytest.raises(Rejected) as e:
        parse("s.csv", csv_bytes(), Limits(max_rows=1))
    assert e.value.findings[0].rule == "too_many_rows"


def test_excel_typed_cells_survive():
    rows = [{"agency_code": "A1", "month": date(2023, 1, 15), "revenue_vnd": 1500000.0}]
    meta = {**META, "dataset": "agency_revenue"}
    doc = parse("r.xlsx", xlsx_bytes(meta, rows))
    assert doc.rows[0]["revenue_vnd"] == 1500000
    assert doc.rows[0]["month"].date() == date(2023, 1, 15)


def test_task_progress_csv_names_the_submission_status_apart():
    data = (b"unit_code,dataset,period,submission_status,task_code,year,status,progress_pct\n"
            b"CBC,task_progress,2024-Q4,official,VI.2,2024,completed,100\n")
    doc = parse("t.csv", data)
    assert doc.meta["status"] == "official"
    assert doc.rows == [{"task_code": "VI.2", "year": "2024", "status": "completed", "progress_pct": "100"}]
