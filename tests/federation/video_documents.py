"""`Video` objects and video activities shaped as real PeerTube instances send them, built from the
field lists of peertube-internals §5.6 and PeerTube's `VideoObject` type (peertube-types 8.2.3):
`peertube_video` is a PeerTube 7/8 object, `peertube_v5_video` the older shape (no file attachments,
`commentsEnabled`, caption `url` as a string, `attributedTo` as bare URLs)."""

from __future__ import annotations

import copy

PUBLIC = "https://www.w3.org/ns/activitystreams#Public"

VIDEO_CONTEXT = [
    "https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1",
    {"RsaSignature2017": "https://w3id.org/security#RsaSignature2017"},
    {"pt": "https://joinpeertube.org/ns#", "sc": "http://schema.org/", "Hashtag": "as:Hashtag",
     "uuid": "sc:identifier", "category": "sc:category", "licence": "sc:license",
     "subtitleLanguage": "sc:subtitleLanguage", "sensitive": "as:sensitive", "language": "sc:inLanguage",
     "views": {"@type": "sc:Number", "@id": "pt:views"}, "state": {"@type": "sc:Number", "@id": "pt:state"},
     "commentsPolicy": {"@type": "sc:Number", "@id": "pt:commentsPolicy"}},
]


def _file_links(base: str, name: str, height: int, width: int, size: int, flag: str) -> list[dict]:
    mime = "video/mp4"
    return [
        {"type": "Link", "mediaType": mime, "href": f"{base}/{name}", "height": height, "width": width,
         "size": size, "fps": 30,
         "attachment": [{"type": "PropertyValue", "name": "ffprobe_codec_type", "value": "video"},
                        {"type": "PropertyValue", "name": "ffprobe_codec_type", "value": "audio"},
                        {"type": "PropertyValue", "name": "peertube_format_flag", "value": flag}]},
        {"type": "Link", "rel": ["metadata", mime], "mediaType": "application/json",
         "href": f"{_origin(base)}/api/v1/videos/metadata/{height}", "height": height, "width": width, "fps": 30},
        {"type": "Link", "mediaType": "application/x-bittorrent", "href": f"{_origin(base)}/lazy-static/torrents/{height}.torrent",
         "height": height, "width": width, "fps": 30},
        {"type": "Link", "mediaType": "application/x-bittorrent;x-scheme-handler/magnet",
         "href": f"magnet:?xs=x&xt=urn:btih:{'ab' * 19}{height % 100:02d}&dn=video", "height": height,
         "width": width, "fps": 30},
    ]


def _origin(url: str) -> str:
    return "/".join(url.split("/")[:3])


def peertube_video(host: str = "peertube.example", uuid: str = "9c9de5e8-0a1e-484a-b099-e80766180a6d",
                   *, account: str = "alice", channel: str = "alice_channel", name: str = "What is PeerTube?",
                   scheme: str = "https", public: bool = True) -> dict:
    origin = f"{scheme}://{host}"
    url = f"{origin}/videos/watch/{uuid}"
    hls_base = f"{origin}/static/streaming-playlists/hls/{uuid}"
    account_url, channel_url = f"{origin}/accounts/{account}", f"{origin}/video-channels/{channel}"
    return {
        "type": "Video", "id": url, "name": name, "duration": "PT1M53S", "uuid": uuid,
        "tag": [{"type": "Hashtag", "name": "peertube"}, {"type": "Hashtag", "name": "framasoft"},
                {"type": "SensitiveTag", "name": "violent"}],
        "category": {"identifier": "15", "name": "Science & Technology"},
        "licence": {"identifier": "2", "name": "Attribution - Share Alike"},
        "language": {"identifier": "en", "name": "English"},
        "views": 42, "downloads": 3, "sensitive": True, "summary": "Some violence",
        "waitTranscoding": True, "state": 1, "commentsEnabled": True, "canReply": None, "commentsPolicy": 1,
        "downloadEnabled": True, "published": "2024-05-01T10:00:00.000Z", "originallyPublishedAt": None,
        "updated": "2024-05-02T11:30:00.000Z", "uploadDate": "2024-05-01T09:58:00.000Z",
        "mediaType": "text/markdown", "content": "**PeerTube** is a free and decentralised video platform.",
        "support": "Support us on joinpeertube.org",
        "subtitleLanguage": [{"identifier": "fr", "name": "French", "automaticallyGenerated": False,
                              "url": [{"type": "Link", "mediaType": "text/vtt",
                                       "href": f"{origin}/lazy-static/video-captions/abc-fr.vtt"},
                                      {"type": "Link", "mediaType": "application/x-mpegURL",
                                       "href": f"{origin}/lazy-static/video-captions/abc-fr.m3u8"}]}],
        "icon": [{"type": "Image", "url": f"{origin}/lazy-static/previews/big.jpg", "mediaType": "image/jpeg",
                  "width": 850, "height": 480},
                 {"type": "Image", "url": f"{origin}/lazy-static/thumbnails/small.jpg", "mediaType": "image/jpeg",
                  "width": 280, "height": 157}],
        "preview": [{"type": "Image", "rel": ["storyboard"],
                     "url": [{"mediaType": "image/jpeg", "href": f"{origin}/lazy-static/storyboards/sb.jpg",
                              "width": 1920, "height": 1080, "tileWidth": 192, "tileHeight": 108,
                              "tileDuration": "PT1S"}]}],
        "aspectRatio": 1.7778,
        "url": [
            {"type": "Link", "mediaType": "text/html", "href": url},
            {"type": "Link", "mediaType": "text/html", "href": f"{origin}/w/kFrQCBrM1f3wvXwfGg1aBn"},
            *_file_links(f"{origin}/static/web-videos", f"{uuid}-720.mp4", 720, 1280, 12345678, "web-video"),
            *_file_links(f"{origin}/static/web-videos", f"{uuid}-360.mp4", 360, 640, 2345678, "web-video"),
            {"type": "Link", "mediaType": "application/x-mpegURL", "href": f"{hls_base}/{uuid}-master.m3u8",
             "tag": [{"type": "Infohash", "name": "f" * 40}, {"type": "Infohash", "name": "e" * 40},
                     {"type": "Link", "name": "sha256", "mediaType": "application/json",
                      "href": f"{hls_base}/{uuid}-segments-sha256.json"},
                     *_file_links(hls_base, f"{uuid}-720-fragmented.mp4", 720, 1280, 12000000, "fragmented")]},
            {"type": "Link", "name": "tracker-http", "rel": ["tracker", "http"], "href": f"{origin}/tracker/announce"},
            {"type": "Link", "name": "tracker-websocket", "rel": ["tracker", "websocket"],
             "href": f"wss://{host}/tracker/socket"},
        ],
        "likes": f"{url}/likes", "dislikes": f"{url}/dislikes", "shares": f"{url}/announces",
        "comments": f"{url}/comments", "hasParts": f"{url}/chapters", "playerSettings": f"{url}/player-settings",
        "attributedTo": [{"type": "Person", "id": account_url}, {"type": "Group", "id": channel_url}],
        "isLiveBroadcast": False, "liveSaveReplay": None, "permanentLive": None, "latencyMode": None,
        "to": [PUBLIC] if public else [], "cc": [f"{account_url}/followers"] if public else [PUBLIC],
    }


def peertube_v5_video(host: str = "old.example", uuid: str = "04af977f-4201-4697-be67-a8d8cae6fa7a", *,
                      account: str = "bob", channel: str = "bob_channel", scheme: str = "https") -> dict:
    """A PeerTube 5 object: files without attachments nor width, captions as strings, bare owner URLs."""
    origin = f"{scheme}://{host}"
    url = f"{origin}/videos/watch/{uuid}"
    return {
        "type": "Video", "id": url, "name": "Old video", "duration": "PT30S", "uuid": uuid, "tag": [],
        "category": None, "licence": None, "language": None, "views": 1, "sensitive": False,
        "waitTranscoding": False, "state": 1, "commentsEnabled": False, "downloadEnabled": True,
        "published": "2022-01-01T00:00:00.000Z", "originallyPublishedAt": None, "updated": "2022-01-01T00:00:00.000Z",
        "mediaType": "text/markdown", "content": None, "support": None,
        "subtitleLanguage": [{"identifier": "en", "name": "English",
                              "url": f"{origin}/lazy-static/video-captions/{uuid}-en.vtt"}],
        "icon": [{"type": "Image", "url": f"{origin}/static/thumbnails/{uuid}.jpg", "mediaType": "image/jpeg",
                  "width": 223, "height": 122}],
        "url": [{"type": "Link", "mediaType": "text/html", "href": url},
                {"type": "Link", "mediaType": "video/mp4", "href": f"{origin}/static/webseed/{uuid}-480.mp4",
                 "height": 480, "size": 1000, "fps": 25}],
        "likes": f"{url}/likes", "dislikes": f"{url}/dislikes", "shares": f"{url}/announces",
        "comments": f"{url}/comments",
        "attributedTo": [f"{origin}/accounts/{account}", f"{origin}/video-channels/{channel}"],
        "to": [PUBLIC], "cc": [f"{origin}/accounts/{account}/followers"],
    }


def create_activity(video: dict) -> dict:
    account = next(item["id"] if isinstance(item, dict) else item for item in video["attributedTo"])
    return {"@context": VIDEO_CONTEXT, "type": "Create", "id": f"{video['id']}/activity", "actor": account,
            "to": video["to"], "cc": video["cc"], "object": copy.deepcopy(video)}


def update_activity(video: dict) -> dict:
    account = next(item["id"] if isinstance(item, dict) else item for item in video["attributedTo"])
    return {"@context": VIDEO_CONTEXT, "type": "Update", "id": f"{video['id']}/updates/{video['updated']}",
            "actor": account, "to": video["to"], "cc": video["cc"], "object": copy.deepcopy(video)}


def delete_activity(video: dict, actor: str) -> dict:
    return {"@context": VIDEO_CONTEXT[:3], "type": "Delete", "id": f"{video['id']}/delete", "actor": actor,
            "to": [PUBLIC], "cc": [], "object": video["id"]}


def like_activity(actor: str, video_url: str, *, kind: str = "Like", number: int = 1) -> dict:
    folder = "likes" if kind == "Like" else "dislikes"
    return {"@context": VIDEO_CONTEXT[:3], "type": kind, "id": f"{actor}/{folder}/{number}", "actor": actor,
            "object": video_url}


def announce_activity(actor: str, video_url: str, actor_id: int = 7) -> dict:
    return {"@context": VIDEO_CONTEXT[:3], "type": "Announce", "id": f"{video_url}/announces/{actor_id}",
            "actor": actor, "object": video_url, "to": [PUBLIC], "cc": [f"{actor}/followers"]}


def undo_activity(inner: dict) -> dict:
    return {"@context": VIDEO_CONTEXT[:3], "type": "Undo", "id": f"{inner['id']}/undo", "actor": inner["actor"],
            "object": {k: v for k, v in inner.items() if k != "@context"}}
