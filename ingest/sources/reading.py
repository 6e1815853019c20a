"""Reading a pulled file safely: never through a link, never more than the size limit into memory.

Listing a folder and reading a file are two moments: between them a file can be swapped for a symlink (to
``/etc/passwd``), a FIFO, or grow to a gigabyte. So the file is opened with ``O_NOFOLLOW`` and judged on
the opened descriptor (``fstat``: a regular file, still inside the source's folder), and its size comes
from that same descriptor before anything is read. A file over the limit is never held in memory: its
SHA-256 is computed by streaming, so intake can still reject it by name and hash.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path

CHUNK = 1024 * 1024


@dataclass(frozen=True)
class Read:
    """A file as read: ``data`` is ``None`` when it is larger than the limit (``size`` says how large)."""

    data: bytes | None
    sha256: str
    size: int

    @classmethod
    def of(cls, data: bytes, max_bytes: int | None) -> Read:
        keep = max_bytes is None or len(data) <= max_bytes
        return cls(data if keep else None, hashlib.sha256(data).hexdigest(), len(data))


def _where(fd: int, path: Path) -> Path:
    """The real path of an opened descriptor (Linux ``/proc``; elsewhere the resolved name)."""
    try:
        return Path(os.readlink(f"/proc/self/fd/{fd}"))
    except OSError:  # pragma: no cover - no /proc
        return Path(os.path.realpath(path))


def read_file(path: Path, max_bytes: int | None = None, inside: Path | None = None) -> Read:
    """The bytes of ``path`` (a regular file, opened without following a link), capped at ``max_bytes``.

    Raises ``OSError`` for a link (``ELOOP``), anything but a regular file, or a file that is no longer
    inside ``inside`` (a parent folder swapped for a link); a caller treats that as "cannot read it".
    """
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC | os.O_NONBLOCK)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise OSError(errno.EINVAL, "not a regular file", str(path))
        if inside is not None and not _where(fd, path).is_relative_to(Path(os.path.realpath(inside))):
            raise OSError(errno.EXDEV, "outside the source's folder", str(path))
        with os.fdopen(os.dup(fd), "rb", buffering=0) as f:
            if max_bytes is None:
                data = f.read()
                return Read(data, hashlib.sha256(data).hexdigest(), len(data))
            if st.st_size > max_bytes:
                return _stream(f, hashlib.sha256(), 0)
            buf = bytearray()
            while len(buf) <= max_bytes and (chunk := f.read(min(CHUNK, max_bytes + 1 - len(buf)))):
                buf += chunk
            if len(buf) > max_bytes:  # it grew since fstat
                return _stream(f, hashlib.sha256(buf), len(buf))
            data = bytes(buf)
            return Read(data, hashlib.sha256(data).hexdigest(), len(data))
    finally:
        os.close(fd)


def _stream(f, h, size: int) -> Read:
    while chunk := f.read(CHUNK):
        h.update(chunk)
        size += len(chunk)
    return Read(None, h.hexdigest(), size)

