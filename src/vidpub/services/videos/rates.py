"""Likes and dislikes of videos, and the `likes`/`dislikes` counters they keep on the video."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from vidpub.config import Config
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


async def rate_video(session: AsyncSession, config: Config, ref: str, user: User, rating: str,
                     video_password: str | None = None) -> None:
    """`PUT /videos/{id}/rate`: set, change or remove (`none`) the user's rate and move the
    video's counters by the same amount, in one transaction; peers hear of the change (Like,
    Dislike, Undo: `federation/outbox/send_rate.py`)."""
    video = await get_video(session, ref)
    await ensure_can_see(session, video, user, video_password)
    account = user.account
    previous = await apply_rate(session, account.id, video.id, rating, rate_url(account.actor.url, rating, video.id)
                                if rating != NONE else None)
    if previous != rating:
        from vidpub.federation.outbox.send_rate import send_rate_change

        await send_rate_change(session, config, account, video, previous, rating)
    await session.commit()


async def apply_rate(session: AsyncSession, account_id: int, video_id: int, rating: str, url: str | None) -> str:
    """Set the account's rate of the video (`none` removes it) with its ActivityPub id `url`, and move
    the video's counters; returns the previous rating (nothing changes when it is the same). Also
    used for rates received from peers. The caller commits."""
    # One rate change of a video at a time: the read of the previous rate below and the counter
    # update then see each other's effects (PostgreSQL; SQLite writers are serialised already).
    await session.execute(sa.select(Video.id).where(Video.id == video_id).with_for_update())
    previous = (await session.execute(sa.select(AccountVideoRate).where(
        AccountVideoRate.account_id == account_id,
        AccountVideoRate.video_id == video_id))).scalar_one_or_none()
    previous_rating = previous.type if previous is not None else NONE
    if previous_rating == rating:
        return previous_rating
    delta = {"likes": 0, "dislikes": 0}
    if previous is not None:
        delta[_COUNTER[previous.type]] -= 1
    if rating != NONE:
        delta[_COUNTER[rating]] += 1
    if rating == NONE:
        await session.delete(previous)
    elif previous is not None:
        previous.type = rating
        previous.url = url
    else:
        session.add(AccountVideoRate(account_id=account_id, video_id=video_id, type=rating, url=url))
    await session.execute(sa.update(Video).where(Video.id == video_id).values(
        likes=Video.likes + delta["likes"], dislikes=Video.dislikes + delta["dislikes"]))
    return previous_rating


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
