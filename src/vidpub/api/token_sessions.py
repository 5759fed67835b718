"""Session tag: a user's login sessions (list, revoke) and their scoped (feed) token.

Mounted before the Users routes so that `/users/scoped-tokens` is not read as `/users/{id}`."""

from __future__ import annotations


from fastapi import APIRouter

from vidpub.api.deps import IdPath, CurrentToken, CurrentUser, Pagination, RuntimeDep, SessionDep, pagination
from vidpub.errors import not_found
from vidpub.schemas.common import Page
from vidpub.schemas.oauth import RevokeTokenResponse, ScopedToken, TokenSession
from vidpub.services.auth import scoped_tokens, tokens
from vidpub.services.auth.account_access import user_managed_by

router = APIRouter(tags=["Session"])

DENIED = "Cannot manage the token sessions of this user"


@router.get("/users/scoped-tokens", response_model=ScopedToken, operation_id="getScopedTokens")
async def get_scoped_tokens(runtime: RuntimeDep, me: CurrentUser):
    return ScopedToken(feedToken=await scoped_tokens.feed_token(runtime.db, me))


@router.post("/users/scoped-tokens", response_model=ScopedToken, operation_id="renewScopedTokens")
async def renew_scoped_tokens(session: SessionDep, me: CurrentUser):
    return ScopedToken(feedToken=await scoped_tokens.renew_feed_token(session, me))


@router.get("/users/{userId}/token-sessions", response_model=Page[TokenSession],
            operation_id="getTokenSessions")
async def list_token_sessions(userId: IdPath, session: SessionDep, token: CurrentToken,
                              page: Pagination = pagination("-lastActivityDate", set(tokens.SESSION_SORTS))):
    user = await user_managed_by(session, token.user, userId, denied=DENIED)
    total, rows = await tokens.list_live_sessions(session, user.id, start=page.start, count=page.count,
                                                  sort=page.sort)
    return Page[TokenSession](total=total, data=[TokenSession(
        id=row.id, currentSession=row.id == token.id, loginDevice=row.login_device, loginIP=row.login_ip,
        loginDate=row.login_date, lastActivityDevice=row.last_activity_device,
        lastActivityIP=row.last_activity_ip, lastActivityDate=row.last_activity_date,
        createdAt=row.created_at,
    ) for row in rows])


# PeerTube answers the revocation with `{success}` (200), as it does for the logout.
@router.post("/users/{userId}/token-sessions/{tokenSessionId}/revoke", response_model=RevokeTokenResponse,
             operation_id="revokeTokenSession")
async def revoke_token_session(userId: IdPath, tokenSessionId: IdPath, session: SessionDep,
                               me: CurrentUser):
    user = await user_managed_by(session, me, userId, denied=DENIED)
    row = await tokens.find_session_of(session, user.id, tokenSessionId)
    if row is None:
        raise not_found("The token session does not exist or does not belong to the user.")
    revoked = await tokens.revoke(session, row.id)
    await session.commit()
    return RevokeTokenResponse(success=revoked)
