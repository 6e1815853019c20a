"""The folder of published files: written atomically with a manifest of their hashes, and checked against it.

Every publication (the quarterly figures, a trend review, an annual report) is a folder under
``$PRESSDX_DATA_DIR/published/`` with a ``manifest.json`` naming each file's SHA-256 and size, so that a
publication can be regenerated later and compared (``verify``). A reader never sees a half-written file:
files go to a temporary name and are renamed, the manifest last.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from pressdx.publishing.formats import to_json_bytes

MANIFEST = "manifest.json"


def published_root(data_dir: Path | None = None) -> Path:
    from pressdx.settings import data_dir as default_data_dir

    return (data_dir or default_data_dir()) / "published"


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def write_publication(folder: Path, files: dict[str, bytes], meta: dict[str, Any]) -> dict[str, Any]:
    """Write ``files`` and their ``manifest.json`` (``meta`` + each file's SHA-256 and size) into ``folder``.

    Every file is written to a temporary name and renamed, the manifest last: a reader never sees a
    half-written file, and a manifest always describes files that are complete. Files of an earlier
    publication into the same folder that are no longer part of it are removed.
    """
    folder.mkdir(parents=True, exist_ok=True)
    manifest = {**meta, "files": {name: {"sha256": sha256_bytes(data), "bytes": len(data)}
                                  for name, data in sorted(files.items())}}
    for name, data in files.items():
        atomic_write(folder / name, data)
    previous = read_manifest(folder)
    atomic_write(folder / MANIFEST, to_json_bytes(manifest))
    for stale in set((previous or {}).get("files", {})) - set(files):
        with contextlib.suppress(FileNotFoundError):
            (folder / stale).unlink()
    return manifest


def write_manifest(folder: Path, meta: dict[str, Any]) -> dict[str, Any]:
    """Record the files already in ``folder`` (e.g. a rendered report) in its manifest, after ``meta``."""
    names = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*")
                   if p.is_file() and p.name != MANIFEST and not p.name.startswith("."))
    files = {n: {"sha256": sha256_bytes((folder / n).read_bytes()), "bytes": (folder / n).stat().st_size}
             for n in names}
    manifest = {**meta, "files": files}
    atomic_write(folder / MANIFEST, to_json_bytes(manifest))
    return manifest


def atomic_write(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def read_manifest(folder: Path) -> dict | None:
    try:
        return json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return None


def verify(folder: str | Path) -> list[str]:
    """Check a publication against its manifest; returns the problems (an empty list: all files match)."""
    folder = Path(folder)
    manifest = read_manifest(folder)
    if manifest is None:
        return [f"{folder}: no readable {MANIFEST}"]
    problems = []
    for name, want in manifest.get("files", {}).items():
        path = folder / name
        if not path.is_file():
            problems.append(f"{name}: missing")
            continue
        data = path.read_bytes()
        if sha256_bytes(data) != want["sha256"] or len(data) != want["bytes"]:
            problems.append(f"{name}: does not match its SHA-256 in the manifest")
    return problems
