"""Taking submissions in: parse, normalise, validate, then load whole or quarantine whole.

Order matters and is the received order: an agency code is valid when a register accepted *before* the
file lists it. Each submission is loaded in its own transaction together with its audit event, so a
crash between two files leaves every earlier file fully in and every later one fully out.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from ingest import timing
from ingest.checks import conclude, gx_check, referential
from ingest.landing import land, quarantine
from ingest.parsing import Limits
from ingest.received import last_listings, plausible, record_listings
from ingest.records import judged_meanwhile, known_agencies, record, seen_hashes
from ingest.sources import Incoming
from ingest.sources.names import raw_name
from ingest.sources.reading import Read
from ingest.submission import IntakeResult, Submission, prepare
from ingest.timing import StageTimer
from ingest.warnings import add_history_warnings
from pressdx.domain.findings import Finding, error, warning
from pressdx.domain.reference import Reference, reference
from pressdx.warehouse.connection import Warehouse

log = logging.getLogger(__name__)


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


LARGE_FILE_BYTES = 8 * 2**20  # a file this big takes seconds to parse and check: say so first


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
    timer = timer or timing.current()
    ref = reference().with_units(extra_units or {})
    limits = limits or Limits()
    result = IntakeResult()
    listed_at = now or datetime.now(UTC)
    with timer("checks", "known files and agencies"):
        seen = seen_hashes(wh)
        agencies = known_agencies(wh)
        previous = last_listings(wh)
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
                if progress and len(got.data) >= LARGE_FILE_BYTES:  # the terminal must not look stuck
                    progress(f"reading {lazy.source.unit_code}/{lazy.path} ({len(got.data) / 2**20:.1f} MiB): "
                             "a large file, this may take a while")
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
            _take_in_batch(wh, pending, ref, agencies, result, run_id, data_root, timer)
            pending, pending_rows = [], 0
    _take_in_batch(wh, pending, ref, agencies, result, run_id, data_root, timer)
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


def _judge(wh: Warehouse, sub: Submission, ref: Reference, agencies: set[str],
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
        add_history_warnings(wh, sub)
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
                   result: IntakeResult, run_id: str, data_root: Path,
                   timer: StageTimer) -> None:
    with timer("validate", "gx"):
        _gx_each(pending)  # every readable file, whatever else is wrong with it
    for sub in pending:
        try:
            outcome = _judge(wh, sub, ref, agencies, run_id, data_root, timer)
        except Exception:  # its transaction was rolled back: nothing of it is in
            if judged_meanwhile(wh, sub):  # another intake, the run lock bypassed, recorded it first
                log.info("intake: %s of source %s was recorded by another intake meanwhile: a duplicate",
                         sub.item.path, sub.item.source.name)
                result.duplicates.append(sub)
                sub.release()
                continue
            _internal_error(sub, "checks or loading")  # it is rejected instead
            _reject(wh, sub, run_id, data_root, timer)  # a warehouse that cannot take this either stops the run
            outcome = "rejected"
        if outcome == "rejected":
            result.rejected.append(sub)
        else:
            result.accepted.append(sub)  # its revenue rows are in raw now: the next file's history
            if sub.meta["dataset"] == "agency_register":
                agencies.update(r["agency_code"] for r in sub.rows)
        sub.release()
