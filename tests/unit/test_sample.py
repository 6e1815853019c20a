"""The sample inbox generator: deterministic, realistic, and with the defects it says it has."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import zipfile
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta
from pathlib import Path

import openpyxl
import pytest
import yaml

from pressdx.domain import calendar
from pressdx.domain.calendar import VN_TZ as VN
from pressdx.domain.datasets import DATASETS
from pressdx.domain.findings import MESSAGES
from pressdx.sample.generator import generate
from pressdx.settings import seeds_dir

pytestmark = pytest.mark.xdist_group("sample")  # with --dist loadgroup: the module fixture is built once

CAL = calendar.by_code()
SEEDS = seeds_dir()
META = ("unit_code", "dataset", "period", "status", "commentary")
BOOLS = {"true": True, "false": False, "1": True, "0": False, "yes": True, "no": False, "có": True,
         "không": False, "co": True, "khong": False}
REJECT_RULES = {"type", "staff_trained_le_total", "duplicate_key", "column_missing", "agency_unknown",
                "unsupported_format", "unreadable", "unit_mismatch", "dataset_not_assigned",
                "period_not_started"}


# -- a minimal reader of the three encodings (only what these tests need) ---------------------------------
def read(path: Path) -> tuple[dict, list[dict]]:
    data = path.read_bytes()
    if path.suffix == ".json":
        doc = json.loads(data)
        return {k: doc.get(k) for k in META}, doc["rows"]
    if path.suffix == ".csv":
        rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
        return {k: rows[0].get(k) for k in META}, rows
    wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    meta = {r[0]: r[1] for r in wb["meta"].iter_rows(values_only=True)}
    it = wb["data"].iter_rows(values_only=True)
    head = next(it)
    return {k: meta.get(k) for k in META}, [dict(zip(head, r, strict=True)) for r in it]


def to_int(v):
    if v is None or v == "":
        return None
    if isinstance(v, int | float):
        assert float(v).is_integer()
        return int(v)
    return int(re.sub(r"[.,\s\u00a0]", "", v))


def to_bool(v):
    return v if isinstance(v, bool) else BOOLS[str(v).strip().lower()]


def to_date(v):
    if v in (None, ""):
        return None
    if isinstance(v, datetime):
        return v.date()
    if "/" in v:
        d, m, y = v.split("/")
        return date(int(y), int(m), int(d))
    return date.fromisoformat(v)


def assignments() -> set[tuple[str, str]]:
    text = (SEEDS / "dataset_assignments.csv").read_text(encoding="utf-8")
    return {(r["unit_code"], r["dataset"]) for r in csv.DictReader(io.StringIO(text))}


def mtime(path: Path) -> datetime:
    return datetime.fromtimestamp(path.stat().st_mtime, VN)


def at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=VN)


def tree(root: Path) -> dict[str, tuple[str, float]]:
    return {p.relative_to(root).as_posix(): (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime)
            for p in sorted(root.rglob("*")) if p.is_file()}


# -- fixtures -----------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("sample") / "s"
    messages = []
    summary = generate(out, progress=messages.append)
    assert len(messages) >= len(summary["periods"])  # a progress line per period at least
    return out, summary


@pytest.fixture(scope="module")
def files(sample) -> list[tuple[Path, dict, list[dict]]]:
    """Every regular (non-reject) file, read."""
    out, _ = sample
    res = []
    for p in sorted((out / "inbox").glob("*/*/*")):
        if not p.name.startswith("rejects_"):
            meta, rows = read(p)
            res.append((p, meta, rows))
    return res


def current(files, unit, dataset, period):
    """Rows of the latest received regular file of (unit, dataset, period)."""
    cands = [(mtime(p), rows) for p, m, rows in files
             if (m["unit_code"], m["dataset"], m["period"]) == (unit, dataset, period)]
    return max(cands, key=lambda c: c[0])[1] if cands else None


# -- determinism --------------------------------------------------------------------------------------------
def test_same_seed_gives_identical_files_and_mtimes(tmp_path):
    a = generate(tmp_path / "a", scale=0.2)
    b = generate(tmp_path / "b", scale=0.2)
    ta, tb = tree(tmp_path / "a"), tree(tmp_path / "b")
    assert ta == tb  # byte-identical content (XLSX included) and identical mtimes
    assert any(k.endswith(".xlsx") for k in ta)
    assert a == b
    generate(tmp_path / "c", scale=0.2, seed=782)
    assert tree(tmp_path / "c") != ta
    # scale multiplies the agencies
    assert 0.15 * 827 < a["agencies"] < 0.25 * 827


def test_refuses_to_overwrite_unless_asked(tmp_path):
    generate(tmp_path / "s", scale=0.05, first_period="2023-Q2", through="2023-Q4", rejects=False)
    with pytest.raises(FileExistsError):
        generate(tmp_path / "s", scale=0.05, through="2023-Q4")
    s = generate(tmp_path / "s", scale=0.05, first_period="2024-Q1", through="2024-Q1", overwrite=True)
    assert {p.name for p in (tmp_path / "s" / "inbox").glob("*/*")} == {"2024-Q1"}
    assert s["rejects"] == [] or all(r["period"] in ("2024-Q1", "2024-Q2") for r in s["rejects"])
    with pytest.raises(ValueError):
        generate(tmp_path / "t", through="2031-Q1")
    with pytest.raises(ValueError):
        generate(tmp_path / "t", first_period="2025-Q1", through="2024-Q4")


# -- the register ---------------------------------------------------------------------------------------------
def test_agency_mix_matches_the_domain(sample, files):
    _, summary = sample
    last = summary["periods"][-1]
    reg = current(files, "CBC", "agency_register", last)
    kinds = Counter(r["agency_kind"] for r in reg)
    assert len(reg) == summary["agencies"]
    assert len(reg) >= 780 and len(reg) <= 850
    assert 110 <= kinds["newspaper"] <= 140
    assert 600 <= kinds["magazine"] <= 700
    assert 60 <= kinds["broadcaster"] <= 80
    assert 1 <= kinds["news_agency"] <= 5
    assert len({r["agency_code"] for r in reg}) == len(reg)
    media = defaultdict(Counter)
    for r in reg:
        media[r["agency_kind"]][r["media_types"]] += 1
    paper, mag = media["newspaper"], media["magazine"]
    assert paper["print;electronic"] > 0.7 * kinds["newspaper"] and paper["electronic"] > 5
    assert mag["print"] > 0.65 * kinds["magazine"] and mag["print;electronic"] > 0.1 * kinds["magazine"]
    assert 15 <= paper["electronic"] + mag["electronic"] <= 45  # ~25 independent electronic papers
    for m in media["broadcaster"]:
        assert ("radio" in m or "television" in m) and "electronic" in m
    assert any(re.search("[ạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹđ]", r["agency_name"]) for r in reg)
    assert all(r["governing_body"] for r in reg)
    # the register changes over time: licences and closures inside the window
    first = CAL[summary["periods"][0]]
    licensed = [r for r in reg if (d := to_date(r["licensed_on"])) and d >= first.coverage_start]
    closed = [r for r in reg if to_date(r["closed_on"])]
    assert 3 <= len(licensed) <= 20 and 5 <= len(closed) <= 30
    reg0 = current(files, "CBC", "agency_register", summary["periods"][0])
    assert {r["agency_code"] for r in reg0} < {r["agency_code"] for r in reg}
    assert not any(to_date(r["closed_on"]) for r in reg0)


# -- datasets and encodings -------------------------------------------------------------------------------------
def test_every_dataset_and_encoding_is_present(sample, files):
    out, summary = sample
    assert {m["dataset"] for _, m, _ in files} == set(DATASETS)
    assert {p.suffix for p, _, _ in files} == {".csv", ".xlsx", ".json"}
    for ds in DATASETS:
        if ds != "agency_revenue_baseline":  # sent once
            assert len({p.suffix for p, m, _ in files if m["dataset"] == ds}) >= 2, ds
    assert summary["by_encoding"]["csv"] and summary["by_encoding"]["xlsx"] and summary["by_encoding"]["json"]
    assert sum(summary["by_encoding"].values()) == summary["files"] == len(list(out.glob("inbox/*/*/*")))
    assert sum(d["rows"] for d in summary["by_dataset"].values()) == summary["rows"] == sum(
        len(r) for _, _, r in files)
    raw = {p: p.read_bytes() for p, _, _ in files if p.suffix == ".csv"}
    assert any(b.startswith(b"\xef\xbb\xbf") for b in raw.values())
    assert any(not b.startswith(b"\xef\xbb\xbf") for b in raw.values())
    text = b"\n".join(raw.values()).decode("utf-8-sig", "replace")
    assert re.search(r",có,", text) and re.search(r",không,", text)
    assert re.search(r'"?\d{1,3}\.\d{3}\.\d{3}\.\d{3}"?', text)  # 1.234.567.000
    assert re.search(r",\d{2}/\d{2}/\d{4},", text)  # DD/MM/YYYY
    for p, meta, rows in files:
        if p.suffix == ".csv":  # the metadata repeated, identical, on every row
            assert meta["dataset"] != "task_progress"  # its own `status` column would collide
            assert len({tuple(r[k] for k in META[:4]) for r in rows}) == 1
        assert meta["unit_code"] == p.parent.parent.name and meta["period"] == p.parent.name
        assert meta["status"] in ("official", "provisional")
        assert set(DATASETS[meta["dataset"]].required) <= set(rows[0]), p
    # XLSX: meta key/value rows and real Excel cells
    xl = [p for p, m, _ in files if p.suffix == ".xlsx" and m["dataset"] == "agency_dx_status"]
    wb = openpyxl.load_workbook(xl[0])
    assert wb.sheetnames == ["meta", "data"]
    assert [r[0] for r in wb["meta"].iter_rows(values_only=True)][:4] == list(META[:4])
    cells = list(wb["data"].iter_rows(min_row=2, values_only=True))
    assert any(v is True for r in cells for v in r) and any(isinstance(r[-1], int) for r in cells)
    reg_xl = next(p for p, m, _ in files if p.suffix == ".xlsx" and m["dataset"] == "agency_register")
    assert any(isinstance(r[5], datetime) for r in openpyxl.load_workbook(reg_xl)["data"].iter_rows(
        min_row=2, values_only=True))
    # JSON: native types
    js = next(r for p, m, r in files if p.suffix == ".json" and m["dataset"] == "agency_security")
    assert all(isinstance(r["security_level"], int) and 1 <= r["security_level"] <= 5 for r in js)


def test_assignments_are_respected(sample, files):
    out, _ = sample
    assigned = assignments()
    leads = defaultdict(set)
    for t in csv.DictReader(io.StringIO((SEEDS / "tasks.csv").read_text(encoding="utf-8"))):
        for u in t["lead_units"].split(";"):
            leads[u].add(t["task_code"])
    doc = yaml.safe_load((out / "sources.yml").read_text(encoding="utf-8"))
    registered = {u["unit_code"] for u in doc["units"]}
    kinds = Counter(u["unit_kind"] for u in doc["units"])
    assert kinds["ministry"] >= 5 and kinds["province"] >= 8 and kinds["governing_body"] >= 3
    sources = {s["unit_code"]: s for s in doc["sources"]}
    assert set(sources) == {p.name for p in (out / "inbox").iterdir()}
    for u, s in sources.items():
        assert s["kind"] == "folder" and s["path"] == f"inbox/{u}" and s["contact"].endswith("@example.gov.vn")
    for p, m, rows in files:
        u, ds, per = m["unit_code"], m["dataset"], CAL[m["period"]]
        if ds == "annual_implementation":
            assert u in registered and per.quarter == 4
            assert {r["section"] for r in rows} <= {"I", "II", "III", "IV", "V", "VI"}
        else:
            assert (u, ds) in assigned, p
        if ds == "task_progress":
            assert per.quarter == 4 and {r["task_code"] for r in rows} <= leads[u]
        if ds == "platform_stage":
            assert {r["platform_code"] for r in rows} <= ({"epress"} if u == "CBC" else {"radio", "television"})
    every_year = {(m["unit_code"], CAL[m["period"]].year) for _, m, _ in files
                  if m["dataset"] == "annual_implementation"}
    assert len(every_year) >= 0.85 * len(registered) * 3


# -- figures -------------------------------------------------------------------------------------------------------
def test_staff_trained_never_exceeds_staff_total(files):
    n = 0
    for p, m, rows in files:
        if m["dataset"] == "agency_dx_status":
            for r in rows:
                tot, tr = to_int(r["staff_total"]), to_int(r["staff_trained"])
                assert (tot is None) == (tr is None)
                if tot is not None:
                    assert 0 <= tr <= tot, (p, r)
                    n += 1
    assert n > 5000


def test_figures_grow_towards_the_targets(sample, files):
    _, summary = sample
    q4 = [p for p in summary["periods"] if p.endswith("Q4")]
    share, trained, sec = {}, {}, {}
    for per in q4:
        dx = current(files, "CBC", "agency_dx_status", per)
        share[per] = sum(to_bool(r["distributes_on_digital_platforms"]) for r in dx) / len(dx)
        tot = sum(to_int(r["staff_total"]) or 0 for r in dx)
        trained[per] = sum(to_int(r["staff_trained"]) or 0 for r in dx) / tot
        s = current(files, "ATTT", "agency_security", per) or []
        sec[per] = sum(to_int(r["security_level"]) >= 3 for r in s) / max(1, len(s))
    assert list(share.values()) == sorted(share.values()) and list(trained.values()) == sorted(trained.values())
    assert 0.3 <= share["2023-Q4"] <= 0.5 and 0.6 <= share["2025-Q4"] <= 0.85  # targets 30 % and 70 %
    assert 0.35 <= trained["2023-Q4"] <= 0.55 and 0.7 <= trained["2025-Q4"] < 1.0  # targets 40 % and 100 %
    assert sec["2023-Q4"] < sec["2024-Q4"]
    # revenue: monthly from 2022-12, with a 2022 baseline
    months = set()
    for _, m, rows in files:
        if m["dataset"] == "agency_revenue":
            months |= {str(r["month"])[:7] for r in rows}
            assert all(to_int(r["revenue_vnd"]) >= 0 for r in rows)
    assert "2022-12" in months or "12/2022" in months
    base = next(rows for _, m, rows in files if m["dataset"] == "agency_revenue_baseline")
    assert len(base) > 600 and all(to_int(r["revenue_2022_vnd"]) >= 0 for r in base)
    cur = current(files, "PTIT", "university_curriculum", summary["periods"][-1])
    assert 15 <= len(cur) <= 30


# -- received times ----------------------------------------------------------------------------------------------------
def test_received_times_follow_the_calendar(sample, files):
    _, summary = sample
    last = CAL[summary["periods"][-1]]
    cap = (last.annual_report_due_at or last.due_at) + timedelta(days=60)
    late = 0
    for p, m, _ in files:
        per, t = CAL[m["period"]], mtime(p)
        assert t >= at(per.coverage_start), p  # never before the period starts
        due = per.annual_report_due_at if m["dataset"] == "annual_implementation" else per.due_at
        assert t <= min(cap, due + timedelta(days=60)), p
        late += t >= due
    assert 0 < late < 0.35 * len(files)
    # provisional submissions replaced by a later official one with other figures
    prov = [(p, m) for p, m, _ in files if m["status"] == "provisional"]
    assert len(prov) >= 3
    replaced = 0
    for p, m in prov:
        later = [q for q, n, _ in files if q.parent == p.parent and n["dataset"] == m["dataset"]
                 and n["status"] == "official" and mtime(q) > mtime(p)]
        if later:
            replaced += 1
            assert later[0].read_bytes() != p.read_bytes()
    assert replaced >= 3
    # the Q2 trend review, missing in one or two submissions
    q2 = [m for _, m, _ in files if m["period"].endswith("Q2")]
    without = [m for m in q2 if not m["commentary"]]
    assert q2 and 1 <= len(without) <= 2
    assert all("6 tháng" in m["commentary"] for m in q2 if m["commentary"] and m["status"] == "official"
               and "thay thế" not in m["commentary"])


# -- rejects -------------------------------------------------------------------------------------------------------------
def test_rejects_carry_one_intended_defect_each(sample, files):
    out, summary = sample
    rejects = summary["rejects"]
    assert {r["rule"] for r in rejects} == REJECT_RULES and len(rejects) == len(REJECT_RULES)
    assert set(MESSAGES) >= REJECT_RULES
    on_disk = {p.relative_to(out).as_posix() for p in out.glob("inbox/*/*/rejects_*")}
    assert on_disk == {r["path"] for r in rejects}
    known = {r["agency_code"] for p, m, rows in files if m["dataset"] == "agency_register" for r in rows}
    assigned = assignments()
    for r in rejects:
        path = out / r["path"]
        assert path.name.startswith(f"rejects_{r['rule']}_")
        folder_unit = path.parent.parent.name
        rule = r["rule"]
        if rule == "unsupported_format":
            assert path.suffix == ".xlsm"
            continue
        if rule == "unreadable":
            with pytest.raises(zipfile.BadZipFile):
                zipfile.ZipFile(path)
            continue
        meta, rows = read(path)
        if rule == "type":
            assert sum(1 for x in rows if x["converged_newsroom"] == "x") == 1
            assert all(x["distributes_on_digital_platforms"].lower() in BOOLS for x in rows)
        elif rule == "staff_trained_le_total":
            bad = [x for x in rows if x["staff_total"] is not None and x["staff_trained"] > x["staff_total"]]
            assert len(bad) == 1
        elif rule == "duplicate_key":
            counts = Counter(x["agency_code"] for x in rows)
            assert sorted(counts.values())[-2:] == [1, 2]
        elif rule == "column_missing":
            assert "security_level" not in rows[0]
        elif rule == "agency_unknown":
            assert [x["agency_code"] for x in rows if x["agency_code"] not in known] == [rows[0]["agency_code"]]
        elif rule == "unit_mismatch":
            assert meta["unit_code"] != folder_unit and (folder_unit, meta["dataset"]) in assigned
        elif rule == "dataset_not_assigned":
            assert meta["unit_code"] == folder_unit and (folder_unit, meta["dataset"]) not in assigned
        elif rule == "period_not_started":
            assert mtime(path) < at(CAL[meta["period"]].coverage_start)
            assert meta["period"] != path.parent.name
        if rule not in ("unit_mismatch",):
            assert meta["unit_code"] == folder_unit
        if rule != "period_not_started":
            assert mtime(path) >= at(CAL[meta["period"]].coverage_start)
