"""The web portal in a real browser (Debian's chromium driven by Playwright; no browser download).

One module-wide portal on a sample warehouse (scale 0.05, built through 2025-Q4), served by uvicorn
on 127.0.0.1 on a free port. Clerks of CBC and PTTH, a Press Department user and an auditor.
Screenshots of every page (vi and en, desktop and phone) go to /tmp/portal-shots.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import threading
import time
from pathlib import Path

import httpx
import pytest

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("portal")]

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = Path(os.environ.get("PRESSDX_PORTAL_SHOTS", "/tmp/portal-shots"))
PASSWORD = "correct horse battery staple"
USERS = {"cbc": ("clerk", "CBC"), "ptth": ("clerk", "PTTH"), "press": ("press_department", None),
         "audit": ("auditor", None), "victim": ("clerk", "ATTT")}
LIMIT = 1024 * 1024  # max_file_bytes in the module's sources.yml


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def portal(tmp_path_factory):
    import uvicorn

    from pressdx.jobs.run import run
    from pressdx.sample.generator import generate
    from pressdx.warehouse.connection import WarehouseURL
    from pressdx.web import accounts
    from pressdx.web.app import create_app
    from pressdx.web.config import PortalSettings

    root = tmp_path_factory.mktemp("portal")
    old = os.environ.get("PRESSDX_DATA_DIR")
    os.environ["PRESSDX_DATA_DIR"] = str(root / "data")
    sample = root / "sample"
    generate(sample, scale=0.05, through="2025-Q4")
    sources = sample / "sources.yml"
    sources.write_text(sources.read_text(encoding="utf-8") + f"limits:\n  max_file_bytes: {LIMIT}\n",
                       encoding="utf-8")
    url = f"duckdb:///{root / 'w.duckdb'}"
    run(sources, url, "2025-Q4")
    for name, (role, unit) in USERS.items():
        accounts.add(url, name, role, unit, PASSWORD)
    settings = PortalSettings(url=WarehouseURL.parse(url), secret="s" * 48, sources=sources, data=root / "data",
                              ip_failures=10_000)
    app = create_app(settings)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield {"base": f"http://127.0.0.1:{port}", "app": app, "url": url, "sample": sample, "root": root}
    server.should_exit = True
    thread.join(10)
    if old is None:
        os.environ.pop("PRESSDX_DATA_DIR", None)
    else:
        os.environ["PRESSDX_DATA_DIR"] = old


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (/usr/bin/chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), headless=True)
        yield b
        b.close()


def login(browser, portal, user: str, password: str = PASSWORD, *, width: int = 1280, lang: str = "vi"):
    ctx = browser.new_context(viewport={"width": width, "height": 900}, base_url=portal["base"])
    page = ctx.new_page()
    page.goto("/login")
    if lang == "en":
        page.click("a.lang")
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    return page


def client_of(page) -> tuple[httpx.Client, str]:
    """An HTTP client with the page's session cookie, and the session's CSRF token."""
    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    c = httpx.Client(base_url=page.url.split("/", 3)[0] + "//" + page.url.split("/", 3)[2], cookies=cookies,
                     follow_redirects=False, timeout=60)
    token = re.search(r'name="csrf_token" value="([0-9a-f]+)"', c.get("/login").text).group(1)
    return c, token


def test_clerk_logs_in_to_their_unit(browser, portal):
    page = login(browser, portal, "cbc")
    assert page.url.endswith("/units/CBC")
    assert "Lịch nộp báo cáo · CBC" in page.inner_text("h1")
    assert page.locator("#expected tbody tr").count() > 0, "the unit's expected submissions are listed"
    assert page.locator("#versions tbody tr").count() > 0, "with every received version"
    hrefs = page.locator("ul.templates a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    assert any("agency_register.xlsx" in h for h in hrefs)
    with page.expect_download() as dl:
        page.click("ul.templates a >> nth=0")
    assert Path(dl.value.path()).read_bytes()[:2] == b"PK"
    cookie = next(c for c in page.context.cookies() if c["name"] == "pressdx_session")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"
    page.context.close()


def test_bad_file_shows_its_errors_row_by_row(browser, portal, tmp_path):
    bad = next(portal["sample"].glob("inbox/CBC/*/rejects_type_agency_dx_status.csv"))
    page = login(browser, portal, "cbc")
    page.goto("/units/CBC/upload")
    page.set_input_files("input[type=file]", str(bad))
    page.click("#check")
    report = page.inner_text("#report")
    assert "Bị từ chối" in report and "BỊ TỪ CHỐI" in report and "REJECTED" in report
    rows = page.locator("#findings tbody tr").evaluate_all(
        "els => els.map(e => Array.from(e.cells).map(c => c.innerText))")
    assert any(r[1] == "21" and r[2] == "converged_newsroom" and r[3] == "x" for r in rows), rows
    assert "không đúng kiểu" in report and "has the wrong type" in report, "both languages"
    assert page.locator("#submit").count() == 0, "a rejected file cannot be submitted"
    page.context.close()


def test_good_file_accepted_after_take_in(browser, portal, tmp_path):
    src = next(portal["sample"].glob("inbox/PTTH/2025-Q3/platform_stage.csv")).read_text(encoding="utf-8")
    good = tmp_path / "platform_stage_2025Q4.csv"
    good.write_text(src.replace("2025-Q3", "2025-Q4").replace("87/BC", "112/BC"), encoding="utf-8")
    page = login(browser, portal, "ptth")
    page.goto("/units/PTTH/upload")
    page.set_input_files("input[type=file]", str(good))
    page.click("#check")
    assert "HỢP LỆ" in page.inner_text("#report")
    page.click("#submit")
    done = page.inner_text("#submitted")
    assert "Đã nộp" in done
    sha = page.inner_text("dl.facts code")
    stored = list((portal["root"] / "data" / "portal" / "PTTH").glob("*platform_stage_2025Q4.csv"))
    assert len(stored) == 1 and not list(stored[0].parent.glob(".upload-*"))
    page.goto("/units/PTTH")
    assert "Chờ tiếp nhận" in page.inner_text("#versions")

    press = login(browser, portal, "press")
    press.goto("/intake")
    press.click("#take-in")
    portal["app"].state.portal.job.wait(600)
    press.goto("/intake")
    assert "1 được nhận" in press.inner_text("#job"), press.inner_text("#job")
    page.goto("/units/PTTH")
    row = page.locator("#versions tbody tr", has_text=stored[0].name)
    assert "Được tiếp nhận" in row.inner_text()
    assert sha[:12] in row.inner_text()
    mtime = stored[0].stat().st_mtime
    from pressdx.warehouse.connection import connect

    with connect(portal["url"]) as wh:
        got = wh.query("select received_at, sha256, source_name from raw.submissions where path = ?",
                       (stored[0].name,))
    assert got and got[0][1] == sha and got[0][2] == "PTTH:portal"
    assert abs(got[0][0].timestamp() - mtime) < 1e-3, "the receive time is the server's, kept as the mtime"
    page.context.close()
    press.context.close()


def _routes(app):
    from fastapi.routing import APIRoute

    return [(m, r.path) for r in app.routes if isinstance(r, APIRoute) for m in sorted(r.methods)]


PUBLIC = {"/", "/login", "/logout", "/lang/{lang}", "/healthz"}


def _fill(path: str, unit: str) -> str:
    return (path.replace("{unit}", unit).replace("{event_id}", "0" * 32).replace("{dataset}", "agency_register")
            .replace("{indicator}", "I1").replace("{period}", "2025-Q4"))


def test_every_route_is_classified(portal):
    for _, path in _routes(portal["app"]):
        assert path in PUBLIC or "{unit}" in path or path in ("/dashboard", "/units", "/intake") \
            or path.startswith("/trace/"), f"route {path}: add it to the access test"


def test_clerk_of_one_unit_denied_every_other_units_route(browser, portal):
    page = login(browser, portal, "cbc")
    c, token = client_of(page)
    checked = 0
    for method, path in _routes(portal["app"]):
        if path in PUBLIC:
            continue
        target = _fill(path, "PTTH")
        data = {"csrf_token": token, "token": "0" * 32}
        r = c.request(method, target, data=data if method == "POST" else None,
                      files={"file": ("x.csv", b"unit_code\nPTTH\n")} if target.endswith("/upload") and method == "POST"
                      else None)
        assert r.status_code == 403, (method, target, r.status_code)
        assert "không có quyền" in r.text, "refused for the unit, not for a missing token"
        checked += 1
        if "{unit}" in path:  # the same route on the clerk's own unit is not refused
            own = c.request(method, _fill(path, "CBC"), data=data if method == "POST" else None,
                            files={"file": ("x.csv", b"unit_code\nCBC\n")} if path.endswith("/upload") and
                            method == "POST" else None)
            assert own.status_code != 403, (method, path, own.status_code)
    assert checked >= 10
    page.context.close()


def test_auditor_reads_everything_and_changes_nothing(browser, portal):
    page = login(browser, portal, "audit")
    c, token = client_of(page)
    for path in ("/dashboard", "/units", "/units/CBC", "/units/PTTH", "/intake"):
        assert c.get(path).status_code == 200, path
    assert c.get("/units/CBC/upload").status_code == 403
    assert c.post("/units/CBC/upload", data={"csrf_token": token}).status_code == 403
    assert c.post("/intake", data={"csrf_token": token}).status_code == 403
    page.context.close()


def test_forms_without_csrf_token_are_refused(browser, portal):
    page = login(browser, portal, "cbc")
    c, _ = client_of(page)
    staging = portal["root"] / "data" / "portal" / ".staging" / "CBC"
    before = set(staging.glob("*")) if staging.exists() else set()
    r = c.post("/units/CBC/upload", files={"file": ("a.csv", b"unit_code,dataset\nCBC,x\n")})
    assert r.status_code == 403 and "Biểu mẫu đã hết hạn" in r.text
    assert (set(staging.glob("*")) if staging.exists() else set()) == before, "nothing staged"
    assert c.post("/units/CBC/submit", data={"token": "0" * 32}).status_code == 403
    assert c.post("/logout", data={}).status_code == 403
    assert c.post("/login", data={"username": "cbc", "password": PASSWORD}).status_code == 403
    assert c.post("/units/CBC/upload", data={"csrf_token": "f" * 64},
                  files={"file": ("a.csv", b"x")}).status_code == 403, "a wrong token is no token"
    page.context.close()


def test_upload_over_the_limit_is_refused_while_streaming(browser, portal):
    page = login(browser, portal, "cbc")
    c, token = client_of(page)
    big = b"unit_code,dataset\n" + b"CBC,agency_register\n" * (LIMIT // 20 + 10)
    r = c.post("/units/CBC/upload", data={"csrf_token": token}, files={"file": ("big.csv", big)})
    assert r.status_code == 413 and "1 MiB" in r.text

    def chunks():  # no Content-Length: the cap must hold while reading
        boundary = b"--b0undary"
        yield boundary + b'\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n' + token.encode() + b"\r\n"
        yield boundary + b'\r\nContent-Disposition: form-data; name="file"; filename="big.csv"\r\n\r\n'
        for _ in range(LIMIT // 65536 + 20):
            yield b"x" * 65536
        yield b"\r\n" + boundary + b"--\r\n"

    r = c.post("/units/CBC/upload", content=chunks(),
               headers={"Content-Type": "multipart/form-data; boundary=b0undary"})
    assert r.status_code == 413
    page.context.close()


def test_dashboard_shows_every_indicator(browser, portal):
    from pressdx.figures.kpi import kpi
    from pressdx.warehouse.connection import WarehouseURL

    codes = [i["indicator_code"] for i in kpi(WarehouseURL.parse(portal["url"]), 2025)["indicators"]]
    assert len(codes) >= 8
    page = login(browser, portal, "press")
    assert page.url.endswith("/dashboard")
    page.goto("/dashboard?year=2025")
    shown = page.locator("#indicators tbody tr").evaluate_all("els => els.map(e => e.dataset.indicator)")
    assert shown == codes
    svg = page.inner_html("figure.chart")
    assert "<svg" in svg and all(c in svg for c in codes if not c.startswith("I8"))
    assert page.locator("#grid tbody tr").count() >= 10, "the unit × period grid"
    assert page.locator("#rejections tbody tr").count() >= 1, "the planted rejects await follow-up"
    page.click("#indicators a >> nth=0")
    assert re.search(r"/trace/I\w+/2025-Q4", page.url)
    assert "Truy vết" in page.inner_text("h1")
    page.context.close()


def test_wrong_passwords_are_rate_limited(browser, portal):
    for _ in range(5):
        page = login(browser, portal, "victim", "wrong password!")
        assert "Sai tên đăng nhập hoặc mật khẩu" in page.inner_text("[role=alert]")
        page.context.close()
    page = login(browser, portal, "victim")  # the right password, too late
    assert "Quá nhiều lần đăng nhập sai" in page.inner_text("[role=alert]")
    assert "/login" in page.url
    page.context.close()
    from pressdx.warehouse.connection import connect

    with connect(portal["url"]) as wh:
        kinds = dict(wh.query("select outcome, count(*) from audit.portal_events where kind = 'login' "
                              "and username = 'victim' group by outcome"))
    assert kinds == {"failure": 5, "refused_rate_limited": 1}


def test_screenshots_of_every_page(browser, portal):
    if SHOTS.exists():
        shutil.rmtree(SHOTS)
    SHOTS.mkdir(parents=True)
    pages = {"cbc": ["/units/CBC", "/units/CBC/upload"], "press": ["/dashboard", "/units", "/intake",
                                                                   "/trace/I1/2025-Q4", "/units/PTTH"]}
    for lang in ("vi", "en"):
        for width, label in ((1280, "desktop"), (390, "phone")):
            anon = browser.new_context(viewport={"width": width, "height": 900}, base_url=portal["base"])
            p = anon.new_page()
            p.goto(f"/lang/{lang}?next=/login")
            p.screenshot(path=str(SHOTS / f"login-{lang}-{label}.png"), full_page=True)
            anon.close()
            for user, paths in pages.items():
                page = login(browser, portal, user, width=width, lang=lang)
                for path in paths:
                    page.goto(path)
                    name = path.strip("/").replace("/", "_")
                    page.screenshot(path=str(SHOTS / f"{name}-{lang}-{label}.png"), full_page=True)
                if user == "cbc":
                    bad = next(portal["sample"].glob("inbox/CBC/*/rejects_type_agency_dx_status.csv"))
                    page.goto("/units/CBC/upload")
                    page.set_input_files("input[type=file]", str(bad))
                    page.click("#check")
                    page.screenshot(path=str(SHOTS / f"upload-report-{lang}-{label}.png"), full_page=True)
                    page.goto("/units/CBC")
                    page.click("#versions a >> nth=0")
                    page.screenshot(path=str(SHOTS / f"event-{lang}-{label}.png"), full_page=True)
                page.context.close()
    assert len(list(SHOTS.glob("*.png"))) >= 40
