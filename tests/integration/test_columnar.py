"""The columnar intake of large files (issue 14) says exactly what the row path says.

The same bytes go through ``prepare`` twice, forced row by row and forced column by column
(``Limits.columnar_min_bytes``): the realistic sample's CSV and JSON files, hand-made hostile files with a
planted mistake each, and a few hundred deterministic mutations of them. Every typed row (values *and*
their Python types, ``_row``, ``_line``), every finding (rule, row, column, value, both messages, severity),
the metadata, encoding and layout must be equal. Then a whole intake run on both paths must accept,
reject and record the same.
"""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from ingest.intake import take_in
from ingest.parsing import Limits
from ingest.sources import Incoming, Source
from ingest.sources.config import load_config
from ingest.sources.folder import pull_folder
from ingest.submission import Submission, prepare
from pressdx.domain.reference import reference
from pressdx.sample.generator import generate

pytestmark = pytest.mark.xdist_group("columnar")

ROWS = Limits(columnar_min_bytes=2**62)
COLUMNS = Limits(columnar_min_bytes=0)
RECEIVED = datetime(2024, 6, 20, 3, 0, tzinfo=UTC)
CBC = Source("CBC:inbox", "CBC", "folder")
HEAD = "unit_code,dataset,period,status,"
REV = HEAD + "agency_code,month,revenue_vnd\n"
M = "CBC,agency_revenue,2024-Q2,official,"
DX = HEAD + ("agency_code,distributes_on_digital_platforms,uses_data_ai_platform,converged_newsroom,"
             "doing_digital_transformation,staff_total,staff_trained\n")
D = "CBC,agency_dx_status,2024-Q2,official,"
REG = HEAD + "agency_code,agency_name,agency_kind,governing_body,media_types,licensed_on,closed_on\n"
R = "CBC,agency_register,2024-Q2,official,"
TASK = "unit_code,dataset,period,submission_status,task_code,year,status,progress_pct,output_count\n"


def _json(rows, **meta) -> bytes:
    doc = {"unit_code": "CBC", "dataset": "agency_revenue", "period": "2024-Q2", "status": "official", **meta,
           "rows": rows}
    return json.dumps(doc, ensure_ascii=False).encode()


# name -> bytes: each with something a clerk gets wrong, or a shape one reader could read differently
HOSTILE: dict[str, bytes] = {
    "plain.csv": (REV + M + "a001,2024-01,100\n" + M + "A002,2024-02,250\n").encode(),
    "grouped.csv": (REV + M + 'A001,2024-01,"1.234.567"\n' + M + 'A002,2024-02,"1,234,567"\n'
                    + M + "A003,2024-03,1 234 567\n" + M + "A004,2024-04,1\u00a0234\u00a0567\n"
                    + M + "A005,2024-05,1.23.4\n").encode(),
    "ints.csv": (REV + M + "A001,2024-01,+12\n" + M + "A002,2024-02,0012\n" + M + "A003,2024-03,-5\n"
                 + M + "A004,2024-04,9223372036854775807\n" + M + "A005,2024-05,9223372036854775808\n"
                 + M + "A006,2024-06,999999999999999999\n" + M + "A007,2024-07,1000000000000000000\n"
                 + M + "A008,2024-08,\u0661\u0662\n" + M + "A009,2024-09,\uff11\uff12\n" + M + "A010,2024-10,12.5\n"
                 + M + "A011,2024-11, 42 \n" + M + "A012,2024-12,\u00a042\n" + M + "A013,2023-01,"
                 + "9" * 60 + "\n" + M + "A014,2023-02,\n" + M + "A015,2023-03,x\n" + M + "A015,2023-03,x\n").encode(),
    "months.csv": (REV + M + "A001,01/2024,5\n" + M + "A002,2024-1,5\n" + M + "A003,2024-13,5\n"
                   + M + "A004,13/2024,5\n" + M + "A005,Tháng 1/2024,5\n" + M + "A006,2024-09,5\n"
                   + M + "A007,2022-11,5\n" + M + " a008 ,2024-01,5\n" + M + "a\u0301009,2024-01,5\n").encode(),
    "dx.csv": (DX + D + "A001,có,không,CÓ,co,1.200,300\n" + D + "A002,x,n/a,?,khong,10,50\n"
               + D + "A003,True,FALSE,1,0,,\n" + D + "A004,yes,no,Có,Không,10.5,1e3\n"
               + D + "A005,co\u0301,không,có,có,-1,0\n").encode(),
    "register.csv": (REG + R + 'A001,"Báo Nhân Dân, số 1",newspaper,Trung ương,print;electronic,01/01/1990,\n'
                     + R + "A002,Tạp chí,MAGAZINE,Bộ,print;;radio,1990-02-30,\n"
                     + R + "A003,Đài,blog,Bộ,Print; Radio,31/12/2000,01/01/1999\n"
                     + R + 'A004,"Báo\nhai dòng",newspaper,Bộ,tv,2001-01-01,12/31/2001\n'
                     + R + "A005,Báo,newspaper,Bộ,print,,\n").encode(),
    "bom_crlf.csv": ("\ufeff" + REV + M + "A001,2024-01,1\n" + M + "A002,2024-02,2\n").replace("\n", "\r\n").encode(),
    "lone_cr.csv": (REV + M + "A001,2024-01,1\r" + M + "A002,2024-02,2\r").encode(),
    "blank_lines.csv": (REV + "\n" + M + "A001,2024-01,1\n,,,,,,\n   \n" + M + "A002,2024-02,2\n\n").encode(),
    "blank_first.csv": ("\n \n" + REV + M + "A001,2024-01,1\n").encode(),
    "too_many.csv": (REV + M + "A001,2024-01,1,extra\n" + M + "A002,2024-02\n" + M + "A003\n").encode(),
    "quoted_newline.csv": (REV + M + '"A\n001",2024-01,1\n' + M + 'A002,"2024-\n02",2\n' + M
                           + 'A003,2024-03,"3"\n').encode(),
    "repeated.csv": (HEAD + "agency_code,month,revenue_vnd,revenue_vnd,note\n" + M + "A001,2024-01,1,2,x\n").encode(),
    "meta_inconsistent.csv": (REV + M + "A001,2024-01,1\n" + "CBC,agency_revenue,2024-Q2,provisional,A002,2024-02,2\n"
                              + " cbc ,Agency_Revenue,2024-q2,OFFICIAL,A003,2024-03,3\n"
                              + "CBC,agency_revenue,2024-Q3,official,A004,2024-04,4\n").encode(),
    "status_twice.csv": (HEAD.replace("status,", "status,") + "task_code,status\n"
                         "CBC,task_progress,2024-Q2,official,I.1,completed\n").encode(),
    "task.csv": (TASK + "CBC,task_progress,2024-Q2,official,I.1,2024,in_progress,45,3\n"
                 "CBC,task_progress,2024-Q2,official,i.2,,done,12,5%,x\n"
                 "CBC,task_progress,2024-Q2,official,I.3,abc,completed,\"12,5\",\n").encode(),
    "header_only.csv": REV.encode(),
    "broken_quote.csv": (REV + M + '"A001,2024-01,1\n').encode(),
    "nul.csv": (REV + M + "A001,2024-01,1\x00\n").encode(),
    "huge_field.csv": (REV + M + "A001,2024-01," + "1" * 140_000 + "\n").encode(),
    "unicode_lines.csv": (REV + M + "A001,2024-01,1\u2028\n" + M + "A002\x0b,2024-02,2\x0c\n").encode(),
    "empty.csv": b"",
    "no_meta.csv": b"agency_code,month,revenue_vnd\nA001,2024-01,1\n",
    "plain.json": _json([{"agency_code": "a001", "month": "2024-01", "revenue_vnd": 100},
                         {"agency_code": "A002", "month": "2024-02", "revenue_vnd": "1.234"}]),
    "json_types.json": _json([{"agency_code": "A001", "month": "2024-01", "revenue_vnd": True},
                              {"agency_code": "A002", "month": "2024-02", "revenue_vnd": 1.0},
                              {"agency_code": "A003", "month": "2024-03", "revenue_vnd": 1},
                              {"agency_code": "A004", "month": "2024-04", "revenue_vnd": 1.5},
                              {"agency_code": 5, "month": None, "revenue_vnd": 2**63},
                              {"agency_code": "A006", "revenue_vnd": -(2**63)},
                              {"Agency Code": "A007", "MONTH": "04/2024", "revenue_vnd": "12", "note": "x"},
                              {"agency_code": "A008", "month": "2024-05", "revenue_vnd": float("nan")}]),
    "json_nested.json": _json([{"agency_code": "A001", "month": ["2024-01"], "revenue_vnd": {"v": 1}}, 7, "x",
                               {"agency_code": "A002", "month": "2024-02", "revenue_vnd": 2}]),
    "json_two_keys.json": _json([{"agency_code": "A001", "Agency_Code": "A009", "month": "2024-01",
                                  "revenue_vnd": 1}]),
    "json_dx.json": _json([{"agency_code": "A001", "distributes_on_digital_platforms": True,
                            "uses_data_ai_platform": 0, "converged_newsroom": "có",
                            "doing_digital_transformation": 2, "staff_total": 10.0, "staff_trained": "3"}],
                          dataset="agency_dx_status"),
    "json_empty_rows.json": _json([]),
    "json_not_rows.json": _json({"a": 1}),
}


def prepared(name: str, data: bytes, limits: Limits) -> Submission:
    item = Incoming(CBC, name, data, RECEIVED)
    return prepare(item, reference(), limits)


def typed(rows: list[dict]) -> list[list[tuple]]:
    """Rows as (key, type, value): ``1 == 1.0 == True``, so equal values alone would not do."""
    return [[(k, type(v).__name__, v) for k, v in r.items()] for r in rows]


def assert_same(name: str, data: bytes) -> Submission:
    a, b = prepared(name, data, ROWS), prepared(name, data, COLUMNS)
    assert b.meta == a.meta, name
    assert typed(b.rows) == typed(a.rows), name
    assert b.findings == a.findings, name
    assert (b.encoding, b.layout) == (a.encoding, a.layout), name
    return a


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_files_read_the_same_both_ways(name):
    sub = assert_same(name, HOSTILE[name])
    assert sub.findings or sub.rows  # every file says something: a test that compares nothing proves nothing


def test_the_planted_mistakes_are_found():
    """The comparison is not between two blind readers: the row path does find what was planted."""
    rules = {name: {(f.rule, f.row, f.column) for f in prepared(name, data, COLUMNS).findings}
             for name, data in HOSTILE.items()}
    assert {("type", 6, "revenue_vnd")} <= rules["grouped.csv"]  # 1.23.4
    assert {("range", 6, "revenue_vnd"), ("type", 11, "revenue_vnd"), ("range", 14, "revenue_vnd"),
            ("type", 16, "revenue_vnd"), ("type", 17, "revenue_vnd")} <= rules["ints.csv"]
    ints = [r["revenue_vnd"] for r in prepared("i.csv", HOSTILE["ints.csv"], COLUMNS).rows]
    assert ints[:4] == [12, 12, -5, 2**63 - 1] and ints[6] == 10**18  # 19 digits: past the bulk shape, still read
    assert ("too_many_fields", 2, None) in rules["too_many.csv"]
    assert {("meta_inconsistent", 3, "status"), ("meta_inconsistent", 5, "period")} <= rules["meta_inconsistent.csv"]
    assert {("type", 4, "month"), ("type", 5, "month"), ("type", 6, "month")} <= rules["months.csv"]
    lines = [r["_line"] for r in prepared("q.csv", HOSTILE["quoted_newline.csv"], COLUMNS).rows]
    assert lines == [2, 4, 6]  # a quoted newline makes a record span lines
    assert [r["_line"] for r in prepared("b.csv", HOSTILE["blank_lines.csv"], COLUMNS).rows] == [3, 6]


def _mutate(data: bytes, rnd: random.Random) -> bytes:
    b = bytearray(data)
    pieces = [b",", b"\n", b'"', b"\r", b" ", b"\xc2\xa0", b"1.000", b"2024-13", b"official", b"\xef\xbb\xbf"]
    for _ in range(rnd.randint(1, 4)):
        pos = rnd.randrange(len(b) + 1)
        op = rnd.randrange(3)
        if op == 0:
            b[pos:pos] = rnd.choice(pieces)
        elif op == 1:
            del b[pos:pos + rnd.randint(1, 8)]
        else:
            b[pos:pos] = bytes(rnd.randrange(32, 127) for _ in range(rnd.randint(1, 4)))
    return bytes(b)


def test_mutated_files_read_the_same_both_ways():
    rnd = random.Random(14)
    seeds = sorted(HOSTILE)
    for _ in range(400):
        name = rnd.choice(seeds)
        assert_same(name, _mutate(HOSTILE[name], rnd))


# -- the realistic sample -----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("sample") / "s"
    generate(out, scale=0.3, through="2024-Q2")
    return out


def test_sample_files_read_the_same_both_ways(sample):
    files = sorted(p for p in (sample / "inbox").rglob("*") if p.suffix in (".csv", ".json"))
    assert len(files) > 40
    rows = 0
    for p in files:
        sub = assert_same(p.name, p.read_bytes())
        rows += len(sub.rows)
    assert rows > 5_000


def _run(sample: Path, url: str, tmp: Path, limits: Limits) -> tuple[dict, dict]:
    from pressdx.warehouse.connection import connect

    cfg = load_config(sample / "sources.yml")
    items = [it for src in cfg.sources if src.path.is_dir() for it in pull_folder(src)]
    with connect(url) as wh:
        wh.ensure_schema()
        res = take_in(wh, items, run_id="r", data_root=tmp, limits=limits, extra_units=cfg.units,
                      now=datetime(2024, 7, 31, tzinfo=UTC) + timedelta(days=1))
        tables = {t: sorted(map(repr, wh.query(f"select * exclude (submission_id) from raw.{t}")))
                  for t in ("agency_register", "agency_revenue", "agency_dx_status")}
        tables["messages"] = sorted(map(repr, wh.query(
            "select severity, rule, row_number, column_name, value, message_vi, message_en "
            "from audit.intake_messages")))
    return res.report(), tables


def test_a_whole_run_is_the_same_both_ways(sample, tmp_path):
    a = _run(sample, f"duckdb:///{tmp_path}/rows.duckdb", tmp_path / "rows", ROWS)
    b = _run(sample, f"duckdb:///{tmp_path}/cols.duckdb", tmp_path / "cols", COLUMNS)
    assert a[0]["accepted"] and a[0]["rejected"]
    assert b == a
