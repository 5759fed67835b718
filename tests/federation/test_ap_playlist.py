"""Playlist documents both ways, on documents shaped like real PeerTube's (peertube-internals §5.6)."""

from __future__ import annotations

import copy
from datetime import UTC, datetime

import pytest

from vidpub.federation.ap.common import InvalidObject
from vidpub.federation.ap.playlist import element_from_ap, element_to_ap, playlist_from_ap, playlist_to_ap
from vidpub.federation.context import AS_PUBLIC

PLAYLIST = "https://tube.example/video-playlists/0b0e9d6e-3c5f-4c31-9b3b-63e7f2b6f6a1"

PEERTUBE_PLAYLIST = {
    "id": PLAYLIST,
    "type": "Playlist",
    "totalItems": 2,
    "first": f"{PLAYLIST}?page=1",
    "name": "Best of",
    "content": "The *best* ones",
    "mediaType": "text/markdown",
    "uuid": "0b0e9d6e-3c5f-4c31-9b3b-63e7f2b6f6a1",
    "published": "2024-01-01T00:00:00.000Z",
    "updated": "2024-01-02T00:00:00.000Z",
    "attributedTo": ["https://tube.example/video-channels/alice_channel"],
    "icon": {"type": "Image", "url": "https://tube.example/lazy-static/thumbnails/a.jpg",
             "mediaType": "image/jpeg", "width": 280, "height": 157},
    "videoChannelPosition": 1,
    "to": [AS_PUBLIC],
}

PEERTUBE_ELEMENT = {"id": f"{PLAYLIST}/videos/12", "type": "PlaylistElement",
                    "url": "https://tube.example/videos/watch/6a2ed4e4-83c6-4e5a-a6a1-1f0e0b2a0c11",
                    "position": 2, "startTimestamp": 15}


def test_peertube_playlist_is_read():
    fields = playlist_from_ap(copy.deepcopy(PEERTUBE_PLAYLIST))
    assert fields.uuid == "0b0e9d6e-3c5f-4c31-9b3b-63e7f2b6f6a1"
    assert (fields.name, fields.description, fields.public) == ("Best of", "The *best* ones", True)
    assert fields.channel_urls == ["https://tube.example/video-channels/alice_channel"]
    assert fields.first_page == f"{PLAYLIST}?page=1"
    assert fields.icon_url == "https://tube.example/lazy-static/thumbnails/a.jpg"
    assert (fields.icon_width, fields.icon_height) == (280, 157)
    assert fields.published == datetime(2024, 1, 1, tzinfo=UTC)


@pytest.mark.parametrize(("icon", "expected"), [
    ("https://tube.example/a.jpg", ("https://tube.example/a.jpg", None, None)),
    ([{"type": "Image", "url": "javascript:alert(1)"}, {"type": "Image", "url": "https://tube.example/b.jpg",
                                                         "width": "280", "height": True}],
     ("https://tube.example/b.jpg", None, None)),
    ({"type": "Image", "url": "https://tube.example/c.jpg", "width": 10**9, "height": 157},
     ("https://tube.example/c.jpg", None, 157)),
    (None, (None, None, None)),
    ({"type": "Image", "url": "file:///etc/passwd"}, (None, None, None)),
])
def test_the_first_usable_icon_is_kept_with_plausible_dimensions(icon, expected):
    fields = playlist_from_ap({**copy.deepcopy(PEERTUBE_PLAYLIST), "icon": icon})
    assert (fields.icon_url, fields.icon_width, fields.icon_height) == expected


def test_a_playlist_without_the_public_collection_is_unlisted():
    assert not playlist_from_ap({**copy.deepcopy(PEERTUBE_PLAYLIST), "to": []}).public


def test_inline_page_items_are_kept():
    doc = {**copy.deepcopy(PEERTUBE_PLAYLIST), "first": None,
           "orderedItems": [f"{PLAYLIST}/videos/1", {"id": f"{PLAYLIST}/videos/2"}]}
    assert playlist_from_ap(doc).element_urls == [f"{PLAYLIST}/videos/1", f"{PLAYLIST}/videos/2"]


@pytest.mark.parametrize("change", [
    {"type": "OrderedCollection"}, {"uuid": "nope"}, {"name": ""}, {"name": None},
    {"published": None}, {"id": "mailto:x@y"},
])
def test_unusable_playlists_are_refused(change):
    with pytest.raises(InvalidObject):
        playlist_from_ap({**copy.deepcopy(PEERTUBE_PLAYLIST), **change})


def test_long_texts_are_cut_and_short_descriptions_dropped():
    fields = playlist_from_ap({**copy.deepcopy(PEERTUBE_PLAYLIST), "name": "n" * 300, "content": "ab"})
    assert len(fields.name) == 120 and fields.description is None


def test_peertube_element_is_read():
    element = element_from_ap(copy.deepcopy(PEERTUBE_ELEMENT))
    assert (element.position, element.start_timestamp, element.stop_timestamp) == (2, 15, None)
    assert element.video_url.endswith("6a2ed4e4-83c6-4e5a-a6a1-1f0e0b2a0c11")


@pytest.mark.parametrize("change", [{"position": 0}, {"position": "1"}, {"url": None}, {"startTimestamp": -1},
                                    {"type": "Video"}])
def test_unusable_elements_are_refused(change):
    with pytest.raises(InvalidObject):
        element_from_ap({**copy.deepcopy(PEERTUBE_ELEMENT), **change})


def test_our_playlist_reads_back_the_same():
    when = datetime(2024, 2, 3, 4, 5, 6, tzinfo=UTC)
    document = playlist_to_ap(playlist_url=PLAYLIST, name="Mine", description=None,
                              uuid="0b0e9d6e-3c5f-4c31-9b3b-63e7f2b6f6a1", published=when, updated=when,
                              channel_url="https://tube.example/video-channels/c", channel_position=3, public=False,
                              icon=None, total_items=0)
    assert "first" not in document and document["to"] == [] and document["videoChannelPosition"] == 3
    back = playlist_from_ap(document)
    assert (back.name, back.public, back.channel_urls) == ("Mine", False, ["https://tube.example/video-channels/c"])
    element = element_to_ap(element_url=f"{PLAYLIST}/videos/3", video_url=PEERTUBE_ELEMENT["url"], position=1,
                            start_timestamp=None, stop_timestamp=30)
    assert "startTimestamp" not in element
    assert element_from_ap(element).stop_timestamp == 30
