"""The CLI and Airflow faces run the same job steps, so the same inbox gives the same intake and notices.

The CLI path is ``pressdx.jobs.run.run`` (every source pulled in turn, then one take-in). The Airflow path is
what ``pressdx_intake``'s tasks call: ``pressdx.jobs.pull.pull_source`` once per source, its result passed as
JSON (as XCom does), then ``pressdx.jobs.take_in.take_in_pulled``. Each path has its own warehouse and data
folder; what they hold afterwards (raw rows, audit events and messages, landing store, quarantine) and the
rejection notices built for each run must be identical, but for run ids and recording instants.
"""

from __future__ import annotations

import io
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml

from ingest.landing import LandingDamaged, landing_path
from ingest.sources import load_config
from pressdx.jobs import notify
from pressdx.jobs.pull import Pulled, load_cursors, pull_source
from pressdx.jobs.run import run
from pressdx.jobs.take_in import take_in_pulled
from pressdx.sample.generator import generate
from pressdx.warehouse.connection import Warehouse, WarehouseURL

THROUGH = "2025-Q4"


@pytest.fixture(scope="module")
def inbox(tmp_path_factory) -> tuple[Path, dict]:
    """A small sample inbox with its planted rejects, and a source that cannot be pulled."""
    out = tmp_path_factory.mktemp("faces")
    summary = generate(out / "sample", scale=0.05, through=THROUGH)
    sources = out / "sample" / "sources.yml"
    doc = yaml.safe_load(sources.read_text(encoding="utf-8"))
    doc["sources"].append({"name": "BROKEN:inbox", "unit_code": doc["sources"][0]["unit_code"], "kind": "folder",
                           "path": "no-such-folder"})
    sources.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return sources, summary


def cli_path(sources: Path, url: WarehouseURL) -> tuple[str, object]:
    s = run(sources, url.url, THROUGH, build=False)
    return s.run_id, s.intake


def airflow_path(sources: Path, url: WarehouseURL) -> tuple[str, object]:
    cfg = load_config(sources)
    xcom, failed = [], []
    for src in cfg.sources:  # one mapped task per source; a failing one fails alone
        try:
            xcom.append(json.loads(json.dumps(pull_source(cfg, src.name, url).to_dict())))
        except Exception:
            failed.append(src.name)
    taken = take_in_pulled(url, cfg, [Pulled.from_dict(p) for p in xcom], failed=failed)
    assert taken.failed_sources == ["BROKEN:inbox"]
    return taken.run_id, taken.intake


def outcome(result) -> dict:
    def errors(sub) -> list:
        return [(f.rule, f.row, f.column, f.value, f.message_vi, f.message_en) for f in sub.errors]

    return {"accepted": sorted((s.item.source.name, s.item.path, s.sha256, s.meta["dataset"], s.meta["period"],
                                s.meta["status"], len(s.warnings)) for s in result.accepted),
            "rejected": sorted((s.item.source.unit_code, s.item.source.name, s.item.path, s.sha256, errors(s))
                               for s in result.rejected),
            "duplicates": sorted((s.item.source.name, s.item.path) for s in result.duplicates)}


def recorded(url: WarehouseURL) -> dict:
    """What the warehouse holds of the intake, without run ids and recording instants."""
    with Warehouse(url) as wh:
        subs = wh.query("select submission_id, unit_code, dataset, period, status, received_at, sha256, source_name, "
                        "path, row_count, warning_count from raw.submissions order by submission_id")
        events = wh.query("select outcome, source_name, source_unit, path, sha256, received_at, dataset, period, "
                          "status, submission_id, error_count, warning_count from audit.intake_events "
                          "order by source_unit, path, outcome")
        messages = wh.query("select e.source_unit, e.path, m.seq, m.severity, m.rule, m.row_number, m.column_name, "
                            "m.value, m.message_vi, m.message_en from audit.intake_messages m "
                            "join audit.intake_events e using (event_id) order by 1, 2, 3")
        registrations = wh.query("select unit_code, unit_kind, name_vi, name_en, active "
                                 "from raw.unit_registrations order by unit_code")
        runs = wh.query("select accepted, rejected, duplicates, outcome from audit.runs")
    return {"submissions": subs, "events": events, "messages": messages, "registrations": registrations,
            "runs": runs}


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def notices_of(url: WarehouseURL, run_id: str, sources: Path) -> list[dict]:
    out = []
    for n in notify.rejection_notices(url, run_id, load_config(sources)):
        d = json.loads(json.dumps(n.as_dict()).replace(run_id, "<run>"))
        out.append(d)
    return out


def test_the_cli_and_the_airflow_path_take_the_same_inbox_in_alike(inbox, tmp_path, monkeypatch):
    sources, summary = inbox
    got = {}
    for face, path in (("cli", cli_path), ("airflow", airflow_path)):
        monkeypatch.setenv("PRESSDX_DATA_DIR", str(tmp_path / face))
        url = WarehouseURL.parse(f"duckdb:///{tmp_path / face}.duckdb")
        run_id, result = path(sources, url)
        got[face] = {"url": url, "run_id": run_id, "outcome": outcome(result), "recorded": recorded(url),
                     "notices": notices_of(url, run_id, sources), "landing": files(tmp_path / face / "landing"),
                     "quarantine": files(tmp_path / face / "quarantine")}
    cli, af = got["cli"], got["airflow"]
    assert cli["outcome"]["accepted"] and cli["outcome"]["rejected"]  # the sample's rejects are planted
    assert len(cli["outcome"]["rejected"]) == len(summary["rejects"])
    for key in ("outcome", "recorded", "landing", "quarantine", "notices"):
        assert cli[key] == af[key], key
    # every file of the inbox landed, once, under its hash; the rejected ones are also in the quarantine
    hashes = {a[2] for a in cli["outcome"]["accepted"]} | {r[3] for r in cli["outcome"]["rejected"]}
    assert set(cli["landing"]) == {f"{h[:2]}/{h}" for h in hashes}
    assert len(cli["quarantine"]) == 2 * len(cli["outcome"]["rejected"])  # each file and its report

    # one notice per unit with rejected files, to the unit's contact, every rejected file listed
    units = {r["unit_code"] for r in summary["rejects"]}
    notices = cli["notices"]
    assert [n["unit_code"] for n in notices] == sorted(units)
    contacts = {s["unit_code"]: s.get("contact") for s in yaml.safe_load(sources.read_text(encoding="utf-8"))
                ["sources"] if s.get("contact")}
    for n in notices:
        assert n["to"] == [contacts[n["unit_code"]]] and n["unit_code"] in n["subject"]
        assert n["headers"] == {"X-Pressdx-Unit": n["unit_code"], "X-Pressdx-Run": "<run>"}
        mine = [r[2] for r in cli["outcome"]["rejected"] if r[0] == n["unit_code"]]
        assert n["files"] == len(mine) and all(path in n["text"] for path in mine)
        assert "Kính gửi" in n["text"] and "Please correct" in n["text"] and "<" not in n["text"].replace("<run>", "")

    # delivered the same through either sender: a folder of files, or printed
    sent = {}
    for face in ("cli", "airflow"):
        f = got[face]
        notes = notify.rejection_notices(f["url"], f["run_id"], load_config(sources))
        res = notify.deliver(notes, notify.FolderSender(tmp_path / f"sent-{face}"), sent_dir=tmp_path / f"kept-{face}")
        assert [s["unit_code"] for s in res["sent"]] == sorted(units) and res["run_id"] == f["run_id"]
        again = notify.deliver(notes, notify.FolderSender(tmp_path / f"sent-{face}"), sent_dir=tmp_path / f"kept-{face}")
        assert again["sent"] == [] and again["already_sent"] == sorted(units)  # one notice per unit and run
        sent[face] = {k: v.replace(f["run_id"].encode(), b"<run>") for k, v in files(tmp_path / f"sent-{face}").items()}
        buf = io.StringIO()
        notify.deliver(notes, notify.PrintSender(buf))
        assert all(f"Subject: {n.subject}" in buf.getvalue() and n.text in buf.getvalue() for n in notes)
    assert sent["cli"] == sent["airflow"] and len(sent["cli"]) == 2 * len(units)


def test_a_file_damaged_in_the_landing_store_is_never_taken_in(inbox, tmp_path, monkeypatch):
    sources, _ = inbox
    monkeypatch.setenv("PRESSDX_DATA_DIR", str(tmp_path / "data"))
    url = WarehouseURL.parse(f"duckdb:///{tmp_path / 'w.duckdb'}")
    cfg = load_config(sources)
    pulled = pull_source(cfg, cfg.sources[0].name, url)
    assert pulled.items and pulled.to_dict()["items"][0].keys() == {"path", "sha256", "size", "received_at"}
    victim = landing_path(tmp_path / "data", pulled.items[0].sha256)
    victim.write_bytes(victim.read_bytes() + b"\n")
    with pytest.raises(LandingDamaged, match="does not match its hash"):
        take_in_pulled(url, cfg, [pulled])
    with Warehouse(url) as wh:
        assert wh.query("select count(*) from raw.submissions where sha256 = ?", (pulled.items[0].sha256,)) == [(0,)]
    # a damaged file taken out of the store is landed again by the next pull, then taken in
    victim.unlink()
    again = pull_source(cfg, cfg.sources[0].name, url)
    assert again == pulled and landing_path(tmp_path / "data", pulled.items[0].sha256).exists()
    taken = take_in_pulled(url, cfg, [again])
    assert len(taken.intake.accepted) + len(taken.intake.rejected) == len(pulled.items)


def test_a_source_unknown_to_the_sources_file_is_a_config_error(inbox, tmp_path):
    from pressdx.settings import ConfigError

    sources, _ = inbox
    cfg = load_config(sources)
    with pytest.raises(ConfigError, match="no source named 'NOPE'"):
        pull_source(cfg, "NOPE", None, root=tmp_path)


# -- an HTTP source: its cursor is kept only once its files are in -------------------------------------------
class _Pages(BaseHTTPRequestHandler):
    """Serves ``server.items`` two at a time from ``?after=<index>``; remembers each ``after`` asked."""

    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:
        after = parse_qs(urlsplit(self.path).query).get("after", [None])[0]
        self.server.asked.append(after)
        start = int(after) if after else 0
        page = self.server.items[start:start + 2]
        body = json.dumps({"submissions": page, "next": str(start + len(page)) if page else None}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def _element(n: int) -> dict:
    return {"submission_id": f"s{n}", "received_at": f"2024-07-0{1 + n}T08:00:00+07:00",
            "document": {"unit_code": "ATTT", "dataset": "agency_security", "period": "2024-Q2", "status": "official",
                         "rows": [{"agency_code": f"A{n:03d}", "security_level": 3}]}}


@pytest.fixture
def pages(monkeypatch):
    for var in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("PRESSDX_TEST_FACES_TOKEN", "t0ken")
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Pages)
    httpd.items, httpd.asked = [_element(n) for n in range(3)], []
    threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def test_an_http_sources_cursor_moves_on_only_once_its_files_are_taken_in(pages, tmp_path, monkeypatch):
    monkeypatch.setenv("PRESSDX_DATA_DIR", str(tmp_path / "data"))
    sources = tmp_path / "sources.yml"
    sources.write_text(f"sources:\n- {{name: 'ATTT:api', unit_code: ATTT, kind: http, "
                       f"url: 'http://127.0.0.1:{pages.server_address[1]}/s', token_env: PRESSDX_TEST_FACES_TOKEN}}\n",
                       encoding="utf-8")
    cfg = load_config(sources)
    url = WarehouseURL.parse(f"duckdb:///{tmp_path / 'w.duckdb'}")
    first = Pulled.from_dict(json.loads(json.dumps(pull_source(cfg, "ATTT:api", url).to_dict())))
    assert [i.path for i in first.items] == ["s0/document.json", "s1/document.json", "s2/document.json"]
    assert first.has_cursor and first.cursor == "3"
    assert load_cursors(url, cfg) == {"ATTT:api": {"cursor": None}}  # pulled, not yet taken in: not kept
    take_in_pulled(url, cfg, [first])
    assert load_cursors(url, cfg) == {"ATTT:api": {"cursor": "3"}}
    pages.items.append(_element(3))
    pages.asked.clear()
    s = run(sources, url.url, THROUGH, build=False)  # the CLI path starts where the kept cursor says
    assert pages.asked[0] == "3" and s.pulled == 1 and not s.source_errors
    assert load_cursors(url, cfg) == {"ATTT:api": {"cursor": "4"}}
