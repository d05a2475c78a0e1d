"""Every /p/ path is rate limited per client IP and per token: 429 + Retry-After."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest

from backend_server.ratelimit import Limit, RateLimiter
from tests.server.harness import Harness, assert_problem
from tests.server.inbox.helpers import API, new_conversation, patient_send, token_of
from tests.server.notifications.conftest import harness


@pytest.fixture
async def limited(tmp_path: Path) -> AsyncIterator[Harness]:
    async for server in harness(tmp_path, patient_rate_per_minute=5, patient_upload_rate=2):
        yield server


async def test_too_many_requests_answer_429_with_retry_after(limited: Harness) -> None:
    practice = await limited.practice()
    staff = await limited.logged_in(practice)
    token = token_of(await new_conversation(limited, staff))

    # The page and the API share the token's budget.
    assert (await limited.client.get(f"/p/{token}")).status_code == 200
    for _ in range(3):
        assert (await limited.client.get(f"{API}/p/{token}/conversation")).status_code == 200
    assert (await patient_send(limited, token, "Hallo")).status_code == 201
    refused = await limited.client.get(f"{API}/p/{token}/conversation")
    body = assert_problem(refused, 429, "rate_limited")
    retry_after = int(refused.headers["Retry-After"])
    assert 1 <= retry_after <= 60
    assert body["retry_after"] == retry_after
    page = await limited.client.get(f"/p/{token}")
    assert page.status_code == 429

    # Staff routes are not affected.
    assert (await limited.client.get(f"{API}/conversations",
                                     headers=staff.headers)).status_code == 200

    limited.clock.advance(timedelta(seconds=retry_after))
    assert (await limited.client.get(f"{API}/p/{token}/conversation")).status_code == 200


async def test_limit_applies_per_ip_across_tokens(limited: Harness) -> None:
    # A guesser trying many tokens from one address is stopped as well.
    for number in range(5):
        guess = await limited.client.get(f"{API}/p/guess{number:040d}/conversation")
        assert guess.status_code == 404
    assert_problem(await limited.client.get(f"{API}/p/another-guess/conversation"),
                   429, "rate_limited")
    # Another client address still gets through.
    transport = httpx.ASGITransport(app=limited.app, client=("192.0.2.7", 4711))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as other:
        assert (await other.get(f"{API}/p/another-guess/conversation")).status_code == 404


async def test_uploads_have_their_own_smaller_budget(limited: Harness) -> None:
    practice = await limited.practice()
    staff = await limited.logged_in(practice)
    token = token_of(await new_conversation(limited, staff))
    files = {"file": ("befund.pdf", b"%PDF-1.4 test", "application/pdf")}
    for _ in range(2):
        answer = await limited.client.post(f"{API}/p/{token}/messages/upload", files=files,
                                           headers={"Idempotency-Key": "u"})
        assert answer.status_code != 429
    refused = await limited.client.post(f"{API}/p/{token}/messages/upload", files=files,
                                        headers={"Idempotency-Key": "u"})
    assert_problem(refused, 429, "rate_limited")
    assert int(refused.headers["Retry-After"]) > 60  # 2 per 10 minutes refill slowly
    # Reading still works: only the upload budget is spent.
    assert (await limited.client.get(f"{API}/p/{token}/conversation")).status_code == 200


def test_memory_stays_bounded() -> None:
    now = [0.0]
    limiter = RateLimiter(max_buckets=100, now=lambda: now[0])
    limit = Limit(60, 60.0)
    for number in range(10_000):
        assert limiter.take([(("ip", f"10.0.{number // 256}.{number % 256}"), limit)]) == 0
    assert len(limiter) == 100
    # A busy client's bucket survives the churn because it is in use: its budget runs out.
    busy = [(("ip", "198.51.100.1"), limit)]
    for number in range(60):
        assert limiter.take(busy) == 0
        assert limiter.take([(("ip", f"203.0.113.{number}"), limit)]) == 0
    assert limiter.take(busy) > 0
    assert len(limiter) == 100
