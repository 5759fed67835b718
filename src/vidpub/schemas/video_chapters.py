"""Video Chapters."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints, field_validator

from vidpub.schemas.common import ApiModel, RequestBody

MAX_TIMECODE = 2**31 - 1  # seconds; an INTEGER column holds it


class ChapterJson(ApiModel):
    timecode: int
    title: str


class VideoChaptersJson(ApiModel):
    # PeerTube answers a list; the 7.0 spec's `VideoChapters` describes a single object (a spec defect)
    chapters: list[ChapterJson]


class ChapterIn(RequestBody):
    timecode: int = Field(ge=0, le=MAX_TIMECODE)
    title: Annotated[str, StringConstraints(min_length=1, max_length=100)]


class VideoChaptersBody(RequestBody):
    chapters: list[ChapterIn]

    @field_validator("chapters")
    @classmethod
    def _unique_timecodes(cls, value: list[ChapterIn]) -> list[ChapterIn]:
        timecodes = [chapter.timecode for chapter in value]
        if len(set(timecodes)) != len(timecodes):
            raise ValueError("Chapter timecodes should be unique")
        return value
