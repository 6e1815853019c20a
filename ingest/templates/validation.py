"""Drop-down lists and data validations: what Excel offers and checks while a clerk types.

Excel caps an inline list at 255 characters, so long lists (periods, task codes) live in the hidden
``lists`` sheet behind a defined name. Bool columns and ranges only warn: intake accepts other spellings
(``true``, ``1``, ``1.234.567`` typed as text) that a strict validation would refuse.
"""

from __future__ import annotations

from collections.abc import Iterable

from openpyxl import Workbook
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation

from ingest.templates.layout import BOLD, BOOL_CHOICES, LISTS_SHEET
from ingest.templates.words import num
from pressdx.domain.datasets import Column


class Lists:
    """Long drop-down lists live in the hidden ``lists`` sheet, one column each, behind a defined name."""

    def __init__(self, wb: Workbook):
        self.wb, self.ws, self.next_col = wb, None, 1

    def formula(self, name: str, values: Iterable[str]) -> str:
        values = list(values)
        inline = '"' + ",".join(values) + '"'
        if len(inline) <= 255 and not any("," in v or '"' in v for v in values):
            return inline
        if self.ws is None:
            self.ws = self.wb.create_sheet(LISTS_SHEET)
            self.ws.sheet_state = "hidden"
        letter = get_column_letter(self.next_col)
        self.ws.cell(1, self.next_col, name).font = BOLD
        for r, v in enumerate(values, start=2):
            self.ws.cell(r, self.next_col, v)
        ref = f"{quote_sheetname(LISTS_SHEET)}!${letter}$2:${letter}${len(values) + 1}"
        self.wb.defined_names[name] = DefinedName(name, attr_text=ref)
        self.next_col += 1
        return name


def prompt(title: str, *texts: str) -> tuple[str, str]:
    """Excel caps an input message at 32 (title) and 255 (text) characters: the first text that fits."""
    text = next((t for t in texts if len(t) <= 255), texts[-1][:254] + "…")
    return title[:32], text


def data_validation(col: Column, lists: Lists, task_codes: list[str]) -> DataValidation:
    """The check and input message of one data column: a list for enums, bools and task codes, a range for numbers."""
    kind = col.kind
    if kind == "enum":
        dv = DataValidation("list", formula1=lists.formula(f"list_{col.name}", col.choices), allow_blank=True)
        dv.errorStyle = "stop"
    elif kind == "bool":
        # other spellings (true, 1, yes…) are accepted too: warn, do not forbid
        dv = DataValidation("list", formula1=lists.formula("list_bool", BOOL_CHOICES), allow_blank=True)
        dv.errorStyle = "warning"
    elif col.name == "task_code" and task_codes:
        dv = DataValidation("list", formula1=lists.formula("list_task_code", task_codes), allow_blank=True)
        dv.errorStyle = "warning"
    elif kind in ("int", "decimal") and (col.min is not None or col.max is not None):
        typ = "whole" if kind == "int" else "decimal"
        if col.min is not None and col.max is not None:
            dv = DataValidation(typ, operator="between", formula1=num(col.min), formula2=num(col.max),
                                allow_blank=True)
        elif col.min is not None:
            dv = DataValidation(typ, operator="greaterThanOrEqual", formula1=num(col.min), allow_blank=True)
        else:
            dv = DataValidation(typ, operator="lessThanOrEqual", formula1=num(col.max), allow_blank=True)
        dv.errorStyle = "warning"  # "1.234.567" typed as text is accepted by intake
    else:
        dv = DataValidation(allow_blank=True)  # "any value": only the input message
    dv.showErrorMessage = dv.type is not None
    dv.showInputMessage = True
    return dv

