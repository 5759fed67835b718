"""Which comments of a video a viewer sees, as PeerTube decides it.

- Muted authors are hidden: muted by the instance, by the viewer, or by the video's owner (who
  moderates the discussion under their video), directly or through the author's server.
- Comments held for review are shown to their author, to the video's owner and to moderators
  (SEE_ALL_COMMENTS); nobody else knows they exist.
- Tombstones (deleted comments, whose author is unset) pass the mute rules: their replies hang
  from them.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from vidpub.db.models import Account, AccountBlocklist, Actor, ServerBlocklist, User, Video
from vidpub.services.auth.rights import UserRight, has_right
from vidpub.services.blocklists import muted_account_ids_subquery


@dataclass(frozen=True)
class CommentViewer:
    user: User | None
    owner_account_id: int  # the account owning the video commented on
    sees_held: bool

    @property
    def account_id(self) -> int | None:
        return self.user.account.id if self.user is not None else None


def viewer_of(video: Video, user: User | None) -> CommentViewer:
    """`video` loaded with its owner (`lookup.with_owner()`)."""
    owner_account_id = video.channel.account_id
    sees_held = user is not None and (
        user.account.id == owner_account_id or has_right(user.role, UserRight.SEE_ALL_COMMENTS))
    return CommentViewer(user, owner_account_id, sees_held)


def accounts_muted_by(account_id: int) -> sa.Select:
    """Ids of the accounts `account_id` muted, directly or by muting their server."""
    blocked_servers = sa.select(ServerBlocklist.target_server_id).where(ServerBlocklist.account_id == account_id)
    return sa.union(
        sa.select(AccountBlocklist.target_account_id.label("id")).where(AccountBlocklist.account_id == account_id),
        sa.select(Account.id).join(Actor, Actor.id == Account.actor_id).where(Actor.server_id.in_(blocked_servers)),
    )


def visible_to(comments, viewer: CommentViewer):
    """WHERE clause for `comments` (the `VideoComment` entity or an alias of it)."""
    no_author = comments.account_id.is_(None)
    clauses = [
        sa.or_(no_author, comments.account_id.not_in(muted_account_ids_subquery(viewer.user))),
        sa.or_(no_author, comments.account_id.not_in(accounts_muted_by(viewer.owner_account_id))),
    ]
    if not viewer.sees_held:
        shown = comments.held_for_review.is_(False)
        if viewer.account_id is not None:
            shown = sa.or_(shown, comments.account_id == viewer.account_id)
        clauses.append(shown)
    return sa.and_(*clauses)


def can_see_comment(comment, viewer: CommentViewer) -> bool:
    """The held-for-review rule for one loaded comment (mutes are for lists, not for direct access)."""
    return (not comment.held_for_review or viewer.sees_held
            or (viewer.account_id is not None and comment.account_id == viewer.account_id))
