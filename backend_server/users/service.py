from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from backend_server.audit import service as audit
from backend_server.auth.passwords import MIN_PASSWORD_LENGTH, hash_password_async
from backend_server.auth.repository import AuthSessionRepository
from backend_server.errors import ProblemError, conflict, not_found
from backend_server.models.user import ROLES, User
from backend_server.practices.repository import PracticeRepository
from backend_server.users.repository import UserRepository, normalize_email


def _invalid(field: str, msg: str) -> ProblemError:
    return ProblemError(422, "validation_error", msg, errors=[{"loc": ["body", field],
                                                               "msg": msg}])


async def create_user(
    session: AsyncSession,
    *,
    practice_id: str,
    email: str,
    password: str,
    role: str,
    display_name: str | None,
    now: datetime,
    actor_user_id: str | None,
) -> User:
    email = normalize_email(email)
    if "@" not in email or len(email) > 320:
        raise _invalid("email", "not an e-mail address")
    if role not in ROLES:
        raise _invalid("role", f"role must be one of {', '.join(ROLES)}")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise _invalid("password", f"at least {MIN_PASSWORD_LENGTH} characters")
    if await PracticeRepository(session).get(practice_id) is None:
        raise not_found("No such practice.")
    repo = UserRepository(session)
    if await repo.by_email_any_practice(email) is not None:
        raise conflict("This e-mail address is already in use.")
    user = User(
        practice_id=practice_id,
        email=email,
        display_name=(display_name or email.split("@", 1)[0]).strip(),
        role=role,
        active=True,
        password_hash=await hash_password_async(password),
        created_at=now,
        updated_at=now,
    )
    await repo.add(user)
    await audit.record(session, "user.create", at=now, practice_id=practice_id,
                       actor_user_id=actor_user_id, object_type="user", object_id=user.id)
    return user


async def list_users(session: AsyncSession) -> list[User]:
    return await UserRepository(session).list()


async def get_user(session: AsyncSession, user_id: str) -> User:
    user = await UserRepository(session).get(user_id)
    if user is None:
        raise not_found("No such user.")
    return user


async def update_user(
    session: AsyncSession,
    user_id: str,
    *,
    display_name: str | None,
    role: str | None,
    active: bool | None,
    now: datetime,
    actor_user_id: str,
) -> User:
    repo = UserRepository(session)
    user = await get_user(session, user_id)
    loses_admin = user.role == "admin" and user.active and (
        (role is not None and role != "admin") or active is False)
    if loses_admin and await repo.count_admins() <= 1:
        raise conflict("The practice must keep at least one active admin.")
    if display_name is not None:
        user.display_name = display_name.strip()
    if role is not None:
        user.role = role
    if active is not None:
        if not active and user.active:
            await AuthSessionRepository(session).revoke_all_for_user(user.id, now)
        user.active = active
    user.updated_at = now
    await repo.save(user)
    await audit.record(session, "user.update", at=now, practice_id=user.practice_id,
                       actor_user_id=actor_user_id, object_type="user", object_id=user.id)
    return user
