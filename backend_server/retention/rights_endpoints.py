"""Data-subject rights of one patient, for admins: export (Art. 15/20) and erasure (Art. 17).
Staff and physicians get 403; another practice's patient 404."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import StreamingResponse
from pydantic import BaseModel
from starlette.background import BackgroundTask
from starlette.concurrency import iterate_in_threadpool

from backend_server.deps import AdminCaller, Context, DbSession
from backend_server.retention import erasure, export

router = APIRouter(prefix="/patients", tags=["data rights"])

_EXPORT_RESPONSES: dict[int | str, dict[str, object]] = {
    200: {"description": "the archive (patient.json, conversations/, attachments/, "
                         "summary.html, manifest.json)",
          "content": {"application/zip": {}}},
}
_READ_SIZE = 256 * 1024


class ErasureOut(BaseModel):
    counts: dict[str, int]


@router.post("/{patient_id}/erase")
async def erase_patient(patient_id: str, ctx: Context, session: DbSession,
                        caller: AdminCaller) -> ErasureOut:
    """Removes the patient and all their communication; clients receive tombstones."""
    counts = await erasure.erase_patient(ctx, session, patient_id,
                                         actor_user_id=caller.user.id, now=ctx.clock.now())
    # Committed here, not at the request boundary, so that the freed pages can be scrubbed
    # before the answer says "erased".
    await session.commit()
    await erasure.scrub_freed_pages(ctx)
    return ErasureOut(counts=counts)


def _read_then_remove(path: Path) -> Iterator[bytes]:
    with open(path, "rb") as fh:
        try:
            # POSIX: the name goes at once, the bytes when the stream closes, so an aborted
            # download leaves no health data on disk. (Windows keeps it until the end.)
            os.unlink(path)
        except OSError:
            pass
        while chunk := fh.read(_READ_SIZE):
            yield chunk


@router.get("/{patient_id}/export", response_class=StreamingResponse,
            responses=_EXPORT_RESPONSES)
async def export_patient(patient_id: str, ctx: Context, session: DbSession,
                         caller: AdminCaller) -> StreamingResponse:
    """Everything stored about the patient as a ZIP; audited as ``patient.export``."""
    path = await export.export_patient(ctx, session, patient_id,
                                       actor_user_id=caller.user.id, now=ctx.clock.now())
    size = path.stat().st_size
    headers = {
        "Content-Length": str(size),
        "Content-Disposition": f'attachment; filename="patient-{patient_id}.zip"',
        "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff",
    }
    return StreamingResponse(iterate_in_threadpool(_read_then_remove(path)),
                             media_type="application/zip", headers=headers,
                             background=BackgroundTask(path.unlink, missing_ok=True))
