"""What intake writes about a judged file: its audit event and messages, its raw rows, and what
it reads back of earlier files (hashes seen, agencies known).
"""

from __future__ import annotations

import operator
import uuid
from datetime import UTC, datetime

from ingest.submission import Submission
from pressdx.domain.datasets import DATASETS
from pressdx.domain.findings import capped
from pressdx.warehouse.connection import Warehouse, raw_columns


def _event_rows(sub: Submission, outcome: str, run_id: str, now: datetime) -> tuple[tuple, list[tuple]]:
    event_id = uuid.uuid4().hex
    m = sub.meta
    event = (event_id, run_id, now, outcome, sub.item.source.name, sub.item.source.unit_code, sub.item.path,
             sub.sha256, sub.item.received_at, m.get("unit_code"), m.get("dataset"), m.get("period"), m.get("status"),
             sub.submission_id if outcome == "accepted" else None, len(sub.errors), len(sub.warnings))
    messages = [(event_id, i, f.severity, f.rule, f.row, f.column, f.value, f.message_vi, f.message_en)
                for i, f in enumerate(capped(sub.findings) if outcome != "duplicate" else [], start=1)]
    return event, messages


EVENT_COLS = ("event_id", "run_id", "event_at", "outcome", "source_name", "source_unit", "path", "sha256",
              "received_at", "unit_code", "dataset", "period", "status", "submission_id", "error_count",
              "warning_count")
MESSAGE_COLS = ("event_id", "seq", "severity", "rule", "row_number", "column_name", "value", "message_vi",
                "message_en")
SUBMISSION_COLS = ("submission_id", "unit_code", "dataset", "period", "status", "commentary", "received_at",
                   "sha256", "encoding", "source_name", "path", "row_count", "warning_count", "run_id", "loaded_at")


def record(wh: Warehouse, sub: Submission, outcome: str, run_id: str) -> None:
    """Write one submission's outcome: raw rows (if accepted) and its audit event, all or nothing."""
    now = datetime.now(UTC)
    event, messages = _event_rows(sub, outcome, run_id, now)
    with wh.transaction():
        if outcome == "accepted":
            m = sub.meta
            wh.insert_rows("raw.submissions", SUBMISSION_COLS, [(
                sub.submission_id, m["unit_code"], m["dataset"], m["period"], m["status"], m["commentary"],
                sub.item.received_at, sub.sha256, sub.encoding, sub.item.source.name, sub.item.path,
                len(sub.rows), len(sub.warnings), run_id, now)])
            ds = DATASETS[m["dataset"]]
            meta = (sub.submission_id, m["unit_code"], m["dataset"], m["period"], m["status"],
                    sub.item.received_at, sub.sha256)
            values = operator.itemgetter("_row", *ds.column_names)  # a tuple per row, in C
            wh.insert_rows(f"raw.{ds.name}", raw_columns(ds.name), [(*meta, *values(r)) for r in sub.rows])
        wh.insert_rows("audit.intake_events", EVENT_COLS, [event])
        wh.insert_rows("audit.intake_messages", MESSAGE_COLS, messages)


def seen_hashes(wh: Warehouse) -> dict[tuple[str, str], set[tuple[str, str]]]:
    """(unit, sha256) of every file already judged -> the (source, path) it has been seen at."""
    rows = wh.query("select unit_code, sha256, source_name, path from raw.submissions")
    rows += wh.query("select source_unit, sha256, source_name, path from audit.intake_events "
                     "where outcome in ('rejected', 'duplicate')")
    seen: dict[tuple[str, str], set[tuple[str, str]]] = {}
    for unit, sha, source, path in rows:
        seen.setdefault((unit, sha), set()).add((source, path))
    return seen


def judged_meanwhile(wh: Warehouse, sub: Submission) -> bool:
    """Whether another intake recorded this file since this one read ``seen_hashes``: its submission is in
    ``raw``, or its (unit, bytes, place) has an event. Only intakes that bypass the run lock can meet so; the
    file is then a duplicate of what that intake recorded, not a failure of this one."""
    (n,) = wh.query(
        "select (select count(*) from raw.submissions where submission_id = ?) + (select count(*) from "
        "audit.intake_events where source_unit = ? and sha256 = ? and source_name = ? and path = ?)",
        (sub.submission_id, sub.item.source.unit_code, sub.sha256, sub.item.source.name, sub.item.path))[0]
    return n > 0


def known_agencies(wh: Warehouse) -> set[str]:
    return {r[0] for r in wh.query("select distinct agency_code from raw.agency_register")}
