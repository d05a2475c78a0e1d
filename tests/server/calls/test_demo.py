"""``serve --demo`` seeds calls with real (espeak-ng) audio, queued for the ordinary job
queue (whose analysis the other call tests cover). Seeding twice adds nothing."""

from __future__ import annotations

from sqlalchemy import select

from backend_server.calls.demo import DEMO_CALLS
from backend_server.demo import seed_demo
from backend_server.models import Call, CallJob
from tests.server.harness import Harness


async def test_demo_calls_are_seeded_once_with_audio_and_queued(server: Harness) -> None:
    await server.app.state.call_worker.stop()  # the queue's work is tested elsewhere
    practice_id, _ = await seed_demo(server.ctx)
    await seed_demo(server.ctx)  # idempotent
    async with server.ctx.db.session(system=True) as session:
        calls = (await session.execute(select(Call))).scalars().all()
        jobs = (await session.execute(select(CallJob))).scalars().all()
    assert len(calls) == len(DEMO_CALLS) == 4
    assert {c.source for c in calls} == {"demo"}
    assert {c.practice_id for c in calls} == {practice_id}
    assert sorted((j.kind, j.state) for j in jobs) == [("process", "pending")] * 4
    for call in calls:
        blob = server.data_dir / "blobs" / practice_id / call.id
        assert blob.stat().st_size > 20_000  # seconds of speech, encrypted
        assert server.ctx.keystore.get_blob_key(call.id) is not None
    # One of them describes an emergency (chest pain): the urgent call of the demo.
    assert any("Brustschmerzen" in text for *_, text in DEMO_CALLS)
