"""Typing a large file column by column (issue 14): the values and findings of ``submission._rows``, faster.

The row path calls a normaliser of ``ingest.normalise`` once per cell. Here each column is typed at once:

* a cell in the one shape that is cheap to recognise in bulk (an integer column's plain ASCII digits, at
  most 18 of them, or a JSON integer within 64 bits) is converted by ``int`` directly, which is what
  ``normalise.integer`` returns for it;
* every other cell goes through the *same* normaliser function as row by row, but once per distinct value
  (a month, an agency code or an enum repeats thousands of times in a large file), the result looked up
  for every cell holding that value. A value the normaliser refuses raises the same ``BadValue`` with
  the same ``detail``, and its ``type``/``range`` finding is made for each cell holding it, with the cell's
  own row, line and value.

So no rule is written twice: the only code of its own here is the digit test, which admits nothing that
``integer`` would treat differently. ``tests/integration/test_columnar.py`` feeds the same files through
both paths and compares every typed row and every finding.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from itertools import repeat

from ingest.normalise import INT_MAX, INT_MIN, BadValue, OutOfRange, normaliser, text
from ingest.parsing.document import bulk
from pressdx.domain.datasets import Column, Dataset
from pressdx.domain.findings import Finding, error

_DIGITS = re.compile(r"[0-9]{1,18}").fullmatch  # below 10**18: within 64 bits, int() of it is integer()'s


class _Refused:
    """A value the normaliser refused: the exception, kept to word a finding for each cell holding the value."""

    __slots__ = ("exc",)

    def __init__(self, exc: BadValue):
        self.exc = exc


def _by_value(fn: Callable[[object], object], cells: Sequence) -> list:
    """``fn`` applied to every cell, once per distinct value; a refused value becomes a ``_Refused``."""
    if set(map(type, cells)) <= {str, type(None)}:
        keys: Sequence = cells
        distinct = {k: k for k in dict.fromkeys(cells)}
    else:  # 1, 1.0 and True are equal as dict keys but not to a normaliser: keyed by type too
        keys = list(zip(map(type, cells), cells, strict=True))
        distinct = {k: k[1] for k in dict.fromkeys(keys)}
    table = {}
    for key, value in distinct.items():
        try:
            table[key] = fn(value)
        except BadValue as e:  # without its traceback: no frame kept alive, no cycle left for the collector
            table[key] = _Refused(e.with_traceback(None))
    return list(map(table.__getitem__, keys))


def _ints(fn: Callable[[object], object], cells: Sequence) -> list:
    """An integer column: plain digits converted in bulk, the rest by value (``_by_value``)."""
    if set(map(type, cells)) == {str} and all(map(_DIGITS, cells)):
        return list(map(int, cells))  # the common case: every cell plain digits
    out: list = [None] * len(cells)
    rest: list[int] = []
    for i, v in enumerate(cells):
        if type(v) is str and _DIGITS(v):
            out[i] = int(v)
        elif type(v) is int and INT_MIN <= v <= INT_MAX:  # a JSON number (bool is not ``int`` here)
            out[i] = v
        else:
            rest.append(i)
    for i, value in zip(rest, _by_value(fn, [cells[i] for i in rest]), strict=True):
        out[i] = value
    return out


def normalise_columns(ds: Dataset, lines: list[int], columns: dict[str, Sequence]
                      ) -> tuple[list[dict], list[Finding]]:
    """The typed rows (``_row``, ``_line`` and every column of ``ds``) and the cells' ``type``/``range``
    findings, in the row path's order (row by row, columns in the dataset's order)."""
    with bulk():
        return _normalise(ds, lines, columns)


def _normalise(ds: Dataset, lines: list[int], columns: dict[str, Sequence]) -> tuple[list[dict], list[Finding]]:
    n = len(lines)
    typed: list[list] = []
    refused: list[tuple[int, int, Finding]] = []
    for ci, col in enumerate(ds.columns):
        cells = columns.get(col.name)
        if cells is None:  # an absent column: every cell empty, typed as row by row (``None``)
            typed.append([normaliser(col)(None)] * n)
            continue
        values = (_ints if col.kind == "int" else _by_value)(normaliser(col), cells)
        if _Refused in set(map(type, values)):
            for i, v in enumerate(values):
                if type(v) is _Refused:
                    refused.append((i, ci, _finding(col, lines[i], cells[i], v.exc)))
                    values[i] = None
        typed.append(values)
    names = ("_row", "_line", *ds.column_names)
    rows = list(map(dict, map(zip, repeat(names), zip(range(1, n + 1), lines, *typed, strict=True))))  # in C
    refused.sort(key=lambda t: (t[0], t[1]))
    return rows, [f for _, _, f in refused]


def _finding(col: Column, line: int, value, e: BadValue) -> Finding:
    return error("range" if isinstance(e, OutOfRange) else "type", row=line, column=col.name,
                 value=text(value) or repr(value), detail=e.detail)
