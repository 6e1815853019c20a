"""Turning what clerks type into typed values (``submissions.md``, Normalisation).

Each function takes a raw cell (text from CSV/JSON, or a typed value from an Excel cell) and returns the
typed value, ``None`` for an empty cell, or raises ``BadValue`` saying, in both languages, what was
expected. Enum membership and ranges are *not* checked here: the Great Expectations suites do that on the
typed frame, so each rule lives in one place.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from pressdx.domain.datasets import Column


class BadValue(ValueError):
    def __init__(self, expected_vi: str, expected_en: str):
        super().__init__(expected_en)
        self.detail = (expected_vi, expected_en)


class OutOfRange(BadValue):
    """A well-formed value the warehouse cannot hold (an integer beyond 64 bits): a range error, not a type one."""


# The warehouse's integers are 64-bit (``bigint`` on both engines): a larger value must be rejected here,
# or the insert fails and takes the whole run with it.
INT_MIN, INT_MAX = -(2**63), 2**63 - 1
_INT_RANGE = OutOfRange(f"từ {INT_MIN:,} đến {INT_MAX:,}".replace(",", "."), f"from {INT_MIN:,} to {INT_MAX:,}")


def _bounded(n: int) -> int:
    if not INT_MIN <= n <= INT_MAX:
        raise _INT_RANGE
    return n


TRUE_WORDS = {"true", "1", "yes", "có", "co"}
FALSE_WORDS = {"false", "0", "no", "không", "khong"}
_SPACES = "\u00a0\u202f\u2009 "
_GROUPED_INT = re.compile(r"^[+-]?\d{1,3}(?:([.,\u00a0\u202f\u2009 ])\d{3})(?:\1\d{3})*$")
_PLAIN_INT = re.compile(r"^[+-]?\d+$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DMY_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_ISO_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_MY_MONTH = re.compile(r"^(\d{1,2})/(\d{4})$")


def text(value) -> str | None:
    """Trimmed NFC text; empty → None. Non-text cells (numbers, dates) become their plain form."""
    if value is None:
        return None
    if type(value) is str:  # the common case (CSV, JSON): ASCII text needs no Unicode normalisation
        s = (value if value.isascii() else unicodedata.normalize("NFC", value)).strip().strip(_SPACES)
        return s or None
    if isinstance(value, bool):
        value = "true" if value else "false"
    elif isinstance(value, float) and value.is_integer():
        value = str(int(value))
    elif isinstance(value, datetime):
        value = value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    elif isinstance(value, date):
        value = value.isoformat()
    s = unicodedata.normalize("NFC", str(value)).strip().strip(_SPACES)
    return s or None


def code(value) -> str | None:
    s = text(value)
    return s.upper() if s is not None else None


def enum(value, choices: tuple[str, ...] = ()) -> str | None:
    """Lower-case, unless the choices are upper-case (sections I..VI): matched case-insensitively."""
    s = text(value)
    if s is None:
        return None
    for c in choices:
        if c.casefold() == s.casefold():
            return c
    return s.lower()


def enum_list(value, choices: tuple[str, ...] = ()) -> str | None:
    """A ``;``-separated set, stored sorted in the order of ``choices`` and de-duplicated."""
    s = text(value)
    if s is None:
        return None
    items = [i.strip().lower() for i in re.split(r"[;,]", s)]
    if any(not i for i in items):
        raise BadValue("danh sách ngăn cách bởi ';' không có phần tử rỗng", "a ';'-separated list with no empty item")
    order = {c: n for n, c in enumerate(choices)}
    return ";".join(sorted(set(items), key=lambda i: (order.get(i, len(order)), i)))


def boolean(value) -> bool | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    s = text(value)
    if s is None:
        return None
    w = s.casefold()
    if w in TRUE_WORDS:
        return True
    if w in FALSE_WORDS:
        return False
    raise BadValue("đúng/sai: true/false, 1/0, yes/no, có/không", "a yes/no value: true/false, 1/0, yes/no, có/không")


def integer(value) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool):
        raise BadValue("một số nguyên", "a whole number")
    if isinstance(value, int):
        return _bounded(value)
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer():
            return _bounded(int(value))
        raise BadValue("một số nguyên, không có phần thập phân", "a whole number without a fractional part")
    s = text(value)
    if s is None:
        return None
    if _PLAIN_INT.match(s):
        return _bounded(int(s)) if len(s) < 40 else _bounded(INT_MAX + 1)  # no 4,300-digit int() parse
    if _GROUPED_INT.match(s):
        digits = re.sub(r"[.,\u00a0\u202f\u2009 ]", "", s)
        return _bounded(int(digits)) if len(digits) < 40 else _bounded(INT_MAX + 1)
    raise BadValue("một số nguyên, có thể nhóm ba chữ số bằng '.', ',' hoặc dấu cách (1.234.567)",
                   "a whole number, optionally grouped in threes by '.', ',' or a space (1,234,567)")


def decimal(value) -> float | None:
    """``.`` or ``,`` as the decimal mark, optional trailing ``%``; no thousands grouping (it is ambiguous)."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise BadValue("một số", "a number")
    if isinstance(value, int | float):
        if isinstance(value, float) and not math.isfinite(value):
            raise BadValue("một số hữu hạn", "a finite number")
        return float(value)
    s = text(value)
    if s is None:
        return None
    s = s.removesuffix("%").strip()
    if s.count(",") == 1 and "." not in s:
        s = s.replace(",", ".")
    if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", s):
        raise BadValue("một số, dùng '.' hoặc ',' làm dấu thập phân (12,5 hoặc 12.5)",
                       "a number with '.' or ',' as the decimal mark (12.5 or 12,5)")
    try:
        number = float(Decimal(s))
    except InvalidOperation as e:  # pragma: no cover - the regex admits only valid decimals
        raise BadValue("một số", "a number") from e
    if not math.isfinite(number):  # 400 digits: beyond a double
        raise OutOfRange("một số hữu hạn", "a finite number")
    return number


def _mkdate(y: int, m: int, d: int) -> date:
    try:
        return date(y, m, d)
    except ValueError as e:
        raise BadValue("một ngày có thật", "a real calendar date") from e


def day(value) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    s = text(value)
    if s is None:
        return None
    if m := _ISO_DATE.match(s):
        return _mkdate(int(m[1]), int(m[2]), int(m[3]))
    if m := _DMY_DATE.match(s):
        return _mkdate(int(m[3]), int(m[2]), int(m[1]))
    raise BadValue("một ngày dạng YYYY-MM-DD hoặc DD/MM/YYYY", "a date as YYYY-MM-DD or DD/MM/YYYY")


def month(value) -> date | None:
    """The first day of the month named (``YYYY-MM``, ``MM/YYYY`` or an Excel date cell)."""
    if value is None:
        return None
    if isinstance(value, datetime | date):
        return date(value.year, value.month, 1)
    s = text(value)
    if s is None:
        return None
    if m := _ISO_MONTH.match(s):
        y, mo = int(m[1]), int(m[2])
    elif m := _MY_MONTH.match(s):
        y, mo = int(m[2]), int(m[1])
    else:
        raise BadValue("một tháng dạng YYYY-MM hoặc MM/YYYY", "a month as YYYY-MM or MM/YYYY")
    if not 1 <= mo <= 12:
        raise BadValue("một tháng từ 01 đến 12", "a month from 01 to 12")
    return date(y, mo, 1)


def normaliser(column: Column) -> Callable[[object], object]:
    """The function that normalises the cells of ``column`` (looked up once per file, not once per cell)."""
    kind = column.kind
    if kind in ("enum", "enum_list"):
        fn = enum if kind == "enum" else enum_list
        choices = column.choices
        return lambda value: fn(value, choices)
    try:
        return _BY_KIND[kind]
    except KeyError:
        raise AssertionError(f"unknown column kind {kind}") from None


_BY_KIND: dict[str, Callable[[object], object]] = {
    "text": text, "code": code, "bool": boolean, "int": integer, "decimal": decimal, "date": day, "month": month,
}


def normalise(column: Column, value):
    """The typed value of one cell of ``column``."""
    return normaliser(column)(value)
