"""The report's PDF engine (``pressdx.publishing.report.pdf``, WeasyPrint) on small pages of its own.

What the report relies on, each checked on the PDF through poppler (pdftotext, pdffonts, pdfinfo, pdfimages):
Vietnamese text that survives extraction, the ``@page`` footer with "page N / M", a table whose header repeats
on every page, an inline SVG chart drawn as vectors, a PDF dated at the as-of instant and identical bytes for
the same page, nothing fetched from outside the page, and fonts: without Noto Sans the page falls back to
DejaVu Sans, and with no font at all the engine refuses with one line instead of crashing. Font cases run in
a child process with its own ``FONTCONFIG_FILE`` (fontconfig reads its configuration once per process).
Without poppler-utils the tests skip, except on CI (``CI=true``), where they fail.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import unicodedata
from datetime import datetime
from pathlib import Path

import pytest

from pressdx.publishing.report.charts import FONTS
from pressdx.publishing.report.pdf import PdfError, html_to_pdf

AS_OF = "2025-12-20T00:00:00.123456+07:00"
NAME = "Cơ quan báo chí đưa nội dung lên các nền tảng số (ưu tiên các nền tảng số trong nước)"
DEJAVU = Path("/usr/share/fonts/truetype/dejavu")  # Debian's fonts-dejavu-core
ROWS = 120  # enough rows to run the table over three A4 pages

PAGE = f"""<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8">
<meta name="pressdx-as-of" content="{AS_OF}">
<title>Thử nghiệm</title>
<style>
@page {{ size: A4; margin: 15mm 14mm 16mm;
  @bottom-right {{ content: "Trang " counter(page) " / " counter(pages); font-size: 8pt; }} }}
html {{ font-family: "Noto Sans", "DejaVu Sans", sans-serif; font-size: 10pt; }}  /* margin boxes too */
thead {{ display: table-header-group; }}
tr {{ break-inside: avoid; }}
</style></head>
<body>
<h1>Báo cáo tình hình thực hiện Chiến lược chuyển đổi số báo chí</h1>
<p>{NAME}</p>
<svg viewBox="0 0 200 60" width="200" height="60" xmlns="http://www.w3.org/2000/svg" font-family="{FONTS}">
  <rect x="10" y="10" width="80" height="40" fill="#1f4e79"/>
  <text x="100" y="35" font-size="12" fill="#1f4e79">Kết quả Quý IV/2025</text>
</svg>
<img src="pixel.png" alt="">
<table><thead><tr><th>Đơn vị</th><th>Tình trạng</th></tr></thead>
<tbody>{"".join(f"<tr><td>Ủy ban nhân dân tỉnh số {i}</td><td>Đúng hạn</td></tr>" for i in range(ROWS))}</tbody>
</table>
</body></html>
"""

# a 1×1 PNG beside the page: the page names it, the engine must not read it (the report is self-contained)
PIXEL = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cf"
                      "c0f01f0005000201a2d3a1b00000000049454e44ae426082")


def need(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        if os.environ.get("CI", "").strip().lower() == "true":
            pytest.fail(f"{tool} is not installed (apt-get install poppler-utils); CI=true: the PDF tests must run")
        pytest.skip(f"{tool} is not installed (apt-get install poppler-utils)")
    return path


def _run(tool: str, *args: str) -> str:
    return subprocess.run([need(tool), *args], capture_output=True, check=True, timeout=120).stdout.decode("utf-8")


def _text(pdf: Path, page: int | None = None) -> str:
    pages = ["-f", str(page), "-l", str(page)] if page else []
    return " ".join(unicodedata.normalize("NFC", _run("pdftotext", "-enc", "UTF-8", *pages, str(pdf), "-")).split())


def _fonts(pdf: Path) -> list[str]:
    """Family names of the fonts in the PDF, subset tag and hyphens dropped ("NotoSansBold")."""
    lines = _run("pdffonts", str(pdf)).splitlines()[2:]
    return [line.split()[0].split("+", 1)[-1].replace("-", "") for line in lines if line.strip()]


@pytest.fixture
def page(tmp_path) -> Path:
    (tmp_path / "pixel.png").write_bytes(PIXEL)
    html = tmp_path / "report.html"
    html.write_text(PAGE, encoding="utf-8")
    return html


def test_vietnamese_text_footer_and_repeated_table_header(page, tmp_path):
    pdf = html_to_pdf(page, tmp_path / "report.pdf")
    info = dict(line.split(":", 1) for line in _run("pdfinfo", str(pdf)).splitlines() if ":" in line)
    pages = int(info["Pages"])
    assert pages >= 3 and info["Page size"].split()[:3] == ["595.276", "x", "841.89"]  # A4 in points
    first = _text(pdf, 1)
    assert "Báo cáo tình hình thực hiện Chiến lược chuyển đổi số báo chí" in first and NAME in first
    assert "Kết quả Quý IV/2025" in first  # the SVG's text is real text, not an image
    for n in range(1, pages + 1):
        text = _text(pdf, n)
        assert f"Trang {n} / {pages}" in text, n
        assert text.count("Đơn vị Tình trạng") == 1, n  # the header on every page, once
    body = _text(pdf)
    assert all(f"Ủy ban nhân dân tỉnh số {i} Đúng hạn" in body for i in range(ROWS))
    assert all(n.startswith("NotoSans") for n in _fonts(pdf)), _fonts(pdf)


def test_nothing_outside_the_page_is_fetched(page, tmp_path):
    pdf = html_to_pdf(page, tmp_path / "report.pdf")
    images = _run("pdfimages", "-list", str(pdf)).splitlines()[2:]
    assert images == []  # pixel.png exists beside the page, and stays unread


def test_same_page_same_bytes_dated_at_the_as_of_instant(page, tmp_path):
    a = html_to_pdf(page, tmp_path / "a.pdf").read_bytes()
    b = html_to_pdf(page, tmp_path / "b.pdf").read_bytes()
    assert a == b
    info = dict(line.split(":", 1) for line in _run("pdfinfo", "-isodates", str(tmp_path / "a.pdf")).splitlines())
    expected = datetime.fromisoformat(AS_OF).replace(microsecond=0)
    assert datetime.fromisoformat(info["CreationDate"].strip()) == expected
    assert datetime.fromisoformat(info["ModDate"].strip()) == expected
    assert info["Producer"].strip().startswith("WeasyPrint")


def test_an_existing_pdf_is_replaced_and_a_failed_print_leaves_none(page, tmp_path):
    target = tmp_path / "report.pdf"
    target.write_bytes(b"old")
    assert html_to_pdf(page, target).read_bytes()[:5] == b"%PDF-"
    with pytest.raises(PdfError) as err:
        html_to_pdf(tmp_path / "missing.html", tmp_path / "none.pdf")
    assert len(str(err.value).splitlines()) == 1 and "missing.html" in str(err.value)
    assert not (tmp_path / "none.pdf").exists() and not (tmp_path / "none.pdf.part").exists()


def _child(page: Path, out: Path, font_dirs: list[Path], tmp_path: Path) -> subprocess.CompletedProcess:
    """``html_to_pdf`` in a child process that sees only the fonts in ``font_dirs`` (with the system's rules and
    aliases, ``conf.d``, so that "sans-serif" still means a sans-serif font)."""
    conf = tmp_path / "fonts.conf"
    conf.write_text('<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
                    + '<include ignore_missing="yes">/etc/fonts/conf.d</include>'
                    + "".join(f"<dir>{d}</dir>" for d in font_dirs)
                    + f"<cachedir>{tmp_path / 'fc-cache'}</cachedir></fontconfig>", encoding="utf-8")
    code = ("import sys\nfrom pathlib import Path\nfrom pressdx.publishing.report.pdf import PdfError, html_to_pdf\n"
            "try:\n    html_to_pdf(Path(sys.argv[1]), Path(sys.argv[2]))\n"
            "except PdfError as e:\n    print(e, file=sys.stderr)\n    sys.exit(1)\n")
    env = {**os.environ, "FONTCONFIG_FILE": str(conf)}
    return subprocess.run([sys.executable, "-c", code, str(page), str(out)], env=env, capture_output=True,
                          text=True, timeout=300, check=False)


def test_without_noto_sans_the_page_falls_back_to_dejavu_sans(page, tmp_path):
    dejavu = DEJAVU
    if not (dejavu / "DejaVuSans.ttf").exists():
        pytest.fail(f"DejaVu Sans is not installed (apt-get install fonts-dejavu-core): no {dejavu}")
    res = _child(page, tmp_path / "report.pdf", [dejavu], tmp_path)
    assert res.returncode == 0, res.stderr
    fonts = _fonts(tmp_path / "report.pdf")
    assert fonts and all(n.startswith("DejaVuSans") for n in fonts), fonts
    assert NAME in _text(tmp_path / "report.pdf", 1)  # every diacritic still there


def test_with_no_font_at_all_the_engine_says_so_in_one_line(page, tmp_path):
    empty = tmp_path / "no-fonts"
    empty.mkdir()
    res = _child(page, tmp_path / "report.pdf", [empty], tmp_path)
    assert res.returncode == 1, (res.returncode, res.stderr)  # not a crash of Pango (SIGSEGV)
    assert res.stderr.strip() == "no font is installed for the PDF: apt-get install fonts-noto-core fonts-dejavu-core"
    assert not (tmp_path / "report.pdf").exists()
