"""The `notify` job's rules on a real database of each backend: the events a video's scheduled
publication raises, who they reach (mutes, settings) and when an email may go out."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.jobs.helpers import make_database, open_runtime, run
from tests.support.transcoding import create_uploader, prepare_storage
from vidpub.db.base import utcnow
from vidpub.db.models import (Account, AccountBlocklist, Actor, Job, User, UserNotification,
                              UserNotificationSetting, UserNotificationType, VideoChannel, VideoState)
from vidpub.schemas.video_create import VideoAttributes
from vidpub.services import follows
from vidpub.services.notification_events import handle_event
from vidpub.services.notifications import NOTIFY_JOB
from vidpub.services.videos import creation, scheduled_updates

BOTH = 3


@pytest.fixture(scope="module")
def config(database_url_factory, tmp_path_factory):
    # emails wait for a verified address (the verification flag decides who may get one)
    config = make_database(database_url_factory(), tmp_path_factory.mktemp("notify-data"),
                           extra_env={"VIDPUB_SIGNUP__REQUIRES_EMAIL_VERIFICATION": "true"})
    prepare_storage(config)
    return config


async def _subscribe(runtime, user_id: int, channel_id: int) -> None:
    async with runtime.db.transaction() as session:
        follower = (await session.execute(sa.select(Actor).join(Account, Account.actor_id == Actor.id)
                                          .where(Account.user_id == user_id))).scalar_one()
        target = (await session.execute(sa.select(Actor).join(VideoChannel, VideoChannel.actor_id == Actor.id)
                                        .where(VideoChannel.id == channel_id))).scalar_one()
        await follows.follow_local_actor(session, follower, target)


async def _user(runtime, user_id: int, **changes) -> None:
    async with runtime.db.transaction() as session:
        await session.execute(sa.update(User).where(User.id == user_id).values(**changes))


async def _wants_everything_by_email(runtime, user_id: int) -> None:
    async with runtime.db.transaction() as session:
        await session.execute(sa.update(UserNotificationSetting)
                              .where(UserNotificationSetting.user_id == user_id)
                              .values(new_video_from_subscription=BOTH, my_video_published=BOTH))


async def _run_notify_jobs(runtime, since_id: int) -> None:
    """Handle the notify jobs enqueued after `since_id`, as the worker would."""
    async with runtime.db.session(write=False) as session:
        payloads = (await session.execute(sa.select(Job.payload).where(
            Job.type == NOTIFY_JOB, Job.id > since_id).order_by(Job.id))).scalars().all()
    for payload in payloads:
        async with runtime.db.transaction() as session:
            await handle_event(session, runtime.config, payload)


async def _last_job_id(runtime) -> int:
    async with runtime.db.session(write=False) as session:
        return (await session.execute(sa.select(sa.func.coalesce(sa.func.max(Job.id), 0)))).scalar_one()


async def _notified(runtime, user_id: int) -> list[int]:
    async with runtime.db.session(write=False) as session:
        return list((await session.execute(sa.select(UserNotification.type).where(
            UserNotification.user_id == user_id).order_by(UserNotification.id))).scalars())


async def _mailed_to(runtime, address: str, since_id: int) -> int:
    async with runtime.db.session(write=False) as session:
        payloads = (await session.execute(sa.select(Job.payload).where(
            Job.type == "email", Job.id > since_id))).scalars().all()
    return sum(1 for payload in payloads if address in payload["to"])


def test_a_scheduled_publication_reaches_subscribers_and_owner(config):
    async def scenario():
        async with open_runtime(config) as runtime:
            owner_id, channel_id = await create_uploader(runtime)
            fan_id, _ = await create_uploader(runtime)
            muting_id, _ = await create_uploader(runtime)
            unverified_id, _ = await create_uploader(runtime)
            for user_id in (fan_id, muting_id, unverified_id):
                await _subscribe(runtime, user_id, channel_id)
            for user_id in (owner_id, fan_id, unverified_id):
                await _wants_everything_by_email(runtime, user_id)
            await _user(runtime, unverified_id, email_verified=False)
            async with runtime.db.transaction() as session:
                accounts = dict((await session.execute(sa.select(Account.user_id, Account.id).where(
                    Account.user_id.in_([owner_id, muting_id])))).all())
                session.add(AccountBlocklist(account_id=accounts[muting_id],
                                             target_account_id=accounts[owner_id]))
                owner = await session.get(User, owner_id)
                past = (utcnow() - timedelta(minutes=1)).isoformat()
                attrs = VideoAttributes.parse({"name": "soon public", "channelId": channel_id, "privacy": 3,
                                               "scheduleUpdate": {"updateAt": past, "privacy": 1}})
                await creation.create_video_record(session, runtime.config, owner, attrs,
                                                   state=VideoState.PUBLISHED)
            since = await _last_job_id(runtime)

            assert await scheduled_updates.apply_due_updates(runtime) == 1
            await _run_notify_jobs(runtime, since)

            new_video = [UserNotificationType.NEW_VIDEO_FROM_SUBSCRIPTION]
            assert await _notified(runtime, fan_id) == new_video
            assert await _notified(runtime, unverified_id) == new_video
            assert await _notified(runtime, muting_id) == []
            # the owner did not wait for a transcoding, but the schedule published the video
            assert UserNotificationType.MY_VIDEO_PUBLISHED in await _notified(runtime, owner_id)
            async with runtime.db.session(write=False) as session:
                addresses = dict((await session.execute(sa.select(User.id, User.email).where(
                    User.id.in_([owner_id, fan_id, unverified_id])))).all())
            assert await _mailed_to(runtime, addresses[fan_id], since) == 1
            assert await _mailed_to(runtime, addresses[owner_id], since) == 1
            assert await _mailed_to(runtime, addresses[unverified_id], since) == 0  # not verified yet

    run(scenario())


def test_an_unknown_event_fails_the_job(config):
    async def scenario():
        async with open_runtime(config) as runtime:
            async with runtime.db.transaction() as session:
                with pytest.raises(ValueError):
                    await handle_event(session, runtime.config, {"action": "nothing-like-this"})

    run(scenario())
