"""Notifications: each event reaches the right users as a notification and, when their settings
say so, as an email; the list, its filters and read marks; the settings."""

from __future__ import annotations

import uuid

import pytest

from tests.support.imports import channel_id
from tests.support.notifications import (BOTH, COMMENT_MENTION, EMAIL, MY_VIDEO_IMPORT_ERROR,
                                         MY_VIDEO_IMPORT_SUCCESS, MY_VIDEO_PUBLISHED,
                                         MY_VIDEO_STUDIO_EDITION_FINISHED, NEW_COMMENT_ON_MY_VIDEO,
                                         NEW_FOLLOW, NEW_USER_REGISTRATION, NEW_USER_REGISTRATION_REQUEST,
                                         NEW_VIDEO_FROM_SUBSCRIPTION, NONE, NOTIFICATIONS, WEB, handle,
                                         jobs_drained, mails_to, notifications, of_type, set_notifications,
                                         subscribe, wait_for_notification)
from tests.support.published_videos import published_video
from tests.support.videos import wait_for_state

PUBLISHED = 1


@pytest.fixture
def creator(server, unique):
    return server.create_user(f"notif_creator{unique}")


# -- follows ------------------------------------------------------------------------------------------

def test_a_new_follower_is_announced_to_the_channel_owner(server, creator, unique):
    set_notifications(creator, newFollow=BOTH)
    fan = server.create_user(f"notif_fan{unique}")
    subscribe(fan, handle(creator, server))

    item = wait_for_notification(server, creator, NEW_FOLLOW)
    assert item["read"] is False
    follow = item["actorFollow"]
    assert follow["state"] == "accepted"
    assert follow["follower"]["name"] == f"notif_fan{unique}"
    assert follow["follower"]["id"] == fan.get(f"/api/v1/accounts/notif_fan{unique}").json()["id"]
    assert follow["following"] == {"type": "channel", "name": handle(creator, server).split("@")[0],
                                   "displayName": f"Main notif_creator{unique} channel",
                                   "host": server.url.split("://", 1)[1]}
    assert item["video"] is None and item["comment"] is None and item["account"] is None
    mail = server.wait_for(lambda: mails_to(server, f"notif_creator{unique}@example.com"))[-1]
    assert mail["subject"].endswith(f"New follower on your channel Main notif_creator{unique} channel")
    assert f"notif_fan{unique}" in mail["text"]


def test_no_follow_notification_when_the_setting_is_off(server, creator, unique):
    set_notifications(creator, newFollow=NONE)
    subscribe(server.create_user(f"notif_quiet{unique}"), handle(creator, server))
    jobs_drained(server, "notify")
    assert of_type(creator, NEW_FOLLOW) == []


# -- videos -------------------------------------------------------------------------------------------

def test_a_new_video_reaches_the_subscribers_who_want_it(server, creator, unique):
    target = handle(creator, server)
    web, both, email_only, off, muting, stranger = (
        server.create_user(f"notif_{role}{unique}")
        for role in ("web", "both", "mail", "off", "mute", "none"))
    for client, value in ((web, WEB), (both, BOTH), (email_only, EMAIL), (off, NONE), (muting, WEB)):
        set_notifications(client, newVideoFromSubscription=value)
        subscribe(client, target)
    muted = muting.post("/api/v1/users/me/blocklist/accounts", json={"accountName": f"notif_creator{unique}"})
    assert muted.status_code == 204, muted.text

    video = published_video(creator, name=f"fresh {unique}")
    item = wait_for_notification(server, web, NEW_VIDEO_FROM_SUBSCRIPTION,
                                 lambda n: n["video"]["uuid"] == video["uuid"])
    assert item["video"]["name"] == f"fresh {unique}"
    assert item["video"]["shortUUID"] == video["shortUUID"]
    assert item["video"]["state"] == {"id": PUBLISHED, "label": "Published"}
    assert item["video"]["channel"]["name"] == target.split("@")[0]
    # the same job notified everyone, in one transaction
    assert [n["video"]["uuid"] for n in of_type(both, NEW_VIDEO_FROM_SUBSCRIPTION)] == [video["uuid"]]
    for client in (email_only, off, muting, stranger):
        assert of_type(client, NEW_VIDEO_FROM_SUBSCRIPTION) == []

    mail = server.wait_for(lambda: mails_to(server, f"notif_both{unique}@example.com"))[-1]
    assert "just published a new video" in mail["subject"]
    assert f"/w/{video['shortUUID']}" in mail["text"]
    server.wait_for(lambda: mails_to(server, f"notif_mail{unique}@example.com"))
    jobs_drained(server, "email")
    for role in ("web", "off", "mute", "none"):
        assert mails_to(server, f"notif_{role}{unique}@example.com") == []


def test_a_private_video_is_announced_when_it_becomes_public(server, creator, unique):
    fan = server.create_user(f"notif_private{unique}")
    subscribe(fan, handle(creator, server))
    video = published_video(creator, privacy=3)
    jobs_drained(server, "notify")
    assert of_type(fan, NEW_VIDEO_FROM_SUBSCRIPTION) == []

    response = creator.put(f"/api/v1/videos/{video['uuid']}", json={"privacy": 1})
    assert response.status_code == 204, response.text
    item = wait_for_notification(server, fan, NEW_VIDEO_FROM_SUBSCRIPTION)
    assert item["video"]["uuid"] == video["uuid"]


def test_the_owner_who_waited_for_the_transcoding_hears_of_the_publication(server, creator, unique):
    set_notifications(creator, myVideoPublished=BOTH)
    waited = published_video(creator, waitTranscoding=True)
    item = wait_for_notification(server, creator, MY_VIDEO_PUBLISHED)
    assert item["video"]["uuid"] == waited["uuid"]
    mail = server.wait_for(lambda: mails_to(server, f"notif_creator{unique}@example.com"))[-1]
    assert mail["subject"].endswith("Your video has been published")

    # not waiting for the transcoding: the video was watchable from the start, nothing to announce
    published_video(creator, waitTranscoding=False)
    jobs_drained(server, "notify")
    assert [n["video"]["uuid"] for n in of_type(creator, MY_VIDEO_PUBLISHED)] == [waited["uuid"]]


def test_the_importer_hears_how_the_import_ended(import_server, media_host, unique):
    server = import_server
    importer = server.create_user(f"notif_importer{unique}")
    set_notifications(importer, myVideoImportFinished=BOTH)
    url = media_host.base_url + "/clip.mp4"
    created = importer.post("/api/v1/videos/imports", json={
        "channelId": channel_id(importer), "targetUrl": url, "name": f"imported {unique}"})
    assert created.status_code == 200, created.text
    item = wait_for_notification(server, importer, MY_VIDEO_IMPORT_SUCCESS)
    assert item["videoImport"]["id"] == created.json()["id"]
    assert item["videoImport"]["targetUrl"] == url and item["videoImport"]["targetUri"] == url
    assert item["videoImport"]["video"]["uuid"] == created.json()["video"]["uuid"]
    mail = server.wait_for(lambda: mails_to(server, f"notif_importer{unique}@example.com"))[-1]
    assert mail["subject"].endswith("Your video import is complete")

    gone = media_host.add(f"/notif-gone-{unique}.mp4", media_host.routes["/clip.mp4"].body, times=1)
    failed = importer.post("/api/v1/videos/imports", json={
        "channelId": channel_id(importer), "targetUrl": gone, "name": f"broken {unique}"})
    assert failed.status_code == 200, failed.text
    item = wait_for_notification(server, importer, MY_VIDEO_IMPORT_ERROR)
    assert item["videoImport"]["id"] == failed.json()["id"]
    server.wait_for(lambda: any("encountered an error" in mail["subject"]
                                for mail in mails_to(server, f"notif_importer{unique}@example.com")))


# -- sign-ups -----------------------------------------------------------------------------------------

def _moderator(server, name: str):
    moderator = server.create_user(name, role=1)
    set_notifications(moderator, newUserRegistration=BOTH)
    return moderator


def test_moderators_hear_of_direct_sign_ups(server_factory, unique):
    server = server_factory(config={"signup": {"enabled": True, "requires_approval": False, "limit": -1}})
    moderator = _moderator(server, f"notif_mod{unique}")
    plain = server.create_user(f"notif_plain{unique}")
    body = {"username": f"notif_newbie{unique}", "password": "password1",
            "email": f"notif_newbie{unique}@example.com"}
    assert server.anonymous.post("/api/v1/users/register", json=body).status_code == 204

    item = wait_for_notification(server, moderator, NEW_USER_REGISTRATION)
    assert item["account"]["name"] == f"notif_newbie{unique}"
    assert item["account"]["displayName"] == f"notif_newbie{unique}"
    assert len(of_type(server.root, NEW_USER_REGISTRATION)) == 1  # administrators too (web by default)
    assert of_type(plain, NEW_USER_REGISTRATION) == []
    mail = server.wait_for(lambda: mails_to(server, f"notif_mod{unique}@example.com"))[-1]
    assert f"notif_newbie{unique}" in mail["text"]


def test_moderators_hear_of_registration_requests(server_factory, unique):
    server = server_factory(config={"signup": {"enabled": True, "requires_approval": True, "limit": -1}})
    moderator = _moderator(server, f"notif_reviewer{unique}")
    body = {"username": f"notif_asker{unique}", "password": "password1",
            "email": f"notif_asker{unique}@example.com", "registrationReason": "I film birds"}
    asked = server.anonymous.post("/api/v1/users/registrations/request", json=body)
    assert asked.status_code == 200, asked.text

    item = wait_for_notification(server, moderator, NEW_USER_REGISTRATION_REQUEST)
    assert item["registration"] == {"id": asked.json()["id"], "username": f"notif_asker{unique}"}
    mail = server.wait_for(lambda: mails_to(server, f"notif_reviewer{unique}@example.com"))[-1]
    assert "I film birds" in mail["text"]


def test_the_owner_hears_the_studio_edition_is_done(server_factory, unique):
    server = server_factory(config={"video_studio": {"enabled": True}})
    owner = server.create_user(f"notif_editor{unique}")
    fan = server.create_user(f"notif_watcher{unique}")
    subscribe(fan, handle(owner, server))
    video = published_video(owner)
    wait_for_notification(server, fan, NEW_VIDEO_FROM_SUBSCRIPTION)

    response = owner.post(f"/api/v1/videos/{video['uuid']}/studio/edit",
                          json={"tasks": [{"name": "cut", "options": {"start": 1}}]})
    assert response.status_code == 204, response.text
    item = wait_for_notification(server, owner, MY_VIDEO_STUDIO_EDITION_FINISHED)
    assert item["video"]["uuid"] == video["uuid"]
    # an edited video is no new video
    jobs_drained(server, "notify")
    assert len(of_type(fan, NEW_VIDEO_FROM_SUBSCRIPTION)) == 1


# -- comments -----------------------------------------------------------------------------------------

def test_comments_reach_the_owner_and_the_users_mentioned(server, creator, unique):
    video = published_video(creator)
    wait_for_state(creator, video["uuid"])
    commenter = server.create_user(f"notif_talker{unique}")
    named = server.create_user(f"notif_named{unique}")
    set_notifications(creator, newCommentOnMyVideo=BOTH)
    set_notifications(named, commentMention=BOTH)

    posted = commenter.post(f"/api/v1/videos/{video['uuid']}/comment-threads",
                            json={"text": f"Nice one, @notif_named{unique}!"})
    assert posted.status_code == 200, posted.text
    comment = posted.json()["comment"]

    item = wait_for_notification(server, creator, NEW_COMMENT_ON_MY_VIDEO)
    assert item["comment"]["id"] == comment["id"] and item["comment"]["threadId"] == comment["id"]
    assert item["comment"]["account"]["name"] == f"notif_talker{unique}"
    assert item["comment"]["video"]["uuid"] == video["uuid"]
    assert item["comment"]["heldForReview"] is False
    mention = wait_for_notification(server, named, COMMENT_MENTION)
    assert mention["comment"]["id"] == comment["id"]
    assert of_type(commenter, COMMENT_MENTION) == []  # nobody is told of their own comment
    server.wait_for(lambda: mails_to(server, f"notif_named{unique}@example.com"))
    server.wait_for(lambda: mails_to(server, f"notif_creator{unique}@example.com"))

    # the owner commenting on their own video is not told
    own = creator.post(f"/api/v1/videos/{video['uuid']}/comment-threads", json={"text": "Thanks all"})
    assert own.status_code == 200, own.text
    jobs_drained(server, "notify")
    assert [n["comment"]["id"] for n in of_type(creator, NEW_COMMENT_ON_MY_VIDEO)] == [comment["id"]]


# -- the list -----------------------------------------------------------------------------------------

@pytest.fixture
def three_follows(server, creator, unique):
    """Three NEW_FOLLOW notifications of `creator`, newest first."""
    for index in range(3):
        subscribe(server.create_user(f"notif_f{index}_{unique}"), handle(creator, server))
    server.wait_for(lambda: len(of_type(creator, NEW_FOLLOW)) == 3)
    return notifications(creator)["data"]


def test_read_marks_and_the_unread_filter(server, creator, three_follows):
    ids = [item["id"] for item in three_follows]
    assert notifications(creator, unread="true")["total"] == 3
    assert notifications(creator, unread="false")["total"] == 0

    response = creator.post(f"{NOTIFICATIONS}/read", json={"ids": [ids[1]]})
    assert response.status_code == 204, response.text
    unread = notifications(creator, unread="true")
    assert unread["total"] == 2 and [item["id"] for item in unread["data"]] == [ids[0], ids[2]]
    assert [item["id"] for item in notifications(creator, unread="false")["data"]] == [ids[1]]

    # someone else's ids are not theirs to mark
    stranger = server.create_user(f"notif_stranger_{uuid.uuid4().hex[:8]}")
    assert stranger.post(f"{NOTIFICATIONS}/read", json={"ids": ids}).status_code == 204
    assert notifications(creator, unread="true")["total"] == 2

    assert creator.post(f"{NOTIFICATIONS}/read-all").status_code == 204
    assert notifications(creator, unread="true")["total"] == 0
    assert all(item["read"] for item in notifications(creator)["data"])


def test_sort_pagination_and_type_filter(server, creator, three_follows):
    ids = [item["id"] for item in three_follows]
    assert ids == sorted(ids, reverse=True)  # newest first by default
    oldest = notifications(creator, sort="createdAt")["data"]
    assert [item["id"] for item in oldest] == ids[::-1]
    page = notifications(creator, start=1, count=1)
    assert page["total"] == 3 and [item["id"] for item in page["data"]] == ids[1:2]

    creator.post(f"{NOTIFICATIONS}/read", json={"ids": [ids[2]]})
    read_first = notifications(creator, sort="-read")["data"]
    assert read_first[0]["id"] == ids[2]
    assert notifications(creator, typeOneOf=NEW_FOLLOW)["total"] == 3
    assert notifications(creator, typeOneOf=NEW_VIDEO_FROM_SUBSCRIPTION)["total"] == 0


def test_settings_are_saved_and_shown_on_the_user(server, unique):
    client = server.create_user(f"notif_settings{unique}")
    set_notifications(client, newVideoFromSubscription=BOTH, newFollow=NONE,
                      myVideoStudioEditionFinished=EMAIL)
    settings = client.get("/api/v1/users/me").json()["notificationSettings"]
    assert settings["newVideoFromSubscription"] == BOTH
    assert settings["newFollow"] == NONE
    assert settings["myVideoStudioEditionFinished"] == EMAIL
    assert settings["abuseStateChange"] == BOTH  # not given: unchanged
