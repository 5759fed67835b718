"""Comments as ActivityPub `Note`s (and `Tombstone`s once deleted), both directions.

What we publish is PeerTube's comment object: the markdown as written (`mediaType: text/markdown`),
`inReplyTo` the video (a thread) or the comment answered, a `Mention` tag per author higher up the
thread, and `replyApproval` — on a video of ours, the URL that says the reply is approved.

What we accept is PeerTube's object and Mastodon's reply (`Note` with HTML `content`, no
`mediaType`, `url` pointing at its web page, sometimes a `Link` object): HTML is sanitised on the
way in, markdown kept as written (both are sanitised again when rendered). Only public comments
are accepted (the public collection in `to` or `cc`), as PeerTube does.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from vidpub.db.models import Account, Actor, Server, Video, VideoComment
from vidpub.federation import urls
from vidpub.federation.ap.common import (InvalidObject, as_list, first_http_url, host_of, is_http_url, is_public,
                                         iso, object_id, parse_date)
from vidpub.schemas.comments import COMMENT_TEXT_MAX
from vidpub.services.markdown import sanitize_html

MARKDOWN = "text/markdown"
COMMENT_TYPES = ("Note", "Tombstone")


# -- to ActivityPub ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Mention:
    href: str        # the actor's URL
    name: str        # `@name@host`


def note_to_ap(*, comment_url: str, text: str, in_reply_to: str, published: datetime, updated: datetime,
               author_url: str, mentions: list[Mention], reply_approval: str | None) -> dict:
    """The `Note` of a comment (its audience, `to`/`cc`, is set by the activity carrying it)."""
    return {
        "type": "Note", "id": comment_url, "content": text, "mediaType": MARKDOWN, "inReplyTo": in_reply_to,
        "updated": iso(updated), "published": iso(published), "url": comment_url, "attributedTo": author_url,
        "replyApproval": reply_approval,
        "tag": [{"type": "Mention", "href": mention.href, "name": mention.name} for mention in mentions],
    }


def tombstone_to_ap(*, comment_url: str, in_reply_to: str, published: datetime, updated: datetime,
                    deleted: datetime) -> dict:
    return {"type": "Tombstone", "id": comment_url, "url": comment_url, "formerType": "Note",
            "inReplyTo": in_reply_to, "published": iso(published), "updated": iso(updated), "deleted": iso(deleted)}


@dataclass
class CommentContext:
    """What a comment's document needs besides its row."""
    video: Video
    in_reply_to: str                       # the parent comment's URL, or the video's
    author_url: str | None                 # None for a tombstone
    thread_authors: list[Mention] = field(default_factory=list)  # authors of the comments above it
    thread_author_urls: list[str] = field(default_factory=list)


async def load_comment_context(session: AsyncSession, comment: VideoComment) -> CommentContext:
    """The video, the comment answered and the authors of every comment above it in the thread
    (a thread is at most a few hundred comments: one query for its ancestors' authors)."""
    video = await session.get(Video, comment.video_id)
    parent = aliased(VideoComment)
    ancestors: list[tuple[int, int | None, str, str | None, str | None]] = []
    if comment.in_reply_to_comment_id is not None:
        rows = await session.execute(
            sa.select(parent.id, parent.in_reply_to_comment_id, parent.url, Actor.url, Actor.preferred_username,
                      Server.host)
            .outerjoin(Account, Account.id == parent.account_id).outerjoin(Actor, Actor.id == Account.actor_id)
            .outerjoin(Server, Server.id == Actor.server_id)
            .where(parent.video_id == comment.video_id,
                   sa.or_(parent.id == comment.origin_comment_id, parent.origin_comment_id == comment.origin_comment_id)))
        by_id = {row[0]: row for row in rows}
        cursor = by_id.get(comment.in_reply_to_comment_id)
        while cursor is not None and len(ancestors) < len(by_id):
            ancestors.append(cursor)
            cursor = by_id.get(cursor[1])
    author_url = None
    if comment.account_id is not None:
        author_url = (await session.execute(sa.select(Actor.url).join(Account, Account.actor_id == Actor.id)
                                            .where(Account.id == comment.account_id))).scalar_one()
    mentions: dict[str, Mention] = {}
    for _id, _parent_id, _url, actor_url, username, host in ancestors:
        if actor_url is not None and actor_url not in mentions:
            mentions[actor_url] = Mention(actor_url, f"@{username}@{host or host_of(actor_url)}")
    return CommentContext(video=video, in_reply_to=ancestors[0][2] if ancestors else video.url,
                          author_url=author_url, thread_authors=list(mentions.values()),
                          thread_author_urls=list(mentions))


def comment_to_ap(comment: VideoComment, context: CommentContext) -> dict:
    """The document of `comment`: a `Note`, or a `Tombstone` once deleted."""
    if comment.is_deleted or context.author_url is None:
        return tombstone_to_ap(comment_url=comment.url, in_reply_to=context.in_reply_to,
                               published=comment.created_at, updated=comment.updated_at,
                               deleted=comment.deleted_at or comment.updated_at)
    reply_approval = comment.reply_approval
    if context.video.is_local and not comment.held_for_review:
        reply_approval = urls.approve_reply_url(comment.url)
    return note_to_ap(comment_url=comment.url, text=comment.text, in_reply_to=context.in_reply_to,
                      published=comment.created_at, updated=comment.updated_at, author_url=context.author_url,
                      mentions=context.thread_authors, reply_approval=reply_approval)


# -- from ActivityPub -------------------------------------------------------------------------------

@dataclass
class NoteFields:
    """A received comment, validated; `text` is markdown or sanitised HTML, ready to store."""
    id: str
    in_reply_to: str
    published: datetime
    updated: datetime
    attributed_to: str | None    # None for a Tombstone
    text: str = ""
    mention_urls: list[str] = field(default_factory=list)
    reply_approval: str | None = None
    deleted: bool = False


def _attributed_to(value: Any) -> str:
    """Mastodon gives a string, PeerTube a string too; some senders give `{type, id}` objects or a list
    of them (the person first)."""
    candidates = as_list(value)
    people = [item for item in candidates if isinstance(item, dict) and item.get("type") == "Person"]
    url = first_http_url(people or candidates)
    if url is None:
        raise InvalidObject("attributedTo: an actor URL is required")
    return url


def _content(doc: dict) -> str:
    content = doc.get("content")
    if not isinstance(content, str):
        # a `contentMap` alone ({language: html}): its first text
        content_map = doc.get("contentMap")
        content = next((value for value in content_map.values() if isinstance(value, str)), None) \
            if isinstance(content_map, dict) else None
    if not isinstance(content, str):
        raise InvalidObject("content: a text is required")
    if doc.get("mediaType") != MARKDOWN:
        content = sanitize_html(content)
    content = content.strip()
    if not content:
        raise InvalidObject("content: empty comment")
    if len(content) > COMMENT_TEXT_MAX:
        raise InvalidObject("content: the comment is too long")
    return content


def note_from_ap(doc: Any) -> NoteFields:
    """Validate a received `Note` (or `Tombstone`); raises InvalidObject."""
    if not isinstance(doc, dict) or doc.get("type") not in COMMENT_TYPES:
        raise InvalidObject("a Note or Tombstone object is required")
    comment_id = object_id(doc.get("id"), "id")
    in_reply_to = doc.get("inReplyTo")
    if in_reply_to is not None:
        in_reply_to = object_id(in_reply_to, "inReplyTo")
    published = parse_date(doc.get("published"), "published", required=doc["type"] == "Note")
    updated = parse_date(doc.get("updated"), "updated", required=False) or published
    if doc["type"] == "Tombstone":
        deleted = parse_date(doc.get("deleted"), "deleted", required=False) or updated
        return NoteFields(id=comment_id, in_reply_to=in_reply_to or "", published=published or deleted,
                          updated=updated or deleted, attributed_to=None, deleted=True)
    if in_reply_to is None:
        raise InvalidObject("inReplyTo: a comment answers a video or a comment")
    if not is_public(doc.get("to"), doc.get("cc")):
        raise InvalidObject("only public comments are accepted")
    reply_approval = doc.get("replyApproval")
    if reply_approval is not None and not is_http_url(reply_approval):
        raise InvalidObject("replyApproval: an http(s) URL is required")
    mention_urls = [tag["href"] for tag in as_list(doc.get("tag"))
                    if isinstance(tag, dict) and tag.get("type") == "Mention" and is_http_url(tag.get("href"))]
    return NoteFields(id=comment_id, in_reply_to=in_reply_to, published=published, updated=updated,
                      attributed_to=_attributed_to(doc.get("attributedTo")), text=_content(doc),
                      mention_urls=list(dict.fromkeys(mention_urls)), reply_approval=reply_approval)
