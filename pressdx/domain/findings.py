"""What intake tells a unit's clerk about a file: one ``Finding`` per problem, in Vietnamese and English.

Every message names what to do, not only what is wrong: the clerk fixes the file from this text alone.
Templates are keyed by rule so that tests, the audit table and the report can group by rule.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

# rule -> (Vietnamese template, English template); fields: {column}, {value}, {detail}
MESSAGES: dict[str, tuple[str, str]] = {
    "unreadable": (
        "Không đọc được tệp ({detail}). Hãy xuất lại tệp từ mẫu và gửi lại.",
        "The file cannot be read ({detail}). Export it again from the template and resend it.",
    ),
    "encoding": (
        "Tệp không ở bảng mã UTF-8 ({detail}). Hãy lưu lại dưới dạng CSV UTF-8 và gửi lại.",
        "The file is not UTF-8 ({detail}). Save it again as CSV UTF-8 and resend it.",
    ),
    "unsupported_format": (
        "Định dạng tệp '{value}' không được chấp nhận. Chỉ gửi .csv, .xlsx hoặc .json (không dùng .xls, .xlsm, .xlsb).",
        "File type '{value}' is not accepted. Send .csv, .xlsx or .json only (not .xls, .xlsm or .xlsb).",
    ),
    "too_large": (
        "Tệp vượt giới hạn ({detail}). Hãy chia nhỏ hoặc liên hệ Cục Báo chí.",
        "The file exceeds a limit ({detail}). Split it or contact the Press Department.",
    ),
    "meta_missing": (
        "Thiếu trường thông tin chung '{column}'. Hãy điền '{column}' vào tệp và gửi lại.",
        "The metadata field '{column}' is missing. Fill in '{column}' and resend the file.",
    ),
    "meta_inconsistent": (
        "Trường '{column}' phải giống nhau trên mọi dòng; dòng này có '{value}'. Hãy sửa cho thống nhất.",
        "Field '{column}' must be the same on every row; this row has '{value}'. Make it consistent.",
    ),
    "meta_invalid": (
        "Giá trị '{value}' của trường '{column}' không hợp lệ: {detail}.",
        "Value '{value}' of field '{column}' is not valid: {detail}.",
    ),
    "unit_unknown": (
        "Đơn vị '{value}' chưa được đăng ký. Hãy kiểm tra mã đơn vị.",
        "Unit '{value}' is not registered. Check the unit code.",
    ),
    "unit_mismatch": (
        "Tệp ghi mã đơn vị '{value}' nhưng được gửi từ nguồn của đơn vị {detail}. Mỗi đơn vị chỉ gửi báo cáo của mình.",
        "The file says unit '{value}' but came from the source of unit {detail}. A unit submits only its own reports.",
    ),
    "dataset_unknown": (
        "Bộ dữ liệu '{value}' không tồn tại. Các bộ dữ liệu hợp lệ: {detail}.",
        "Dataset '{value}' does not exist. Valid datasets: {detail}.",
    ),
    "dataset_not_assigned": (
        "Đơn vị {detail} không được giao báo cáo bộ dữ liệu '{value}'.",
        "Unit {detail} is not assigned the dataset '{value}'.",
    ),
    "period_not_started": (
        "Kỳ báo cáo {value} chưa bắt đầu khi tệp được nhận ({detail}). Hãy kiểm tra mã kỳ.",
        "Reporting period {value} had not started when the file was received ({detail}). Check the period code.",
    ),
    "column_missing": (
        "Thiếu cột bắt buộc '{column}'. Hãy dùng đúng mẫu và thêm cột này.",
        "The required column '{column}' is missing. Use the template and add this column.",
    ),
    "column_unknown": (
        "Cột '{column}' không có trong mẫu và đã bị bỏ qua.",
        "Column '{column}' is not in the template and was ignored.",
    ),
    "no_rows": (
        "Tệp không có dòng dữ liệu nào. Hãy điền dữ liệu và gửi lại.",
        "The file has no data rows. Fill in the data and resend it.",
    ),
    "too_many_rows": (
        "Tệp có quá nhiều dòng ({detail}). Hãy liên hệ Cục Báo chí.",
        "The file has too many rows ({detail}). Contact the Press Department.",
    ),
    "required": (
        "Cột '{column}' bắt buộc phải có giá trị. Hãy điền giá trị.",
        "Column '{column}' is required. Fill in a value.",
    ),
    "type": (
        "Giá trị '{value}' ở cột '{column}' không đúng kiểu: {detail}.",
        "Value '{value}' in column '{column}' has the wrong type: {detail}.",
    ),
    "enum": (
        "Giá trị '{value}' ở cột '{column}' không hợp lệ. Chọn một trong: {detail}.",
        "Value '{value}' in column '{column}' is not allowed. Choose one of: {detail}.",
    ),
    "range": (
        "Giá trị '{value}' ở cột '{column}' nằm ngoài khoảng cho phép ({detail}).",
        "Value '{value}' in column '{column}' is outside the allowed range ({detail}).",
    ),
    "duplicate_key": (
        "Khóa '{value}' ({column}) xuất hiện nhiều lần trong tệp. Mỗi khóa chỉ được có một dòng.",
        "Key '{value}' ({column}) appears more than once in the file. Each key may have one row only.",
    ),
    "staff_trained_le_total": (
        "Số người được đào tạo ({value}) lớn hơn tổng số nhân sự. Hãy kiểm tra staff_trained và staff_total.",
        "Staff trained ({value}) exceeds staff total. Check staff_trained and staff_total.",
    ),
    "closed_after_licensed": (
        "Ngày đình bản ({value}) trước ngày cấp phép. Hãy kiểm tra licensed_on và closed_on.",
        "Closing date ({value}) is before the licence date. Check licensed_on and closed_on.",
    ),
    "agency_unknown": (
        "Mã cơ quan báo chí '{value}' không có trong danh sách cơ quan báo chí đã được tiếp nhận. Hãy kiểm tra mã hoặc gửi danh sách trước.",
        "Agency code '{value}' is not in any accepted agency register. Check the code or submit the register first.",
    ),
    "month_in_range": (
        "Tháng '{value}' không hợp lệ cho kỳ này: {detail}.",
        "Month '{value}' is not allowed for this period: {detail}.",
    ),
    "task_unknown": (
        "Mã nhiệm vụ '{value}' không có trong Kế hoạch hành động. Hãy kiểm tra mã nhiệm vụ.",
        "Task code '{value}' is not in the action plan. Check the task code.",
    ),
    "task_not_lead": (
        "Đơn vị {detail} không chủ trì nhiệm vụ '{value}' nên không được báo cáo nhiệm vụ này.",
        "Unit {detail} does not lead task '{value}' and may not report on it.",
    ),
    "task_year_required": (
        "Nhiệm vụ '{value}' thực hiện hằng năm: cột 'year' bắt buộc phải có giá trị ({detail}).",
        "Task '{value}' is annual: column 'year' is required ({detail}).",
    ),
    "platform_not_assigned": (
        "Đơn vị {detail} không phụ trách nền tảng '{value}'.",
        "Unit {detail} is not responsible for platform '{value}'.",
    ),
    "formula_without_value": (
        "Ô {detail} chứa công thức nhưng không có giá trị đã tính. Hãy mở tệp trong Excel, lưu lại rồi gửi.",
        "Cell {detail} holds a formula without a computed value. Open the file in Excel, save it and resend it.",
    ),
    "missing_commentary": (
        "Báo cáo quý II cần có phần đánh giá xu hướng 6 tháng và đề xuất (trường 'commentary').",
        "The Q2 submission should carry the 6-month trend review and proposals (field 'commentary').",
    ),
    "outlier": (
        "Giá trị '{value}' ở cột '{column}' bất thường so với lịch sử ({detail}). Hãy kiểm tra lại.",
        "Value '{value}' in column '{column}' is unusual against its history ({detail}). Please check it.",
    ),
    "provisional_not_replaced": (
        "Số liệu ước tính kỳ {value} chưa được thay bằng số liệu chính thức.",
        "The provisional figures of period {value} have not been replaced by official ones.",
    ),
}


@dataclass(frozen=True)
class Finding:
    """One problem (``severity='error'``) or remark (``'warning'``) about a submission.

    ``row`` is the 1-based data row: the first row under the header, or the first element of a JSON
    document's ``rows``, is row 1 (``None`` for the file as a whole).
    """

    severity: str
    rule: str
    message_vi: str
    message_en: str
    row: int | None = None
    column: str | None = None
    value: str | None = None

    def as_report(self) -> dict:
        d = asdict(self)
        return {k: d[k] for k in ("row", "column", "value", "message_vi", "message_en")}


def finding(rule: str, *, row: int | None = None, column: str | None = None, value=None,
            detail: str | tuple[str, str] = "", severity: str = "error") -> Finding:
    """Build a Finding from the catalogue; ``detail`` is one text for both languages or a (vi, en) pair."""
    vi, en = MESSAGES[rule]
    text = "" if value is None else str(value)
    if len(text) > 200:
        text = text[:200] + "…"
    detail_vi, detail_en = (detail, detail) if isinstance(detail, str) else detail
    fields = {"column": column or "", "value": text}
    return Finding(severity, rule, vi.format(detail=detail_vi, **fields), en.format(detail=detail_en, **fields),
                   row, column, None if value is None else text)


def error(rule: str, **kw) -> Finding:
    return finding(rule, severity="error", **kw)


def warning(rule: str, **kw) -> Finding:
    return finding(rule, severity="warning", **kw)
