"""Drop-folder sources: every regular, non-hidden file under the folder, received at its modification time.

The modification time is what an upload server records, but anyone who can write the folder can set it:
intake keeps it only when it is plausible (``ingest.received``). A name that is not UTF-8 text is stored
percent-encoded (``ingest.sources.names``); the file is still read by its real name.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

from ingest.parsing import ENCODINGS, REFUSED_EXTENSIONS
from ingest.sources.items import Incoming, Source
from ingest.sources.names import name_text
from pressdx.settings import ConfigError


def pull_folder(src: Source) -> Iterator[Incoming]:
    """Every regular, non-hidden file under the folder with an accepted (or explicitly refused) extension.

    Refused extensions (``.xls``, ``.xlsm``…) are yielded too, so that intake rejects them with a reason
    the unit reads, rather than the file being silently ignored.
    """
    if not src.path.is_dir():
        raise ConfigError(f"source {src.name}: folder {src.path} does not exist")
    wanted = set(ENCODINGS) | REFUSED_EXTENSIONS
    for p in sorted(src.path.rglob("*")):
        rel = p.relative_to(src.path)
        if any(part.startswith(".") for part in rel.parts) or not p.is_file() or p.is_symlink():
            continue
        if p.suffix.lower() not in wanted:
            continue
        try:
            st = p.stat()
        except OSError:  # gone since it was listed: listed again next run
            continue
        yield Incoming(src, name_text(rel.as_posix()), p, datetime.fromtimestamp(st.st_mtime, UTC))
