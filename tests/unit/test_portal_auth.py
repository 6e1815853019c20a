"""The portal's security pieces on their own: passwords, signed sessions, CSRF tokens, redirects,
rate-limit counts (both engines), accounts, settings, and the atomic store of a submission."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta

import pytest

from pressdx.settings import ConfigError
from pressdx.web import accounts, store
from pressdx.web.auth import Session, Sessions, hash_password, verify_password
from pressdx.web.pages_auth import safe_next
from pressdx.web.uploads import Staged, clean_name, store_submission

SECRET = "k" * 40


def test_passwords_are_argon2_and_verified():
    h = hash_password("correct horse battery")
    assert h.startswith("$argon2id$") and "correct" not in h
    assert verify_password(h, "correct horse battery")
    assert not verify_password(h, "correct horse batterY")
    assert not verify_password(None, "anything"), "an unknown user never signs in"
    assert not verify_password("not a hash", "x")


def test_sessions_are_signed_and_bound_to_their_secret():
    s = Sessions(SECRET, 3600)
    session = Session.signed_in("thu")
    cookie = s.dump(session)
    back = s.load(cookie)
    assert back.username == "thu" and back.nonce == session.nonce
    assert s.load(cookie[:-2] + ("A" if cookie[-2] != "A" else "B") + cookie[-1]) is None, "tampered"
    assert Sessions("z" * 40, 3600).load(cookie) is None, "another secret"
    assert s.load(None) is None and s.load("garbage") is None


def test_expired_session_is_refused():
    s = Sessions(SECRET, 3600)
    cookie = s.dump(Session.signed_in("thu"))
    assert Sessions(SECRET, -1).load(cookie) is None


def test_csrf_token_belongs_to_one_session():
    s = Sessions(SECRET, 3600)
    a, b = Session.anonymous(), Session.anonymous()
    assert s.csrf_ok(a, s.csrf_token(a))
    assert not s.csrf_ok(a, s.csrf_token(b))
    assert not s.csrf_ok(a, None) and not s.csrf_ok(a, "")


@pytest.mark.parametrize("target,expected", [
    ("/units/CBC", "/units/CBC"), ("https://evil.example/", "/"), ("//evil.example", "/"),
    ("/\\evil.example", "/"), ("units", "/"), (None, "/"), ("/dashboard?year=2024", "/dashboard?year=2024")])
def test_redirect_after_sign_in_stays_on_the_site(target, expected):
    assert safe_next(target) == expected


def test_rate_limit_counts_failures_per_account_and_per_address(wh):
    store.ensure(wh)
    window = timedelta(minutes=15)
    for ip in ("10.0.0.1", "10.0.0.2", "10.0.0.2"):
        store.record_attempt(wh, "thu", ip, False)
    store.record_attempt(wh, "lan", "10.0.0.2", False)
    assert store.recent_failures(wh, window, username="thu") == 3
    assert store.recent_failures(wh, window, ip="10.0.0.2") == 3
    assert store.recent_failures(wh, window, username="nobody") == 0
    store.record_attempt(wh, "thu", "10.0.0.1", True)  # a success starts the count again
    assert store.recent_failures(wh, window, username="thu") == 0
    assert store.recent_failures(wh, timedelta(seconds=-1), ip="10.0.0.2") == 0, "outside the window"


def test_accounts_add_disable_reset(tmp_path, monkeypatch):
    url = f"duckdb:///{tmp_path / 'w.duckdb'}"
    monkeypatch.setenv("PW", "a long enough password")
    pw = accounts.read_password("PW")
    assert "clerk of CBC" in accounts.add(url, "Thu.Nguyen", "clerk", "cbc", pw)
    with pytest.raises(ConfigError, match="exists"):
        accounts.add(url, "thu.nguyen", "clerk", "CBC", pw)
    with pytest.raises(ConfigError, match="one unit"):
        accounts.add(url, "lan", "clerk", None, pw)
    with pytest.raises(ConfigError, match="unknown unit"):
        accounts.add(url, "lan", "clerk", "NOPE", pw)
    with pytest.raises(ConfigError, match="role"):
        accounts.add(url, "lan", "admin", None, pw)
    from pressdx.warehouse.connection import connect

    with connect(url) as wh:
        u = store.get_user(wh, "thu.nguyen")
    assert u.active and u.unit_code == "CBC" and verify_password(u.password_hash, pw)
    assert u.may_read("CBC") and not u.may_read("PTTH") and not u.may_submit("PTTH")
    accounts.disable(url, "thu.nguyen")
    with connect(url) as wh:
        d = store.get_user(wh, "thu.nguyen")
    assert not d.active and d.sessions_valid_after > u.sessions_valid_after
    monkeypatch.setenv("PW2", "another long password")
    accounts.reset(url, "thu.nguyen", accounts.read_password("PW2"))
    with connect(url) as wh:
        r = store.get_user(wh, "thu.nguyen")
        kinds = [k for (k,) in wh.query("select kind from audit.portal_events order by event_at")]
    assert r.active and verify_password(r.password_hash, "another long password")
    assert kinds == ["user_added", "user_disabled", "user_reset"]


def test_passwords_come_from_a_prompt_or_the_environment(monkeypatch):
    monkeypatch.delenv("NOPE", raising=False)
    with pytest.raises(ConfigError, match="NOPE is not set"):
        accounts.read_password("NOPE")
    monkeypatch.setenv("SHORT", "short")
    with pytest.raises(ConfigError, match="12 characters"):
        accounts.read_password("SHORT")
    answers = iter(["a long enough password", "a different password"])
    with pytest.raises(ConfigError, match="differ"):
        accounts.read_password(None, prompt=lambda _: next(answers))


def test_the_portal_refuses_to_start_without_a_secret(monkeypatch):
    from pressdx.web.config import from_env

    monkeypatch.delenv("PRESSDX_PORTAL_SECRET", raising=False)
    with pytest.raises(ConfigError, match="PRESSDX_PORTAL_SECRET"):
        from_env("duckdb:///x.duckdb")
    monkeypatch.setenv("PRESSDX_PORTAL_SECRET", "short")
    with pytest.raises(ConfigError, match="at least 32"):
        from_env("duckdb:///x.duckdb")


@pytest.mark.parametrize("name,expected", [
    ("báo cáo Q1.CSV", None), ("../../etc/passwd", "passwd"), ("a.xlsx", "a.xlsx"),
    (None, "upload"), ("C:\\Users\\x\\data.json", "data.json")])
def test_uploaded_names_are_reduced_to_a_safe_base_name(name, expected):
    got = clean_name(name)
    assert "/" not in got and "\\" not in got and not got.startswith(".")
    if expected:
        assert got == expected


def test_a_submission_is_stored_atomically_with_the_receive_time_as_mtime(tmp_path):
    staged = tmp_path / "staging" / "abc.csv"
    staged.parent.mkdir()
    staged.write_bytes(b"unit_code\nCBC\n")
    item = Staged("0" * 32, "CBC", staged, "f" * 64, 14, "thu")
    at = datetime(2025, 4, 10, 3, 4, 5, 123456, tzinfo=UTC)
    name, received = store_submission(item, tmp_path / "portal", at)
    path = tmp_path / "portal" / "CBC" / name
    assert received == at and path.read_bytes() == b"unit_code\nCBC\n"
    assert os.stat(path).st_mtime == pytest.approx(at.timestamp(), abs=1e-3)
    assert name.endswith("-ffffffffffff-abc.csv")
    assert [p.name for p in path.parent.iterdir()] == [name], "no temporary file left behind"
