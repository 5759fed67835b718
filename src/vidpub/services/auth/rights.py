"""PeerTube's roles and rights (integers are part of the API and their order matters)."""

from __future__ import annotations

from enum import IntEnum


class UserRole(IntEnum):
    ADMINISTRATOR = 0
    MODERATOR = 1
    USER = 2


ROLE_LABELS = {UserRole.ADMINISTRATOR: "Administrator", UserRole.MODERATOR: "Moderator", UserRole.USER: "User"}


class UserRight(IntEnum):
    ALL = 0
    MANAGE_USERS = 1
    MANAGE_SERVER_FOLLOW = 2
    MANAGE_LOGS = 3
    MANAGE_DEBUG = 4
    MANAGE_SERVER_REDUNDANCY = 5
    MANAGE_ABUSES = 6
    MANAGE_JOBS = 7
    MANAGE_CONFIGURATION = 8
    MANAGE_INSTANCE_CUSTOM_PAGE = 9
    MANAGE_SERVER_ACCOUNTS_BLOCKLIST = 10
    MANAGE_SERVER_SERVERS_BLOCKLIST = 11
    MANAGE_VIDEO_BLACKLIST = 12
    MANAGE_ANY_VIDEO_CHANNEL = 13
    REMOVE_ANY_VIDEO = 14
    REMOVE_ANY_VIDEO_PLAYLIST = 15
    MANAGE_ANY_VIDEO_COMMENT = 16
    UPDATE_ANY_VIDEO = 17
    UPDATE_ANY_VIDEO_PLAYLIST = 18
    GET_ANY_LIVE = 19
    SEE_ALL_VIDEOS = 20
    SEE_ALL_COMMENTS = 21
    CHANGE_VIDEO_OWNERSHIP = 22
    MANAGE_PLUGINS = 23
    MANAGE_VIDEOS_REDUNDANCIES = 24
    MANAGE_VIDEO_FILES = 25
    RUN_VIDEO_TRANSCODING = 26
    MANAGE_VIDEO_IMPORTS = 27
    MANAGE_REGISTRATIONS = 28
    MANAGE_RUNNERS = 29
    MANAGE_USER_EXPORTS = 30
    MANAGE_USER_IMPORTS = 31
    MANAGE_INSTANCE_WATCHED_WORDS = 32
    MANAGE_INSTANCE_AUTO_TAGS = 33
    MANAGE_SERVER_BLOCKLIST_SUBSCRIPTIONS = 34


_MODERATOR_RIGHTS = frozenset({
    UserRight.MANAGE_VIDEO_BLACKLIST, UserRight.MANAGE_ABUSES, UserRight.MANAGE_ANY_VIDEO_CHANNEL,
    UserRight.REMOVE_ANY_VIDEO, UserRight.REMOVE_ANY_VIDEO_PLAYLIST, UserRight.MANAGE_ANY_VIDEO_COMMENT,
    UserRight.UPDATE_ANY_VIDEO, UserRight.SEE_ALL_VIDEOS, UserRight.MANAGE_SERVER_ACCOUNTS_BLOCKLIST,
    UserRight.MANAGE_SERVER_SERVERS_BLOCKLIST, UserRight.MANAGE_USERS, UserRight.SEE_ALL_COMMENTS,
    UserRight.MANAGE_REGISTRATIONS, UserRight.MANAGE_INSTANCE_WATCHED_WORDS, UserRight.MANAGE_INSTANCE_AUTO_TAGS,
})


def has_right(role: int, right: UserRight) -> bool:
    if role == UserRole.ADMINISTRATOR:
        return True
    if role == UserRole.MODERATOR:
        return right in _MODERATOR_RIGHTS
    return False


def can_manage_role(manager_role: int, target_role: int) -> bool:
    """Admins manage everyone; moderators manage only plain users (PeerTube's validators)."""
    if manager_role == UserRole.ADMINISTRATOR:
        return True
    return manager_role == UserRole.MODERATOR and target_role == UserRole.USER
