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
from ingest.sources.reading import Read, read_file
from pressdx.domain.landing import landing_path as domain_landing_path


class LandingDamaged(RuntimeError):
    """A landed file no longer has the hash it was landed under: never taken in, the task fails."""


def landing_path(root: Path, sha256: str) -> Path:
    """Where the bytes of hash ``sha256`` are kept under the data folder ``root`` (``pressdx.domain.landing``)."""
    return domain_landing_path(sha256, root)


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

    def read(self, max_bytes: int | None = None) -> Read:
        """As ``Incoming.read``; a file refused at the pull for its size is known by its note (``refuse``)."""
        if isinstance(self.body, Path) and not self.body.exists():
            note = _refused_note(self.body)
            if note is not None and note.get("sha256") == self.sha256:
                return Read(None, self.sha256, int(note["size"]))
        if not isinstance(self.body, Path):
            return super().read(max_bytes)
        got = read_file(self.body, max_bytes)  # the store's own file: not inside the source's folder
        if got.sha256 != self.sha256:
            raise LandingDamaged(f"landing store: {self.body} does not match its hash (damaged?)")
        return got


def landed(root: Path, source: Source, path: str, received_at: datetime, sha256: str) -> LandedIncoming:
    """A file of ``source`` as kept in the landing store under ``root`` (read, and checked, only when needed)."""
    return LandedIncoming(source, path, landing_path(root, sha256), received_at, sha256)


# -- files refused for their size: never written, only noted -------------------------------------------------
def _note_path(landing_file: Path) -> Path:
    return landing_file.with_name(landing_file.name + ".refused.json")


def _refused_note(landing_file: Path) -> dict | None:
    try:
        return json.loads(_note_path(landing_file).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def refuse(root: Path, sha256: str, size: int, reason: str = "too_large") -> Path:
    """Note that the file of hash ``sha256`` was too large to keep: its bytes are never written (a 1 GiB file
    costs no disk), the note lets the take-in step reject it by hash and size like any other file."""
    note = _note_path(landing_path(root, sha256))
    note.parent.mkdir(parents=True, exist_ok=True)
    note.write_text(json.dumps({"sha256": sha256, "size": size, "reason": reason}), encoding="utf-8")
    return note


def quarantine(root: Path, unit_code: str, path: str, sha256: str, data: bytes | None, report: dict) -> Path:
    """Keep a rejected file under ``quarantine/<UNIT>/<sha256>`` with its report (``<sha256>.report.json``).

    Names come from the hash, never from the file's own name (which may be 240 bytes long, or not text):
    the original name is in the report. The bytes are stored once: the quarantine entry is a hard link to
    the landing store's copy (a copy only where a link cannot be made); a file refused for its size has
    its report alone.
    """
    folder = root / "quarantine" / unit_code
    folder.mkdir(parents=True, exist_ok=True)
    dest = folder / sha256
    landed_file = landing_path(root, sha256)
    if data is not None and not dest.exists():
        if not landed_file.exists():
            land(root, sha256, data)
        try:
            os.link(landed_file, dest)
        except OSError:  # another file system, or links not allowed
            dest.write_bytes(data)
    kept = {"original_name": PurePath(path).name,
            "landing": landed_file.relative_to(root).as_posix() if data is not None else None}
    dest.with_name(dest.name + ".report.json").write_text(
        json.dumps({**report, **kept}, ensure_ascii=False, indent=2), encoding="utf-8")
    return dest
