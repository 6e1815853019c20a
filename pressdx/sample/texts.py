"""The Vietnamese prose of the sample: annual-report sections and the Q2 trend-review commentary.

Stage and platform names come from ``pressdx.domain.labels``; numbers are written the Vietnamese way
(``1.234``, ``51,4``).
"""

from __future__ import annotations

from pressdx.domain.calendar import Period
from pressdx.domain.labels import PLATFORM, STAGE, in_sentence

STAGE_VI = {code: in_sentence(vi) for code, (vi, _) in STAGE.items()}
PLATFORM_VI = {code: in_sentence(vi) for code, (vi, _) in PLATFORM.items()}


def _pct(x: float) -> str:
    return f"{x:.1f}".replace(".", ",")


def _num(x: float) -> str:
    return f"{round(x):,}".replace(",", ".")


SECTION_TEXT = {
    "I": ("Ban hành kế hoạch triển khai Chiến lược chuyển đổi số báo chí năm {y}; rà soát {n} văn bản, "
          "kiến nghị sửa đổi, bổ sung {k} văn bản liên quan đến hoạt động báo chí trên môi trường số.",
          "Quy định về quảng cáo trên báo chí điện tử và phân phối nội dung trên nền tảng xuyên biên giới "
          "còn chưa đầy đủ.",
          "Đề nghị sớm hoàn thiện Luật Báo chí (sửa đổi) với các chính sách thúc đẩy chuyển đổi số."),
    "II": ("Tổ chức {k} lớp tập huấn, bồi dưỡng kỹ năng chuyển đổi số báo chí cho {n} lượt lãnh đạo, "
           "phóng viên, biên tập viên.",
           "Thiếu nhân lực công nghệ có hiểu biết về nghiệp vụ báo chí; kinh phí đào tạo hạn chế.",
           "Đề nghị Bộ tổ chức các khóa đào tạo trực tuyến dùng chung và hỗ trợ tài liệu."),
    "III": ("Hỗ trợ {k} cơ quan báo chí trực thuộc triển khai tòa soạn hội tụ; {n} sản phẩm báo chí số "
            "được đưa lên các nền tảng số trong nước.",
            "Chi phí đầu tư hạ tầng, bản quyền phần mềm và bảo đảm an toàn thông tin cao.",
            "Đề nghị xây dựng nền tảng dùng chung và cơ chế chia sẻ chi phí cho các cơ quan báo chí nhỏ."),
    "IV": ("Đăng tải {n} tin, bài tuyên truyền về chuyển đổi số báo chí; biểu dương {k} tập thể, cá nhân "
           "có sáng kiến.", "", "Đề nghị tiếp tục tổ chức giải thưởng về báo chí số."),
    "V": ("Tham gia {k} hội thảo, đoàn công tác quốc tế về báo chí số; tiếp nhận {n} tài liệu kinh nghiệm.",
          "Nguồn kinh phí cho hợp tác quốc tế còn hạn chế.", ""),
    "VI": ("Kiểm tra, đôn đốc {k} cơ quan báo chí trực thuộc thực hiện Chiến lược; gửi {n} báo cáo định kỳ "
           "đúng hạn.", "Một số cơ quan báo chí chưa bố trí cán bộ đầu mối về chuyển đổi số.",
           "Đề nghị ban hành bộ chỉ số đánh giá mức độ chuyển đổi số báo chí thống nhất."),
}


def trend_review_commentary(dataset: str, p: Period, rows: list[tuple]) -> str:
    """The 6-month trend review and proposals a Q2 submission of ``dataset`` carries, from its rows."""
    y = p.year
    head = f"Đánh giá xu hướng 6 tháng đầu năm {y} và đề xuất. "
    if dataset == "agency_register":
        active = sum(1 for r in rows if r[6] is None)
        new = sum(1 for r in rows if r[5] and r[5].year == y)
        closed = sum(1 for r in rows if r[6] and r[6].year == y)
        return head + (f"Danh sách có {_num(active)} cơ quan báo chí đang hoạt động; {new} cơ quan được cấp "
                       f"phép mới, {closed} cơ quan đình bản từ đầu năm. Đề xuất: các cơ quan chủ quản "
                       f"cập nhật kịp thời thay đổi giấy phép.")
    if dataset == "agency_dx_status":
        n = len(rows) or 1
        d = sum(r[1] for r in rows) * 100 / n
        ai = sum(r[3] for r in rows) * 100 / n
        tot = sum(r[6] or 0 for r in rows) or 1
        tr = sum(r[7] or 0 for r in rows) * 100 / tot
        return head + (f"{_num(len(rows))} cơ quan báo chí trả lời: {_pct(d)}% đưa nội dung lên nền tảng số, "
                       f"{_pct(ai)}% sử dụng nền tảng phân tích dữ liệu, trí tuệ nhân tạo; {_pct(tr)}% "
                       f"nhân sự đã được đào tạo về chuyển đổi số. Đề xuất: ưu tiên hỗ trợ các tạp chí "
                       f"khoa học quy mô nhỏ, đẩy mạnh đào tạo trực tuyến.")
    if dataset in ("agency_revenue", "agency_revenue_baseline"):
        total = sum(r[-1] for r in rows)
        return head + (f"Tổng doanh thu kê khai {_num(total / 1e9)} tỷ đồng ({_num(len(rows))} dòng số "
                       f"liệu). Doanh thu quảng cáo in tiếp tục giảm, doanh thu số tăng. Đề xuất: hướng "
                       f"dẫn các cơ quan báo chí đa dạng hóa nguồn thu trên nền tảng số.")
    if dataset == "agency_security":
        n = len(rows) or 1
        k = sum(1 for r in rows if r[1] >= 3)
        return head + (f"{k}/{n} cơ quan báo chí điện tử được đánh giá ({_pct(k * 100 / n)}%) đạt cấp độ 3 "
                       f"trở lên. Đề xuất: hỗ trợ các cơ quan còn lại lập hồ sơ đề xuất cấp độ.")
    if dataset == "university_curriculum":
        h = [r for r in rows if r[2]]
        u = sum(1 for r in h if r[3])
        return head + (f"{u}/{len(h)} cơ sở đào tạo báo chí đã cập nhật chương trình về kỹ năng báo chí số. "
                       f"Đề xuất: xây dựng học phần dùng chung về dữ liệu và trí tuệ nhân tạo trong báo chí.")
    stages = "; ".join(f"{PLATFORM_VI[r[0]]}: {STAGE_VI[r[1]]}" for r in rows)
    return head + f"Giai đoạn các nền tảng: {stages}. Đề xuất: bố trí kinh phí để hoàn thành đúng hạn."
