"""Hostile files, names, folders and HTTP servers (issue 12): whatever comes in ends accepted or rejected.

Every poison file of the issue is a regression test on both engines: it is rejected with the right reason
and the next good file of the same run is still taken in. Then a corpus of hostile file names (0 crashes),
a symlink swapped in after listing, received times that cannot rewrite the past, HTTP limits against a
real loopback server, and peak memory (``resource.getrusage`` in a subprocess) on a 1 GiB sparse file and
on a 20 MiB CSV of tiny rows.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import time
import unicodedata
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import unquote_to_bytes

import pytest
from hostile_http_server import HostileServer

from ingest.intake import take_in
from ingest.parsing import Limits
from ingest.sources import Incoming, Source
from ingest.sources.fetch import SourceProtocolError, SourceUnavailable
from ingest.sources.folder import pull_folder
from ingest.validate_file import check_file

T0 = datetime(2024, 7, 2, 3, 0, tzinfo=UTC)
CBC = Source("CBC:inbox", "CBC", "folder")
HEAD = "unit_code,dataset,period,status"
REGISTER = (f"{HEAD},agency_code,agency_name,agency_kind,governing_body,media_types\n"
            "CBC,agency_register,2024-Q2,official,A001,Báo Một,newspaper,Bộ,print\n")
DX = (f"{HEAD},agency_code,distributes_on_digital_platforms,uses_data_ai_platform,converged_newsroom,"
      "doing_digital_transformation,staff_total,staff_trained\n"
      "CBC,agency_dx_status,2024-Q2,official,A001,có,không,có,có,10,5\n")
REVENUE_CSV = f"{HEAD},agency_code,month,revenue_vnd\nCBC,agency_revenue,2024-Q2,official,A001,2024-05,{{v}}\n"
META = '"unit_code": "CBC", "dataset": "agency_revenue", "period": "2024-Q2", "status": "official"'


def revenue_json(value: str) -> bytes:
    return ('{' + META + ', "rows": [{"agency_code": "A001", "month": "2024-05", "revenue_vnd": ' + value
            + '}]}').encode()


def register_json(name: str) -> bytes:
    return ('{"unit_code": "CBC", "dataset": "agency_register", "period": "2024-Q2", "status": "official", '
            '"rows": [{"agency_code": "A002", "agency_name": "' + name + '", "agency_kind": "magazine", '
            '"governing_body": "Bộ", "media_types": "print"}]}').encode()


# name, bytes, the rule the rejection must carry
POISON = [
    ("revenue.csv", REVENUE_CSV.format(v="99999999999999999999").encode(), "range"),
    ("revenue-e20.json", revenue_json("1e20"), "range"),
    ("revenue-int20.json", revenue_json("100000000000000000000"), "range"),
    ("revenue-5000-digits.json", revenue_json("9" * 5000), "unreadable"),
    ("surrogate.json", register_json("x\\ud800y"), "encoding"),
    ("nul.json", register_json("x\\u0000y"), "encoding"),
    ("nul.csv", REGISTER.replace("Báo Một", "Báo\x00Một").encode(), "encoding"),
    ("x" * 236 + ".csv", DX.replace("có,không", "x,không").encode(), "type"),  # ~240 bytes: a long rejected name
]


def good(minutes: int) -> Incoming:
    return Incoming(CBC, "dx.csv", DX.encode(), T0 + timedelta(minutes=minutes))


def rules(sub) -> set[str]:
    return {f.rule for f in sub.errors}


@pytest.mark.parametrize("name,data,rule", POISON, ids=[p[0][:24] for p in POISON])
def test_a_poison_file_is_rejected_and_the_next_good_file_taken_in(wh, tmp_path, name, data, rule):
    items = [Incoming(CBC, "register.csv", REGISTER.encode(), T0), Incoming(CBC, name, data, T0 + timedelta(minutes=1)),
             good(2)]
    res = take_in(wh, items, run_id="r1", data_root=tmp_path)
    assert [s.item.path for s in res.rejected] == [name]
    assert rule in rules(res.rejected[0]), [f.message_en for f in res.rejected[0].errors]
    assert all(f.message_vi and f.message_en and f.message_vi != f.message_en for f in res.rejected[0].errors)
    assert sorted(s.item.path for s in res.accepted) == ["dx.csv", "register.csv"]
    assert wh.query("select count(*) from raw.agency_dx_status")[0][0] == 1
    # the rejection is recorded, the file quarantined under its hash (the long name is kept in the report)
    sha = hashlib.sha256(data).hexdigest()
    assert wh.query("select outcome, path from audit.intake_events where sha256 = ?", (sha,)) == [("rejected", name)]
    report = json.loads((tmp_path / "quarantine" / "CBC" / f"{sha}.report.json").read_text("utf-8"))
    assert report["original_name"] == name and (tmp_path / "quarantine" / "CBC" / sha).read_bytes() == data


@pytest.mark.parametrize("name,data", [("revenue.csv", POISON[0][1]), ("revenue.json", POISON[1][1])])
def test_validate_says_out_of_range(tmp_path, name, data):
    (tmp_path / "register.csv").write_text(REGISTER, encoding="utf-8")
    (tmp_path / name).write_bytes(data)
    checked = check_file(tmp_path / name, "CBC", registers=[tmp_path / "register.csv"])
    assert not checked.ok and [f.rule for f in checked.sub.errors] == ["range"]
    assert "9.223.372.036.854.775.807" in checked.sub.errors[0].message_vi


def test_an_unexpected_failure_rejects_that_file_only(wh, tmp_path):
    """The last-resort guard: a failure inside one file's parse (raised here through the stage-timer hook)
    rejects that file as ``internal_error``, in plain words in both languages, and the run goes on."""
    from contextlib import contextmanager

    @contextmanager
    def fails_on_json(stage, detail=""):
        if stage == "parse" and detail == ".json":
            raise RuntimeError("boom inside the parser")
        yield

    items = [Incoming(CBC, "register.csv", REGISTER.encode(), T0),
             Incoming(CBC, "register2.json", register_json("Tạp chí"), T0 + timedelta(minutes=1)), good(2)]
    res = take_in(wh, items, run_id="r1", data_root=tmp_path, timer=fails_on_json)
    assert [s.item.path for s in res.rejected] == ["register2.json"]
    (err,) = res.rejected[0].errors
    assert err.rule == "internal_error" and "boom" not in err.message_en and "RuntimeError" not in err.message_en
    assert "internal error" in err.message_en and "lỗi nội bộ" in err.message_vi
    assert sorted(s.item.path for s in res.accepted) == ["dx.csv", "register.csv"]


def test_a_file_over_the_size_limit_is_rejected_unread_and_not_stored(wh, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    big = inbox / "big.csv"
    with open(big, "wb") as f:  # sparse: 64 MiB that take no disk
        f.truncate(64 * 1024 * 1024)
    (inbox / "register.csv").write_text(REGISTER, encoding="utf-8")
    os.utime(inbox / "register.csv", (T0.timestamp(),) * 2)
    os.utime(big, ((T0 + timedelta(minutes=1)).timestamp(),) * 2)
    src = Source("CBC:inbox", "CBC", "folder", path=inbox)
    res = take_in(wh, list(pull_folder(src)), run_id="r1", data_root=tmp_path / "data",
                  limits=Limits(max_file_bytes=1024 * 1024))
    assert [s.item.path for s in res.rejected] == ["big.csv"] and rules(res.rejected[0]) == {"too_large"}
    assert "67,108,864 > 1,048,576 bytes" in res.rejected[0].errors[0].message_en
    sha = hashlib.sha256(b"\0" * 64 * 1024 * 1024).hexdigest()
    assert res.rejected[0].sha256 == sha  # hashed by streaming
    assert not (tmp_path / "data" / "landing" / sha[:2] / sha).exists()  # never written anywhere
    assert not (tmp_path / "data" / "quarantine" / "CBC" / sha).exists()
    assert (tmp_path / "data" / "quarantine" / "CBC" / f"{sha}.report.json").exists()
    assert [s.item.path for s in res.accepted] == ["register.csv"]


def test_an_xlsx_stops_being_read_at_the_row_limit(tmp_path):
    import io

    import openpyxl

    from ingest.parsing import Rejected, parse

    wb = openpyxl.Workbook()
    wb.active.title = "meta"
    for k, v in (("unit_code", "CBC"), ("dataset", "agency_register"), ("period", "2024-Q2"), ("status", "official")):
        wb["meta"].append([k, v])
    data = wb.create_sheet("data")
    data.append(["agency_code", "agency_name", "agency_kind", "governing_body", "media_types"])
    for n in range(20_000):
        data.append([f"A{n}", "x", "newspaper", "Bộ", "print"])
    buf = io.BytesIO()
    wb.save(buf)
    t = time.monotonic()
    with pytest.raises(Rejected) as e:
        parse("big.xlsx", buf.getvalue(), Limits(max_rows=100))
    assert [f.rule for f in e.value.findings] == ["too_many_rows"]
    assert "more than 100 rows" in e.value.findings[0].message_en
    assert time.monotonic() - t < 2  # 20,000 rows would take several seconds to read whole


# -- names --------------------------------------------------------------------------------------------------
CP1258 = unicodedata.normalize("NFD", "Báo cáo quý.csv").encode("cp1258")  # as Windows-1258 writes Vietnamese
HOSTILE_NAMES = [
    b"x" * 240 + b".csv",  # near the file-name limit
    CP1258,  # a Windows-1258 upload: not UTF-8
    b"\xff\xfe.json",
    b"line\nbreak.csv", b"tab\there.csv", b"esc\x1b[31m.csv", b"bell\x07.json",
    b"-leading-dash.csv", b"--help.csv", b" spaced name .csv", b"  .csv",
    unicodedata.normalize("NFC", "Hà Nội.csv").encode(), unicodedata.normalize("NFD", "Hà Nội.csv").encode(),
    "ﬁ-ligature.csv".encode(), "\u202eevil\u202dvsc.csv".encode(), "zero\u200bwidth.json".encode(),
    b"percent%41.csv", b"%E1.csv", b"back\\slash.csv", b"quote'\"`.csv", b"semi;colon|pipe.csv",
    b"$(touch pwned).csv", b"=HYPERLINK(1).csv", "emoji😀.json".encode(), b"x.CSV", b"dots...csv",
]


def test_a_corpus_of_hostile_file_names_gives_no_crash(wh, tmp_path):
    inbox = tmp_path / "inbox"
    sub = inbox / "sub"
    sub.mkdir(parents=True)
    raw_inbox = os.fsencode(inbox)
    for n, name in enumerate(HOSTILE_NAMES):
        # distinct bytes for each name (else most would be duplicates of the first)
        data = DX.replace(",10,5", f",10,{n % 10}").replace("A001", "A001" if n < 10 else "A002").encode() \
            if name.lower().endswith(b".csv") else register_json(f"T{n}")
        path = os.path.join(raw_inbox if n % 2 else os.fsencode(sub), name)
        with open(path, "wb") as f:
            f.write(data)
        os.utime(path, ((T0 + timedelta(minutes=n + 1)).timestamp(),) * 2)
    (inbox / "register.csv").write_text(REGISTER, encoding="utf-8")
    os.utime(inbox / "register.csv", (T0.timestamp(),) * 2)
    src = Source("CBC:inbox", "CBC", "folder", path=inbox)
    items = list(pull_folder(src))
    res = take_in(wh, items, run_id="r1", data_root=tmp_path / "data")
    judged = len(res.accepted) + len(res.rejected) + len(res.duplicates)
    assert judged == len(HOSTILE_NAMES) + 1  # every file judged: 0 crashes, 0 skipped
    assert not [s for s in res.rejected if "internal_error" in rules(s)]
    stored = {p for (p,) in wh.query("select path from audit.intake_events")} | \
        {p for (p,) in wh.query("select path from raw.submissions")}
    for p in stored:  # every name is stored as text, and the escaped ones give back their exact bytes
        p.encode("utf-8")
        assert not any(ord(c) < 0x20 for c in p)
    cp1258 = CP1258
    escaped = next(s for s in res.accepted + res.rejected + res.duplicates if "%EC" in s.item.path)
    assert unquote_to_bytes(escaped.item.path) == cp1258  # odd positions lie at the top of the inbox
    if escaped in res.accepted:
        note = next(f for f in escaped.warnings if f.rule == "file_name_escaped")
        assert cp1258.hex() in note.message_en


def test_a_symlink_swapped_in_after_listing_is_never_copied(wh, tmp_path):
    inbox, secret = tmp_path / "inbox", tmp_path / "secret.csv"
    inbox.mkdir()
    secret.write_text(REGISTER.replace("Báo Một", "SECRET"), encoding="utf-8")
    (inbox / "register.csv").write_text(REGISTER, encoding="utf-8")
    (inbox / "sub").mkdir()
    (inbox / "sub" / "dx.csv").write_text(DX, encoding="utf-8")
    src = Source("CBC:inbox", "CBC", "folder", path=inbox)
    items = list(pull_folder(src))  # listed; now both are swapped: the file for a link, a folder for a link
    (inbox / "register.csv").unlink()
    (inbox / "register.csv").symlink_to(secret)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "dx.csv").write_text(DX.replace("A001", "A009"), encoding="utf-8")
    (inbox / "sub" / "dx.csv").unlink()
    (inbox / "sub").rmdir()
    (inbox / "sub").symlink_to(outside)
    said: list[str] = []
    res = take_in(wh, items, run_id="r1", data_root=tmp_path / "data", progress=said.append)
    assert (res.accepted, res.rejected) == ([], [])
    assert sum("cannot read it" in s for s in said) == 2
    for p in (tmp_path / "data").rglob("*"):
        assert not p.is_file() or b"SECRET" not in p.read_bytes() and b"A009" not in p.read_bytes()


# -- received times ---------------------------------------------------------------------------------------
def test_received_times_cannot_rewrite_the_past(wh, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    src = Source("CBC:inbox", "CBC", "folder", path=inbox)

    def drop(name: str, text: str, mtime: datetime) -> None:
        (inbox / name).write_text(text, encoding="utf-8")
        os.utime(inbox / name, (mtime.timestamp(),) * 2)

    drop("register.csv", REGISTER, T0)  # the first listing ever: history is taken at its word
    first = datetime(2024, 7, 10, tzinfo=UTC)
    take_in(wh, list(pull_folder(src)), run_id="r1", data_root=tmp_path / "d", now=first)
    second = datetime(2024, 7, 20, tzinfo=UTC)
    drop("old.csv", DX, datetime(2024, 7, 5, tzinfo=UTC))  # claims a time before the listing that missed it
    drop("future.csv", DX.replace(",10,5", ",10,6"), datetime(2099, 1, 1, tzinfo=UTC))
    drop("fair.csv", DX.replace(",10,5", ",10,7"), datetime(2024, 7, 15, tzinfo=UTC))  # after it: plausible
    drop("skew.csv", DX.replace(",10,5", ",10,8"), second + timedelta(minutes=2))  # a clock a little ahead
    res = take_in(wh, list(pull_folder(src)), run_id="r2", data_root=tmp_path / "d", now=second)
    got = {s.item.path: s for s in res.accepted}
    assert set(got) == {"old.csv", "future.csv", "fair.csv", "skew.csv"}
    assert got["old.csv"].item.received_at == second and got["future.csv"].item.received_at == second
    assert got["fair.csv"].item.received_at == datetime(2024, 7, 15, tzinfo=UTC)
    assert got["skew.csv"].item.received_at == second + timedelta(minutes=2)
    for name in ("old.csv", "future.csv"):
        (note,) = [f for f in got[name].warnings if f.rule == "received_time_adjusted"]
        assert "2024-07-20T00:00:00+00:00" in note.message_en and "thời điểm nhận" in note.message_vi.lower()
    assert not [f for n in ("fair.csv", "skew.csv") for f in got[n].warnings if f.rule == "received_time_adjusted"]
    stored = dict(wh.query("select path, received_at from raw.submissions"))
    assert stored["old.csv"].astimezone(UTC) == second
    assert [r[0] for r in wh.query("select file_count from audit.source_listings order by listed_at")] == [1, 5]


# -- HTTP ---------------------------------------------------------------------------------------------------
@pytest.fixture
def token(monkeypatch):
    for var in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("PRESSDX_TOKEN_HOSTILE", "t0ken")


def http_source(url: str) -> Source:
    return Source("ATTT:api", "ATTT", "http", url=url, token_env="PRESSDX_TOKEN_HOSTILE")


def test_an_endless_cursor_ends_quickly(token):
    from ingest.sources.http import pull_http

    with HostileServer("endless") as srv:
        t = time.monotonic()
        with pytest.raises(SourceProtocolError, match="pages in a row with no submission"):
            pull_http(http_source(srv.url))
        assert srv.requests == 101 and time.monotonic() - t < 30


@pytest.mark.parametrize("mode", ["busy", "drip"])
def test_retries_and_slow_pages_cannot_pass_the_deadline(token, mode):
    from ingest.sources.http import pull_http

    with HostileServer(mode) as srv:
        t = time.monotonic()
        with pytest.raises(SourceUnavailable, match="deadline of 2 s"):
            pull_http(http_source(srv.url), attempts=50, backoff=0.2, timeout=5, deadline=2)
        assert time.monotonic() - t < 4


def test_a_huge_page_is_refused_while_streaming(token):
    from ingest.sources.http import pull_http

    with HostileServer("huge") as srv, pytest.raises(SourceProtocolError, match="larger than 1,048,576 bytes"):
        pull_http(http_source(srv.url), max_page_bytes=1024 * 1024)


def test_a_query_string_secret_never_becomes_the_source_name(tmp_path):
    from ingest.sources import load_config

    (tmp_path / "sources.yml").write_text(
        "sources:\n  - unit_code: ATTT\n    kind: http\n    url: https://u:p@api.example/s?api_key=SECRET123\n"
        "    token_env: PRESSDX_TOKEN_HOSTILE\n", encoding="utf-8")
    (src,) = load_config(tmp_path / "sources.yml").sources
    assert src.name == "ATTT:https://api.example/s" and "SECRET123" in src.url


def test_templates_refuse_a_unit_that_is_not_a_code(tmp_path):
    from pressdx.cli import main

    assert main(["templates", "--out", str(tmp_path), "--unit", '=HYPERLINK("http://x","y")']) == 2
    assert not list(tmp_path.glob("*.xlsx"))


# -- memory -------------------------------------------------------------------------------------------------
PEAK = """
import resource, sys
from datetime import UTC, datetime
from pathlib import Path
from ingest.intake import take_in
from ingest.sources import Source
from ingest.sources.folder import pull_folder
from pressdx.warehouse.connection import Warehouse, WarehouseURL
inbox, data = Path(sys.argv[1]), Path(sys.argv[2])
with Warehouse(WarehouseURL.parse(f"duckdb:///{data}/w.duckdb")) as wh:
    wh.ensure_schema()
    import ingest.validation, pandas  # paid before the baseline: the peak measured is the file's
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    res = take_in(wh, list(pull_folder(Source("CBC:inbox", "CBC", "folder", path=inbox))), run_id="m",
                  data_root=data)
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(base // 1024, peak // 1024, [sorted({f.rule for f in s.errors}) for s in res.rejected])
"""


def peak_mib(tmp_path: Path, make) -> tuple[int, int, list]:
    inbox, data = tmp_path / "inbox", tmp_path / "data"
    inbox.mkdir()
    data.mkdir()
    make(inbox)
    out = subprocess.run([sys.executable, "-c", PEAK, str(inbox), str(data)], capture_output=True, text=True,
                         check=True, cwd=Path(__file__).parents[2]).stdout.split(maxsplit=2)
    return int(out[0]), int(out[1]), eval(out[2])  # noqa: S307 - our own subprocess's repr of a list


@pytest.mark.slow
def test_peak_memory_of_a_1_gib_sparse_file(tmp_path):
    def make(inbox):
        with open(inbox / "huge.csv", "wb") as f:
            f.truncate(1024**3)

    base, peak, rejected = peak_mib(tmp_path, make)
    print(f"1 GiB sparse file: peak RSS {peak} MiB (baseline {base} MiB)")
    assert rejected == [["too_large"]]
    assert peak - base < 64
    assert not list((tmp_path / "data" / "landing").rglob("*" * 1)) or all(
        p.stat().st_size < 1024 for p in (tmp_path / "data" / "landing").rglob("*") if p.is_file())


@pytest.mark.slow
def test_peak_memory_of_a_20_mib_csv_of_tiny_rows(tmp_path):
    def make(inbox):
        with open(inbox / "tiny.csv", "wb") as f:
            f.write((HEAD + ",agency_code\n").encode())
            line = b"CBC,agency_register,2024-Q2,official,A\n"
            f.write(line * ((20 * 1024 * 1024 - 200) // len(line)))

    base, peak, rejected = peak_mib(tmp_path, make)
    print(f"20 MiB CSV of tiny rows: peak RSS {peak} MiB (baseline {base} MiB)")
    assert rejected == [["too_many_rows"]]
    assert peak - base < 400
