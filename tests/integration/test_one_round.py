"""The clerk gets every mistake in one round (issue 15 item 2).

An XLSX and a CSV each with ten planted mistakes of different kinds: one ``pressdx validate`` run lists all
ten, each at the row as the clerk sees it (the Excel row on the data sheet and ``meta!B5``-style cells; the
CSV line, counting quoted newlines). Groups of one kind are capped with a count, in both languages and in
the audit; a task_progress header naming ``status`` twice is told so, with the fix; validate without the
agency registers it needs refuses with one line and exit 2; ``--format json`` is the intake report's
shape; every message is wholly in one language.
"""

from __future__ import annotations

import io
import json
import re
from datetime import UTC, datetime, timedelta

import openpyxl
import pytest

from ingest.intake import take_in
from ingest.sources import Incoming, Source
from pressdx.cli import main
from pressdx.domain.datasets import DATASETS, STATUSES
from pressdx.domain.findings import MESSAGES
from pressdx.warehouse.connection import connect

HEAD = "unit_code,dataset,period,status,"
REGISTER = HEAD + "agency_code,agency_name,agency_kind,governing_body,media_types\n" + "".join(
    f"CBC,agency_register,2024-Q2,official,A00{i},Báo {i},newspaper,Bộ X,print\n" for i in range(1, 8))


def dx_xlsx() -> bytes:
    """agency_dx_status with ten mistakes: two metadata cells and eight data cells/rows."""
    wb = openpyxl.Workbook()
    meta = wb.active
    meta.title = "meta"
    for r in (("key", "value"), ("unit_code", "CBC"), ("dataset", "agency_dx_status"),
              ("period", "2024-Q9"),        # 1. meta!B4: no such period
              ("status", None),             # 2. meta!B5: missing
              ("commentary", "ok")):
        meta.append(list(r))
    data = wb.create_sheet("data")
    data.append(["agency_code", "distributes_on_digital_platforms", "uses_domestic_platforms",
                 "uses_data_ai_platform", "converged_newsroom", "doing_digital_transformation", "staff_total",
                 "staff_trained"])
    ok = ["có", "có", "có", "có", "có"]
    data.append(["A001", *ok, 10, 5])                              # row 2: fine
    data.append(["A002", "x", *ok[1:], 10, 5])                     # 3. B3: not a yes/no value
    data.append(["A003", *ok, 12.5, 5])                            # 4. G4: a fraction in an integer
    data.append(["A004", "có", "có", None, "có", "có", 10, 5])     # 5. D5: required, empty
    data.append(["A005", *ok, -3, None])                           # 6. G6: below 0
    data.append(["A001", *ok, 10, 5])                              # 7. row 7: A001 again
    data.append(["Z999", *ok, 10, 5])                              # 8. A8: in no accepted register
    data.append(["A006", *ok, 10, 50])                             # 9. H9: trained > total
    data.append(["A007", "có", "có", "có", "=1+1", "có", 10, 5])   # 10. E10: a formula without its value
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


XLSX_EXPECTED = {  # (rule, row, column) -> the place the messages start with (en)
    ("meta_invalid", None, "period"): "Cell meta!B4",
    ("meta_missing", None, "status"): "Cell meta!B5",
    ("type", 3, "distributes_on_digital_platforms"): "Cell data!B3",
    ("type", 4, "staff_total"): "Cell data!G4",
    ("required", 5, "uses_data_ai_platform"): "Cell data!D5",
    ("range", 6, "staff_total"): "Cell data!G6",
    ("duplicate_key", 7, "agency_code"): "Cell data!A7",
    ("agency_unknown", 8, "agency_code"): "Cell data!A8",
    ("staff_trained_le_total", 9, "staff_trained"): "Cell data!H9",
    ("formula_without_value", 10, "converged_newsroom"): "Cell data!E10",
}

TP = "unit_code,dataset,period,submission_status,task_code,year,status,progress_pct,output_count,note\n"
M = "CBC,task_progress,2024-Q4,final,"  # 1. submission_status: neither provisional nor official (every line)
TASKS_CSV = TP + (
    M + 'I.1,,completed,100,,"Ghi chú\nnhiều dòng"\n'   # lines 2-3: a quoted newline, fine
    + M + "II.2,2024,done,50,,\n"                      # 2. line 4: status not a task status
    + M + "III.5,2024,in_progress,150,,\n"             # 3. line 5: progress above 100
    + M + "III.10,2024,in_progress,abc,,\n"            # 4. line 6: progress not a number
    + M + ",2024,completed,,,\n"                       # 5. line 7: task_code required
    + M + "IX.9,,completed,,,\n"                       # 6. line 8: no such task
    + M + "I.2,2024,completed,,,\n"                    # 7. line 9: VPC leads I.2, not CBC
    + M + "II.2,2024,completed,,,\n"                   # 8. line 10: (II.2, 2024) again
    + M + "II.3,,completed,,,\n"                       # 9. line 11: an annual task needs its year
    + "CBC,task_progress,2024-Q3,final,VI.1,,completed,,,\n")  # 10. line 12: another period
CSV_EXPECTED = {
    ("meta_invalid", None, "status"): "Column 'submission_status'",
    ("enum", 4, "status"): "Line 4",
    ("range", 5, "progress_pct"): "Line 5",
    ("type", 6, "progress_pct"): "Line 6",
    ("required", 7, "task_code"): "Line 7",
    ("task_unknown", 8, "task_code"): "Line 8",
    ("task_not_lead", 9, "task_code"): "Line 9",
    ("duplicate_key", 10, "task_code+year"): "Line 10",
    ("task_year_required", 11, "year"): "Line 11",
    ("meta_inconsistent", 12, "period"): "Line 12",
}

# Codes a clerk types (enum values, statuses) and words that are the same in both languages may appear in
# a Vietnamese message; any other English word of the English message may not.
CODES = set(STATUSES) | {c for ds in DATASETS.values() for col in ds.columns for c in col.choices}


def _words(text: str) -> set[str]:
    text = re.sub(r"'[^']*'|\"[^\"]*\"", " ", text)  # quoted values, columns and codes
    text = re.sub(r"\S*[_!\[\]\d/=]\S*|\.\w+", " ", text)  # identifiers, cells, paths, numbers, .csv
    return {w for w in re.findall(r"\b[A-Za-z]{3,}\b", text) if not w.isupper()} - CODES - {"Excel"}


def assert_one_language(errors: list[dict]) -> None:
    for e in errors:
        leaked = _words(e["message_en"]) & _words(e["message_vi"])
        assert not leaked, f"English {sorted(leaked)} in: {e['message_vi']}"
        assert e["message_vi"] != e["message_en"]


@pytest.fixture
def clerk(tmp_path, monkeypatch):
    """A clerk's folder with no warehouse in it and none configured."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PRESSDX_WAREHOUSE", raising=False)
    (tmp_path / "register.csv").write_text(REGISTER, encoding="utf-8")
    return tmp_path


def validate(capsys, *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["validate", *args])
    out, err = capsys.readouterr()
    return code, out, err


def errors_of(out: str) -> list[dict]:
    doc = json.loads(out)
    assert doc["accepted"] == [] and doc["duplicates"] == [] and len(doc["rejected"]) == 1
    return doc["rejected"][0]["errors"]


def test_xlsx_ten_mistakes_in_one_run(clerk, capsys):
    (clerk / "dx.xlsx").write_bytes(dx_xlsx())
    code, out, err = validate(capsys, "dx.xlsx", "--unit", "CBC", "--register", "register.csv", "--format", "json")
    assert code == 0, err  # a rejection is a result
    errors = errors_of(out)
    got = {(e["row"], e["column"]): e for e in errors}
    assert len(errors) == 10
    for (rule, row, column), place in XLSX_EXPECTED.items():
        e = got[(row, column)]
        assert e["message_en"].startswith(place), (rule, e["message_en"])
        assert e["message_vi"].startswith(place.replace("Cell", "Ô")), e["message_vi"]
    assert_one_language(errors)
    # the text report has them all, too, each place once per language, and a summary without placeholders
    code, text, _ = validate(capsys, "dx.xlsx", "--unit", "CBC", "--register", "register.csv")
    assert code == 0
    assert text.splitlines()[0] == "dx.xlsx: BỊ TỪ CHỐI, 10 lỗi (agency_dx_status, 2024-Q9, 9 dòng dữ liệu)"
    assert text.splitlines()[1] == "dx.xlsx: REJECTED, 10 error(s) (agency_dx_status, 2024-Q9, 9 data rows)"
    assert "register.csv (7)" in text
    for place in XLSX_EXPECTED.values():
        assert text.count(place + ":") == 1, place


def test_csv_ten_mistakes_at_their_lines(clerk, capsys):
    (clerk / "tasks.csv").write_text(TASKS_CSV, encoding="utf-8")
    code, out, err = validate(capsys, "tasks.csv", "--unit", "CBC", "--format", "json")  # no agency codes here
    assert code == 0, err
    errors = errors_of(out)
    assert {(e["row"], e["column"]): e["message_en"].split(":")[0] for e in errors} == {
        (row, column): place for (_rule, row, column), place in CSV_EXPECTED.items()}
    vi = {e["row"]: e["message_vi"] for e in errors if e["row"]}
    assert vi[4].startswith("Dòng 4: ") and vi[12].startswith("Dòng 12: ")
    assert_one_language(errors)


def test_groups_are_capped_with_a_count_in_validate_and_in_the_audit(clerk, capsys, wh, tmp_path):
    rows = "".join(f"CBC,agency_revenue_baseline,2024-Q2,official,A00{i % 7 + 1},-{i}\n" for i in range(1, 26))
    baseline = HEAD + "agency_code,revenue_2022_vnd\n" + rows  # 25 negative revenues, 18 repeated agencies
    (clerk / "b.csv").write_text(baseline, encoding="utf-8")
    code, out, _ = validate(capsys, "b.csv", "--unit", "CBC", "--register", "register.csv", "--format", "json")
    assert code == 0
    errors = errors_of(out)
    ranges = [e for e in errors if e["column"] == "revenue_2022_vnd"]
    assert len(ranges) == 11 and [e["row"] for e in ranges[:10]] == list(range(2, 12))
    assert ranges[10]["row"] is None and ranges[10]["value"] == "15"
    assert ranges[10]["message_en"] == "… and 15 more errors of this kind in column 'revenue_2022_vnd'."
    assert ranges[10]["message_vi"] == "… và 15 lỗi khác cùng loại ở cột 'revenue_2022_vnd'."
    dups = [e for e in errors if e["column"] == "agency_code"]
    assert len(dups) == 11 and dups[10]["message_en"] == "… and 8 more errors of this kind in column 'agency_code'."
    # the intake path reports the same list: the run's report, the quarantine report and the audit (capped),
    # while the event counts every error
    t0 = datetime(2024, 6, 20, 3, 0, tzinfo=UTC)
    src = Source("CBC:inbox", "CBC", "folder")
    res = take_in(wh, [Incoming(src, "register.csv", REGISTER.encode(), t0),
                       Incoming(src, "b.csv", baseline.encode(), t0 + timedelta(minutes=1))],
                  run_id="r", data_root=tmp_path / "data")
    assert [s.item.path for s in res.rejected] == ["b.csv"]
    assert res.report()["rejected"][0]["errors"] == errors
    quarantined = json.loads(next((tmp_path / "data" / "quarantine").rglob("*.report.json")).read_text("utf-8"))
    assert quarantined["errors"] == errors
    assert wh.query("select error_count from audit.intake_events where path = 'b.csv'") == [(25 + 18,)]
    msgs = wh.query("select m.row_number, m.column_name, m.message_en from audit.intake_messages m "
                    "join audit.intake_events e using (event_id) where e.path = 'b.csv' order by m.seq")
    assert [tuple(m) for m in msgs] == [(e["row"], e["column"], e["message_en"]) for e in errors]


def test_status_named_twice_is_told_with_the_fix(clerk, capsys):
    tp = ("unit_code,dataset,period,status,task_code,year,status,progress_pct\n"
          "CBC,task_progress,2024-Q4,official,VI.2,2024,completed,100\n")
    (clerk / "t.csv").write_text(tp, encoding="utf-8")
    code, out, _ = validate(capsys, "t.csv", "--unit", "CBC", "--format", "json")
    assert code == 0
    errors = errors_of(out)
    assert [e["message_en"] for e in errors] == [
        "Header (line 1): The header names 'status' twice (columns 4 and 7; column 4 holds provisional/official): "
        "once for the submission, once for the task. In a CSV, name the submission's status column "
        "(provisional/official) 'submission_status'."]
    assert_one_language(errors)
    # and a single `status` that is the task's is told where the submission's status goes
    (clerk / "t1.csv").write_text(tp.replace("official,", "", 1).replace(",status,task_code", ",task_code"), "utf-8")
    code, out, _ = validate(capsys, "t1.csv", "--unit", "CBC", "--format", "json")
    assert [e["message_en"].split(". ")[-1] for e in errors_of(out)] == ["Add a 'submission_status' column."]


def test_validate_without_registers_refuses_in_one_line(clerk, capsys):
    (clerk / "dx.xlsx").write_bytes(dx_xlsx())
    code, out, err = validate(capsys, "dx.xlsx", "--unit", "CBC")
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1
    assert err.startswith("pressdx: agency_dx_status files are checked against accepted agency registers")
    assert "--register FILE" in err and "--warehouse URL" in err and "Traceback" not in err
    # a named warehouse that does not exist is a usage error too
    code, _, err = validate(capsys, "dx.xlsx", "--unit", "CBC", "--warehouse", f"duckdb:///{clerk / 'none.duckdb'}")
    assert code == 2 and "no warehouse" in err


def test_validate_reads_the_registers_of_the_named_warehouse(clerk, capsys):
    url = f"duckdb:///{clerk / 'w.duckdb'}"
    with connect(url) as w:
        w.ensure_schema()
        take_in(w, [Incoming(Source("CBC:inbox", "CBC", "folder"), "register.csv", REGISTER.encode(),
                             datetime(2024, 6, 20, tzinfo=UTC))], run_id="r", data_root=clerk / "data")
    good = HEAD + ("agency_code,distributes_on_digital_platforms,uses_data_ai_platform,converged_newsroom,"
                   "doing_digital_transformation\nCBC,agency_dx_status,2024-Q2,official,A001,có,có,có,có\n"
                   "CBC,agency_dx_status,2024-Q2,official,Z999,có,có,có,có\n")
    (clerk / "dx.csv").write_text(good, encoding="utf-8")
    code, out, _ = validate(capsys, "dx.csv", "--unit", "CBC", "--warehouse", url, "--format", "json")
    assert code == 0
    assert [(e["row"], e["value"]) for e in errors_of(out)] == [(3, "Z999")]
    # an accepted file is a result too, in the accepted entry's shape
    (clerk / "ok.csv").write_text(good.rsplit("CBC,", 1)[0], encoding="utf-8")
    code, out, _ = validate(capsys, "ok.csv", "--unit", "CBC", "--warehouse", url, "--format", "json")
    doc = json.loads(out)
    assert code == 0 and doc["rejected"] == [] and set(doc["accepted"][0]) == {
        "path", "unit_code", "dataset", "period", "status", "sha256", "received_at", "warnings"}


def test_json_shape_and_file_level_errors(clerk, capsys):
    (clerk / "broken.xlsx").write_bytes(dx_xlsx()[:300])
    code, out, _ = validate(capsys, "broken.xlsx", "--unit", "CBC", "--format", "json")
    assert code == 0
    entry = json.loads(out)["rejected"][0]
    assert set(entry) == {"path", "unit_code", "dataset", "period", "sha256", "received_at", "errors"}
    assert entry["path"] == "broken.xlsx" and entry["dataset"] is None
    assert [set(e) for e in entry["errors"]] == [{"row", "column", "value", "message_vi", "message_en"}]
    assert_one_language(entry["errors"])
    assert "not a valid" not in entry["errors"][0]["message_vi"]
    code, text, _ = validate(capsys, "broken.xlsx", "--unit", "CBC")
    assert code == 0
    assert text.splitlines()[:2] == ["broken.xlsx: BỊ TỪ CHỐI, 1 lỗi", "broken.xlsx: REJECTED, 1 error(s)"]
    assert "None" not in text and "0 rows" not in text


@pytest.mark.parametrize("name,data", [
    ("e.csv", "unit_code,dataset\nCBC,x\n".encode("utf-16")),
    ("q.csv", b'unit_code,dataset\n"CBC,agency'),
    ("j.json", b'{"unit_code": "CBC", "rows": [1, {"a": [1]}]}'),
    ("n.json", b"[1, 2]"),
    ("w.csv", (HEAD + "agency_code,revenue_2022_vnd\nCBC,agency_revenue_baseline,2024-Q2,official,A001,1,2\n").encode()),
])
def test_every_message_in_one_language(clerk, capsys, name, data):
    (clerk / name).write_bytes(data)
    code, out, _ = validate(capsys, name, "--unit", "CBC", "--register", "register.csv", "--format", "json")
    assert code == 0
    assert_one_language(errors_of(out))


def test_catalogue_templates_in_one_language():
    for rule, (vi, en) in MESSAGES.items():
        fields = {"column": "", "value": "", "detail": "", "count": "", "where": ""}
        leaked = _words(en.format(**fields)) & _words(vi.format(**fields))
        assert not leaked, f"{rule}: English {sorted(leaked)} in {vi}"


def test_validate_help_names_the_new_options(capsys):
    assert main(["validate", "--help"]) == 0
    out = capsys.readouterr().out
    assert "--register" in out and "--format" in out


def test_register_that_would_be_rejected_is_a_usage_error(clerk, capsys):
    (clerk / "dx.xlsx").write_bytes(dx_xlsx())
    (clerk / "bad-register.csv").write_text(REGISTER.replace("newspaper", "blog"), encoding="utf-8")
    code, _, err = validate(capsys, "dx.xlsx", "--unit", "CBC", "--register", "bad-register.csv")
    assert code == 2 and len(err.strip().splitlines()) == 1 and "would be rejected" in err
