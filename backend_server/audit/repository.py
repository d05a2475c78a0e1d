from __future__ import annotations

from collections.abc import AsyncIterator

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from backend_server.models.audit_entry import AuditEntry, AuditHead

HEAD_ID = 1


class AuditRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def advance_head(self) -> tuple[int, str]:
        """Claims the next seq; returns it with the hash of the entry before it. The row
        stays locked until this transaction ends."""
        result = await self.session.execute(
            update(AuditHead).where(AuditHead.id == HEAD_ID)
            .values(seq=AuditHead.seq + 1)
            .returning(AuditHead.seq, AuditHead.hash)
            .execution_options(synchronize_session=False))
        seq, prev_hash = result.one()
        return int(seq), str(prev_hash)

    async def set_head_hash(self, entry_hash: str) -> None:
        await self.session.execute(
            update(AuditHead).where(AuditHead.id == HEAD_ID).values(hash=entry_hash)
            .execution_options(synchronize_session=False))

    async def head(self) -> AuditHead | None:
        return await self.session.get(AuditHead, HEAD_ID)

    async def add(self, entry: AuditEntry) -> None:
        self.session.add(entry)
        await self.session.flush()

    async def list_for_practice(
        self, practice_id: str, *, limit: int, before: int | None
    ) -> list[AuditEntry]:
        # The chain spans all practices, so this table is filtered here, not by the tenancy hook.
        stmt = select(AuditEntry).where(AuditEntry.practice_id == practice_id)
        if before is not None:
            stmt = stmt.where(AuditEntry.seq < before)
        stmt = stmt.order_by(AuditEntry.seq.desc()).limit(limit)
        return list((await self.session.execute(stmt)).scalars())

    async def stream_all(self) -> AsyncIterator[AuditEntry]:
        result = await self.session.stream(
            select(AuditEntry).order_by(AuditEntry.seq).execution_options(yield_per=1000)
        )
        async for entry in result.scalars():
            yield entry
