"""The templates' words, Vietnamese and English: what each column, type and metadata field means.

Only the templates show these texts (in cell comments, input messages and the ``help`` sheet); dataset
names and descriptions come from ``pressdx.domain.labels``, the period codes from the calendar.
"""

from __future__ import annotations

from ingest.templates.layout import BOOL_CHOICES
from pressdx.domain.calendar import FIRST_REVENUE_MONTH
from pressdx.domain.datasets import Column

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
    "month": (f"Tháng của doanh thu, từ {FIRST_REVENUE_MONTH:%Y-%m} đến tháng cuối của kỳ báo cáo; có thể sửa "
              "tháng đã nộp",
              f"Month of the revenue, from {FIRST_REVENUE_MONTH:%Y-%m} to the period's last month; may correct "
              "an earlier month"),
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

WIDE_TEXT = {"agency_name", "institution_name", "governing_body", "evidence", "deliverable_ref", "note",
              "summary", "difficulties", "proposals"}


def column_text(dataset: str, col: Column) -> tuple[str, str]:
    vi, en = COLUMN_TEXT.get((dataset, col.name)) or COLUMN_TEXT.get(col.name) or ("", "")
    return vi or col.description, en or col.description


def num(x: float) -> str:
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
        return f"{num(lo)} đến {num(hi)}", f"{num(lo)} to {num(hi)}"
    if lo is not None:
        return f"≥ {num(lo)}", f"≥ {num(lo)}"
    if hi is not None:
        return f"≤ {num(hi)}", f"≤ {num(hi)}"
    return "", ""

