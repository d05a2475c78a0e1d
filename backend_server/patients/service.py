from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from backend_server.audit import service as audit
from backend_server.errors import ProblemError, not_found
from backend_server.models.patient import Patient
from backend_server.patients.paging import Page, decode_cursor, encode_cursor
from backend_server.patients.repository import PatientRepository

OLDEST_DOB = date(1900, 1, 1)


def search_key(name: str) -> str:
    return " ".join(name.split()).casefold()


def _invalid(field: str, msg: str) -> ProblemError:
    return ProblemError(422, "validation_error", msg,
                        errors=[{"loc": ["body", field], "msg": msg}])


async def create_patient(
    session: AsyncSession,
    *,
    practice_id: str,
    name: str,
    dob: date,
    email: str | None,
    phone: str | None,
    now: datetime,
    actor_user_id: str | None,
) -> Patient:
    name = " ".join(name.split())
    if not name:
        raise _invalid("name", "a name is required")
    if dob > now.date() or dob < OLDEST_DOB:
        raise _invalid("dob", "the date of birth must lie between 1900-01-01 and today")
    patient = Patient(practice_id=practice_id, name=name, search_name=search_key(name),
                      dob=dob, email=(email.strip().lower() if email else None),
                      phone=(phone or None), created_at=now, updated_at=now)
    await PatientRepository(session).add(patient)
    await audit.record(session, "patient.create", at=now, practice_id=practice_id,
                       actor_user_id=actor_user_id, object_type="patient",
                       object_id=patient.id)
    return patient


async def get_patient(session: AsyncSession, patient_id: str) -> Patient:
    patient = await PatientRepository(session).get(patient_id)
    if patient is None:
        raise not_found("No such patient.")
    return patient


def _as_date(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


async def list_patients(
    session: AsyncSession, *, q: str | None, cursor: str | None, limit: int
) -> Page[Patient]:
    """Patients whose name contains ``q`` (any case, umlauts included) or, when ``q`` is an
    ISO date, who were born on that day."""
    key = decode_cursor(cursor, 2)
    query = search_key(q) if q else ""
    rows = await PatientRepository(session).search(
        name_part=query or None, dob=_as_date(query) if query else None,
        after=(key[0], key[1]) if key else None, limit=limit + 1)
    has_more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = encode_cursor([rows[-1].search_name, rows[-1].id]) if rows else cursor
    return Page(items=rows, cursor=next_cursor, has_more=has_more)
