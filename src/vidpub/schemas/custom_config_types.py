"""Field kinds of `CustomConfig` (see `vidpub.schemas.custom_config`): conversion markers, bounded
numbers and the strict base model."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from pydantic import ConfigDict, Field

from vidpub.schemas.common import RequestBody


class Duration:
    """Milliseconds in the JSON; a PeerTube duration ('2 days', or milliseconds) in the YAML."""


class Size:
    """Bytes in the JSON; a PeerTube size ('10GB', or bytes) in the YAML."""


@dataclass(frozen=True)
class LegacyNameOf:
    """The 7.0 spelling of the sibling field `field`: same value, read only when `field` is absent."""
    field: str


# JSON numbers beyond this lose precision in JavaScript clients (and would overflow BIGINT columns)
MAX_SAFE_INTEGER = 2**53 - 1
Int = Annotated[int, Field(le=MAX_SAFE_INTEGER)]
Count = Annotated[int, Field(ge=0, le=MAX_SAFE_INTEGER)]
Positive = Annotated[int, Field(ge=1, le=MAX_SAFE_INTEGER)]
Limit = Annotated[int, Field(ge=-1, le=MAX_SAFE_INTEGER)]  # -1: unlimited
Millis = Annotated[int, Duration(), Field(ge=-1, le=MAX_SAFE_INTEGER)]
Bytes = Annotated[int, Size(), Field(ge=-1, le=MAX_SAFE_INTEGER)]
NonEmpty = Annotated[str, Field(min_length=1)]


class CustomModel(RequestBody):
    model_config = ConfigDict(populate_by_name=True, strict=True)


class CustomEnabled(CustomModel):
    enabled: bool = None


class CustomEnabledWithRunners(CustomModel):
    enabled: bool = None
    remoteRunners: CustomEnabled = None
