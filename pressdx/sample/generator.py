"""A realistic sample inbox: what the reporting units of Decision 781/QĐ-BTTTT would send.

``generate(out)`` writes ``out/sources.yml`` and ``out/inbox/<UNIT>/<period>/<file>`` for every
dataset of ``pressdx.domain.datasets`` as ``reference/dataset_assignments.csv`` assigns them, from
``first_period`` through ``through``. The figures follow the indicator targets of
``reference/indicator_targets.csv`` (some achieved, some not), the register changes over time
(licences, closures, two provincial mergers of 2025), received times are file mtimes spread around
the due instants of ``dbt_project/seeds/reporting_calendar.csv`` (most on time, some late, a few
provisional submissions replaced by official ones), and the three encodings of ``submissions.md``
appear with their variants (BOM, ``có/không``, ``1.234.567``, ``DD/MM/YYYY``, NFD text, Excel cells).

With ``rejects=True`` a handful of ``rejects_<rule>_<dataset>.<ext>`` files carry exactly one defect
each that intake must reject; ``summary["rejects"]`` names the rule of ``pressdx.domain.findings.MESSAGES``
each one must be rejected with. ``summary["warnings"]`` lists the intended warning cases.

Everything is derived from ``seed``: the same seed writes byte-identical files with identical mtimes
(XLSX archives are written with fixed zip-entry dates and document properties). The cost is linear in
the number of rows; XLSX is used only for small files.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import random
import shutil
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import yaml

from pressdx.domain.datasets import DATASETS
from pressdx.settings import seeds_dir

SEEDS = seeds_dir()
VN = timezone(timedelta(hours=7))
FIRST_MONTH = date(2022, 12, 1)
XLSX_MAX_ROWS = 1000  # XLSX only for files up to this many rows (openpyxl costs ~70 µs a cell)
LATE_CAP_DAYS = 60  # no received time later than the last due instant + this

# --------------------------------------------------------------------------------------------------
# reference data


@dataclass(frozen=True)
class Period:
    code: str
    year: int
    quarter: int
    index: int
    start: date
    end: date
    due: datetime
    annual_due: datetime | None
    trend_review: bool

    def months(self, since: date | None = None) -> list[date]:
        d = since or self.start
        d = date(d.year, d.month, 1)
        out = []
        while d <= self.end:
            out.append(d)
            d = date(d.year + (d.month == 12), d.month % 12 + 1, 1)
        return out


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def load_calendar(path: Path | None = None) -> dict[str, Period]:
    out = {}
    for r in _read_csv(path or SEEDS / "reporting_calendar.csv"):
        out[r["period_code"]] = Period(
            r["period_code"], int(r["year"]), int(r["quarter"]), int(r["period_index"]),
            date.fromisoformat(r["coverage_start"]), date.fromisoformat(r["coverage_end"]),
            datetime.fromisoformat(r["due_at"]),
            datetime.fromisoformat(r["annual_report_due_at"]) if r["annual_report_due_at"] else None,
            r["needs_trend_review"].strip().lower() == "true",
        )
    return out


# --------------------------------------------------------------------------------------------------
# names

PROVINCES = (
    "An Giang", "Bà Rịa - Vũng Tàu", "Bạc Liêu", "Bắc Giang", "Bắc Kạn", "Bắc Ninh", "Bến Tre",
    "Bình Dương", "Bình Định", "Bình Phước", "Bình Thuận", "Cà Mau", "Cao Bằng", "Cần Thơ", "Đà Nẵng",
    "Đắk Lắk", "Đắk Nông", "Điện Biên", "Đồng Nai", "Đồng Tháp", "Gia Lai", "Hà Giang", "Hà Nam",
    "Hà Nội", "Hà Tĩnh", "Hải Dương", "Hải Phòng", "Hậu Giang", "Hòa Bình", "Hưng Yên", "Khánh Hòa",
    "Kiên Giang", "Kon Tum", "Lai Châu", "Lạng Sơn", "Lào Cai", "Lâm Đồng", "Long An", "Nam Định",
    "Nghệ An", "Ninh Bình", "Ninh Thuận", "Phú Thọ", "Phú Yên", "Quảng Bình", "Quảng Nam",
    "Quảng Ngãi", "Quảng Ninh", "Quảng Trị", "Sóc Trăng", "Sơn La", "Tây Ninh", "Thái Bình",
    "Thái Nguyên", "Thanh Hóa", "Thừa Thiên Huế", "Tiền Giang", "TP. Hồ Chí Minh", "Trà Vinh",
    "Tuyên Quang", "Vĩnh Long", "Vĩnh Phúc", "Yên Bái",
)
CITIES = ("Hà Nội", "TP. Hồ Chí Minh", "Hải Phòng", "Đà Nẵng", "Cần Thơ")
PROVINCIAL_PAPER = {"Hà Nội": "Báo Hà Nội Mới", "TP. Hồ Chí Minh": "Báo Sài Gòn Giải Phóng"}
# 2025 mergers modelled: (absorbed province, absorbing province)
MERGERS = (("Hà Giang", "Tuyên Quang"), ("Bắc Kạn", "Thái Nguyên"))

NATIONAL_PAPERS = (
    ("Báo Nhân Dân", "Ban Chấp hành Trung ương Đảng Cộng sản Việt Nam", "pe"),
    ("Báo Quân đội nhân dân", "Quân ủy Trung ương – Bộ Quốc phòng", "pe"),
    ("Báo Công an nhân dân", "Bộ Công an", "pe"),
    ("Báo Lao Động", "Tổng Liên đoàn Lao động Việt Nam", "pe"),
    ("Báo Người Lao Động", "Thành ủy TP. Hồ Chí Minh", "pe"),
    ("Báo Tuổi Trẻ", "Thành đoàn TP. Hồ Chí Minh", "pe"),
    ("Báo Thanh Niên", "Hội Liên hiệp Thanh niên Việt Nam", "pe"),
    ("Báo Tiền Phong", "Trung ương Đoàn TNCS Hồ Chí Minh", "pe"),
    ("Báo Đại Đoàn Kết", "Ủy ban Trung ương Mặt trận Tổ quốc Việt Nam", "pe"),
    ("Báo Nông nghiệp Việt Nam", "Bộ Nông nghiệp và Phát triển nông thôn", "pe"),
    ("Báo Công Thương", "Bộ Công Thương", "pe"),
    ("Báo Đầu tư", "Bộ Kế hoạch và Đầu tư", "pe"),
    ("Báo Giáo dục và Thời đại", "Bộ Giáo dục và Đào tạo", "pe"),
    ("Báo Sức khỏe và Đời sống", "Bộ Y tế", "pe"),
    ("Báo Văn hóa", "Bộ Văn hóa, Thể thao và Du lịch", "pe"),
    ("Báo Giao thông", "Bộ Giao thông vận tải", "pe"),
    ("Báo Xây dựng", "Bộ Xây dựng", "pe"),
    ("Báo Tài nguyên và Môi trường", "Bộ Tài nguyên và Môi trường", "pe"),
    ("Báo Pháp luật Việt Nam", "Bộ Tư pháp", "pe"),
    ("Thời báo Tài chính Việt Nam", "Bộ Tài chính", "pe"),
    ("Báo Hải quan", "Tổng cục Hải quan", "pe"),
    ("Báo Dân tộc và Phát triển", "Ủy ban Dân tộc", "pe"),
    ("Báo Phụ nữ Việt Nam", "Hội Liên hiệp Phụ nữ Việt Nam", "pe"),
    ("Báo Cựu chiến binh Việt Nam", "Hội Cựu chiến binh Việt Nam", "pe"),
    ("Báo Nhà báo và Công luận", "Hội Nhà báo Việt Nam", "pe"),
    ("Báo Văn nghệ", "Hội Nhà văn Việt Nam", "pe"),
    ("Báo Khoa học và Phát triển", "Bộ Khoa học và Công nghệ", "pe"),
    ("Báo Biên phòng", "Bộ Tư lệnh Bộ đội Biên phòng", "pe"),
    ("Báo Bảo vệ pháp luật", "Viện Kiểm sát nhân dân tối cao", "pe"),
    ("Báo Công lý", "Tòa án nhân dân tối cao", "pe"),
    ("Báo Đại biểu Nhân dân", "Văn phòng Quốc hội", "pe"),
    ("Báo Nông thôn Ngày nay", "Hội Nông dân Việt Nam", "pe"),
    ("Báo Thế giới và Việt Nam", "Bộ Ngoại giao", "pe"),
    ("Báo Thanh tra", "Thanh tra Chính phủ", "pe"),
    ("Báo Tin tức", "Thông tấn xã Việt Nam", "pe"),
    ("Báo Thể thao và Văn hóa", "Thông tấn xã Việt Nam", "pe"),
    ("Báo Vietnam News", "Thông tấn xã Việt Nam", "pe"),
    ("Báo Kinh tế và Đô thị", "Ủy ban nhân dân TP. Hà Nội", "pe"),
    ("Báo Pháp luật TP. Hồ Chí Minh", "Ủy ban nhân dân TP. Hồ Chí Minh", "pe"),
    ("Báo Lao động Thủ đô", "Liên đoàn Lao động TP. Hà Nội", "pe"),
    ("Báo An ninh Thủ đô", "Công an TP. Hà Nội", "pe"),
    ("Báo Đời sống và Pháp luật", "Hội Luật gia Việt Nam", "pe"),
    ("Báo Quân khu 4", "Bộ Quốc phòng", "pe"),
    ("Báo Quân khu 7", "Bộ Quốc phòng", "pe"),
    ("Báo Phòng không - Không quân", "Bộ Quốc phòng", "pe"),
    ("Báo Hải quân Việt Nam", "Bộ Quốc phòng", "pe"),
    ("Báo Điện tử Chính phủ", "Văn phòng Chính phủ", "e"),
    ("Báo Điện tử Đảng Cộng sản Việt Nam", "Ban Chấp hành Trung ương Đảng Cộng sản Việt Nam", "e"),
    ("Báo VietNamNet", "Bộ Thông tin và Truyền thông", "e"),
    ("Báo điện tử VnExpress", "Bộ Khoa học và Công nghệ", "e"),
    ("Báo điện tử Dân trí", "Bộ Lao động - Thương binh và Xã hội", "e"),
    ("Báo điện tử VTC News", "Đài Tiếng nói Việt Nam", "e"),
    ("Báo điện tử Người Đưa Tin", "Hội Luật gia Việt Nam", "e"),
    ("Báo Tri thức và Cuộc sống", "Hội Xuất bản Việt Nam", "e"),
    ("Báo điện tử Tiếng nói Việt Nam", "Đài Tiếng nói Việt Nam", "e"),
    ("Báo điện tử Kinh tế Việt Nam", "Hội Khoa học Kinh tế Việt Nam", "e"),
    ("Báo điện tử Doanh nghiệp Việt Nam", "Hiệp hội Doanh nghiệp nhỏ và vừa Việt Nam", "e"),
    ("Báo điện tử Môi trường và Cuộc sống", "Hội Bảo vệ thiên nhiên và môi trường Việt Nam", "e"),
    ("Báo điện tử Dân Việt", "Hội Nông dân Việt Nam", "e"),
    ("Báo điện tử Infonet", "Bộ Thông tin và Truyền thông", "e"),
)
NEW_PAPERS = (
    ("Báo điện tử Kinh tế số", "Hội Truyền thông số Việt Nam", "e"),
    ("Báo điện tử Đời sống số", "Hiệp hội Phần mềm và Dịch vụ CNTT Việt Nam", "e"),
)
PAPER_TOPICS = ("Kinh tế", "Pháp luật", "Đời sống", "Thời sự", "Doanh nhân", "Văn hóa", "Thể thao")

MAGAZINE_DOMAINS = (
    (("Y học", "Dược học", "Sức khỏe", "Dinh dưỡng", "Y học cộng đồng", "Điều dưỡng"),
     ("Bộ Y tế", "Tổng hội Y học Việt Nam", "Trường Đại học Y Hà Nội", "Hội Dược học Việt Nam")),
    (("Kinh tế", "Tài chính", "Ngân hàng", "Chứng khoán", "Bảo hiểm", "Thuế", "Kế toán", "Kiểm toán",
      "Doanh nghiệp", "Thương mại"),
     ("Bộ Tài chính", "Ngân hàng Nhà nước Việt Nam", "Trường Đại học Kinh tế Quốc dân",
      "Phòng Thương mại và Công nghiệp Việt Nam", "Hội Kế toán và Kiểm toán Việt Nam", "Bộ Công Thương")),
    (("Giáo dục", "Tâm lý học", "Ngôn ngữ", "Toán học", "Vật lý", "Hóa học", "Sinh học"),
     ("Bộ Giáo dục và Đào tạo", "Đại học Quốc gia Hà Nội", "Đại học Quốc gia TP. Hồ Chí Minh",
      "Viện Hàn lâm Khoa học và Công nghệ Việt Nam", "Liên hiệp các Hội Khoa học và Kỹ thuật Việt Nam")),
    (("Văn học", "Văn hóa", "Nghệ thuật", "Âm nhạc", "Mỹ thuật", "Sân khấu", "Điện ảnh", "Du lịch",
      "Di sản"),
     ("Bộ Văn hóa, Thể thao và Du lịch", "Hội Nhà văn Việt Nam", "Hội Nghệ sĩ Sân khấu Việt Nam",
      "Liên hiệp các Hội Văn học Nghệ thuật Việt Nam")),
    (("Môi trường", "Nông nghiệp", "Lâm nghiệp", "Thủy sản", "Thú y", "Khí tượng thủy văn",
      "Địa chất", "Tài nguyên nước"),
     ("Bộ Nông nghiệp và Phát triển nông thôn", "Bộ Tài nguyên và Môi trường",
      "Liên hiệp các Hội Khoa học và Kỹ thuật Việt Nam", "Hội Nông dân Việt Nam")),
    (("Xây dựng", "Kiến trúc", "Giao thông", "Công nghiệp", "Năng lượng", "Cơ khí", "Điện tử",
      "Công nghệ thông tin", "Truyền thông", "Tự động hóa"),
     ("Bộ Xây dựng", "Bộ Giao thông vận tải", "Bộ Thông tin và Truyền thông", "Bộ Công Thương",
      "Liên hiệp các Hội Khoa học và Kỹ thuật Việt Nam", "Hội Kiến trúc sư Việt Nam")),
    (("Lịch sử", "Triết học", "Khoa học xã hội", "Dân tộc học", "Tôn giáo", "Lý luận chính trị",
      "Quản lý nhà nước", "Luật học", "Nghiên cứu lập pháp"),
     ("Viện Hàn lâm Khoa học xã hội Việt Nam", "Học viện Chính trị quốc gia Hồ Chí Minh",
      "Bộ Tư pháp", "Văn phòng Quốc hội", "Bộ Nội vụ")),
    (("Quốc phòng", "An ninh", "Phòng cháy chữa cháy", "Biên phòng"),
     ("Bộ Quốc phòng", "Bộ Công an")),
    (("Thể thao", "Gia đình", "Phụ nữ", "Thanh niên", "Tuổi trẻ", "Lao động và Công đoàn",
      "Người cao tuổi"),
     ("Trung ương Đoàn TNCS Hồ Chí Minh", "Hội Liên hiệp Phụ nữ Việt Nam",
      "Tổng Liên đoàn Lao động Việt Nam", "Hội Người cao tuổi Việt Nam",
      "Bộ Văn hóa, Thể thao và Du lịch")),
    (("Nhà báo", "Người làm báo", "Báo chí và Truyền thông"),
     ("Hội Nhà báo Việt Nam", "Học viện Báo chí và Tuyên truyền")),
)
MAGAZINE_QUALIFIERS = ("", " Việt Nam", " và Phát triển", " và Đời sống", " Ứng dụng", " và Công nghệ",
                       " Thời đại", " Ngày nay", " và Hội nhập", " Thực tiễn", " và Xã hội")

BROADCASTERS = (
    ("Đài Truyền hình Việt Nam", "Chính phủ", "te"),
    ("Đài Tiếng nói Việt Nam", "Chính phủ", "rte"),
    ("Đài Truyền hình Kỹ thuật số VTC", "Đài Tiếng nói Việt Nam", "te"),
    ("Truyền hình Nhân Dân", "Báo Nhân Dân", "te"),
    ("Truyền hình Quốc hội Việt Nam", "Văn phòng Quốc hội", "te"),
    ("Truyền hình Công an nhân dân", "Bộ Công an", "te"),
    ("Truyền hình Quốc phòng Việt Nam", "Bộ Quốc phòng", "te"),
    ("Đài Truyền hình TP. Hồ Chí Minh", "Ủy ban nhân dân TP. Hồ Chí Minh", "te"),
    ("Đài Tiếng nói Nhân dân TP. Hồ Chí Minh", "Ủy ban nhân dân TP. Hồ Chí Minh", "re"),
)
MEDIA = {"pe": ("print", "electronic"), "e": ("electronic",), "p": ("print",),
         "te": ("television", "electronic"), "re": ("radio", "electronic"),
         "rte": ("radio", "television", "electronic"),
         "pert": ("print", "electronic", "radio", "television"),
         "pet": ("print", "electronic", "television")}

# Registered ministries, provinces and press governing bodies (annual implementation reports).
REGISTERED_UNITS = (
    ("BYT", "ministry", "Bộ Y tế", "Ministry of Health"),
    ("BGDDT", "ministry", "Bộ Giáo dục và Đào tạo", "Ministry of Education and Training"),
    ("BCA", "ministry", "Bộ Công an", "Ministry of Public Security"),
    ("BTP", "ministry", "Bộ Tư pháp", "Ministry of Justice"),
    ("BTC", "ministry", "Bộ Tài chính", "Ministry of Finance"),
    ("BVHTTDL", "ministry", "Bộ Văn hóa, Thể thao và Du lịch", "Ministry of Culture, Sports and Tourism"),
    ("HANOI", "province", "Ủy ban nhân dân thành phố Hà Nội", "Hanoi People's Committee"),
    ("HCMC", "province", "Ủy ban nhân dân Thành phố Hồ Chí Minh", "Ho Chi Minh City People's Committee"),
    ("HAIPHONG", "province", "Ủy ban nhân dân thành phố Hải Phòng", "Hai Phong People's Committee"),
    ("DANANG", "province", "Ủy ban nhân dân thành phố Đà Nẵng", "Da Nang People's Committee"),
    ("CANTHO", "province", "Ủy ban nhân dân thành phố Cần Thơ", "Can Tho People's Committee"),
    ("QUANGNINH", "province", "Ủy ban nhân dân tỉnh Quảng Ninh", "Quang Ninh People's Committee"),
    ("THANHHOA", "province", "Ủy ban nhân dân tỉnh Thanh Hóa", "Thanh Hoa People's Committee"),
    ("NGHEAN", "province", "Ủy ban nhân dân tỉnh Nghệ An", "Nghe An People's Committee"),
    ("KHANHHOA", "province", "Ủy ban nhân dân tỉnh Khánh Hòa", "Khanh Hoa People's Committee"),
    ("LAMDONG", "province", "Ủy ban nhân dân tỉnh Lâm Đồng", "Lam Dong People's Committee"),
    ("TWDOAN", "governing_body", "Trung ương Đoàn TNCS Hồ Chí Minh",
     "Central Committee of the Ho Chi Minh Communist Youth Union"),
    ("TLDLD", "governing_body", "Tổng Liên đoàn Lao động Việt Nam", "Vietnam General Confederation of Labour"),
    ("HNBVN", "governing_body", "Hội Nhà báo Việt Nam", "Vietnam Journalists Association"),
    ("VUSTA", "governing_body", "Liên hiệp các Hội Khoa học và Kỹ thuật Việt Nam",
     "Vietnam Union of Science and Technology Associations"),
)

# (code, name, has_journalism_program, curriculum updated from period, listed from period)
INSTITUTIONS = (
    ("HVBCTT", "Học viện Báo chí và Tuyên truyền", True, "2023-Q2", None),
    ("USSH_HN", "Trường Đại học Khoa học Xã hội và Nhân văn, Đại học Quốc gia Hà Nội", True, "2023-Q2", None),
    ("USSH_HCM", "Trường Đại học Khoa học Xã hội và Nhân văn, Đại học Quốc gia TP. Hồ Chí Minh", True,
     "2023-Q2", None),
    ("PTIT", "Học viện Công nghệ Bưu chính Viễn thông", True, "2023-Q3", None),
    ("HUSC", "Trường Đại học Khoa học, Đại học Huế", True, "2023-Q3", None),
    ("DHVINH", "Trường Đại học Vinh", True, "2023-Q4", None),
    ("DHDALAT", "Trường Đại học Đà Lạt", True, "2024-Q2", None),
    ("HUC", "Trường Đại học Văn hóa Hà Nội", True, "2023-Q2", None),
    ("VLU", "Trường Đại học Văn Lang", True, "2023-Q2", None),
    ("VHU", "Trường Đại học Văn Hiến", True, "2023-Q3", None),
    ("HIU", "Trường Đại học Quốc tế Hồng Bàng", True, "2024-Q3", None),
    ("HUTECH", "Trường Đại học Công nghệ TP. Hồ Chí Minh", True, "2023-Q3", None),
    ("UEF", "Trường Đại học Kinh tế - Tài chính TP. Hồ Chí Minh", True, "2023-Q4", None),
    ("TNUS", "Trường Đại học Khoa học, Đại học Thái Nguyên", True, "2025-Q1", None),
    ("UED", "Trường Đại học Sư phạm, Đại học Đà Nẵng", True, "2023-Q4", None),
    ("HVCTCAND", "Học viện Chính trị Công an nhân dân", True, "2023-Q2", None),
    ("SQCT", "Trường Sĩ quan Chính trị", True, "2023-Q4", None),
    ("HCMUC", "Trường Đại học Văn hóa TP. Hồ Chí Minh", True, "2023-Q4", None),
    ("NTTU", "Trường Đại học Nguyễn Tất Thành", True, "2025-Q2", "2024-Q1"),
    ("HVPNVN", "Học viện Phụ nữ Việt Nam", True, "2025-Q4", "2025-Q1"),
    ("FPTU", "Trường Đại học FPT", False, None, None),
    ("HSU", "Trường Đại học Hoa Sen", False, None, None),
)

# Stage of the national platforms: (platform, first period of the stage, stage)
PLATFORM_PLAN = {
    "radio": (("2023-Q1", "research_proposal"), ("2023-Q3", "formed"), ("2024-Q3", "developing"),
              ("2025-Q4", "completed")),
    "television": (("2023-Q1", "research_proposal"), ("2023-Q4", "formed"), ("2024-Q4", "developing")),
    "epress": (("2023-Q1", "research_proposal"), ("2024-Q2", "formed"), ("2025-Q3", "developing")),
}
STAGE_VI = {"research_proposal": "nghiên cứu, đề xuất", "formed": "hình thành", "developing": "phát triển",
            "completed": "hoàn thành"}
PLATFORM_VI = {"radio": "phát thanh số (trực tuyến)", "television": "truyền hình số (trực tuyến)",
               "epress": "báo chí điện tử"}

# Share of agencies adopting (I1, I2, I3 among >= 2 media types, doing DX, I6 persons, I7 among
# electronic) at period indexes 1 (2023-Q1), 4 (2023-Q4), 8 (2024-Q4), 12 (2025-Q4).
ADOPTION = {
    "I1": (0.22, 0.37, 0.56, 0.685),
    "I2": (0.10, 0.18, 0.315, 0.46),
    "I3": (0.20, 0.335, 0.47, 0.74),
    "DX": (0.45, 0.60, 0.74, 0.86),
    "I6": (0.12, 0.43, 0.66, 0.90),
    "I7": (0.30, 0.455, 0.715, 0.88),
}
SEASON = (1.05, 0.85, 0.95, 0.98, 1.0, 0.98, 0.95, 0.97, 1.0, 1.03, 1.06, 1.15)  # Jan..Dec
_S = sum(SEASON) / 12
SEASON = tuple(s / _S for s in SEASON)


def share(indicator: str, index: int) -> float:
    xs, ys = (1, 4, 8, 12), ADOPTION[indicator]
    if index <= 1:
        return ys[0]
    for k in range(1, len(xs)):
        if index <= xs[k]:
            return ys[k - 1] + (ys[k] - ys[k - 1]) * (index - xs[k - 1]) / (xs[k] - xs[k - 1])
    slope = (ys[3] - ys[2]) / 8  # slower after 2025
    return min(0.985, ys[3] + slope * (index - 12))


# --------------------------------------------------------------------------------------------------
# agencies


class Agency:
    __slots__ = ("code", "name", "kind", "gov", "media", "licensed_on", "closed_on", "r", "u1", "u2",
                 "u3", "udx", "u7", "dom", "staff0", "drift", "train_mult", "jump_index", "base", "lg",
                 "reports_rev", "flaky", "baseline", "sec_hi", "sec_lo", "sec_dated", "cert", "trained",
                 "province")

    def __init__(self, code, name, kind, gov, media, licensed_on=None, closed_on=None, province=None):
        self.code, self.name, self.kind, self.gov, self.media = code, name, kind, gov, media
        self.licensed_on, self.closed_on, self.province = licensed_on, closed_on, province
        self.cert = None
        self.trained = 0
        self.jump_index = 0

    @property
    def multi(self) -> bool:
        return len(self.media) >= 2

    @property
    def electronic(self) -> bool:
        return "electronic" in self.media

    def listed(self, day: date) -> bool:
        return self.licensed_on is None or self.licensed_on <= day

    def active(self, day: date) -> bool:
        return self.listed(day) and (self.closed_on is None or self.closed_on > day)


def _rand_date(rng: random.Random, lo: date, hi: date) -> date:
    return lo + timedelta(days=rng.randrange((hi - lo).days + 1))


def _build_agencies(seed: int, scale: float, first: Period, last: Period) -> list[Agency]:
    rng = random.Random(f"{seed}/agencies")
    n_paper = max(1, round(120 * scale))
    n_mag = max(1, round(628 * scale))
    n_bc = max(1, round(70 * scale))
    n_news = max(1, round(1 * scale))
    w = max(5, len(str(max(n_paper, n_mag, n_bc) + 100)))
    counters = Counter()

    def code(prefix):
        counters[prefix] += 1
        return f"{prefix}{counters[prefix]:0{w}d}"

    def hist_date(electronic_only):
        if rng.random() < 0.05:
            return None
        lo = date(2000, 1, 1) if electronic_only else date(1955, 1, 1)
        return _rand_date(rng, lo, date(2021, 12, 31))

    agencies: list[Agency] = []
    # newspapers: national, then provincial, then generated
    papers = list(NATIONAL_PAPERS)
    for p in PROVINCES:
        gov = f"Thành ủy {p}" if p in CITIES else f"Tỉnh ủy {p}"
        papers.append((PROVINCIAL_PAPER.get(p, f"Báo {p}"), gov, "pe", p))
    i = 0
    while len(papers) < n_paper:
        p = PROVINCES[i % len(PROVINCES)]
        papers.append((f"Báo {PAPER_TOPICS[i // len(PROVINCES) % len(PAPER_TOPICS)]} {p}",
                       f"Ủy ban nhân dân {'thành phố' if p in CITIES else 'tỉnh'} {p}",
                       "e" if rng.random() < 0.25 else "pe", None))
        i += 1
    for entry in papers[:n_paper]:
        name, gov, media = entry[:3]
        a = Agency(code("B"), name, "newspaper", gov, MEDIA[media], province=entry[3] if len(entry) > 3 else None)
        a.licensed_on = hist_date(media == "e")
        agencies.append(a)
    # magazines: field x qualifier, each with a plausible governing body
    combos = []
    for fields, govs in MAGAZINE_DOMAINS:
        for f in fields:
            for q in MAGAZINE_QUALIFIERS:
                combos.append((f"Tạp chí {f}{q}", govs))
    rng.shuffle(combos)
    for k in range(n_mag):
        name, govs = combos[k % len(combos)]
        if k >= len(combos):
            name += f" – {PROVINCES[(k // len(combos) - 1) % len(PROVINCES)]}"
            if k >= len(combos) * (len(PROVINCES) + 1):
                name += f" ({k // (len(combos) * (len(PROVINCES) + 1)) + 1})"
        x = rng.random()
        media = "p" if x < 0.775 else "pe" if x < 0.98 else "e"
        a = Agency(code("T"), name, "magazine", rng.choice(govs), MEDIA[media])
        a.licensed_on = hist_date(media == "e")
        agencies.append(a)
    # broadcasters: national, then one per province
    bcs = list(BROADCASTERS)
    for p in PROVINCES:
        if p == "TP. Hồ Chí Minh":
            continue
        bcs.append((f"Đài Phát thanh và Truyền hình {p}",
                    f"Ủy ban nhân dân {'thành phố' if p in CITIES else 'tỉnh'} {p}", "rte", p))
    for k in range(n_bc):
        entry = bcs[k % len(bcs)]
        name = entry[0] if k < len(bcs) else f"{entry[0]} (kênh {k // len(bcs) + 1})"
        a = Agency(code("D"), name, "broadcaster", entry[1], MEDIA[entry[2]],
                   province=entry[3] if len(entry) > 3 and k < len(bcs) else None)
        a.licensed_on = hist_date(False)
        agencies.append(a)
    for k in range(n_news):
        name = "Thông tấn xã Việt Nam" if k == 0 else f"Thông tấn xã Việt Nam – Phân xã khu vực {k}"
        agencies.append(Agency(code("X"), name, "news_agency", "Chính phủ", MEDIA["pet"],
                               licensed_on=None if k == 0 else date(1976, 1, 1)))

    # changes during the window: licences, closures, provincial mergers of 2025
    w_lo, w_hi = first.start, last.end
    for k in range(max(1, round(2 * scale))):
        name, gov, media = NEW_PAPERS[k % len(NEW_PAPERS)]
        if k >= len(NEW_PAPERS):
            name += f" {k // len(NEW_PAPERS) + 1}"
        agencies.append(Agency(code("B"), name, "newspaper", gov, MEDIA[media],
                               licensed_on=_rand_date(rng, w_lo, w_hi - timedelta(days=40))))
    for k in range(max(1, round(4 * scale))):
        fields, govs = MAGAZINE_DOMAINS[k % len(MAGAZINE_DOMAINS)]
        agencies.append(Agency(code("T"), f"Tạp chí điện tử {rng.choice(fields)} số", "magazine",
                               rng.choice(govs), MEDIA["e" if k % 2 else "pe"],
                               licensed_on=_rand_date(rng, w_lo, w_hi - timedelta(days=40))))
    mags = [a for a in agencies if a.kind == "magazine" and (a.licensed_on is None or a.licensed_on < w_lo)]
    for a in rng.sample(mags, min(len(mags), max(1, round(8 * scale)))):
        a.closed_on = _rand_date(rng, w_lo + timedelta(days=20), w_hi)
    old_papers = [a for a in agencies if a.kind == "newspaper" and a.province is None
                  and (a.licensed_on is None or a.licensed_on < w_lo)]
    for a in rng.sample(old_papers, min(len(old_papers), max(1, round(1 * scale)))):
        a.closed_on = _rand_date(rng, w_lo + timedelta(days=20), w_hi)
    merge_day = date(2025, 7, 1)
    if w_lo < merge_day <= w_hi:
        by_province = {}
        for a in agencies:
            if a.province:
                by_province.setdefault(a.province, []).append(a)
        for gone, into in MERGERS:
            olds = by_province.get(gone, []) + by_province.get(into, [])
            if len(olds) < 4:
                continue
            for a in olds:
                a.closed_on = merge_day
            agencies.append(Agency(code("B"), f"Báo và Phát thanh, Truyền hình {into}", "newspaper",
                                   f"Tỉnh ủy {into}", MEDIA["pert"], licensed_on=merge_day, province=into))

    # latent traits
    kind_bonus = {"news_agency": 2.0, "broadcaster": 0.8, "newspaper": 0.6, "magazine": -0.35}
    for a in agencies:
        a.r = kind_bonus[a.kind] + (0.5 if a.media == ("electronic",) else 0) + rng.gauss(0, 1)

    def rank(pop, attr, noise):
        """u in (0, 1), small for ready agencies: the share s of the population with u < s adopts."""
        scored = sorted(pop, key=lambda a: -a.r + rng.gauss(0, noise))
        n = len(scored)
        for i, a in enumerate(scored):
            setattr(a, attr, (i + 0.5) / n)

    rank(agencies, "u1", 0.8)
    rank(agencies, "u2", 0.9)
    rank(agencies, "udx", 0.6)
    rank([a for a in agencies if a.multi], "u3", 0.8)
    rank([a for a in agencies if a.electronic], "u7", 1.0)
    for a in agencies:
        if not a.multi:
            a.u3 = 2.0
        if not a.electronic:
            a.u7 = 2.0
    median = {"newspaper": 85, "magazine": 13, "broadcaster": 150, "news_agency": 2400}
    big = {"Đài Truyền hình Việt Nam": 3900, "Đài Tiếng nói Việt Nam": 2800, "Báo Nhân Dân": 620,
           "Báo Quân đội nhân dân": 540, "Báo Tuổi Trẻ": 480, "Báo Thanh Niên": 450}
    for a in agencies:
        a.staff0 = big.get(a.name) or max(3, round(median[a.kind] * math.exp(rng.gauss(0, 0.55))))
        if a.province and "Phát thanh, Truyền hình" in a.name and a.kind == "newspaper":
            a.staff0 = 260 + rng.randrange(120)
        a.drift = rng.gauss(0.0, 0.012)
        a.train_mult = math.exp(rng.gauss(0, 0.3) + 0.12 * a.r)
        a.dom = rng.random() < 0.7
        a.reports_rev = rng.random() < 0.93
        a.flaky = rng.random() < 0.04
        rev_median = {"newspaper": 2.8e9, "magazine": 0.22e9, "broadcaster": 3.5e9, "news_agency": 60e9}
        a.base = 0.0 if (a.kind == "magazine" and rng.random() < 0.03) else \
            rev_median[a.kind] * math.exp(rng.gauss(0, 0.85))
        g = -0.02 + 0.05 * a.r / 1.2 + rng.gauss(0, 0.06)
        a.lg = math.log1p(max(-0.5, g))
        a.baseline = round(12 * a.base * math.exp(rng.gauss(0, 0.02)), -6) if (
            a.licensed_on is None or a.licensed_on < date(2022, 1, 1)) else None
        a.sec_hi = 3 if rng.random() < 0.7 else 4 if rng.random() < 0.85 else 5
        a.sec_lo = 2 if rng.random() < 0.65 else 1
        a.sec_dated = _rand_date(rng, date(2019, 1, 1), date(2022, 12, 31)) if rng.random() < 0.7 else None
    # person-weighted mean of the training multiplier is 1, so I6 follows its curve
    tot = sum(a.staff0 for a in agencies)
    wmean = sum(a.staff0 * a.train_mult for a in agencies) / tot
    for a in agencies:
        a.train_mult /= wmean
    # one agency absorbs another: its staff count jumps (an outlier warning)
    mid = (first.index + last.index) // 2 + 1
    cand = [a for a in agencies if a.kind == "magazine" and a.closed_on is None
            and (a.licensed_on is None or a.licensed_on < w_lo)]
    if cand and last.index > first.index:
        rng.choice(cand).jump_index = mid
    return agencies


# --------------------------------------------------------------------------------------------------
# one submission and its encodings


@dataclass(frozen=True)
class Style:
    bom: bool = False
    true: str = "true"
    false: str = "false"
    group: str = ""
    dmy: bool = False
    dec_comma: bool = False
    crlf: bool = False


STYLES = {
    "csv": Style(),
    "csv_vn": Style(bom=True, true="có", false="không", group=".", dmy=True, dec_comma=True, crlf=True),
    "csv_excel": Style(bom=True, true="TRUE", false="FALSE", group=",", dmy=True, crlf=True),
    "csv_co": Style(true="co", false="khong", group="\u00a0", crlf=False),
    "csv_10": Style(true="1", false="0", group=" ", dmy=False),
}
GROUPED = {"staff_total", "staff_trained", "revenue_vnd", "revenue_2022_vnd"}


@dataclass
class Sub:
    unit: str
    dataset: str
    period: Period
    columns: tuple[str, ...]
    rows: list[tuple]
    encoding: str  # a key of STYLES, or json, xlsx
    status: str = "official"
    commentary: str | None = None
    received: datetime | None = None
    name: str = ""
    doc_unit: str | None = None  # unit_code written in the document, when it differs
    doc_period: str | None = None
    variants: tuple[str, ...] = ()  # nfd, lower_codes, pad, extra_col, drop:<column>, xlsm, truncate
    reject: str | None = None
    detail: str = ""

    @property
    def ext(self) -> str:
        if "xlsm" in self.variants:
            return "xlsm"
        return "csv" if self.encoding.startswith("csv") else self.encoding


def _fmt_int(v: int, sep: str) -> str:
    return f"{v:,}".replace(",", sep) if sep and v >= 1000 else str(v)


def _formatters(columns, dataset, style: Style):
    kinds = {c.name: c.kind for c in DATASETS[dataset].columns}
    out = []
    for name in columns:
        kind = kinds.get(name, "text")
        if kind == "bool":
            t, f = style.true, style.false
            out.append(lambda v, t=t, f=f: "" if v is None else v if isinstance(v, str) else (t if v else f))
        elif kind == "int":
            sep = style.group if name in GROUPED else ""
            out.append(lambda v, sep=sep: "" if v is None else v if isinstance(v, str) else _fmt_int(v, sep))
        elif kind == "decimal":
            dc = style.dec_comma
            out.append(lambda v, dc=dc: "" if v is None else (f"{v:g}".replace(".", ",") if dc else f"{v:g}"))
        elif kind == "date":
            if style.dmy:
                out.append(lambda v: "" if v is None else v if isinstance(v, str)
                           else f"{v.day:02d}/{v.month:02d}/{v.year}")
            else:
                out.append(lambda v: "" if v is None else v if isinstance(v, str) else v.isoformat())
        elif kind == "month":
            if style.dmy:
                out.append(lambda v: "" if v is None else f"{v.month:02d}/{v.year}")
            else:
                out.append(lambda v: "" if v is None else f"{v.year}-{v.month:02d}")
        else:
            out.append(lambda v: "" if v is None else str(v))
    return out


def _apply_variants(sub: Sub) -> tuple[tuple[str, ...], list[tuple]]:
    columns, rows = sub.columns, sub.rows
    kinds = {c.name: c.kind for c in DATASETS[sub.dataset].columns}
    for v in sub.variants:
        if v.startswith("drop:"):
            i = columns.index(v[5:])
            columns = columns[:i] + columns[i + 1:]
            rows = [r[:i] + r[i + 1:] for r in rows]
        elif v == "extra_col":
            columns = (*columns, "ghi_chu")
            rows = [(*r, "Đã đối chiếu với hồ sơ" if k % 7 == 0 else None) for k, r in enumerate(rows)]
        elif v in ("nfd", "pad", "lower_codes"):
            idx = [i for i, c in enumerate(columns)
                   if kinds.get(c) == ("code" if v == "lower_codes" else "text")]

            def tr(x, v=v):
                if not isinstance(x, str):
                    return x
                return unicodedata.normalize("NFD", x) if v == "nfd" else f" {x}  " if v == "pad" else x.lower()

            rows = [tuple(tr(x) if i in idx else x for i, x in enumerate(r)) for r in rows]
    return columns, rows


def _meta(sub: Sub) -> list[tuple[str, str]]:
    meta = [("unit_code", sub.doc_unit or sub.unit), ("dataset", sub.dataset),
            ("period", sub.doc_period or sub.period.code), ("status", sub.status)]
    if sub.commentary:
        meta.append(("commentary", sub.commentary))
    return meta


def _csv_bytes(sub: Sub) -> bytes:
    style = STYLES[sub.encoding]
    columns, rows = _apply_variants(sub)
    meta = _meta(sub)
    if "nfd" in sub.variants:
        meta = [(k, unicodedata.normalize("NFD", v)) for k, v in meta]
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n" if style.crlf else "\n")
    w.writerow([k for k, _ in meta] + list(columns))
    prefix = [v for _, v in meta]
    fmts = _formatters(columns, sub.dataset, style)
    pairs = list(zip(fmts, range(len(columns)), strict=True))
    w.writerows(prefix + [f(r[i]) for f, i in pairs] for r in rows)
    data = buf.getvalue().encode("utf-8")
    return b"\xef\xbb\xbf" + data if style.bom else data


def _json_bytes(sub: Sub) -> bytes:
    columns, rows = _apply_variants(sub)
    kinds = {c.name: c.kind for c in DATASETS[sub.dataset].columns}
    conv = []
    for c in columns:
        k = kinds.get(c)
        if k == "date":
            conv.append(lambda v: v.isoformat() if isinstance(v, date) else v)
        elif k == "month":
            conv.append(lambda v: f"{v.year}-{v.month:02d}" if isinstance(v, date) else v)
        else:
            conv.append(None)
    doc = dict(_meta(sub))
    doc.setdefault("commentary", None)
    doc["rows"] = [{c: (f(v) if f else v) for c, f, v in zip(columns, conv, r, strict=True)} for r in rows]
    big = len(rows) > 200  # indented JSON goes through the slow pure-Python encoder
    text = json.dumps(doc, ensure_ascii=False, indent=None if big else 1,
                      separators=(",", ":") if big else None)
    return (text + "\n").encode("utf-8")


class _FixedZip(zipfile.ZipFile):
    """A zip whose entries all carry one fixed date, so that equal content gives equal bytes."""

    fixed_date = (2023, 1, 1, 0, 0, 0)

    def writestr(self, zinfo_or_arcname, data, compress_type=None, compresslevel=None):
        if not isinstance(zinfo_or_arcname, zipfile.ZipInfo):
            zinfo_or_arcname = zipfile.ZipInfo(zinfo_or_arcname, date_time=self.fixed_date)
            zinfo_or_arcname.compress_type = zipfile.ZIP_DEFLATED
            zinfo_or_arcname.external_attr = 0o600 << 16
        super().writestr(zinfo_or_arcname, data, compress_type, compresslevel)

    def write(self, filename, arcname=None, compress_type=None, compresslevel=None):
        with open(filename, "rb") as f:
            self.writestr(arcname or os.path.basename(filename), f.read())


def _xlsx_bytes(sub: Sub) -> bytes:
    """A workbook as Excel saves it (dimension, shared strings, typed cells), with fixed dates inside."""
    from openpyxl import Workbook
    from openpyxl.writer.excel import ExcelWriter

    columns, rows = _apply_variants(sub)
    kinds = {c.name: c.kind for c in DATASETS[sub.dataset].columns}
    wb = Workbook()
    when = sub.received.astimezone(UTC).replace(tzinfo=None)
    wb.properties.created = when - timedelta(hours=3)
    wb.properties.modified = when
    wb.properties.creator = sub.unit
    wb.properties.lastModifiedBy = sub.unit
    meta = wb.active
    meta.title = "meta"
    for k, v in _meta(sub):
        meta.append([k, v])
    meta.column_dimensions["A"].width = 14
    meta.column_dimensions["B"].width = 60
    ws = wb.create_sheet("data")
    ws.append(list(columns))
    for r in rows:
        ws.append(r)
    for i, c in enumerate(columns, start=1):
        fmt = {"date": "dd/mm/yyyy", "month": "mm/yyyy"}.get(kinds.get(c))
        if fmt:
            for (cell,) in ws.iter_rows(min_row=2, min_col=i, max_col=i):
                cell.number_format = fmt
    ws.freeze_panes = "A2"
    buf = io.BytesIO()
    archive = _FixedZip(buf, "w", zipfile.ZIP_DEFLATED)
    archive.fixed_date = sub.received.astimezone(VN).timetuple()[:6]
    ExcelWriter(wb, archive).save()
    return buf.getvalue()


def encode(sub: Sub) -> bytes:
    if sub.encoding == "json":
        data = _json_bytes(sub)
    elif sub.encoding == "xlsx":
        data = _xlsx_bytes(sub)
    else:
        data = _csv_bytes(sub)
    if "truncate" in sub.variants:
        data = data[: len(data) * 3 // 5]
    return data


# --------------------------------------------------------------------------------------------------
# received times


def _office_time(rng: random.Random, day: date) -> datetime:
    if rng.random() < 0.1:
        h = rng.randrange(19, 23)
    else:
        h = rng.choice((8, 8, 9, 9, 10, 10, 10, 11, 13, 14, 14, 15, 15, 16, 16, 17))
    return datetime(day.year, day.month, day.day, h, rng.randrange(60), rng.randrange(60), tzinfo=VN)


def _received(rng: random.Random, lo: datetime, due: datetime, late: bool) -> datetime:
    """A plausible upload instant: in [lo, due) when on time, after due when late."""
    if late:
        start = max(due, lo)
        day = start.astimezone(VN).date() + timedelta(days=rng.choice((0, 1, 2, 3, 5, 8, 12, 18)))
        t = _office_time(rng, day)
        return t if t > start else start + timedelta(minutes=rng.randrange(30, 600))
    lo_day, due_day = lo.astimezone(VN).date(), due.astimezone(VN).date()
    if due_day <= lo_day:
        return lo + (due - lo) / 2 if due > lo else lo + timedelta(minutes=5)
    t = _office_time(rng, _rand_date(rng, lo_day, due_day - timedelta(days=1)))
    if t <= lo:
        t = lo + min(timedelta(minutes=rng.randrange(10, 90)), (due - lo) / 2)
    return t


def _at(day: date, hour: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=VN)


# --------------------------------------------------------------------------------------------------
# texts


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

# non-annual tasks: year completed (None: still in progress at the end of 2025)
TASK_DONE = {"I.1": 2024, "I.3": 2025, "I.4": 2025, "I.5": 2023, "I.6": 2023, "II.1": None, "II.8": 2024,
             "II.9": 2025, "III.1": 2023, "III.2": 2025, "III.3": None, "III.4": None, "III.6": 2023,
             "III.9": 2023, "V.1": 2025, "V.2": 2023, "V.3": 2025, "VI.1": 2023}
TASK_OUTPUT = {("II.2", 2023): 4, ("II.2", 2024): 3, ("II.2", 2025): 5, ("II.3", 2023): 3,
               ("II.3", 2024): 2, ("II.3", 2025): 4, ("III.10", 2023): 1, ("III.10", 2024): 1,
               ("III.10", 2025): 2, ("V.1", 2023): 1, ("V.1", 2024): 2, ("V.1", 2025): 3}


# --------------------------------------------------------------------------------------------------
# the generator


@dataclass
class _Plan:
    """Everything written, in the order of generation."""

    subs: list[Sub] = field(default_factory=list)
    missing: list[dict] = field(default_factory=list)
    warnings: list[dict] = field(default_factory=list)


LATE_P = {"agency_register": 0.0, "agency_dx_status": 0.1, "agency_revenue": 0.25,
          "agency_revenue_baseline": 0.0, "platform_stage": 0.12, "agency_security": 0.15,
          "university_curriculum": 0.15, "task_progress": 0.2, "annual_implementation": 0.2}
MISSING_P = {"platform_stage": 0.03, "agency_security": 0.04, "university_curriculum": 0.05,
             "task_progress": 0.07, "annual_implementation": 0.07}
ENC_CYCLE = {
    "agency_register": ("json", "csv", "xlsx", "csv_vn"),
    "agency_dx_status": ("csv_vn", "json", "csv", "xlsx", "csv_excel"),
    "agency_revenue": ("csv", "csv_vn", "json", "csv_excel", "xlsx", "csv_co"),
    "agency_security": ("xlsx", "csv_vn", "json", "csv_10"),
    "university_curriculum": ("xlsx", "json", "csv_vn"),
    "platform_stage": ("json", "xlsx", "csv"),
    # never CSV: the task's own `status` column would collide with the submission `status` repeated on
    # every CSV row (submissions.md does not say how to tell them apart)
    "task_progress": ("xlsx", "json", "xlsx", "json", "json"),
    "annual_implementation": ("xlsx", "csv_vn", "json", "xlsx", "csv"),
}
# (unit, dataset, period, kind): provisional then official, a corrected official, provisional only
REVISIONS = (
    ("CBC", "agency_revenue", "2024-Q1", "provisional"),
    ("ATTT", "agency_security", "2023-Q3", "provisional"),
    ("CBC", "agency_dx_status", "2025-Q2", "provisional"),
    ("PTTH", "platform_stage", "2024-Q4", "provisional"),
    ("HANOI", "annual_implementation", "2024-Q4", "provisional"),
    ("CBC", "agency_register", "2024-Q2", "corrected"),
    ("PTIT", "university_curriculum", "2024-Q3", "provisional_only"),
)


class _Generator:
    def __init__(self, seed, periods, calendar, scale):
        self.seed, self.periods, self.cal = seed, periods, calendar
        self.agencies = _build_agencies(seed, scale, periods[0], periods[-1])
        self.assign = _read_csv(SEEDS / "dataset_assignments.csv")
        self.tasks = _read_csv(SEEDS / "tasks.csv")
        self.plan = _Plan()
        self.revisions = {(u, d, p): k for u, d, p, k in REVISIONS}
        q2 = [p.code for p in periods if p.trend_review]
        self.no_commentary = set()
        if len(q2) >= 2:
            self.no_commentary.add(("ATTT", "agency_security", q2[1]))
        if len(q2) >= 3:
            self.no_commentary.add(("PTTH", "platform_stage", q2[2]))
        # normalisation cases: accepted, some with a warning
        q4 = [p.code for p in periods if p.quarter == 4]
        self.variants = {}
        if len(periods) > 2:
            self.variants[("ATTT", "agency_security", periods[2].code)] = ("extra_col",)
        if len(periods) > 4:
            self.variants[("ATTT", "agency_security", periods[4].code)] = ("lower_codes",)
        if len(periods) > 3:
            self.variants[("CBC", "agency_register", periods[-3].code)] = ("nfd",)
        if q4:
            self.variants[("BTP", "annual_implementation", q4[0])] = ("nfd",)
        if len(q4) > 1:
            self.variants[("HCMC", "annual_implementation", q4[1])] = ("pad",)
        self.spikes = {}
        rng = self.rng("spikes")
        movers = [a for a in self.agencies if a.reports_rev and a.base > 0 and not a.flaky and a.closed_on is None]
        for a in rng.sample(movers, min(2, len(movers))):
            p = periods[rng.randrange(len(periods))]
            self.spikes[(a.code, p.months()[-1])] = 6.0
        self.last_revenue = {}

    def rng(self, *key) -> random.Random:
        return random.Random("/".join([str(self.seed), *map(str, key)]))

    # ---- rows -------------------------------------------------------------------------------------

    def register_rows(self, p: Period, typo: bool = False) -> list[tuple]:
        rows = []
        for a in self.agencies:
            if a.listed(p.end):
                closed = a.closed_on if a.closed_on and a.closed_on <= p.end else None
                rows.append((a.code, a.name, a.kind, a.gov, ";".join(a.media), a.licensed_on, closed))
        if typo and rows:
            i = len(rows) // 3
            r = rows[i]
            plain = unicodedata.normalize("NFD", r[1]).encode("ascii", "ignore").decode().replace("đ", "d")
            rows[i] = (r[0], plain, *r[2:])
        return rows

    def dx_rows(self, p: Period) -> list[tuple]:
        rng = self.rng(p.code, "dx")
        s1, s2, s3, sdx, s6 = (share(k, p.index) for k in ("I1", "I2", "I3", "DX", "I6"))
        rows = []
        for a in self.agencies:
            if not a.active(p.end):
                continue
            staff = max(1, round(a.staff0 * (1 + a.drift) ** (p.index - 1)))
            if a.jump_index and p.index >= a.jump_index:
                staff = round(staff * 2.1)
            target = math.floor(staff * min(1.0, s6 * a.train_mult))
            a.trained = min(staff, max(a.trained, target))
            d1 = a.u1 < s1
            if not d1 and rng.random() < 0.09:
                continue  # did not answer this quarter
            blank = rng.random() < 0.03
            rows.append((a.code, d1, (a.dom if d1 else False) if rng.random() > 0.1 else None,
                         a.u2 < s2, a.u3 < s3, a.udx < sdx,
                         None if blank else staff, None if blank else a.trained))
        return rows

    def revenue_rows(self, p: Period, first: bool, provisional: bool = False) -> list[tuple]:
        rng = self.rng(p.code, "revenue")
        est = self.rng(p.code, "revenue", "estimate")  # provisional rounding: its own stream
        since = None
        if first:
            q1 = self.cal.get(f"{p.year}-Q1")
            since = max(FIRST_MONTH, q1.start if q1 else p.start)
        months = p.months(since)
        rows = []
        for a in self.agencies:
            if not a.reports_rev:
                continue
            lic = a.licensed_on
            for m in months:
                if lic and lic > date(m.year + (m.month == 12), m.month % 12 + 1, 1) - timedelta(days=1):
                    continue
                if a.closed_on and a.closed_on <= m:
                    continue
                if a.flaky and rng.random() < 0.25:
                    continue
                t = m.year + (m.month - 0.5) / 12 - 2022.5
                v = a.base * SEASON[m.month - 1] * math.exp(a.lg * t + rng.gauss(0, 0.05))
                v *= self.spikes.get((a.code, m), 1.0)
                v = int(round(v / 1000)) * 1000
                if provisional and m == months[-1]:
                    v = int(round(v * (1 + est.gauss(0, 0.05)) / 1e7)) * 10_000_000
                rows.append((a.code, m, max(0, v)))
            if rng.random() < 0.005 and not first and not provisional and a.code in self.last_revenue:
                m, v = self.last_revenue[a.code]
                rows.append((a.code, m, int(round(v * 1.02 / 1000)) * 1000))  # corrects last quarter
        if not provisional:
            self.last_revenue = {}
            for r in rows:
                self.last_revenue[r[0]] = (r[1], r[2])
        return rows

    def baseline_rows(self) -> list[tuple]:
        rng = self.rng("baseline")
        return [(a.code, int(a.baseline)) for a in self.agencies
                if a.baseline is not None and a.reports_rev and rng.random() < 0.98]

    def security_rows(self, p: Period) -> list[tuple]:
        rng = self.rng(p.code, "security")
        s7 = share("I7", p.index)
        rows = []
        for a in self.agencies:
            if not (a.electronic and a.active(p.end)):
                continue
            if a.u7 < s7:
                if a.cert is None:
                    lo = p.start if p.index > self.periods[0].index else date(2021, 1, 1)
                    a.cert = _rand_date(rng, lo, p.end)
                rows.append((a.code, a.sec_hi, a.cert))
            elif rng.random() < 0.85:
                rows.append((a.code, a.sec_lo, a.sec_dated))
        return rows

    def curriculum_rows(self, p: Period) -> list[tuple]:
        rows = []
        for code, name, has, upd, listed in INSTITUTIONS:
            if listed and self.cal[listed].index > p.index:
                continue
            done = bool(has and upd and self.cal[upd].index <= p.index)
            rows.append((code, name, has, done))
        return rows

    def platform_rows(self, platforms, p: Period) -> list[tuple]:
        rows = []
        for plat in platforms:
            stage, since = None, None
            for start, st in PLATFORM_PLAN[plat]:
                if self.cal[start].index <= p.index:
                    stage, since = st, start
            ev = (f"Nền tảng {PLATFORM_VI[plat]} ở giai đoạn {STAGE_VI[stage]} từ kỳ {since}; "
                  f"báo cáo tiến độ số {10 + p.index * 7}/BC ngày {p.end.day:02d}/{p.end.month:02d}/{p.end.year}.")
            rows.append((plat, stage, ev))
        return rows

    def task_rows(self, unit: str, year: int) -> list[tuple]:
        rng = self.rng(year, unit, "tasks")
        rows = []
        for t in self.tasks:
            if unit not in t["lead_units"].split(";"):
                continue
            code, kind = t["task_code"], t["due_kind"]
            ref = (f"Báo cáo số {rng.randrange(100, 2000)}/BC-{unit} ngày "
                   f"{rng.randrange(1, 29):02d}/{rng.randrange(10, 12):02d}/{year}")
            if kind == "annual":
                lo, hi = int(t["recurring_from_year"]), int(t["recurring_to_year"])
                if not lo <= year <= hi:
                    continue
                out = TASK_OUTPUT.get((code, year))
                if out is None and t["output_min"]:
                    out = int(t["output_min"]) + rng.randrange(3)
                if code == "VI.2":
                    rows.append((code, year, "in_progress", 80.0, None, None,
                                 "Đang tổng hợp báo cáo năm, hoàn thành trong tháng 12."))
                elif rng.random() < 0.15:
                    rows.append((code, year, "in_progress", float(rng.randrange(60, 95)), out, None,
                                 "Đang triển khai, dự kiến hoàn thành cuối năm."))
                else:
                    rows.append((code, year, "completed", 100.0, out, ref, "Đã hoàn thành theo kế hoạch."))
            elif kind == "by_date":
                done = TASK_DONE.get(code)
                if done is not None and year > done:
                    continue
                out = TASK_OUTPUT.get((code, year))
                if done == year:
                    rows.append((code, None, "completed", 100.0, out, ref, "Đã hoàn thành."))
                elif code == "I.4" and year == 2023:
                    rows.append((code, None, "not_started", 0.0, None, None, "Chưa triển khai trong năm 2023."))
                else:
                    pct = float(min(95, 30 + 25 * (year - 2023) + rng.randrange(10)))
                    overdue = t["due_date"] and date.fromisoformat(t["due_date"]).year < year
                    rows.append((code, None, "in_progress", pct, out, None,
                                 "Chậm so với tiến độ, đang khẩn trương hoàn thiện." if overdue
                                 else "Đang triển khai."))
            elif kind == "per_project_schedule":
                rows.append((code, None, "in_progress", float(min(95, 20 + 25 * (year - 2023))), None,
                             ref, "Triển khai theo tiến độ dự án được phê duyệt."))
            else:  # continuous
                rows.append((code, None, "in_progress", None,
                             120 + 60 * (year - 2023) + rng.randrange(30) if code == "IV.2" else None,
                             None, "Thực hiện thường xuyên."))
        return rows

    def annual_rows(self, unit: str, year: int) -> list[tuple]:
        rng = self.rng(year, unit, "annual")
        rows = []
        for sec in ("I", "II", "III", "IV", "V", "VI"):
            if sec in ("IV", "V") and rng.random() < 0.35:
                continue
            summary, diff, prop = SECTION_TEXT[sec]
            rows.append((sec, summary.format(y=year, n=rng.randrange(5, 400), k=rng.randrange(1, 12)),
                         diff or None if rng.random() < 0.8 else None, prop or None))
        return rows

    # ---- commentary -------------------------------------------------------------------------------

    def trend_review(self, dataset: str, p: Period, rows: list[tuple]) -> str:
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

    # ---- submissions ------------------------------------------------------------------------------

    def encoding_for(self, dataset: str, unit: str, p: Period, nrows: int) -> str:
        cyc = ENC_CYCLE.get(dataset, ("csv",))
        off = sum(map(ord, unit)) if dataset in ("task_progress", "annual_implementation") else 0
        enc = cyc[(p.index + off) % len(cyc)]
        if dataset == "agency_revenue_baseline":
            enc = "xlsx"
        if enc == "xlsx" and nrows > XLSX_MAX_ROWS:
            enc = "csv_vn"
        return enc

    def add(self, unit, dataset, p, columns, rows, lo, due, *, rows_fn=None) -> datetime | None:
        """Plan the submission(s) of (unit, dataset, p); return the first received time (None: missing)."""
        key = (unit, dataset, p.code)
        rng = self.rng(p.code, unit, dataset, "when")
        rev = self.revisions.get(key)
        if rev is None and rng.random() < MISSING_P.get(dataset, 0.0):
            self.plan.missing.append({"unit_code": unit, "dataset": dataset, "period": p.code})
            return None
        late = rev is None and rng.random() < LATE_P.get(dataset, 0.0)
        t0 = _received(rng, lo, due, late)
        enc = self.encoding_for(dataset, unit, p, len(rows))
        commentary = None
        if p.trend_review and dataset not in ("task_progress", "annual_implementation"):
            if key in self.no_commentary:
                self.plan.warnings.append({"unit_code": unit, "dataset": dataset, "period": p.code,
                                           "rule": "missing_commentary"})
            else:
                commentary = self.trend_review(dataset, p, rows)
        variants = self.variants.get(key, ())
        if "extra_col" in variants:
            self.plan.warnings.append({"unit_code": unit, "dataset": dataset, "period": p.code,
                                       "rule": "column_unknown", "detail": "column ghi_chu"})
        base = dict(unit=unit, dataset=dataset, period=p, columns=columns, encoding=enc, variants=variants)
        if rev in ("provisional", "provisional_only"):
            prov_rows = rows_fn() if rows_fn else rows
            note = "Số liệu ước tính; số liệu chính thức sẽ được gửi bổ sung."
            self.plan.subs.append(Sub(**base, rows=prov_rows, status="provisional", received=t0,
                                      commentary=f"{commentary} {note}" if commentary else note,
                                      name=f"{dataset}_1_provisional"))
            if rev == "provisional_only":
                self.plan.warnings.append({"unit_code": unit, "dataset": dataset, "period": p.code,
                                           "rule": "provisional_not_replaced"})
                return t0
            t1 = t0 + timedelta(days=rng.randrange(6, 24), minutes=rng.randrange(600))
            note = f"Số liệu chính thức, thay thế bản ước tính gửi ngày {t0.astimezone(VN):%d/%m/%Y}."
            self.plan.subs.append(Sub(**base, rows=rows, received=t1, name=f"{dataset}_2_official",
                                      commentary=f"{commentary} {note}" if commentary else note))
        elif rev == "corrected":
            self.plan.subs.append(Sub(**base, rows=rows_fn(), received=t0, commentary=commentary,
                                      name=f"{dataset}_1_official"))
            t1 = t0 + timedelta(days=rng.randrange(2, 6), minutes=rng.randrange(600))
            note = "Bản sửa đổi: đính chính tên cơ quan báo chí."
            self.plan.subs.append(Sub(**base, rows=rows, received=t1, name=f"{dataset}_2_corrected",
                                      commentary=f"{commentary} {note}" if commentary else note))
        else:
            self.plan.subs.append(Sub(**base, rows=rows, received=t0, commentary=commentary, name=dataset))
        return t0

    def period(self, p: Period, first_of: dict[str, Period]):
        cols = {d: DATASETS[d].column_names for d in DATASETS}
        started = {(a["unit_code"], a["dataset"]) for a in self.assign
                   if self.cal[a["first_period"]].index <= p.index}
        due = p.due
        end_t = _at(p.end)
        # CBC's register first: everything that names an agency comes after it
        reg_t = None
        if ("CBC", "agency_register") in started:
            rows = self.register_rows(p)
            reg_t = self.add("CBC", "agency_register", p, cols["agency_register"], rows,
                             end_t - timedelta(days=5), due,
                             rows_fn=lambda: self.register_rows(p, typo=True))
        after_reg = (reg_t or end_t) + timedelta(hours=1)
        if ("CBC", "agency_revenue_baseline") in started and first_of.get("agency_revenue_baseline") is p:
            self.add("CBC", "agency_revenue_baseline", p, cols["agency_revenue_baseline"], self.baseline_rows(),
                     after_reg, due)
        if ("CBC", "agency_dx_status") in started:
            rows = self.dx_rows(p)
            self.add("CBC", "agency_dx_status", p, cols["agency_dx_status"], rows, after_reg, due,
                     rows_fn=lambda: [(*r[:7], None if r[7] is None else round(r[7] * 0.9)) for r in rows])
        if ("CBC", "agency_revenue") in started:
            first = first_of.get("agency_revenue") is p
            rows = self.revenue_rows(p, first)
            self.add("CBC", "agency_revenue", p, cols["agency_revenue"], rows,
                     max(after_reg, _at(p.end + timedelta(days=1), 8)), due,
                     rows_fn=lambda: self.revenue_rows(p, first, provisional=True))
        if ("CBC", "platform_stage") in started:
            self.add("CBC", "platform_stage", p, cols["platform_stage"], self.platform_rows(["epress"], p),
                     end_t - timedelta(days=10), due)
        if ("PTTH", "platform_stage") in started:
            rows = self.platform_rows(["radio", "television"], p)
            self.add("PTTH", "platform_stage", p, cols["platform_stage"], rows, end_t - timedelta(days=10), due,
                     rows_fn=lambda: [(r[0], "formed", "Chờ nghiệm thu giai đoạn phát triển; tạm báo cáo giai "
                                       "đoạn hình thành.") if r[0] == "television" and r[1] == "developing"
                                      else r for r in rows])
        if ("ATTT", "agency_security") in started:
            rows = self.security_rows(p)
            self.add("ATTT", "agency_security", p, cols["agency_security"], rows,
                     max(after_reg, end_t - timedelta(days=3)), due,
                     rows_fn=lambda: [(r[0], max(1, r[1] - 1) if i % 17 == 0 else r[1], r[2])
                                      for i, r in enumerate(rows)])
        if ("PTIT", "university_curriculum") in started:
            rows = self.curriculum_rows(p)
            self.add("PTIT", "university_curriculum", p, cols["university_curriculum"], rows,
                     end_t - timedelta(days=8), due)
        if p.quarter == 4:
            for a in self.assign:
                if a["dataset"] == "task_progress" and (a["unit_code"], "task_progress") in started:
                    rows = self.task_rows(a["unit_code"], p.year)
                    if rows:
                        self.add(a["unit_code"], "task_progress", p, cols["task_progress"], rows,
                                 _at(date(p.year, 11, 10), 8), due)
            annual_due = p.annual_due or due
            for code, *_ in REGISTERED_UNITS:
                rows = self.annual_rows(code, p.year)
                self.add(code, "annual_implementation", p, cols["annual_implementation"], rows,
                         _at(date(p.year, 11, 15), 8), annual_due,
                         rows_fn=lambda rows=rows: [(r[0], r[1] + " (số liệu sơ bộ)", r[2], r[3]) for r in rows])

    # ---- rejects ----------------------------------------------------------------------------------

    def reject_targets(self) -> dict[str, tuple[str, str, int]]:
        """rule -> (unit, dataset, position in the period list from which to pick the source file)."""
        n = len(self.periods)
        q4 = [i for i, p in enumerate(self.periods) if p.quarter == 4]
        return {
            "type": ("CBC", "agency_dx_status", 2 % n),
            "staff_trained_le_total": ("CBC", "agency_dx_status", 5 % n),
            "duplicate_key": ("CBC", "agency_register", 4 % n),
            "column_missing": ("ATTT", "agency_security", 3 % n),
            "agency_unknown": ("ATTT", "agency_security", 6 % n),
            "unsupported_format": ("PTIT", "university_curriculum", 4 % n),
            "unreadable": ("PTTH", "platform_stage", 5 % n),
            "unit_mismatch": ("VNN", "task_progress", q4[-1] if q4 else n),
            "dataset_not_assigned": ("CBC", "agency_revenue", 7 % n),
            "period_not_started": ("CBC", "platform_stage", max(0, n // 2 - 1)),
        }

    def rejects_for(self, p: Period, pos: int, new: list[Sub], done: set[str]) -> list[Sub]:
        """The reject files whose source is a submission of period ``p`` (``new``: its submissions)."""
        out = []
        regs = [s.received for s in new if s.dataset == "agency_register"]
        reg_t = min(regs) if regs else _at(p.end)

        rng = self.rng(p.code, "rejects")

        def office(t: datetime, lo: datetime, hi: datetime) -> datetime:
            """``t`` moved to office hours of its day when that stays within (lo, hi)."""
            c = _office_time(rng, t.astimezone(VN).date())
            return c if lo < c < hi else t

        def before(s: Sub, hours=30) -> datetime:
            """Just before the regular file: the clerk's first attempt, rejected, then corrected."""
            lo = reg_t + timedelta(minutes=20) if s.dataset != "agency_register" else _at(p.start + timedelta(days=1), 9)
            t = s.received - timedelta(hours=hours)
            return office(t if t > lo else lo + (s.received - lo) / 2, lo, s.received)

        def mk(s: Sub, rule, enc, rows, *, unit=None, when=None, commentary=..., **kw):
            out.append(Sub(unit=unit or s.unit, dataset=s.dataset, period=p, columns=s.columns, rows=rows,
                           encoding=enc, status="official",
                           commentary=s.commentary if commentary is ... else commentary,
                           received=(when or before(s)).replace(microsecond=0),
                           name=f"rejects_{rule}_{s.dataset}", reject=rule, **kw))

        for rule, (unit, dataset, at) in self.reject_targets().items():
            if rule in done or pos < at:
                continue
            s = next((x for x in reversed(new) if x.unit == unit and x.dataset == dataset), None)
            if s is None:
                continue
            done.add(rule)
            rows = list(s.rows)
            if rule == "type":
                i = len(rows) // 2
                rows[i] = (*rows[i][:4], "x", *rows[i][5:])
                mk(s, rule, "csv_vn", rows, detail=f"converged_newsroom = 'x' on data row {i + 1} ({rows[i][0]})")
            elif rule == "staff_trained_le_total":
                i = next(k for k, r in enumerate(rows) if r[6] and r[6] > 10)
                rows[i] = (*rows[i][:7], rows[i][6] + 7)
                mk(s, rule, "json", rows, detail=f"staff_trained = staff_total + 7 on data row {i + 1} ({rows[i][0]})")
            elif rule == "duplicate_key":
                i = len(rows) // 4
                rows.insert(i + 1, rows[i])
                mk(s, rule, "csv", rows, detail=f"agency_code {rows[i][0]} listed twice (data rows {i + 1}, {i + 2})")
            elif rule == "column_missing":
                mk(s, rule, "csv_vn", rows, variants=("drop:security_level",), detail="column security_level left out")
            elif rule == "agency_unknown":
                c = rows[0][0]
                bad = c[:2] + "O" + c[3:]  # the letter O typed for a zero
                rows[0] = (bad, *rows[0][1:])
                mk(s, rule, "json", rows, detail=f"agency_code {bad} (data row 1) is in no register")
            elif rule == "unsupported_format":
                mk(s, rule, "xlsx", rows, variants=("xlsm",), detail="a macro-enabled .xlsm workbook")
            elif rule == "unreadable":
                mk(s, rule, "xlsx", rows, variants=("truncate",), detail="XLSX archive cut short")
            elif rule == "unit_mismatch":
                rows = [r for r in self.task_rows("TCTTTT", p.year) if r[0] == "IV.2"]
                mk(s, rule, "json", rows, doc_unit="TCTTTT", when=s.received + timedelta(hours=2),
                   detail="a document of unit TCTTTT dropped in the folder of VNN")
            elif rule == "dataset_not_assigned":
                vnn = next((a for a in self.agencies if a.name == "Báo VietNamNet"), self.agencies[0])
                rows = [r for r in rows if r[0] == vnn.code] or rows[:3]
                mk(s, rule, "csv", rows, unit="VNN", when=s.received + timedelta(days=1), commentary=None,
                   detail="VietNamNet sent its own monthly revenue (agency_revenue is assigned to CBC only)")
            elif rule == "period_not_started":
                nxt = [q for q in self.cal.values() if q.index == p.index + 1]
                if not nxt:
                    continue
                lo = max(_at(p.start + timedelta(days=1), 9), s.received - timedelta(days=20))
                hi = min(s.received, _at(nxt[0].start) - timedelta(days=2))
                when = office(min(lo + (s.received - lo) / 3, hi), lo, hi)
                mk(s, rule, "json", rows, doc_period=nxt[0].code, when=when,
                   detail=f"period {nxt[0].code} written in a file received on {when.astimezone(VN):%d/%m/%Y}")
        return out


def _period_list(calendar, first_period, through):
    for code in (first_period, through):
        if code not in calendar:
            raise ValueError(f"unknown period {code!r}: not in reporting_calendar.csv")
    lo, hi = calendar[first_period].index, calendar[through].index
    if hi < lo:
        raise ValueError(f"through {through} is before first_period {first_period}")
    return sorted((p for p in calendar.values() if lo <= p.index <= hi), key=lambda p: p.index)


def generate(out: Path, *, seed: int = 781, first_period: str = "2023-Q2", through: str = "2025-Q4",
             scale: float = 1.0, rejects: bool = True, progress: Callable[[str], None] | None = None,
             overwrite: bool = False) -> dict:
    """Write a sample inbox under ``out`` (``sources.yml`` and ``inbox/``) and return a summary.

    ``out/inbox`` must not exist or be empty unless ``overwrite`` is true, in which case ``out/inbox`` and
    ``out/sources.yml`` are removed first (nothing else under ``out`` is touched).
    """
    if scale <= 0:
        raise ValueError("scale must be positive")
    out = Path(out)
    inbox = out / "inbox"
    if inbox.exists() and any(inbox.iterdir()):
        if not overwrite:
            raise FileExistsError(f"{inbox} is not empty")
        shutil.rmtree(inbox)
    out.mkdir(parents=True, exist_ok=True)
    calendar = load_calendar()
    periods = _period_list(calendar, first_period, through)
    g = _Generator(seed, periods, calendar, scale)

    assign = g.assign
    first_of: dict[str, Period] = {}
    for a in assign:
        fp = calendar[a["first_period"]]
        cands = [p for p in periods if p.index >= fp.index]
        if cands and (a["dataset"] not in first_of or cands[0].index < first_of[a["dataset"]].index):
            first_of[a["dataset"]] = cands[0]

    cap = max(p.annual_due or p.due for p in periods) + timedelta(days=LATE_CAP_DAYS)
    written: list[dict] = []
    by_dataset: dict[str, dict[str, int]] = {d: {"files": 0, "rows": 0} for d in DATASETS}
    by_encoding: Counter = Counter()
    by_style: Counter = Counter()
    units_with_files: set[str] = set()

    def write(sub: Sub) -> dict:
        when = min(sub.received, cap - timedelta(hours=1)).replace(microsecond=0)
        start = sub.period.start
        if not sub.reject and when < _at(start):  # never before the period starts
            when = _at(start, 9)
        sub.received = when
        rel = Path("inbox") / sub.unit / sub.period.code / f"{sub.name}.{sub.ext}"
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(encode(sub))
        ts = int(when.timestamp())
        os.utime(path, (ts, ts))
        units_with_files.add(sub.unit)
        by_encoding[sub.ext] += 1
        by_style[sub.encoding] += 1
        return {"path": rel.as_posix(), "unit_code": sub.unit, "dataset": sub.dataset,
                "period": sub.doc_period or sub.period.code, "status": sub.status, "encoding": sub.ext,
                "style": sub.encoding, "rows": len(sub.rows),
                "received_at": when.astimezone(VN).isoformat(),
                "due_at": ((sub.period.annual_due if sub.dataset == "annual_implementation" else None)
                           or sub.period.due).isoformat()}

    n_subs = 0
    reject_list: list[dict] = []
    done: set[str] = set()
    for pos, p in enumerate(periods):
        g.period(p, first_of)
        new = g.plan.subs[n_subs:]
        n_subs = len(g.plan.subs)
        rows = 0
        for s in new:
            info = write(s)
            info["on_time"] = s.received < datetime.fromisoformat(info["due_at"])
            written.append(info)
            by_dataset[s.dataset]["files"] += 1
            by_dataset[s.dataset]["rows"] += len(s.rows)
            rows += len(s.rows)
        bad = g.rejects_for(p, pos, new, done) if rejects else []
        for r in bad:
            info = write(r)
            reject_list.append({"path": info["path"], "unit_code": r.unit, "dataset": r.dataset,
                                "period": info["period"], "rule": r.reject, "detail": r.detail,
                                "received_at": info["received_at"]})
        for s in new:
            s.rows = []  # free memory: the rows are on disk
        if progress:
            progress(f"{p.code}: {len(new)} files, {rows:,} rows" + (f", {len(bad)} rejects" if bad else ""))
    # variants exercised (accepted with a warning or normalised)
    sources = []
    reg = {u for u, *_ in REGISTERED_UNITS}
    for u in sorted(units_with_files | reg, key=lambda u: (u in reg, u)):
        sources.append({"unit_code": u, "kind": "folder", "path": f"inbox/{u}",
                        "contact": f"baocao.{u.lower()}@example.gov.vn"})
    doc = {"sources": sources,
           "units": [{"unit_code": c, "unit_kind": k, "name_vi": vi, "name_en": en}
                     for c, k, vi, en in REGISTERED_UNITS]}
    (out / "sources.yml").write_text(
        f"# Sample inbox written by pressdx.sample.generator (seed {seed}, scale {scale:g}, {first_period}..{through})\n"
        + yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=120), encoding="utf-8")
    first_t = min([datetime.fromisoformat(w["received_at"]) for w in written] or [_at(periods[0].start)])
    ts = int((first_t - timedelta(days=1)).timestamp())
    os.utime(out / "sources.yml", (ts, ts))

    last = periods[-1]
    kinds = Counter(a.kind for a in g.agencies if a.listed(last.end))
    warnings = list(g.plan.warnings)
    for (code, m), f in g.spikes.items():
        warnings.append({"rule": "outlier", "dataset": "agency_revenue", "agency_code": code,
                         "month": f"{m.year}-{m.month:02d}", "detail": f"revenue x{f:g}"})
    for a in g.agencies:
        if a.jump_index:
            pc = next((p.code for p in periods if p.index == a.jump_index), None)
            warnings.append({"rule": "outlier", "dataset": "agency_dx_status", "agency_code": a.code,
                             "period": pc, "detail": "staff_total more than doubles"})
    return {
        "seed": seed, "scale": scale, "first_period": first_period, "through": through,
        "periods": [p.code for p in periods],
        "agencies": sum(kinds.values()),
        "agencies_by_kind": dict(sorted(kinds.items())),
        "agencies_active_at_end": sum(1 for a in g.agencies if a.active(last.end)),
        "units": len(sources),
        "files": len(written) + len(reject_list),
        "rows": sum(d["rows"] for d in by_dataset.values()),
        "by_dataset": by_dataset,
        "by_encoding": dict(sorted(by_encoding.items())),
        "by_style": dict(sorted(by_style.items())),
        "late": sum(1 for w in written if not w["on_time"]),
        "submissions": written,
        "missing": g.plan.missing,
        "rejects": reject_list,
        "warnings": warnings,
    }
