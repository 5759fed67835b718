"""Video Captions."""

from __future__ import annotations

from vidpub.db.models import Video, VideoCaption
from vidpub.schemas.common import ApiModel, RequestBody, StringConstant, Timestamp
from vidpub.services.videos.captions import caption_language_label
from vidpub.storage import layout


class VideoCaptionJson(ApiModel):
    """The 7.0 spec documents `language` and `captionPath`; PeerTube 8 adds the others."""
    language: StringConstant
    captionPath: str | None
    fileUrl: str | None
    m3u8Url: str | None
    automaticallyGenerated: bool
    updatedAt: Timestamp


def video_caption_json(base_url: str, video: Video, caption: VideoCaption) -> VideoCaptionJson:
    path = layout.caption_url_path(caption.filename)
    if video.is_local:
        file_url = base_url + path
        m3u8_url = (base_url + layout.caption_url_path(caption.m3u8_filename)
                    if caption.m3u8_filename else None)
    else:
        file_url, m3u8_url = caption.file_url, None
    return VideoCaptionJson(
        language=StringConstant(id=caption.language, label=caption_language_label(caption.language)),
        captionPath=path, fileUrl=file_url, m3u8Url=m3u8_url,
        automaticallyGenerated=caption.automatically_generated, updatedAt=caption.updated_at)


class CaptionGenerateBody(RequestBody):
    forceTranscription: bool = False
