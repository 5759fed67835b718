"""Notifications in tests: reading a user's list, setting what they want to hear of, subscribing,
and waiting for the `notify` (and `email`) jobs to be done."""

from __future__ import annotations

from tests.support.server import Client, ServerProcess

NOTIFICATIONS = "/api/v1/users/me/notifications"
SETTINGS = "/api/v1/users/me/notification-settings"
SUBSCRIPTIONS = "/api/v1/users/me/subscriptions"

NEW_VIDEO_FROM_SUBSCRIPTION, NEW_COMMENT_ON_MY_VIDEO, MY_VIDEO_PUBLISHED = 1, 2, 6
MY_VIDEO_IMPORT_SUCCESS, MY_VIDEO_IMPORT_ERROR, NEW_USER_REGISTRATION, NEW_FOLLOW = 7, 8, 9, 10
COMMENT_MENTION, MY_VIDEO_STUDIO_EDITION_FINISHED, NEW_USER_REGISTRATION_REQUEST = 11, 19, 20
NONE, WEB, EMAIL, BOTH = 0, 1, 2, 3

# the settings PeerTube requires in every update, with a new user's defaults
REQUIRED_SETTINGS = {
    "newVideoFromSubscription": WEB, "newCommentOnMyVideo": WEB, "abuseAsModerator": BOTH,
    "videoAutoBlacklistAsModerator": BOTH, "blacklistOnMyVideo": BOTH, "myVideoPublished": WEB,
    "myVideoImportFinished": WEB, "newFollow": WEB, "newUserRegistration": WEB, "commentMention": WEB,
    "newInstanceFollower": WEB, "autoInstanceFollowing": WEB,
}


def set_notifications(client: Client, **values: int) -> None:
    response = client.put(SETTINGS, json={**REQUIRED_SETTINGS, **values})
    assert response.status_code == 204, response.text


def notifications(client: Client, **params) -> dict:
    response = client.get(NOTIFICATIONS, params={"count": 100, **params})
    assert response.status_code == 200, response.text
    return response.json()


def of_type(client: Client, type_: int) -> list[dict]:
    return [item for item in notifications(client)["data"] if item["type"] == type_]


def wait_for_notification(server: ServerProcess, client: Client, type_: int, match=lambda item: True) -> dict:
    """The newest notification of `client` of that type matching `match`, once the job made it."""
    def find():
        found = [item for item in of_type(client, type_) if match(item)]
        return found[0] if found else None
    return server.wait_for(find, timeout=60)


def jobs_drained(server: ServerProcess, job_type: str) -> None:
    """Wait until no job of `job_type` is waiting or running: every event raised so far is handled."""
    def idle():
        return all(server.root.get(f"/api/v1/jobs/{state}", params={"jobType": job_type, "count": 1})
                   .json()["total"] == 0 for state in ("waiting", "active"))
    server.wait_for(idle, timeout=120)


def handle(client: Client, server: ServerProcess) -> str:
    """`channel@host` of the client's first channel."""
    me = client.get("/api/v1/users/me").json()
    return f"{me['videoChannels'][0]['name']}@{server.url.split('://', 1)[1]}"


def subscribe(client: Client, target: str) -> None:
    response = client.post(SUBSCRIPTIONS, json={"uri": target})
    assert response.status_code == 204, response.text


def mails_to(server: ServerProcess, address: str) -> list[dict]:
    return [mail for mail in server.mail_log() if address in mail["to"]]
