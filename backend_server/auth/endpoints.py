from __future__ import annotations

from fastapi import APIRouter, Response

from backend_server.auth import service
from backend_server.auth.schemas import (
    LoginIn,
    RefreshIn,
    SessionOut,
    TokensOut,
    TotpCodeIn,
    TotpEnrollOut,
)
from backend_server.deps import Context, CurrentCaller, DbSession
from backend_server.users.schemas import UserOut

router = APIRouter(prefix="/auth", tags=["auth"])


def _tokens(issued: service.IssuedTokens) -> TokensOut:
    return TokensOut(access_token=issued.access_token, refresh_token=issued.refresh_token,
                     expires_in=issued.expires_in, session_id=issued.session_id,
                     user=UserOut.model_validate(issued.user))


@router.post("/login")
async def login(body: LoginIn, ctx: Context, session: DbSession) -> TokensOut:
    return _tokens(await service.login(ctx, session, email=body.email, password=body.password,
                                       totp_code=body.totp, device_name=body.device_name))


@router.post("/refresh")
async def refresh(body: RefreshIn, ctx: Context, session: DbSession) -> TokensOut:
    return _tokens(await service.refresh(ctx, session, body.refresh_token))


@router.post("/logout", status_code=204)
async def logout(ctx: Context, session: DbSession, caller: CurrentCaller) -> Response:
    await service.revoke_session(ctx, session, caller, caller.session_id)
    return Response(status_code=204)


@router.get("/sessions")
async def list_sessions(ctx: Context, session: DbSession,
                        caller: CurrentCaller) -> list[SessionOut]:
    sessions = await service.active_sessions(ctx, session, caller)
    return [SessionOut(id=s.id, device_name=s.device_name, created_at=s.created_at,
                       last_used_at=s.last_used_at, current=s.id == caller.session_id)
            for s in sessions]


@router.delete("/sessions/{session_id}", status_code=204)
async def revoke_session(session_id: str, ctx: Context, session: DbSession,
                         caller: CurrentCaller) -> Response:
    await service.revoke_session(ctx, session, caller, session_id)
    return Response(status_code=204)


@router.post("/totp/enroll")
async def totp_enroll(ctx: Context, session: DbSession, caller: CurrentCaller) -> TotpEnrollOut:
    enrolment = await service.totp_enroll(ctx, session, caller)
    return TotpEnrollOut(secret=enrolment.secret, otpauth_uri=enrolment.otpauth_uri,
                         qr_svg=enrolment.qr_svg)


@router.post("/totp/confirm", status_code=204)
async def totp_confirm(body: TotpCodeIn, ctx: Context, session: DbSession,
                       caller: CurrentCaller) -> Response:
    await service.totp_confirm(ctx, session, caller, body.code)
    return Response(status_code=204)


@router.delete("/totp", status_code=204)
async def totp_disable(body: TotpCodeIn, ctx: Context, session: DbSession,
                       caller: CurrentCaller) -> Response:
    await service.totp_disable(ctx, session, caller, body.code)
    return Response(status_code=204)
