"""Video tag constants: id → label maps (PeerTube answers objects, not the spec's arrays)."""

from __future__ import annotations

from fastapi import APIRouter

from vidpub.services import constants

router = APIRouter(tags=["Video"])


@router.get("/videos/categories", response_model=dict[str, str], operation_id="getCategories")
async def categories():
    return {str(k): v for k, v in constants.VIDEO_CATEGORIES.items()}


@router.get("/videos/licences", response_model=dict[str, str], operation_id="getLicences")
async def licences():
    return {str(k): v for k, v in constants.VIDEO_LICENCES.items()}


@router.get("/videos/languages", response_model=dict[str, str], operation_id="getLanguages")
async def languages():
    return constants.video_languages()


@router.get("/videos/privacies", response_model=dict[str, str], operation_id="getVideoPrivacyPolicies")
async def privacies():
    return {str(k): v for k, v in constants.VIDEO_PRIVACIES.items()}


@router.get("/video-playlists/privacies", response_model=dict[str, str], tags=["Video Playlists"],
            operation_id="getPlaylistPrivacyPolicies")
async def playlist_privacies():
    return {str(k): v for k, v in constants.VIDEO_PLAYLIST_PRIVACIES.items()}
