"""File names as data: whatever bytes a folder's file name holds, it is stored losslessly as text.

Names are stored (``raw.submissions.path``, the audit, reports) as text, and both engines refuse what is
not valid UTF-8 (a Windows-1258 upload keeps its single-byte letters). The rule, documented in
``docs/configuration.md``-style prose here because every face shares it:

* a name that is valid UTF-8 with no control characters is stored unchanged;
* any other name is stored *percent-encoded* (RFC 3986 style, ``urllib.parse.quote`` of its raw bytes,
  so ``b"B\\xe1o c\\xe1o.csv"`` becomes ``B%E1o%20c%E1o.csv``); ``urllib.parse.unquote_to_bytes`` gives the
  exact bytes back, and intake adds a warning to the unit that carries those bytes in hex as well
  (``raw_name``), so nothing is lost even if a human edits the text.

The file itself is still read by its real name (the ``Path`` kept in ``Incoming.body``): only what is
stored as data changes.
"""

from __future__ import annotations

import os
from urllib.parse import quote, unquote_to_bytes

# printable ASCII other than '%' stays as is, so an escaped name stays readable
_SAFE = "".join(chr(c) for c in range(0x21, 0x7F) if chr(c) != "%") + " "


def _clean(text: str) -> bool:
    return not any(ord(c) < 0x20 or ord(c) == 0x7F for c in text)


def name_text(raw: bytes | str) -> str:
    """The text stored for a file name given as bytes (or as ``os.fsdecode`` text with surrogate escapes)."""
    if isinstance(raw, str):
        raw = os.fsencode(raw)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return quote(raw, safe=_SAFE)
    return text if _clean(text) else quote(raw, safe=_SAFE)


def raw_name(stored: str) -> bytes | None:
    """The original bytes of a stored name when it was escaped by ``name_text``; ``None`` for a plain name."""
    if "%" not in stored:
        return None
    raw = unquote_to_bytes(stored)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw
    return raw if not _clean(text) else None
