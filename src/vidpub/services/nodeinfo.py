"""NodeInfo 2.0: how crawlers and other fediverse software recognise the instance as PeerTube.

The document is cached for ten minutes per process, as PeerTube does (statistics crawlers poll it).
"""

from __future__ import annotations

import json
import time
import weakref
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from vidpub import PEERTUBE_COMPATIBLE_VERSION
from vidpub.config import Config
from vidpub.db.base import utcnow
from vidpub.db.models import Account, Actor, User, Video
from vidpub.db.models.comments import VideoComment
from vidpub.runtime import Runtime
from vidpub.services.actors import SERVER_ACTOR_NAME
from vidpub.services.server_config import public_config

SCHEMA_20 = "http://nodeinfo.diaspora.software/ns/schema/2.0"
CONTENT_TYPE_20 = f'application/json; profile="{SCHEMA_20}#"'
CACHE_TTL_S = 600


def discovery_links(config: Config) -> dict:
    return {"links": [
        {"rel": SCHEMA_20, "href": f"{config.url}/nodeinfo/2.0.json"},
        {"rel": "https://www.w3.org/ns/activitystreams#Application",
         "href": f"{config.url}/accounts/{SERVER_ACTOR_NAME}"},
    ]}


async def local_content_counts(session: AsyncSession) -> tuple[int, int]:
    """(local videos, comments written by local accounts and not deleted): PeerTube's `localPosts`
    and `localComments`."""
    videos = sa.select(sa.func.count()).select_from(Video).where(Video.remote.is_(False)).scalar_subquery()
    comments = (sa.select(sa.func.count()).select_from(VideoComment)
                .join(Account, Account.id == VideoComment.account_id)
                .join(Actor, Actor.id == Account.actor_id)
                .where(Actor.server_id.is_(None), VideoComment.deleted_at.is_(None)).scalar_subquery())
    row = (await session.execute(sa.select(videos, comments))).one()
    return row[0], row[1]


async def user_counts(session: AsyncSession) -> dict:
    """Users in total and those who logged in within the last 30 and 180 days."""
    now = utcnow()

    def logged_in_since(days: int):
        return sa.func.count().filter(User.last_login_date > now - timedelta(days=days))

    row = (await session.execute(sa.select(
        sa.func.count(), logged_in_since(30), logged_in_since(180)).select_from(User))).one()
    return {"total": row[0], "activeMonth": row[1], "activeHalfyear": row[2]}


def _node_config(public: dict) -> dict:
    """The subset of `ServerConfig` that PeerTube publishes in `metadata.nodeConfig`."""
    transcoding, live = public["transcoding"], public["live"]
    return {
        "search": {"remoteUri": public["search"]["remoteUri"]},
        "plugin": {"registered": public["plugin"]["registered"]},
        "theme": {"registered": public["theme"]["registered"], "default": public["theme"]["default"]},
        "email": public["email"],
        "contactForm": public["contactForm"],
        "transcoding": {"hls": transcoding["hls"], "web_videos": transcoding["web_videos"],
                        "enabledResolutions": transcoding["enabledResolutions"]},
        "live": {"enabled": live["enabled"], "transcoding": {
            "enabled": live["transcoding"]["enabled"],
            "enabledResolutions": live["transcoding"]["enabledResolutions"]}},
        "import": {"videos": public["import"]["videos"]},
        "autoBlacklist": public["autoBlacklist"],
        "avatar": {"file": public["avatar"]["file"]},
        "video": public["video"],
        "videoCaption": public["videoCaption"],
        "user": public["user"],
        "trending": {"videos": {"intervalDays": public["trending"]["videos"]["intervalDays"]}},
        "tracker": public["tracker"],
    }


async def build_nodeinfo(session: AsyncSession, config: Config, public: dict) -> dict:
    local_posts, local_comments = await local_content_counts(session)
    return {
        "version": "2.0",
        "software": {"name": "peertube", "version": PEERTUBE_COMPATIBLE_VERSION},
        "protocols": ["activitypub"],
        "services": {"inbound": [], "outbound": ["atom1.0", "rss2.0"]},
        "openRegistrations": bool(config.signup.enabled),
        "usage": {
            "users": await user_counts(session),
            "localPosts": local_posts,
            "localComments": local_comments,
        },
        "metadata": {
            "taxonomy": {"postsName": "Videos"},
            "nodeName": config.instance.name,
            "nodeDescription": config.instance.short_description,
            "nodeConfig": _node_config(public),
        },
    }


@dataclass
class _Cached:
    config: Config
    expires: float
    body: bytes


_cache: weakref.WeakKeyDictionary[Runtime, _Cached] = weakref.WeakKeyDictionary()


async def nodeinfo_body(runtime: Runtime, session: AsyncSession) -> bytes:
    config = runtime.config
    cached = _cache.get(runtime)
    if cached is not None and cached.config is config and cached.expires > time.monotonic():
        return cached.body
    document = await build_nodeinfo(session, config, await public_config(runtime))
    body = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    _cache[runtime] = _Cached(config, time.monotonic() + CACHE_TTL_S, body)
    return body
