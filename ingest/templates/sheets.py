"""The three sheets a clerk sees: ``meta`` (the submission's fields), ``data`` (the header row) and ``help``."""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from ingest.templates.layout import (
    AUTHOR,
    BOLD,
    DATA_SHEET,
    FIRST_ROW,
    HELP_SHEET,
    INPUT_FILL,
    LAST_ROW,
    META_SHEET,
    OPTIONAL_FILL,
    REQUIRED_FILL,
    TITLE,
    WRAP,
)
from ingest.templates.validation import Lists, data_validation, prompt
from ingest.templates.words import (
    ANNUAL_PERIOD_TEXT,
    KIND_TEXT,
    META_PROMPT,
    META_TEXT,
    WIDE_TEXT,
    allowed_values,
    column_text,
)
from pressdx.domain import calendar
from pressdx.domain.datasets import Dataset
from pressdx.domain.labels import dataset_description


def data_sheet(wb: Workbook, ds: Dataset, lists: Lists, task_codes: list[str]) -> None:
    ws = wb.create_sheet(DATA_SHEET)
    for ci, col in enumerate(ds.columns, start=1):
        letter = get_column_letter(ci)
        vi, en = column_text(ds.name, col)
        kvi, ken = KIND_TEXT[col.kind]
        avi, aen = allowed_values(col)
        cell = ws.cell(1, ci, col.name)
        cell.font = BOLD
        cell.fill = REQUIRED_FILL if col.required else OPTIONAL_FILL
        req = ("Bắt buộc", "Required") if col.required else ("Không bắt buộc", "Optional")
        note = [f"{col.name} ({req[0]} / {req[1]})", f"{vi}.", f"{en}.", f"Kiểu / type: {kvi} / {ken}."]
        if avi:
            note.append(f"Giá trị / values: {avi if avi == aen else avi + ' / ' + aen}.")
        comment = Comment("\n".join(note), AUTHOR, width=360, height=170)
        cell.comment = comment

        dim = ws.column_dimensions[letter]
        base = {"text": 40 if col.name in WIDE_TEXT else 24, "code": 16, "enum": 20, "enum_list": 28,
                "bool": 12, "int": 16, "decimal": 14, "date": 14, "month": 12}[col.kind]
        dim.width = min(60, max(base, len(col.name) + 3))
        if col.kind in ("text", "code", "enum", "enum_list", "date", "month"):
            dim.number_format = "@"  # keep leading zeros; never read 01/02/2024 month-first
        elif col.kind == "int":
            dim.number_format = "#,##0" if col.name.endswith("_vnd") else "0"

        dv = data_validation(col, lists, task_codes)
        dv.promptTitle, dv.prompt = prompt(col.name, f"{vi} / {en}. {kvi} / {ken}.", f"{vi}. / {en}.", vi)
        if dv.type is not None:
            dv.errorTitle = col.name[:32]
            dv.error = prompt("", f"Giá trị cho phép / allowed: {aen or ken}")[1]
        dv.add(f"{letter}{FIRST_ROW}:{letter}{LAST_ROW}")
        ws.add_data_validation(dv)
    ws.freeze_panes = "A2"
    ws.row_dimensions[1].height = 20


def meta_sheet(wb: Workbook, ds: Dataset, lists: Lists, unit_code: str | None, period: str | None) -> None:
    ws = wb.active
    ws.title = META_SHEET
    for ci, h in enumerate(("key", "value", "giải thích / explanation"), start=1):
        ws.cell(1, ci, h).font = BOLD
    values = {"unit_code": unit_code, "dataset": ds.name, "period": period, "status": None, "commentary": None}
    for r, (key, value) in enumerate(values.items(), start=2):
        ws.cell(r, 1, key).font = BOLD
        cell = ws.cell(r, 2, value)
        if value is not None:
            cell.data_type = "s"  # always text: a value starting with '=' is never written as a live formula
        cell.number_format = "@"
        cell.alignment = WRAP
        if key != "dataset":
            cell.fill = INPUT_FILL
        explain = META_TEXT[key]
        if key == "period" and ds.periods == "q4":
            explain = f"{explain}\n{ANNUAL_PERIOD_TEXT}"
        ws.cell(r, 3, explain).alignment = WRAP
        if key == "period":
            codes = [p.code for p in calendar.periods() if ds.periods != "q4" or p.quarter == 4]
            dv = DataValidation("list", formula1=lists.formula("list_period", codes), allow_blank=True)
            dv.errorStyle = "warning"
        elif key == "status":
            dv = DataValidation("list", formula1=lists.formula("list_status", ("provisional", "official")),
                                allow_blank=True)
            dv.errorStyle = "stop"
        else:
            continue
        dv.showErrorMessage = dv.showInputMessage = True
        dv.promptTitle, dv.prompt = prompt(key, explain, META_PROMPT[key])
        dv.errorTitle, dv.error = key, META_PROMPT[key]
        dv.add(f"B{r}")
        ws.add_data_validation(dv)
    ws.row_dimensions[6].height = 60  # commentary
    ws.column_dimensions["A"].width = 14
    ws.column_dimensions["B"].width = 36
    ws.column_dimensions["C"].width = 100
    ws.freeze_panes = "A2"


def help_sheet(wb: Workbook, ds: Dataset, tasks: list[dict[str, str]]) -> None:
    ws = wb.create_sheet(HELP_SHEET)
    lines = [
        (f"Hướng dẫn điền mẫu '{ds.name}' / How to fill in the '{ds.name}' template", TITLE),
        ("{}. / {}.".format(*dataset_description(ds.name)), None),
        ("1. Trang 'meta': điền unit_code, period, status (và commentary nếu có) vào cột B. / "
         "Sheet 'meta': fill in unit_code, period, status (and commentary) in column B.", None),
        ("2. Trang 'data': dòng 1 là tiêu đề, không sửa, không chèn dòng phía trên; mỗi dòng tiếp theo là một bản ghi. "
         "Cột tô cam là bắt buộc. / Sheet 'data': row 1 is the header, do not change it or insert rows above it; "
         "each further row is one record. Orange columns are required.", None),
        ("3. Không dùng công thức, hoặc dán giá trị thay vì công thức; lưu dưới dạng .xlsx (không .xls, .xlsm). / "
         "Paste values rather than formulas; save as .xlsx (not .xls or .xlsm).", None),
        ("4. Có / không: chọn trong danh sách (cũng nhận true/false, 1/0, yes/no). Số nguyên: có thể nhóm ba chữ số "
         "(1.234.567). Ngày: YYYY-MM-DD hoặc DD/MM/YYYY. Tháng: YYYY-MM hoặc MM/YYYY. / Yes / no: pick from the list "
         "(true/false, 1/0, yes/no also work). Whole numbers may be grouped (1,234,567). Dates: YYYY-MM-DD or "
         "DD/MM/YYYY. Months: YYYY-MM or MM/YYYY.", None),
        ("5. Các trang 'help' và 'lists' không được đọc khi nhận báo cáo. / The 'help' and 'lists' sheets are "
         "not read when the file is taken in.", None),
    ]
    for r, (text, font) in enumerate(lines, start=1):
        c = ws.cell(r, 1, text)
        if font:
            c.font = font
        if r > 1:
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=7)
            c.alignment = WRAP
            ws.row_dimensions[r].height = 32
    row = len(lines) + 2
    header = ("cột / column", "bắt buộc / required", "kiểu / type", "giá trị cho phép / allowed values",
              "mô tả / description (VI)", "description (EN)")
    for ci, h in enumerate(header, start=1):
        ws.cell(row, ci, h).font = BOLD
        ws.cell(row, ci).fill = OPTIONAL_FILL
    for col in ds.columns:
        row += 1
        vi, en = column_text(ds.name, col)
        kvi, ken = KIND_TEXT[col.kind]
        avi, aen = allowed_values(col)
        values = (col.name, "có / yes" if col.required else "không / no", f"{kvi} / {ken}",
                  avi if avi == aen else f"{avi} / {aen}", vi, en)
        for ci, v in enumerate(values, start=1):
            c = ws.cell(row, ci, v)
            c.alignment = WRAP
        ws.cell(row, 1).font = BOLD
        if col.required:
            ws.cell(row, 1).fill = REQUIRED_FILL
    if tasks:
        row += 2
        ws.cell(row, 1, "Nhiệm vụ / Tasks").font = TITLE
        row += 1
        for ci, h in enumerate(("task_code", "đơn vị chủ trì / lead units", "thời hạn / due", "nhiệm vụ (VI)",
                                "task (EN)"), start=1):
            ws.cell(row, ci, h).font = BOLD
            ws.cell(row, ci).fill = OPTIONAL_FILL
        for t in tasks:
            row += 1
            due = "hằng năm / annual: cần cột year / needs year" if t["due_kind"] == "annual" else t["due_text_vi"]
            for ci, v in enumerate((t["task_code"], t["lead_units"].replace(";", ", "), due, t["title_vi"],
                                    t["title_en"]), start=1):
                ws.cell(row, ci, v).alignment = WRAP
    for letter, width in zip("ABCDEF", (24, 14, 30, 36, 60, 50), strict=True):
        ws.column_dimensions[letter].width = width

