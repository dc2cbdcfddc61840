"""The template environment every page uses, with the i18n extension and Babel formatting.

:func:`render` is how a page answers: it activates the request's language, and gives every
template the signed-in principal (or None), the CSRF token of its session and the language
switch.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2
from fastapi import Request
from fastapi.templating import Jinja2Templates
from starlette.responses import Response

from manche import __version__
from manche.domain.access import Action, Principal, may
from manche.web import i18n
from manche.web import session as web_session

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"

templates = Jinja2Templates(
    env=jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR)),
        autoescape=True,
        extensions=["jinja2.ext.i18n"],
    )
)
templates.env.install_gettext_callables(  # type: ignore[attr-defined]
    i18n.gettext, i18n.ngettext, newstyle=True
)
templates.env.globals.update(
    version=__version__,
    languages=i18n.LANGUAGES,
    format_number=i18n.format_number,
    format_date=i18n.format_date,
    format_datetime=i18n.format_datetime,
    format_time=i18n.format_time,
    format_percent_change=i18n.format_percent_change,
    translated=lambda table: {code: i18n.gettext(name) for code, name in table.items()},
)
templates.env.filters.update(
    number=i18n.format_number,
    date=i18n.format_date,
    datetime=i18n.format_datetime,
    time=i18n.format_time,
)


SECURITY_HEADERS = {
    # only this site's own scripts, styles, images and connections (the map's SSE stream);
    # inline style attributes are allowed for the state colours, inline scripts are not
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
        "form-action 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


def render(
    request: Request,
    name: str,
    context: dict[str, Any],
    *,
    principal: Principal | None = None,
    status_code: int = 200,
) -> Response:
    language = i18n.negotiate(request)
    i18n.activate(language)
    session = web_session.current(request)
    full = {
        "lang": language,
        "principal": principal,
        "csrf": session.csrf if session is not None and principal is not None else "",
        "can": (lambda action: principal is not None and may(principal, Action[action])),
        "path": request.url.path,
        "query_string": request.url.query,
        **context,
    }
    response = templates.TemplateResponse(request, name, full, status_code=status_code)
    response.headers["Content-Language"] = language
    response.headers.update(SECURITY_HEADERS)
    response.headers.setdefault("Cache-Control", "no-store" if principal else "no-cache")
    return response
