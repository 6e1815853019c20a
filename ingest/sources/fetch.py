"""One page of an HTTP source, with retries: ``GET {url}[?after={cursor}]`` and its bearer token.

Connection errors, timeouts, 429 and 5xx are retried by tenacity with doubling back-off (a ``Retry-After``
up to a bound is waited for, a longer one gives up at once); 401/403 and every other answer fail at once. Every
message is one line and passes through ``scrub``, so the token never reaches a log or a run summary.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import httpx
from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception_type,
    stop_after_attempt,
    stop_any,
    stop_before_delay,
    wait_exponential,
)

from ingest.sources.items import Source
from ingest.sources.text import display_url, one_line, scrub
from pressdx.settings import ConfigError

log = logging.getLogger("ingest.sources.http")

RETRYABLE_ERRORS = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError, httpx.ProxyError)


class _Again(Exception):
    """One request failed in a way worth retrying; ``str(e)`` says how, ``asked`` is its ``Retry-After``."""

    def __init__(self, last: str, asked: float | None = None):
        super().__init__(last)
        self.asked = asked


class SourceError(Exception):
    """One HTTP source failed; the other sources go on. The message is one line and never holds the token."""


class SourceUnavailable(SourceError):
    """The source did not answer (connection errors, timeouts, 5xx, 429) after every attempt."""


class SourceRefused(SourceError):
    """The source refused the bearer token (HTTP 401 or 403)."""


class SourceProtocolError(SourceError):
    """The source answered, but not with what the protocol says (status, not JSON, wrong shape)."""


def retry_after(value: str | None) -> float | None:
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


class Fetcher:
    """Fetches the pages of one source through one client; counts every request sent (retries included)."""

    def __init__(self, src: Source, client: httpx.Client, token: str, *, attempts: int, backoff: float,
                 max_backoff: float, max_retry_after: float, total_timeout: float, max_page_bytes: int,
                 sleep: Callable[[float], None], deadline: float | None = None, timeout: float | None = None,
                 started: float | None = None):
        self.src, self.client, self.token = src, client, token
        self.attempts, self.backoff, self.max_backoff = max(1, attempts), backoff, max_backoff
        self.max_retry_after, self.total_timeout, self.max_page_bytes = max_retry_after, total_timeout, max_page_bytes
        self.sleep = sleep
        self.requests = 0
        # the whole pull's deadline, ``deadline`` seconds after ``started`` (``time.monotonic``, default now): no
        # page, retry or back-off goes past it
        self.deadline_s = deadline
        self.deadline = None if deadline is None else (time.monotonic() if started is None else started) + deadline
        self.timeout = timeout
        self.deadline_hit = False

    def remaining(self) -> float:
        """Seconds left before the pull's deadline (``inf`` without one)."""
        return float("inf") if self.deadline is None else self.deadline - time.monotonic()

    def _past_deadline(self) -> SourceError:
        return self.fail(SourceUnavailable, f"the pull did not finish within its deadline of {self.deadline_s:g} s "
                                            f"({self.requests} request(s)); trying again next run")

    def fail(self, cls: type[SourceError], msg: str) -> SourceError:
        """An error of ``cls`` naming the source, with the token scrubbed out."""
        return cls(scrub(f"source {self.src.name}: {msg}", self.token))

    def _once(self, params: dict) -> tuple[int, bytes, str | None]:
        """Send one GET; return (status, body, Retry-After). Transport errors propagate."""
        headers = {"Authorization": f"Bearer {self.token}", "Accept": "application/json"}
        self.requests += 1
        t0 = time.monotonic()
        stop = min(t0 + self.total_timeout, t0 + self.remaining())
        url = httpx.URL(self.src.url).copy_merge_params(params)  # keeps a query already in the url
        extra = {}
        if self.timeout is not None and self.remaining() < self.timeout:  # no single wait past the deadline
            extra["timeout"] = httpx.Timeout(max(0.01, min(self.timeout, self.remaining())))
        with self.client.stream("GET", url, headers=headers, **extra) as resp:
            limit = self.max_page_bytes if resp.status_code == 200 else 4096
            chunks, size = [], 0
            for chunk in resp.iter_bytes():
                size += len(chunk)
                if size > limit:
                    if resp.status_code != 200:
                        break
                    raise self.fail(SourceProtocolError, f"a page is larger than {self.max_page_bytes:,} bytes")
                chunks.append(chunk)
                if time.monotonic() > stop:
                    if self.remaining() <= 0:
                        raise self._past_deadline()
                    raise httpx.ReadTimeout(f"page not received within {self.total_timeout:g} s")
            return resp.status_code, b"".join(chunks), resp.headers.get("Retry-After")

    def get(self, after: str | None) -> dict:
        """The page after cursor ``after`` (``None``: the first), decoded and checked against the protocol.

        tenacity retries what ``_attempt`` marks retryable (``_Again``), at most ``attempts`` times, never
        starting a wait that would end past ``total_timeout`` from the first request (retries do not extend
        the time a page may take); the wait doubles from ``backoff`` up to ``max_backoff``, or is the
        server's ``Retry-After``.
        """
        params = {} if after is None else {"after": after}
        url = display_url(self.src.url)
        retrying = Retrying(
            stop=stop_any(stop_after_attempt(self.attempts), stop_before_delay(self.total_timeout), self._at_deadline),
            wait=self._wait, retry=retry_if_exception_type(_Again), sleep=self.sleep,
            before_sleep=self._log_retry, reraise=True)
        if self.remaining() <= 0:
            raise self._past_deadline()
        try:
            return retrying(self._attempt, params, url)
        except _Again as e:
            if self.deadline_hit:
                raise self._past_deadline() from None
            tried = retrying.statistics.get("attempt_number", self.attempts)
            raise self.fail(SourceUnavailable, f"{url} did not answer after {tried} attempt(s) (last: {e})") \
                from None

    def _attempt(self, params: dict, url: str) -> dict:
        """One request: the decoded page, ``_Again`` when it may be retried, any other error when not."""
        try:
            status, body, asked_header = self._once(params)
        except RETRYABLE_ERRORS as e:
            raise _Again(f"{type(e).__name__}: {one_line(str(e), 80)}" if str(e) else type(e).__name__) from None
        except (httpx.UnsupportedProtocol, httpx.InvalidURL) as e:
            raise ConfigError(f"source {self.src.name}: url {url!r} cannot be fetched ({one_line(str(e))})") \
                from None
        except httpx.HTTPError as e:
            raise self.fail(SourceProtocolError, f"{url}: {type(e).__name__}: {one_line(str(e))}") from None
        if status == 200:
            return self._decode(body)
        if status in (401, 403):
            raise self.fail(SourceRefused, f"the bearer token in ${self.src.token_env} was refused "
                                           f"(HTTP {status})")
        if status != 429 and not 500 <= status <= 599:
            snippet = one_line(body.decode("utf-8", "replace"), 100)
            hint = "; check the url in the sources file" if status in (404, 410) else ""
            if 300 <= status < 400:
                hint = "; put the final URL in the sources file (redirects are not followed)"
            raise self.fail(SourceProtocolError, f"{url} answered HTTP {status}{hint}"
                                                 + (f" ({snippet})" if snippet else ""))
        asked = retry_after(asked_header)
        if asked is not None and asked > self.max_retry_after:
            raise self.fail(SourceUnavailable, f"{url} answered HTTP {status} and asks to retry "
                                               f"after {asked:.0f} s; trying again next run")
        raise _Again(f"HTTP {status}", asked)

    def _at_deadline(self, state: RetryCallState) -> bool:
        """Stop retrying when the next wait would end past the pull's deadline: retries cannot extend it."""
        self.deadline_hit = self.deadline is not None and (state.upcoming_sleep or 0) >= self.remaining()
        return self.deadline_hit

    def _wait(self, state: RetryCallState) -> float:
        """The server's ``Retry-After`` when it sent one, else the doubling back-off."""
        asked = getattr(state.outcome.exception(), "asked", None) if state.outcome else None
        if asked is not None:
            return asked
        return wait_exponential(multiplier=self.backoff, max=self.max_backoff)(state)

    def _log_retry(self, state: RetryCallState) -> None:
        log.warning("source %s: %s (attempt %d/%d); retrying in %.2f s", self.src.name,
                    state.outcome.exception() if state.outcome else "?", state.attempt_number, self.attempts,
                    state.upcoming_sleep)

    def _decode(self, body: bytes) -> dict:
        try:
            page = json.loads(body.decode("utf-8-sig"))
        except UnicodeDecodeError:
            raise self.fail(SourceProtocolError, "the answer is not UTF-8 JSON") from None
        except json.JSONDecodeError as e:
            raise self.fail(SourceProtocolError, f"the answer is not JSON ({e.msg} at line {e.lineno}, "
                                                 f"column {e.colno})") from None
        except RecursionError:
            raise self.fail(SourceProtocolError, "the answer is JSON nested too deeply") from None
        if not isinstance(page, dict):
            raise self.fail(SourceProtocolError, f"the answer is a JSON {type(page).__name__}, not an object "
                                                 f"with 'submissions' and 'next'")
        if not isinstance(page.get("submissions"), list):
            raise self.fail(SourceProtocolError, "the answer has no 'submissions' list")
        if "next" not in page:
            raise self.fail(SourceProtocolError, "the answer has no 'next' (use null on the last page)")
        nxt = page["next"]
        if isinstance(nxt, int) and not isinstance(nxt, bool):
            page["next"] = str(nxt)
        elif nxt is not None and not isinstance(nxt, str):
            raise self.fail(SourceProtocolError, f"'next' is a {type(nxt).__name__}, not a string or null")
        return page
