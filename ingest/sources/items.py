"""What a source is and what it yields; the bottom of ``ingest.sources`` (it imports none of it)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from ingest.sources.reading import Read, read_file


@dataclass(frozen=True)
class Source:
    """One entry of ``sources.yml``, resolved: a folder's ``path`` is absolute, ``contact`` as written
    (one address, a comma/semicolon list, or a tuple of addresses)."""

    name: str
    unit_code: str
    kind: str
    path: Path | None = None
    url: str | None = None
    token_env: str | None = None
    contact: str | tuple[str, ...] | None = None


@dataclass(frozen=True)
class Incoming:
    """One pulled file. ``body`` is its bytes, or the file that holds them (a folder source): a run over
    the whole history then holds one file in memory at a time, not every file of every source."""

    source: Source
    path: str  # relative to the source's folder, or the HTTP submission id
    body: bytes | Path
    received_at: datetime

    @property
    def data(self) -> bytes:
        """The bytes, read now when ``body`` is a file (read it once and keep the result: see ``loaded``).

        Uncapped: intake and the pull read through ``read(max_bytes)`` instead."""
        return self.read().data if isinstance(self.body, Path) else self.body

    def read(self, max_bytes: int | None = None) -> Read:
        """The bytes (``None`` past ``max_bytes``), hash and size; a file is opened without following links and
        must still be a regular file inside its folder source (``ingest.sources.reading``)."""
        if not isinstance(self.body, Path):
            return Read.of(self.body, max_bytes)
        inside = self.source.path if self.source.kind == "folder" else None
        return read_file(self.body, max_bytes, inside)

    @property
    def size(self) -> int:
        return self.body.stat().st_size if isinstance(self.body, Path) else len(self.body)

    def loaded(self) -> Incoming:
        """The same item with its bytes in memory, so that hash, parse and landing see the same bytes."""
        return self if isinstance(self.body, bytes) else replace(self, body=self.data)
