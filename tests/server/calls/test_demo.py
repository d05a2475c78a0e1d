"""``serve --demo`` seeds calls with real (espeak-ng) audio that the ordinary job queue
analyses; one of them is urgent. Seeding twice adds nothing."""

from __future__ import annotations

import asyncio
import time

from backend_server.demo import DEMO_LOGINS, seed_demo
from tests.server.harness import Account, Harness


async def test_demo_calls_are_seeded_once_and_analysed(server: Harness) -> None:
    practice_id, _ = await seed_demo(server.ctx)
    await seed_demo(server.ctx)  # idempotent
    login = DEMO_LOGINS[2]
    staff = await server.login(Account(user_id="", practice_id=practice_id, email=login.email,
                                       password=login.password, role=login.role))
    deadline = time.monotonic() + 40
    while True:
        calls = (await server.client.get("/api/v1/calls", headers=staff.headers)).json()
        if calls and all(c["processing"] in ("ready", "failed") for c in calls):
            break
        assert time.monotonic() < deadline, calls
        await asyncio.sleep(0.1)
    assert len(calls) == 4
    assert all(c["source"] == "demo" and c["has_recording"] for c in calls)
    assert all(c["processing"] == "ready" and c["transcript"] for c in calls)
    assert calls[0]["urgent"] is True  # urgent first in the queue
    assert sum(c["urgent"] for c in calls) == 1
