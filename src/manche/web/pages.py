"""Pages at the root of the site. Each area adds its own router module; this one is the home."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from manche.domain.access import Principal
from manche.web.deps import optional_principal
from manche.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/")
def home(request: Request, principal: Principal | None = Depends(optional_principal)) -> Response:
    return render(request, "home.html", {"title": "Manche"}, principal=principal)
