"""HTTP unit sources: page through ``GET {url}?after={cursor}`` with a bearer token.

The protocol (spec ``submissions.md``, "Where submissions come from: unit sources")::

    GET {url}[?after={cursor}]            Authorization: Bearer <token from $token_env>
    200 {"submissions": [{"submission_id": "…", "received_at": "<ISO 8601 with offset>",
                          "document": {…} | "file": {"name": "x.xlsx", "content_base64": "…"}}, …],
         "next": "<cursor>" | null}

Each element becomes one ``Incoming`` whose ``path`` is ``{submission_id}/{file name}``: the last
component is the name whose extension selects the parser (a ``document`` becomes ``document.json``
holding its canonical JSON), the whole path is what reports show.

The cursor is *not* written here. ``pull_http`` reads the starting cursor from ``state["cursor"]``
and, once every page has been fetched, puts the new one back in ``state["cursor"]``; the caller
saves it with ``save_cursor`` only after the pulled items are taken in. A crash in between re-pulls
the same items on the next run, which intake recognises by their SHA-256 (at least once, never lost).

Malformed elements never stop the pull. An element that still identifies a submission (id, received
time, a document or a named file) is handed to intake with the bytes as received, so it is rejected
through the normal path: audit event, quarantine, rejection report to the unit. An element that does
not (not an object, no id, no or naive received time, neither or both of document/file, a file without
a usable name) cannot become an honest ``Incoming``: it is skipped, logged, and listed in
``state["problems"]`` for the run summary.
"""

from __future__ import annotations

import base64
import binascii
import functools
import ipaddress
import json
import logging
import os
import time
from collections.abc import Callable
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import PurePosixPath
from urllib.parse import urlsplit, urlunsplit

import httpx

from ingest.sources import Incoming, Source
from pressdx.settings import ConfigError
from pressdx.warehouse.connection import Warehouse

log = logging.getLogger(__name__)

RETRYABLE_ERRORS = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError, httpx.ProxyError)


class SourceError(Exception):
    """One HTTP source failed; the other sources go on. The message is one line and never holds the token."""


class SourceUnavailable(SourceError):
    """The source did not answer (connection errors, timeouts, 5xx, 429) after every attempt."""


class SourceRefused(SourceError):
    """The source refused the bearer token (HTTP 401 or 403)."""


class SourceProtocolError(SourceError):
    """The source answered, but not with what the protocol says (status, not JSON, wrong shape)."""


# -- the cursor, kept in audit.source_state ----------------------------------------------------------------
def load_cursor(wh: Warehouse, source_name: str) -> str | None:
    """The cursor saved for ``source_name`` by the last successful run, or ``None`` (start from the beginning)."""
    rows = wh.query("select cursor_value from audit.source_state where source_name = ?", (source_name,))
    return rows[0][0] if rows else None


def save_cursor(wh: Warehouse, source_name: str, cursor: str | None) -> None:
    """Upsert the cursor of ``source_name`` (delete + insert in one transaction; DuckDB and PostgreSQL)."""
    with wh.transaction():
        wh.execute("delete from audit.source_state where source_name = ?", (source_name,))
        wh.execute("insert into audit.source_state (source_name, cursor_value, updated_at) values (?, ?, ?)",
                   (source_name, cursor, datetime.now(UTC)))


# -- helpers -------------------------------------------------------------------------------------------------
def display_url(url: str) -> str:
    """The URL without user info or query string, for messages."""
    u = urlsplit(url)
    host = u.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    if u.port:
        host = f"{host}:{u.port}"
    return urlunsplit((u.scheme, host, u.path, "", ""))


def _one_line(text: str, limit: int = 120) -> str:
    s = " ".join(str(text).split())
    return s if len(s) <= limit else s[: limit - 1] + "…"


def _scrub(text: str, token: str) -> str:
    return text.replace(token, "***") if token else text


def _token(src: Source) -> str:
    if not src.token_env:
        raise ConfigError(f"source {src.name}: an http source needs token_env (the environment variable "
                          f"holding its bearer token)")
    token = os.environ.get(src.token_env)
    if token is None:
        raise ConfigError(f"source {src.name}: the environment variable {src.token_env} (its bearer token) is not set")
    token = token.strip()
    if not token:
        raise ConfigError(f"source {src.name}: the environment variable {src.token_env} (its bearer token) is empty")
    if any(ord(c) < 0x21 or ord(c) > 0x7E for c in token):
        raise ConfigError(f"source {src.name}: the bearer token in ${src.token_env} holds characters that cannot "
                          f"go in an HTTP header (spaces, line breaks or non-ASCII)")
    return token


def _retry_after(value: str | None) -> float | None:
    """Seconds asked for by a ``Retry-After`` header (delta-seconds or an HTTP date), or ``None``."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _received_at(value) -> datetime:
    if not isinstance(value, str) or not value.strip():
        raise ValueError("received_at is missing")
    try:
        t = datetime.fromisoformat(value.strip())
    except ValueError:
        raise ValueError(f"received_at {_one_line(value, 40)!r} is not an ISO 8601 instant") from None
    if t.tzinfo is None or t.utcoffset() is None:
        raise ValueError(f"received_at {_one_line(value, 40)!r} has no UTC offset")
    return t.astimezone(UTC)


def _usable(text: str) -> bool:
    """No control characters, valid Unicode (it becomes part of a path, a file name and a database value)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return not any(ord(c) < 0x20 or ord(c) == 0x7F for c in text)


def _file_name(value) -> str | None:
    """The last component of a file name (shortened to 120 characters, extension kept), or ``None``."""
    if not isinstance(value, str):
        return None
    name = PurePosixPath(value.replace("\\", "/").strip()).name
    if not name or name in (".", "..") or not _usable(name):
        return None
    if len(name) > 120:
        suffix = PurePosixPath(name).suffix[:20]
        name = name[: 120 - len(suffix)] + suffix
    return name


def _check_url(src: Source) -> None:
    u = urlsplit(src.url)
    if u.scheme == "https" or (u.scheme == "http" and _loopback(u.hostname or "")):
        return
    raise ConfigError(f"source {src.name}: url {display_url(src.url)!r} must start with https:// "
                      f"(the bearer token must not travel in clear; plain http only to this machine)")


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def canonical_json(value) -> bytes:
    """The canonical JSON of a received value (a lone surrogate stays as received: intake rejects it as not UTF-8)."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.encode("utf-8", "surrogatepass")


def element_to_incoming(src: Source, el, where: str, problems: list[str]) -> Incoming | None:
    """One element of ``submissions`` → an ``Incoming`` (or ``None``, with a line appended to ``problems``)."""

    def skip(reason: str) -> None:
        msg = f"source {src.name}: {where} skipped: {reason}"
        log.error(msg)
        problems.append(msg)

    def note(reason: str) -> None:
        msg = f"source {src.name}: {where} handed to intake as received: {reason}"
        log.warning(msg)
        problems.append(msg)

    if not isinstance(el, dict):
        return skip(f"not an object but {type(el).__name__}")
    sid = el.get("submission_id")
    if isinstance(sid, int) and not isinstance(sid, bool):
        sid = str(sid)
    if not isinstance(sid, str) or not sid.strip():
        return skip("submission_id is missing")
    sid = sid.strip()
    if not _usable(sid) or len(sid) > 200:
        return skip(f"submission_id {_one_line(sid, 40)!r} is not usable as a name")
    where = f"{where} ({sid})"
    try:
        received = _received_at(el.get("received_at"))
    except ValueError as e:
        return skip(str(e))
    has_doc, has_file = "document" in el, "file" in el
    if has_doc == has_file:
        return skip("needs exactly one of 'document' and 'file'")
    if has_doc:
        doc = el["document"]
        if not isinstance(doc, dict):
            note(f"document is {type(doc).__name__}, not an object")
        return Incoming(src, f"{sid}/document.json", canonical_json(doc), received)
    f = el["file"]
    if not isinstance(f, dict):
        return skip(f"file is {type(f).__name__}, not an object")
    name = _file_name(f.get("name"))
    if name is None:
        return skip("file.name is missing or not a file name")
    content = f.get("content_base64")
    if not isinstance(content, str):
        note("file.content_base64 is not a string")
        return Incoming(src, f"{sid}/{name}", canonical_json(content), received)
    try:
        data = base64.b64decode("".join(content.split()), validate=True)
    except (binascii.Error, ValueError) as e:
        note(f"file.content_base64 is not valid base64 ({_one_line(str(e), 60)})")
        return Incoming(src, f"{sid}/{name}", content.encode("utf-8", "surrogatepass"), received)
    return Incoming(src, f"{sid}/{name}", data, received)


# -- one page, with retries ----------------------------------------------------------------------------------
class _Fetcher:
    def __init__(self, src: Source, client: httpx.Client, token: str, *, attempts: int, backoff: float,
                 max_backoff: float, max_retry_after: float, total_timeout: float, max_page_bytes: int,
                 sleep: Callable[[float], None]):
        self.src, self.client, self.token = src, client, token
        self.attempts, self.backoff, self.max_backoff = max(1, attempts), backoff, max_backoff
        self.max_retry_after, self.total_timeout, self.max_page_bytes = max_retry_after, total_timeout, max_page_bytes
        self.sleep = sleep
        self.requests = 0  # every HTTP request sent, retries included

    def _fail(self, cls: type[SourceError], msg: str) -> SourceError:
        return cls(_scrub(f"source {self.src.name}: {msg}", self.token))

    def _once(self, params: dict) -> tuple[int, bytes, str | None]:
        """Send one GET; return (status, body, Retry-After). Transport errors propagate."""
        headers = {"Authorization": f"Bearer {self.token}", "Accept": "application/json"}
        self.requests += 1
        t0 = time.monotonic()
        url = httpx.URL(self.src.url).copy_merge_params(params)  # keeps a query already in the url
        with self.client.stream("GET", url, headers=headers) as resp:
            limit = self.max_page_bytes if resp.status_code == 200 else 4096
            chunks, size = [], 0
            for chunk in resp.iter_bytes():
                size += len(chunk)
                if size > limit:
                    if resp.status_code != 200:
                        break
                    raise self._fail(SourceProtocolError, f"a page is larger than {self.max_page_bytes:,} bytes")
                chunks.append(chunk)
                if time.monotonic() - t0 > self.total_timeout:
                    raise httpx.ReadTimeout(f"page not received within {self.total_timeout:g} s")
            return resp.status_code, b"".join(chunks), resp.headers.get("Retry-After")

    def get(self, after: str | None) -> dict:
        params = {} if after is None else {"after": after}
        url = display_url(self.src.url)
        last = ""
        for attempt in range(1, self.attempts + 1):
            wait = min(self.backoff * 2 ** (attempt - 1), self.max_backoff)
            try:
                status, body, retry_after = self._once(params)
            except RETRYABLE_ERRORS as e:
                last = f"{type(e).__name__}: {_one_line(str(e), 80)}" if str(e) else type(e).__name__
            except (httpx.UnsupportedProtocol, httpx.InvalidURL) as e:
                raise ConfigError(f"source {self.src.name}: url {url!r} cannot be fetched ({_one_line(str(e))})") \
                    from None
            except httpx.HTTPError as e:
                raise self._fail(SourceProtocolError, f"{url}: {type(e).__name__}: {_one_line(str(e))}") from None
            else:
                if status == 200:
                    return self._decode(body)
                if status in (401, 403):
                    raise self._fail(SourceRefused, f"the bearer token in ${self.src.token_env} was refused "
                                                    f"(HTTP {status})")
                if status != 429 and not 500 <= status <= 599:
                    snippet = _one_line(body.decode("utf-8", "replace"), 100)
                    hint = "; check the url in the sources file" if status in (404, 410) else ""
                    if 300 <= status < 400:
                        hint = "; put the final URL in the sources file (redirects are not followed)"
                    raise self._fail(SourceProtocolError, f"{url} answered HTTP {status}{hint}"
                                                          + (f" ({snippet})" if snippet else ""))
                last = f"HTTP {status}"
                asked = _retry_after(retry_after)
                if asked is not None:
                    if asked > self.max_retry_after:
                        raise self._fail(SourceUnavailable, f"{url} answered HTTP {status} and asks to retry "
                                                            f"after {asked:.0f} s; trying again next run")
                    wait = asked
            if attempt < self.attempts:
                log.warning("source %s: %s (attempt %d/%d); retrying in %.2f s", self.src.name, last, attempt,
                            self.attempts, wait)
                self.sleep(wait)
        raise self._fail(SourceUnavailable, f"{url} did not answer after {self.attempts} attempt(s) (last: {last})")

    def _decode(self, body: bytes) -> dict:
        try:
            page = json.loads(body.decode("utf-8-sig"))
        except UnicodeDecodeError:
            raise self._fail(SourceProtocolError, "the answer is not UTF-8 JSON") from None
        except json.JSONDecodeError as e:
            raise self._fail(SourceProtocolError, f"the answer is not JSON ({e.msg} at line {e.lineno}, "
                                                  f"column {e.colno})") from None
        except RecursionError:
            raise self._fail(SourceProtocolError, "the answer is JSON nested too deeply") from None
        if not isinstance(page, dict):
            raise self._fail(SourceProtocolError, f"the answer is a JSON {type(page).__name__}, not an object "
                                                  f"with 'submissions' and 'next'")
        if not isinstance(page.get("submissions"), list):
            raise self._fail(SourceProtocolError, "the answer has no 'submissions' list")
        if "next" not in page:
            raise self._fail(SourceProtocolError, "the answer has no 'next' (use null on the last page)")
        nxt = page["next"]
        if isinstance(nxt, int) and not isinstance(nxt, bool):
            page["next"] = str(nxt)
        elif nxt is not None and not isinstance(nxt, str):
            raise self._fail(SourceProtocolError, f"'next' is a {type(nxt).__name__}, not a string or null")
        return page


@functools.cache
def _tls():
    """httpx's default TLS context (certifi, or $SSL_CERT_FILE / $SSL_CERT_DIR), built once per process."""
    return httpx.create_ssl_context()


# -- the pull ------------------------------------------------------------------------------------------------
def pull_http(src: Source, state: dict | None = None, *, attempts: int = 5, backoff: float = 0.5,
              max_backoff: float = 8.0, max_retry_after: float = 30.0, timeout: float = 30.0,
              total_timeout: float = 300.0, max_page_bytes: int = 256 * 1024 * 1024, max_pages: int = 100_000,
              client: httpx.Client | None = None, sleep: Callable[[float], None] = time.sleep) -> list[Incoming]:
    """Every submission the source holds after ``state["cursor"]``, in the order served.

    All pages are fetched before anything is returned, so a failure part-way raises and yields nothing.
    On success ``state`` (when given) gets ``cursor`` (the last non-null ``next``, or the starting cursor
    when there was none: save it once the items are taken in), ``pages``, ``requests`` and ``problems``
    (one line per malformed element). Raises ``ConfigError`` (token variable missing, bad url),
    ``SourceRefused`` (401/403), ``SourceUnavailable`` (still down after ``attempts``) or
    ``SourceProtocolError`` (an answer that is not the protocol's).

    ``attempts``, ``backoff`` (first wait, doubling up to ``max_backoff``) and ``sleep`` govern retries of
    connection errors, timeouts, 429 and 5xx; a ``Retry-After`` up to ``max_retry_after`` seconds is waited
    for, a longer one gives up at once. ``timeout`` bounds each connect/read/write, ``total_timeout`` one page.
    """
    if src.kind != "http" or not src.url:
        raise ConfigError(f"source {src.name}: not an http source with a url")
    _check_url(src)
    token = _token(src)
    start = (state or {}).get("cursor")
    own = client is None
    if own:
        client = httpx.Client(timeout=httpx.Timeout(timeout), follow_redirects=False, verify=_tls(),
                              headers={"User-Agent": "pressdx"})
    fetch = _Fetcher(src, client, token, attempts=attempts, backoff=backoff, max_backoff=max_backoff,
                     max_retry_after=max_retry_after, total_timeout=total_timeout, max_page_bytes=max_page_bytes,
                     sleep=sleep)
    items: list[Incoming] = []
    problems: list[str] = []
    after, requested, pages = start, {start}, 0
    try:
        while True:
            page = fetch.get(after)
            pages += 1
            for n, el in enumerate(page["submissions"], start=1):
                inc = element_to_incoming(src, el, f"page {pages} element {n}", problems)
                if inc is not None:
                    items.append(inc)
            nxt = page["next"]
            if nxt is None or (nxt == after and not page["submissions"]):  # "nothing after X: still X"
                break
            if nxt in requested:
                raise fetch._fail(SourceProtocolError, f"the server sent the cursor {_one_line(nxt, 40)!r} again; "
                                                       f"paging would never end")
            if pages >= max_pages:
                raise fetch._fail(SourceProtocolError, f"more than {max_pages:,} pages in one pull")
            requested.add(nxt)
            after = nxt
    finally:
        if own:
            client.close()
    log.info("source %s: %d submission(s) in %d page(s), %d request(s), %d problem(s); cursor %r → %r",
             src.name, len(items), pages, fetch.requests, len(problems), start, after)
    if state is not None:
        state.update(cursor=after, pages=pages, requests=fetch.requests, problems=problems)
    return items
