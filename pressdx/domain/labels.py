"""Bilingual labels of the domain's codes: datasets, platform stages, platforms (Vietnamese, English).

The XLSX templates, the annual report and the sample inbox all name datasets and stages; they read the
words from here, so a renamed dataset is one edit. Each table maps a code to ``(vi, en)``. A dataset's
English description is its ``pressdx.domain.datasets`` description (the contract's own wording);
``dataset_description`` pairs it with the Vietnamese one.
"""

from __future__ import annotations

from pressdx.domain.datasets import DATASETS

# short names, for tables, charts and headings
DATASET = {
    "agency_register": ("Danh sách cơ quan báo chí", "Agency register"),
    "agency_dx_status": ("Tình trạng chuyển đổi số", "Digital-transformation status"),
    "agency_revenue": ("Doanh thu hằng tháng", "Monthly revenue"),
    "agency_revenue_baseline": ("Doanh thu năm 2022", "2022 revenue baseline"),
    "agency_security": ("Cấp độ an toàn thông tin", "Security levels"),
    "university_curriculum": ("Chương trình đào tạo báo chí", "Journalism curricula"),
    "platform_stage": ("Giai đoạn nền tảng số", "Platform stage"),
    "task_progress": ("Tiến độ nhiệm vụ", "Task progress"),
    "annual_implementation": ("Báo cáo năm", "Annual report"),
}

# what a dataset holds, in a sentence (English: pressdx.domain.datasets)
DATASET_DESCRIPTION_VI = {
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

STAGE = {
    "research_proposal": ("Nghiên cứu, đề xuất", "Researched & proposed"),
    "formed": ("Hình thành", "Formed"),
    "developing": ("Phát triển", "Developing"),
    "completed": ("Hoàn thành", "Completed"),
}

PLATFORM = {
    "radio": ("Phát thanh số (trực tuyến)", "Digital radio (online)"),
    "television": ("Truyền hình số (trực tuyến)", "Digital television (online)"),
    "epress": ("Báo chí điện tử", "Electronic press"),
}


def dataset_description(name: str) -> tuple[str, str]:
    """``(vi, en)``: what dataset ``name`` holds ("" for a name the contract does not know)."""
    ds = DATASETS.get(name)
    return DATASET_DESCRIPTION_VI.get(name, ""), ds.description if ds else ""


def in_sentence(label: str) -> str:
    """A label as it reads inside a sentence: its first letter in lower case (``hình thành``)."""
    return label[:1].lower() + label[1:]
