from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend_server.db.tenancy import ALL_PRACTICES
from backend_server.models.user import User


def normalize_email(email: str) -> str:
    return email.strip().lower()


class UserRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, user_id: str) -> User | None:
        result = await self.session.execute(select(User).where(User.id == user_id))
        return result.scalar_one_or_none()

    async def list(self) -> list[User]:
        result = await self.session.execute(select(User).order_by(User.display_name, User.id))
        return list(result.scalars())

    async def by_email_any_practice(self, email: str) -> User | None:
        """Login knows only the e-mail; addresses are unique across practices."""
        result = await self.session.execute(
            select(User).where(User.email == normalize_email(email))
            .execution_options(**ALL_PRACTICES)
        )
        return result.scalar_one_or_none()

    async def get_any_practice(self, user_id: str) -> User | None:
        result = await self.session.execute(
            select(User).where(User.id == user_id).execution_options(**ALL_PRACTICES)
        )
        return result.scalar_one_or_none()

    async def count_admins(self) -> int:
        result = await self.session.execute(
            select(func.count()).select_from(User)
            .where(User.role == "admin", User.active.is_(True))
        )
        return int(result.scalar_one())

    async def add(self, user: User) -> None:
        self.session.add(user)
        await self.session.flush()

    async def save(self, user: User) -> None:
        await self.session.flush()
