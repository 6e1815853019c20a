"""``pressdx report``: the annual Strategy report and the six-month review, from the warehouse alone.

One small sample warehouse (``pressdx.sample.generator`` at scale 0.05, 2023-Q2 … 2024-Q4, taken in and built by
``pressdx.jobs.run.run``) serves the module. The reproducibility test works on a copy of it: take in a
revision, report again with ``--as-of`` the first report's instant (same hash) and without (another hash).
``report.pdf`` is printed by WeasyPrint (a pip package): the PDF tests turn it into PNG pages and text with
poppler (pdftoppm, pdftotext, pdffonts), and one prints it with no browser on ``PATH``. Headless Chromium is
used only where a real browser must open ``report.html``. Without Chromium or poppler those tests skip,
except on CI (``CI=true``) where they fail. The engine itself on small pages: tests/integration/test_pdf.py.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import unicodedata
import zlib
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import pytest

from pressdx.cli import main
from pressdx.domain.calendar import VN_TZ
from pressdx.figures.report import canonical_json
from pressdx.jobs.run import run
from pressdx.publishing.report import collect, write_report
from pressdx.publishing.report.i18n import Fmt
from pressdx.publishing.report.pdf import html_to_pdf
from pressdx.sample.generator import generate
from pressdx.warehouse.connection import Warehouse, WarehouseURL
from tests.pg import on_ci

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("report")]

YEAR = 2024
CODES = ("I1", "I2", "I3", "I4", "I5", "I6", "I7", "I8R", "I8T", "I8E")


CHROMIUMS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def find_chromium() -> str | None:
    """A real browser for the test that opens the page (the PDF needs none): ``$PRESSDX_CHROMIUM`` or PATH."""
    env = os.environ.get("PRESSDX_CHROMIUM")
    if env:
        return shutil.which(env)
    return next((p for p in map(shutil.which, CHROMIUMS) if p), None)


def run_chromium(extra: list[str], timeout: float = 120) -> subprocess.CompletedProcess:
    """Headless Chromium with a fresh profile and no network features (this machine has no network)."""
    with tempfile.TemporaryDirectory(prefix="pressdx-chromium-") as profile:
        return subprocess.run([need("chromium"), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                               "--no-first-run", "--disable-background-networking", "--disable-component-update",
                               "--disable-sync", "--disable-extensions", "--mute-audio", f"--user-data-dir={profile}",
                               *extra], capture_output=True, text=True, timeout=timeout, check=False)


def need(tool: str) -> str:
    """The path of ``tool``; skip when it is missing, fail on CI."""
    path = find_chromium() if tool == "chromium" else shutil.which(tool)
    if path is None:
        msg = f"{tool} is not installed (apt-get install {'chromium' if tool == 'chromium' else 'poppler-utils'})"
        if on_ci():
            pytest.fail(f"{msg}; CI=true: the rendering tests must run")
        pytest.skip(msg)
    return path


@dataclass
class Built:
    root: Path
    url: str
    sources: Path
    names: dict[str, str]  # indicator code -> name_vi, from the warehouse


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Built:
    root = tmp_path_factory.mktemp("report")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PRESSDX_DATA_DIR", str(root / "data"))
        generate(root / "sample", scale=0.05, through="2024-Q4")
        url = f"duckdb:///{root / 'warehouse.duckdb'}"
        run(root / "sample" / "sources.yml", url, "2024-Q4")
    with Warehouse(WarehouseURL.parse(url), read_only=True) as wh:
        names = dict(wh.query("select indicator_code, name_vi from marts.dim_indicator"))
    return Built(root, url, root / "sample" / "sources.yml", names)


@pytest.fixture(scope="module")
def annual_vi(built, tmp_path_factory):
    """The Vietnamese annual report with its PDF (WeasyPrint: no browser needed)."""
    out = tmp_path_factory.mktemp("annual_vi")
    return write_report(built.url, YEAR, out)


def _nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


# -- the files and their figures ----------------------------------------------------------------------


def test_writes_html_and_figures_whose_hash_the_report_records(annual_vi, built):
    figures = annual_vi.figures.read_bytes()
    assert hashlib.sha256(figures).hexdigest() == annual_vi.sha256
    doc = json.loads(figures)
    assert doc["year"] == YEAR and doc["period"] == f"{YEAR}-Q4" and doc["report"] == "annual"
    assert {i["code"] for i in doc["indicators"]} == set(CODES)
    assert datetime.fromisoformat(doc["as_of"]) == annual_vi.as_of
    page = annual_vi.html.read_text(encoding="utf-8")
    assert annual_vi.sha256 in page
    assert annual_vi.as_of.astimezone(VN_TZ).isoformat() in page
    assert "<script" not in page and "http://" not in page.replace("http://www.w3.org/2000/svg", "")
    assert page.count("<svg") >= len(CODES) + 1  # a chart per indicator and the I4 histogram
    assert not annual_vi.missing_marts


def test_figures_agree_with_the_marts(annual_vi, built):
    doc = json.loads(annual_vi.figures.read_bytes())
    with Warehouse(WarehouseURL.parse(built.url), read_only=True) as wh:
        rows = {r["indicator_code"]: r for r in wh.query_dicts(
            "select * from marts.fct_indicator_period where period_code = ?", (f"{YEAR}-Q4",))}
        growth = wh.query("select count(*), count(*) filter (where meets_threshold) "
                          "from marts.fct_agency_revenue_growth where period_code = ? and in_denominator",
                          (f"{YEAR}-Q4",))[0]
    for i in doc["indicators"]:
        r = rows[i["code"]]
        assert i["status"] == r["status"]
        if i["kind"] == "stage":
            assert i["stage"] == r["stage"]
        else:
            assert i["numerator"] == r["numerator"] and i["denominator"] == r["denominator"]
            assert i["value_pct"] == (round(r["value_pct"], 4) if r["value_pct"] is not None else None)
    rg = doc["revenue_growth"]
    i4 = next(i for i in doc["indicators"] if i["code"] == "I4")
    assert (rg["denominator"], rg["meeting"]) == growth == (i4["denominator"], i4["numerator"])
    assert sum(b["count"] for b in rg["bins"]) == rg["complete"]
    assert doc["provenance"]["submissions_used"] == doc["provenance"]["official"] + doc["provenance"]["provisional"]


def test_same_instant_same_hash_and_languages_share_figures(annual_vi, built, tmp_path):
    en = write_report(built.url, YEAR, tmp_path / "en", lang="en", pdf=False)
    assert en.sha256 == annual_vi.sha256  # the language is presentation, not figures
    assert en.figures.read_bytes() == annual_vi.figures.read_bytes()
    page = en.html.read_text(encoding="utf-8")
    assert 'lang="en"' in page and "Implementation report" in page and " pp<" in page.replace("\u00a0", " ")


def test_number_and_date_conventions():
    vi, en = Fmt("vi"), Fmt("en")
    assert vi.pct(56.14) == "56,1\u00a0%" and en.pct(56.14) == "56.1%"
    assert vi.num(1234567) == "1.234.567" and en.num(1234567) == "1,234,567"
    assert vi.date(date(2024, 12, 5)) == "05/12/2024" and en.date(date(2024, 12, 5)) == "5 Dec 2024"
    assert vi.pp(-7.04) == "\u22127,0\u00a0điểm %" and en.pp(12.7) == "+12.7\u00a0pp"
    assert vi.pct(None) == "–" and vi.period("2024-Q2") == "Quý II/2024" and en.period("2024-Q2") == "2024 Q2"
    assert vi.datetime(datetime.fromisoformat("2024-12-04T17:30:00+00:00")) == "05/12/2024 00:30"


def test_vietnamese_page_uses_vietnamese_conventions(annual_vi, built):
    page = _nfc(annual_vi.html.read_text(encoding="utf-8"))
    assert 'lang="vi"' in page and "Báo cáo tình hình thực hiện Chiến lược chuyển đổi số báo chí" in page
    assert "\u00a0%" in page and "Quý IV/2024" in page
    for code in CODES:
        assert f'id="ind-{code}"' in page
        assert html.escape(_nfc(built.names[code]), quote=False) in page


def test_half_year_review_has_q2_figures_against_the_previous_q4_and_the_commentary(built, tmp_path):
    res = write_report(built.url, YEAR, tmp_path, half=True, pdf=False)
    doc = json.loads(res.figures.read_bytes())
    assert doc["report"] == "half" and doc["period"] == f"{YEAR}-Q2" and doc["previous_period"] == f"{YEAR - 1}-Q4"
    assert doc["tasks"] is None and doc["annual_reports"] is None
    assert doc["commentary"] and all(c["submission_id"] for c in doc["commentary"])
    assert all(p <= f"{YEAR}-Q2" for p in doc["periods"])
    with Warehouse(WarehouseURL.parse(built.url), read_only=True) as wh:
        texts = [r[0] for r in wh.query("select commentary from raw.submissions where period = ? "
                                        "and commentary is not null", (f"{YEAR}-Q2",))]
    page = _nfc(html.unescape(res.html.read_text(encoding="utf-8")))
    assert texts and any(_nfc(t) in page for t in texts)
    assert "Báo cáo đánh giá xu hướng 6 tháng đầu năm" in page


def test_a_missing_mart_gives_no_data_not_a_failure(built, tmp_path):
    copy = tmp_path / "warehouse.duckdb"
    shutil.copy(built.root / "warehouse.duckdb", copy)
    url = f"duckdb:///{copy}"
    with Warehouse(WarehouseURL.parse(url)) as wh:
        wh.execute("drop table marts.fct_revenue_growth_summary")  # the I4 distribution's mart
        wh.execute("drop table marts.fct_task_progress")
    res = write_report(url, YEAR, tmp_path / "out", pdf=False)
    assert {"fct_revenue_growth_summary", "fct_task_progress"} <= set(res.missing_marts)
    doc = json.loads(res.figures.read_bytes())
    assert doc["revenue_growth"] is None and doc["tasks"] is None and doc["indicators"]
    page = res.html.read_text(encoding="utf-8")
    assert "fct_revenue_growth_summary" in page and "Chưa có số liệu" in page


def test_cli_errors_are_one_line(built, tmp_path, capsys):
    assert main(["report", "--year", "2022", "--out", str(tmp_path), "--warehouse", built.url]) == 2
    err = capsys.readouterr().err
    assert err.startswith("pressdx: ") and len(err.strip().splitlines()) == 1
    assert main(["report", "--year", "2024", "--as-of", "yesterday", "--out", str(tmp_path),
                 "--warehouse", built.url]) == 2


# -- reproducibility ------------------------------------------------------------------------------------


def _revise_dx_status(wh_url: str, inbox: Path, period: str) -> Path:
    """A revised agency_dx_status for ``period``: every agency now distributes on digital platforms."""
    cols = ("agency_code", "distributes_on_digital_platforms", "uses_domestic_platforms", "uses_data_ai_platform",
            "converged_newsroom", "doing_digital_transformation", "staff_total", "staff_trained")
    with Warehouse(WarehouseURL.parse(wh_url), read_only=True) as wh:
        sid = wh.query("select submission_id from raw.submissions where dataset = 'agency_dx_status' and period = ? "
                       "order by received_at desc limit 1", (period,))[0][0]
        rows = [dict(zip(cols, r, strict=True)) for r in wh.query(
            f"select {', '.join(cols)} from raw.agency_dx_status where submission_id = ? order by row_number", (sid,))]
    for r in rows:
        r["distributes_on_digital_platforms"] = True
    doc = {"unit_code": "CBC", "dataset": "agency_dx_status", "period": period, "status": "official",
           "commentary": "Corrected figures.", "rows": [{k: v for k, v in r.items() if v is not None} for r in rows]}
    path = inbox / "CBC" / period / "agency_dx_status_revision.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")  # received now: after the report
    return path


def test_as_of_the_recorded_instant_regenerates_the_same_figures_after_a_revision(built, tmp_path, capsys,
                                                                                  monkeypatch):
    # a private copy of the warehouse and of the inbox (mtimes kept: they are the received times)
    monkeypatch.setenv("PRESSDX_DATA_DIR", str(tmp_path / "data"))
    shutil.copytree(built.root / "sample", tmp_path / "sample")
    shutil.copy(built.root / "warehouse.duckdb", tmp_path / "warehouse.duckdb")
    url = f"duckdb:///{tmp_path / 'warehouse.duckdb'}"

    # 1. the report as published
    assert main(["report", "--year", str(YEAR), "--out", str(tmp_path / "r1"), "--no-pdf", "--warehouse", url]) == 0
    first = json.loads((tmp_path / "r1" / "figures.json").read_bytes())
    hash1 = hashlib.sha256((tmp_path / "r1" / "figures.json").read_bytes()).hexdigest()
    assert hash1 in capsys.readouterr().out
    recorded = datetime.fromisoformat(first["as_of"])
    assert recorded.isoformat() in (tmp_path / "r1" / "report.html").read_text(encoding="utf-8")

    # 2. a revision arrives and is taken in; the current figures change
    _revise_dx_status(url, tmp_path / "sample" / "inbox", f"{YEAR}-Q4")
    summary = run(tmp_path / "sample" / "sources.yml", url, f"{YEAR}-Q4")
    assert len(summary.intake.accepted) == 1 and not summary.intake.rejected

    # 3. --as-of the recorded instant: the same figures, byte for byte
    assert main(["report", "--year", str(YEAR), "--as-of", first["as_of"], "--out", str(tmp_path / "r2"),
                 "--no-pdf", "--warehouse", url]) == 0
    assert (tmp_path / "r2" / "figures.json").read_bytes() == (tmp_path / "r1" / "figures.json").read_bytes()
    assert hash1 in (tmp_path / "r2" / "report.html").read_text(encoding="utf-8")

    # 4. without --as-of: today's figures, another hash
    assert main(["report", "--year", str(YEAR), "--out", str(tmp_path / "r3"), "--no-pdf", "--warehouse", url]) == 0
    third = json.loads((tmp_path / "r3" / "figures.json").read_bytes())
    assert hashlib.sha256((tmp_path / "r3" / "figures.json").read_bytes()).hexdigest() != hash1
    i1_before, i1_after = ({d["code"]: d for d in doc["indicators"]}["I1"] for doc in (first, third))
    assert i1_after["value_pct"] > i1_before["value_pct"]  # every agency in the revision now distributes
    assert datetime.fromisoformat(third["as_of"]) > recorded
    assert third["provenance"]["superseded"] == first["provenance"]["superseded"] + 1


def test_collect_is_deterministic(built):
    url = WarehouseURL.parse(built.url)
    a, b = collect(url, YEAR), collect(url, YEAR)
    assert canonical_json(a.figures) == canonical_json(b.figures)


@pytest.mark.postgres
def test_postgresql_gives_the_same_figures_as_duckdb(built, pg_url, tmp_path, monkeypatch):
    """Same raw data, same instant: byte-identical figures.json (hence the same hash) on both engines."""
    monkeypatch.setenv("PRESSDX_DATA_DIR", str(tmp_path / "data"))
    run(built.sources, pg_url, f"{YEAR}-Q4")
    instant = datetime.fromisoformat("2025-01-20T00:00:00+07:00")
    duck = write_report(built.url, YEAR, tmp_path / "duckdb", as_of=instant, pdf=False)
    pg = write_report(pg_url, YEAR, tmp_path / "postgres", as_of=instant, pdf=False)
    assert not pg.missing_marts
    assert pg.figures.read_bytes() == duck.figures.read_bytes()
    assert pg.sha256 == duck.sha256


# -- rendering: the page in a real browser (Chromium), the PDF through poppler -----------------------------


def test_html_opens_in_headless_chromium_with_every_indicator(annual_vi, built):
    res = run_chromium(["--dump-dom", annual_vi.html.resolve().as_uri()], timeout=120)
    assert res.returncode == 0, res.stderr[-2000:]
    dom = _nfc(html.unescape(res.stdout))
    assert dom.rstrip().endswith("</html>")
    for code in CODES:
        assert f'id="ind-{code}"' in dom, code
        assert _nfc(built.names[code]) in dom, code
    assert annual_vi.sha256 in dom


def _png_pixels(path: Path) -> tuple[int, int, int, bytes]:
    """Width, height, channels and raw 8-bit samples of a non-interlaced PNG (stdlib only)."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat = 8, bytearray()
    while pos < len(data):
        n = struct.unpack(">I", data[pos:pos + 4])[0]
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + n]
        pos += 12 + n
        if kind == b"IHDR":
            w, h, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and interlace == 0
        elif kind == b"IDAT":
            idat += body
        elif kind == b"IEND":
            break
    ch = {0: 1, 2: 3, 4: 2, 6: 4}[ctype]
    raw, stride = zlib.decompress(bytes(idat)), w * ch
    out, prev, i = bytearray(), bytearray(stride), 0
    for _ in range(h):
        f, line = raw[i], bytearray(raw[i + 1:i + 1 + stride])
        i += 1 + stride
        for x in range(stride):
            a = line[x - ch] if x >= ch else 0
            b, c = prev[x], prev[x - ch] if x >= ch else 0
            if f == 1:
                line[x] = (line[x] + a) & 0xFF
            elif f == 2:
                line[x] = (line[x] + b) & 0xFF
            elif f == 3:
                line[x] = (line[x] + (a + b) // 2) & 0xFF
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 0xFF
        out += line
        prev = line
    return w, h, ch, bytes(out)


def test_every_pdf_page_has_content_and_the_text_is_vietnamese(annual_vi, built, tmp_path):
    pdftoppm = need("pdftoppm")
    assert annual_vi.pdf is not None and annual_vi.pdf.read_bytes()[:5] == b"%PDF-"
    subprocess.run([pdftoppm, "-r", "24", "-png", str(annual_vi.pdf), str(tmp_path / "page")],
                   check=True, timeout=120)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) >= 8
    for page in pages:
        w, h, ch, px = _png_pixels(page)
        assert 0.68 < w / h < 0.74  # A4 portrait
        body = px[: w * ch * int(h * 0.92)]  # above the footer (page numbers)
        grey = body[::ch] if ch < 3 else [min(body[i:i + 3]) for i in range(0, len(body), ch)]
        dark = sum(1 for v in grey if v < 160)
        assert dark > 0.002 * len(grey), f"{page.name} is blank"
    pdftotext = shutil.which("pdftotext")
    if pdftotext:
        text = subprocess.run([pdftotext, "-enc", "UTF-8", str(annual_vi.pdf), "-"], capture_output=True,
                              check=True, timeout=120).stdout.decode("utf-8")
        flat = " ".join(_nfc(text).split())
        assert "Kết quả thực hiện các chỉ tiêu" in flat and "Nguồn gốc số liệu" in flat
        assert " ".join(_nfc(built.names["I1"]).split()) in flat
        fonts = subprocess.run([shutil.which("pdffonts") or "pdffonts", str(annual_vi.pdf)], capture_output=True,
                               text=True, timeout=60).stdout
        names = _font_names(fonts)  # WeasyPrint writes "Noto-Sans-Bold" where Chromium wrote "NotoSans-Bold"
        assert any(n.startswith(("NotoSans", "DejaVuSans")) for n in names), fonts
        # every font is embedded, and is one of the two the CSS names (DejaVu Sans Mono for hashes and codes)
        assert names and all(n.startswith(("NotoSans", "DejaVuSans")) for n in names), fonts
        assert all(line.split()[-5] == "yes" for line in fonts.splitlines()[2:] if line.strip()), fonts


def _font_names(pdffonts_out: str) -> list[str]:
    """The font names pdffonts lists, without the subset tag and without hyphens."""
    return [line.split()[0].split("+", 1)[-1].replace("-", "")
            for line in pdffonts_out.splitlines()[2:] if line.strip()]


def _pdf_text(pdf: Path) -> str:
    out = subprocess.run([need("pdftotext"), "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True,
                         timeout=120).stdout.decode("utf-8")
    return _nfc(out)


def _pdfinfo(pdf: Path) -> dict[str, str]:
    out = subprocess.run([need("pdfinfo"), "-isodates", str(pdf)], capture_output=True, text=True, check=True,
                         timeout=60).stdout
    return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in out.splitlines()) if v}


def test_the_pdf_prints_on_a_machine_without_chromium(built, tmp_path):
    """``make demo``'s last step with no browser anywhere on PATH: the CLI writes a complete report.pdf."""
    bare = tmp_path / "bin"  # a PATH with nothing on it: the entry point's shebang names the venv's Python
    bare.mkdir()
    assert all(shutil.which(c, path=str(bare)) is None for c in CHROMIUMS)
    env = {k: v for k, v in os.environ.items() if k != "PRESSDX_CHROMIUM"}
    env.update(PATH=str(bare), PRESSDX_DATA_DIR=str(tmp_path / "data"), HOME=str(tmp_path))
    out = tmp_path / "report"
    pressdx = Path(sys.executable).with_name("pressdx")
    res = subprocess.run([str(pressdx), "report", "--year", str(YEAR), "--warehouse", built.url, "--out", str(out)],
                         env=env, capture_output=True, text=True, timeout=600, check=False)
    assert res.returncode == 0, res.stderr
    assert "report.pdf" in res.stdout and "Chromium" not in res.stdout + res.stderr
    pdf = out / "report.pdf"
    info = _pdfinfo(pdf)
    assert pdf.read_bytes()[:5] == b"%PDF-" and int(info["Pages"]) > 10, info
    assert info["Producer"].startswith("WeasyPrint"), info
    flat = " ".join(_pdf_text(pdf).split())
    assert "Báo cáo tình hình thực hiện Chiến lược chuyển đổi số báo chí" in flat
    assert "Kết quả thực hiện các chỉ tiêu" in flat and "Nguồn gốc số liệu" in flat
    for code in CODES:
        assert " ".join(_nfc(built.names[code]).split()) in flat, code
    assert f"Trang 1 / {info['Pages']}" in flat and f"Trang {info['Pages']} / {info['Pages']}" in flat


def test_the_same_page_prints_the_same_pdf_dated_at_the_as_of_instant(annual_vi, tmp_path):
    again = html_to_pdf(annual_vi.html, tmp_path / "again.pdf")
    assert again.read_bytes() == annual_vi.pdf.read_bytes()  # no wall-clock time, no random id in the PDF
    info = _pdfinfo(annual_vi.pdf)
    as_of = annual_vi.as_of.replace(microsecond=0)
    assert datetime.fromisoformat(info["CreationDate"]) == as_of, info
    assert datetime.fromisoformat(info["ModDate"]) == as_of, info
