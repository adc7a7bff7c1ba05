"""/admin: the KPI dashboard and review queue, a Starlette app mounted into the bot's web app.

Every page but the sign-in form needs a signed-in user (HTML pages redirect to the sign-in form,
`/admin/data.json` answers 401); every POST checks the session's CSRF token (403 otherwise).
Without ADMIN_SESSION_SECRET and a way to sign in (ADMIN_USERNAME + ADMIN_PASSWORD_HASH, or
ADMIN_SSO_HEADER) every route answers 503 naming the missing settings.
"""

from __future__ import annotations

import datetime as dt
import logging

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.config import Settings
from bot.store.stores import Stores
from bot.variants.assign import Variants
from bot.web.auth import CSRF_FIELD, USER, AdminAuth, csrf_ok, csrf_token, sign_in
from bot.web.dashboard import STATIC, Dashboard, env, gather, render

log = logging.getLogger(__name__)

SESSION_COOKIE = "policybot_admin"
NOT_CONFIGURED = (
    "The admin dashboard is not configured: set ADMIN_SESSION_SECRET and either ADMIN_USERNAME with "
    "ADMIN_PASSWORD_HASH (policybot admin hash-password) or ADMIN_SSO_HEADER."
)
CSRF_FAILED = "The form was not sent from this dashboard's current page (CSRF check failed). Reload the page and try again."
SECURITY_HEADERS = {
    "content-security-policy": "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "cache-control": "no-store",
}

env.filters["when"] = lambda ts: dt.datetime.fromtimestamp(ts, dt.UTC).strftime("%Y-%m-%d %H:%M")


def create_admin_app(settings: Settings, stores: Stores, *, variants: Variants | None = None) -> ASGIApp:
    """The /admin app over `stores`; `variants`: the experiment in force (shown with its errors)."""
    auth = AdminAuth(settings)
    if not auth.configured:
        log.warning(NOT_CONFIGURED)
        return PlainTextResponse(NOT_CONFIGURED, status_code=503)
    variants = variants or Variants(None)

    def page(request: Request, template: str, status: int = 200, **context: object) -> HTMLResponse:
        base = request.scope.get("root_path", "")
        html = render(
            template,
            base=base,
            static=f"{base}/static",
            inline=None,
            user=auth.user(request),
            csrf=csrf_token(request),
            **context,
        )
        return HTMLResponse(html, status_code=status)

    def to_login(request: Request) -> RedirectResponse:
        return RedirectResponse(f"{request.scope.get('root_path', '')}/login", status_code=303)

    def dashboard() -> Dashboard:
        return gather(settings, stores, variants, settings.admin_days)

    async def overview(request: Request) -> Response:
        if not auth.user(request):
            return to_login(request)
        return page(request, "dashboard.html", board=await run_in_threadpool(dashboard), page="overview")

    async def data(request: Request) -> Response:
        if not auth.user(request):
            return JSONResponse({"error": "sign in first"}, status_code=401)
        board = await run_in_threadpool(dashboard)
        return JSONResponse({**board.kpis.to_dict(), "review_backlog": board.review_backlog})

    async def review(request: Request, notice: str | None = None, error: str | None = None) -> Response:
        if not auth.user(request):
            return to_login(request)
        items = await run_in_threadpool(stores.feedback.review_queue, 100)
        return page(request, "review.html", items=items, page="review", notice=notice, error=error)

    async def resolve(request: Request) -> Response:
        user = auth.user(request)
        if not user:
            return to_login(request)
        form = await request.form()
        if not csrf_ok(request, form.get(CSRF_FIELD)):
            return PlainTextResponse(CSRF_FAILED, status_code=403)
        channel, ts, note = (str(form.get(f, "")).strip() for f in ("channel", "ts", "note"))
        done = bool(note) and await run_in_threadpool(stores.feedback.resolve, channel, ts, user, note)
        if done:
            return await review(request, notice=f"Resolved the answer {channel} {ts}.")
        return await review(request, error=f"Could not resolve {channel} {ts}: it is not in the queue, or the note was empty.")

    async def login(request: Request) -> Response:
        if request.method == "GET":
            return page(request, "login.html", password_login=auth.password_login)
        form = await request.form()
        if not csrf_ok(request, form.get(CSRF_FIELD)):
            return PlainTextResponse(CSRF_FAILED, status_code=403)
        username, password = str(form.get("username", "")), str(form.get("password", ""))
        if not await run_in_threadpool(auth.check_password, username, password):
            log.warning("admin sign-in failed for %r", username[:64])
            return page(
                request, "login.html", status=401, password_login=auth.password_login, error="Wrong username or password."
            )
        sign_in(request, username)
        return RedirectResponse(f"{request.scope.get('root_path', '')}/", status_code=303)

    async def logout(request: Request) -> Response:
        form = await request.form()
        if not csrf_ok(request, form.get(CSRF_FIELD)):
            return PlainTextResponse(CSRF_FAILED, status_code=403)
        request.session.pop(USER, None)
        return to_login(request)

    app = Starlette(
        routes=[
            Route("/", overview, methods=["GET"]),
            Route("/data.json", data, methods=["GET"]),
            Route("/review", review, methods=["GET"]),
            Route("/review/resolve", resolve, methods=["POST"]),
            Route("/login", login, methods=["GET", "POST"]),
            Route("/logout", logout, methods=["POST"]),
            Mount("/static", StaticFiles(directory=STATIC), name="static"),
        ],
        middleware=[
            Middleware(
                SessionMiddleware,
                secret_key=settings.admin_session_secret or "",
                session_cookie=SESSION_COOKIE,
                max_age=int(settings.admin_session_hours * 3600),
                same_site="strict",
                https_only=settings.admin_cookie_secure,
            )
        ],
    )
    return _with_headers(app)


def _with_headers(app: ASGIApp) -> ASGIApp:
    """Add `SECURITY_HEADERS` to every response of `app`."""

    async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [
                    *message.get("headers", []),
                    *((k.encode(), v.encode()) for k, v in SECURITY_HEADERS.items()),
                ]
            await send(message)

        await app(scope, receive, send_with_headers)

    return wrapped
