"""The one writer: the KPI CSV of the CLI and of the publication, its columns and its cells."""

from __future__ import annotations

import csv
import io
import json

from pressdx.publishing import formats

# what `pressdx kpi --format csv` and the publication's kpi.csv wrote before they shared one list
OLD_CLI_COLUMNS = ["year", "period", "as_of", "indicator_code", "numerator", "denominator", "value_pct",
                   "target_pct", "status", "coverage_pct", "stage", "target_stage", "min_revenue_growth_pct"]
OLD_PUBLICATION_COLUMNS = ["year", "period", "as_of", "indicator_code", "numerator", "denominator", "value_pct",
                           "target_pct", "min_revenue_growth_pct", "status", "coverage_pct", "stage",
                           "target_stage"]

ANNUAL = {"year": 2024, "period": None, "as_of": "2025-01-05T00:00:00+07:00", "indicators": [
    {"indicator_code": "I1", "numerator": 412, "denominator": 801, "value_pct": 51.4357, "target_pct": 50.0,
     "status": "achieved", "coverage_pct": 97.13, "progress": {"2030": "acceleration_needed", "2025": "on_track"}},
    {"indicator_code": "I4", "numerator": 61, "denominator": 402, "value_pct": 15.17, "target_pct": 15.0,
     "min_revenue_growth_pct": 10.0, "status": "achieved", "coverage_pct": 88.0, "progress": {}},
    {"indicator_code": "I8R", "stage": "developing", "target_stage": "developing", "status": "achieved"},
]}


def _read(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def test_kpi_csv_keeps_every_column_of_before_and_adds_the_progress_classes():
    header = formats.kpi_csv(ANNUAL).splitlines()[0].split(",")
    assert header == formats.KPI_CSV_COLUMNS
    assert set(OLD_CLI_COLUMNS) <= set(header) and set(OLD_PUBLICATION_COLUMNS) <= set(header)
    assert header[:len(OLD_PUBLICATION_COLUMNS)] == OLD_PUBLICATION_COLUMNS  # the publication's order kept
    rows = _read(formats.kpi_csv(ANNUAL))
    assert json.loads(rows[0]["progress"]) == {"2025": "on_track", "2030": "acceleration_needed"}
    assert rows[0]["progress"].index("2025") < rows[0]["progress"].index("2030")  # keys sorted
    assert rows[1]["progress"] == "{}" and rows[2]["progress"] == ""  # a stage indicator has no progress
    assert rows[1]["min_revenue_growth_pct"] == "10.0" and rows[0]["min_revenue_growth_pct"] == ""
    assert (rows[2]["stage"], rows[2]["numerator"], rows[0]["period"]) == ("developing", "", "")


def test_the_publication_writes_the_same_bytes_as_the_cli_prints():
    assert formats.kpi_csv(ANNUAL).encode("utf-8") == formats.to_csv_bytes(formats.kpi_rows(ANNUAL),
                                                                           formats.KPI_CSV_COLUMNS)
    assert formats.to_json_bytes(ANNUAL) == (formats.to_json(ANNUAL) + "\n").encode("utf-8")


def test_a_table_shows_the_columns_some_indicator_fills():
    quarterly = {**ANNUAL, "period": "2024-Q4",
                 "indicators": [{k: v for k, v in i.items() if k != "progress"} for i in ANNUAL["indicators"]]}
    lines = formats.kpi_table(quarterly).splitlines()
    assert lines[0] == "KPI 2024-Q4 as of 2025-01-05T00:00:00+07:00"
    assert lines[1].split() == ["indicator_code", "numerator", "denominator", "value_pct", "target_pct", "status",
                                "coverage_pct", "stage", "target_stage"]
    assert "progress" in formats.kpi_table(ANNUAL).splitlines()[1]
    assert "2025:on_track" in formats.kpi_table(ANNUAL)


def test_timeliness_and_tasks_csv_lead_with_the_result_fields():
    t = {"year": 2023, "period": "2023-Q2", "as_of": "2024-03-20T00:00:00+07:00", "units": [], "expected": [
        {"unit_code": "CBC", "dataset": "agency_register", "period": "2023-Q2", "due_at": "2023-07-05T00:00:00+07:00",
         "state": "late", "provisional": False, "first_received_at": None, "current_received_at": None}]}
    assert formats.timeliness_csv(t).splitlines() == [
        "year,as_of,unit_code,dataset,period,due_at,state,provisional,first_received_at,current_received_at",
        "2023,2024-03-20T00:00:00+07:00,CBC,agency_register,2023-Q2,2023-07-05T00:00:00+07:00,late,False,,"]
    k = {"year": 2023, "as_of": "2024-03-20T00:00:00+07:00", "tasks": [
        {"task_code": "I.1", "year": None, "due_date": "2023-12-31", "status": "in_progress", "overdue": True,
         "output_count": None, "output_met": None}]}
    assert formats.tasks_csv(k).splitlines() == [
        "as_of,task_code,year,due_date,status,overdue,output_count,output_met",
        "2024-03-20T00:00:00+07:00,I.1,,2023-12-31,in_progress,True,,"]
