from __future__ import annotations

from fastapi import APIRouter

from backend_server.deps import AdminCaller, Context, CurrentCaller, DbSession
from backend_server.practices.service import get_practice
from backend_server.users import service
from backend_server.users.schemas import MeOut, UserCreate, UserOut, UserUpdate

router = APIRouter(tags=["users"])


@router.get("/me")
async def me(session: DbSession, caller: CurrentCaller) -> MeOut:
    practice = await get_practice(session, caller.practice_id)
    return MeOut.model_validate(
        {**UserOut.model_validate(caller.user).model_dump(),
         "practice": {"id": practice.id, "name": practice.name}})


@router.get("/users")
async def list_users(session: DbSession, caller: CurrentCaller) -> list[UserOut]:
    return [UserOut.model_validate(u) for u in await service.list_users(session)]


@router.post("/users", status_code=201)
async def create_user(body: UserCreate, ctx: Context, session: DbSession,
                      caller: AdminCaller) -> UserOut:
    user = await service.create_user(
        session, practice_id=caller.practice_id, email=body.email, password=body.password,
        role=body.role, display_name=body.display_name, now=ctx.clock.now(),
        actor_user_id=caller.user.id)
    return UserOut.model_validate(user)


@router.get("/users/{user_id}")
async def get_user(user_id: str, session: DbSession, caller: CurrentCaller) -> UserOut:
    return UserOut.model_validate(await service.get_user(session, user_id))


@router.patch("/users/{user_id}")
async def update_user(user_id: str, body: UserUpdate, ctx: Context, session: DbSession,
                      caller: AdminCaller) -> UserOut:
    user = await service.update_user(
        session, user_id, display_name=body.display_name, role=body.role, active=body.active,
        now=ctx.clock.now(), actor_user_id=caller.user.id)
    return UserOut.model_validate(user)
