"""HTML pages (server-rendered with Jinja2): one router gathering the pages' modules."""

from __future__ import annotations

from fastapi import APIRouter

from vidpub.web import pages_account, pages_actors, pages_admin, pages_videos, sitemap
from vidpub.web.rendering import templates  # noqa: F401 (the pages' Jinja environment, for other web modules)

router = APIRouter(include_in_schema=False)
for _module in (pages_videos, pages_actors, pages_account, pages_admin, sitemap):
    router.include_router(_module.router)
