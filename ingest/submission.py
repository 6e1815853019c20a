"""One file read into a ``Submission``: its metadata, its rows normalised, its findings so far.

Everything that can be said of a file on its own (nothing of the warehouse) is said here; ``ingest.checks``
then adds what needs other files (references, GX over the batch) and ``ingest.intake`` decides.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import PurePath

from ingest.columns import normalise_columns
from ingest.layout import Layout
from ingest.normalise import BadValue, OutOfRange, code, enum, normaliser, text
from ingest.parsing import Limits, RawDocument, Rejected, parse
from ingest.sources import Incoming
from ingest.timing import StageTimer, untimed
from pressdx.domain import calendar
from pressdx.domain.datasets import DATASETS, STATUSES
from pressdx.domain.findings import Finding, capped, error, warning
from pressdx.domain.reference import Reference

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
    if not doc.row_count and not doc.findings:
        sub.findings.append(error("no_rows"))
    if doc.columns is not None:  # a large file, read column by column: the same rows and findings, faster
        sub.rows, refused = normalise_columns(ds, doc.lines, doc.columns)
        sub.findings += refused
        return
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
