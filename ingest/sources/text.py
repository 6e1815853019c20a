"""Message helpers of the HTTP pull: one-line text, a URL without secrets, a token scrubbed out."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit


def display_url(url: str) -> str:
    """The URL without user info or query string, for messages."""
    u = urlsplit(url)
    host = u.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    if u.port:
        host = f"{host}:{u.port}"
    return urlunsplit((u.scheme, host, u.path, "", ""))


def one_line(text: str, limit: int = 120) -> str:
    """``text`` on one line, shortened to ``limit`` characters."""
    s = " ".join(str(text).split())
    return s if len(s) <= limit else s[: limit - 1] + "…"


def scrub(text: str, token: str) -> str:
    """``text`` with the bearer token replaced: a server may echo it, a message must never hold it."""
    return text.replace(token, "***") if token else text
