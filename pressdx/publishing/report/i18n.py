"""Labels and number/date formatting of the report, in Vietnamese (default) and English.

Numbers and dates go through Babel (CLDR's symbols and month names): Vietnamese (``vi``) has the decimal
comma, the dot as thousands separator, a no-break space before the percent sign (``56,1 %``) and dates
``05/12/2024`` (the administrative form, not CLDR's short ``5/12/24``); English (``en``) ``56.1%``,
``1,234``, ``5 Dec 2024``. Numbers are rounded as Python's ``format`` rounds them (the figures' own
digits), then Babel writes them. Times are shown in Vietnam time (UTC+7), the time zone of the calendar.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from babel.dates import format_date, format_time
from babel.numbers import format_decimal

from pressdx.domain.calendar import VN_TZ
from pressdx.domain.labels import DATASET, STAGE  # re-exported: TABLES below and charts read them here

LANGS = ("vi", "en")
NBSP = "\u00a0"
MINUS = "\u2212"
DASH = "–"
LOCALES = {"vi": "vi", "en": "en"}
# CLDR patterns: vi's administrative dd/MM/yyyy (CLDR's short form is 5/12/24); day-month-year in English
# with the month abbreviations of ``en`` ("Sep"; ``en_GB`` writes "Sept")
DATE_FORMATS = {"vi": "dd/MM/y", "en": "d MMM y"}


class Fmt:
    """Formatting functions bound to one language (used as Jinja filters and by the chart code)."""

    def __init__(self, lang: str):
        if lang not in LANGS:
            raise ValueError(f"unknown language {lang!r}: use vi or en")
        self.lang = lang
        self.vi = lang == "vi"
        self.locale = LOCALES[lang]

    # -- numbers ----------------------------------------------------------------------------------------
    def num(self, v, decimals: int = 0) -> str:
        if v is None:
            return DASH
        rounded = Decimal(f"{abs(v):.{decimals}f}")  # Python's rounding of the float, as before Babel
        pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
        s = format_decimal(rounded, format=pattern, locale=self.locale)
        return (MINUS if v < 0 and rounded != 0 else "") + s

    def pct(self, v, decimals: int = 1) -> str:
        if v is None:
            return DASH
        return f"{self.num(v, decimals)}{NBSP}%" if self.vi else f"{self.num(v, decimals)}%"

    def pp(self, v, decimals: int = 1) -> str:
        """A change in percentage points, always signed."""
        if v is None:
            return DASH
        r = round(v, decimals)
        sign = "+" if r > 0 else (MINUS if r < 0 else "±")
        body = self.num(abs(v), decimals)
        return f"{sign}{body}{NBSP}{'điểm %' if self.vi else 'pp'}"

    def signed_pct(self, v, decimals: int = 0) -> str:
        if v is None:
            return DASH
        return ("+" if v > 0 else "") + self.pct(v, decimals)

    # -- dates -------------------------------------------------------------------------------------------
    def date(self, d) -> str:
        if d is None:
            return DASH
        if isinstance(d, str):
            d = datetime.fromisoformat(d) if "T" in d else date.fromisoformat(d)
        if isinstance(d, datetime):
            d = d.astimezone(VN_TZ).date()
        return format_date(d, DATE_FORMATS[self.lang], locale=self.locale)

    def datetime(self, t) -> str:
        if t is None:
            return DASH
        if isinstance(t, str):
            t = datetime.fromisoformat(t)
        t = t.astimezone(VN_TZ)
        hm = format_time(t, "HH:mm", locale=self.locale)
        return f"{self.date(t)} {hm}" if self.vi else f"{self.date(t)}, {hm}"

    def period(self, code: str | None) -> str:
        """``2024-Q2`` → ``Quý II/2024`` or ``2024 Q2``."""
        if not code:
            return DASH
        y, q = code.split("-Q")
        if self.vi:
            return f"Quý {ROMAN[int(q)]}/{y}"
        return f"{y} Q{q}"

    def period_short(self, code: str) -> str:
        y, q = code.split("-Q")
        return f"Q{q}" if not self.vi else f"Q{ROMAN[int(q)]}"


ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV", 5: "V", 6: "VI"}

# --------------------------------------------------------------------------------------------------------
# labels: LABELS[key] = (vi, en); a label may hold {placeholders}

LABELS: dict[str, tuple[str, str]] = {
    "ministry": ("BỘ VĂN HÓA, THỂ THAO VÀ DU LỊCH", "MINISTRY OF CULTURE, SPORTS AND TOURISM"),
    "department": ("CỤC BÁO CHÍ", "PRESS DEPARTMENT"),
    "title_annual": ("Báo cáo tình hình thực hiện Chiến lược chuyển đổi số báo chí năm {year}",
                     "Implementation report of the Press Digital Transformation Strategy, {year}"),
    "title_half": ("Báo cáo đánh giá xu hướng 6 tháng đầu năm {year} và đề xuất",
                   "Six-month trend review and proposals, first half of {year}"),
    "subtitle_half": ("Báo cáo kỳ quý II theo Kế hoạch hành động ban hành kèm theo Quyết định số 781/QĐ-BTTTT "
                      "ngày 08/5/2023",
                      "Second-quarter report under the action plan of Decision 781/QĐ-BTTTT of 8 May 2023"),
    "subtitle": ("Kế hoạch hành động ban hành kèm theo Quyết định số 781/QĐ-BTTTT ngày 08/5/2023 "
                 "(nhiệm vụ VI.2)",
                 "Action plan of Decision 781/QĐ-BTTTT of 8 May 2023 (task VI.2)"),
    "scope_annual": ("Năm báo cáo {year}: từ {start} đến {end}; số liệu chính thức của năm là số liệu kỳ {period}.",
                     "Reporting year {year}: {start} to {end}; the year's figures are those of period {period}."),
    "scope_half": ("Sáu tháng đầu năm {year}: từ {start} đến {end} (kỳ {period}), so với kỳ {prev} và chỉ tiêu năm {year}.",
                   "First half of {year}: {start} to {end} (period {period}), against period {prev} and the "
                   "targets of {year}."),
    "as_of": ("Số liệu tính đến", "Figures as of"),
    "figures_hash": ("Mã băm SHA-256 của số liệu", "SHA-256 of the figures"),
    "generated": ("Lập lúc", "Generated"),
    "contents": ("Mục lục", "Contents"),
    # summary
    "summary": ("Tóm tắt", "Summary"),
    "summary_half": ("Tóm tắt 6 tháng đầu năm", "First-half summary"),
    "key_facts": ("Những điểm chính", "Key facts"),
    "kf_achieved": ("{n}/{total} chỉ tiêu đạt kế hoạch năm {year}",
                    "{n} of {total} indicators met the {year} target"),
    "kf_tasks": ("{done}/{total} nhiệm vụ hoàn thành; {overdue} nhiệm vụ quá hạn",
                 "{done} of {total} tasks completed; {overdue} overdue"),
    "kf_reporting": ("Tỷ lệ báo cáo đầy đủ {completeness}, đúng hạn {timeliness}",
                     "Reporting completeness {completeness}, timeliness {timeliness}"),
    "kf_annual_reports": ("{received}/{expected} báo cáo năm của bộ, ngành, địa phương, cơ quan chủ quản",
                          "{received} of {expected} annual reports from ministries, provinces and governing bodies"),
    "kf_provisional": ("{n} báo cáo đang sử dụng số liệu sơ bộ", "Submissions in use that are still provisional: {n}"),
    "col_code": ("Mã", "Code"),
    "col_indicator": ("Chỉ tiêu", "Indicator"),
    "col_value": ("Kết quả", "Value"),
    "col_numerator": ("Tử số", "Numerator"),
    "col_denominator": ("Mẫu số", "Denominator"),
    "col_value_period": ("Kết quả {period}", "Value {period}"),
    "col_target": ("Kế hoạch {year}", "Target {year}"),
    "col_status": ("Đánh giá", "Status"),
    "col_change": ("So với {period}", "vs {period}"),
    "col_progress": ("Tiến độ đến {year}", "Progress to {year}"),
    "col_provisional": ("Số liệu sơ bộ", "Provisional"),
    "col_provisional_long": ("Tỷ lệ số liệu sơ bộ", "Provisional share"),
    "col_coverage": ("Độ bao phủ", "Coverage"),
    "col_num_den": ("Tử số / mẫu số", "Numerator / denominator"),
    "col_period": ("Kỳ", "Period"),
    "col_unit": ("Đơn vị", "Unit"),
    "col_dataset": ("Loại số liệu", "Dataset"),
    "col_due": ("Hạn", "Due"),
    "col_received": ("Nhận lúc", "Received"),
    "col_delay": ("Chậm (ngày)", "Days late"),
    "col_file": ("Tệp", "File"),
    "col_rule": ("Lỗi", "Error"),
    "col_errors": ("Số lỗi", "Errors"),
    "col_task": ("Nhiệm vụ", "Task"),
    "col_lead": ("Chủ trì", "Lead"),
    "col_output": ("Sản phẩm", "Output"),
    "output_target": ("Chỉ tiêu sản phẩm", "Output target"),
    "col_progress_pct": ("Tiến độ", "Progress"),
    "col_overdue": ("Quá hạn", "Overdue"),
    "col_section": ("Mục", "Section"),
    "col_submitted_status": ("Loại số liệu", "Figures"),
    "col_state": ("Tình trạng", "State"),
    "col_count": ("Số lượng", "Count"),
    "col_total": ("Tổng", "Total"),
    "col_completeness": ("Đầy đủ", "Completeness"),
    "col_timeliness": ("Đúng hạn", "Timeliness"),
    "col_commentary": ("Đánh giá, đề xuất", "Review and proposals"),
    "col_kind": ("Loại đơn vị", "Kind"),
    "summary_note": (
        "Kết quả năm là số liệu kỳ quý IV. Mức thay đổi tính bằng điểm phần trăm so với cùng kỳ năm trước. "
        "Tiến độ đến năm 2025, 2030 theo phương pháp “Progress Chart” của Cơ quan Thống kê Liên Hợp Quốc. "
        "Tỷ lệ số liệu sơ bộ: phần các báo cáo làm căn cứ tính chỉ tiêu mà phiên bản hiện hành còn là số liệu sơ bộ.",
        "The year's value is the figure of its fourth quarter. Changes are in percentage points against the same "
        "period of the previous year. Progress towards 2025 and 2030 follows the UN Statistics Division "
        "“Progress Chart” method. Provisional share: the share of the submissions behind the figure whose "
        "current version is still provisional."),
    "summary_note_half": (
        "Kết quả 6 tháng là số liệu kỳ quý II, so với kỳ quý IV năm trước (điểm phần trăm) và kế hoạch cả năm.",
        "First-half values are the figures of the second quarter, compared with the previous year's fourth "
        "quarter (percentage points) and with the targets for the year."),
    # indicators
    "indicators": ("Kết quả thực hiện các chỉ tiêu", "Indicators"),
    "indicator_chart": ("Giá trị theo kỳ, kế hoạch năm và độ bao phủ số liệu",
                        "Value per period, yearly target and coverage"),
    "legend_value": ("Kết quả", "Value"),
    "legend_target": ("Kế hoạch năm", "Yearly target"),
    "legend_coverage": ("Độ bao phủ số liệu", "Coverage"),
    "legend_stage": ("Giai đoạn đạt được", "Stage reached"),
    "legend_target_stage": ("Giai đoạn kế hoạch", "Target stage"),
    "numerator": ("Tử số", "Numerator"),
    "denominator": ("Mẫu số", "Denominator"),
    "responsible": ("Đơn vị đo lường", "Measured by"),
    "min_growth": ("Mức tăng doanh thu tối thiểu năm {year}", "Minimum revenue growth in {year}"),
    "min_growth_short": ("ngưỡng tăng {threshold}", "growth ≥ {threshold}"),
    "stage": ("Giai đoạn", "Stage"),
    "projection": ("Dự báo năm {year}: {value} (tốc độ tăng bình quân {cagr}/năm)",
                   "Projected {year}: {value} (average growth {cagr} a year)"),
    "series_table": ("Số liệu theo kỳ", "Figures per period"),
    # I4
    "revenue_growth": ("Phân bố mức tăng doanh thu so với năm 2022 (chỉ tiêu I4)",
                       "Distribution of revenue growth against 2022 (indicator I4)"),
    "rg_intro": (
        "Cơ quan báo chí thuộc mẫu số của chỉ tiêu I4 kỳ {period}: doanh thu từ {start} đến {end} so với doanh thu "
        "năm 2022 quy đổi cùng số tháng. Ngưỡng năm {year}: tăng tối thiểu {threshold}.",
        "Press agencies in the denominator of I4 for {period}: revenue from {start} to {end} against the 2022 "
        "revenue pro-rated to the same number of months. Threshold for {year}: at least {threshold} growth."),
    "rg_counts": ("{den} cơ quan trong mẫu số; {complete} có đủ số liệu các tháng; {meeting} đạt ngưỡng ({share}); "
                  "{incomplete} thiếu số liệu tháng (không đạt); trung vị mức tăng {median}.",
                  "{den} agencies in the denominator; {complete} with every month known; {meeting} meet the "
                  "threshold ({share}); {incomplete} with a missing month (do not meet it); median growth {median}."),
    "rg_axis": ("Mức tăng doanh thu so với 2022", "Revenue growth against 2022"),
    "rg_count_axis": ("Số cơ quan", "Agencies"),
    "rg_threshold": ("Ngưỡng {threshold}", "Threshold {threshold}"),
    "rg_meets": ("Đạt ngưỡng", "Meets the threshold"),
    "rg_below": ("Chưa đạt ngưỡng", "Below the threshold"),
    # compliance
    "compliance": ("Tình hình chấp hành chế độ báo cáo", "Reporting compliance"),
    "compliance_intro": (
        "Mỗi ô: số báo cáo đã nhận / số báo cáo đến hạn của đơn vị trong kỳ. Báo cáo đúng hạn là báo cáo được "
        "tiếp nhận (hợp lệ) trước 00:00 ngày hết hạn, giờ Việt Nam; tệp bị từ chối không được tính là đã nhận.",
        "Each cell: submissions received / submissions due from the unit in the period. A submission is on time "
        "when it was accepted before 00:00 of the due day, Vietnam time; a rejected file does not count as "
        "received."),
    "grid": ("Báo cáo theo đơn vị và kỳ", "Submissions by unit and period"),
    "grid_annual": ("Báo cáo năm", "Annual"),
    "legend_on_time": ("Đủ, đúng hạn", "All on time"),
    "legend_late": ("Có báo cáo muộn", "Some late"),
    "legend_missing": ("Có báo cáo chưa nộp", "Some missing"),
    "legend_not_due": ("Chưa đến hạn", "Not yet due"),
    "unit_rates": ("Tỷ lệ theo đơn vị", "Rates per unit"),
    "missing_list": ("Báo cáo chưa nộp", "Missing submissions"),
    "late_list": ("Báo cáo nộp muộn", "Late submissions"),
    "provisional_list": ("Báo cáo còn là số liệu sơ bộ", "Submissions still provisional"),
    "rejections": ("Tệp bị từ chối (nhật ký tiếp nhận)", "Rejected files (intake audit log)"),
    "rejections_intro": (
        "Các tệp không được tiếp nhận, theo nhật ký kiểm toán audit.intake_events / audit.intake_messages; "
        "lỗi đầu tiên của mỗi tệp.",
        "Files that were not taken in, from the audit log audit.intake_events / audit.intake_messages; "
        "the first error of each file."),
    "none": ("Không có.", "None."),
    "no_data": ("Chưa có số liệu.", "No data."),
    "no_mart": ("Chưa có số liệu: kho dữ liệu chưa có bảng {mart}.", "No data: the warehouse has no {mart} mart."),
    # tasks
    "tasks": ("Tình hình thực hiện các nhiệm vụ của Kế hoạch hành động", "Action-plan tasks"),
    "tasks_intro": (
        "Nhiệm vụ hằng năm: kỳ thực hiện năm {year}; các nhiệm vụ khác: toàn bộ. Tình trạng theo báo cáo tiến độ "
        "gần nhất của đơn vị chủ trì; quá hạn khi đã qua thời hạn mà chưa hoàn thành.",
        "Annual tasks: their {year} instance; other tasks: all. Status from the latest progress report of a "
        "lead unit; overdue when the due date has passed and the task is not completed."),
    "tasks_by_section": ("Tổng hợp theo mục", "By section"),
    "overdue": ("Quá hạn", "Overdue"),
    "yes": ("Có", "Yes"),
    "no": ("Không", "No"),
    "met": ("đạt", "met"),
    "not_met": ("chưa đạt", "not met"),
    "annual_task": ("Hằng năm", "Annual"),
    # annual reports
    "annual_reports": ("Báo cáo năm của các bộ, ngành, địa phương, cơ quan chủ quản",
                       "Annual implementation reports of ministries, provinces and governing bodies"),
    "annual_reports_intro": (
        "Báo cáo năm {year}, hạn gửi trước ngày 15/12/{year}. Phiên bản hiện hành của mỗi báo cáo tại thời điểm "
        "lấy số liệu; nội dung đầy đủ tại phụ lục.",
        "Reports for {year}, due before 15 December {year}. The current version of each report at the as-of "
        "instant; full text in the annex."),
    "difficulties": ("Khó khăn, vướng mắc", "Difficulties"),
    "proposals": ("Đề xuất, kiến nghị", "Proposals"),
    "results": ("Kết quả", "Results"),
    "annex": ("Phụ lục: nội dung báo cáo năm", "Annex: annual reports in full"),
    # commentary
    "commentary": ("Đánh giá xu hướng và đề xuất của các đơn vị", "Units' trend review and proposals"),
    "commentary_intro": ("Phần đánh giá (trường commentary) của các báo cáo kỳ {period}, phiên bản hiện hành.",
                         "The commentary of the {period} submissions, current versions."),
    "no_commentary": ("(không có phần đánh giá)", "(no commentary)"),
    # figure history (appendix)
    "figure_history": ("Phụ lục: diễn biến số liệu kỳ {period}", "Appendix: how the figures of {period} changed"),
    "figure_history_intro": (
        "Mỗi chỉ tiêu chỉ thay đổi khi một báo cáo được tiếp nhận. Mỗi dòng là một phiên bản của số liệu, "
        "có hiệu lực từ thời điểm tiếp nhận báo cáo đã làm thay đổi nó đến phiên bản kế tiếp "
        "(pressdx kpi --history).",
        "A figure changes only when a submission is taken in. Each row is one version of a figure, in force from "
        "the receipt of the submission that changed it until the next version (pressdx kpi --history)."),
    "col_known_from": ("Từ", "From"),
    "col_known_to": ("Đến", "To"),
    "col_changed_by": ("Do báo cáo", "Changed by"),
    "history_start": ("ban đầu", "start"),
    "history_current": ("hiện hành", "current"),
    # provenance
    "provenance": ("Nguồn gốc số liệu", "Data provenance"),
    "prov_as_of": ("Thời điểm lấy số liệu (as-of)", "As-of instant"),
    "prov_as_of_note": (
        "Chỉ các báo cáo được tiếp nhận trước hoặc đúng thời điểm này được sử dụng. Lập lại báo cáo với "
        "--as-of {as_of} cho cùng số liệu và cùng mã băm, kể cả khi số liệu đã được điều chỉnh sau đó.",
        "Only submissions received at or before this instant are used. Running the report again with "
        "--as-of {as_of} gives the same figures and the same hash, even after later revisions."),
    "prov_hash": ("SHA-256 của số liệu (figures.json)", "SHA-256 of the figures (figures.json)"),
    "prov_build": ("Mã lần dựng kho dữ liệu (dim_build)", "Warehouse build id (dim_build)"),
    "prov_built_at": ("Kho dữ liệu được dựng lúc", "Warehouse built at"),
    "prov_through": ("Tính đến kỳ", "Computed through"),
    "prov_schema": ("Lược đồ số liệu", "Marts schema"),
    "prov_used": ("Báo cáo được sử dụng (phiên bản hiện hành, đến kỳ {period})",
                  "Submissions used (current versions, through {period})"),
    "prov_official": ("Chính thức", "Official"),
    "prov_provisional": ("Sơ bộ", "Provisional"),
    "prov_superseded": ("Phiên bản đã được thay thế", "Superseded versions"),
    "prov_rejected": ("Tệp bị từ chối", "Rejected files"),
    "prov_by_dataset": ("Theo loại số liệu", "By dataset"),
    "prov_generator": ("Công cụ", "Generator"),
    "page": ("Trang", "Page"),
}

STATUS = {
    "achieved": ("Đạt", "Achieved"),
    "below_target": ("Chưa đạt", "Below target"),
    "no_target": ("Không có kế hoạch", "No target"),
    "no_data": ("Không có số liệu", "No data"),
}
PROGRESS = {
    "achieved": ("Đã đạt", "Achieved"),
    "missed": ("Không đạt", "Missed"),
    "on_track": ("Đúng lộ trình", "On track"),
    "acceleration_needed": ("Cần đẩy nhanh", "Acceleration needed"),
    "stagnation_or_regression": ("Đình trệ / giảm", "Stagnation or regression"),
    "insufficient_data": ("Chưa đủ số liệu", "Insufficient data"),
}
STATE = {
    "on_time": ("Đúng hạn", "On time"),
    "late": ("Muộn", "Late"),
    "missing": ("Chưa nộp", "Missing"),
    "not_due": ("Chưa đến hạn", "Not due"),
}
TASK_STATUS = {
    "not_started": ("Chưa triển khai", "Not started"),
    "in_progress": ("Đang thực hiện", "In progress"),
    "completed": ("Hoàn thành", "Completed"),
    "not_reported": ("Chưa báo cáo", "Not reported"),
}
SUBMISSION_STATUS = {"provisional": ("Sơ bộ", "Provisional"), "official": ("Chính thức", "Official")}
SECTION = {
    "I": ("Hoàn thiện môi trường pháp lý", "Legal framework"),
    "II": ("Phát triển và nâng cao chất lượng nguồn nhân lực", "Human resources"),
    "III": ("Phát triển các nền tảng số, sản phẩm báo chí số", "Digital platforms and press products"),
    "IV": ("Tuyên truyền nâng cao nhận thức", "Awareness"),
    "V": ("Tăng cường hợp tác quốc tế", "International cooperation"),
    "VI": ("Tổ chức triển khai và đo lường, giám sát, đánh giá", "Implementation, measurement and monitoring"),
}
UNIT_KIND = {
    "ministry_unit": ("Đơn vị thuộc Bộ", "Ministry unit"),
    "ministry": ("Bộ, ngành", "Ministry"),
    "province": ("Địa phương", "Province"),
    "governing_body": ("Cơ quan chủ quản", "Governing body"),
}
# short names for tables and charts; the full names come from dim_indicator
SHORT_NAME = {
    "I1": ("Phân phối nội dung trên nền tảng số", "Content on digital platforms"),
    "I2": ("Dùng nền tảng phân tích dữ liệu, AI", "Data-analytics / AI platform"),
    "I3": ("Tòa soạn hội tụ", "Converged newsroom"),
    "I4": ("Tăng doanh thu so với 2022", "Revenue growth over 2022"),
    "I5": ("Cơ sở đào tạo cập nhật chương trình", "Curricula with digital-press skills"),
    "I6": ("Nhân sự được đào tạo chuyển đổi số", "Staff trained in digital transformation"),
    "I7": ("An toàn thông tin cấp độ 3 trở lên", "Security level 3 or above"),
    "I8R": ("Nền tảng số phát thanh quốc gia", "National digital radio platform"),
    "I8T": ("Nền tảng số truyền hình quốc gia", "National digital TV platform"),
    "I8E": ("Nền tảng số báo điện tử quốc gia", "National e-press platform"),
}
TABLES = {"status": STATUS, "progress": PROGRESS, "state": STATE, "task_status": TASK_STATUS, "stage": STAGE,
          "submission_status": SUBMISSION_STATUS, "section": SECTION, "dataset": DATASET, "unit_kind": UNIT_KIND,
          "short_name": SHORT_NAME}


class Labels:
    """``t("summary")``, ``t("kf_tasks", done=3, ...)`` and ``t.of("status", "achieved")``."""

    def __init__(self, lang: str):
        self.i = LANGS.index(lang)

    def __call__(self, key: str, **kw) -> str:
        text = LABELS[key][self.i]
        return text.format(**kw) if kw else text

    def of(self, table: str, code) -> str:
        if code is None:
            return DASH
        pair = TABLES[table].get(code)
        return pair[self.i] if pair else str(code)
