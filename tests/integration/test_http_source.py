"""HTTP unit sources against a real HTTP server on 127.0.0.1: paging, cursor, token, retries, bad elements."""

from __future__ import annotations

import base64
import io
import json
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
from openpyxl import Workbook

from ingest.parsing import Rejected, parse
from ingest.sources import Source, pull
from ingest.sources.cursor import load_cursor, save_cursor
from ingest.sources.fetch import SourceProtocolError, SourceRefused, SourceUnavailable
from ingest.sources.http import pull_http
from pressdx.settings import ConfigError

TOKEN = "s3cr3t-T0KEN-never-shown"
ENV = "PRESSDX_TEST_HTTP_TOKEN"
FAST = {"attempts": 3, "backoff": 0.01, "max_backoff": 0.02, "timeout": 2.0}


def doc(n: int) -> dict:
    return {"unit_code": "ATTT", "dataset": "agency_security", "period": "2024-Q2", "status": "official",
            "commentary": f"lần {n}", "rows": [{"agency_code": f"A{n:03d}", "security_level": 3}]}


def element(n: int) -> dict:
    return {"submission_id": f"s{n}", "received_at": f"2024-07-0{1 + n % 9}T08:00:00+07:00", "document": doc(n)}


@dataclass
class Plan:
    """What the test server serves; handlers read it under ``lock``."""

    items: list = field(default_factory=list)
    page_size: int = 2
    eager_null: bool = False  # next = null on the page that reaches the end (else only on an empty page)
    fail: list = field(default_factory=list)  # (status, headers) answered before serving pages, one per request
    delay: float = 0.0
    body: bytes | None = None  # a fixed 200 body instead of pages
    repeat_cursor: bool = False
    requests: list = field(default_factory=list)  # (after, authorization header, full query)
    lock: threading.Lock = field(default_factory=threading.Lock)


class Handler(BaseHTTPRequestHandler):
    plan: Plan

    def log_message(self, *args) -> None:  # keep the test output clean
        pass

    def _send(self, status: int, body: bytes, headers: dict | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        plan = self.server.plan
        query = parse_qs(urlsplit(self.path).query)
        after = query.get("after", [None])[0]
        with plan.lock:
            plan.requests.append((after, self.headers.get("Authorization"), query))
            failure = plan.fail.pop(0) if plan.fail else None
        if plan.delay:
            time.sleep(plan.delay)
        if self.headers.get("Authorization") != f"Bearer {TOKEN}":
            return self._send(401, b'{"error": "bad token"}')
        if failure:
            status, headers = failure
            return self._send(status, b'{"error": "busy"}', headers)
        if plan.body is not None:
            return self._send(200, plan.body)
        with plan.lock:
            start = int(after) if after else 0
            page = plan.items[start:start + plan.page_size]
            end = start + len(page)
            if plan.repeat_cursor:
                nxt = "0"
            elif not page or (plan.eager_null and end >= len(plan.items)):
                nxt = None
            else:
                nxt = str(end)
        self._send(200, json.dumps({"submissions": page, "next": nxt}).encode())


@pytest.fixture
def server(monkeypatch):
    for var in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv(ENV, TOKEN)
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.plan = Plan()
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    httpd.url = f"http://127.0.0.1:{httpd.server_address[1]}/attt/submissions"
    yield httpd
    httpd.shutdown()
    httpd.server_close()
    thread.join(5)


def source(url: str) -> Source:
    return Source("ATTT:api", "ATTT", "http", url=url, token_env=ENV)


# -- paging and the cursor ---------------------------------------------------------------------------------
def test_pages_until_next_is_null_and_returns_the_cursor(server):
    server.plan.items = [element(n) for n in range(6)]
    server.plan.eager_null = True
    state: dict = {}
    got = pull_http(source(server.url), state, **FAST)
    assert [i.path for i in got] == [f"s{n}/document.json" for n in range(6)]
    assert [r[0] for r in server.plan.requests] == [None, "2", "4"]  # no `after` on the first call; 3 pages
    assert all(r[1] == f"Bearer {TOKEN}" for r in server.plan.requests)
    assert state["cursor"] == "4" and state["pages"] == 3 and state["problems"] == []
    # the document travels as canonical JSON, named so the JSON parser takes it, received time with its offset
    first = got[0]
    assert first.data == json.dumps(doc(0), ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
    assert parse(first.path.rsplit("/", 1)[1], first.data).encoding == "json"
    assert first.received_at.isoformat() == "2024-07-01T01:00:00+00:00"
    assert first.source.unit_code == "ATTT"


def test_second_pull_with_the_saved_cursor_returns_only_new_items(server):
    server.plan.items = [element(n) for n in range(5)]
    state: dict = {"cursor": None}
    assert len(pull_http(source(server.url), state, **FAST)) == 5
    assert state["cursor"] == "5"  # the server's last non-null `next`
    server.plan.items += [element(5), element(6)]
    server.plan.requests.clear()
    again = pull_http(source(server.url), state, **FAST)
    assert [i.path for i in again] == ["s5/document.json", "s6/document.json"]
    assert server.plan.requests[0][0] == "5" and state["cursor"] == "7"
    server.plan.requests.clear()
    assert pull_http(source(server.url), state, **FAST) == [] and state["cursor"] == "7"  # nothing new


def test_a_server_that_ends_with_null_is_pulled_again_from_its_last_page(server):
    """At least once: without a cursor for the end, the last page comes again and intake skips it by hash."""
    server.plan.items = [element(n) for n in range(3)]
    server.plan.eager_null = True
    state: dict = {}
    pull_http(source(server.url), state, **FAST)
    assert state["cursor"] == "2"
    server.plan.items.append(element(3))
    again = pull_http(source(server.url), state, **FAST)
    assert [i.path for i in again] == ["s2/document.json", "s3/document.json"]


def test_the_sources_dispatcher_and_a_url_with_a_query(server):
    server.plan.items = [element(1)]
    state: dict = {}
    got = list(pull(source(server.url + "?unit=ATTT"), state))
    assert [i.path for i in got] == ["s1/document.json"]
    assert server.plan.requests[-1][2] == {"unit": ["ATTT"], "after": ["1"]}


def test_an_empty_page_that_repeats_the_cursor_ends_the_pull(server):
    server.plan.body = b'{"submissions": [], "next": "c9"}'
    state = {"cursor": "c9"}
    assert pull_http(source(server.url), state, **FAST) == [] and state["cursor"] == "c9"
    assert len(server.plan.requests) == 1


def test_a_cursor_sent_again_is_an_error_not_an_endless_loop(server):
    server.plan.items = [element(1)]
    server.plan.repeat_cursor = True
    with pytest.raises(SourceProtocolError, match="cursor '0' again"):
        pull_http(source(server.url), {}, **FAST)


# -- the token -------------------------------------------------------------------------------------------------
def test_a_refused_token_is_a_clear_error_without_the_token(server, monkeypatch):
    monkeypatch.setenv(ENV, "wrong-token-value")
    with pytest.raises(SourceRefused) as e:
        pull_http(source(server.url), {}, **FAST)
    msg = str(e.value)
    assert msg == f"source ATTT:api: the bearer token in ${ENV} was refused (HTTP 401)"
    assert "wrong-token-value" not in msg and TOKEN not in msg
    assert len(server.plan.requests) == 1  # not retried


def test_403_is_refused_too(server):
    server.plan.fail = [(403, {})]
    with pytest.raises(SourceRefused, match=r"\(HTTP 403\)"):
        pull_http(source(server.url), {}, **FAST)


def test_a_missing_token_variable_is_a_config_error_naming_it(server, monkeypatch):
    monkeypatch.delenv(ENV)
    with pytest.raises(ConfigError, match=ENV):
        pull_http(source(server.url), {}, **FAST)
    assert server.plan.requests == []
    with pytest.raises(ConfigError, match="token_env"):
        pull_http(Source("X", "ATTT", "http", url=server.url), {}, **FAST)


def test_plain_http_is_refused_except_to_this_machine(server):
    with pytest.raises(ConfigError, match="must start with https://") as e:
        pull_http(source("http://reports.example.gov.vn/attt/submissions"), {}, **FAST)
    assert TOKEN not in str(e.value)
    server.plan.items = [element(1)]
    assert len(pull_http(source(server.url.replace("127.0.0.1", "localhost")), {}, **FAST)) == 1


# -- retries ---------------------------------------------------------------------------------------------------
def test_503_twice_then_200_succeeds(server):
    server.plan.items = [element(1)]
    server.plan.fail = [(503, {}), (503, {})]
    state: dict = {}
    got = pull_http(source(server.url), state, **FAST)
    assert [i.path for i in got] == ["s1/document.json"]
    assert len(server.plan.requests) == 4  # 503, 503, page 1, the empty last page
    assert state["requests"] == 4


def test_a_source_that_stays_down_raises_source_unavailable_after_n_attempts(server):
    server.plan.fail = [(503, {})] * 10
    waits: list[float] = []
    with pytest.raises(SourceUnavailable) as e:
        pull_http(source(server.url), {}, attempts=4, backoff=0.01, max_backoff=0.03, sleep=waits.append)
    assert len(server.plan.requests) == 4
    assert waits == [0.01, 0.02, 0.03]  # doubling, capped
    assert "after 4 attempt(s) (last: HTTP 503)" in str(e.value) and TOKEN not in str(e.value)


def test_retry_after_is_respected_when_small_and_gives_up_when_large(server):
    server.plan.items = [element(1)]
    server.plan.fail = [(429, {"Retry-After": "2"})]
    waits: list[float] = []
    assert len(pull_http(source(server.url), {}, **FAST, sleep=waits.append)) == 1
    assert waits == [2.0]
    server.plan.requests.clear()
    server.plan.fail = [(503, {"Retry-After": "3600"})]
    with pytest.raises(SourceUnavailable, match="retry after 3600 s"):
        pull_http(source(server.url), {}, **FAST, sleep=waits.append)
    assert len(server.plan.requests) == 1


def test_retries_never_wait_past_the_time_a_page_may_take(server):
    """A wait that would end after ``total_timeout`` (from the first request) is not started: retries do not
    extend the deadline."""
    server.plan.fail = [(429, {"Retry-After": "2"})] * 3
    waits: list[float] = []
    with pytest.raises(SourceUnavailable, match=r"after 1 attempt\(s\) \(last: HTTP 429\)"):
        pull_http(source(server.url), {}, **FAST, total_timeout=1.0, sleep=waits.append)
    assert waits == [] and len(server.plan.requests) == 1


def test_connection_refused_and_timeouts_are_retried(server):
    with socket.socket() as s:  # a loopback port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(SourceUnavailable, match=r"after 3 attempt\(s\) \(last: ConnectError"):
        pull_http(source(f"http://127.0.0.1:{port}/x"), {}, **FAST)
    server.plan.delay = 0.3
    t0 = time.monotonic()
    with pytest.raises(SourceUnavailable, match="ReadTimeout"):
        pull_http(source(server.url), {}, attempts=2, backoff=0.01, timeout=0.1)
    assert len(server.plan.requests) == 2 and time.monotonic() - t0 < 2


# -- answers that are not the protocol's -------------------------------------------------------------------------
@pytest.mark.parametrize("body, reason", [
    (b"<html>maintenance</html>", "the answer is not JSON"),
    (b'["s1"]', "is a JSON list, not an object"),
    (b'{"next": null}', "no 'submissions' list"),
    (b'{"submissions": []}', "no 'next'"),
    (b'{"submissions": [], "next": {"a": 1}}', "'next' is a dict"),
])
def test_an_answer_of_the_wrong_shape_is_a_one_line_error(server, body, reason):
    server.plan.body = body
    with pytest.raises(SourceProtocolError) as e:
        pull_http(source(server.url), {}, **FAST)
    assert reason in str(e.value) and "\n" not in str(e.value) and str(e.value).startswith("source ATTT:api: ")
    assert len(server.plan.requests) == 1


def test_404_is_not_retried(server):
    server.plan.fail = [(404, {})]
    with pytest.raises(SourceProtocolError, match="HTTP 404; check the url"):
        pull_http(source(server.url), {}, **FAST)
    assert len(server.plan.requests) == 1


# -- files and malformed elements --------------------------------------------------------------------------------
def xlsx_bytes() -> bytes:
    wb = Workbook()
    meta = wb.active
    meta.title = "meta"
    for row in [("unit_code", "ATTT"), ("dataset", "agency_security"), ("period", "2024-Q2"), ("status", "official")]:
        meta.append(row)
    data = wb.create_sheet("data")
    data.append(["agency_code", "security_level"])
    data.append(["A001", 3])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_a_base64_xlsx_file_element(server):
    content = xlsx_bytes()
    server.plan.items = [{"submission_id": "f-1", "received_at": "2024-07-02T09:30:00Z",
                          "file": {"name": "bao-cao Q2.xlsx", "content_base64": base64.b64encode(content).decode()}}]
    state: dict = {}
    [got] = pull_http(source(server.url), state, **FAST)
    assert got.path == "f-1/bao-cao Q2.xlsx" and got.data == content
    parsed = parse("bao-cao Q2.xlsx", got.data)
    assert parsed.encoding == "xlsx" and parsed.meta["unit_code"] == "ATTT"
    assert state["problems"] == []


def test_malformed_elements_do_not_stop_the_pull(server):
    good = element(1)
    server.plan.page_size = 20
    server.plan.items = [
        {"submission_id": "b64", "received_at": "2024-07-02T09:30:00+07:00",
         "file": {"name": "x.xlsx", "content_base64": "not base64 at all!"}},
        {"submission_id": "listdoc", "received_at": "2024-07-02T09:30:00+07:00", "document": [1, 2]},
        {"submission_id": "naive", "received_at": "2024-07-02T09:30:00", "document": doc(2)},
        {"received_at": "2024-07-02T09:30:00+07:00", "document": doc(3)},
        "just a string",
        {"submission_id": "both", "received_at": "2024-07-02T09:30:00+07:00", "document": doc(4),
         "file": {"name": "y.csv", "content_base64": ""}},
        {"submission_id": "noname", "received_at": "2024-07-02T09:30:00+07:00", "file": {"content_base64": "QQ=="}},
        good,
        {"submission_id": "surrogate", "received_at": "2024-07-02T09:30:00+07:00", "document": {"x": "\ud800"}},
    ]
    state: dict = {}
    got = pull_http(source(server.url), state, **FAST)
    by_path = {i.path: i for i in got}
    assert list(by_path) == ["b64/x.xlsx", "listdoc/document.json", "s1/document.json", "surrogate/document.json"]
    # handed to intake with the bytes as received: intake rejects them through the normal path
    assert by_path["b64/x.xlsx"].data == b"not base64 at all!"
    for path, rule in [("b64/x.xlsx", "unreadable"), ("listdoc/document.json", "unreadable"),
                       ("surrogate/document.json", "encoding")]:
        with pytest.raises(Rejected) as e:
            parse(path.rsplit("/", 1)[1], by_path[path].data)
        assert e.value.findings[0].rule == rule
    problems = "\n".join(state["problems"])
    assert len(state["problems"]) == 7
    assert "(b64) (b64)" not in problems
    for text in ["(b64) handed to intake as received: file.content_base64 is not valid base64",
                 "(listdoc) handed to intake as received: document is list",
                 "(naive) skipped: received_at '2024-07-02T09:30:00' has no UTC offset",
                 "element 4 skipped: submission_id is missing",
                 "element 5 skipped: not an object but str",
                 "(both) skipped: needs exactly one of 'document' and 'file'",
                 "(noname) skipped: file.name is missing"]:
        assert text in problems
    assert state["cursor"] == "9"


# -- the cursor in the warehouse --------------------------------------------------------------------------------
def test_cursor_save_and_load_round_trip(wh):
    assert load_cursor(wh, "ATTT:api") is None
    save_cursor(wh, "ATTT:api", "c-41")
    save_cursor(wh, "CBC:api", "x")
    assert load_cursor(wh, "ATTT:api") == "c-41"
    save_cursor(wh, "ATTT:api", "c-42")
    assert load_cursor(wh, "ATTT:api") == "c-42" and load_cursor(wh, "CBC:api") == "x"
    assert wh.query("select count(*) from audit.source_state where source_name = 'ATTT:api'") == [(1,)]
    save_cursor(wh, "ATTT:api", None)
    assert load_cursor(wh, "ATTT:api") is None


def test_pull_then_save_then_pull_again_through_the_warehouse(server, wh):
    """The way pull_all uses it: load, pull, (take in), save; the next run starts after the saved cursor."""
    server.plan.items = [element(n) for n in range(3)]
    src = source(server.url)
    state = {"cursor": load_cursor(wh, src.name)}
    assert len(pull_http(src, state, **FAST)) == 3
    save_cursor(wh, src.name, state["cursor"])
    server.plan.items.append(element(3))
    state = {"cursor": load_cursor(wh, src.name)}
    assert [i.path for i in pull_http(src, state, **FAST)] == ["s3/document.json"]
