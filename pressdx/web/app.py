"""The FastAPI application: the pages, the session middleware, security headers and error pages.

``create_app(settings)`` is what ``pressdx serve`` and the browser tests run.
"""

from __future__ import annotations

from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from pressdx.web import pages_auth, pages_press, pages_unit
from pressdx.web.auth import COOKIE, LANG_COOKIE, Session
from pressdx.web.config import PortalSettings
from pressdx.web.core import HERE, Busy, Ctx, NotSignedIn, Portal
from pressdx.web.i18n import LANGS


def create_app(settings: PortalSettings) -> FastAPI:
    app = FastAPI(title="pressdx portal", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.portal = Portal(settings)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    for module in (pages_auth, pages_unit, pages_press):
        app.include_router(module.router)

    @app.middleware("http")
    async def sessions(request: Request, call_next):
        portal: Portal = request.app.state.portal
        loaded = portal.sessions.load(request.cookies.get(COOKIE))
        request.state.session = loaded or Session.anonymous()
        response = await call_next(request)
        new = getattr(request.state, "new_session", None)
        if new is not None or loaded is None:
            response.set_cookie(COOKIE, portal.sessions.dump(new or request.state.session),
                                max_age=portal.sessions.max_age, httponly=True, samesite="lax",
                                secure=settings.secure_cookies, path="/")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("Content-Security-Policy",
                                    "default-src 'self'; img-src 'self' data:; style-src 'self'; "
                                    "script-src 'self'; frame-ancestors 'none'; form-action 'self'")
        return response

    def _page(request: Request, status: int, key: str) -> Response:
        lang = request.cookies.get(LANG_COOKIE)
        lang = lang if lang in LANGS else "vi"
        ctx = Ctx(request, request.app.state.portal, request.state.session, None, lang)
        return ctx.render("message.html", status_code=status, title=ctx.t("error"), message=ctx.t(key))

    @app.exception_handler(NotSignedIn)
    async def not_signed_in(request: Request, exc: NotSignedIn):
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)

    @app.exception_handler(Busy)
    async def busy(request: Request, exc: Busy):
        return _page(request, 503, "busy")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        if exc.status_code == 403:
            return _page(request, 403, "csrf" if exc.detail == "csrf" else "forbidden")
        if exc.status_code == 404:
            return _page(request, 404, "not_found")
        return _page(request, exc.status_code, "error")

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception):  # logged by uvicorn; the user gets a page, no trace
        return _page(request, 500, "error")

    return app
