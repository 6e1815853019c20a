"""The Great Expectations checks of ``submissions.md`` (Validation): each rule, on typed frames as intake builds them."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from ingest.validation import SUITES_DIR, validate, write_suites
from pressdx.domain.datasets import DATASETS

ROOT = Path(__file__).resolve().parents[2]

# One valid row per dataset, typed as the normaliser types it; tests change one cell.
CLEAN: dict[str, dict] = {
    "agency_register": {
        "agency_code": "AG1", "agency_name": "Báo Nhân Dân", "agency_kind": "newspaper", "governing_body": "TW",
        "media_types": "print;electronic", "licensed_on": date(2010, 1, 1), "closed_on": None,
    },
    "agency_dx_status": {
        "agency_code": "AG1", "distributes_on_digital_platforms": True, "uses_domestic_platforms": False,
        "uses_data_ai_platform": False, "converged_newsroom": True, "doing_digital_transformation": False,
        "staff_total": 10, "staff_trained": 10,
    },
    "agency_revenue": {"agency_code": "AG1", "month": date(2024, 1, 1), "revenue_vnd": 0},
    "agency_revenue_baseline": {"agency_code": "AG1", "revenue_2022_vnd": 1_500_000_000},
    "agency_security": {"agency_code": "AG1", "security_level": 5, "certified_on": date(2024, 3, 1)},
    "university_curriculum": {
        "institution_code": "HV1", "institution_name": "Học viện Báo chí", "has_journalism_program": True,
        "curriculum_updated": False,
    },
    "platform_stage": {"platform_code": "radio", "stage": "developing", "evidence": "QĐ 12"},
    "task_progress": {
        "task_code": "T1", "year": 2025, "status": "in_progress", "progress_pct": 100.0, "output_count": 0,
        "deliverable_ref": None, "note": None,
    },
    "annual_implementation": {"section": "I", "summary": "Đã triển khai", "difficulties": None, "proposals": None},
}
# A second valid key for each dataset, so that clean frames can have several rows.
NEXT_KEY: dict[str, dict] = {
    "agency_register": {"agency_code": "AG2"},
    "agency_dx_status": {"agency_code": "AG2"},
    "agency_revenue": {"month": date(2024, 2, 1)},
    "agency_revenue_baseline": {"agency_code": "AG2"},
    "agency_security": {"agency_code": "AG2"},
    "university_curriculum": {"institution_code": "HV2"},
    "platform_stage": {"platform_code": "television"},
    "task_progress": {"task_code": "T2"},
    "annual_implementation": {"section": "II"},
}


def frame(dataset: str, *changes: dict, submission="S1", rows: list[int] | None = None) -> pd.DataFrame:
    """One submission whose row n (1-based) is the clean row with ``changes[n-1]`` applied."""
    records = [{"_submission": submission, "_row": rows[i] if rows else i + 1, **CLEAN[dataset], **c}
               for i, c in enumerate(changes)]
    return pd.DataFrame.from_records(records, columns=["_submission", "_row", *DATASETS[dataset].column_names])


def only(result: dict, submission="S1"):
    """The single finding of ``submission``, as (rule, row, column, value)."""
    findings = result[submission]
    assert len(findings) == 1, findings
    f = findings[0]
    return f.rule, f.row, f.column, f.value


def test_suites_on_disk_equal_the_contract(tmp_path):
    written = write_suites(tmp_path)
    assert sorted(p.name for p in written) == sorted(f"{d}.json" for d in DATASETS)
    committed = sorted(p.name for p in SUITES_DIR.glob("*.json"))
    assert committed == sorted(p.name for p in written), "run: python -m ingest.validation"
    for p in written:
        assert (SUITES_DIR / p.name).read_text(encoding="utf-8") == p.read_text(encoding="utf-8"), (
            f"expectations/{p.name} differs from ingest/datasets.py; run: python -m ingest.validation")


@pytest.mark.parametrize("dataset", sorted(DATASETS))
def test_clean_frame_has_no_findings(dataset):
    assert validate(dataset, frame(dataset, {}, NEXT_KEY[dataset])) == {"S1": []}


@pytest.mark.parametrize("dataset", sorted(DATASETS))
def test_empty_optional_columns_never_fail(dataset):
    optional = {c.name: None for c in DATASETS[dataset].columns if not c.required}
    assert validate(dataset, frame(dataset, optional, {**NEXT_KEY[dataset], **optional})) == {"S1": []}


@pytest.mark.parametrize("dataset", sorted(DATASETS))
def test_absent_optional_columns_never_fail(dataset):
    f = frame(dataset, {})
    f = f.drop(columns=[c.name for c in DATASETS[dataset].columns if not c.required])
    assert validate(dataset, f) == {"S1": []}


@pytest.mark.parametrize("dataset,column", [
    (d, c.name) for d in sorted(DATASETS) for c in DATASETS[d].columns if c.required])
def test_empty_required_cell_is_reported_once(dataset, column):
    result = validate(dataset, frame(dataset, {}, {**NEXT_KEY[dataset], column: None}))
    assert only(result) == ("required", 2, column, None)


def test_false_and_zero_are_values_not_empty_cells():
    f = frame("agency_dx_status", {"distributes_on_digital_platforms": False, "uses_data_ai_platform": False,
                                   "staff_total": 0, "staff_trained": 0})
    assert validate("agency_dx_status", f) == {"S1": []}


def test_nan_in_a_required_number_column_is_empty():
    f = frame("agency_revenue", {}, {"month": date(2024, 2, 1), "revenue_vnd": float("nan")})
    assert only(validate("agency_revenue", f)) == ("required", 2, "revenue_vnd", None)


def test_nullable_extension_dtypes():
    f = frame("agency_dx_status", {}, NEXT_KEY["agency_dx_status"])
    f["staff_total"] = pd.array([10, None], dtype="Int64")
    f["staff_trained"] = pd.array([11, 3], dtype="Int64")
    f["converged_newsroom"] = pd.array([True, None], dtype="boolean")
    findings = validate("agency_dx_status", f)["S1"]
    assert [(x.rule, x.row, x.column, x.value) for x in findings] == [
        ("staff_trained_le_total", 1, "staff_trained", "11"),
        ("required", 2, "converged_newsroom", None),
    ]


def test_value_outside_the_enum():
    f = frame("agency_register", {}, {"agency_code": "AG2", "agency_kind": "blog"})
    assert only(validate("agency_register", f)) == ("enum", 2, "agency_kind", "blog")


@pytest.mark.parametrize("cell", ["print;fax", "fax", "print;;radio", ""])
def test_enum_list_item_outside_the_choices(cell):
    f = frame("agency_register", {}, {"agency_code": "AG2", "media_types": cell})
    assert only(validate("agency_register", f)) == ("enum", 2, "media_types", cell)


@pytest.mark.parametrize("cell", ["print", "television;radio;print;electronic"])
def test_enum_list_of_allowed_items(cell):
    assert validate("agency_register", frame("agency_register", {"media_types": cell})) == {"S1": []}


@pytest.mark.parametrize("dataset,column,value,shown", [
    ("agency_security", "security_level", 6, "6"),
    ("agency_security", "security_level", 0, "0"),
    ("agency_dx_status", "staff_total", -1, "-1"),
    ("agency_revenue", "revenue_vnd", -5, "-5"),
    ("task_progress", "progress_pct", 100.5, "100.5"),
    ("task_progress", "year", 2031, "2031"),
])
def test_value_outside_the_range(dataset, column, value, shown):
    changes = {column: value, "staff_trained": None} if column == "staff_total" else {column: value}
    f = frame(dataset, {}, {**NEXT_KEY[dataset], **changes})
    assert only(validate(dataset, f)) == ("range", 2, column, shown)


def test_range_bounds_are_inclusive():
    f = frame("task_progress", {"progress_pct": 0.0, "year": 2023}, {"progress_pct": 100.0, "year": 2030})
    assert validate("task_progress", f) == {"S1": []}


def test_duplicate_key_reports_every_row_but_the_first():
    f = frame("agency_register", {}, {}, {"agency_code": "AG2"}, {})
    findings = validate("agency_register", f)["S1"]
    assert [(x.rule, x.row, x.column, x.value) for x in findings] == [
        ("duplicate_key", 2, "agency_code", "AG1"),
        ("duplicate_key", 4, "agency_code", "AG1"),
    ]


def test_duplicate_compound_key():
    f = frame("agency_revenue", {}, {"agency_code": "AG2"}, {"revenue_vnd": 7})
    assert only(validate("agency_revenue", f)) == ("duplicate_key", 3, "agency_code+month", "AG1+2024-01")


def test_duplicate_key_with_an_empty_optional_key_column():
    f = frame("task_progress", {"year": None}, {"year": 2025}, {"year": None})
    assert only(validate("task_progress", f)) == ("duplicate_key", 3, "task_code+year", "T1+")


def test_rows_with_an_empty_required_key_are_not_also_duplicates():
    f = frame("agency_security", {"agency_code": None}, {"agency_code": None})
    findings = validate("agency_security", f)["S1"]
    assert [(x.rule, x.row, x.column) for x in findings] == [
        ("required", 1, "agency_code"), ("required", 2, "agency_code")]


def test_duplicate_key_set_is_ordered_by_row_number_not_by_frame_order():
    f = frame("agency_security", {}, {}, rows=[9, 4])
    assert only(validate("agency_security", f)) == ("duplicate_key", 9, "agency_code", "AG1")


def test_same_key_in_two_submissions_is_not_a_duplicate():
    f = pd.concat([frame("agency_security", {}, submission="A"), frame("agency_security", {}, submission="B")])
    assert validate("agency_security", f) == {"A": [], "B": []}


def test_staff_trained_above_total():
    f = frame("agency_dx_status", {}, {"agency_code": "AG2", "staff_total": 10, "staff_trained": 11})
    assert only(validate("agency_dx_status", f)) == ("staff_trained_le_total", 2, "staff_trained", "11")


@pytest.mark.parametrize("total,trained", [(None, 11), (10, None), (None, None), (10, 10)])
def test_staff_rule_ignores_empty_cells_and_allows_equality(total, trained):
    f = frame("agency_dx_status", {"staff_total": total, "staff_trained": trained})
    assert validate("agency_dx_status", f) == {"S1": []}


def test_closed_before_licensed():
    f = frame("agency_register", {}, {"agency_code": "AG2", "licensed_on": date(2020, 5, 2),
                                      "closed_on": date(2020, 5, 1)})
    assert only(validate("agency_register", f)) == ("closed_after_licensed", 2, "closed_on", "2020-05-01")


@pytest.mark.parametrize("licensed,closed", [
    (None, date(2020, 1, 1)), (date(2020, 1, 1), None), (date(2020, 1, 1), date(2020, 1, 1))])
def test_closing_rule_ignores_empty_cells_and_allows_the_same_day(licensed, closed):
    f = frame("agency_register", {"licensed_on": licensed, "closed_on": closed})
    assert validate("agency_register", f) == {"S1": []}


def test_only_the_bad_submission_gets_findings():
    good = frame("agency_security", {}, {"agency_code": "AG2"}, submission="good")
    bad = frame("agency_security", {}, {"agency_code": "AG2", "security_level": 9}, submission="bad")
    result = validate("agency_security", pd.concat([good, bad, good.assign(_submission="good2")]))
    assert list(result) == ["good", "bad", "good2"]
    assert result["good"] == [] and result["good2"] == []
    assert only(result, "bad") == ("range", 2, "security_level", "9")


def test_many_submissions_in_one_frame_keep_their_own_row_numbers():
    parts = [frame("agency_revenue", {}, {"month": date(2024, 2, 1)}, submission=k) for k in range(20)]
    parts[7].loc[1, "revenue_vnd"] = -1
    parts[13].loc[0, "agency_code"] = None
    result = validate("agency_revenue", pd.concat(parts))
    assert list(result) == list(range(20))
    assert {k: [(x.rule, x.row) for x in v] for k, v in result.items() if v} == {
        7: [("range", 2)], 13: [("required", 1)]}


def test_frame_index_does_not_matter():
    f = frame("agency_security", {}, {"agency_code": "AG2", "security_level": 9}, {"agency_code": "AG3"})
    f.index = [30, 10, 20]
    assert only(validate("agency_security", f)) == ("range", 2, "security_level", "9")


def test_findings_are_sorted_by_row():
    f = frame("agency_security", {"security_level": 0}, {}, {"agency_code": None})
    findings = validate("agency_security", f)["S1"]
    assert [(x.row, x.rule) for x in findings] == [(1, "range"), (2, "duplicate_key"), (3, "required")]


def test_required_column_absent_from_the_frame_is_one_finding_per_submission():
    f = pd.concat([frame("agency_revenue", {}, {"month": date(2024, 2, 1)}, submission=k) for k in "AB"])
    result = validate("agency_revenue", f.drop(columns=["revenue_vnd"]))
    assert {k: [(x.rule, x.row, x.column) for x in v] for k, v in result.items()} == {
        "A": [("column_missing", None, "revenue_vnd")], "B": [("column_missing", None, "revenue_vnd")]}


def test_empty_frame():
    assert validate("agency_revenue", frame("agency_revenue")) == {}


def test_unknown_dataset():
    with pytest.raises(ValueError, match="unknown dataset"):
        validate("nope", frame("agency_revenue", {}))


def test_messages_are_bilingual_and_name_the_fix():
    f = frame("agency_register",
              {"agency_name": None},
              {"agency_code": "AG2", "agency_kind": "blog"},
              {"agency_code": "AG3", "media_types": "print;fax"},
              {"agency_code": "AG3"},
              {"agency_code": "AG4", "licensed_on": date(2021, 1, 1), "closed_on": date(2020, 1, 1)})
    findings = validate("agency_register", f)["S1"]
    assert [x.rule for x in findings] == ["required", "enum", "enum", "duplicate_key", "closed_after_licensed"]
    f2 = frame("agency_dx_status", {"staff_total": 1, "staff_trained": 2})
    f3 = frame("agency_security", {"security_level": 6})
    findings += validate("agency_dx_status", f2)["S1"] + validate("agency_security", f3)["S1"]
    for x in findings:
        assert x.severity == "error"
        for msg in (x.message_vi, x.message_en):
            assert "{" not in msg and msg.endswith(".")
            assert x.value is None or x.value in msg
    by_rule = {x.rule: x for x in findings}
    kind, media = findings[1], findings[2]
    assert "newspaper, magazine, broadcaster, news_agency" in kind.message_en
    assert "print, electronic, radio, television" in media.message_en and "';'" in media.message_en
    assert "';'" in media.message_vi
    assert "1–5" in by_rule["range"].message_en and "1–5" in by_rule["range"].message_vi
    assert "agency_name" in by_rule["required"].message_vi


@pytest.mark.slow
def test_gx_is_quiet():
    """No INFO lines from GX's import, no progress bars, with a root logger that shows INFO."""
    code = (
        "import logging, sys; logging.basicConfig(level=logging.INFO, stream=sys.stderr)\n"
        "import pandas as pd\n"
        "from ingest.validation import validate\n"
        "f = pd.DataFrame({'_submission': [1, 1], '_row': [1, 2], 'agency_code': ['A', 'A'],"
        " 'revenue_2022_vnd': [1, -1]})\n"
        "r = validate('agency_revenue_baseline', f)\n"
        "print(sorted(x.rule for x in r[1]))\n"
    )
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "['duplicate_key', 'range']"
    assert "great_expectations" not in run.stderr and "Calculating Metrics" not in run.stderr, run.stderr
