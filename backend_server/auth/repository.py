from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from backend_server.db.tenancy import ALL_PRACTICES
from backend_server.models.auth_session import AuthSession, LoginThrottle, RefreshToken
from backend_server.models.user import User


class AuthSessionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, auth_session: AuthSession) -> None:
        self.session.add(auth_session)
        await self.session.flush()

    async def get(self, session_id: str) -> AuthSession | None:
        # A query, not session.get(): an identity-map hit would skip the tenant filter.
        result = await self.session.execute(
            select(AuthSession).where(AuthSession.id == session_id))
        return result.scalar_one_or_none()

    async def get_any_practice(self, session_id: str) -> AuthSession | None:
        """Before authentication the practice is not known yet (token checks)."""
        result = await self.session.execute(
            select(AuthSession).where(AuthSession.id == session_id)
            .execution_options(**ALL_PRACTICES)
        )
        return result.scalar_one_or_none()

    async def active_for_user(self, user_id: str) -> list[AuthSession]:
        result = await self.session.execute(
            select(AuthSession)
            .where(AuthSession.user_id == user_id, AuthSession.revoked_at.is_(None))
            .order_by(AuthSession.created_at)
        )
        return list(result.scalars())

    async def live_in_practice(self, *, used_after: datetime
                               ) -> list[tuple[AuthSession, User]]:
        """Unrevoked sessions used after ``used_after``, with their user (the scoped
        practice's only), newest use first."""
        result = await self.session.execute(
            select(AuthSession, User).join(User, User.id == AuthSession.user_id)
            .where(AuthSession.revoked_at.is_(None), AuthSession.last_used_at > used_after)
            .order_by(AuthSession.last_used_at.desc(), AuthSession.id)
        )
        return [(row[0], row[1]) for row in result.all()]

    async def revoke_all_for_user(self, user_id: str, at: datetime) -> None:
        await self.session.execute(
            update(AuthSession)
            .where(AuthSession.user_id == user_id, AuthSession.revoked_at.is_(None))
            .values(revoked_at=at)
        )


class RefreshTokenRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, token: RefreshToken) -> None:
        self.session.add(token)
        await self.session.flush()

    async def by_hash(self, token_hash: str) -> RefreshToken | None:
        result = await self.session.execute(
            select(RefreshToken).where(RefreshToken.token_hash == token_hash)
        )
        return result.scalar_one_or_none()


class LoginThrottleRepository:
    """Counts with single SQL statements, so parallel guesses cannot lose increments and
    slip past the lockout."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def locked_until(self, email_hash: str) -> datetime | None:
        result = await self.session.execute(
            select(LoginThrottle.locked_until).where(LoginThrottle.email_hash == email_hash))
        return result.scalar_one_or_none()

    async def reset(self, email_hash: str) -> None:
        await self.session.execute(
            update(LoginThrottle).where(LoginThrottle.email_hash == email_hash)
            .values(failures=0, locked_until=None)
            .execution_options(synchronize_session=False))

    async def add_failure(self, email_hash: str) -> int:
        """Counts one failure and returns the new count."""
        dialect = self.session.get_bind().dialect.name
        insert = pg_insert if dialect == "postgresql" else sqlite_insert
        await self.session.execute(
            insert(LoginThrottle).values(email_hash=email_hash, failures=0)
            .on_conflict_do_nothing(index_elements=["email_hash"]))
        result = await self.session.execute(
            update(LoginThrottle).where(LoginThrottle.email_hash == email_hash)
            .values(failures=LoginThrottle.failures + 1)
            .returning(LoginThrottle.failures)
            .execution_options(synchronize_session=False))
        return int(result.scalar_one())

    async def lock(self, email_hash: str, until: datetime) -> None:
        await self.session.execute(
            update(LoginThrottle).where(LoginThrottle.email_hash == email_hash)
            .values(locked_until=until)
            .execution_options(synchronize_session=False))
