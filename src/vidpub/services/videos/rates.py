"""Likes and dislikes of videos, and the `likes`/`dislikes` counters they keep on the video."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from vidpub.db.models import AccountVideoRate, User, Video
from vidpub.errors import not_found
from vidpub.services.videos.lookup import ensure_can_see, get_video, ref_condition

LIKE = "like"
DISLIKE = "dislike"
NONE = "none"
_COUNTER = {LIKE: "likes", DISLIKE: "dislikes"}


def rate_url(actor_url: str, rating: str, video_id: int) -> str:
    """The ActivityPub id of a local rate: `<account actor>/likes/<video id>` (or `/dislikes/`)."""
    return f"{actor_url}/{_COUNTER[rating]}/{video_id}"


async def rate_video(session: AsyncSession, ref: str, user: User, rating: str,
                     video_password: str | None = None) -> None:
    """`PUT /videos/{id}/rate`: set, change or remove (`none`) the user's rate and move the
    video's counters by the same amount, in one transaction."""
    video = await get_video(session, ref)
    await ensure_can_see(session, video, user, video_password)
    # One rate change of a video at a time: the read of the previous rate below and the counter
    # update then see each other's effects (PostgreSQL; SQLite writers are serialised already).
    await session.execute(sa.select(Video.id).where(Video.id == video.id).with_for_update())
    account = user.account
    previous = (await session.execute(sa.select(AccountVideoRate).where(
        AccountVideoRate.account_id == account.id,
        AccountVideoRate.video_id == video.id))).scalar_one_or_none()
    previous_rating = previous.type if previous is not None else NONE
    if previous_rating == rating:
        return
    delta = {"likes": 0, "dislikes": 0}
    if previous is not None:
        delta[_COUNTER[previous.type]] -= 1
    if rating != NONE:
        delta[_COUNTER[rating]] += 1
    if rating == NONE:
        await session.delete(previous)
    elif previous is not None:
        previous.type = rating
        previous.url = rate_url(account.actor.url, rating, video.id)
    else:
        session.add(AccountVideoRate(account_id=account.id, video_id=video.id, type=rating,
                                     url=rate_url(account.actor.url, rating, video.id)))
    await session.execute(sa.update(Video).where(Video.id == video.id).values(
        likes=Video.likes + delta["likes"], dislikes=Video.dislikes + delta["dislikes"]))
    await session.commit()


async def my_rating(session: AsyncSession, ref: str, user: User) -> tuple[int, str]:
    """(video id, the user's rating of it: like, dislike or none). As PeerTube, only the video's
    existence is checked: the answer is about the caller's own rate."""
    condition = ref_condition(ref)
    video_id = None
    if condition is not None:
        video_id = (await session.execute(sa.select(Video.id).where(condition))).scalar_one_or_none()
    if video_id is None:
        raise not_found("Video not found")
    rating = (await session.execute(sa.select(AccountVideoRate.type).where(
        AccountVideoRate.account_id == user.account.id,
        AccountVideoRate.video_id == video_id))).scalar_one_or_none()
    return video_id, rating or NONE
