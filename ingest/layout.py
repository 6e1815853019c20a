"""Where things sit in a submission file as the clerk sees it, so that a finding names its place.

A finding carries a row and a column (``Finding.row``); ``Layout.locate`` turns them into the words a clerk
looks for: ``Ô data!C7`` / ``Cell data!C7`` and ``Ô meta!B5`` in a workbook, ``Dòng 7`` / ``Line 7`` in a
CSV, ``Phần tử rows[3]`` / ``Element rows[3]`` in JSON. The parser fills a ``Layout`` in while it reads.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pressdx.domain.datasets import META_FIELDS, OPTIONAL_META_FIELDS
from pressdx.domain.findings import HEADER_RULES, META_RULES, Finding

ALL_META = META_FIELDS + OPTIONAL_META_FIELDS


def quote_sheetname(name: str) -> str:
    """A sheet name as Excel writes it in a cell reference: bare when it is a plain word, else quoted."""
    if re.fullmatch(r"[^\W\d]\w*", name):
        return name
    return "'" + name.replace("'", "''") + "'"


@dataclass
class Layout:
    """Where things sit in the file as the clerk sees it: turns a finding's (row, column) into a place.

    XLSX: the real names of the two sheets, the column letter of each header name and the ``B`` cell of each
    metadata key (``meta!B5``). CSV: the header's line and the column holding each metadata field. JSON: rows
    are elements of ``rows``.
    """

    encoding: str
    header_row: int = 1
    data_sheet: str = "data"
    meta_sheet: str = "meta"
    letters: dict[str, str] = field(default_factory=dict)
    meta_cells: dict[str, str] = field(default_factory=dict)

    def locate(self, f: Finding) -> Finding:
        if f.place is not None or f.rule == "formula_without_value":  # that message names its cell already
            return f
        where = self._place(f)
        return f.at(where[0], **where[1]) if where else f

    def _place(self, f: Finding) -> tuple[str, dict] | None:
        meta = f.rule in META_RULES and f.column in ALL_META
        if self.encoding == "xlsx":
            sheet = quote_sheetname(self.data_sheet)
            if meta:
                cell = self.meta_cells.get(f.column or "")
                if cell:
                    return "cell", {"ref": f"{quote_sheetname(self.meta_sheet)}!{cell}"}
                return "meta_absent", {"sheet": self.meta_sheet, "key": f.column}
            if f.row is None:
                return ("sheet_header", {"sheet": self.data_sheet, "row": self.header_row}) \
                    if f.rule in HEADER_RULES else None
            letter = self.letters.get(f.column or "")
            if letter:
                return "cell", {"ref": f"{sheet}!{letter}{f.row}"}
            return "sheet_row", {"sheet": self.data_sheet, "row": f.row}
        if self.encoding == "csv":
            if f.row is not None:
                return "line", {"row": f.row}
            if meta and f.column in self.meta_cells:
                return "csv_column", {"column": self.meta_cells[f.column]}
            if meta or f.rule in HEADER_RULES:
                return "csv_header", {"row": self.header_row}
            return None
        if f.row is not None:
            return "element", {"row": f.row}
        return None
