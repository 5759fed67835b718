"""Users tag: turning two-factor authentication on and off (`/users/{id}/two-factor/*`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Response

from vidpub.api.deps import IdPath, CurrentUser, RuntimeDep, SessionDep
from vidpub.schemas.oauth import CurrentPasswordBody, OtpRequest, TwoFactorConfirmBody, TwoFactorEnableResult
from vidpub.services.auth import two_factor
from vidpub.services.auth.account_access import check_current_password, user_managed_by

router = APIRouter(tags=["Users"])

OptionalPasswordBody = Annotated[CurrentPasswordBody | None, Body()]


def _denied(me) -> str:
    return f"User {me.username} does not have right to change two factor setting of this user."


@router.post("/users/{id}/two-factor/request", response_model=TwoFactorEnableResult,
             operation_id="requestTwoFactor")
async def request_two_factor(id: IdPath, session: SessionDep, runtime: RuntimeDep, me: CurrentUser,
                             body: OptionalPasswordBody = None):
    await check_current_password(me, id, body.currentPassword if body else None)
    user = await user_managed_by(session, me, id, denied=_denied(me))
    enrolment = two_factor.request(runtime.config, runtime.secret, user)
    return TwoFactorEnableResult(otpRequest=OtpRequest(
        requestToken=enrolment.request_token, secret=enrolment.secret, uri=enrolment.uri))


@router.post("/users/{id}/two-factor/confirm-request", status_code=204,
             operation_id="confirmTwoFactorRequest")
async def confirm_two_factor(id: IdPath, body: TwoFactorConfirmBody, session: SessionDep, runtime: RuntimeDep,
                             me: CurrentUser):
    user = await user_managed_by(session, me, id, denied=_denied(me))
    await two_factor.confirm(session, runtime.secret, user, body.requestToken, body.otpToken)
    return Response(status_code=204)


@router.post("/users/{id}/two-factor/disable", status_code=204, operation_id="disableTwoFactor")
async def disable_two_factor(id: IdPath, session: SessionDep, me: CurrentUser,
                             body: OptionalPasswordBody = None):
    await check_current_password(me, id, body.currentPassword if body else None)
    user = await user_managed_by(session, me, id, denied=_denied(me))
    await two_factor.disable(session, user)
    return Response(status_code=204)
