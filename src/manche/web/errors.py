"""Errors on pages: the same status as the API, shown as a page rather than JSON.

A request for a page (not under ``/api/``, from a browser accepting HTML) gets an HTML error
page with the status the API would give (403, 404...); an unauthenticated one is sent to the
login page and back afterwards.
"""

from __future__ import annotations

from urllib.parse import quote

from fastapi import Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from manche.web import i18n
from manche.web.error_words import error_words
from manche.web.i18n import N_
from manche.web.templating import render

TITLES = {
    400: N_("There is a problem with the request"),
    403: N_("You do not have access to this page"),
    404: N_("Page not found"),
    405: N_("This action is not allowed here"),
    409: N_("This conflicts with what is already recorded"),
    422: N_("There is a problem with what was sent"),
    500: N_("Sorry, there is a problem with the service"),
}


def wants_html(request: Request) -> bool:
    path = request.url.path
    if path.startswith("/api/") or path.startswith("/static/"):
        return False
    accept = request.headers.get("accept", "")
    return "text/html" in accept or request.method == "POST"


def html_error(request: Request, status: int, code: str, message: str) -> Response:
    if status == 401:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)
    title = TITLES.get(status, TITLES[500] if status >= 500 else TITLES[400])
    i18n.activate(i18n.negotiate(request))  # the message in the page's language, if known
    return render(
        request,
        "error.html",
        {"title": title, "status": status, "code": code, "message": error_words(message)},
        status_code=status,
    )
