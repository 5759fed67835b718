"""HTML pages (server-rendered with Jinja2)."""

from __future__ import annotations

from importlib import resources

from fastapi import APIRouter, Request
from fastapi.templating import Jinja2Templates

from vidpub.api.deps import ConfigDep

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=str(resources.files("vidpub.web").joinpath("templates")))


@router.get("/")
async def home(request: Request, config: ConfigDep):
    return templates.TemplateResponse(request, "home.html", {"config": config})
