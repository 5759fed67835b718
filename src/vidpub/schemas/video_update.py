"""`PUT /videos/{id}`: the same fields as an upload, every one optional; what the client sends is
changed, what it leaves out stays (`model_fields_set` tells them apart, an explicit null clears)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi.exceptions import RequestValidationError
from pydantic import Field, ValidationError

from vidpub.schemas.video_create import NAME_LENGTH, VideoAttributes, unflatten_form


class VideoUpdate(VideoAttributes):
    name: Annotated[str | None, Field(min_length=NAME_LENGTH[0], max_length=NAME_LENGTH[1])] = None
    channelId: Annotated[int | None, Field(ge=1, le=2**31 - 1)] = None

    def given(self, name: str) -> bool:
        return name in self.model_fields_set

    @classmethod
    def parse(cls, data: Any, location: str = "body") -> VideoUpdate:
        """400 naming the field for a bad value (the password rule depends on the video: checked by
        the service)."""
        if not isinstance(data, dict):
            raise RequestValidationError([{"type": "dict_type", "loc": (location,), "msg": "Should be an object",
                                           "input": data}])
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            raise RequestValidationError(
                [{**error, "loc": (location, *error["loc"])} for error in exc.errors()]) from None

    @classmethod
    def from_form(cls, fields) -> VideoUpdate:
        return cls.parse(unflatten_form(fields))
