"""Accounts, channels and their images, as PeerTube shows them."""

from __future__ import annotations

from pydantic import Field

from vidpub.db.models import ActorImageType
from vidpub.schemas.common import ApiModel, Timestamp


class ActorImage(ApiModel):
    path: str
    fileUrl: str
    width: int
    height: int
    createdAt: Timestamp
    updatedAt: Timestamp


class Account(ApiModel):
    id: int
    url: str
    name: str
    host: str
    hostRedundancyAllowed: bool | None = None
    followingCount: int
    followersCount: int
    createdAt: Timestamp
    updatedAt: Timestamp
    avatars: list[ActorImage]
    displayName: str
    description: str | None
    userId: int | None = None


class AccountSummary(ApiModel):
    id: int
    name: str
    displayName: str
    url: str
    host: str
    avatars: list[ActorImage]


class VideoChannel(ApiModel):
    id: int
    url: str
    name: str
    host: str
    hostRedundancyAllowed: bool | None = None
    followingCount: int
    followersCount: int
    createdAt: Timestamp
    updatedAt: Timestamp
    avatars: list[ActorImage]
    banners: list[ActorImage]
    displayName: str
    description: str | None
    support: str | None
    isLocal: bool
    ownerAccount: Account | None = None
    # PeerTube's User.videoChannels carry the owner's id instead of the account
    ownerAccountId: int | None = Field(default=None)


class VideoChannelSummary(ApiModel):
    id: int
    name: str
    displayName: str
    url: str
    host: str
    avatars: list[ActorImage]


# -- builders from ORM rows -------------------------------------------------------------------------

def _host(actor, local_host: str) -> str:
    return local_host if actor.server is None else actor.server.host


def host_redundancy_allowed(actor) -> bool:
    """Whether the actor's server lets us mirror its videos (always false for local actors)."""
    return actor.server is not None and bool(actor.server.redundancy_allowed)


def actor_images(actor, image_type: int, base_url: str) -> list[ActorImage]:
    folder = "avatars" if image_type == ActorImageType.AVATAR else "banners"
    out = []
    for image in actor.images:
        if image.type != image_type:
            continue
        path = f"/lazy-static/{folder}/{image.filename}"
        out.append(ActorImage(path=path, fileUrl=image.file_url or base_url + path, width=image.width,
                              height=image.height, createdAt=image.created_at, updatedAt=image.updated_at))
    return out


def account_json(account, base_url: str, local_host: str) -> Account:
    actor = account.actor
    return Account(
        id=account.id, url=actor.url, name=actor.preferred_username, host=_host(actor, local_host),
        hostRedundancyAllowed=host_redundancy_allowed(actor),
        followingCount=actor.following_count, followersCount=actor.followers_count,
        createdAt=account.created_at, updatedAt=account.updated_at,
        avatars=actor_images(actor, ActorImageType.AVATAR, base_url),
        displayName=account.name, description=account.description, userId=account.user_id)


def account_summary_json(account, base_url: str, local_host: str) -> AccountSummary:
    actor = account.actor
    return AccountSummary(id=account.id, name=actor.preferred_username, displayName=account.name, url=actor.url,
                          host=_host(actor, local_host), avatars=actor_images(actor, ActorImageType.AVATAR, base_url))


def channel_json(channel, base_url: str, local_host: str, owner=None) -> VideoChannel:
    actor = channel.actor
    return VideoChannel(
        id=channel.id, url=actor.url, name=actor.preferred_username, host=_host(actor, local_host),
        hostRedundancyAllowed=host_redundancy_allowed(actor),
        followingCount=actor.following_count, followersCount=actor.followers_count,
        createdAt=channel.created_at, updatedAt=channel.updated_at,
        avatars=actor_images(actor, ActorImageType.AVATAR, base_url),
        banners=actor_images(actor, ActorImageType.BANNER, base_url),
        displayName=channel.name, description=channel.description, support=channel.support,
        isLocal=actor.server_id is None,
        ownerAccount=account_json(owner, base_url, local_host) if owner is not None else None,
        ownerAccountId=channel.account_id)
