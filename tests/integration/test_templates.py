"""The XLSX templates: filled in with openpyxl or re-saved by LibreOffice, intake reads them the same way."""

from __future__ import annotations

import fcntl
import io
import os
import shutil
import subprocess
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path

import openpyxl
import pytest

from ingest.checks import referential
from ingest.normalise import normalise
from ingest.parsing import Limits, parse
from ingest.sources import Incoming, Source
from ingest.submission import prepare
from ingest.templates import BOOL_CHOICES, FIRST_ROW, LAST_ROW, template, write_templates
from pressdx.domain.datasets import DATASETS
from pressdx.domain.reference import reference

PERIOD = "2024-Q4"
RECEIVED = datetime(2025, 1, 5, 2, 0, tzinfo=UTC)
AGENCIES = {"A001", "A002"}
REF = reference().with_units({"BTC": "ministry"})

# dataset -> (submitting unit, rows as a clerk types them: typed cells where Excel would have them)
SAMPLES: dict[str, tuple[str, list[dict]]] = {
    "agency_register": ("CBC", [
        {"agency_code": "a001", "agency_name": "Báo Nhân Dân", "agency_kind": "newspaper",
         "governing_body": "Trung ương Đảng", "media_types": "print;electronic", "licensed_on": date(1990, 1, 1)},
        {"agency_code": "A002", "agency_name": "Tạp chí Cộng sản", "agency_kind": "Magazine",
         "governing_body": "Trung ương Đảng", "media_types": "electronic; print", "licensed_on": "07/09/1945",
         "closed_on": datetime(2024, 11, 30)},
    ]),
    "agency_dx_status": ("CBC", [
        {"agency_code": "A001", "distributes_on_digital_platforms": True, "uses_domestic_platforms": False,
         "uses_data_ai_platform": "có", "converged_newsroom": True, "doing_digital_transformation": "không",
         "staff_total": 1200, "staff_trained": 300},
        {"agency_code": "a002", "distributes_on_digital_platforms": "không", "uses_data_ai_platform": False,
         "converged_newsroom": False, "doing_digital_transformation": True, "staff_total": "1.040"},
    ]),
    "agency_revenue": ("CBC", [
        {"agency_code": "A001", "month": date(2024, 9, 1), "revenue_vnd": 1_234_567_890},
        {"agency_code": "A001", "month": "10/2024", "revenue_vnd": 987_654_321},
        {"agency_code": "A002", "month": datetime(2024, 11, 1), "revenue_vnd": 0},
    ]),
    "agency_revenue_baseline": ("CBC", [
        {"agency_code": "A001", "revenue_2022_vnd": 15_000_000_000},
        {"agency_code": "A002", "revenue_2022_vnd": "2.500.000.000"},
    ]),
    "agency_security": ("ATTT", [
        {"agency_code": "A001", "security_level": 3, "certified_on": date(2023, 5, 17)},
        {"agency_code": "A002", "security_level": 2},
    ]),
    "university_curriculum": ("PTIT", [
        {"institution_code": "HVBCTT", "institution_name": "Học viện Báo chí và Tuyên truyền",
         "has_journalism_program": True, "curriculum_updated": True},
        {"institution_code": "0123", "institution_name": "Khoa Báo chí, Trường Đại học Khoa học Xã hội và Nhân văn",
         "has_journalism_program": "có", "curriculum_updated": False},
    ]),
    "platform_stage": ("CBC", [
        {"platform_code": "epress", "stage": "developing", "evidence": "Quyết định số 123/QĐ-BTTTT"},
    ]),
    "task_progress": ("VPC", [
        {"task_code": "I.2", "year": 2024, "status": "in_progress", "progress_pct": 62.5, "output_count": 3,
         "deliverable_ref": "Báo cáo số 45/BC-VPC", "note": "Đang rà soát"},
        {"task_code": "i.3", "status": "completed", "progress_pct": 100},
    ]),
    "annual_implementation": ("BTC", [
        {"section": "I", "summary": "Đã ban hành kế hoạch chuyển đổi số báo chí của Bộ",
         "difficulties": "Thiếu kinh phí", "proposals": "Bổ sung kinh phí năm 2025"},
        {"section": "ii", "summary": "Tổ chức 2 lớp bồi dưỡng kỹ năng số"},
    ]),
}


def test_samples_cover_every_dataset():
    assert set(SAMPLES) == set(DATASETS)


def fill(template_bytes: bytes, unit: str, rows: list[dict], status: str = "official",
         commentary: str | None = "Nhận xét quý") -> bytes:
    """What a clerk does: fill the meta values and type the rows under the header, then save."""
    wb = openpyxl.load_workbook(io.BytesIO(template_bytes))
    meta = wb["meta"]
    values = {"unit_code": unit, "period": PERIOD, "status": status, "commentary": commentary}
    for (key, value_cell, *_) in meta.iter_rows(min_row=2):
        if key.value in values:
            value_cell.value = values[key.value]
    data = wb["data"]
    header = [c.value for c in data[1]]
    for r, row in enumerate(rows, start=2):
        for c, name in enumerate(header, start=1):
            data.cell(r, c, row.get(name))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def take(name: str, data: bytes, unit: str):
    sub = prepare(Incoming(Source(f"{unit}:inbox", unit, "folder"), name, data, RECEIVED), REF, Limits())
    if not sub.errors:
        referential(sub, REF, AGENCIES)
    return sub


@pytest.fixture(scope="module")
def filled(tmp_path_factory) -> dict[str, Path]:
    """Every dataset's template, written by ``write_templates`` and filled in with openpyxl."""
    out = tmp_path_factory.mktemp("filled")
    blank = tmp_path_factory.mktemp("templates")
    paths = {}
    for path in write_templates(blank, period=PERIOD):
        unit, rows = SAMPLES[path.stem]
        paths[path.stem] = out / path.name
        paths[path.stem].write_bytes(fill(path.read_bytes(), unit, rows))
    return paths


# -- the template itself -----------------------------------------------------------------------------------
def test_one_workbook_per_dataset_with_exact_headers(tmp_path):
    paths = write_templates(tmp_path / "t")
    assert [p.name for p in paths] == [f"{d}.xlsx" for d in DATASETS]
    for p in paths:
        ds = DATASETS[p.stem]
        wb = openpyxl.load_workbook(p)
        assert wb.sheetnames[:3] == ["meta", "data", "help"] and wb.active.title == "meta"
        assert set(wb.sheetnames) <= {"meta", "data", "help", "lists"}
        if "lists" in wb.sheetnames:
            assert wb["lists"].sheet_state == "hidden"
        data = wb["data"]
        assert data.max_row == 1  # no description row: the parser reads row 1 as the header, the rest as data
        assert tuple(c.value for c in data[1]) == ds.column_names
        assert all(c.font.b for c in data[1]) and data.freeze_panes == "A2"
        assert all(c.comment is not None and c.value in c.comment.text for c in data[1])
        meta = {r[0]: r[1] for r in wb["meta"].iter_rows(min_row=2, max_col=2, values_only=True)}
        assert meta == {"unit_code": None, "dataset": ds.name, "period": None, "status": None, "commentary": None}
        assert all(r[2] for r in wb["meta"].iter_rows(min_row=2, max_col=3, values_only=True))  # explanations
        help_text = "\n".join(str(v) for r in wb["help"].iter_rows(values_only=True) for v in r if v)
        assert all(c in help_text for c in ds.column_names)


def test_output_is_deterministic_and_prefills_unit_and_period(tmp_path):
    a = write_templates(tmp_path / "a", unit_code=" cbc", period="2024-q2")
    b = write_templates(tmp_path / "b", unit_code="CBC", period="2024 - Q2")
    assert [p.read_bytes() for p in a] == [p.read_bytes() for p in b]
    doc = parse("agency_register.xlsx", a[0].read_bytes())
    assert doc.meta == {"unit_code": "CBC", "dataset": "agency_register", "period": "2024-Q2"}
    # annual datasets belong to Y-Q4: a Q2 period is not pre-filled there
    annual = parse("x.xlsx", (tmp_path / "a" / "annual_implementation.xlsx").read_bytes())
    assert "period" not in annual.meta
    wb = openpyxl.load_workbook(a[0])
    assert wb.properties.created == wb.properties.modified == datetime(2023, 1, 1)
    with pytest.raises(ValueError, match="unknown period"):
        template("agency_register", period="2031-Q1")
    with pytest.raises(ValueError, match="unknown dataset"):
        write_templates(tmp_path / "c", datasets=["nope"])


def test_task_list_is_restricted_to_the_units_tasks():
    wb = openpyxl.load_workbook(io.BytesIO(template("task_progress", unit_code="VPC")))
    codes = dropdowns(wb)["data"]["A"]
    lead = {t.code for t in reference().tasks.values() if "VPC" in t.lead_units}
    assert codes == lead
    wb = openpyxl.load_workbook(io.BytesIO(template("task_progress")))
    assert dropdowns(wb)["data"]["A"] == set(reference().tasks)


def test_parser_reads_only_meta_and_data(filled):
    for ds, path in filled.items():
        doc = parse(path.name, path.read_bytes())
        unit, rows = SAMPLES[ds]
        assert doc.header == list(DATASETS[ds].column_names)
        assert len(doc.rows) == len(rows)  # nothing from the help or lists sheets
        assert doc.meta == {"unit_code": unit, "dataset": ds, "period": PERIOD, "status": "official",
                            "commentary": "Nhận xét quý"}


def test_unfilled_template_is_rejected_not_crashed():
    blank = template("agency_dx_status")
    sub = take("agency_dx_status.xlsx", blank, "CBC")
    # every mistake in one round (issue 15): the empty data sheet is told together with the metadata
    assert {(f.rule, f.column) for f in sub.errors} == {("meta_missing", "unit_code"), ("meta_missing", "period"),
                                                         ("meta_missing", "status"), ("no_rows", None)}
    sub = take("agency_dx_status.xlsx", fill(blank, "CBC", []), "CBC")
    assert [f.rule for f in sub.errors] == ["no_rows"]


# -- (1) filled in with openpyxl ----------------------------------------------------------------------------
@pytest.mark.parametrize("dataset", list(DATASETS))
def test_filled_template_is_accepted(filled, dataset):
    unit, rows = SAMPLES[dataset]
    sub = take(filled[dataset].name, filled[dataset].read_bytes(), unit)
    assert sub.errors == [], [f.as_report() for f in sub.errors]
    assert sub.encoding == "xlsx" and sub.meta["unit_code"] == unit and sub.meta["dataset"] == dataset
    ds = DATASETS[dataset]
    assert len(sub.rows) == len(rows)
    for typed, raw in zip(sub.rows, rows, strict=True):
        for col in ds.columns:
            assert typed[col.name] == normalise(col, raw.get(col.name)), (col.name, raw.get(col.name))
            assert (typed[col.name] is None) == (raw.get(col.name) is None)


def test_typed_cells_become_typed_values(filled):
    rows = {ds: take(p.name, p.read_bytes(), SAMPLES[ds][0]).rows for ds, p in filled.items()}
    assert rows["agency_register"][0]["licensed_on"] == date(1990, 1, 1)
    assert rows["agency_register"][1]["closed_on"] == date(2024, 11, 30)
    assert rows["agency_register"][1]["licensed_on"] == date(1945, 9, 7)  # DD/MM/YYYY, never month-first
    assert rows["agency_register"][1]["media_types"] == "print;electronic"
    assert rows["agency_dx_status"][0]["distributes_on_digital_platforms"] is True
    assert rows["agency_dx_status"][0]["doing_digital_transformation"] is False
    assert rows["agency_dx_status"][1]["staff_total"] == 1040
    assert [r["month"] for r in rows["agency_revenue"]] == [date(2024, 9, 1), date(2024, 10, 1), date(2024, 11, 1)]
    assert rows["university_curriculum"][1]["institution_code"] == "0123"
    assert rows["task_progress"][0]["progress_pct"] == 62.5 and rows["task_progress"][1]["task_code"] == "I.3"
    assert [r["section"] for r in rows["annual_implementation"]] == ["I", "II"]


# -- (3) drop-downs ------------------------------------------------------------------------------------------
def dropdowns(wb, last_row: int = LAST_ROW) -> dict[str, dict[str, set[str]]]:
    """sheet -> column letter (data) or cell (meta) -> the values of its list validation.

    A data validation must cover rows 2..``last_row`` at least."""
    out: dict[str, dict[str, set[str]]] = {}
    for ws in (wb["meta"], wb["data"]):
        for dv in ws.data_validations.dataValidation:
            if dv.type != "list":
                continue
            f = dv.formula1
            if f.startswith('"'):
                values = set(f.strip('"').split(","))
            else:  # a defined name, or a range, in the hidden lists sheet
                ref = wb.defined_names[f].attr_text if f in wb.defined_names else f
                sheet, rng = ref.rsplit("!", 1)
                cells = wb[sheet.strip("'")][rng.replace("$", "")]
                values = {str(c.value) for (c,) in cells}
            for cr in dv.sqref.ranges:
                if ws.title == "data":  # a whole column's worth of rows; keyed by column letter
                    assert cr.min_row <= FIRST_ROW and cr.max_row >= last_row, cr.coord
                    key = openpyxl.utils.get_column_letter(cr.min_col)
                else:  # meta: keyed by cell
                    key = cr.coord.split(":")[0]
                out.setdefault(ws.title, {})[key] = values
    return out


def assert_dropdowns(wb, dataset: str, last_row: int = LAST_ROW) -> None:
    lists = dropdowns(wb, last_row)
    assert lists["meta"]["B5"] == {"provisional", "official"}
    periods = lists["meta"]["B4"]
    assert PERIOD in periods and ("2024-Q2" in periods) == (DATASETS[dataset].periods != "q4")
    for ci, col in enumerate(DATASETS[dataset].columns, start=1):
        letter = openpyxl.utils.get_column_letter(ci)
        if col.kind == "enum":
            assert lists["data"][letter] == set(col.choices), col.name
        elif col.kind == "bool":
            assert lists["data"][letter] == set(BOOL_CHOICES), col.name


@pytest.mark.parametrize("dataset", list(DATASETS))
def test_dropdowns_for_enum_and_bool_columns(dataset):
    wb = openpyxl.load_workbook(io.BytesIO(template(dataset)))
    assert_dropdowns(wb, dataset)


# -- (2) re-saved by LibreOffice -------------------------------------------------------------------------------
def _soffice(files: list[Path], out: Path, profile: Path) -> None:
    """One headless LibreOffice call converting every file xlsx -> xlsx into ``out`` (it is slow to start)."""
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        msg = "LibreOffice (soffice) is not installed: apt-get install libreoffice-calc"
        if os.environ.get("CI") == "true":
            pytest.fail(msg)
        pytest.skip(msg)
    t0 = time.monotonic()
    proc = subprocess.run(
        [exe, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore", "--nolockcheck",
         "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(out), *map(str, files)],
        capture_output=True, text=True, timeout=300, check=False)
    print(f"LibreOffice converted {len(files)} files in {time.monotonic() - t0:.1f}s", file=sys.stderr)
    missing = [p.name for p in files if not (out / p.name).exists()]
    assert proc.returncode == 0 and not missing, (proc.returncode, missing, proc.stdout, proc.stderr)


@pytest.fixture(scope="module")
def resaved(filled, tmp_path_factory) -> dict[str, Path]:
    """The filled templates as LibreOffice re-saves them, converted once per test run.

    Under pytest-xdist the workers share the run's temporary directory and take turns on a lock, so only
    the first converts (the ``xdist_group`` mark alone does not group tests with pytest 9 + xdist 3.8).
    """
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent  # the run's directory, common to its workers
    out = shared / "libreoffice-out"
    with (shared / "libreoffice.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (out / ".done").exists():
            out.mkdir(exist_ok=True)
            _soffice(list(filled.values()), out, shared / "libreoffice-profile")
            (out / ".done").touch()
    return {ds: out / p.name for ds, p in filled.items()}


@pytest.mark.slow
@pytest.mark.xdist_group("libreoffice")  # with --dist loadgroup: one worker, so one conversion per run
@pytest.mark.parametrize("dataset", list(DATASETS))
def test_libreoffice_resave_gives_identical_rows(filled, resaved, dataset):
    unit = SAMPLES[dataset][0]
    ours = take(filled[dataset].name, filled[dataset].read_bytes(), unit)
    theirs = take(resaved[dataset].name, resaved[dataset].read_bytes(), unit)
    assert resaved[dataset].read_bytes() != filled[dataset].read_bytes()
    assert theirs.errors == [], [f.as_report() for f in theirs.errors]
    assert theirs.meta == ours.meta
    assert theirs.rows == ours.rows
    assert [type(v) for r in theirs.rows for v in r.values()] == [type(v) for r in ours.rows for v in r.values()]


@pytest.mark.slow
@pytest.mark.xdist_group("libreoffice")
@pytest.mark.parametrize("dataset", list(DATASETS))
def test_libreoffice_keeps_the_dropdowns(resaved, dataset):
    # LibreOffice keeps a validation only down to 1,000 rows below the last row holding data
    last = 1 + len(SAMPLES[dataset][1]) + 1000
    assert_dropdowns(openpyxl.load_workbook(resaved[dataset]), dataset, last)

