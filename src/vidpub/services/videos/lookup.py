"""Finding a video by id, UUID or short UUID, and deciding who may see or manage it."""

from __future__ import annotations

import re
from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from vidpub.db.models import Account, User, Video, VideoChannel, VideoPassword, VideoPrivacy, VideoState
from vidpub.errors import ProblemError, not_found
from vidpub.services.auth.rights import UserRight, has_right

# PeerTube's short UUIDs: the UUID's 128 bits in the flickrBase58 alphabet, padded to 22 characters
SHORT_ALPHABET = "123456789abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ"
SHORT_LENGTH = 22
_UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.IGNORECASE)
VIDEO_PASSWORD_HEADER = "x-peertube-video-password"


def short_uuid(uuid: str) -> str:
    number = int(uuid.replace("-", ""), 16)
    digits = []
    while number:
        number, remainder = divmod(number, 58)
        digits.append(SHORT_ALPHABET[remainder])
    return "".join(reversed(digits)).rjust(SHORT_LENGTH, SHORT_ALPHABET[0])


def uuid_from_short(value: str) -> str | None:
    number = 0
    for char in value:
        index = SHORT_ALPHABET.find(char)
        if index < 0:
            return None
        number = number * 58 + index
    if number >= 1 << 128:
        return None
    hex_value = f"{number:032x}"
    return f"{hex_value[:8]}-{hex_value[8:12]}-{hex_value[12:16]}-{hex_value[16:20]}-{hex_value[20:]}"


def ref_condition(ref: str):
    """The WHERE clause naming a video by integer id, UUID or short UUID; None if `ref` is none of them."""
    if ref.isdigit():
        number = int(ref)
        return Video.id == number if 0 < number < 2**31 else None
    if _UUID_RE.match(ref):
        return Video.uuid == ref.lower()
    if 1 <= len(ref) <= SHORT_LENGTH:
        uuid = uuid_from_short(ref)
        return Video.uuid == uuid if uuid else None
    return None


def with_owner():
    """Load the channel and its account with the video (ownership decides most rights)."""
    return joinedload(Video.channel).joinedload(VideoChannel.account)


async def find_video(session: AsyncSession, ref: str, options: Sequence = ()) -> Video | None:
    condition = ref_condition(ref)
    if condition is None:
        return None
    query = sa.select(Video).options(with_owner(), *options).where(condition)
    return (await session.execute(query)).unique().scalar_one_or_none()


async def get_video(session: AsyncSession, ref: str, options: Sequence = ()) -> Video:
    video = await find_video(session, ref, options)
    if video is None:
        raise not_found("Video not found")
    return video


def owner_user_id(video: Video) -> int | None:
    account: Account = video.channel.account
    return account.user_id


def is_owner(video: Video, user: User | None) -> bool:
    return user is not None and owner_user_id(video) == user.id


def can_manage(video: Video, user: User | None, right: UserRight = UserRight.UPDATE_ANY_VIDEO) -> bool:
    """The owner, or someone holding `right` (moderators update/remove any video)."""
    return user is not None and (is_owner(video, user) or has_right(user.role, right))


def ensure_can_manage(video: Video, user: User, right: UserRight = UserRight.UPDATE_ANY_VIDEO) -> None:
    if not can_manage(video, user, right):
        raise ProblemError(403, "Cannot manage a video of another user")


def is_listed_state(video: Video) -> bool:
    """Published, or still transcoding but not asked to wait for it (PeerTube shows those)."""
    return video.state == VideoState.PUBLISHED or (
        video.state == VideoState.TO_TRANSCODE and not video.wait_transcoding)


async def ensure_can_see(session: AsyncSession, video: Video, user: User | None,
                         video_password: str | None = None) -> None:
    """PeerTube's rules to read a video (and its files): privacy, publication state, password."""
    if can_manage(video, user, UserRight.SEE_ALL_VIDEOS):
        return
    if not is_listed_state(video) and video.is_local:
        raise ProblemError(403, "Cannot get this video: it is not published yet")
    if video.privacy == VideoPrivacy.PRIVATE:
        if user is None:
            raise ProblemError(401, "Cannot fetch information of private video without being logged in",
                               "unauthorized_request")
        raise ProblemError(403, "Cannot fetch information of private/internal/blocked video")
    if video.privacy == VideoPrivacy.INTERNAL and user is None:
        raise ProblemError(401, "Cannot fetch information of internal video without being logged in",
                           "unauthorized_request")
    if video.privacy == VideoPrivacy.PASSWORD_PROTECTED:
        if not video_password:
            raise ProblemError(403, "Please provide a password to access this password protected video",
                               "video_requires_password")
        match = (await session.execute(sa.select(VideoPassword.id).where(
            VideoPassword.video_id == video.id, VideoPassword.password == video_password))).first()
        if match is None:
            raise ProblemError(403, "Incorrect video password. Access to the video is denied.",
                               "incorrect_video_password")
