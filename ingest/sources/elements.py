"""One element of a page's ``submissions`` list → one ``Incoming`` (spec ``submissions.md``, unit sources).

Each element becomes one ``Incoming`` whose ``path`` is ``{submission_id}/{file name}``: the last
component is the name whose extension selects the parser (a ``document`` becomes ``document.json``
holding its canonical JSON), the whole path is what reports show.

Malformed elements never stop the pull. An element that still identifies a submission (id, received
time, a document or a named file) is handed to intake with the bytes as received, so it is rejected
through the normal path: audit event, quarantine, rejection report to the unit. An element that does
not (not an object, no id, no or naive received time, neither or both of document/file, a file without
a usable name) cannot become an honest ``Incoming``: it is skipped, logged, and listed in ``problems``.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
from datetime import UTC, datetime
from pathlib import PurePosixPath

from ingest.sources.items import Incoming, Source
from ingest.sources.text import one_line

log = logging.getLogger("ingest.sources.http")


def _received_at(value) -> datetime:
    if not isinstance(value, str) or not value.strip():
        raise ValueError("received_at is missing")
    try:
        t = datetime.fromisoformat(value.strip())
    except ValueError:
        raise ValueError(f"received_at {one_line(value, 40)!r} is not an ISO 8601 instant") from None
    if t.tzinfo is None or t.utcoffset() is None:
        raise ValueError(f"received_at {one_line(value, 40)!r} has no UTC offset")
    return t.astimezone(UTC)


def _usable(text: str) -> bool:
    """No control characters, valid Unicode (it becomes part of a path, a file name and a database value)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return not any(ord(c) < 0x20 or ord(c) == 0x7F for c in text)


def _file_name(value) -> str | None:
    """The last component of a file name (shortened to 120 characters, extension kept), or ``None``."""
    if not isinstance(value, str):
        return None
    name = PurePosixPath(value.replace("\\", "/").strip()).name
    if not name or name in (".", "..") or not _usable(name):
        return None
    if len(name) > 120:
        suffix = PurePosixPath(name).suffix[:20]
        name = name[: 120 - len(suffix)] + suffix
    return name


def canonical_json(value) -> bytes:
    """The canonical JSON of a received value (a lone surrogate stays as received: intake rejects it as not UTF-8)."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.encode("utf-8", "surrogatepass")


def element_to_incoming(src: Source, el, where: str, problems: list[str]) -> Incoming | None:
    """One element of ``submissions`` → an ``Incoming`` (or ``None``, with a line appended to ``problems``)."""

    def skip(reason: str) -> None:
        msg = f"source {src.name}: {where} skipped: {reason}"
        log.error(msg)
        problems.append(msg)

    def note(reason: str) -> None:
        msg = f"source {src.name}: {where} handed to intake as received: {reason}"
        log.warning(msg)
        problems.append(msg)

    if not isinstance(el, dict):
        return skip(f"not an object but {type(el).__name__}")
    sid = el.get("submission_id")
    if isinstance(sid, int) and not isinstance(sid, bool):
        sid = str(sid)
    if not isinstance(sid, str) or not sid.strip():
        return skip("submission_id is missing")
    sid = sid.strip()
    if not _usable(sid) or len(sid) > 200:
        return skip(f"submission_id {one_line(sid, 40)!r} is not usable as a name")
    where = f"{where} ({sid})"
    try:
        received = _received_at(el.get("received_at"))
    except ValueError as e:
        return skip(str(e))
    has_doc, has_file = "document" in el, "file" in el
    if has_doc == has_file:
        return skip("needs exactly one of 'document' and 'file'")
    if has_doc:
        doc = el["document"]
        if not isinstance(doc, dict):
            note(f"document is {type(doc).__name__}, not an object")
        return Incoming(src, f"{sid}/document.json", canonical_json(doc), received)
    f = el["file"]
    if not isinstance(f, dict):
        return skip(f"file is {type(f).__name__}, not an object")
    name = _file_name(f.get("name"))
    if name is None:
        return skip("file.name is missing or not a file name")
    content = f.get("content_base64")
    if not isinstance(content, str):
        note("file.content_base64 is not a string")
        return Incoming(src, f"{sid}/{name}", canonical_json(content), received)
    try:
        data = base64.b64decode("".join(content.split()), validate=True)
    except (binascii.Error, ValueError) as e:
        note(f"file.content_base64 is not valid base64 ({one_line(str(e), 60)})")
        return Incoming(src, f"{sid}/{name}", content.encode("utf-8", "surrogatepass"), received)
    return Incoming(src, f"{sid}/{name}", data, received)
