"""Received times that cannot rewrite the past: a folder file's modification time, only when plausible.

A drop folder's file is received at its modification time (what an upload server records, spec
``submissions.md``), but anyone who can write the folder can set that time to anything: a file taken in
today with its mtime set to last quarter would change figures already published for that quarter. So the
mtime is kept only when it is plausible:

* not in the future (beyond ``CLOCK_SKEW``, for a server whose clock runs a little ahead), and
* not earlier than the last listing of that folder, which did not see the file: every file of a folder
  is judged at the listing that first sees it (a file already judged is a duplicate, whatever its
  time), so a file that is new now was absent then, and cannot have been received before it.

Otherwise the file is received when pressdx first saw it (this listing), and the unit gets a warning
saying so, with the modification time it claimed. Each listing is recorded in ``audit.source_listings``
(source, when, how many files, the SHA-256 of the sorted ``path\\0sha256`` lines it saw), written in the
take-in's last transaction, so a run that dies does not count as having seen anything.

Only folder sources: an HTTP source's ``received_at`` is the server's own record, sent with the document.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from ingest.sources import Incoming
from pressdx.domain.findings import Finding, warning
from pressdx.warehouse.connection import Warehouse

CLOCK_SKEW = timedelta(minutes=5)

LISTINGS_DDL = """
create table if not exists audit.source_listings (
    source_name varchar not null,
    listed_at timestamptz not null,
    run_id varchar not null,
    file_count integer not null,
    names_sha256 varchar not null
)"""


def last_listings(wh: Warehouse) -> dict[str, datetime]:
    """The time of the latest recorded listing of each folder source."""
    wh.execute(LISTINGS_DDL)
    return {name: _aware(at) for name, at in
            wh.query("select source_name, max(listed_at) from audit.source_listings group by source_name")}


def _aware(t: datetime) -> datetime:
    return t if t.tzinfo is not None else t.replace(tzinfo=UTC)


def plausible(item: Incoming, listed_at: datetime, previous: datetime | None) -> tuple[datetime, Finding | None]:
    """The received time of a new ``item`` seen by the listing at ``listed_at`` (``previous``: the folder's
    last listing before it), and the warning to the unit when its modification time was not kept."""
    if item.source.kind != "folder":
        return item.received_at, None
    claimed = item.received_at
    if claimed > listed_at + CLOCK_SKEW:
        why = ("thời điểm này ở tương lai", "that time is in the future")
    elif previous is not None and claimed < previous:
        why = (f"khi đó thư mục đã được đọc lúc {_show(previous)} mà chưa có tệp này",
               f"the folder was read at {_show(previous)} and the file was not there")
    else:
        return claimed, None
    return listed_at, warning("received_time_adjusted", column=None, value=_show(listed_at),
                              detail=(f"{_show(claimed)}: {why[0]}", f"{_show(claimed)}: {why[1]}"))


def _show(t: datetime) -> str:
    return t.astimezone(UTC).isoformat(timespec="seconds")


def record_listings(wh: Warehouse, items: Iterable[Incoming], listed_at: datetime, run_id: str) -> None:
    """One ``audit.source_listings`` row per folder source among ``items`` (call inside a transaction)."""
    seen: dict[str, list[str]] = {}
    for it in items:
        if it.source.kind == "folder":
            seen.setdefault(it.source.name, []).append(f"{it.path}\0{getattr(it, 'sha256', '')}")
    rows = [(name, listed_at, run_id, len(lines), hashlib.sha256("\n".join(sorted(lines)).encode("utf-8",
            "surrogatepass")).hexdigest()) for name, lines in seen.items()]
    wh.execute(LISTINGS_DDL)
    wh.insert_rows("audit.source_listings", ("source_name", "listed_at", "run_id", "file_count", "names_sha256"),
                   rows)
