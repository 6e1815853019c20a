"""Signing in and out, and the language switch.

Failed sign-ins are counted per account and per client address (``portal.login_attempts``); past the
limit within the window, sign-in is refused even with the right password until the window has passed.
Every attempt, either way, is an ``audit.portal_events`` row (never with the password).
"""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse

from pressdx.web import store
from pressdx.web.auth import LANG_COOKIE, Session, verify_password
from pressdx.web.core import Ctx, CtxDep, checked_form
from pressdx.web.i18n import LANGS

router = APIRouter()


def safe_next(target: str | None) -> str:
    """Only a local path: never redirect a user to another site after sign-in."""
    if not target:
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def home_of(user: store.User) -> str:
    return f"/units/{user.unit_code}" if user.role == "clerk" else "/dashboard"


@router.get("/")
def home(ctx: CtxDep):
    return RedirectResponse(home_of(ctx.require()), status_code=303)


@router.get("/login")
def login_page(ctx: CtxDep, next: str | None = None):
    return ctx.render("login.html", next=safe_next(next), error=None)


def _login(ctx: Ctx, username: str, password: str) -> tuple[store.User | None, str | None]:
    s = ctx.portal.settings
    window = timedelta(minutes=s.window_minutes)
    with ctx.portal.db() as wh:
        locked = (store.recent_failures(wh, window, username=username) >= s.account_failures
                  or store.recent_failures(wh, window, ip=ctx.ip) >= s.ip_failures)
        if locked:
            store.record_attempt(wh, username, ctx.ip, False)
            store.event(wh, "login", "refused_rate_limited", username=username, ip=ctx.ip)
            return None, "login_locked"
        user = store.get_user(wh, username)
    ok = verify_password(user.password_hash if user else None, password) and user is not None and user.active
    with ctx.portal.db() as wh:
        store.record_attempt(wh, username, ctx.ip, ok)
        store.event(wh, "login", "success" if ok else "failure", username=username,
                    unit_code=user.unit_code if user else None, ip=ctx.ip)
    return (user, None) if ok else (None, "login_failed")


@router.post("/login")
async def login(request: Request, ctx: CtxDep):
    form = await checked_form(request)
    username = str(form.get("username", "")).strip()[:100]
    password = str(form.get("password", ""))[:1000]
    target = safe_next(str(form.get("next") or "/"))
    user, error = await run_in_threadpool(_login, ctx, username, password)
    if user is None:
        msg = ctx.t(error, minutes=int(ctx.portal.settings.window_minutes))
        return ctx.render("login.html", status_code=429 if error == "login_locked" else 401, next=target,
                          error=msg, username=username)
    request.state.new_session = Session.signed_in(user.username)  # a fresh nonce: no session fixation
    return RedirectResponse(target if target != "/" else "/", status_code=303)


@router.post("/logout")
async def logout(request: Request, ctx: CtxDep):
    await checked_form(request)
    if ctx.user:
        await run_in_threadpool(ctx.audit, "logout", "success", None, ctx.user.unit_code)
    request.state.new_session = Session.anonymous()
    return RedirectResponse("/login", status_code=303)


@router.get("/lang/{lang}")
def switch_language(lang: str, next: str | None = None):
    response = RedirectResponse(safe_next(next), status_code=303)
    if lang in LANGS:
        response.set_cookie(LANG_COOKIE, lang, max_age=365 * 86400, samesite="lax", httponly=True)
    return response


@router.get("/healthz")
def healthz():
    return {"ok": True}
