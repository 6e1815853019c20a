"""The landing store and the quarantine: the original bytes of every file pulled, kept under the data folder.

One definition of where a file lands, shared by every face: the pull step writes here, the take-in step
reads back from here (checking each hash), intake lands a file it takes in directly here too. The store is
content-addressed (``landing/<sha[:2]>/<sha>``), written once and never changed, so landing the same bytes
again is harmless and a pull on one worker can be taken in on another that shares ``PRESSDX_DATA_DIR``.
"""

from __future__ import annotations

import hashlib
import json
import os
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePath

from ingest.sources import Incoming, Source


class LandingDamaged(RuntimeError):
    """A landed file no longer has the hash it was landed under: never taken in, the task fails."""


def landing_path(root: Path, sha256: str) -> Path:
    """Where the bytes of hash ``sha256`` are kept under the data folder ``root``."""
    return root / "landing" / sha256[:2] / sha256


def land(root: Path, sha256: str, data: bytes) -> Path:
    """Keep the original bytes, content-addressed; written once (atomically), never changed.

    Written to a temporary name of this writer's own, then renamed: two processes landing the same bytes
    at once (two runs sharing a data folder) each rename a complete file over the other's identical one.
    """
    dest = landing_path(root, sha256)
    if not dest.exists():
        dest.parent.mkdir(parents=True, exist_ok=True)
        tmp = dest.with_name(f".{dest.name}.{os.getpid()}.{uuid.uuid4().hex[:12]}.tmp")
        try:
            tmp.write_bytes(data)
            tmp.replace(dest)
        finally:
            tmp.unlink(missing_ok=True)
    return dest


@dataclass(frozen=True)
class LandedIncoming(Incoming):
    """A pulled file read back from the landing store: its bytes are checked against ``sha256`` when read.

    The check is made on the one read intake does anyway (``Incoming.loaded``), so taking in from the
    store reads each file once, and a damaged file is never taken in.
    """

    sha256: str = ""

    @property
    def data(self) -> bytes:
        data = super().data
        if isinstance(self.body, Path) and hashlib.sha256(data).hexdigest() != self.sha256:
            raise LandingDamaged(f"landing store: {self.body} does not match its hash (damaged?)")
        return data


def landed(root: Path, source: Source, path: str, received_at: datetime, sha256: str) -> LandedIncoming:
    """A file of ``source`` as kept in the landing store under ``root`` (read, and checked, only when needed)."""
    return LandedIncoming(source, path, landing_path(root, sha256), received_at, sha256)


def quarantine(root: Path, unit_code: str, path: str, sha256: str, data: bytes, report: dict) -> Path:
    """Keep a rejected file and its report (``<name>.report.json``) under ``quarantine/<UNIT>/``."""
    folder = root / "quarantine" / unit_code
    folder.mkdir(parents=True, exist_ok=True)
    dest = folder / f"{sha256[:12]}-{PurePath(path).name}"
    dest.write_bytes(data)
    dest.with_name(dest.name + ".report.json").write_text(
        json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    return dest
