"""`GET /services/oembed`: how other sites embed this instance's videos and playlists (the HTML pages
advertise it with an `application/json+oembed` link)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from fastapi.responses import JSONResponse

from vidpub.api.deps import ConfigDep, SessionDep, refuse_nul_characters
from vidpub.errors import ProblemError
from vidpub.services import oembed

router = APIRouter(include_in_schema=False, dependencies=[Depends(refuse_nul_characters)])


@router.get("/services/oembed")
async def oembed_document(session: SessionDep, config: ConfigDep,
                          url: Annotated[str, Query(min_length=1, max_length=2000)],
                          maxwidth: Annotated[int | None, Query(ge=1, le=100_000)] = None,
                          maxheight: Annotated[int | None, Query(ge=1, le=100_000)] = None,
                          format: Annotated[str | None, Query(max_length=20)] = None):  # noqa: A002
    if format is not None and format != "json":
        raise ProblemError(501, "Requested format is not implemented on server.")
    return JSONResponse(await oembed.oembed(session, config, url, maxwidth, maxheight))
