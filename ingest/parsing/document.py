"""What every parser shares: the limits, the raw document a parser returns, the rejection it raises."""

from __future__ import annotations

import contextlib
import gc
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import PurePath

from ingest.layout import Layout
from pressdx.domain.findings import Finding, error

ENCODINGS = {".csv": "csv", ".xlsx": "xlsx", ".json": "json"}
REFUSED_EXTENSIONS = {".xlsm", ".xls", ".xlsb", ".xltm", ".xlam"}


# ≈ 4,000 revenue rows. The columnar path is faster at any size (3× at 4,000 rows, measured), but below this a
# file takes milliseconds either way, and small files (every hand-made one) stay on the row path, the reference.
COLUMNAR_MIN_BYTES = 256 * 1024


@dataclass(frozen=True)
class Limits:
    """Configurable in ``sources.yml`` under ``limits:``."""

    max_file_bytes: int = 20 * 1024 * 1024
    max_rows: int = 200_000
    max_xlsx_uncompressed_bytes: int = 200 * 1024 * 1024
    max_xlsx_ratio: float = 100.0
    # CSV and JSON files from this size on are read and normalised column by column (``ingest.columns``):
    # the same values and findings as row by row, faster. A tuning knob (tests force either path with it:
    # 0, always columnar; 2**62, never), configurable like the limits.
    columnar_min_bytes: int = COLUMNAR_MIN_BYTES

    @classmethod
    def from_config(cls, cfg: dict | None) -> Limits:
        cfg = cfg or {}
        known = {k: type(getattr(cls(), k))(v) for k, v in cfg.items() if k in cls.__dataclass_fields__}
        return cls(**known)


class Rejected(Exception):
    """The file is rejected. ``document`` is what could still be read (``None`` when nothing could), so that
    intake goes on checking every row and the clerk gets every mistake in one round."""

    def __init__(self, findings: list[Finding], meta: dict | None = None, document: RawDocument | None = None):
        super().__init__("; ".join(f.message_en for f in findings))
        self.findings = findings
        self.meta = meta or {}
        self.document = document


@dataclass
class RawDocument:
    """``rows`` of untyped cells; ``lines[i]`` is where ``rows[i]`` is in the file (see ``Finding.row``).

    A columnar read (``ingest.parsing.csv_records``, large files) leaves ``rows`` empty and fills ``columns``
    instead: each data column's cells in row order, one per entry of ``lines`` (``None`` for an absent cell).
    """

    encoding: str
    meta: dict[str, object]
    header: list[str]
    rows: list[dict[str, object]]
    findings: list[Finding] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    layout: Layout | None = None
    columns: dict[str, list | tuple] | None = None

    @property
    def row_count(self) -> int:
        return len(self.lines) if self.columns is not None else len(self.rows)

    def __post_init__(self) -> None:
        if not self.lines and self.columns is None:
            self.lines = list(range(1, len(self.rows) + 1))
        if self.layout is None:
            self.layout = Layout(self.encoding)


def header_name(value) -> str:
    s = unicodedata.normalize("NFC", str(value if value is not None else "")).strip().lstrip("\ufeff")
    return s.lower().replace(" ", "_")


def encoding_of(name: str) -> str:
    ext = PurePath(name).suffix.lower()
    if ext in ENCODINGS:
        return ENCODINGS[ext]
    raise Rejected([error("unsupported_format", value=ext or name)])


def fmt_n(n: int, locale: str) -> str:
    from babel.numbers import format_decimal

    return format_decimal(n, locale=locale)




def too_many_rows(n: int | None, limits: Limits, meta: dict) -> Rejected:
    """``n``: the rows counted, or ``None`` when reading stopped at the limit (the rest is never read)."""
    if n is None:
        return Rejected([error("too_many_rows", detail=(f"hơn {fmt_n(limits.max_rows, 'vi')} dòng",
                                                        f"more than {fmt_n(limits.max_rows, 'en')} rows"))], meta)
    return Rejected([error("too_many_rows", detail=(f"{fmt_n(n, 'vi')} dòng > {fmt_n(limits.max_rows, 'vi')}",
                                                    f"{fmt_n(n, 'en')} rows > {fmt_n(limits.max_rows, 'en')}"))], meta)


class RowLimit(Exception):
    """Raised by a reader that met more rows than the limit: it stops reading there (memory stays bounded)."""


@contextlib.contextmanager
def bulk() -> Iterator[None]:
    """No cyclic garbage collection while a large file's cells and rows are built in bulk.

    Hundreds of thousands of lists, tuples and dicts, none of them in a cycle: each collection the
    allocations trigger walks all of them again for nothing (a third of the columnar read's time at
    200,000 rows). Collection is turned back on after, unless it was off already (another thread's
    ``bulk``, or the embedding program's choice), so it is never left off.
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def done(doc: RawDocument) -> RawDocument:
    if any(f.severity == "error" for f in doc.findings):
        raise Rejected(doc.findings, doc.meta, doc)
    return doc


# -- CSV ------------------------------------------------------------------------------------------------
def positions(ns: list[int]) -> tuple[str, str]:
    """Column positions (1-based) as text: ``cột thứ 4 và thứ 7`` / ``columns 4 and 7``."""
    vi = "cột " + " và ".join(f"thứ {n}" for n in ns)
    en = "columns " + ", ".join(map(str, ns[:-1])) + f" and {ns[-1]}"
    return vi, en


DEFAULT_LIMITS = Limits()
