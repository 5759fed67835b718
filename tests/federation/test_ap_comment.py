"""Comment documents both ways: ours as PeerTube writes them, and received ones shaped like real
PeerTube's and Mastodon's `Note`s (peertube-internals §5.3, §5.6)."""

from __future__ import annotations

import copy
from datetime import UTC, datetime

import pytest

from vidpub.federation.ap.comment import Mention, note_from_ap, note_to_ap, tombstone_to_ap
from vidpub.federation.ap.common import InvalidObject
from vidpub.federation.context import AS_PUBLIC

VIDEO = "https://tube.example/videos/watch/6a2ed4e4-83c6-4e5a-a6a1-1f0e0b2a0c11"

PEERTUBE_NOTE = {
    "type": "Note",
    "id": f"{VIDEO}/comments/41",
    "content": "Nice **video**, @bob@vid.example",
    "mediaType": "text/markdown",
    "inReplyTo": f"{VIDEO}/comments/40",
    "updated": "2024-03-01T10:00:01.000Z",
    "published": "2024-03-01T10:00:00.000Z",
    "url": f"{VIDEO}/comments/41",
    "attributedTo": "https://tube.example/accounts/alice",
    "replyApproval": None,
    "tag": [{"type": "Mention", "href": "https://vid.example/accounts/bob", "name": "@bob@vid.example"}],
    "to": [AS_PUBLIC],
    "cc": ["https://tube.example/accounts/alice/followers"],
}

MASTODON_NOTE = {
    "id": "https://mastodon.example/users/carol/statuses/112233445566",
    "type": "Note",
    "summary": None,
    "inReplyTo": VIDEO,
    "published": "2024-03-02T08:30:00Z",
    "url": "https://mastodon.example/@carol/112233445566",
    "attributedTo": "https://mastodon.example/users/carol",
    "to": ["https://www.w3.org/ns/activitystreams#Public"],
    "cc": ["https://mastodon.example/users/carol/followers", "https://tube.example/accounts/alice"],
    "sensitive": False,
    "atomUri": "https://mastodon.example/users/carol/statuses/112233445566",
    "inReplyToAtomUri": VIDEO,
    "conversation": "tag:mastodon.example,2024-03-02:objectId=1:objectType=Conversation",
    "content": '<p><span class="h-card" translate="no"><a href="https://tube.example/accounts/alice" '
               'class="u-url mention">@<span>alice</span></a></span> great <script>alert(1)</script>'
               '<a href="javascript:alert(2)" onclick="x()">work</a></p>',
    "contentMap": {"en": "<p>...</p>"},
    "attachment": [],
    "tag": [{"type": "Mention", "href": "https://tube.example/accounts/alice", "name": "@alice@tube.example"}],
    "replies": {"id": "https://mastodon.example/users/carol/statuses/112233445566/replies", "type": "Collection"},
}


def test_peertube_note_is_read_with_its_markdown_and_mentions():
    note = note_from_ap(copy.deepcopy(PEERTUBE_NOTE))
    assert note.id == PEERTUBE_NOTE["id"]
    assert note.in_reply_to == f"{VIDEO}/comments/40"
    assert note.text == "Nice **video**, @bob@vid.example"  # markdown kept as written
    assert note.attributed_to == "https://tube.example/accounts/alice"
    assert note.mention_urls == ["https://vid.example/accounts/bob"]
    assert note.published == datetime(2024, 3, 1, 10, 0, tzinfo=UTC)
    assert note.updated == datetime(2024, 3, 1, 10, 0, 1, tzinfo=UTC)
    assert not note.deleted


def test_mastodon_note_html_is_sanitised_and_updated_defaults_to_published():
    note = note_from_ap(copy.deepcopy(MASTODON_NOTE))
    assert note.in_reply_to == VIDEO
    assert note.attributed_to == "https://mastodon.example/users/carol"
    assert "<script" not in note.text and "alert(1)" not in note.text
    assert "javascript:" not in note.text and "onclick" not in note.text
    assert 'href="https://tube.example/accounts/alice"' in note.text and "great" in note.text
    assert note.updated == note.published == datetime(2024, 3, 2, 8, 30, tzinfo=UTC)
    assert note.mention_urls == ["https://tube.example/accounts/alice"]


def test_attributed_to_as_a_list_of_objects_takes_the_person():
    doc = copy.deepcopy(PEERTUBE_NOTE)
    doc["attributedTo"] = [{"type": "Group", "id": "https://tube.example/video-channels/c"},
                           {"type": "Person", "id": "https://tube.example/accounts/alice"}]
    assert note_from_ap(doc).attributed_to == "https://tube.example/accounts/alice"


@pytest.mark.parametrize("change", [
    {"to": ["https://tube.example/accounts/alice/followers"], "cc": []},  # followers-only: not public
    {"type": "Article"},
    {"inReplyTo": None},
    {"inReplyTo": "not a url"},
    {"content": ""},
    {"content": "<script>only a script</script>", "mediaType": None},
    {"content": "x" * 10001},
    {"published": "yesterday"},
    {"attributedTo": None},
    {"id": "ftp://tube.example/x"},
    {"replyApproval": "nope"},
])
def test_unusable_notes_are_refused(change):
    doc = {**copy.deepcopy(PEERTUBE_NOTE), **change}
    with pytest.raises(InvalidObject):
        note_from_ap(doc)


def test_public_collection_in_cc_or_compacted_is_public():
    doc = {**copy.deepcopy(PEERTUBE_NOTE), "to": [], "cc": ["as:Public"]}
    assert note_from_ap(doc).text


def test_tombstone_is_read_as_deleted():
    note = note_from_ap({"type": "Tombstone", "id": f"{VIDEO}/comments/41", "url": f"{VIDEO}/comments/41",
                         "inReplyTo": VIDEO, "published": "2024-03-01T10:00:00.000Z",
                         "updated": "2024-03-01T11:00:00.000Z", "deleted": "2024-03-01T11:00:00.000Z"})
    assert note.deleted and note.attributed_to is None


def test_our_note_reads_back_the_same():
    when = datetime(2024, 5, 6, 7, 8, 9, 123000, tzinfo=UTC)
    document = note_to_ap(comment_url=f"{VIDEO}/comments/7", text="hello _there_", in_reply_to=VIDEO,
                          published=when, updated=when, author_url="https://tube.example/accounts/alice",
                          mentions=[Mention("https://vid.example/accounts/bob", "@bob@vid.example")],
                          reply_approval=f"{VIDEO}/comments/7/approve-reply")
    assert document["published"] == "2024-05-06T07:08:09.123Z"
    assert document["mediaType"] == "text/markdown" and document["url"] == document["id"]
    assert document["tag"] == [{"type": "Mention", "href": "https://vid.example/accounts/bob",
                                "name": "@bob@vid.example"}]
    back = note_from_ap({**document, "to": [AS_PUBLIC]})
    assert (back.id, back.text, back.in_reply_to, back.published) == (document["id"], "hello _there_", VIDEO, when)
    assert back.reply_approval == f"{VIDEO}/comments/7/approve-reply"


def test_our_tombstone():
    when = datetime(2024, 5, 6, tzinfo=UTC)
    document = tombstone_to_ap(comment_url=f"{VIDEO}/comments/7", in_reply_to=VIDEO, published=when, updated=when,
                               deleted=when)
    assert document["type"] == "Tombstone" and document["deleted"] == "2024-05-06T00:00:00.000Z"
    assert note_from_ap(document).deleted
