"""One file per rejection reason of submissions.md: each is rejected for that reason, nothing reaches raw,
and a good file in the same run is still taken in. Plus a fuzz test: random and mutated bytes fed to every
parser end in a clean rejection, never a crash or a hang."""

from __future__ import annotations

import io
import json
import random
from datetime import UTC, datetime, timedelta

import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest.intake import take_in
from ingest.parsing import Limits, Rejected, parse
from ingest.sources import Incoming, Source
from ingest.submission import prepare
from pressdx.domain.reference import reference

RECEIVED = datetime(2024, 6, 20, 3, 0, tzinfo=UTC)
CBC = Source("CBC:inbox", "CBC", "folder")
HEAD = "unit_code,dataset,period,status,"
REGISTER = (HEAD + "agency_code,agency_name,agency_kind,governing_body,media_types\n"
            "CBC,agency_register,2024-Q2,official,A001,Báo A,newspaper,Bộ X,print;electronic\n"
            "CBC,agency_register,2024-Q2,official,A002,Tạp chí B,magazine,Bộ Y,print\n")
DX_HEAD = HEAD + ("agency_code,distributes_on_digital_platforms,uses_data_ai_platform,converged_newsroom,"
                  "doing_digital_transformation,staff_total,staff_trained\n")


def dx(*rows: str, meta: str = "CBC,agency_dx_status,2024-Q2,official,") -> str:
    return DX_HEAD + "".join(meta + r + "\n" for r in rows)


def xlsx_with_formula() -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "meta"
    for k, v in (("unit_code", "CBC"), ("dataset", "agency_revenue_baseline"), ("period", "2024-Q2"),
                 ("status", "official")):
        ws.append([k, v])
    data = wb.create_sheet("data")
    data.append(["agency_code", "revenue_2022_vnd"])
    data.append(["A001", "=1+1"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


OK = "A001,có,có,có,có,10,5"
# reason -> (file name, bytes, expected rule)
CORPUS = {
    "unreadable / truncated": ("t.xlsx", xlsx_with_formula()[:300], "unreadable"),
    "wrong encoding": ("e.csv", dx(OK).encode("utf-16"), "encoding"),
    "missing metadata field": ("m.csv", dx(OK).replace("status,", "state,", 1).encode(), "meta_missing"),
    "unknown dataset": ("d.json", json.dumps({"unit_code": "CBC", "dataset": "agency_budget", "period": "2024-Q2",
                                             "status": "official", "rows": [{"a": 1}]}).encode(), "dataset_unknown"),
    "bad status": ("s.csv", dx(OK, meta="CBC,agency_dx_status,2024-Q2,final,").encode(), "meta_invalid"),
    "unit not registered": ("u.csv", dx(OK, meta="XYZ,agency_dx_status,2024-Q2,official,").encode(), "unit_unknown"),
    "unit differs from source": ("v.csv", dx(OK, meta="ATTT,agency_dx_status,2024-Q2,official,").encode(),
                                 "unit_mismatch"),
    "dataset not assigned": ("n.csv", (HEAD + "agency_code,security_level\nCBC,agency_security,2024-Q2,official,"
                                       "A001,3\n").encode(), "dataset_not_assigned"),
    "period not started": ("p.csv", dx(OK, meta="CBC,agency_dx_status,2024-Q3,official,").encode(),
                           "period_not_started"),
    "missing required column": ("c.csv", DX_HEAD.replace(",converged_newsroom", "").encode()
                                + b"CBC,agency_dx_status,2024-Q2,official,A001,1,1,1,10,5\n", "column_missing"),
    "type": ("ty.csv", dx("A001,x,có,có,có,10,5").encode(), "type"),
    "fraction in an integer": ("fr.csv", dx("A001,có,có,có,có,10.5,5").encode(), "type"),
    "required empty": ("re.csv", dx("A001,,có,có,có,10,5").encode(), "required"),
    "range": ("ra.csv", (HEAD + "agency_code,revenue_2022_vnd\nCBC,agency_revenue_baseline,2024-Q2,official,"
                         "A001,-5\n").encode(), "range"),
    "enum": ("en.csv", REGISTER.replace("newspaper", "blog").encode(), "enum"),
    "uniqueness": ("un.csv", dx(OK, OK).encode(), "duplicate_key"),
    "referential: agency": ("ag.csv", dx("Z999,có,có,có,có,10,5").encode(), "agency_unknown"),
    "referential: task": ("tk.json", json.dumps({"unit_code": "CBC", "dataset": "task_progress", "period": "2024-Q2",
                                                "status": "official", "rows": [{"task_code": "IX.9",
                                                                                "status": "completed"}]}).encode(),
                          "task_unknown"),
    "task not led": ("tl.json", json.dumps({"unit_code": "CBC", "dataset": "task_progress", "period": "2024-Q2",
                                           "status": "official", "rows": [{"task_code": "I.2", "year": 2024,
                                                                           "status": "completed"}]}).encode(),
                     "task_not_lead"),
    "platform not the unit's": ("pl.csv", (HEAD + "platform_code,stage\nCBC,platform_stage,2024-Q2,official,"
                                           "radio,formed\n").encode(), "platform_not_assigned"),
    "staff trained > total": ("st.csv", dx("A001,có,có,có,có,10,50").encode(), "staff_trained_le_total"),
    "month out of range": ("mo.csv", (HEAD + "agency_code,month,revenue_vnd\nCBC,agency_revenue,2024-Q2,official,"
                                      "A001,2024-09,100\n").encode(), "month_in_range"),
    "formula without value": ("f.xlsx", xlsx_with_formula(), "formula_without_value"),
    "macro workbook": ("m.xlsm", b"PK\x03\x04", "unsupported_format"),
    "too large": ("big.csv", dx(*[OK.replace("A001", f"A{i:05d}") for i in range(400)]).encode(), "too_large"),
}
LIMITS = Limits(max_file_bytes=10_000)


def test_every_rejection_reason(wh, tmp_path):
    items = [Incoming(CBC, "register.csv", REGISTER.encode(), RECEIVED)]
    items += [Incoming(CBC, name, data, RECEIVED + timedelta(minutes=i + 1))
              for i, (name, data, _rule) in enumerate(CORPUS.values())]
    res = take_in(wh, items, run_id="r", data_root=tmp_path, limits=LIMITS)
    assert [s.item.path for s in res.accepted] == ["register.csv"]
    got = {s.item.path: {e.rule for e in s.errors} for s in res.rejected}
    for reason, (name, _data, rule) in CORPUS.items():
        assert rule in got[name], f"{reason}: expected {rule}, got {got[name]}"
        assert all(s.errors[0].message_vi != s.errors[0].message_en for s in res.rejected if s.item.path == name)
    # nothing of any rejected file reached raw; the register did
    assert wh.query("select count(*) from raw.submissions")[0][0] == 1
    for table in ("agency_dx_status", "agency_revenue", "agency_revenue_baseline", "task_progress",
                  "platform_stage", "agency_security"):
        assert wh.query(f"select count(*) from raw.{table}")[0][0] == 0
    n = wh.query("select count(*) from audit.intake_events where outcome = 'rejected'")[0][0]
    assert n == len(CORPUS)


# -- fuzz ------------------------------------------------------------------------------------------------------
SEEDS = {name: data for name, data, _ in CORPUS.values()} | {"register.csv": REGISTER.encode()}


def _mutate(data: bytes, rnd: random.Random) -> bytes:
    b = bytearray(data)
    for _ in range(rnd.randint(1, 8)):
        op = rnd.randrange(4)
        pos = rnd.randrange(len(b) + 1)
        if op == 0 and b:
            b[min(pos, len(b) - 1)] = rnd.randrange(256)
        elif op == 1:
            b[pos:pos] = bytes(rnd.randrange(256) for _ in range(rnd.randint(1, 16)))
        elif op == 2:
            del b[pos:pos + rnd.randint(1, 64)]
        else:
            b = b[:pos]
    return bytes(b)


@settings(max_examples=300, deadline=2000, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(sorted(SEEDS)), st.sampled_from([".csv", ".json", ".xlsx"]), st.integers(0, 2**32),
       st.booleans())
def test_fuzz_parsers_reject_cleanly(seed_name, ext, seed, random_bytes):
    rnd = random.Random(seed)
    data = bytes(rnd.randrange(256) for _ in range(rnd.randint(0, 400))) if random_bytes \
        else _mutate(SEEDS[seed_name], rnd)
    try:
        doc = parse("fuzz" + ext, data)
    except Rejected as r:
        assert r.findings and all(f.severity == "error" and f.message_vi and f.message_en for f in r.findings)
        return
    assert doc.encoding == ext[1:]
    # whatever parsed must also go through normalisation and metadata checks without raising
    sub = prepare(Incoming(CBC, "fuzz" + ext, data, RECEIVED), reference(), Limits())
    assert isinstance(sub.findings, list)
