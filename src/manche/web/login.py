"""``/login`` and ``/logout``, and ``/language`` (the language switch).

Login checks the password (:class:`~manche.users.passwords.PasswordStore`), then sets the
signed session cookie (:mod:`manche.web.session`) and goes back to the page asked for (a local
path only, never another site). One message for every refusal, so the form does not tell which
user ids exist. Failed sign-ins are limited per user id and per client address
(:mod:`manche.users.throttle`): past the limit the form refuses, before checking the password,
with one message whether or not the user exists (429). Logout is a POST with the session's CSRF
token.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from manche.api.auth import password_store
from manche.errors import AccessDenied, TooManyAttempts, Unauthenticated
from manche.users.passwords import PasswordStore
from manche.users.throttle import SignInThrottle
from manche.web import i18n
from manche.web import session as web_session
from manche.web.i18n import N_
from manche.web.templating import render

router = APIRouter(include_in_schema=False)


def safe_next(target: str | None, default: str = "/picture") -> str:
    """A local path to go back to after login; anything else (another site) is ignored."""
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return default
    if "\\" in target:
        return default
    return target


async def sign_in_throttle(request: Request) -> SignInThrottle:
    """One throttle per application and database (its table is ensured once)."""
    db = request.app.state.db
    throttle: SignInThrottle | None = getattr(request.app.state, "manche_throttle", None)
    if throttle is None or throttle.db is not db:
        throttle = await run_in_threadpool(SignInThrottle, db)
        request.app.state.manche_throttle = throttle
    return throttle


def _login_page(
    request: Request,
    next_: str,
    error: str | None,
    user: str,
    status: int,
    minutes: int = 0,
) -> Response:
    token = web_session.login_csrf(request)
    response = render(
        request,
        "login.html",
        {
            "title": N_("Sign in"),
            "next": next_,
            "error": error,
            "user": user,
            "login_csrf": token,
            "minutes": minutes,
        },
        status_code=status,
    )
    web_session.set_login_csrf(request, response, token)
    return response


@router.get("/login")
def login_form(request: Request, next: str | None = None) -> Response:
    return _login_page(request, safe_next(next), None, "", 200)


@router.post("/login")
async def login(
    request: Request,
    user: str = Form(""),
    password: str = Form(""),
    csrf: str = Form(""),
    next: str = Form(""),
    passwords: PasswordStore = Depends(password_store),
    throttle: SignInThrottle = Depends(sign_in_throttle),
) -> Response:
    target = safe_next(next)
    if not web_session.same_token(request.cookies.get(web_session.LOGIN_CSRF_COOKIE), csrf):
        return _login_page(request, target, "expired", user, 400)
    if not user.strip() or not password:
        return _login_page(request, target, "missing", user, 400)
    address = request.client.host if request.client else None
    try:
        await run_in_threadpool(throttle.check, user, address)
    except TooManyAttempts as exc:
        response = _login_page(
            request, target, "throttled", user, 429, minutes=-(-exc.retry_after // 60)
        )
        response.headers["Retry-After"] = str(exc.retry_after)
        return response
    try:
        login = await run_in_threadpool(passwords.check, user.strip(), password)
    except Unauthenticated:
        await run_in_threadpool(throttle.failed, user, address)
        return _login_page(request, target, "refused", user, 401)
    await run_in_threadpool(throttle.succeeded, user)
    session = web_session.new_session(login.principal.user_id, login.password_version)
    response = RedirectResponse(target, status_code=303)
    web_session.set_cookie(request, response, session)
    response.delete_cookie(web_session.LOGIN_CSRF_COOKIE, path="/login")
    return response


@router.post("/logout")
def logout(request: Request, csrf: str = Form("")) -> Response:
    session = web_session.current(request)
    if session is not None and not web_session.same_token(session.csrf, csrf):
        raise AccessDenied("the sign-out form has expired: reload the page and try again")
    response = RedirectResponse("/login?signed_out=1", status_code=303)
    web_session.clear_cookie(response)
    return response


@router.get("/language")
def language(request: Request, lang: str, next: str | None = None) -> Response:
    """Switch the language (a cookie for a year) and go back where the user was."""
    response = RedirectResponse(safe_next(next, "/"), status_code=303)
    if lang in i18n.LANGUAGES:
        response.set_cookie(
            i18n.COOKIE, lang, max_age=365 * 86400, samesite="lax", httponly=True, path="/"
        )
    return response
