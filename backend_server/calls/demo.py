"""Demo calls for ``serve --demo``: four German calls (one urgent) spoken by espeak-ng at the
first start (no audio is committed to the repository), stored like real recordings and
analysed by the ordinary job queue once the server runs. Without espeak-ng there are no demo
calls (a line in the log says so)."""

from __future__ import annotations

import logging
from datetime import timedelta

import anyio.to_thread
from sqlalchemy.ext.asyncio import AsyncSession

from backend_server.audit import service as audit
from backend_server.calls import jobs, recording
from backend_server.calls.repository import CallRepository
from backend_server.context import ServerContext
from backend_server.demo import register_demo_seeder
from backend_server.models.base import new_id
from backend_server.models.call import Call

log = logging.getLogger("backend_server.calls")

# (external id, caller number, minutes ago, what the caller says)
DEMO_CALLS = (
    ("demo:praxis-1", "+4917612345678", 12,
     "Hier ist Klaus Becker. Ich habe seit einer halben Stunde starke Brustschmerzen und "
     "Druck auf der Brust. Bitte rufen Sie sofort zurück."),
    ("demo:praxis-2", "+4930123456", 47,
     "Guten Tag, hier spricht Maria Schulz. Ich brauche ein neues Rezept für Ramipril."),
    ("demo:praxis-3", "+4915112223334", 95,
     "Hallo, Jonas Weber hier. Ich hätte gerne einen Termin nächste Woche Dienstag "
     "vormittags."),
    ("demo:praxis-4", "+4922198765", 180,
     "Guten Morgen, Sabine Krüger. Ich habe Fieber und brauche eine Krankschreibung."),
)


def _speak(text: str) -> bytes:
    # PyAV and numpy load only when the demo is seeded, not with every server start.
    from backend_server.assistant.synth import synthesize

    return synthesize(text, fmt="pcm16k")


@register_demo_seeder
async def seed_demo_calls(ctx: ServerContext, session: AsyncSession, practice_id: str) -> None:
    repo = CallRepository(session)
    missing = [c for c in DEMO_CALLS if await repo.by_external_id(c[0]) is None]
    if not missing:
        return
    from backend_server.assistant.synth import SpeechSynthesisUnavailable

    now = ctx.clock.now()
    for external_id, number, minutes_ago, text in missing:
        try:
            # 16 kHz: espeak's voice at telephone 8 kHz defeats the transcription.
            audio = await anyio.to_thread.run_sync(_speak, text)
        except SpeechSynthesisUnavailable:
            log.info("no demo calls: espeak-ng is not installed")
            return
        call_id = new_id()
        staged = await recording.stage_bytes(ctx, practice_id, call_id, audio)
        try:
            await staged.store_key(ctx, now)
            started = now - timedelta(minutes=minutes_ago)
            call = Call(id=call_id, practice_id=practice_id, source="demo",
                        external_id=external_id, from_number=number, to_number=None,
                        started_at=started, duration_seconds=None, status="new",
                        processing="pending", category=None, urgent=False, urgent_reasons=[],
                        transcript=None, recording_nonce=staged.nonce,
                        recording_size=staged.size, created_at=now, updated_at=now)
            await repo.add(call)
            await jobs.enqueue(session, call, "process", now=now)
            await audit.record(session, "call.create", at=now, practice_id=practice_id,
                               object_type="call", object_id=call.id)
            staged.writer.publish()
            await session.commit()
        except BaseException:
            staged.abort(ctx)
            raise
