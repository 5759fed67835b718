"""Instance Follows tag: the `ActorFollow` shape (follower and following actors, score, state)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from vidpub.db.models import ActorImageType
from vidpub.schemas.actors import ActorImage, actor_images, host_redundancy_allowed
from vidpub.schemas.common import ApiModel, RequestBody, Timestamp


class FollowActor(ApiModel):
    id: int
    url: str
    name: str
    host: str
    hostRedundancyAllowed: bool
    followingCount: int
    followersCount: int
    createdAt: Timestamp
    updatedAt: Timestamp
    avatars: list[ActorImage]


class Follow(ApiModel):
    id: int
    follower: FollowActor
    following: FollowActor
    score: int
    state: Literal["pending", "accepted", "rejected"]
    createdAt: Timestamp
    updatedAt: Timestamp


class FollowRequest(RequestBody):
    hosts: list[str] = Field(default_factory=list, max_length=100)
    handles: list[str] = Field(default_factory=list, max_length=100)


def follow_actor_json(actor, base_url: str, local_host: str) -> FollowActor:
    return FollowActor(
        id=actor.id, url=actor.url, name=actor.preferred_username,
        host=local_host if actor.server is None else actor.server.host,
        hostRedundancyAllowed=host_redundancy_allowed(actor), followingCount=actor.following_count,
        followersCount=actor.followers_count, createdAt=actor.created_at, updatedAt=actor.updated_at,
        avatars=actor_images(actor, ActorImageType.AVATAR, base_url))


def follow_json(follow, base_url: str, local_host: str) -> Follow:
    return Follow(id=follow.id, follower=follow_actor_json(follow.follower, base_url, local_host),
                  following=follow_actor_json(follow.following, base_url, local_host), score=follow.score,
                  state=follow.state, createdAt=follow.created_at, updatedAt=follow.updated_at)
