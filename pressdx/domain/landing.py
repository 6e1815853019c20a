"""Where the landing store keeps a file's original bytes, and whether they are still those bytes.

One definition for every wing: intake writes there (``ingest.landing``), ``pressdx trace --verify`` and
``pressdx verify`` re-hash from there. It lives this low because the figures wing, which traces a figure
to its bytes, must not import the intake wing above it. The store is content-addressed
(``$PRESSDX_DATA_DIR/landing/<sha[:2]>/<sha>``): a file's name is its SHA-256, so a check needs nothing
but the hash a mart records.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from pressdx.settings import data_dir

CHUNK = 1 << 20


def landing_path(sha256: str, root: Path | None = None) -> Path:
    """Where the bytes of hash ``sha256`` are kept under the data folder ``root`` (default: ``data_dir()``)."""
    return (root if root is not None else data_dir()) / "landing" / sha256[:2] / sha256


def landed_problem(sha256: str, root: Path | None = None) -> str | None:
    """``None`` when the landed bytes still hash to ``sha256``; else what is wrong, in a few words."""
    path = landing_path(sha256, root)
    if not path.is_file():
        return f"missing from the landing store ({path})"
    h = hashlib.sha256()
    with path.open("rb") as f:
        while block := f.read(CHUNK):
            h.update(block)
    if h.hexdigest() != sha256:
        return f"{path} does not match its SHA-256 (the bytes changed)"
    return None
