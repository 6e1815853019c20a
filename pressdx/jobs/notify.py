"""The notify step: the rejection notices of an intake run, built once (``ingest.notices``), delivered
through a sender the face chooses.

A sender opens a session and sends one notice at a time: ``PrintSender`` (the plain-text form, to a
terminal), ``FolderSender`` (HTML and text files, e.g. for a clerk to forward), and in Airflow an SMTP
sender on Airflow's SMTP hook (``pressdx.airflow.smtp``). With ``sent_dir`` every notice delivered is kept
there, and a unit already kept is skipped, so a retried delivery sends each unit one notice per run.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any, Protocol, TextIO

from ingest import notices as unit_notices
from ingest.notices import Notice
from ingest.sources import Config
from pressdx.settings import data_dir
from pressdx.warehouse.connection import Warehouse, WarehouseURL

log = logging.getLogger(__name__)

Send = Callable[[Notice], None]


class Sender(Protocol):
    """Delivers notices. ``needs_recipients``: a notice with no recipient is not delivered (e-mail)."""

    needs_recipients: bool

    def session(self) -> AbstractContextManager[Send]: ...


class PrintSender:
    """Writes each notice's plain-text form, after its recipients and subject, to ``stream`` (stdout)."""

    needs_recipients = False

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream

    @contextmanager
    def session(self) -> Iterator[Send]:
        out = self.stream or sys.stdout

        def send(n: Notice) -> None:
            to = ", ".join(n.to) or "(no contact in sources.yml / không có địa chỉ liên hệ)"
            out.write(f"To: {to}\nSubject: {n.subject}\n\n{n.text}\n")

        yield send


class FolderSender:
    """Writes each notice as ``<folder>/<UNIT>.html`` and ``<UNIT>.txt``."""

    needs_recipients = False

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)

    @contextmanager
    def session(self) -> Iterator[Send]:
        self.folder.mkdir(parents=True, exist_ok=True)

        def send(n: Notice) -> None:
            (self.folder / f"{n.unit_code}.html").write_text(n.html, encoding="utf-8")
            (self.folder / f"{n.unit_code}.txt").write_text(n.text, encoding="utf-8")

        yield send


def rejection_notices(url: WarehouseURL, run_id: str, cfg: Config) -> list[Notice]:
    """One notice per unit with files rejected by intake run ``run_id``, to the contacts of ``cfg``."""
    with Warehouse(url) as wh:
        return unit_notices.rejection_notices(wh, run_id, cfg.sources)


def sent_folder(run_id: str) -> Path:
    """Where the notices delivered for run ``run_id`` are kept: ``$PRESSDX_DATA_DIR/notices/<run_id>/``."""
    return data_dir() / "notices" / run_id


def deliver(notices: Sequence[Notice], sender: Sender, *, run_id: str | None = None,
            sent_dir: Path | None = None) -> dict[str, Any]:
    """Deliver ``notices`` through ``sender``; what became of each unit's notice, as plain data.

    The sender's session is opened only when there is something to deliver (an e-mail sender may need a
    connection that is not configured: nothing is asked of it when nothing was rejected).
    """
    run_id = run_id or (notices[0].run_id if notices else None)
    result: dict[str, Any] = {"run_id": run_id, "sent": [], "no_contact": [], "already_sent": []}
    pending = []
    for n in notices:
        if not n.to:
            log.warning("unit %s: %d rejected file(s) but no contact in sources.yml", n.unit_code, n.files)
            result["no_contact"].append(n.unit_code)
            if sender.needs_recipients:
                continue
        if sent_dir is not None and (sent_dir / f"{n.unit_code}.html").exists():
            log.info("unit %s: notice already sent for run %s", n.unit_code, n.run_id)
            result["already_sent"].append(n.unit_code)
            continue
        pending.append(n)
    if not pending:
        return result
    with sender.session() as send:
        for n in pending:
            send(n)
            if sent_dir is not None:  # kept once delivered: a retry skips it
                sent_dir.mkdir(parents=True, exist_ok=True)
                (sent_dir / f"{n.unit_code}.html").write_text(n.html, encoding="utf-8")
            log.info("unit %s: notice of %d rejected file(s) (%d error(s)) sent to %s", n.unit_code, n.files,
                     n.errors, ", ".join(n.to) or "-")
            result["sent"].append({"unit_code": n.unit_code, "to": n.to, "files": n.files})
    return result
