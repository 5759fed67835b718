"""ActivityPub ids of every object we publish (peertube-internals §5.1), built from `config.url`.

Local rows store their own `url` (actors, videos, comments, playlists, follows); these builders are
the one place that says what those URLs look like, so the stored values and the documents agree.
"""

from __future__ import annotations

from datetime import datetime

from vidpub.config import Config
from vidpub.services.actors import SERVER_ACTOR_NAME


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def server_actor_url(config: Config) -> str:
    return f"{config.url}/accounts/{SERVER_ACTOR_NAME}"


def shared_inbox_url(config: Config) -> str:
    return f"{config.url}/inbox"


def account_url(config: Config, name: str) -> str:
    return f"{config.url}/accounts/{name}"


def channel_url(config: Config, name: str) -> str:
    return f"{config.url}/video-channels/{name}"


def video_url(config: Config, uuid: str) -> str:
    return f"{config.url}/videos/watch/{uuid}"


def comment_url(config: Config, video_uuid: str, comment_id: int) -> str:
    return f"{video_url(config, video_uuid)}/comments/{comment_id}"


def playlist_url(config: Config, uuid: str) -> str:
    return f"{config.url}/video-playlists/{uuid}"


def playlist_element_url(config: Config, uuid: str, element_id: int) -> str:
    return f"{playlist_url(config, uuid)}/videos/{element_id}"


def abuse_url(config: Config, abuse_id: int) -> str:
    """The id of the `Flag` a local report sends (PeerTube's moderation page of the report)."""
    return f"{config.url}/admin/abuses/{abuse_id}"


def like_url(actor_url: str, video_id: int) -> str:
    return f"{actor_url}/likes/{video_id}"


def dislike_url(actor_url: str, video_id: int) -> str:
    return f"{actor_url}/dislikes/{video_id}"


def announce_url(video_url_: str, actor_id: int) -> str:
    return f"{video_url_}/announces/{actor_id}"


def view_url(actor_url: str, video_id: int, viewer: str) -> str:
    return f"{actor_url}/views/videos/{video_id}/{viewer}"


def follow_url(follower_url: str, target_actor_id: int) -> str:
    return f"{follower_url}/follows/{target_actor_id}"


def accept_url(target_url: str, follow_id: int) -> str:
    """Accept sent by the followed actor `target_url` for the follow row `follow_id`."""
    return f"{target_url}/accepts/follows/{follow_id}"


def reject_url(target_url: str, moment: datetime) -> str:
    return f"{target_url}/rejects/follows/{_iso(moment)}"


def delete_url(object_url: str) -> str:
    return f"{object_url}/delete"


def update_url(object_url: str, updated_at: datetime) -> str:
    return f"{object_url}/updates/{_iso(updated_at)}"


def undo_url(activity_id: str) -> str:
    return f"{activity_id}/undo"


def local_viewer_url(config: Config, uuid: str) -> str:
    return f"{config.url}/videos/local-viewer/{uuid}"


def approve_reply_url(comment_url_: str) -> str:
    """Where a remote instance reads the approval of a reply to a local video; also the id of the
    ApproveReply activity (FED-SOCIAL)."""
    return f"{comment_url_}/approve-reply"


def reject_reply_url(comment_url_: str) -> str:
    return f"{comment_url_}/reject-reply"
