"""Config tag: the public configuration, the About page, the admin's custom configuration and
the instance's own avatar and banner."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse

from vidpub.api.deps import RuntimeDep, SessionDep, client_ip, require_right
from vidpub.api.image_upload import image_request_body, uploaded_image
from vidpub.db.models import ActorImageType
from vidpub.schemas.config import About, ServerConfig
from vidpub.schemas.custom_config import CustomConfig
from vidpub.services import custom_config, instance_images, server_config
from vidpub.services.auth.rights import UserRight

router = APIRouter(tags=["Config"])

ManageConfiguration = require_right(UserRight.MANAGE_CONFIGURATION)
TOO_LARGE = {413: {"description": "image file too large"}}


@router.get("/config", response_model=ServerConfig, operation_id="getConfig")
async def get_config(request: Request, session: SessionDep, runtime: RuntimeDep):
    body = await server_config.server_config_body(runtime, session, client_ip(request))
    return Response(body, media_type="application/json")


@router.get("/config/about", response_model=About, operation_id="getAbout")
async def get_about(runtime: RuntimeDep):
    return Response(await server_config.about_body(runtime), media_type="application/json")


# Answered without response validation: the values come from the admin's files, and a surprising
# value there must still be shown (and fixed) rather than turned into a 500.
@router.get("/config/custom", response_model=CustomConfig, operation_id="getCustomConfig",
            dependencies=[ManageConfiguration])
async def get_custom_config(runtime: RuntimeDep):
    return JSONResponse(custom_config.custom_config_json(runtime.config))


@router.put("/config/custom", response_model=CustomConfig, operation_id="putCustomConfig",
            dependencies=[ManageConfiguration],
            responses={400: {"description": "invalid or inconsistent configuration"},
                       405: {"description": "webadmin.configuration.edition.allowed is false"}})
async def put_custom_config(body: CustomConfig, session: SessionDep, runtime: RuntimeDep):
    return JSONResponse(await custom_config.update(session, runtime, body))


@router.delete("/config/custom", response_model=CustomConfig, operation_id="delCustomConfig",
               dependencies=[ManageConfiguration],
               responses={405: {"description": "webadmin.configuration.edition.allowed is false"}})
async def delete_custom_config(session: SessionDep, runtime: RuntimeDep):
    return JSONResponse(await custom_config.reset(session, runtime))


@router.post("/config/instance-avatar/pick", status_code=204, operation_id="updateInstanceAvatar",
             dependencies=[ManageConfiguration], openapi_extra=image_request_body("avatarfile"),
             responses=TOO_LARGE)
async def pick_instance_avatar(request: Request, session: SessionDep, runtime: RuntimeDep):
    async with uploaded_image(request, session, "avatarfile") as upload:
        await instance_images.replace(session, runtime, ActorImageType.AVATAR, upload.file, upload.filename,
                                      "avatarfile")
    return Response(status_code=204)


@router.delete("/config/instance-avatar", status_code=204, operation_id="deleteInstanceAvatar",
               dependencies=[ManageConfiguration])
async def delete_instance_avatar(session: SessionDep, runtime: RuntimeDep):
    await instance_images.delete(session, runtime, ActorImageType.AVATAR)
    return Response(status_code=204)


@router.post("/config/instance-banner/pick", status_code=204, operation_id="updateInstanceBanner",
             dependencies=[ManageConfiguration], openapi_extra=image_request_body("bannerfile"),
             responses=TOO_LARGE)
async def pick_instance_banner(request: Request, session: SessionDep, runtime: RuntimeDep):
    async with uploaded_image(request, session, "bannerfile") as upload:
        await instance_images.replace(session, runtime, ActorImageType.BANNER, upload.file, upload.filename,
                                      "bannerfile")
    return Response(status_code=204)


@router.delete("/config/instance-banner", status_code=204, operation_id="deleteInstanceBanner",
               dependencies=[ManageConfiguration])
async def delete_instance_banner(session: SessionDep, runtime: RuntimeDep):
    await instance_images.delete(session, runtime, ActorImageType.BANNER)
    return Response(status_code=204)
