"""Action-plan task progress end to end (kpi-rules.md, "Action-plan tasks"), on DuckDB and on PostgreSQL.

task_progress submissions are written as intake would, the warehouse is built as of T, and the marts and
``pressdx tasks --format json`` are checked, key by key, against statuses worked out by hand below. Then
``--as-of T2`` must give the status known at T2.

Fixture (times in Vietnam time, UTC+7); the tasks, lead units and due rules are the reference seed's:

  S10 CBC  2023-Q4 received 2023-11-20 09:00 (superseded by S11 at T, current at T2):
        I.1 completed · II.2/2023 completed, output 3 · III.7 in_progress · IV.1 in_progress
  S11 CBC  2023-Q4 received 2023-12-20 09:00 (the revision, a whole new list):
        I.1 in_progress 60 % · I.5 completed · II.2/2023 completed, output 4 · II.3/2023 in_progress, output 2
        · IV.1 not_started · III.10/2023 completed, output 1 · VI.2/2023 completed
  S12 PTTH 2023-Q4 received 2024-01-05 09:00: IV.1 in_progress (PTTH co-leads IV.1) · III.2 in_progress
  S13 VPC  2023-Q4 received 2023-12-06 09:00: I.2/2023 completed · I.3 in_progress

T = 2024-03-20 00:00 (date 2024-03-20); T2 = 2023-12-10 00:00 (date 2023-12-10: S11, S12 unknown).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from ingest.records import SUBMISSION_COLS
from pressdx.cli import main
from pressdx.warehouse.connection import Warehouse, WarehouseURL, raw_columns
from tests.helpers import ENGINES, Built, built_warehouse, run_cli

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("tasks")]

VN = timezone(timedelta(hours=7))
T = datetime(2024, 3, 20, 0, 0, tzinfo=VN)
T2 = datetime(2023, 12, 10, 0, 0, tzinfo=VN)

SUBMISSIONS = [  # (submission_id, unit, received_at, rows: (task_code, year, status, progress_pct, output_count))
    ("S10", "CBC", datetime(2023, 11, 20, 9, tzinfo=VN), [
        ("I.1", None, "completed", 100.0, None),
        ("II.2", 2023, "completed", 100.0, 3),
        ("III.7", None, "in_progress", 30.0, None),
        ("IV.1", None, "in_progress", None, None),
    ]),
    ("S11", "CBC", datetime(2023, 12, 20, 9, tzinfo=VN), [
        ("I.1", None, "in_progress", 60.0, None),
        ("I.5", None, "completed", 100.0, None),
        ("II.2", 2023, "completed", 100.0, 4),
        ("II.3", 2023, "in_progress", 50.0, 2),
        ("IV.1", None, "not_started", None, None),
        ("III.10", 2023, "completed", 100.0, 1),
        ("VI.2", 2023, "completed", 100.0, None),
    ]),
    ("S12", "PTTH", datetime(2024, 1, 5, 9, tzinfo=VN), [
        ("IV.1", None, "in_progress", None, None),
        ("III.2", None, "in_progress", 40.0, None),
    ]),
    ("S13", "VPC", datetime(2023, 12, 6, 9, tzinfo=VN), [
        ("I.2", 2023, "completed", 100.0, None),
        ("I.3", None, "in_progress", 50.0, None),
    ]),
]

NR = "not_reported"
# `pressdx tasks --year 2023` as of T, in the decision's order: the 2023 instances of the annual tasks
# (III.8 runs from 2024: none) and every other task. (task_code, year, due_date, status, overdue,
# output_count, output_met). overdue: due date before 2024-03-20 and not completed; continuous (IV.*) and
# per_project_schedule (III.7) never. output_met: only II.2, II.3, III.10 (≥ 3, 3, 1) and V.1 (≥ 2) have a target.
TASKS_2023_AT_T = [
    ("I.1", None, "2023-12-31", "in_progress", True, None, None),  # S11 supersedes S10's "completed"
    ("I.2", 2023, "2023-12-31", "completed", False, None, None),
    ("I.3", None, "2024-12-31", "in_progress", False, None, None),
    ("I.4", None, "2025-12-31", NR, False, None, None),
    ("I.5", None, "2023-06-30", "completed", False, None, None),
    ("I.6", None, "2023-12-31", NR, True, None, None),
    ("II.1", None, "2025-12-31", NR, False, None, None),
    ("II.2", 2023, "2023-12-31", "completed", False, 4, True),  # 4 ≥ 3
    ("II.3", 2023, "2023-12-31", "in_progress", True, 2, False),  # 2 < 3
    ("II.4", 2023, "2023-12-31", NR, True, None, None),
    ("II.5", 2023, "2023-12-31", NR, True, None, None),
    ("II.6", 2023, "2023-12-31", NR, True, None, None),
    ("II.7", 2023, "2023-12-31", NR, True, None, None),
    ("II.8", None, "2023-09-30", NR, True, None, None),
    ("II.9", None, "2025-12-31", NR, False, None, None),
    ("III.1", None, "2023-12-31", NR, True, None, None),
    ("III.2", None, "2025-12-31", "in_progress", False, None, None),
    ("III.3", None, "2025-12-31", NR, False, None, None),
    ("III.4", None, "2025-12-31", NR, False, None, None),
    ("III.5", 2023, "2023-12-31", NR, True, None, None),
    ("III.6", None, "2023-06-30", NR, True, None, None),
    ("III.7", None, None, NR, False, None, None),  # S10's row is superseded, whole, by S11 (which omits it)
    ("III.9", None, "2023-06-30", NR, True, None, None),
    ("III.10", 2023, "2023-12-31", "completed", False, 1, True),
    ("III.11", 2023, "2023-12-31", NR, True, None, None),
    ("III.12", 2023, "2023-12-31", NR, True, None, None),
    ("III.13", 2023, "2023-12-31", NR, True, None, None),
    ("IV.1", None, None, "in_progress", False, None, None),  # PTTH 2024-01-05 beats CBC 2023-12-20 not_started
    ("IV.2", None, None, NR, False, None, None),
    ("V.1", None, "2025-12-31", NR, False, None, False),  # output target 2, nothing reported: not met
    ("V.2", None, "2023-09-30", NR, True, None, None),
    ("V.3", None, "2025-12-31", NR, False, None, None),
    ("VI.1", None, "2023-04-30", NR, True, None, None),
    ("VI.2", 2023, "2023-12-31", "completed", False, None, None),
    ("VI.3", 2023, "2023-12-31", NR, True, None, None),
]
ANNUAL_TASKS_2024 = ["I.2", "II.2", "II.3", "II.4", "II.5", "II.6", "II.7", "III.5", "III.8", "III.10", "III.11",
                     "III.12", "III.13", "VI.2", "VI.3"]
WITH_OUTPUT_TARGET = {"II.2", "II.3", "III.10", "V.1"}


def tasks_2024_at_t() -> list[tuple]:
    """--year 2024 as of T: the 15 annual tasks' 2024 instances (III.8 included), none reported yet and due
    2024-12-31 (not overdue; output not met where there is a target), plus the same non-annual tasks."""
    out = []
    for row in TASKS_2023_AT_T:
        if row[1] is None:
            out.append(row)
        else:
            out.append((row[0], 2024, "2024-12-31", NR, False, None, False if row[0] in WITH_OUTPUT_TARGET else None))
    at = [r[0] for r in out].index("III.9")  # III.8 (2024-2030) sorts between III.7 and III.9
    out.insert(at, ("III.8", 2024, "2024-12-31", NR, False, None, None))
    return out


# As of T2 (date 2023-12-10) only S10 and S13 are known: S10 is CBC's current 2023-Q4 version.
CHANGES_AT_T2 = {
    "I.1": ("I.1", None, "2023-12-31", "completed", False, None, None),
    "I.5": ("I.5", None, "2023-06-30", NR, True, None, None),  # S11 not known yet: overdue since 2023-07-01
    "I.6": ("I.6", None, "2023-12-31", NR, False, None, None),  # due 2023-12-31 is not before 2023-12-10
    "II.2": ("II.2", 2023, "2023-12-31", "completed", False, 3, True),  # S10: 3 ≥ 3
    "II.3": ("II.3", 2023, "2023-12-31", NR, False, None, False),
    "III.1": ("III.1", None, "2023-12-31", NR, False, None, None),
    "III.2": ("III.2", None, "2025-12-31", NR, False, None, None),  # S12 not known yet
    "III.7": ("III.7", None, None, "in_progress", False, None, None),  # S10 is current at T2
    "III.10": ("III.10", 2023, "2023-12-31", NR, False, None, False),
    "IV.1": ("IV.1", None, None, "in_progress", False, None, None),  # S10's row
    "VI.2": ("VI.2", 2023, "2023-12-31", NR, False, None, None),
}


def tasks_2023_at_t2() -> list[tuple]:
    out = []
    for row in TASKS_2023_AT_T:
        if row[0] in CHANGES_AT_T2:
            out.append(CHANGES_AT_T2[row[0]])
        elif row[1] == 2023:  # every other 2023 instance: due 2023-12-31, not overdue on 2023-12-10
            out.append((*row[:4], False, *row[5:]))
        else:
            out.append(row)
    return out


def tasks_json(rows: list[tuple]) -> list[dict]:
    return [{"task_code": c, "year": y, "due_date": d, "status": s, "overdue": o, "output_count": n,
             "output_met": m} for c, y, d, s, o, n, m in rows]


def load_fixture(url: WarehouseURL) -> None:
    subs, rows = [], []
    for sid, unit, received, task_rows in SUBMISSIONS:
        r = received.astimezone(UTC)
        sha = f"{sid:0<64}"[:64]
        subs.append((sid, unit, "task_progress", "2023-Q4", "official", None, r, sha, "json",
                     f"{unit.lower()}-inbox", f"{sid}.json", len(task_rows), 0, "run-test", r))
        for n, (task, year, status, pct, count) in enumerate(task_rows, start=1):
            rows.append((sid, unit, "task_progress", "2023-Q4", "official", r, sha, n, task, year, status, pct, count,
                         None, None))
    with Warehouse(url) as wh:
        wh.ensure_schema()
        with wh.transaction():
            wh.insert_rows("raw.submissions",
                           SUBMISSION_COLS, subs)
            wh.insert_rows("raw.task_progress", raw_columns("task_progress"), rows)


@pytest.fixture(scope="module", params=ENGINES)
def built(request) -> Built:
    return built_warehouse(request, load_fixture, T, "2024-Q1")


def assert_tasks(got: list[dict], want: list[dict]) -> None:
    assert [(t["task_code"], t["year"]) for t in got] == [(t["task_code"], t["year"]) for t in want]
    for g, w in zip(got, want, strict=True):
        assert list(g) == list(w)  # the keys of interfaces.md, in that order
        assert g == w


def test_tasks_json_for_a_year(built, capsys):
    res = run_cli(capsys, built, "tasks", "--year", "2023")
    assert list(res) == ["year", "as_of", "tasks"]
    assert (res["year"], res["as_of"]) == (2023, "2024-03-20T00:00:00+07:00")
    assert len(res["tasks"]) == 14 + 21  # 14 annual tasks run in 2023 (III.8 from 2024), 21 are not annual
    assert_tasks(res["tasks"], tasks_json(TASKS_2023_AT_T))


def test_tasks_json_lists_the_instances_of_the_year_asked(built, capsys):
    res = run_cli(capsys, built, "tasks", "--year", "2024")
    assert len(res["tasks"]) == 15 + 21
    assert_tasks(res["tasks"], tasks_json(tasks_2024_at_t()))
    assert {t["task_code"] for t in res["tasks"] if t["year"] == 2024} == set(ANNUAL_TASKS_2024)


def test_tasks_as_of_an_earlier_instant(built, capsys):
    res = run_cli(capsys, built, "tasks", "--year", "2023", "--as-of", "2023-12-10T00:00:00+07:00")
    assert res["as_of"] == "2023-12-10T00:00:00+07:00"
    assert_tasks(res["tasks"], tasks_json(tasks_2023_at_t2()))


def test_fct_task_progress_keeps_the_audit_trail(built):
    rows = {r["task_instance_code"]: r for r in built.query(
        "select task_instance_code, status, progress_pct, reported_by_unit, source_submission_id, "
        "source_period_code, as_of_local_date from marts.fct_task_progress")}
    assert len(rows) == 21 + 14 * 8 + 7  # 21 single instances, 14 annual tasks × 2023..2030, III.8 × 2024..2030
    assert rows["I.1"]["progress_pct"] == 60.0 and rows["I.1"]["source_submission_id"] == "S11"
    assert (rows["IV.1"]["reported_by_unit"], rows["IV.1"]["source_submission_id"]) == ("PTTH", "S12")
    assert rows["II.2/2023"]["source_period_code"] == "2023-Q4"
    assert rows["II.2/2030"]["status"] == NR
    assert str(rows["I.1"]["as_of_local_date"]) == "2024-03-20"
    (task,) = built.query("select task_order, lead_unit_count, due_kind, output_min from marts.dim_task "
                          "where task_code = 'IV.1'")
    assert task == {"task_order": 4001, "lead_unit_count": 2, "due_kind": "continuous", "output_min": None}


def test_table_and_csv_formats(built, capsys):
    capsys.readouterr()
    assert main(["tasks", "--year", "2023", "--warehouse", built.url.url]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Action-plan tasks 2023 as of 2024-03-20T00:00:00+07:00")
    assert main(["tasks", "--year", "2023", "--format", "csv", "--warehouse", built.url.url]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "as_of,task_code,year,due_date,status,overdue,output_count,output_met"
    assert lines[1] == "2024-03-20T00:00:00+07:00,I.1,,2023-12-31,in_progress,True,,"
    assert len(lines) == 1 + 35
    assert main(["tasks", "--year", "2040", "--warehouse", built.url.url]) == 2
