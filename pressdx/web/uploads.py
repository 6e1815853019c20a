"""Uploads: read within the byte cap while streaming, check with intake's ``validate_file``, store.

An upload is first *checked*: its bytes go to a hidden staging folder and intake's one-file validation
reports on them (nothing is taken in). *Submitting* it writes the bytes into the unit's portal folder
``$PRESSDX_DATA_DIR/portal/<UNIT>/`` — atomically (a unique hidden temporary name in the same folder,
then a rename) and with the file's modification time set to the server's receive time, because a
folder source's received time is the file's mtime (submissions.md) and the received time decides
timeliness. The receive time is also kept in ``portal.receipts`` with the SHA-256 and the user.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import shutil
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePath

from fastapi import Request
from starlette.datastructures import FormData, UploadFile
from starlette.formparsers import MultiPartParser

from ingest.parsing import Limits

FORM_OVERHEAD = 64 * 1024  # multipart boundaries, headers and the CSRF field around the file
TOKEN_RE = re.compile(r"[0-9a-f]{32}")
STAGING_TTL_SECONDS = 24 * 3600


class TooLarge(Exception):
    pass


def source_name(unit: str) -> str:
    """The name of a unit's portal source (use the same in sources.yml: duplicates stay quiet)."""
    return f"{unit}:portal"


async def capped_form(request: Request, limits: Limits) -> FormData:
    """The multipart form, refusing to read more than the file limit plus the form's overhead."""
    cap = limits.max_file_bytes + FORM_OVERHEAD
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > cap:
        raise TooLarge()

    async def stream() -> AsyncIterator[bytes]:
        seen = 0
        async for chunk in request.stream():
            seen += len(chunk)
            if seen > cap:
                raise TooLarge()
            yield chunk

    parser = MultiPartParser(request.headers, stream(), max_files=1, max_fields=8, max_part_size=64 * 1024)
    return await parser.parse()


def clean_name(name: str | None) -> str:
    """The uploaded file's own name, reduced to letters, digits, ``.``, ``-`` and ``_``."""
    base = PurePath((name or "upload").replace("\\", "/")).name
    base = re.sub(r"[^\w.\-]+", "_", base).strip("._") or "upload"
    stem, dot, ext = base.rpartition(".")
    return f"{stem[:80]}.{ext[:8].lower()}" if dot and stem else base[:90]


@dataclass
class Staged:
    token: str
    unit: str
    path: Path
    sha256: str
    size: int
    username: str


async def stage(upload: UploadFile, staging: Path, unit: str, username: str, limits: Limits) -> Staged:
    """Copy the uploaded part into ``staging/<unit>/<token>/<name>``; TooLarge past the file limit."""
    prune(staging)
    token = secrets.token_hex(16)
    folder = staging / unit / token
    folder.mkdir(parents=True)
    path = folder / clean_name(upload.filename)
    digest, size = hashlib.sha256(), 0
    with path.open("wb") as out:
        while chunk := await upload.read(1 << 16):
            size += len(chunk)
            if size > limits.max_file_bytes:
                out.close()
                shutil.rmtree(folder, ignore_errors=True)
                raise TooLarge()
            digest.update(chunk)
            out.write(chunk)
    staged = Staged(token, unit, path, digest.hexdigest(), size, username)
    (folder / "staged.json").write_text(json.dumps({"name": path.name, "sha256": staged.sha256, "size": size,
                                                    "username": username}), encoding="utf-8")
    return staged


def staged(staging: Path, unit: str, token: str) -> Staged | None:
    if not TOKEN_RE.fullmatch(token or ""):
        return None
    folder = staging / unit / token
    try:
        meta = json.loads((folder / "staged.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    path = folder / meta["name"]
    if not path.is_file() or hashlib.sha256(path.read_bytes()).hexdigest() != meta["sha256"]:
        return None
    return Staged(token, unit, path, meta["sha256"], meta["size"], meta["username"])


def discard(item: Staged) -> None:
    shutil.rmtree(item.path.parent, ignore_errors=True)


def prune(staging: Path) -> None:
    """Forget checked uploads nobody submitted within a day."""
    if not staging.is_dir():
        return
    cutoff = time.time() - STAGING_TTL_SECONDS
    for unit in staging.iterdir():
        for folder in unit.iterdir() if unit.is_dir() else ():
            with_meta = folder / "staged.json"
            if folder.is_dir() and (not with_meta.exists() or with_meta.stat().st_mtime < cutoff):
                shutil.rmtree(folder, ignore_errors=True)


def store_submission(item: Staged, portal_dir: Path, received_at: datetime | None = None) -> tuple[str, datetime]:
    """Write the staged bytes into the unit's folder source; returns (path in the source, receive time)."""
    received_at = received_at or datetime.now(UTC)
    folder = portal_dir / item.unit
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{received_at:%Y%m%dT%H%M%S}{received_at.microsecond:06d}Z-{item.sha256[:12]}-{item.path.name}"
    tmp = folder / f".upload-{uuid.uuid4().hex}.tmp"  # hidden: a run listing the folder meanwhile skips it
    try:
        with tmp.open("wb") as out:
            out.write(item.path.read_bytes())
            out.flush()
            os.fsync(out.fileno())
        stamp = received_at.timestamp()
        os.utime(tmp, (stamp, stamp))
        os.replace(tmp, folder / name)
    finally:
        tmp.unlink(missing_ok=True)
    return name, received_at
