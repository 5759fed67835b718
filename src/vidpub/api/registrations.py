"""Register tag: sign-up, registration requests and their moderation.

Mounted before the Users router so that `/users/registrations` is not read as a user id.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from vidpub.api.deps import (ConfigDep, IdPath, Pagination, RuntimeDep, SessionDep, client_ip, pagination,
                             require_right)
from vidpub.api.users import LimitMailRequests, SearchQuery
from vidpub.schemas.common import Page
from vidpub.schemas.registrations import (RegistrationAcceptOrReject, RegistrationJson, UserRegister,
                                          UserRegistrationRequest, registration_json)
from vidpub.schemas.users import EmailBody, VerifyEmailBody
from vidpub.services import registrations
from vidpub.services.auth.rights import UserRight

router = APIRouter(tags=["Register"])

ManageRegistrations = require_right(UserRight.MANAGE_REGISTRATIONS)


@router.post("/users/register", status_code=204, operation_id="registerUser")
async def register(request: Request, body: UserRegister, session: SessionDep, runtime: RuntimeDep):
    # `rates_limit.signup` counts successful sign-ups only
    ip = client_ip(request)
    runtime.rate_limits.ensure_available("signup", ip or "unknown")
    await registrations.register_user(session, runtime.config, body, ip)
    runtime.rate_limits.spend("signup", ip or "unknown")
    return Response(status_code=204)


@router.post("/users/registrations/request", response_model=RegistrationJson,
             operation_id="requestRegistration")
async def request_registration(request: Request, body: UserRegistrationRequest, session: SessionDep,
                               runtime: RuntimeDep):
    ip = client_ip(request)
    runtime.rate_limits.ensure_available("signup", ip or "unknown")
    registration = await registrations.request_registration(session, runtime.config, body, ip)
    runtime.rate_limits.spend("signup", ip or "unknown")
    return registration_json(registration)


@router.get("/users/registrations", response_model=Page[RegistrationJson], operation_id="listRegistrations",
            dependencies=[ManageRegistrations])
async def list_registrations(session: SessionDep,
                             page: Pagination = pagination("-createdAt",
                                                           set(registrations.REGISTRATION_SORTS)),
                             search: SearchQuery = None,
                             stateOneOf: Annotated[list[int] | None, Query(max_length=3)] = None):
    total, rows = await registrations.list_registrations(session, start=page.start, count=page.count,
                                                         sort=page.sort, search=search, states=stateOneOf)
    return Page[RegistrationJson](total=total, data=[registration_json(r) for r in rows])


@router.post("/users/registrations/{registrationId}/accept", status_code=204,
             operation_id="acceptRegistration", dependencies=[ManageRegistrations])
async def accept(registrationId: IdPath, body: RegistrationAcceptOrReject, session: SessionDep,
                 config: ConfigDep):
    await registrations.accept_registration(session, config, registrationId, body.moderationResponse,
                                            body.preventEmailDelivery)
    return Response(status_code=204)


@router.post("/users/registrations/{registrationId}/reject", status_code=204,
             operation_id="rejectRegistration", dependencies=[ManageRegistrations])
async def reject(registrationId: IdPath, body: RegistrationAcceptOrReject, session: SessionDep,
                 config: ConfigDep):
    await registrations.reject_registration(session, config, registrationId, body.moderationResponse,
                                            body.preventEmailDelivery)
    return Response(status_code=204)


@router.delete("/users/registrations/{registrationId}", status_code=204, operation_id="deleteRegistration",
               dependencies=[ManageRegistrations])
async def delete(registrationId: IdPath, session: SessionDep):
    await registrations.delete_registration(session, registrationId)
    return Response(status_code=204)


@router.post("/users/registrations/ask-send-verify-email", status_code=204,
             operation_id="resendEmailToVerifyRegistration", dependencies=[LimitMailRequests])
async def ask_verify_email(body: EmailBody, session: SessionDep, runtime: RuntimeDep):
    await registrations.ask_registration_verification(session, runtime.config, str(body.email))
    return Response(status_code=204)


@router.post("/users/registrations/{registrationId}/verify-email", status_code=204,
             operation_id="verifyRegistrationEmail")
async def verify_email(registrationId: IdPath, body: VerifyEmailBody, session: SessionDep, config: ConfigDep):
    await registrations.verify_registration_email(session, config, registrationId, body.verificationString)
    return Response(status_code=204)
