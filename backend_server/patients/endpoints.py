from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from backend_server import idempotency
from backend_server.deps import Context, CurrentCaller, DbSession
from backend_server.idempotency import OptionalIdempotencyKey
from backend_server.patients import service
from backend_server.patients.schemas import PatientCreate, PatientOut, PatientPage

router = APIRouter(prefix="/patients", tags=["patients"])


@router.post("", status_code=201,
             responses={200: {"description": "a retry (same Idempotency-Key): the patient "
                                             "created before"}})
async def create_patient(body: PatientCreate, response: Response, ctx: Context,
                         session: DbSession, caller: CurrentCaller,
                         idempotency_key: OptionalIdempotencyKey = None) -> PatientOut:
    fingerprint = idempotency.request_hash("patient.create", body.model_dump(mode="json"))
    earlier = await idempotency.earlier_object_id(
        session, kind="patient.create", key=idempotency_key, fingerprint=fingerprint)
    if earlier is not None:
        response.status_code = 200
        return PatientOut.model_validate(await service.get_patient(session, earlier))
    patient = await service.create_patient(
        session, practice_id=caller.practice_id, name=body.name, dob=body.dob,
        email=body.email, phone=body.phone, now=ctx.clock.now(), actor_user_id=caller.user.id)
    await idempotency.remember(session, practice_id=caller.practice_id,
                               kind="patient.create", key=idempotency_key,
                               fingerprint=fingerprint, object_id=patient.id,
                               now=ctx.clock.now())
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
