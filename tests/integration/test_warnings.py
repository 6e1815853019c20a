"""History warnings (submissions.md, Warnings): they never reject a file, they flag figures to check.

Hand-made files taken in through ``ingest.intake.take_in`` on both warehouses; every expected warning is
worked out below from the figures of the files.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from ingest.intake import take_in
from ingest.sources import Incoming, Source

T0 = datetime(2024, 6, 20, 3, 0, tzinfo=UTC)
CBC = Source("CBC:inbox", "CBC", "folder")
HEAD = "unit_code,dataset,period,status,"

REGISTER = HEAD + """agency_code,agency_name,agency_kind,governing_body,media_types,licensed_on,closed_on
CBC,agency_register,2024-Q2,official,A001,Báo Nhân Dân,newspaper,Trung ương Đảng,print;electronic,01/01/1990,
CBC,agency_register,2024-Q2,official,A002,Tạp chí Cộng sản,magazine,Trung ương Đảng,print,,
"""


def revenue(rows: list[tuple[str, str, int]]) -> str:
    lines = [HEAD + "agency_code,month,revenue_vnd"]
    lines += [f"CBC,agency_revenue,2024-Q2,official,{a},{m},{v}" for a, m, v in rows]
    return "\n".join(lines) + "\n"


def dx(period: str, status: str, staff: dict[str, int]) -> str:
    lines = [HEAD + "agency_code,distributes_on_digital_platforms,uses_data_ai_platform,converged_newsroom,"
                    "doing_digital_transformation,staff_total,staff_trained"]
    lines += [f"CBC,agency_dx_status,{period},{status},{a},có,không,có,có,{n},10" for a, n in staff.items()]
    return "\n".join(lines) + "\n"


def item(name: str, text: str, minutes: int) -> Incoming:
    return Incoming(CBC, name, text.encode(), T0 + timedelta(minutes=minutes))


NO_COMMENTARY = ("missing_commentary", None, "commentary", None)  # a Q2 file should carry the 6-month commentary


def warnings_of(result, name: str) -> list[tuple]:
    sub = next(s for s in result.accepted if s.item.path == name)
    return [(w.rule, w.row, w.column, w.value) for w in sub.warnings]  # values as the clerk typed them: text


def test_revenue_outlier_against_the_agency_own_history(wh, tmp_path):
    # A001: 8 months known, then a file re-sending 2023-08 unchanged, a normal 2023-09 and a 2023-10 of 500.
    # History for the second file = the 7 earlier months not in it: 100 102 98 101 99 100 103 (million VND):
    # median 100, absolute deviations 0 2 2 1 1 0 3 → MAD 1; z(500) = 0.6745 × 400 / 1 = 269.8 > 3.5,
    # z(100) = 0. A002 has 3 months of history (< 6): never judged, whatever the value.
    first = [("A001", f"2023-{m:02d}", v * 10**6) for m, v in zip(range(1, 9), (100, 102, 98, 101, 99, 100, 103, 97),
                                                                 strict=True)]
    first += [("A002", f"2023-{m:02d}", 50 * 10**6) for m in (1, 2, 3)]
    second = [("A001", "2023-08", 97 * 10**6), ("A001", "2023-09", 100 * 10**6), ("A001", "2023-10", 500 * 10**6),
              ("A002", "2023-04", 900 * 10**6)]
    res = take_in(wh, [item("register.csv", REGISTER, 0), item("rev1.csv", revenue(first), 1),
                       item("rev2.csv", revenue(second), 2)], run_id="r1", data_root=tmp_path)
    assert res.rejected == []
    assert warnings_of(res, "rev1.csv") == [NO_COMMENTARY]
    assert warnings_of(res, "rev2.csv") == [NO_COMMENTARY, ("outlier", 4, "revenue_vnd", "500000000")]
    message = next(s for s in res.accepted if s.item.path == "rev2.csv").warnings[1].message_en
    assert "modified z-score 269.8 > 3.5" in message
    # the warning is kept for the auditor next to the accepted file's event
    assert wh.query("select m.rule, m.row_number from audit.intake_messages m join audit.intake_events e "
                    "using (event_id) where e.path = 'rev2.csv' and m.severity = 'warning' order by m.seq") == [
        ("missing_commentary", None), ("outlier", 4)]  # CSV line 4: the third data row


def test_staff_jumps_and_provisional_figures_left_standing(wh, tmp_path):
    # 2023-Q4 provisional, 2024-Q1 official, 2024-Q2 official. In 2024-Q2 A001 goes 100 → 160 staff (+60 % > 50 %),
    # A002 100 → 140 (+40 %): one staff warning. 2023-Q4 is still provisional two periods on (index 2024-Q2 − 2):
    # flagged on the 2024-Q2 file, not on the 2024-Q1 one (one period on).
    files = [item("register.csv", REGISTER, 0),
             item("dx-2023-Q4.csv", dx("2023-Q4", "provisional", {"A001": 100, "A002": 100}), 1),
             item("dx-2024-Q1.csv", dx("2024-Q1", "official", {"A001": 100, "A002": 100}), 2),
             item("dx-2024-Q2.csv", dx("2024-Q2", "official", {"A001": 160, "A002": 140}), 3)]
    res = take_in(wh, files, run_id="r1", data_root=tmp_path)
    assert res.rejected == []
    assert warnings_of(res, "dx-2023-Q4.csv") == []
    assert warnings_of(res, "dx-2024-Q1.csv") == []
    assert warnings_of(res, "dx-2024-Q2.csv") == [NO_COMMENTARY, ("outlier", 2, "staff_total", "160"),
                                                  ("provisional_not_replaced", None, "status", "2023-Q4")]
