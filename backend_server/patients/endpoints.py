from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from backend_server.deps import Context, CurrentCaller, DbSession
from backend_server.patients import service
from backend_server.patients.schemas import PatientCreate, PatientOut, PatientPage

router = APIRouter(prefix="/patients", tags=["patients"])


@router.post("", status_code=201)
async def create_patient(body: PatientCreate, ctx: Context, session: DbSession,
                         caller: CurrentCaller) -> PatientOut:
    patient = await service.create_patient(
        session, practice_id=caller.practice_id, name=body.name, dob=body.dob,
        email=body.email, phone=body.phone, now=ctx.clock.now(), actor_user_id=caller.user.id)
    return PatientOut.model_validate(patient)


@router.get("")
async def list_patients(
    session: DbSession,
    caller: CurrentCaller,
    q: Annotated[str | None, Query(max_length=200, description="part of the name, or a "
                                   "date of birth YYYY-MM-DD")] = None,
    cursor: Annotated[str | None, Query(max_length=1000)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> PatientPage:
    page = await service.list_patients(session, q=q, cursor=cursor, limit=limit)
    return PatientPage(items=[PatientOut.model_validate(p) for p in page.items],
                       cursor=page.cursor, has_more=page.has_more)


@router.get("/{patient_id}")
async def get_patient(patient_id: str, session: DbSession, caller: CurrentCaller) -> PatientOut:
    return PatientOut.model_validate(await service.get_patient(session, patient_id))
