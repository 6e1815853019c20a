"""Reading one file, in any of the three encodings, into a ``RawDocument`` of untyped cells.

Parsers never trust their input: every failure becomes a ``Rejected`` carrying Findings, and the XLSX
reader checks the archive's size and compression ratio before it inflates anything.
"""

from __future__ import annotations

from ingest.parsing.csv_file import parse_csv
from ingest.parsing.document import (
    DEFAULT_LIMITS,
    ENCODINGS,
    REFUSED_EXTENSIONS,
    Limits,
    RawDocument,
    Rejected,
    RowLimit,
    encoding_of,
    fmt_n,
    header_name,
    too_many_rows,
)
from ingest.parsing.json_file import parse_json
from ingest.parsing.xlsx_file import parse_xlsx
from pressdx.domain.findings import error

__all__ = ["ENCODINGS", "REFUSED_EXTENSIONS", "Limits", "RawDocument", "Rejected", "encoding_of", "header_name", "parse"]


def parse(name: str, data: bytes, limits: Limits = DEFAULT_LIMITS) -> RawDocument:
    """Parse ``data`` (the bytes of a file called ``name``); raises ``Rejected``.

    A file that can be read but has mistakes (a formula without its value, a line with too many fields,
    metadata that differs between rows, a repeated column) raises ``Rejected`` carrying the document read
    despite them, so that every other check still runs on it. CSV and JSON files of at least
    ``limits.columnar_min_bytes`` come back with ``columns`` instead of ``rows`` (``RawDocument``).
    """
    enc = encoding_of(name)
    if len(data) > limits.max_file_bytes:
        raise Rejected([error("too_large", detail=(f"{fmt_n(len(data), 'vi')} byte > {fmt_n(limits.max_file_bytes, 'vi')} byte",
                                                   f"{fmt_n(len(data), 'en')} > {fmt_n(limits.max_file_bytes, 'en')} bytes"))])
    if not data.strip():
        raise Rejected([error("unreadable", detail=("tệp rỗng", "the file is empty"))])
    try:
        if enc != "xlsx" and len(data) >= limits.columnar_min_bytes:
            doc = {"csv": parse_csv, "json": parse_json}[enc](data, limits, columnar=True)
        else:
            doc = {"csv": parse_csv, "json": parse_json, "xlsx": parse_xlsx}[enc](data, limits)
    except Rejected as r:
        if r.document is not None and r.document.row_count > limits.max_rows:
            raise too_many_rows(r.document.row_count, limits, r.meta) from None
        raise
    except RowLimit:
        raise too_many_rows(None, limits, {}) from None
    except RecursionError:
        raise Rejected([error("unreadable", detail=("dữ liệu lồng nhau quá sâu", "nested too deeply"))]) from None
    except MemoryError:
        raise Rejected([error("too_large", detail=("tệp cần quá nhiều bộ nhớ để đọc",
                                                   "the file needs too much memory to read"))]) from None
    except Exception as e:  # a parser library failing on hostile input is a rejection, not a crash
        raise Rejected([error("unreadable", detail=("tệp bị hỏng hoặc không đúng định dạng",
                                                    f"damaged or not in the expected format: {str(e)[:120]}"))]) from None
    if doc.row_count > limits.max_rows:
        raise too_many_rows(doc.row_count, limits, doc.meta)
    return doc
