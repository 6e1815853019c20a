"""Intake end to end on both warehouses: atomic acceptance, quarantine, audit, idempotence."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime, timedelta

from ingest.intake import take_in
from ingest.sources import Incoming, Source

T0 = datetime(2024, 6, 20, 3, 0, tzinfo=UTC)
CBC = Source("CBC:inbox", "CBC", "folder")
ATTT = Source("ATTT:inbox", "ATTT", "folder")

REGISTER = """unit_code,dataset,period,status,agency_code,agency_name,agency_kind,governing_body,media_types,licensed_on,closed_on
CBC,agency_register,2024-Q2,official,a001,Báo Nhân Dân,newspaper,Trung ương Đảng,print;electronic,01/01/1990,
CBC,agency_register,2024-Q2,official,A002,Tạp chí Cộng sản,magazine,Trung ương Đảng,print,,
CBC,agency_register,2024-Q2,official,A003,Đài Tiếng nói Việt Nam,broadcaster,Chính phủ,radio;electronic,1945-09-07,
"""
DX = """unit_code,dataset,period,status,agency_code,distributes_on_digital_platforms,uses_data_ai_platform,converged_newsroom,doing_digital_transformation,staff_total,staff_trained
CBC,agency_dx_status,2024-Q2,official,A001,có,không,có,có,1.200,300
CBC,agency_dx_status,2024-Q2,official,A002,không,không,không,có,40,10
"""


def item(src, name, text, minutes=0):
    return Incoming(src, name, text.encode(), T0 + timedelta(minutes=minutes))


def counts(w):
    return {t: w.query(f"select count(*) from raw.{t}")[0][0] for t in ("submissions", "agency_register",
                                                                       "agency_dx_status")}


def test_good_files_are_taken_in_with_their_provenance(wh, tmp_path):
    res = take_in(wh, [item(CBC, "2024-Q2/dx.csv", DX, 5), item(CBC, "2024-Q2/register.csv", REGISTER)],
                  run_id="r1", data_root=tmp_path)
    assert [s.meta["dataset"] for s in res.accepted] == ["agency_register", "agency_dx_status"]  # received order
    assert res.rejected == []
    assert counts(wh) == {"submissions": 2, "agency_register": 3, "agency_dx_status": 2}
    row = wh.query_dicts("select * from raw.agency_dx_status where agency_code = 'A001'")[0]
    assert row["staff_total"] == 1200 and row["distributes_on_digital_platforms"] is True
    assert row["uses_data_ai_platform"] is False and row["period"] == "2024-Q2"
    assert row["sha256"] == res.accepted[1].sha256 and len(row["sha256"]) == 64
    assert row["received_at"] == T0 + timedelta(minutes=5)
    reg = wh.query_dicts("select agency_code, media_types, licensed_on from raw.agency_register order by 1")
    assert reg[0]["agency_code"] == "A001" and reg[0]["media_types"] == "print;electronic"
    assert str(reg[0]["licensed_on"]) == "1990-01-01"
    # the original bytes are in the content-addressed landing store
    landed = tmp_path / "landing" / row["sha256"][:2] / row["sha256"]
    assert landed.read_bytes() == DX.encode()


def test_bad_file_is_rejected_whole_and_good_file_still_taken_in(wh, tmp_path):
    bad = DX.replace("có,không,có,có,1.200,300", "x,không,có,có,1.200,3000")  # bad bool and trained > total
    res = take_in(wh, [item(CBC, "register.csv", REGISTER), item(CBC, "dx.csv", bad, 5)],
                  run_id="r1", data_root=tmp_path)
    assert len(res.accepted) == 1 and len(res.rejected) == 1
    assert counts(wh) == {"submissions": 1, "agency_register": 3, "agency_dx_status": 0}
    errs = res.rejected[0].errors
    # CSV line 2: the first data row (the header is line 1)
    assert {(e.rule, e.row, e.column) for e in errs} >= {("type", 2, "distributes_on_digital_platforms")}
    assert all(e.message_vi and e.message_en for e in errs)
    events = wh.query("select outcome, error_count from audit.intake_events order by outcome")
    assert events == [("accepted", 0), ("rejected", len(errs))]
    msgs = wh.query("select rule, row_number, column_name, value from audit.intake_messages order by seq")
    assert ("type", 2, "distributes_on_digital_platforms", "x") in msgs
    # quarantined under its hash (never its own name, kept in the report), its bytes stored once: the
    # quarantine entry is the landing store's file
    sha = hashlib.sha256(bad.encode()).hexdigest()
    quarantined = [p for p in (tmp_path / "quarantine" / "CBC").iterdir() if not p.name.endswith(".report.json")]
    assert quarantined == [tmp_path / "quarantine" / "CBC" / sha] and quarantined[0].read_bytes() == bad.encode()
    assert quarantined[0].stat().st_ino == (tmp_path / "landing" / sha[:2] / sha).stat().st_ino
    report = json.loads((tmp_path / "quarantine" / "CBC" / f"{sha}.report.json").read_text("utf-8"))
    assert report["original_name"] == "dx.csv" and report["landing"] == f"landing/{sha[:2]}/{sha}"


def test_rerun_takes_in_nothing_new(wh, tmp_path):
    items = [item(CBC, "register.csv", REGISTER), item(CBC, "dx.csv", DX.replace("A001", "A999"), 1)]
    first = take_in(wh, items, run_id="r1", data_root=tmp_path)
    before = counts(wh)
    second = take_in(wh, items, run_id="r2", data_root=tmp_path)
    assert len(first.accepted) == 1 and len(first.rejected) == 1
    assert second.accepted == [] and second.rejected == [] and len(second.duplicates) == 2
    assert counts(wh) == before
    # files still lying where they were are not news: no audit event, however many runs see them
    take_in(wh, items, run_id="r3", data_root=tmp_path)
    assert wh.query("select count(*) from audit.intake_events where outcome = 'duplicate'")[0][0] == 0
    # the same bytes sent again under another name are recorded, once
    again = [item(CBC, "register-copy.csv", REGISTER, 2)]
    for run in ("r4", "r5"):
        assert len(take_in(wh, again, run_id=run, data_root=tmp_path).duplicates) == 1
    assert wh.query("select run_id, path from audit.intake_events where outcome = 'duplicate'") == [
        ("r4", "register-copy.csv")]


def test_unit_cannot_submit_for_another_or_unassigned_datasets(wh, tmp_path):
    res = take_in(wh, [item(ATTT, "register.csv", REGISTER)], run_id="r1", data_root=tmp_path)
    rules = {e.rule for e in res.rejected[0].errors}
    assert rules == {"unit_mismatch"}
    own = REGISTER.replace("CBC,", "ATTT,")
    res = take_in(wh, [item(ATTT, "register2.csv", own)], run_id="r2", data_root=tmp_path)
    assert {e.rule for e in res.rejected[0].errors} == {"dataset_not_assigned"}
    assert counts(wh)["submissions"] == 0


def test_unknown_agency_needs_an_earlier_register(wh, tmp_path):
    res = take_in(wh, [item(CBC, "dx.csv", DX, 0), item(CBC, "register.csv", REGISTER, 5)],
                  run_id="r1", data_root=tmp_path)
    assert [s.meta["dataset"] for s in res.rejected] == ["agency_dx_status"]
    assert {(e.rule, e.value) for e in res.rejected[0].errors} == {("agency_unknown", "A001"),
                                                                   ("agency_unknown", "A002")}


def test_period_not_started_and_missing_column(wh, tmp_path):
    early = REGISTER.replace("2024-Q2", "2024-Q3")
    nocol = "\n".join(line.rsplit(",", 2)[0] for line in REGISTER.splitlines()).replace(",media_types", ",mediatypes")
    res = take_in(wh, [item(CBC, "early.csv", early), item(CBC, "nocol.csv", nocol)], run_id="r",
                  data_root=tmp_path)
    by_path = {s.item.path: {e.rule for e in s.errors} for s in res.rejected}
    assert by_path["early.csv"] == {"period_not_started"}
    assert "column_missing" in by_path["nocol.csv"]
    assert counts(wh)["submissions"] == 0


def test_a_large_file_is_announced_before_it_is_read(wh, tmp_path, monkeypatch):
    """Issue 15: the terminal says a large file is under way (the threshold lowered to this file's size)."""
    import ingest.intake

    monkeypatch.setattr(ingest.intake, "LARGE_FILE_BYTES", len(REGISTER.encode()))
    said: list[str] = []
    res = take_in(wh, [item(CBC, "2024-Q2/register.csv", REGISTER), item(CBC, "2024-Q2/dx.csv", DX[:40] + "\n", 5)],
                  run_id="r1", data_root=tmp_path, progress=said.append)
    assert len(res.accepted) == 1
    assert [s for s in said if "large file" in s] == \
        [f"reading CBC/2024-Q2/register.csv ({len(REGISTER.encode()) / 2**20:.1f} MiB): a large file, this may take a while"]
