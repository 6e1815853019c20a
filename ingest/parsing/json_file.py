"""JSON files: the document object, its metadata and rows; invalid Unicode and NUL told as such."""

from __future__ import annotations

import contextlib
import json
import re
from itertools import chain

from ingest.layout import ALL_META, Layout
from ingest.parsing.document import (
    Limits,
    RawDocument,
    Rejected,
    bulk,
    done,
    header_name,
)
from pressdx.domain.findings import Finding, error

_JSON_KIND = {list: ("một mảng", "an array"), str: ("một chuỗi", "a string"), bool: ("một giá trị đúng/sai", "a boolean"),
              int: ("một số", "a number"), float: ("một số", "a number"), type(None): ("null", "null")}


# ``\u0000`` and lone surrogates are the only ways a JSON text can smuggle a NUL or invalid Unicode into a
# string (raw control characters are a syntax error): looked for in the bytes, so a clean file costs one scan.
_SUSPECT_ESCAPE = re.compile(rb"\\u(?:0000|[dD][89a-fA-F][0-9a-fA-F]{2})")
_NUL_FINDING = ("có ký tự NUL (\\u0000) trong một chuỗi", "a NUL character (\\u0000) in a string")


def bad_text(s: str) -> tuple[str, str] | None:
    """Why ``s`` cannot be stored as text on both engines (PostgreSQL refuses NUL; UTF-8 refuses surrogates)."""
    if "\x00" in s:
        return _NUL_FINDING
    try:
        s.encode("utf-8")
    except UnicodeEncodeError as e:
        return (f"ký tự Unicode không hợp lệ (nửa cặp thay thế U+{ord(s[e.start]):04X})",
                f"invalid Unicode (a lone surrogate U+{ord(s[e.start]):04X})")
    return None


def _check_json_text(doc) -> None:
    """Every key and string of ``doc`` is storable text, or the file is rejected with an encoding error."""
    stack = [doc]
    while stack:
        v = stack.pop()
        if isinstance(v, dict):
            stack.extend(v.keys())
            stack.extend(v.values())
        elif isinstance(v, list):
            stack.extend(v)
        elif isinstance(v, str) and (why := bad_text(v)):
            raise Rejected([error("encoding", detail=why)])


def parse_json(data: bytes, limits: Limits, columnar: bool = False) -> RawDocument:
    """``columnar``: the rows' cells as ``RawDocument.columns`` (``_columns``), not row dicts."""
    try:
        with bulk() if columnar else contextlib.nullcontext():  # a large file's objects, built in bulk
            doc = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as e:
        raise Rejected([error("encoding", detail=(f"ký tự không hợp lệ ở vị trí {e.start}",
                                                  f"invalid byte at position {e.start}"))]) from None
    except json.JSONDecodeError as e:
        raise Rejected([error("unreadable", detail=(f"JSON sai cú pháp ở dòng {e.lineno}, cột {e.colno}",
                                                    f"JSON: {e.msg} (line {e.lineno}, column {e.colno})"))]) from None
    if _SUSPECT_ESCAPE.search(data):
        _check_json_text(doc)
    if not isinstance(doc, dict):
        raise Rejected([error("unreadable", detail=("tài liệu JSON phải là một đối tượng {…}",
                                                    "a JSON document must be an object {…}"))])
    meta = {k: doc[k] for k in ALL_META if k in doc and doc[k] is not None}
    rows = doc.get("rows")
    if not isinstance(rows, list):
        raise Rejected([error("column_missing", column="rows")], meta)
    if columnar:
        with bulk():
            got = _columns(rows, meta)
        if got is not None:
            return done(got)
    header: list[str] = []
    out, lines = [], []
    findings: list[Finding] = []
    for n, r in enumerate(rows):
        if not isinstance(r, dict):
            findings.append(error("row_not_object", row=n, detail=_JSON_KIND.get(type(r), ("một giá trị", "a value"))))
            continue
        row = {}
        for k, v in r.items():
            h = header_name(k)
            if isinstance(v, dict | list):
                findings.append(error("type", row=n, column=h, value=json.dumps(v, ensure_ascii=False)[:60],
                                      detail=("một giá trị đơn", "a single value")))
                v = None
            row[h] = v
            if h not in header:
                header.append(h)
        out.append(row)
        lines.append(n)
    if columnar:
        return done(RawDocument("json", meta, header, [], findings, lines, Layout("json"),
                                columns={h: [r.get(h) for r in out] for h in header}))
    return done(RawDocument("json", meta, header, out, findings, lines, Layout("json")))


def _columns(rows: list, meta: dict) -> RawDocument | None:
    """The common case column by column: every row an object of single values, keys naming distinct columns.

    ``None`` otherwise (a row that is not an object, a nested value, two keys for one column such as
    ``Agency Code`` and ``agency_code``): the row-by-row loop then words the findings, and its rows are turned
    into columns, so the result is the row path's either way.
    """
    if set(map(type, rows)) - {dict}:
        return None
    if set(map(type, chain.from_iterable(map(dict.values, rows)))) & {dict, list}:
        return None
    names = {k: header_name(k) for k in dict.fromkeys(chain.from_iterable(rows))}
    if len(set(names.values())) != len(names):
        return None
    columns = {h: [r.get(k) for r in rows] for k, h in names.items()}
    return RawDocument("json", meta, list(columns), [], [], list(range(len(rows))), Layout("json"), columns=columns)


# -- XLSX -----------------------------------------------------------------------------------------------
