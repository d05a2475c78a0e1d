from __future__ import annotations

from datetime import date

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend_server.models.patient import Patient


class PatientRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, patient_id: str) -> Patient | None:
        result = await self.session.execute(select(Patient).where(Patient.id == patient_id))
        return result.scalar_one_or_none()

    async def search(
        self, *, name_part: str | None, dob: date | None, after: tuple[str, str] | None,
        limit: int,
    ) -> list[Patient]:
        """Ordered by name then id; ``after`` is the (search_name, id) of the last row seen."""
        query = select(Patient)
        if name_part is not None and dob is not None:
            query = query.where(or_(Patient.search_name.contains(name_part, autoescape=True),
                                    Patient.dob == dob))
        elif name_part is not None:
            query = query.where(Patient.search_name.contains(name_part, autoescape=True))
        if after is not None:
            query = query.where(or_(Patient.search_name > after[0],
                                    and_(Patient.search_name == after[0],
                                         Patient.id > after[1])))
        result = await self.session.execute(
            query.order_by(Patient.search_name, Patient.id).limit(limit))
        return list(result.scalars())

    async def add(self, patient: Patient) -> None:
        self.session.add(patient)
        await self.session.flush()
