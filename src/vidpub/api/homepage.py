"""Homepage tag: the instance's custom homepage."""

from __future__ import annotations

from fastapi import APIRouter, Response
from pydantic import Field

from vidpub.api.deps import RuntimeDep, SessionDep, require_right
from vidpub.schemas.common import ApiModel, RequestBody
from vidpub.services import homepage
from vidpub.services.auth.rights import UserRight

router = APIRouter(tags=["Homepage"])


class CustomHomepage(ApiModel):
    content: str


class CustomHomepageUpdate(RequestBody):
    content: str | None = Field(default=None, max_length=homepage.MAX_CONTENT_LENGTH,
                                description="content of the homepage, that will be injected in the client")


@router.get("/custom-pages/homepage/instance", response_model=CustomHomepage, operation_id="getCustomHomepage",
            responses={404: {"description": "No homepage set"}})
async def get_homepage(session: SessionDep):
    return CustomHomepage(content=await homepage.get_homepage(session))


@router.put("/custom-pages/homepage/instance", status_code=204, operation_id="putCustomHomepage",
            dependencies=[require_right(UserRight.MANAGE_INSTANCE_CUSTOM_PAGE)])
async def set_homepage(body: CustomHomepageUpdate, session: SessionDep, runtime: RuntimeDep):
    await homepage.set_homepage(session, runtime, body.content)
    return Response(status_code=204)
