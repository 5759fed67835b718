"""Video channels: lists, statistics, who may manage one, creation, edition and deletion.

A channel is a Group actor owned by an account; its name shares the instance's name space with
accounts (WebFinger resolves both). Rights follow PeerTube: the owner, or a holder of
MANAGE_ANY_VIDEO_CHANNEL, manages a local channel.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from vidpub.config import Config
from vidpub.db.base import utcnow
from vidpub.db.models import Account, Actor, ActorFollow, ActorImage, ActorType, User, Video, VideoChannel, VideoView
from vidpub.errors import bad_request, conflict, forbidden, not_found
from vidpub.schemas.actors import channel_json
from vidpub.schemas.video_channels import (VideoChannelCreate, VideoChannelList, VideoChannelUpdate,
                                           VideoChannelWithStats, ViewsPerDate)
from vidpub.services import follows, handles
from vidpub.services.accounts import ensure_can_manage_account, ordered, page_of
from vidpub.services.actors import build_local_actor, local_name_taken
from vidpub.services.auth.rights import UserRight
from vidpub.services.playlists.editing import detach_channel_playlists
from vidpub.services.users import like_pattern
from vidpub.services.videos import files, removal

CHANNEL_SORTS = {"id": VideoChannel.id, "name": VideoChannel.name, "updatedAt": VideoChannel.updated_at,
                 "createdAt": VideoChannel.created_at}
STATS_DAYS = 30  # `viewsPerDay` covers these many days before today, and today
NAME_TAKEN = "Another actor (account/channel) with this name on this instance already exists or has already existed."


def with_owner():
    """Loader option: the owning account (and its actor) with the channel, as channel JSON needs."""
    return selectinload(VideoChannel.account)


# -- finding ----------------------------------------------------------------------------------------

async def get_channel(session: AsyncSession, config: Config, handle: str) -> VideoChannel:
    """The channel named `handle` (`name` or `name@host`) with its owner; 404 when unknown."""
    found = await handles.find_channel(session, config, handle)
    return (await session.execute(sa.select(VideoChannel).options(with_owner()).where(VideoChannel.id == found.id)
                                  .execution_options(populate_existing=True))).scalar_one()


def ensure_can_manage(channel: VideoChannel, user: User) -> None:
    """403 unless `user` owns the channel or holds MANAGE_ANY_VIDEO_CHANNEL; 403 for a remote channel."""
    ensure_can_manage_account(channel.account_id, user, UserRight.MANAGE_ANY_VIDEO_CHANNEL)
    if not channel.actor.is_local:
        raise forbidden("This channel is not owned.")


async def manageable_channel(session: AsyncSession, config: Config, handle: str, user: User) -> VideoChannel:
    channel = await get_channel(session, config, handle)
    ensure_can_manage(channel, user)
    return channel


async def manageable_channel_by_id(session: AsyncSession, channel_id: int, user: User) -> VideoChannel:
    channel = (await session.execute(sa.select(VideoChannel).options(with_owner())
                                     .where(VideoChannel.id == channel_id))).scalar_one_or_none()
    if channel is None:
        raise not_found("Video channel not found")
    ensure_can_manage(channel, user)
    return channel


async def count_channels(session: AsyncSession, account_id: int) -> int:
    return int((await session.execute(sa.select(sa.func.count()).select_from(VideoChannel)
                                      .where(VideoChannel.account_id == account_id))).scalar_one())


# -- lists ------------------------------------------------------------------------------------------

async def list_channels(session: AsyncSession, *, start: int, count: int, sort: str, account_id: int | None = None,
                        search: str | None = None) -> tuple[int, list[VideoChannel]]:
    """Channels known here (local and remote), or those of one account; `search` matches the display
    name or the name."""
    query = sa.select(VideoChannel).options(with_owner())
    if account_id is not None:
        query = query.where(VideoChannel.account_id == account_id)
    if search:
        pattern = like_pattern(search)
        query = query.join(Actor, Actor.id == VideoChannel.actor_id).where(sa.or_(
            sa.func.lower(VideoChannel.name).like(pattern, escape="\\"),
            sa.func.lower(Actor.preferred_username).like(pattern, escape="\\")))
    order = ordered(CHANNEL_SORTS[sort.lstrip("-")], sort, VideoChannel.id)
    return await page_of(session, query, order, start, count)


@dataclass
class ChannelStats:
    videos_count: int = 0
    total_views: int = 0
    views_per_day: list[tuple[datetime, int]] = field(default_factory=list)


def _day_of(column, dialect: str):
    """The UTC day of a timestamp column, portably (PostgreSQL would use the session's time zone)."""
    if dialect == "postgresql":
        return sa.func.date(sa.func.timezone("UTC", column))
    return sa.func.date(column)


def _as_date(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


async def channel_stats(session: AsyncSession, channel_ids: list[int]) -> dict[int, ChannelStats]:
    """`withStats` of each channel: its videos, their views, and the views of each of the last
    days (one point a day, zero included) — three queries for a whole page."""
    stats = {channel_id: ChannelStats() for channel_id in channel_ids}
    if not channel_ids:
        return stats
    rows = await session.execute(
        sa.select(Video.channel_id, sa.func.count(), sa.func.coalesce(sa.func.sum(Video.views), 0))
        .where(Video.channel_id.in_(channel_ids)).group_by(Video.channel_id))
    for channel_id, videos, views in rows:
        stats[channel_id].videos_count, stats[channel_id].total_views = int(videos), int(views)
    today = utcnow().date()
    first_day = today - timedelta(days=STATS_DAYS)
    day = _day_of(VideoView.start_date, session.bind.dialect.name).label("day")
    rows = await session.execute(
        sa.select(Video.channel_id, day, sa.func.sum(VideoView.views))
        .join(Video, Video.id == VideoView.video_id)
        .where(Video.channel_id.in_(channel_ids),
               VideoView.start_date >= datetime(first_day.year, first_day.month, first_day.day, tzinfo=UTC))
        .group_by(Video.channel_id, day))
    per_day: dict[int, dict[date, int]] = defaultdict(dict)
    for channel_id, day_value, views in rows:
        per_day[channel_id][_as_date(day_value)] = int(views or 0)
    days = [first_day + timedelta(days=offset) for offset in range(STATS_DAYS + 1)]
    for channel_id, item in stats.items():
        item.views_per_day = [(datetime(d.year, d.month, d.day, tzinfo=UTC), per_day[channel_id].get(d, 0))
                              for d in days]
    return stats


async def channel_list_json(session: AsyncSession, config: Config, total: int, rows: list[VideoChannel], *,
                            with_stats: bool) -> VideoChannelList:
    """A page of channels loaded with their owners (`with_owner()`), with their statistics if asked."""
    stats = await channel_stats(session, [row.id for row in rows]) if with_stats else {}
    data = []
    for row in rows:
        fields = dict(channel_json(row, config.url, config.host, owner=row.account))  # shallow: keeps nested models
        if row.id in stats:
            found = stats[row.id]
            fields.update(videosCount=found.videos_count, totalViews=found.total_views,
                          viewsPerDay=[ViewsPerDate(date=day, views=views) for day, views in found.views_per_day])
        data.append(VideoChannelWithStats(**fields))
    return VideoChannelList(total=total, data=data)


# -- changes ----------------------------------------------------------------------------------------

async def create_channel(session: AsyncSession, config: Config, user: User, body: VideoChannelCreate) -> VideoChannel:
    """A new local channel of the user's account: 409 when the name is taken by an account or a
    channel, 400 past `video_channels.max_per_user`."""
    account_id = user.account.id
    if await local_name_taken(session, body.name):
        raise conflict(NAME_TAKEN)
    # one creation at a time per account, so that two requests cannot both pass the limit
    await session.execute(sa.select(Account.id).where(Account.id == account_id).with_for_update())
    maximum = int(config.video_channels.max_per_user)
    if await count_channels(session, account_id) >= maximum:
        raise bad_request(f"You cannot create more than {maximum} channels")
    try:
        actor = build_local_actor(config.url, ActorType.GROUP, body.name)
        session.add(actor)
        await session.flush()
        channel = VideoChannel(name=body.displayName, description=body.description, support=body.support,
                               actor_id=actor.id, account_id=account_id)
        session.add(channel)
        await session.commit()
    except IntegrityError:  # the name was taken between the check and the insert
        await session.rollback()
        raise conflict(NAME_TAKEN) from None
    return channel


async def update_channel(session: AsyncSession, channel: VideoChannel, body: VideoChannelUpdate) -> None:
    """Change what the body names; with `bulkVideosSupportUpdate`, a new `support` is also copied to
    every video of the channel."""
    given = body.model_fields_set
    if "displayName" in given:
        channel.name = body.displayName
    if "description" in given:
        channel.description = body.description
    if "support" in given:
        support_changed = channel.support != body.support
        channel.support = body.support
        if body.bulkVideosSupportUpdate and support_changed:
            await session.execute(sa.update(Video).where(Video.channel_id == channel.id)
                                  .values(support=body.support).execution_options(synchronize_session=False))
    channel.updated_at = utcnow()  # a change of the actor counts as one (federation sends an Update)
    await session.commit()


async def delete_channel(session: AsyncSession, config: Config, channel: VideoChannel) -> None:
    """Remove the channel with its videos (and their files), its images, syncs and follows; its
    playlists stay with the account. The account's last channel cannot go (409)."""
    # one deletion at a time per account: two requests must not remove the last two channels
    await session.execute(sa.select(Account.id).where(Account.id == channel.account_id).with_for_update())
    if await count_channels(session, channel.account_id) <= 1:
        raise conflict("Cannot remove the last channel of this user")
    snapshot = await removal.delete_channel_videos(session, config, channel.id)
    images = (await session.execute(sa.select(ActorImage.filename).where(
        ActorImage.actor_id == channel.actor_id, ActorImage.on_disk.is_(True)))).scalars().all()
    snapshot.paths += [config.storage_path("avatars") / name for name in images]
    await detach_channel_playlists(session, channel.id)
    followers = (await session.execute(sa.select(ActorFollow.actor_id).where(
        ActorFollow.target_actor_id == channel.actor_id))).scalars().all()
    # the actor's row takes the channel, its images, syncs and follows with it (foreign keys)
    await session.execute(sa.delete(Actor).where(Actor.id == channel.actor_id))
    await follows.recount(session, list(followers))
    await session.commit()
    await files.remove_all_files(config, snapshot)
