"""What every page shares: the portal's state, the request context, access checks, rendering.

Pages are rendered on the server with Jinja (no JavaScript build); every form carries the session's
CSRF token. ``pressdx.web.app`` assembles the application from the pages.

DuckDB allows one writer per file and, inside one process, no read-only connection next to a
read-write one; so on DuckDB every warehouse access of the portal is serialised by one lock, and a page
that cannot get it within a few seconds (an intake run holds it while it builds) answers 503.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated
from urllib.parse import quote

from fastapi import Depends, HTTPException, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from pressdx.domain import calendar
from pressdx.warehouse.connection import Warehouse
from pressdx.web import store
from pressdx.web.auth import CSRF_FIELD, LANG_COOKIE, Session, Sessions
from pressdx.web.config import PortalSettings
from pressdx.web.i18n import LANGS, TEXTS, text

HERE = Path(__file__).resolve().parent
LOCK_WAIT_SECONDS = 5.0
USER_CACHE_SECONDS = 600.0  # how long an account read before an intake run is trusted during it


class Busy(Exception):
    """The warehouse is held by an intake run (DuckDB)."""


class NotSignedIn(Exception):
    pass


class Portal:
    """What every request shares: settings, the session signer, the warehouse lock, the intake job."""

    def __init__(self, settings: PortalSettings):
        self.settings = settings
        self.sessions = Sessions(settings.secret, int(settings.session_hours * 3600))
        self.lock = threading.RLock() if settings.url.kind == "duckdb" else None
        from pressdx.web.intake_job import IntakeJob

        self.job = IntakeJob(self)
        self.users_seen: dict[str, tuple[store.User | None, float]] = {}
        with self.db() as wh:
            store.ensure(wh)
        from pressdx.domain.reference import reference

        for unit in reference().units:  # every unit's folder source exists, so sources.yml may list it
            (settings.portal_dir / unit).mkdir(parents=True, exist_ok=True)

    @contextlib.contextmanager
    def locked(self, wait: float = LOCK_WAIT_SECONDS) -> Iterator[None]:
        if self.lock is None:
            yield
            return
        if not self.lock.acquire(timeout=wait):
            raise Busy()
        try:
            yield
        finally:
            self.lock.release()

    @contextlib.contextmanager
    def db(self) -> Iterator[Warehouse]:
        """A read-write connection for the portal's own tables, held for one short piece of work."""
        with self.locked(), Warehouse(self.settings.url) as wh:
            yield wh


@dataclass
class Ctx:
    """One request as the pages see it."""

    request: Request
    portal: Portal
    session: Session
    user: store.User | None
    lang: str

    @property
    def ip(self) -> str:
        return self.request.client.host if self.request.client else "-"

    @property
    def csrf(self) -> str:
        return self.portal.sessions.csrf_token(self.session)

    def t(self, key: str, **fields) -> str:
        return text(key, self.lang, **fields)

    def require(self, unit: str | None = None, *, submit: bool = False, roles: tuple[str, ...] = ()) -> store.User:
        """The signed-in user, if allowed; else redirect to sign in (anonymous) or 403."""
        if self.user is None:
            raise NotSignedIn()
        u = self.user
        if roles and u.role not in roles:
            raise HTTPException(403)
        if unit is not None and not (u.may_submit(unit) if submit else u.may_read(unit)):
            raise HTTPException(403)
        return u

    def render(self, page: str, status_code: int = 200, **context) -> HTMLResponse:
        return templates.TemplateResponse(self.request, page, {"ctx": self, **context}, status_code=status_code)

    def audit(self, kind: str, outcome: str, wh: Warehouse | None = None, unit: str | None = None, **detail) -> None:
        args = dict(username=self.user.username if self.user else detail.pop("username", None), unit_code=unit,
                    ip=self.ip, **detail)
        if wh is not None:
            store.event(wh, kind, outcome, **args)
        else:
            with self.portal.db() as w:
                store.event(w, kind, outcome, **args)


def vn_time(t) -> str:
    if t is None:
        return "—"
    if isinstance(t, str):
        t = datetime.fromisoformat(t)
    if t.tzinfo is None:
        t = t.replace(tzinfo=UTC)
    return t.astimezone(calendar.VN_TZ).strftime("%d/%m/%Y %H:%M")


def num(v, digits: int = 1) -> str:
    if v is None:
        return "—"
    if isinstance(v, int):
        return f"{v:,}".replace(",", ".")
    return f"{float(v):.{digits}f}"


templates = Jinja2Templates(directory=str(HERE / "templates"))
templates.env.globals.update(CSRF_FIELD=CSRF_FIELD, LANGS=LANGS, TEXTS=TEXTS)
templates.env.filters.update(vn_time=vn_time, num=num, urlquote=lambda s: quote(str(s), safe=""))


def context(request: Request) -> Ctx:
    """FastAPI dependency (sync: runs in the thread pool, as it reads the warehouse)."""
    portal: Portal = request.app.state.portal
    session: Session = request.state.session
    lang = request.cookies.get(LANG_COOKIE)
    lang = lang if lang in LANGS else "vi"
    user = None
    if session.username:
        try:
            with portal.db() as wh:
                u = store.get_user(wh, session.username)
            portal.users_seen[session.username] = (u, time.monotonic())
        except Busy:  # an intake run holds the warehouse: the account as read a moment ago, if recent
            u, seen = portal.users_seen.get(session.username, (None, 0.0))
            if u is None or time.monotonic() - seen > USER_CACHE_SECONDS:
                raise
        if u and u.active and session.issued_at and session.issued_at >= u.sessions_valid_after:
            user = u
    return Ctx(request, portal, session, user, lang)


CtxDep = Annotated[Ctx, Depends(context)]


async def checked_form(request: Request, form=None):
    """The urlencoded form of a POST, refused (403) without the session's CSRF token."""
    form = form if form is not None else await request.form()
    portal: Portal = request.app.state.portal
    if not portal.sessions.csrf_ok(request.state.session, form.get(CSRF_FIELD)):
        raise HTTPException(403, detail="csrf")
    return form
