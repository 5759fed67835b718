"""JSON-LD `@context` arrays of the documents we send (peertube-internals §5.6).

PeerTube sends the base context followed by one object of terms for the object type; receivers that
do JSON-LD processing (LD signatures) need the terms, the others ignore them.
"""

from __future__ import annotations

import copy

AS_PUBLIC = "https://www.w3.org/ns/activitystreams#Public"

BASE_CONTEXT: list = [
    "https://www.w3.org/ns/activitystreams",
    "https://w3id.org/security/v1",
    {"RsaSignature2017": "https://w3id.org/security#RsaSignature2017"},
]

_NAMESPACES = {"pt": "https://joinpeertube.org/ns#", "sc": "http://schema.org/"}


def _sc(name: str) -> str:
    return f"sc:{name}"


def _pt(name: str) -> dict:
    return {"@id": f"pt:{name}", "@type": "sc:Number"}


_VIDEO_TERMS: dict = {
    "Hashtag": "as:Hashtag",
    "category": _sc("category"), "licence": _sc("license"), "subtitleLanguage": _sc("subtitleLanguage"),
    "sensitive": "as:sensitive", "language": _sc("inLanguage"), "identifier": _sc("identifier"),
    "isLiveBroadcast": _sc("isLiveBroadcast"), "liveSaveReplay": {"@type": "sc:Boolean", "@id": "pt:liveSaveReplay"},
    "permanentLive": {"@type": "sc:Boolean", "@id": "pt:permanentLive"},
    "latencyMode": {"@type": "sc:Number", "@id": "pt:latencyMode"},
    "dvrWindow": {"@type": "sc:Number", "@id": "pt:dvrWindow"},
    "Infohash": "pt:Infohash", "SensitiveTag": "pt:SensitiveTag",
    "tileWidth": _pt("tileWidth"), "tileHeight": _pt("tileHeight"), "tileDuration": _pt("tileDuration"),
    "aspectRatio": {"@type": "sc:Float", "@id": "pt:aspectRatio"},
    "uuid": {"@type": "sc:identifier", "@id": "pt:uuid"},
    "originallyPublishedAt": _sc("datePublished"), "schedules": _sc("eventSchedule"),
    "startDate": _sc("startDate"), "embedUrl": _sc("embedUrl"), "uploadDate": _sc("uploadDate"),
    "hasParts": _sc("hasParts"), "PropertyValue": _sc("PropertyValue"), "value": _sc("value"),
    "automaticallyGenerated": {"@type": "sc:Boolean", "@id": "pt:automaticallyGenerated"},
    "playerSettings": {"@type": "@id", "@id": "pt:playerSettings"},
    "views": {"@type": "sc:Number", "@id": "pt:views"},
    "downloads": {"@type": "sc:Number", "@id": "pt:downloads"},
    "state": {"@type": "sc:Number", "@id": "pt:state"},
    "size": {"@type": "sc:Number", "@id": "pt:size"},
    "fps": {"@type": "sc:Number", "@id": "pt:fps"},
    "canReply": {"@type": "@id", "@id": "pt:canReply"},
    "commentsPolicy": {"@type": "sc:Number", "@id": "pt:commentsPolicy"},
    "downloadEnabled": {"@type": "sc:Boolean", "@id": "pt:downloadEnabled"},
    "waitTranscoding": {"@type": "sc:Boolean", "@id": "pt:waitTranscoding"},
    "support": {"@type": "sc:Text", "@id": "pt:support"},
    "likes": {"@id": "as:likes", "@type": "@id"}, "dislikes": {"@id": "as:dislikes", "@type": "@id"},
    "shares": {"@id": "as:shares", "@type": "@id"}, "comments": {"@id": "as:comments", "@type": "@id"},
}

_TERMS_BY_KIND: dict[str, dict] = {
    "Video": _VIDEO_TERMS,
    "CacheFile": {"expires": "sc:expires", "CacheFile": "pt:CacheFile",
                  "size": {"@type": "sc:Number", "@id": "pt:size"}, "fps": {"@type": "sc:Number", "@id": "pt:fps"}},
    "Playlist": {"Playlist": "pt:Playlist", "PlaylistElement": "pt:PlaylistElement",
                 "position": {"@type": "sc:Number", "@id": "pt:position"},
                 "startTimestamp": {"@type": "sc:Number", "@id": "pt:startTimestamp"},
                 "stopTimestamp": {"@type": "sc:Number", "@id": "pt:stopTimestamp"},
                 "uuid": {"@type": "sc:identifier", "@id": "pt:uuid"}},
    "Actor": {"playlists": {"@id": "pt:playlists", "@type": "@id"},
              "support": {"@type": "sc:Text", "@id": "pt:support"},
              "playerSettings": {"@type": "@id", "@id": "pt:playerSettings"},
              "lemmy": "https://join-lemmy.org/ns#",
              "postingRestrictedToMods": "lemmy:postingRestrictedToMods",
              "toot": "http://joinmastodon.org/ns#", "indexable": "toot:indexable",
              "discoverable": "toot:discoverable", "email": {"@type": "sc:Text", "@id": "sc:email"}},
    "WatchAction": {"WatchAction": "sc:WatchAction", "startTimestamp": {"@type": "sc:Number", "@id": "pt:startTimestamp"},
                    "endTimestamp": {"@type": "sc:Number", "@id": "pt:endTimestamp"},
                    "uuid": {"@type": "sc:identifier", "@id": "pt:uuid"}, "actionStatus": "sc:actionStatus",
                    "watchSections": {"@type": "@id", "@id": "pt:watchSections"},
                    "addressRegion": "sc:addressRegion", "addressCountry": "sc:addressCountry"},
    "View": {"InteractionCounter": "sc:InteractionCounter", "interactionType": "sc:interactionType",
             "userInteractionCount": "sc:userInteractionCount"},
    "Comment": {"replyApproval": {"@type": "@id", "@id": "pt:replyApproval"}},
    "ApproveReply": {"ApproveReply": "pt:ApproveReply"},
    "RejectReply": {"RejectReply": "pt:RejectReply"},
    "Chapters": {"hasPart": "sc:hasPart", "endOffset": "sc:endOffset", "startOffset": "sc:startOffset"},
    "PlayerSettings": {"theme": {"@type": "sc:Text", "@id": "pt:theme"}},
    "Download": {"Download": "pt:Download"},
    "Flag": {"Hashtag": "as:Hashtag"},
}


def context_for(kind: str | None = None) -> list:
    """The `@context` of a document about `kind` (None, "Follow", "Undo"...: the base context)."""
    terms = _TERMS_BY_KIND.get(kind or "")
    base = copy.deepcopy(BASE_CONTEXT)
    if terms is None:
        return base
    return base + [{**_NAMESPACES, **copy.deepcopy(terms)}]


def with_context(document: dict, kind: str | None = None) -> dict:
    """`document` with its `@context` first (the order PeerTube sends)."""
    return {"@context": context_for(kind), **{k: v for k, v in document.items() if k != "@context"}}
