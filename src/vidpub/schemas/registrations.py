"""Register tag: sign-up bodies and registration requests as PeerTube shows them (8.x
`UserRegistration` with every field of the 7.0 spec)."""

from __future__ import annotations

from typing import Annotated

from pydantic import EmailStr, StringConstraints

from vidpub.db.models import RegistrationState, UserRegistration
from vidpub.schemas.common import ApiModel, RequestBody, Timestamp
from vidpub.schemas.users import DisplayName, Password

REGISTRATION_STATE_LABELS = {RegistrationState.PENDING: "Pending", RegistrationState.REJECTED: "Rejected",
                             RegistrationState.ACCEPTED: "Accepted"}
ModerationText = Annotated[str, StringConstraints(min_length=2, max_length=3000)]


class RegisterChannel(RequestBody):
    # both are required together; the service says so with PeerTube's message
    name: str | None = None
    displayName: DisplayName | None = None


class UserRegister(RequestBody):
    username: str
    password: Password
    email: EmailStr
    displayName: DisplayName | None = None
    channel: RegisterChannel | None = None


class UserRegistrationRequest(UserRegister):
    registrationReason: ModerationText


class RegistrationAcceptOrReject(RequestBody):
    moderationResponse: ModerationText
    preventEmailDelivery: bool = False


class RegistrationStateLabel(ApiModel):
    id: int
    label: str


class RegistrationUserRef(ApiModel):
    id: int


class RegistrationJson(ApiModel):
    id: int
    state: RegistrationStateLabel
    registrationReason: str
    moderationResponse: str | None
    username: str
    email: str
    emailVerified: bool | None
    accountDisplayName: str | None
    channelHandle: str | None
    channelDisplayName: str | None
    createdAt: Timestamp
    updatedAt: Timestamp
    user: RegistrationUserRef | None


def registration_json(registration: UserRegistration) -> RegistrationJson:
    state = RegistrationStateLabel(id=registration.state, label=REGISTRATION_STATE_LABELS[registration.state])
    return RegistrationJson(
        id=registration.id, state=state, registrationReason=registration.registration_reason,
        moderationResponse=registration.moderation_response,
        username=registration.username, email=registration.email, emailVerified=registration.email_verified,
        accountDisplayName=registration.account_display_name, channelHandle=registration.channel_handle,
        channelDisplayName=registration.channel_display_name, createdAt=registration.created_at,
        updatedAt=registration.updated_at,
        user=RegistrationUserRef(id=registration.user_id) if registration.user_id is not None else None)
