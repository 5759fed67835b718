"""Local actors as ActivityPub documents: `Person` (account), `Group` (channel), `Application`."""

from __future__ import annotations

import mimetypes

from vidpub.config import Config
from vidpub.db.models import Account, Actor, ActorImageType, VideoChannel
from vidpub.federation.context import with_context
from vidpub.schemas.common import iso_millis


def _images(config: Config, actor: Actor, image_type: int) -> list[dict]:
    folder = "avatars" if image_type == ActorImageType.AVATAR else "banners"
    out = []
    for image in actor.images:
        if image.type != image_type:
            continue
        url = image.file_url or f"{config.url}/lazy-static/{folder}/{image.filename}"
        out.append({"type": "Image", "mediaType": mimetypes.guess_type(image.filename)[0] or "image/jpeg",
                    "height": image.height, "width": image.width, "url": url})
    return out


def actor_to_ap(config: Config, actor: Actor, *, name: str, summary: str | None,
                owner: Account | None = None, support: str | None = None) -> dict:
    """The actor document; `owner` for a channel (its `attributedTo`)."""
    document = {
        "type": actor.type, "id": actor.url,
        "following": actor.following_url or f"{actor.url}/following",
        "followers": actor.followers_url or f"{actor.url}/followers",
        "playlists": f"{actor.url}/playlists",
        "inbox": actor.inbox_url, "outbox": actor.outbox_url or f"{actor.url}/outbox",
        "preferredUsername": actor.preferred_username,
        "url": [{"type": "Link", "mediaType": "text/html", "href": actor.url}],
        "name": name,
        "endpoints": {"sharedInbox": actor.shared_inbox_url or f"{config.url}/inbox"},
        "publicKey": {"id": f"{actor.url}#main-key", "owner": actor.url, "publicKeyPem": actor.public_key},
        "published": iso_millis(actor.created_at),
        "summary": summary,
    }
    icons = _images(config, actor, ActorImageType.AVATAR)
    if icons:
        document["icon"] = icons
    banners = _images(config, actor, ActorImageType.BANNER)
    if banners:
        document["image"] = banners
    if owner is not None:
        document["support"] = support
        document["attributedTo"] = [{"type": "Person", "id": owner.actor.url}]
    return with_context(document, "Actor")


def account_to_ap(config: Config, account: Account) -> dict:
    return actor_to_ap(config, account.actor, name=account.name, summary=account.description)


def channel_to_ap(config: Config, channel: VideoChannel) -> dict:
    return actor_to_ap(config, channel.actor, name=channel.name, summary=channel.description,
                       owner=channel.account, support=channel.support)
