"""Every query of the calls domain (tenant scoping applies as everywhere; the job queue's
worker runs in system scope because it serves all practices)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from backend_server.db.tenancy import ALL_PRACTICES
from backend_server.models.call import Call, CallJob, TelephonySettings
from backend_server.models.conversation import Conversation
from backend_server.models.inquiry import Inquiry
from backend_server.models.patient import Patient


class CallRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, call_id: str) -> Call | None:
        result = await self.session.execute(select(Call).where(Call.id == call_id))
        return result.scalar_one_or_none()

    async def by_external_id(self, external_id: str) -> Call | None:
        result = await self.session.execute(select(Call).where(Call.external_id == external_id))
        return result.scalar_one_or_none()

    async def queue(self, *, status: str, limit: int) -> list[Call]:
        """Urgent first, then newest."""
        query = select(Call)
        if status == "open":
            query = query.where(Call.status != "done")
        elif status == "done":
            query = query.where(Call.status == "done")
        result = await self.session.execute(
            query.order_by(Call.urgent.desc(), Call.created_at.desc(), Call.id.desc())
            .limit(limit))
        return list(result.scalars())

    async def add(self, call: Call) -> None:
        self.session.add(call)
        await self.session.flush()

    async def of_patient(self, patient_id: str) -> list[Call]:
        result = await self.session.execute(
            select(Call).where(Call.patient_id == patient_id).order_by(Call.created_at))
        return list(result.scalars())

    async def ids_of_patient(self, patient_id: str) -> list[str]:
        result = await self.session.execute(select(Call.id).where(Call.patient_id == patient_id))
        return [str(v) for v in result.scalars()]

    async def delete_ids(self, call_ids: list[str]) -> None:
        """Bulk delete (their jobs cascade); change-log rows are the caller's business."""
        if call_ids:
            await self.session.execute(delete(Call).where(Call.id.in_(call_ids))
                                       .execution_options(synchronize_session=False))


class CallLinkRepository:
    """What taking a call over into the inbox needs: patient match and conversation."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def patients_named(self, search_name: str, dob: object) -> list[Patient]:
        result = await self.session.execute(
            select(Patient).where(Patient.search_name == search_name, Patient.dob == dob)
            .order_by(Patient.created_at, Patient.id))
        return list(result.scalars())

    async def newest_conversation(self, patient_id: str) -> Conversation | None:
        result = await self.session.execute(
            select(Conversation).where(Conversation.patient_id == patient_id)
            .order_by(Conversation.last_activity_at.desc(), Conversation.id.desc()).limit(1))
        return result.scalar_one_or_none()

    async def inquiry_by_key(self, idempotency_key: str) -> Inquiry | None:
        result = await self.session.execute(
            select(Inquiry).where(Inquiry.idempotency_key == idempotency_key))
        return result.scalar_one_or_none()

    async def add_inquiry(self, inquiry: Inquiry) -> None:
        self.session.add(inquiry)
        await self.session.flush()


class JobRepository:
    """The persistent queue. Claims are single conditional UPDATEs, so two workers (or a
    worker and a restarted server) can never both hold a job."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, call_id: str, kind: str) -> CallJob | None:
        result = await self.session.execute(
            select(CallJob).where(CallJob.call_id == call_id, CallJob.kind == kind))
        return result.scalar_one_or_none()

    async def of_call(self, call_id: str) -> list[CallJob]:
        result = await self.session.execute(
            select(CallJob).where(CallJob.call_id == call_id).order_by(CallJob.created_at))
        return list(result.scalars())

    async def add(self, job: CallJob) -> None:
        self.session.add(job)
        await self.session.flush()

    async def due_ids(self, now: datetime, limit: int) -> list[str]:
        result = await self.session.execute(
            select(CallJob.id).where(
                CallJob.state == "pending", CallJob.next_attempt_at <= now,
                or_(CallJob.locked_until.is_(None), CallJob.locked_until <= now))
            .order_by(CallJob.next_attempt_at, CallJob.created_at).limit(limit)
            .execution_options(**ALL_PRACTICES))
        return [str(v) for v in result.scalars()]

    async def claim(self, job_id: str, now: datetime, until: datetime) -> bool:
        """Takes the job if it is still due and unleased; counts the attempt."""
        result = await self.session.execute(
            update(CallJob).where(
                CallJob.id == job_id, CallJob.state == "pending",
                or_(CallJob.locked_until.is_(None), CallJob.locked_until <= now))
            .values(locked_until=until, attempts=CallJob.attempts + 1, updated_at=now)
            .execution_options(synchronize_session=False, **ALL_PRACTICES))
        return int(result.rowcount) == 1  # type: ignore[attr-defined]

    async def by_id(self, job_id: str) -> CallJob | None:
        result = await self.session.execute(
            select(CallJob).where(CallJob.id == job_id).execution_options(**ALL_PRACTICES))
        return result.scalar_one_or_none()

    async def finish(self, job_id: str, *, state: str, now: datetime,
                     leased_until: datetime) -> bool:
        """Marks the job final, only if this worker's lease still holds it (else another
        worker took it over after the lease ran out, and that one's result counts)."""
        result = await self.session.execute(
            update(CallJob).where(CallJob.id == job_id, CallJob.state == "pending",
                                  CallJob.locked_until == leased_until)
            .values(state=state, locked_until=None, finished_at=now, updated_at=now)
            .execution_options(synchronize_session=False, **ALL_PRACTICES))
        return int(result.rowcount) == 1  # type: ignore[attr-defined]

    async def retry_later(self, job_id: str, *, at: datetime, now: datetime, error: str,
                          leased_until: datetime) -> bool:
        result = await self.session.execute(
            update(CallJob).where(CallJob.id == job_id, CallJob.state == "pending",
                                  CallJob.locked_until == leased_until)
            .values(next_attempt_at=at, locked_until=None, last_error=error, updated_at=now)
            .execution_options(synchronize_session=False, **ALL_PRACTICES))
        return int(result.rowcount) == 1  # type: ignore[attr-defined]

    async def call(self, call_id: str) -> Call | None:
        result = await self.session.execute(
            select(Call).where(Call.id == call_id).execution_options(**ALL_PRACTICES))
        return result.scalar_one_or_none()


class SettingsRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, practice_id: str) -> TelephonySettings | None:
        result = await self.session.execute(
            select(TelephonySettings).where(TelephonySettings.practice_id == practice_id))
        return result.scalar_one_or_none()

    async def by_upload_key_hash(self, digest: str) -> TelephonySettings | None:
        """Before the practice is known (the key says which one it is)."""
        result = await self.session.execute(
            select(TelephonySettings).where(TelephonySettings.upload_key_sha256 == digest)
            .execution_options(**ALL_PRACTICES))
        return result.scalar_one_or_none()

    async def add(self, row: TelephonySettings) -> None:
        self.session.add(row)
        await self.session.flush()



class CallRetentionRepository:
    """The retention purge's reads (system-scoped bulk session)."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def expired(self, practice_id: str, cutoff: datetime, limit: int) -> list[str]:
        result = await self.session.execute(
            select(Call.id).where(Call.practice_id == practice_id, Call.created_at < cutoff)
            .limit(limit))
        return [str(v) for v in result.scalars()]

    async def count_expired(self, practice_id: str, cutoff: datetime) -> int:
        result = await self.session.execute(
            select(func.count()).select_from(Call)
            .where(Call.practice_id == practice_id, Call.created_at < cutoff))
        return int(result.scalar_one())
