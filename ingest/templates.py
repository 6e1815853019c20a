"""The XLSX templates units fill in (``submissions.md``, Encodings 2): one workbook per dataset.

Each workbook has the two sheets the parser reads, ``meta`` (key, value) and ``data`` (the header row,
then one row per record), plus a ``help`` sheet and a hidden ``lists`` sheet, which the parser ignores:

* ``meta``: ``unit_code``, ``dataset`` (pre-filled), ``period``, ``status``, ``commentary`` in columns A/B,
  a short Vietnamese / English explanation in column C; drop-downs for ``period`` and ``status``.
* ``data``: only the header row, exactly the column names of ``pressdx.domain.datasets`` (nothing else may sit
  above or below it: the parser takes row 1 as the header and every further non-empty row as data).
  Required columns are shaded orange; each header cell carries a bilingual comment. Enum and bool
  columns get drop-downs (bool: ``có,không``), numeric columns range checks, every column an input
  message; code, text, date and month columns are formatted as text so that Excel neither drops
  leading zeros nor reads ``01/02/2024`` month-first.
* ``help`` (hướng dẫn): per column whether it is required, its type, the allowed values and its
  description in both languages; for ``task_progress`` also the task list.

Output is deterministic: fixed document properties and zip entry times, so the same arguments give
the same bytes.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.writer.excel import ExcelWriter

from pressdx.domain import calendar
from pressdx.domain.datasets import DATASETS, Column, Dataset

META_SHEET, DATA_SHEET, HELP_SHEET, LISTS_SHEET = "meta", "data", "help", "lists"
FIRST_ROW, LAST_ROW = 2, 10_001  # data rows covered by drop-downs, formats and input messages
BOOL_CHOICES = ("có", "không")
FIXED_TIME = datetime(2023, 1, 1)  # workbook created/modified, and every zip entry's time
AUTHOR = "pressdx"

_BOLD = Font(bold=True)
_TITLE = Font(bold=True, size=13)
_WRAP = Alignment(wrap_text=True, vertical="top")
_REQUIRED_FILL = PatternFill("solid", fgColor="FCE4D6")  # required column / field to fill in
_OPTIONAL_FILL = PatternFill("solid", fgColor="E7E6E6")
_INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")

# -- the words -----------------------------------------------------------------------------------------
DATASET_VI = {
    "agency_register": "Danh mục đầy đủ các cơ quan báo chí tại thời điểm cuối kỳ; thay thế danh mục đã nộp trước",
    "agency_dx_status": "Tình hình chuyển đổi số của từng cơ quan báo chí có trả lời, tại thời điểm cuối kỳ",
    "agency_revenue": "Doanh thu hằng tháng của từng cơ quan báo chí, đồng",
    "agency_revenue_baseline": "Doanh thu năm 2022 của từng cơ quan báo chí, đồng (mốc của chỉ tiêu I4)",
    "agency_security": "Cấp độ an toàn thông tin của các cơ quan báo chí điện tử",
    "university_curriculum": "Danh sách đầy đủ các trường, khoa báo chí và chương trình đào tạo",
    "platform_stage": "Giai đoạn đạt được của các nền tảng báo chí số quốc gia",
    "task_progress": "Tiến độ các nhiệm vụ của Kế hoạch do đơn vị chủ trì",
    "annual_implementation": "Báo cáo kết quả thực hiện hằng năm của bộ, ngành, địa phương, cơ quan chủ quản",
}

# column -> (Vietnamese, English); (dataset, column) overrides a column's shared wording
COLUMN_TEXT: dict[str | tuple[str, str], tuple[str, str]] = {
    "agency_code": ("Mã cơ quan báo chí, như trong danh mục cơ quan báo chí đã nộp",
                    "Press agency code, as in the agency register submitted before"),
    ("agency_register", "agency_code"): ("Mã định danh cơ quan báo chí, không trùng trong danh mục",
                                         "Agency identifier, unique in the register"),
    "agency_name": ("Tên cơ quan báo chí", "Name of the press agency"),
    "agency_kind": ("Loại hình: newspaper = báo, magazine = tạp chí, broadcaster = đài phát thanh, truyền hình, "
                    "news_agency = thông tấn",
                    "Kind: newspaper, magazine, broadcaster (radio / television), news_agency"),
    "governing_body": ("Cơ quan chủ quản", "Governing body"),
    "media_types": ("Loại hình báo chí, một hoặc nhiều, ngăn cách bởi ';' (ví dụ print;electronic): "
                    "print = in, electronic = điện tử, radio = phát thanh, television = truyền hình",
                    "Media types, one or more separated by ';' (e.g. print;electronic)"),
    "licensed_on": ("Ngày cấp giấy phép", "Licence date"),
    "closed_on": ("Ngày chấm dứt hoạt động, nếu có; không trước ngày cấp phép",
                  "Date the agency closed, if it did; not before the licence date"),
    "distributes_on_digital_platforms": ("Có phân phối nội dung trên các nền tảng số không",
                                         "Does the agency distribute its content on digital platforms"),
    "uses_domestic_platforms": ("Có sử dụng nền tảng số trong nước không", "Does it use domestic digital platforms"),
    "uses_data_ai_platform": ("Có ứng dụng nền tảng dữ liệu, trí tuệ nhân tạo (AI) không",
                              "Does it use a data / artificial-intelligence platform"),
    "converged_newsroom": ("Có vận hành tòa soạn hội tụ không", "Does it run a converged newsroom"),
    "doing_digital_transformation": ("Có đang thực hiện chuyển đổi số không",
                                     "Is it carrying out digital transformation"),
    "staff_total": ("Tổng số người lao động tại thời điểm cuối kỳ", "Total staff at the period end"),
    "staff_trained": ("Số người được đào tạo, bồi dưỡng kỹ năng số, cộng dồn từ 01/01/2023; không lớn hơn "
                      "staff_total",
                      "Staff trained in digital skills, cumulative since 2023-01-01; never more than staff_total"),
    "month": ("Tháng của doanh thu, từ 2022-12 đến tháng cuối của kỳ báo cáo; có thể sửa tháng đã nộp",
              "Month of the revenue, from 2022-12 to the period's last month; may correct an earlier month"),
    "revenue_vnd": ("Doanh thu trong tháng, đồng", "Revenue of the month in VND"),
    "revenue_2022_vnd": ("Tổng doanh thu năm 2022, đồng", "Total revenue of 2022 in VND"),
    "security_level": ("Cấp độ an toàn hệ thống thông tin (1 đến 5)", "Information-security level (1 to 5)"),
    "certified_on": ("Ngày được phê duyệt cấp độ", "Date the level was approved"),
    "institution_code": ("Mã cơ sở đào tạo", "Institution code"),
    "institution_name": ("Tên trường, khoa đào tạo báo chí", "Name of the university or faculty"),
    "has_journalism_program": ("Có chương trình đào tạo báo chí không", "Does it run a journalism programme"),
    "curriculum_updated": ("Chương trình đào tạo đã cập nhật nội dung chuyển đổi số báo chí chưa",
                           "Has the curriculum been updated with press digital transformation"),
    "platform_code": ("Nền tảng: radio = phát thanh số, television = truyền hình số, epress = báo chí điện tử",
                      "Platform: radio, television, epress (electronic press)"),
    "stage": ("Giai đoạn: research_proposal = nghiên cứu, đề xuất; formed = đã hình thành; "
              "developing = đang phát triển; completed = hoàn thành",
              "Stage: research_proposal, formed, developing, completed"),
    "evidence": ("Văn bản, minh chứng", "Evidence (document, link)"),
    "task_code": ("Mã nhiệm vụ của Kế hoạch (ví dụ I.2); danh sách nhiệm vụ ở trang help",
                  "Action-plan task code (e.g. I.2); the task list is on sheet help"),
    "year": ("Năm thực hiện (2023 đến 2030); bắt buộc với nhiệm vụ hằng năm",
             "Year the row reports on (2023 to 2030); required for annual tasks"),
    ("task_progress", "status"): ("Tình trạng: not_started = chưa bắt đầu, in_progress = đang thực hiện, "
                                  "completed = hoàn thành",
                                  "Status: not_started, in_progress, completed"),
    "progress_pct": ("Tiến độ, phần trăm (0 đến 100)", "Progress in percent (0 to 100)"),
    "output_count": ("Số sản phẩm, hoạt động đã thực hiện (nhiệm vụ có chỉ tiêu số lượng)",
                     "Outputs delivered, e.g. activities held (tasks with an output target)"),
    "deliverable_ref": ("Số hiệu, đường dẫn của văn bản, sản phẩm", "Reference of the deliverable (number, link)"),
    "note": ("Ghi chú", "Note"),
    "section": ("Mục của Kế hoạch (I đến VI)", "Section of the action plan (I to VI)"),
    "summary": ("Tóm tắt kết quả thực hiện", "Summary of what was done"),
    "difficulties": ("Khó khăn, vướng mắc", "Difficulties"),
    "proposals": ("Đề xuất, kiến nghị", "Proposals"),
}

KIND_TEXT = {
    "text": ("văn bản", "text"),
    "code": ("mã (không phân biệt chữ hoa, thường)", "code (case-insensitive)"),
    "enum": ("một giá trị trong danh sách", "one value from the list"),
    "enum_list": ("một hoặc nhiều giá trị, ngăn cách bởi ';'", "one or more values separated by ';'"),
    "bool": ("có / không", "yes / no"),
    "int": ("số nguyên", "whole number"),
    "decimal": ("số, dấu thập phân '.' hoặc ','", "number, decimal mark '.' or ','"),
    "date": ("ngày: YYYY-MM-DD hoặc DD/MM/YYYY", "date: YYYY-MM-DD or DD/MM/YYYY"),
    "month": ("tháng: YYYY-MM hoặc MM/YYYY", "month: YYYY-MM or MM/YYYY"),
}

META_TEXT = {
    "unit_code": "Mã đơn vị báo cáo (ví dụ CBC), đúng đơn vị gửi tệp. / "
                 "Your reporting unit's code (e.g. CBC): the unit that sends the file.",
    "dataset": "Bộ dữ liệu của mẫu này: đã điền sẵn, không sửa. / The dataset of this template: pre-filled, "
               "do not change it.",
    "period": "Kỳ báo cáo dạng YYYY-Qn, ví dụ 2024-Q2 (chọn trong danh sách). / "
              "Reporting period as YYYY-Qn, e.g. 2024-Q2 (pick from the list).",
    "status": "provisional = số liệu ước tính, official = số liệu chính thức. Tệp gửi sau cho cùng đơn vị, bộ dữ "
              "liệu và kỳ thay thế toàn bộ tệp trước. / provisional = an estimate, official = final figures. A later "
              "file for the same unit, dataset and period replaces the earlier one as a whole.",
    "commentary": "Nhận xét, không bắt buộc. Báo cáo quý 2 nên có đánh giá xu hướng 6 tháng và đề xuất. / "
                  "Optional commentary. Q2 reports should carry the 6-month trend review and proposals.",
}
META_PROMPT = {
    "period": "Kỳ báo cáo dạng YYYY-Qn, ví dụ 2024-Q2. / Reporting period as YYYY-Qn, e.g. 2024-Q2.",
    "status": "provisional (ước tính / an estimate) hoặc / or official (chính thức / final).",
}
ANNUAL_PERIOD_TEXT = ("Báo cáo năm: kỳ YYYY-Q4, ví dụ 2024-Q4, hạn 15/12. / "
                      "Annual report: period YYYY-Q4, e.g. 2024-Q4, due 15 December.")

_WIDE_TEXT = {"agency_name", "institution_name", "governing_body", "evidence", "deliverable_ref", "note",
              "summary", "difficulties", "proposals"}


def column_text(dataset: str, col: Column) -> tuple[str, str]:
    vi, en = COLUMN_TEXT.get((dataset, col.name)) or COLUMN_TEXT.get(col.name) or ("", "")
    return vi or col.description, en or col.description


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


def allowed_values(col: Column) -> tuple[str, str]:
    """What a clerk may type, in both languages ("" when any value of the type will do)."""
    if col.kind == "bool":
        words = ", ".join(BOOL_CHOICES)
        return f"{words} (cũng nhận true/false, 1/0, yes/no)", f"{words} (also true/false, 1/0, yes/no)"
    if col.kind == "enum":
        return ", ".join(col.choices), ", ".join(col.choices)
    if col.kind == "enum_list":
        example = ";".join(col.choices[:2])
        return (f"{'; '.join(col.choices)}: một hoặc nhiều, ngăn cách bởi ';', ví dụ {example}",
                f"{'; '.join(col.choices)}: one or more separated by ';', e.g. {example}")
    lo, hi = col.min, col.max
    if lo is not None and hi is not None:
        return f"{_num(lo)} đến {_num(hi)}", f"{_num(lo)} to {_num(hi)}"
    if lo is not None:
        return f"≥ {_num(lo)}", f"≥ {_num(lo)}"
    if hi is not None:
        return f"≤ {_num(hi)}", f"≤ {_num(hi)}"
    return "", ""


# -- building one workbook ------------------------------------------------------------------------------
class _Lists:
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
        self.ws.cell(1, self.next_col, name).font = _BOLD
        for r, v in enumerate(values, start=2):
            self.ws.cell(r, self.next_col, v)
        ref = f"{quote_sheetname(LISTS_SHEET)}!${letter}$2:${letter}${len(values) + 1}"
        self.wb.defined_names[name] = DefinedName(name, attr_text=ref)
        self.next_col += 1
        return name


def _prompt(title: str, *texts: str) -> tuple[str, str]:
    """Excel caps an input message at 32 (title) and 255 (text) characters: the first text that fits."""
    text = next((t for t in texts if len(t) <= 255), texts[-1][:254] + "…")
    return title[:32], text


def _validation(col: Column, lists: _Lists, task_codes: list[str]) -> DataValidation:
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
            dv = DataValidation(typ, operator="between", formula1=_num(col.min), formula2=_num(col.max),
                                allow_blank=True)
        elif col.min is not None:
            dv = DataValidation(typ, operator="greaterThanOrEqual", formula1=_num(col.min), allow_blank=True)
        else:
            dv = DataValidation(typ, operator="lessThanOrEqual", formula1=_num(col.max), allow_blank=True)
        dv.errorStyle = "warning"  # "1.234.567" typed as text is accepted by intake
    else:
        dv = DataValidation(allow_blank=True)  # "any value": only the input message
    dv.showErrorMessage = dv.type is not None
    dv.showInputMessage = True
    return dv


def _data_sheet(wb: Workbook, ds: Dataset, lists: _Lists, task_codes: list[str]) -> None:
    ws = wb.create_sheet(DATA_SHEET)
    for ci, col in enumerate(ds.columns, start=1):
        letter = get_column_letter(ci)
        vi, en = column_text(ds.name, col)
        kvi, ken = KIND_TEXT[col.kind]
        avi, aen = allowed_values(col)
        cell = ws.cell(1, ci, col.name)
        cell.font = _BOLD
        cell.fill = _REQUIRED_FILL if col.required else _OPTIONAL_FILL
        req = ("Bắt buộc", "Required") if col.required else ("Không bắt buộc", "Optional")
        note = [f"{col.name} ({req[0]} / {req[1]})", f"{vi}.", f"{en}.", f"Kiểu / type: {kvi} / {ken}."]
        if avi:
            note.append(f"Giá trị / values: {avi if avi == aen else avi + ' / ' + aen}.")
        comment = Comment("\n".join(note), AUTHOR, width=360, height=170)
        cell.comment = comment

        dim = ws.column_dimensions[letter]
        base = {"text": 40 if col.name in _WIDE_TEXT else 24, "code": 16, "enum": 20, "enum_list": 28,
                "bool": 12, "int": 16, "decimal": 14, "date": 14, "month": 12}[col.kind]
        dim.width = min(60, max(base, len(col.name) + 3))
        if col.kind in ("text", "code", "enum", "enum_list", "date", "month"):
            dim.number_format = "@"  # keep leading zeros; never read 01/02/2024 month-first
        elif col.kind == "int":
            dim.number_format = "#,##0" if col.name.endswith("_vnd") else "0"

        dv = _validation(col, lists, task_codes)
        dv.promptTitle, dv.prompt = _prompt(col.name, f"{vi} / {en}. {kvi} / {ken}.", f"{vi}. / {en}.", vi)
        if dv.type is not None:
            dv.errorTitle = col.name[:32]
            dv.error = _prompt("", f"Giá trị cho phép / allowed: {aen or ken}")[1]
        dv.add(f"{letter}{FIRST_ROW}:{letter}{LAST_ROW}")
        ws.add_data_validation(dv)
    ws.freeze_panes = "A2"
    ws.row_dimensions[1].height = 20


def _meta_sheet(wb: Workbook, ds: Dataset, lists: _Lists, unit_code: str | None, period: str | None) -> None:
    ws = wb.active
    ws.title = META_SHEET
    for ci, h in enumerate(("key", "value", "giải thích / explanation"), start=1):
        ws.cell(1, ci, h).font = _BOLD
    values = {"unit_code": unit_code, "dataset": ds.name, "period": period, "status": None, "commentary": None}
    for r, (key, value) in enumerate(values.items(), start=2):
        ws.cell(r, 1, key).font = _BOLD
        cell = ws.cell(r, 2, value)
        cell.number_format = "@"
        cell.alignment = _WRAP
        if key != "dataset":
            cell.fill = _INPUT_FILL
        explain = META_TEXT[key]
        if key == "period" and ds.periods == "q4":
            explain = f"{explain}\n{ANNUAL_PERIOD_TEXT}"
        ws.cell(r, 3, explain).alignment = _WRAP
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
        dv.promptTitle, dv.prompt = _prompt(key, explain, META_PROMPT[key])
        dv.errorTitle, dv.error = key, META_PROMPT[key]
        dv.add(f"B{r}")
        ws.add_data_validation(dv)
    ws.row_dimensions[6].height = 60  # commentary
    ws.column_dimensions["A"].width = 14
    ws.column_dimensions["B"].width = 36
    ws.column_dimensions["C"].width = 100
    ws.freeze_panes = "A2"


def _help_sheet(wb: Workbook, ds: Dataset, tasks: list[dict[str, str]]) -> None:
    ws = wb.create_sheet(HELP_SHEET)
    lines = [
        (f"Hướng dẫn điền mẫu '{ds.name}' / How to fill in the '{ds.name}' template", _TITLE),
        (f"{DATASET_VI.get(ds.name, '')}. / {ds.description}.", None),
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
            c.alignment = _WRAP
            ws.row_dimensions[r].height = 32
    row = len(lines) + 2
    header = ("cột / column", "bắt buộc / required", "kiểu / type", "giá trị cho phép / allowed values",
              "mô tả / description (VI)", "description (EN)")
    for ci, h in enumerate(header, start=1):
        ws.cell(row, ci, h).font = _BOLD
        ws.cell(row, ci).fill = _OPTIONAL_FILL
    for col in ds.columns:
        row += 1
        vi, en = column_text(ds.name, col)
        kvi, ken = KIND_TEXT[col.kind]
        avi, aen = allowed_values(col)
        values = (col.name, "có / yes" if col.required else "không / no", f"{kvi} / {ken}",
                  avi if avi == aen else f"{avi} / {aen}", vi, en)
        for ci, v in enumerate(values, start=1):
            c = ws.cell(row, ci, v)
            c.alignment = _WRAP
        ws.cell(row, 1).font = _BOLD
        if col.required:
            ws.cell(row, 1).fill = _REQUIRED_FILL
    if tasks:
        row += 2
        ws.cell(row, 1, "Nhiệm vụ / Tasks").font = _TITLE
        row += 1
        for ci, h in enumerate(("task_code", "đơn vị chủ trì / lead units", "thời hạn / due", "nhiệm vụ (VI)",
                                "task (EN)"), start=1):
            ws.cell(row, ci, h).font = _BOLD
            ws.cell(row, ci).fill = _OPTIONAL_FILL
        for t in tasks:
            row += 1
            due = "hằng năm / annual: cần cột year / needs year" if t["due_kind"] == "annual" else t["due_text_vi"]
            for ci, v in enumerate((t["task_code"], t["lead_units"].replace(";", ", "), due, t["title_vi"],
                                    t["title_en"]), start=1):
                ws.cell(row, ci, v).alignment = _WRAP
    for letter, width in zip("ABCDEF", (24, 14, 30, 36, 60, 50), strict=True):
        ws.column_dimensions[letter].width = width


def template(dataset: str, unit_code: str | None = None, period: str | None = None) -> bytes:
    """The bytes of one dataset's template (``unit_code`` / ``period`` pre-filled when given)."""
    from pressdx.domain.reference import read_seed

    ds = DATASETS[dataset]
    unit = unit_code.strip().upper() if unit_code and unit_code.strip() else None
    code = None
    if period:
        code = calendar.normalise_code(period)
        known = {p.code for p in calendar.periods()}
        if code not in known:
            raise ValueError(f"unknown period {period!r}: use YYYY-Qn from {min(known)} to {max(known)}")
        if ds.periods == "q4" and not code.endswith("Q4"):
            code = None  # annual datasets belong to Y-Q4: leave it to the clerk rather than pre-fill a wrong one
    tasks = read_seed("tasks") if ds.name == "task_progress" else []
    if unit and tasks:
        led = [t for t in tasks if unit in {u.strip().upper() for u in t["lead_units"].split(";")}]
        tasks = led or tasks
    wb = Workbook()
    lists = _Lists(wb)
    _meta_sheet(wb, ds, lists, unit, code)
    _data_sheet(wb, ds, lists, [t["task_code"] for t in tasks])
    _help_sheet(wb, ds, tasks)
    if lists.ws is not None:  # keep the hidden sheet last
        wb.move_sheet(lists.ws, offset=len(wb.sheetnames) - 1 - wb.sheetnames.index(LISTS_SHEET))
    wb.active = 0
    props = wb.properties
    props.creator = props.lastModifiedBy = AUTHOR
    props.title = f"pressdx {ds.name}"
    props.created = props.modified = FIXED_TIME
    return _save(wb)


def _save(wb: Workbook) -> bytes:
    """Save without openpyxl stamping the current time, then fix every zip entry's time."""
    raw = io.BytesIO()
    ExcelWriter(wb, zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED)).save()
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def write_templates(out: Path, unit_code: str | None = None, period: str | None = None,
                    datasets: Iterable[str] | None = None) -> list[Path]:
    """Write ``<dataset>.xlsx`` for every dataset (or those named) into ``out``; returns the paths."""
    out = Path(out)
    names = list(datasets) if datasets is not None else list(DATASETS)
    unknown = [n for n in names if n not in DATASETS]
    if unknown:
        raise ValueError(f"unknown dataset(s) {', '.join(unknown)}: use {', '.join(DATASETS)}")
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for name in names:
        path = out / f"{name}.xlsx"
        path.write_bytes(template(name, unit_code, period))
        paths.append(path)
    return paths
