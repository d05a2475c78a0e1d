"""Login, token refresh, sessions and TOTP.

Failed attempts and refresh-token reuse must be remembered although the request then answers
with an error (which rolls the request transaction back), so those paths commit explicitly
before raising.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from backend_server.audit import service as audit
from backend_server.auth import passwords, totp
from backend_server.auth.repository import (
    AuthSessionRepository,
    LoginThrottleRepository,
    RefreshTokenRepository,
)
from backend_server.auth.tokens import (
    AccessClaims,
    hash_refresh_token,
    issue_access_token,
    new_refresh_token,
    read_access_token,
)
from backend_server.context import ServerContext
from backend_server.db.tenancy import set_practice_scope
from backend_server.errors import ProblemError, conflict, not_authenticated, not_found
from backend_server.models.auth_session import AuthSession, RefreshToken
from backend_server.models.user import User
from backend_server.users.repository import UserRepository, normalize_email

# Refreshing last_used_at on every request would make every GET a write.
LAST_USED_RESOLUTION = timedelta(seconds=60)


@dataclass(frozen=True)
class IssuedTokens:
    access_token: str
    refresh_token: str
    expires_in: int
    session_id: str
    user: User


@dataclass(frozen=True)
class Caller:
    user: User
    session_id: str

    @property
    def practice_id(self) -> str:
        return self.user.practice_id


def _invalid_credentials() -> ProblemError:
    return ProblemError(401, "invalid_credentials", "E-mail or password is wrong.")


def _invalid_refresh() -> ProblemError:
    return ProblemError(401, "invalid_refresh_token", "Log in again.")


def _session_revoked() -> ProblemError:
    """The login was ended (by the user elsewhere, an admin, or reuse detection) or its user
    deactivated: distinct from an expired token, because the client then wipes its local
    cache instead of keeping it for the next login."""
    return ProblemError(401, "session_revoked",
                        "This device was signed out; log in again.")


def _email_key(email: str) -> str:
    return hashlib.sha256(normalize_email(email).encode("utf-8")).hexdigest()


async def _issue(
    ctx: ServerContext, session: AsyncSession, user: User, auth_session: AuthSession,
    now: datetime,
) -> IssuedTokens:
    refresh = new_refresh_token()
    await RefreshTokenRepository(session).add(RefreshToken(
        session_id=auth_session.id, token_hash=hash_refresh_token(refresh),
        created_at=now, expires_at=now + ctx.refresh_ttl))
    access = issue_access_token(
        ctx.jwt_secret,
        AccessClaims(user_id=user.id, practice_id=user.practice_id,
                     session_id=auth_session.id),
        now=now, ttl=ctx.access_ttl)
    return IssuedTokens(access_token=access, refresh_token=refresh,
                        expires_in=int(ctx.access_ttl.total_seconds()),
                        session_id=auth_session.id, user=user)


async def login(
    ctx: ServerContext,
    session: AsyncSession,
    *,
    email: str,
    password: str,
    totp_code: str | None,
    device_name: str | None,
) -> IssuedTokens:
    now = ctx.clock.now()
    throttle, email_key = LoginThrottleRepository(session), _email_key(email)
    user = await UserRepository(session).by_email_any_practice(email)
    practice_id = user.practice_id if user else None
    user_id = user.id if user else None

    locked_until = await throttle.locked_until(email_key)
    if locked_until is not None:
        if locked_until > now:
            retry_after = max(1, math.ceil((locked_until - now).total_seconds()))
            await audit.record(session, "auth.login.refused_locked", at=now,
                               practice_id=practice_id, object_type="user", object_id=user_id)
            await session.commit()
            raise ProblemError(429, "account_locked",
                               "Too many failed logins; try again later.",
                               headers={"Retry-After": str(retry_after)},
                               retry_after=retry_after)
        await throttle.reset(email_key)  # the lock ran out: a fresh start

    async def fail(problem: ProblemError) -> ProblemError:
        failures = await throttle.add_failure(email_key)
        await audit.record(session, "auth.login.failed", at=now, practice_id=practice_id,
                           object_type="user", object_id=user_id)
        if failures >= ctx.settings.lockout_threshold:
            await throttle.lock(email_key, now + ctx.lockout)
        if failures == ctx.settings.lockout_threshold:
            await audit.record(session, "auth.login.locked", at=now, practice_id=practice_id,
                               object_type="user", object_id=user_id)
        await session.commit()
        return problem

    if user is None:
        await passwords.burn_verification_time_async(password)
        raise await fail(_invalid_credentials())
    password_ok = await passwords.verify_password_async(user.password_hash, password)
    if not password_ok or not user.active:
        raise await fail(_invalid_credentials())

    set_practice_scope(session, user.practice_id)
    if user.totp_secret is not None:
        if not totp_code:
            raise ProblemError(401, "totp_required", "Enter the code from your app.")
        step = totp.matching_step(user.totp_secret, totp_code, now=now)
        if step is None or (user.totp_last_step is not None and step <= user.totp_last_step):
            raise await fail(ProblemError(401, "invalid_totp", "The code is not valid."))
        user.totp_last_step = step

    await throttle.reset(email_key)
    auth_session = AuthSession(practice_id=user.practice_id, user_id=user.id,
                               device_name=(device_name or None), created_at=now,
                               last_used_at=now)
    await AuthSessionRepository(session).add(auth_session)
    await audit.record(session, "auth.login.ok", at=now, practice_id=user.practice_id,
                       actor_user_id=user.id, object_type="auth_session",
                       object_id=auth_session.id)
    return await _issue(ctx, session, user, auth_session, now)


async def refresh(ctx: ServerContext, session: AsyncSession, refresh_token: str) -> IssuedTokens:
    now = ctx.clock.now()
    token = await RefreshTokenRepository(session).by_hash(hash_refresh_token(refresh_token))
    if token is None:
        raise _invalid_refresh()
    sessions = AuthSessionRepository(session)
    auth_session = await sessions.get_any_practice(token.session_id)
    if auth_session is None:
        raise _invalid_refresh()
    if auth_session.revoked_at is not None:
        raise _session_revoked()
    set_practice_scope(session, auth_session.practice_id)
    user = await UserRepository(session).get(auth_session.user_id)
    if user is None or not user.active:
        raise _session_revoked()

    # Conditional update: of two concurrent uses of one token only one can win.
    rotated = await session.execute(
        update(RefreshToken)
        .where(RefreshToken.id == token.id, RefreshToken.rotated_at.is_(None))
        .values(rotated_at=now)
        .execution_options(synchronize_session=False)
    )
    if rotated.rowcount != 1:  # type: ignore[attr-defined]
        auth_session.revoked_at = now
        await audit.record(session, "auth.refresh.reused", at=now,
                           practice_id=auth_session.practice_id,
                           actor_user_id=auth_session.user_id, object_type="auth_session",
                           object_id=auth_session.id)
        await session.commit()
        raise ProblemError(401, "refresh_token_reused",
                           "This login was ended for safety; log in again.")
    if token.expires_at <= now:
        raise _invalid_refresh()
    auth_session.last_used_at = now
    return await _issue(ctx, session, user, auth_session, now)


async def authenticate(ctx: ServerContext, session: AsyncSession, bearer: str | None) -> Caller:
    """The caller behind an access token; scopes the session to the caller's practice."""
    if not bearer:
        raise not_authenticated("Missing access token.")
    now = ctx.clock.now()
    claims = read_access_token(ctx.jwt_secret, bearer, now=now)
    if claims is None:
        raise not_authenticated("The access token is invalid or expired.")
    auth_session = await AuthSessionRepository(session).get_any_practice(claims.session_id)
    if (auth_session is None or auth_session.user_id != claims.user_id
            or auth_session.practice_id != claims.practice_id):
        raise not_authenticated("This login has ended.")
    if auth_session.revoked_at is not None:
        raise _session_revoked()
    user = await UserRepository(session).get_any_practice(claims.user_id)
    if user is None or user.practice_id != claims.practice_id:
        raise not_authenticated("This login has ended.")
    if not user.active:
        raise _session_revoked()
    set_practice_scope(session, user.practice_id)
    if now - auth_session.last_used_at >= LAST_USED_RESOLUTION:
        auth_session.last_used_at = now
    return Caller(user=user, session_id=auth_session.id)


async def revoke_session(
    ctx: ServerContext, session: AsyncSession, caller: Caller, session_id: str
) -> None:
    auth_session = await AuthSessionRepository(session).get(session_id)
    if auth_session is None or auth_session.user_id != caller.user.id:
        raise not_found("No such session.")
    now = ctx.clock.now()
    if auth_session.revoked_at is None:
        auth_session.revoked_at = now
    action = "auth.logout" if session_id == caller.session_id else "auth.session.revoke"
    await audit.record(session, action, at=now, practice_id=caller.practice_id,
                       actor_user_id=caller.user.id, object_type="auth_session",
                       object_id=session_id)


async def active_sessions(
    ctx: ServerContext, session: AsyncSession, caller: Caller
) -> list[AuthSession]:
    cutoff = ctx.clock.now() - ctx.refresh_ttl
    sessions = await AuthSessionRepository(session).active_for_user(caller.user.id)
    return [s for s in sessions if s.last_used_at > cutoff]


@dataclass(frozen=True)
class TotpEnrolment:
    secret: str
    otpauth_uri: str
    qr_svg: str


async def totp_enroll(ctx: ServerContext, session: AsyncSession, caller: Caller) -> TotpEnrolment:
    user = caller.user
    if user.totp_secret is not None:
        raise conflict("Two-factor login is already on; turn it off first.")
    secret = totp.new_secret()
    user.totp_pending_secret = secret
    now = ctx.clock.now()
    await audit.record(session, "auth.totp.enroll", at=now, practice_id=user.practice_id,
                       actor_user_id=user.id, object_type="user", object_id=user.id)
    uri = totp.provisioning_uri(secret, user.email)
    return TotpEnrolment(secret=secret, otpauth_uri=uri, qr_svg=totp.qr_svg(uri))


def _invalid_totp() -> ProblemError:
    return ProblemError(401, "invalid_totp", "The code is not valid.")


async def totp_confirm(
    ctx: ServerContext, session: AsyncSession, caller: Caller, code: str
) -> None:
    user = caller.user
    if user.totp_pending_secret is None:
        raise conflict("Start the enrolment first.")
    now = ctx.clock.now()
    step = totp.matching_step(user.totp_pending_secret, code, now=now)
    if step is None:
        raise _invalid_totp()
    user.totp_secret = user.totp_pending_secret
    user.totp_pending_secret = None
    user.totp_last_step = step
    user.updated_at = now
    await audit.record(session, "auth.totp.enable", at=now, practice_id=user.practice_id,
                       actor_user_id=user.id, object_type="user", object_id=user.id)


async def totp_disable(
    ctx: ServerContext, session: AsyncSession, caller: Caller, code: str
) -> None:
    user = caller.user
    if user.totp_secret is None:
        raise conflict("Two-factor login is not on.")
    now = ctx.clock.now()
    step = totp.matching_step(user.totp_secret, code, now=now)
    if step is None or (user.totp_last_step is not None and step <= user.totp_last_step):
        raise _invalid_totp()
    user.totp_secret = None
    user.totp_last_step = None
    user.updated_at = now
    await audit.record(session, "auth.totp.disable", at=now, practice_id=user.practice_id,
                       actor_user_id=user.id, object_type="user", object_id=user.id)
