"""What intake tells a unit's clerk about a file: one ``Finding`` per problem, in Vietnamese and English.

Every message names what to do, not only what is wrong: the clerk fixes the file from this text alone.
Templates are keyed by rule so that tests, the audit table and the report can group by rule. Each message
is wholly in one language: a ``detail`` that differs between the languages is given as a (vi, en) pair.

Once every check has run, intake prefixes each message with where the clerk finds the problem
(``PLACES``: ``Ô data!C7`` / ``Cell data!C7``, ``Dòng 7`` / ``Line 7``, ``Phần tử rows[3]`` / ``Element
rows[3]``), and reports and the audit show at most ``MAX_PER_GROUP`` findings of one rule in one column,
then one line counting the rest (``capped``).
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
    "column_repeated": (
        "Cột '{column}' xuất hiện nhiều lần trong dòng tiêu đề ({detail}). Mỗi cột chỉ được có một lần: "
        "hãy xóa hoặc đổi tên cột thừa.",
        "Column '{column}' appears more than once in the header ({detail}). Each column may appear once: "
        "remove or rename the extra one.",
    ),
    "status_column_twice": (
        "Dòng tiêu đề có hai cột 'status' ({detail}): một cho trạng thái của báo cáo, một cho trạng thái nhiệm vụ. "
        "Trong tệp CSV, hãy đổi tên cột trạng thái của báo cáo (provisional/official) thành 'submission_status'.",
        "The header names 'status' twice ({detail}): once for the submission, once for the task. In a CSV, "
        "name the submission's status column (provisional/official) 'submission_status'.",
    ),
    "submission_status_column": (
        "Bộ dữ liệu '{value}' có cột 'status' riêng, nên trong tệp CSV trạng thái của báo cáo (provisional/official) "
        "phải nằm ở cột 'submission_status'. {detail}",
        "Dataset '{value}' has its own 'status' column, so in a CSV the submission's status (provisional/official) "
        "goes in a column named 'submission_status'. {detail}",
    ),
    "too_many_fields": (
        "Dòng này có {value} trường nhưng dòng tiêu đề chỉ có {detail}. Có thể một giá trị chứa dấu phẩy "
        "chưa được đặt trong dấu ngoặc kép.",
        "This line has {value} fields but the header has {detail}. A value holding a comma may be missing "
        "its double quotes.",
    ),
    "row_not_object": (
        "Mỗi phần tử của 'rows' phải là một đối tượng JSON (dạng {{\"cột\": giá trị}}); phần tử này là {detail}.",
        "Each element of 'rows' must be a JSON object ({{\"column\": value}}); this one is {detail}.",
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
        "Ô {detail}: có công thức nhưng không có giá trị đã tính. Hãy mở tệp trong Excel, lưu lại rồi gửi.",
        "Cell {detail}: a formula without a computed value. Open the file in Excel, save it and resend it.",
    ),
    "missing_commentary": (
        "Báo cáo quý II cần có phần đánh giá xu hướng 6 tháng và đề xuất (trường 'commentary').",
        "The Q2 submission should carry the 6-month trend review and proposals (field 'commentary').",
    ),
    "more_errors": (
        "… và {count} lỗi khác cùng loại{where}.",
        "… and {count} more errors of this kind{where}.",
    ),
    "more_warnings": (
        "… và {count} cảnh báo khác cùng loại{where}.",
        "… and {count} more warnings of this kind{where}.",
    ),
    "outlier": (
        "Giá trị '{value}' ở cột '{column}' bất thường so với lịch sử ({detail}). Hãy kiểm tra lại.",
        "Value '{value}' in column '{column}' is unusual against its history ({detail}). Please check it.",
    ),
    "internal_error": (
        "Hệ thống chưa xử lý được tệp này do một lỗi nội bộ ({detail}); lỗi không nằm ở tệp của đơn vị. "
        "Cục Báo chí đã được báo và sẽ liên hệ; đơn vị không cần sửa tệp, chỉ gửi lại khi được đề nghị.",
        "The system could not process this file because of an internal error ({detail}); the fault is not in "
        "the unit's file. The Press Department has been told and will get in touch; do not change the file, "
        "resend it only when asked.",
    ),
    "received_time_adjusted": (
        "Thời điểm nhận của tệp được ghi là {value} (lúc hệ thống thấy tệp lần đầu), không theo thời điểm sửa đổi "
        "của tệp ({detail}), vì thời điểm đó không thể đúng. Nếu tệp đã được gửi sớm hơn, hãy liên hệ Cục Báo chí.",
        "The file's received time is recorded as {value} (when the system first saw it), not its modification "
        "time ({detail}), which cannot be right. If the file was sent earlier, contact the Press Department.",
    ),
    "file_name_escaped": (
        "Tên tệp không phải văn bản UTF-8 hoặc có ký tự điều khiển nên được lưu ở dạng mã hóa phần trăm "
        "(các byte gốc, hệ 16: {detail}). Lần sau hãy đặt tên tệp bằng chữ tiếng Việt thông thường (UTF-8).",
        "The file name is not UTF-8 text or holds control characters, so it is kept percent-encoded "
        "(its original bytes in hex: {detail}). Next time give the file a plain Unicode name.",
    ),
    "provisional_not_replaced": (
        "Số liệu ước tính kỳ {value} chưa được thay bằng số liệu chính thức.",
        "The provisional figures of period {value} have not been replaced by official ones.",
    ),
}


# Where a clerk finds a problem, by kind of place; fields: {ref} (a cell, ``data!C7``), {sheet}, {row}, {key},
# {column}. Sheet names, cells and JSON paths are the file's own words, the same in both languages.
PLACES: dict[str, tuple[str, str]] = {
    "cell": ("Ô {ref}", "Cell {ref}"),
    "sheet_row": ("Trang tính '{sheet}', dòng {row}", "Sheet '{sheet}', row {row}"),
    "sheet_header": ("Dòng tiêu đề (dòng {row}) của trang tính '{sheet}'", "Header (row {row}) of sheet '{sheet}'"),
    "meta_absent": ("Trang tính '{sheet}' (chưa có dòng '{key}' ở cột A)", "Sheet '{sheet}' (no row '{key}' in column A)"),
    "line": ("Dòng {row}", "Line {row}"),
    "csv_header": ("Dòng tiêu đề (dòng {row})", "Header (line {row})"),
    "csv_column": ("Cột '{column}'", "Column '{column}'"),
    "element": ("Phần tử rows[{row}]", "Element rows[{row}]"),
}

# Rules about one metadata field: located at that field's cell (XLSX) or column (CSV).
META_RULES = frozenset({"meta_missing", "meta_invalid", "meta_inconsistent", "unit_unknown", "unit_mismatch",
                        "dataset_unknown", "dataset_not_assigned", "period_not_started", "missing_commentary"})
# Rules about the header row.
HEADER_RULES = frozenset({"column_missing", "column_unknown", "column_repeated", "status_column_twice",
                          "submission_status_column"})
MAX_PER_GROUP = 10  # findings of one rule in one column shown in reports and the audit; the rest are counted


@dataclass(frozen=True)
class Finding:
    """One problem (``severity='error'``) or remark (``'warning'``) about a submission.

    ``row`` is the row as the clerk sees it (``None`` for the file, the header or a metadata field): the
    row number on the XLSX data sheet (the header is usually row 1, so the first data row is row 2), the
    line of a CSV file where the record starts (the header is line 1; a quoted newline makes a record span
    lines), or the index of the element in a JSON document's ``rows`` (``rows[0]`` is row 0).
    ``place`` is set once the messages name where the problem is (``data!C7``, ``line 7``, ``rows[3]``).
    """

    severity: str
    rule: str
    message_vi: str
    message_en: str
    row: int | None = None
    column: str | None = None
    value: str | None = None
    place: str | None = None

    def as_report(self) -> dict:
        d = asdict(self)
        return {k: d[k] for k in ("row", "column", "value", "message_vi", "message_en")}

    def at(self, kind: str, **fields) -> Finding:
        """This finding with its messages prefixed by the place ``kind`` of ``PLACES`` (once only)."""
        if self.place is not None:
            return self
        vi, en = (t.format(**fields) for t in PLACES[kind])
        # built directly: ``dataclasses.replace`` costs twice as much, and 200,000 findings are located at times
        return Finding(self.severity, self.rule, f"{vi}: {self.message_vi}", f"{en}: {self.message_en}", self.row,
                       self.column, self.value, en)


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


def capped(findings: list[Finding], per_group: int = MAX_PER_GROUP) -> list[Finding]:
    """``findings`` grouped by (severity, rule, column) in order of first appearance, at most ``per_group`` of
    each group, followed by one finding counting the rest (``… and 412 more errors of this kind in column X``).

    200,000 duplicate keys are then eleven lines of a report or of the audit table, not 200,000; the
    counts of errors and warnings are kept apart (``audit.intake_events``)."""
    groups: dict[tuple, list[Finding]] = {}
    for f in findings:
        groups.setdefault((f.severity, f.rule, f.column), []).append(f)
    out: list[Finding] = []
    for (severity, _rule, column), fs in groups.items():
        out += fs[:per_group]
        if len(fs) > per_group:
            out.append(_more(severity, column, len(fs) - per_group))
    return out


def _more(severity: str, column: str | None, count: int) -> Finding:
    from babel.numbers import format_decimal

    rule = "more_errors" if severity == "error" else "more_warnings"
    vi, en = MESSAGES[rule]
    where_vi, where_en = (f" ở cột '{column}'", f" in column '{column}'") if column else ("", "")
    return Finding(severity, rule, vi.format(count=format_decimal(count, locale="vi"), where=where_vi),
                   en.format(count=format_decimal(count, locale="en"), where=where_en), None, column, str(count),
                   place="")
