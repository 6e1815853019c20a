"""Rejection notices: what a unit is told about the files an intake run rejected.

One notice per unit, to the ``contact:`` of its sources in ``sources.yml``, in Vietnamese then English,
as HTML (for e-mail) and as plain text (for a terminal or a file). It is read back from what intake
recorded (``audit.intake_events`` / ``audit.intake_messages``), so a notice lists exactly what the audit
trail holds, whichever face (CLI or Airflow) ran the intake and whichever sends the notice.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from html import escape
from typing import Any

from ingest.sources import Source
from pressdx.domain.calendar import VN_TZ
from pressdx.warehouse.connection import Warehouse

NOTICE_MAX_ERRORS = 200  # per file; the full report is next to the file in the quarantine


@dataclass(frozen=True)
class FileError:
    row_number: int | None
    column_name: str | None
    value: str | None
    message_vi: str
    message_en: str


@dataclass(frozen=True)
class RejectedFile:
    source_name: str
    unit_code: str
    path: str
    sha256: str | None
    received_at: datetime | None
    dataset: str | None
    period: str | None
    error_count: int
    errors: tuple[FileError, ...] = ()


@dataclass
class Notice:
    """One e-mail's worth: recipients (empty when the unit's sources list no contact), subject, bodies."""

    unit_code: str
    run_id: str
    to: list[str]
    subject: str
    html: str
    text: str
    files: int
    errors: int
    headers: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def contacts(value: Any) -> list[str]:
    """The e-mail addresses of a source's ``contact:`` (one address, a comma/semicolon list, or a YAML list)."""
    if not value:
        return []
    items = value if isinstance(value, list | tuple) else str(value).replace(";", ",").split(",")
    return [a.strip() for a in items if str(a).strip()]


def rejected_files(wh: Warehouse, run_id: str) -> list[RejectedFile]:
    """The files intake run ``run_id`` rejected, with their recorded errors, by unit, then received order."""
    events = wh.query_dicts(
        "select event_id, source_name, source_unit, path, sha256, received_at, dataset, period, error_count "
        "from audit.intake_events where run_id = ? and outcome = 'rejected' "
        "order by source_unit, received_at, path", (run_id,))
    messages = wh.query_dicts(
        "select m.event_id, m.row_number, m.column_name, m.value, m.message_vi, m.message_en "
        "from audit.intake_messages m join audit.intake_events e using (event_id) "
        "where e.run_id = ? and e.outcome = 'rejected' and m.severity = 'error' order by m.event_id, m.seq",
        (run_id,))
    errors: dict[str, list[FileError]] = {}
    for m in messages:
        errors.setdefault(m.pop("event_id"), []).append(FileError(**m))
    return [RejectedFile(e["source_name"], e["source_unit"], e["path"], e["sha256"], e["received_at"], e["dataset"],
                         e["period"], e["error_count"], tuple(errors.get(e["event_id"], ())))
            for e in events]


def recipients(unit: str, files: Sequence[RejectedFile], sources: Sequence[Source]) -> list[str]:
    """The contacts of the sources that brought the files, else of any source of the unit; each once."""
    by_name = {s.name: s for s in sources}
    brought = list(dict.fromkeys(f.source_name for f in files))
    others = [s.name for s in sources if s.unit_code == unit and s.name not in brought]
    to: list[str] = []
    for names in (brought, others):
        for name in names:
            to += [a for a in contacts(getattr(by_name.get(name), "contact", None)) if a not in to]
        if to:
            break
    return to


def notices(files: Iterable[RejectedFile], sources: Sequence[Source], run_id: str) -> list[Notice]:
    """One notice per unit with rejected files, in unit order."""
    by_unit: dict[str, list[RejectedFile]] = {}
    for f in files:
        by_unit.setdefault(f.unit_code, []).append(f)
    out = []
    for unit, group in sorted(by_unit.items()):
        n = len(group)
        out.append(Notice(
            unit_code=unit, run_id=run_id, to=recipients(unit, group, sources),
            subject=f"[pressdx] {unit}: {n} tệp bị từ chối / {n} file(s) rejected",
            html=_html(unit, group, run_id), text=_text(unit, group, run_id), files=n,
            errors=sum(len(f.errors) for f in group),
            headers={"X-Pressdx-Unit": unit, "X-Pressdx-Run": run_id}))
    return out


def rejection_notices(wh: Warehouse, run_id: str, sources: Sequence[Source]) -> list[Notice]:
    """The notices of intake run ``run_id``: one per unit with rejected files (none when nothing was)."""
    return notices(rejected_files(wh, run_id), sources, run_id)


# -- the two forms of one notice ---------------------------------------------------------------------------
INTRO_VI = ("Các tệp dưới đây đã không được tiếp nhận vào kho dữ liệu vì có lỗi. "
            "Vui lòng sửa các lỗi được liệt kê và gửi lại toàn bộ tệp.")
INTRO_EN = ("The files below were not taken into the warehouse because of the errors listed. "
            "Please correct them and send the whole file again.")


def _received(f: RejectedFile) -> str:
    return f.received_at.astimezone(VN_TZ).strftime("%Y-%m-%d %H:%M") if f.received_at else "–"


def _plain(v: Any) -> str:
    return "–" if v is None or v == "" else str(v)


def _html(unit: str, files: list[RejectedFile], run_id: str) -> str:
    def cell(v: Any) -> str:
        return escape(_plain(v))

    parts = [
        "<html><body>",
        f"<p>Kính gửi đơn vị <b>{escape(unit)}</b>,<br>{INTRO_VI}</p>",
        f"<p>To unit <b>{escape(unit)}</b>,<br>{INTRO_EN}</p>",
    ]
    for f in files:
        parts.append(
            f"<h3>{escape(f.path or '')}</h3>"
            f"<p>Bộ dữ liệu / dataset: {cell(f.dataset)}; kỳ / period: {cell(f.period)}; "
            f"nhận lúc / received: {_received(f)} (UTC+7); SHA-256: <code>{cell((f.sha256 or '')[:16])}</code>; "
            f"số lỗi / errors: {f.error_count}</p>")
        parts.append('<table border="1" cellspacing="0" cellpadding="4">'
                     "<tr><th>Dòng / Row</th><th>Cột / Column</th><th>Giá trị / Value</th>"
                     "<th>Lỗi</th><th>Error</th></tr>")
        for m in f.errors[:NOTICE_MAX_ERRORS]:
            parts.append(f"<tr><td>{cell(m.row_number)}</td><td>{cell(m.column_name)}</td>"
                         f"<td>{cell(m.value)}</td><td>{cell(m.message_vi)}</td>"
                         f"<td>{cell(m.message_en)}</td></tr>")
        parts.append("</table>")
        if len(f.errors) > NOTICE_MAX_ERRORS:
            more = len(f.errors) - NOTICE_MAX_ERRORS
            parts.append(f"<p>… và {more} lỗi khác / and {more} more error(s).</p>")
    parts.append(f"<p><small>pressdx, lượt tiếp nhận / intake run {escape(run_id)}</small></p></body></html>")
    return "\n".join(parts)


def _text(unit: str, files: list[RejectedFile], run_id: str) -> str:
    lines = [f"Kính gửi đơn vị {unit},", INTRO_VI, "", f"To unit {unit},", INTRO_EN]
    for f in files:
        lines += ["", f"== {f.path}",
                  f"   Bộ dữ liệu / dataset: {_plain(f.dataset)}; kỳ / period: {_plain(f.period)}; "
                  f"nhận lúc / received: {_received(f)} (UTC+7); SHA-256: {_plain((f.sha256 or '')[:16])}; "
                  f"số lỗi / errors: {f.error_count}"]
        for m in f.errors[:NOTICE_MAX_ERRORS]:
            lines.append(f"   - dòng / row {_plain(m.row_number)}, cột / column {_plain(m.column_name)}, "
                         f"giá trị / value {_plain(m.value)}:")
            lines += [f"     {m.message_vi}", f"     {m.message_en}"]
        if len(f.errors) > NOTICE_MAX_ERRORS:
            more = len(f.errors) - NOTICE_MAX_ERRORS
            lines.append(f"   … và {more} lỗi khác / and {more} more error(s).")
    lines += ["", f"pressdx, lượt tiếp nhận / intake run {run_id}", ""]
    return "\n".join(lines)
