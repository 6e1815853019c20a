"""HTTP unit sources: page through ``GET {url}?after={cursor}`` with a bearer token.

The protocol (spec ``submissions.md``, "Where submissions come from: unit sources")::

    GET {url}[?after={cursor}]            Authorization: Bearer <token from $token_env>
    200 {"submissions": [{"submission_id": "…", "received_at": "<ISO 8601 with offset>",
                          "document": {…} | "file": {"name": "x.xlsx", "content_base64": "…"}}, …],
         "next": "<cursor>" | null}

This module holds the paging loop and what must hold before the first request (an https URL, a usable
token); one page with its retries is ``fetch``, one element ``elements``.

The cursor is *not* written here. ``pull_http`` reads the starting cursor from ``state["cursor"]``
and, once every page has been fetched, puts the new one back in ``state["cursor"]``; the caller
saves it with ``ingest.sources.cursor.save_cursor`` only after the pulled items are taken in.
Malformed elements are listed in ``state["problems"]`` for the run summary.
"""

from __future__ import annotations

import functools
import ipaddress
import logging
import os
import time
from collections.abc import Callable
from urllib.parse import urlsplit

import httpx

from ingest.sources.elements import element_to_incoming
from ingest.sources.fetch import Fetcher, SourceProtocolError
from ingest.sources.items import Incoming, Source
from ingest.sources.text import display_url, one_line
from pressdx.settings import ConfigError

log = logging.getLogger("ingest.sources.http")


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


@functools.cache
def _tls():
    """httpx's default TLS context (certifi, or $SSL_CERT_FILE / $SSL_CERT_DIR), built once per process."""
    return httpx.create_ssl_context()


def pull_http(src: Source, state: dict | None = None, *, attempts: int = 5, backoff: float = 0.5,
              max_backoff: float = 8.0, max_retry_after: float = 30.0, timeout: float = 30.0,
              total_timeout: float = 300.0, max_page_bytes: int = 64 * 1024 * 1024, max_pages: int = 10_000,
              deadline: float = 900.0, max_empty_pages: int = 100,
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
    for, a longer one gives up at once. ``timeout`` bounds each connect/read/write, ``total_timeout`` one page
    with its retries (a wait that would end past it is not started).
    """
    started = time.monotonic()  # the deadline counts from here, TLS set-up included
    if src.kind != "http" or not src.url:
        raise ConfigError(f"source {src.name}: not an http source with a url")
    _check_url(src)
    token = _token(src)
    start = (state or {}).get("cursor")
    own = client is None
    if own:
        client = httpx.Client(timeout=httpx.Timeout(timeout), follow_redirects=False, verify=_tls(),
                              headers={"User-Agent": "pressdx"})
    fetch = Fetcher(src, client, token, attempts=attempts, backoff=backoff, max_backoff=max_backoff,
                    max_retry_after=max_retry_after, total_timeout=total_timeout, max_page_bytes=max_page_bytes,
                    sleep=sleep, deadline=deadline, timeout=timeout, started=started)
    items: list[Incoming] = []
    problems: list[str] = []
    after, requested, pages, empty = start, {start}, 0, 0
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
            empty = 0 if page["submissions"] else empty + 1
            if empty > max_empty_pages:
                raise fetch.fail(SourceProtocolError, f"{empty} pages in a row with no submission, each with a new "
                                                      f"cursor; paging would never end")
            if nxt in requested:
                raise fetch.fail(SourceProtocolError, f"the server sent the cursor {one_line(nxt, 40)!r} again; "
                                                      f"paging would never end")
            if pages >= max_pages:
                raise fetch.fail(SourceProtocolError, f"more than {max_pages:,} pages in one pull")
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
