"""Well-known routes: robots.txt, security.txt, host-meta."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import PlainTextResponse, RedirectResponse, Response

from vidpub.api.deps import ConfigDep

router = APIRouter(include_in_schema=False)


@router.get("/robots.txt", response_class=PlainTextResponse)
async def robots(config: ConfigDep):
    return PlainTextResponse(config.instance.robots, headers={"Cache-Control": "public, max-age=7200"})


@router.get("/.well-known/security.txt", response_class=PlainTextResponse)
async def security_txt(config: ConfigDep):
    return PlainTextResponse(config.instance.securitytxt)


@router.get("/security.txt")
async def security_txt_legacy():
    return RedirectResponse("/.well-known/security.txt", status_code=301)


@router.get("/.well-known/host-meta")
async def host_meta(config: ConfigDep):
    xml = ('<?xml version="1.0" encoding="UTF-8"?>\n'
           '<XRD xmlns="http://docs.oasis-open.org/ns/xri/xrd-1.0">\n'
           f'  <Link rel="lrdd" type="application/xrd+xml" template="{config.url}/.well-known/webfinger?resource={{uri}}"/>\n'
           '</XRD>\n')
    return Response(xml, media_type="application/xml; charset=utf-8")


@router.get("/.well-known/change-password")
async def change_password():
    return RedirectResponse("/my-account/settings", status_code=302)
