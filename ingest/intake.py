"""Taking submissions in: parse, normalise, validate, then load whole or quarantine whole.

Order matters and is the received order: an agency code is valid when a register accepted *before* the
file lists it. Each submission is loaded in its own transaction together with its audit event, so a
crash between two files leaves every earlier file fully in and every later one fully out.
"""

from __future__ import annotations

import hashlib
import logging
import operator
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path, PurePath

from ingest.landing import land, quarantine
from ingest.layout import Layout
from ingest.normalise import BadValue, OutOfRange, code, enum, normaliser, text
from ingest.parsing import Limits, RawDocument, Rejected, parse
from ingest.received import last_listings, plausible, record_listings
from ingest.sources import Incoming
from ingest.sources.names import raw_name
from ingest.sources.reading import Read
from ingest.warnings import RevenueHistory, add_history_warnings
from pressdx.domain import calendar
from pressdx.domain.datasets import DATASETS, META_FIELDS, OPTIONAL_META_FIELDS, STATUSES
from pressdx.domain.findings import Finding, capped, error, warning
from pressdx.domain.reference import Reference, reference
from pressdx.warehouse.connection import Warehouse, raw_columns

log = logging.getLogger(__name__)

# A stage timer, the hook through which the benchmark (bench/case.py) sees where intake's time goes:
# ``timer(stage, detail)`` is entered around each step. Stages: "parse" (detail: the file's suffix),
# "normalise" (the rest of ``prepare``), "validate" (the GX suites), "checks" (known files and agencies,
# references, history warnings), "load" (raw rows and audit events, the landing store, the quarantine).
# "parse" runs inside "normalise": a timer that wants exclusive times subtracts the inner step.
# Given to ``take_in(timer=...)``, or set around any job that takes files in with ``timed_by(timer)`` (so
# the jobs calling ``take_in`` need not carry it through their signatures).
StageTimer = Callable[[str, str], AbstractContextManager[object]]


def untimed(stage: str, detail: str = "") -> AbstractContextManager[object]:
    """The default ``StageTimer``: times nothing."""
    return nullcontext()


_TIMER: ContextVar[StageTimer] = ContextVar("ingest_intake_timer", default=untimed)


@contextmanager
def timed_by(timer: StageTimer) -> Iterator[StageTimer]:
    """Every ``take_in`` inside the block (in this thread or task) reports its steps to ``timer``."""
    token = _TIMER.set(timer)
    try:
        yield timer
    finally:
        _TIMER.reset(token)


COMMENTARY_DATASETS = {"agency_register", "agency_dx_status", "agency_revenue", "agency_security",
                       "university_curriculum", "platform_stage"}
FIRST_REVENUE_MONTH = calendar.first_revenue_month()  # 2022-12: the first month the calendar covers


@dataclass
class Submission:
    item: Incoming
    sha256: str
    encoding: str | None = None
    meta: dict = field(default_factory=dict)
    rows: list[dict] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    row_count: int = 0  # len(rows) once known; kept after release()
    item_ref: Incoming | None = None  # the item as pulled (bytes possibly still on disk)
    layout: Layout | None = None  # where rows and fields sit in the file, to name them as the clerk sees them

    def release(self) -> None:
        """Drop the rows and the bytes once the submission is recorded; metadata and findings stay."""
        self.row_count = len(self.rows) or self.row_count
        self.rows = []
        if self.item_ref is not None:
            self.item = self.item_ref

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "warning"]

    @property
    def submission_id(self) -> str:
        return hashlib.sha256(f"{self.item.source.unit_code}|{self.sha256}".encode()).hexdigest()[:24]

    def report(self) -> dict:
        """The intake report's entry (interfaces.md), findings grouped and capped (``capped``)."""
        m = self.meta
        base = {"path": self.item.path, "unit_code": m.get("unit_code"), "dataset": m.get("dataset"),
                "period": m.get("period")}
        if self.errors:
            return {**base, "sha256": self.sha256, "received_at": self.item.received_at.isoformat(),
                    "errors": [f.as_report() for f in capped(self.errors)]}
        return {**base, "status": m.get("status"), "sha256": self.sha256,
                "received_at": self.item.received_at.isoformat(),
                "warnings": [f.as_report() for f in capped(self.warnings)]}


@dataclass
class IntakeResult:
    accepted: list[Submission] = field(default_factory=list)
    rejected: list[Submission] = field(default_factory=list)
    duplicates: list[Submission] = field(default_factory=list)

    def report(self) -> dict:
        return {"accepted": [s.report() for s in self.accepted],
                "rejected": [s.report() for s in self.rejected],
                "duplicates": [{"path": s.item.path, "sha256": s.sha256} for s in self.duplicates]}


# -- per-file preparation ---------------------------------------------------------------------------------
def _meta(sub: Submission, raw_meta: dict, ref: Reference) -> None:
    """Normalise and check the metadata; appends errors to ``sub.findings``."""
    m = {
        "unit_code": code(raw_meta.get("unit_code")),
        "dataset": enum(raw_meta.get("dataset")),
        "period": calendar.normalise_code(text(raw_meta.get("period")) or "") or text(raw_meta.get("period")),
        "status": enum(raw_meta.get("status")),
        "commentary": text(raw_meta.get("commentary")),
    }
    sub.meta = m
    missing = [k for k in ("unit_code", "dataset", "period", "status") if not m[k]]
    for k in missing:
        sub.findings.append(error("meta_missing", column=k))
    src_unit = sub.item.source.unit_code
    if m["unit_code"]:
        if m["unit_code"] not in ref.units:
            sub.findings.append(error("unit_unknown", column="unit_code", value=m["unit_code"]))
        elif m["unit_code"] != src_unit:
            sub.findings.append(error("unit_mismatch", column="unit_code", value=m["unit_code"], detail=src_unit))
    if m["dataset"]:
        if m["dataset"] not in DATASETS:
            sub.findings.append(error("dataset_unknown", column="dataset", value=m["dataset"],
                                      detail=", ".join(DATASETS)))
        elif m["unit_code"] in ref.units and not ref.may_submit(m["unit_code"], m["dataset"]):
            sub.findings.append(error("dataset_not_assigned", column="dataset", value=m["dataset"],
                                      detail=m["unit_code"]))
    if m["status"] and m["status"] not in STATUSES:
        sub.findings.append(error("meta_invalid", column="status", value=m["status"],
                                  detail=("chọn 'provisional' hoặc 'official'", "use 'provisional' or 'official'")))
    if m["period"]:
        try:
            p = calendar.period(m["period"])
        except KeyError:
            sub.findings.append(error("meta_invalid", column="period", value=m["period"],
                                      detail=(f"mã kỳ dạng YYYY-Qn, từ {calendar.period_range(' đến ')}",
                                              f"a period code YYYY-Qn from {calendar.period_range(' to ')}")))
        else:
            if sub.item.received_at < p.starts_at:
                sub.findings.append(error("period_not_started", column="period", value=p.code,
                                          detail=sub.item.received_at.astimezone(calendar.VN_TZ).isoformat()))
            ds = DATASETS.get(m["dataset"] or "")
            if ds and ds.periods == "q4" and p.quarter != 4:
                sub.findings.append(error("meta_invalid", column="period", value=p.code,
                                          detail=("báo cáo năm nộp vào kỳ Y-Q4", "annual reports belong to period Y-Q4")))


def _rows(sub: Submission, doc: RawDocument) -> None:
    """Type every cell of every row, whatever else is wrong with the file: the clerk gets every mistake at once.

    Each typed row keeps ``_row`` (its 1-based position among the rows: the raw tables' ``row_number``) and
    ``_line`` (where the clerk sees it: sheet row, CSV line or JSON index), which findings report.
    """
    ds = DATASETS[sub.meta["dataset"]]
    header = doc.header
    for h in header:
        if h not in ds.column_names:
            sub.findings.append(warning("column_unknown", column=h))
    for col in ds.required:
        if col not in header:
            sub.findings.append(error("column_missing", column=col))
    if not doc.rows and not doc.findings:
        sub.findings.append(error("no_rows"))
    typed_rows = []
    columns = [(col.name, normaliser(col)) for col in ds.columns]
    for n, (line, raw) in enumerate(zip(doc.lines, doc.rows, strict=True), start=1):
        row = {"_row": n, "_line": line}
        for name, fn in columns:
            value = raw.get(name)
            try:
                row[name] = fn(value)
            except BadValue as e:  # OutOfRange: well formed, but beyond what the warehouse holds
                sub.findings.append(error("range" if isinstance(e, OutOfRange) else "type", row=line, column=name,
                                          value=text(value) or repr(value), detail=e.detail))
                row[name] = None
        typed_rows.append(row)
    sub.rows = typed_rows


def prepare(item: Incoming, ref: Reference, limits: Limits, sha256: str | None = None,
            timer: StageTimer = untimed) -> Submission:
    """Parse, normalise and check one file on its own (``sha256``: its hash, when already computed)."""
    sub = Submission(item, sha256 or hashlib.sha256(item.data).hexdigest())
    name = PurePath(item.path).name
    try:
        with timer("parse", PurePath(name).suffix.lower()):
            doc = parse(name, item.data, limits)
    except Rejected as r:
        sub.findings.extend(r.findings)
        if r.document is None:  # nothing more can be read
            if r.meta:
                _meta(sub, r.meta, ref)
                sub.findings = [f for f in sub.findings if f.rule not in ("meta_missing",)] or sub.findings
            return sub
        doc = r.document  # read despite its mistakes: every other check still runs
    sub.encoding = doc.encoding
    sub.layout = doc.layout
    _meta(sub, doc.meta, ref)
    if sub.meta["dataset"] in DATASETS:
        _rows(sub, doc)
    if not sub.errors and sub.meta["dataset"] in COMMENTARY_DATASETS and sub.meta["period"].endswith("Q2") \
            and not sub.meta["commentary"]:
        sub.findings.append(warning("missing_commentary", column="commentary"))
    return sub


# -- checks that need other submissions or the reference ---------------------------------------------------
def referential(sub: Submission, ref: Reference, agencies: set[str] | None) -> None:
    """Codes that must exist and rows the unit may report, on every row (``agencies``: the agency codes of
    the registers accepted before; ``None`` leaves agency codes unchecked). A check that needs a valid
    period or a registered unit is skipped when the metadata already failed on it."""
    ds, unit = sub.meta["dataset"], sub.meta["unit_code"]
    try:
        last_month = calendar.period(sub.meta["period"] or "").months()[-1]
    except KeyError:
        last_month = None
    if unit not in ref.units:
        unit = None
    for r in sub.rows:
        n = r["_line"]
        if agencies is not None and "agency_code" in r and ds != "agency_register" and r["agency_code"] \
                and r["agency_code"] not in agencies:
            sub.findings.append(error("agency_unknown", row=n, column="agency_code", value=r["agency_code"]))
        if ds == "agency_revenue" and last_month and r["month"] and not FIRST_REVENUE_MONTH <= r["month"] <= last_month:
            sub.findings.append(error(
                "month_in_range", row=n, column="month", value=r["month"].strftime("%Y-%m"),
                detail=(f"từ 2022-12 đến {last_month:%Y-%m}", f"from 2022-12 to {last_month:%Y-%m}")))
        if ds == "platform_stage" and unit and r["platform_code"] \
                and ref.platform_units.get(r["platform_code"]) not in (None, unit):
            sub.findings.append(error("platform_not_assigned", row=n, column="platform_code",
                                      value=r["platform_code"], detail=unit))
        if ds == "task_progress" and r["task_code"]:
            task = ref.tasks.get(r["task_code"])
            if task is None:
                sub.findings.append(error("task_unknown", row=n, column="task_code", value=r["task_code"]))
            elif unit is None:
                continue
            elif unit not in task.lead_units:
                sub.findings.append(error("task_not_lead", row=n, column="task_code", value=r["task_code"], detail=unit))
            elif task.due_kind == "annual" and r["year"] not in task.years:
                sub.findings.append(error("task_year_required", row=n, column="year", value=r["task_code"],
                                          detail=f"{task.years[0]}–{task.years[-1]}"))


def gx_check(subs: list[Submission]) -> None:
    """Run each dataset's Great Expectations suite once over all of its pending submissions."""
    import pandas as pd

    from ingest.validation import validate

    by_ds: dict[str, list[Submission]] = {}
    for s in subs:
        by_ds.setdefault(s.meta["dataset"], []).append(s)
    for ds, group in by_ds.items():
        rows = [r for s in group for r in s.rows]
        # column by column: about twice as fast as DataFrame.from_records over the row dicts, same dtypes
        frame = pd.DataFrame({"_submission": [i for i, s in enumerate(group) for _ in s.rows],
                              "_row": [r["_line"] for r in rows],  # findings name the row as the clerk sees it
                              **{c: [r[c] for r in rows] for c in DATASETS[ds].column_names}})
        for key, findings in validate(ds, frame).items():
            group[int(key)].findings.extend(findings)


CELL_RULES = ("type", "formula_without_value", "range")  # a cell that could not be read: nothing more said of it


def conclude(sub: Submission, order: bool = True) -> None:
    """Once every check has run: one finding per problem, each naming where the clerk finds it, in file order.

    A cell that could not be read (wrong type, formula without its value) is not reported again (as empty,
    as an annual task's missing year…); a missing column is not also reported as empty on every row; a
    finding made twice (by intake and by GX) is kept once. Metadata and header findings come first, then rows in file order (``order=False`` keeps
    the order they were made in: the history warnings follow the file's own findings). Idempotent.
    """
    bad_cells = {(f.row, f.column) for f in sub.findings
                 if f.rule in CELL_RULES and f.column is not None}
    missing = {f.column for f in sub.findings if f.rule == "column_missing"}
    status_told = any(f.rule in ("status_column_twice", "submission_status_column") for f in sub.findings)
    seen: set[tuple] = set()
    out: list[Finding] = []
    for f in sub.findings:
        key = (f.severity, f.rule, f.row, f.column, f.value)
        follow_on = f.rule not in CELL_RULES and (f.row, f.column) in bad_cells \
            or f.rule == "required" and f.column in missing \
            or f.rule == "meta_missing" and f.column == "status" and status_told
        if key in seen or follow_on:
            continue
        seen.add(key)
        out.append(sub.layout.locate(f) if sub.layout else f)
    if not order:
        sub.findings = out
        return
    ds = DATASETS.get(sub.meta.get("dataset") or "")
    names = (*META_FIELDS, *OPTIONAL_META_FIELDS, *(ds.column_names if ds else ()))  # meta!B2 before meta!B5
    sub.findings = sorted(out, key=lambda f: (f.row is not None, f.row or 0,
                                              names.index(f.column) if f.column in names else len(names)))


# -- loading ---------------------------------------------------------------------------------------------
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


def known_agencies(wh: Warehouse) -> set[str]:
    return {r[0] for r in wh.query("select distinct agency_code from raw.agency_register")}


BATCH_ROWS = 250_000  # rows parsed before a batch is validated and loaded: bounds memory, not results


def _too_large(item: Incoming, got: Read, limits: Limits) -> Submission:
    """A file over the size limit, judged by its hash and size alone: it was never read into memory."""
    from babel.numbers import format_decimal

    sub = Submission(item, got.sha256)
    vi, en = (format_decimal(n, locale=loc) for n, loc in ((got.size, "vi"), (got.size, "en")))
    lim_vi, lim_en = (format_decimal(limits.max_file_bytes, locale=loc) for loc in ("vi", "en"))
    sub.findings.append(error("too_large", detail=(f"{vi} byte > {lim_vi} byte", f"{en} > {lim_en} bytes")))
    return sub


def _internal_error(sub: Submission, where: str) -> None:
    """The last resort: an unexpected failure on one file rejects that file (``internal_error``), logged with
    its traceback under a short reference the unit can quote; the other files go on."""
    ref = uuid.uuid4().hex[:8]
    log.exception("intake: internal error on %s (%s) of source %s, reference %s", sub.item.path, where,
                  sub.item.source.name, ref)
    sub.rows = []
    sub.findings = [error("internal_error", detail=(f"mã tham chiếu {ref}", f"reference {ref}"))]


def _notes(item: Incoming, received_note: Finding | None) -> list[Finding]:
    """Warnings about how the file came in: a received time not taken from its mtime, an escaped name."""
    notes = [received_note] if received_note is not None else []
    raw = raw_name(item.path)
    if raw is not None:
        notes.append(warning("file_name_escaped", column=None, value=raw.hex()[:64], detail=raw.hex()))
    return notes


def take_in(wh: Warehouse, items: Iterable[Incoming], *, run_id: str, data_root: Path,
            extra_units: dict[str, str] | None = None, limits: Limits | None = None,
            progress: Callable[[str], None] | None = None, batch_rows: int = BATCH_ROWS,
            timer: StageTimer | None = None, now: datetime | None = None) -> IntakeResult:
    """Take ``items`` in, in received order, in batches of about ``batch_rows`` rows.

    A batch is parsed, validated with one GX run per dataset, then loaded file by file. Batches change
    nothing but memory: a file is judged against the registers accepted before it, whichever batch they
    were in. After its batch a submission keeps its metadata and findings, not its rows or bytes.
    ``timer``: a ``StageTimer`` entered around each step (default: the one of ``timed_by``, else none).
    ``now``: the time of this listing (default: the clock), against which received times are judged
    (``ingest.received``).

    Whatever a file holds, it ends accepted or rejected: a file over the size limit is rejected unread,
    and any unexpected failure on one file rejects it as ``internal_error`` (``_internal_error``).
    """
    timer = timer or _TIMER.get()
    ref = reference().with_units(extra_units or {})
    limits = limits or Limits()
    result = IntakeResult()
    listed_at = now or datetime.now(UTC)
    with timer("checks", "known files and agencies"):
        seen = seen_hashes(wh)
        agencies = known_agencies(wh)
        previous = last_listings(wh)
    revenue = RevenueHistory(wh)
    items = list(items)
    judged = []
    for it in items:
        received, note = plausible(it, listed_at, previous.get(it.source.name))
        judged.append((replace(it, received_at=received) if received != it.received_at else it, note))
    judged.sort(key=lambda j: (j[0].received_at, j[0].source.name, j[0].path))
    pending: list[Submission] = []
    pending_rows = 0
    for n, (lazy, note) in enumerate(judged, start=1):
        try:
            got = lazy.read(limits.max_file_bytes)
        except OSError as e:  # gone, unreadable, or a link swapped in since it was listed: never copied
            if progress:
                progress(f"skipped {lazy.path}: cannot read it ({e.strerror or e})")
            continue
        sha = got.sha256
        key, where = (lazy.source.unit_code, sha), (lazy.source.name, lazy.path)
        if key in seen:
            sub = Submission(lazy, sha)
            result.duplicates.append(sub)
            if where not in seen[key]:  # the same bytes under a new name: worth an audit event, once;
                with timer("load", "duplicate"):  # a file still lying where it was is not news
                    record(wh, sub, "duplicate", run_id)
                seen[key].add(where)
            continue
        seen[key] = {where}
        try:
            if got.data is None:
                sub = _too_large(lazy, got, limits)
            else:
                with timer("normalise", ""):
                    sub = prepare(replace(lazy, body=got.data), ref, limits, sha, timer)
                with timer("load", "landing"):
                    land(data_root, sha, got.data)
            sub.findings += _notes(lazy, note)
        except Exception:
            sub = Submission(replace(lazy, body=got.data) if got.data is not None else lazy, sha)
            _internal_error(sub, "reading")
        sub.item_ref = lazy
        pending.append(sub)
        if progress and n % 50 == 0:
            progress(f"parsed {n}/{len(judged)} files")
        pending_rows += len(sub.rows)
        if pending_rows >= batch_rows:
            _take_in_batch(wh, pending, ref, agencies, revenue, result, run_id, data_root, timer)
            pending, pending_rows = [], 0
    _take_in_batch(wh, pending, ref, agencies, revenue, result, run_id, data_root, timer)
    with wh.transaction():
        record_listings(wh, [j[0] for j in judged], listed_at, run_id)
    return result


def _gx_each(pending: list[Submission]) -> None:
    """GX over the readable files; when a batch run fails, file by file, so only the file at fault is lost."""
    readable = [s for s in pending if s.rows]
    try:
        gx_check(readable)
    except Exception:
        log.warning("intake: GX failed on a batch of %d file(s); checking them one by one", len(readable))
        for s in readable:
            before = list(s.findings)
            try:
                gx_check([s])
            except Exception:
                s.findings = before
                _internal_error(s, "validation")


def _judge(wh: Warehouse, sub: Submission, ref: Reference, agencies: set[str], revenue: RevenueHistory,
           run_id: str, data_root: Path, timer: StageTimer) -> str:
    """Check, conclude and record one submission; returns its outcome (``accepted`` or ``rejected``)."""
    if sub.rows:
        with timer("checks", "references"):
            referential(sub, ref, agencies)
    conclude(sub)
    if sub.errors:
        _reject(wh, sub, run_id, data_root, timer)
        return "rejected"
    with timer("checks", "history warnings"):
        add_history_warnings(wh, sub, revenue)
    conclude(sub, order=False)
    with timer("load", "accepted"):
        record(wh, sub, "accepted", run_id)
    return "accepted"


def _reject(wh: Warehouse, sub: Submission, run_id: str, data_root: Path, timer: StageTimer) -> None:
    with timer("load", "rejected"):
        data = sub.item.body if isinstance(sub.item.body, bytes) else None  # None: too large, never read
        quarantine(data_root, sub.item.source.unit_code, sub.item.path, sub.sha256, data, sub.report())
        record(wh, sub, "rejected", run_id)


def _take_in_batch(wh: Warehouse, pending: list[Submission], ref: Reference, agencies: set[str],
                   revenue: RevenueHistory, result: IntakeResult, run_id: str, data_root: Path,
                   timer: StageTimer) -> None:
    with timer("validate", "gx"):
        _gx_each(pending)  # every readable file, whatever else is wrong with it
    for sub in pending:
        try:
            outcome = _judge(wh, sub, ref, agencies, revenue, run_id, data_root, timer)
        except Exception:  # its transaction was rolled back: nothing of it is in; it is rejected instead
            _internal_error(sub, "checks or loading")
            _reject(wh, sub, run_id, data_root, timer)  # a warehouse that cannot take this either stops the run
            outcome = "rejected"
        if outcome == "rejected":
            result.rejected.append(sub)
        else:
            if sub.meta["dataset"] == "agency_revenue":
                with timer("checks", "revenue history"):
                    revenue.add(sub.rows)
            result.accepted.append(sub)
            if sub.meta["dataset"] == "agency_register":
                agencies.update(r["agency_code"] for r in sub.rows)
        sub.release()
