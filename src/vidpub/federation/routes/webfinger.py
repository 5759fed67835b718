"""WebFinger (`/.well-known/webfinger`, §5.8): accounts and channels share one name space."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import unquote

import sqlalchemy as sa
from fastapi import APIRouter, Depends, Query
from fastapi.responses import JSONResponse

from vidpub.api.deps import ConfigDep, SessionDep, rate_limited, refuse_nul_characters
from vidpub.db.models import Actor
from vidpub.errors import bad_request, not_found

router = APIRouter(include_in_schema=False, dependencies=[rate_limited("well_known"), Depends(refuse_nul_characters)])


def _local_name(config, resource: str) -> str | None:
    resource = unquote(resource.strip())
    if resource.startswith("acct:"):
        name, _, host = resource[len("acct:"):].lstrip("@").partition("@")
        return name if host.lower() == config.host.lower() else None
    for folder in ("/accounts/", "/video-channels/", "/a/", "/c/"):
        prefix = config.url + folder
        if resource.startswith(prefix) and "/" not in resource[len(prefix):]:
            return resource[len(prefix):]
    return None


@router.get("/.well-known/webfinger")
async def webfinger(session: SessionDep, config: ConfigDep,
                    resource: Annotated[str | None, Query(max_length=600)] = None):
    if not resource:
        raise bad_request("resource is required")
    name = _local_name(config, resource)
    actor = None
    if name:
        actor = (await session.execute(sa.select(Actor).where(
            Actor.server_id.is_(None), sa.func.lower(Actor.preferred_username) == name.lower()))).scalar_one_or_none()
    if actor is None:
        raise not_found("Unknown resource")
    return JSONResponse({
        "subject": f"acct:{actor.preferred_username}@{config.host}",
        "aliases": [actor.url],
        "links": [
            {"rel": "self", "type": "application/activity+json", "href": actor.url},
            {"rel": "http://ostatus.org/schema/1.0/subscribe", "template": f"{config.url}/remote-interaction?uri={{uri}}"},
        ],
    }, media_type="application/jrd+json", headers={"Access-Control-Allow-Origin": "*"})
