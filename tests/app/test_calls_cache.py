"""Calls in the encrypted cache, fed as the server's sync pages: the queue's order, tombstones,
one urgent alert per call and device (none for the first full sync), local edits, and the
105-day purge by ``created_at``."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from app.cache import calls as store
from app.cache.calls import CallsCache
from app.cache.database import CacheDB, open_cache_sync
from app.cache.purge import purge
from app.calls.types import CallFilter, CallStatus
from app.sync.engine import ApplyContext, apply_page
from tests.support.calls import call_out, change


@pytest.fixture
def db(tmp_path: Path) -> Iterator[CacheDB]:
    cache = open_cache_sync(tmp_path / "cache.db", os.urandom(32))
    yield cache
    cache.close()


@pytest.fixture
def reader(db: CacheDB) -> Iterator[CallsCache]:
    calls = CallsCache(db.open_reader())
    yield calls
    calls.close()


def page(db: CacheDB, changes: list[dict[str, Any]], cursor: str = "1") -> ApplyContext:
    ctx = ApplyContext()
    db.run_sync(lambda conn: apply_page(conn, changes, cursor, ctx, finished=True))
    return ctx


def test_queue_lists_open_urgent_calls_first_then_newest(db: CacheDB,
                                                         reader: CallsCache) -> None:
    page(db, [
        change(call_out("old", minutes_ago=60)),
        change(call_out("urgent-old", minutes_ago=50, urgent=True, category="emergency")),
        change(call_out("new", minutes_ago=1)),
        change(call_out("urgent-done", minutes_ago=5, urgent=True, status="done")),
        change(call_out("middle", minutes_ago=30, status="in_progress")),
    ])
    assert reader.call_ids() == ["urgent-old", "new", "urgent-done", "middle", "old"]
    assert reader.call_ids(CallFilter.OPEN) == ["urgent-old", "new", "middle", "old"]
    assert reader.call_ids(CallFilter.DONE) == ["urgent-done"]
    row = reader.call("urgent-old")
    assert row is not None
    assert row.urgent
    assert row.category == "emergency"
    assert row.urgent_reasons == ("chest_pain",)
    assert row.is_alerting
    assert row.callback_number == "+4930123456"  # no extracted number: the caller id


def test_tombstone_removes_the_call_and_a_resync_changes_nothing(
        db: CacheDB, reader: CallsCache) -> None:
    data = call_out("c1", name="Erika Muster", dob="1958-03-12", phone="+491701234567")
    page(db, [change(data), change(call_out("c2"))])
    page(db, [change(data)], cursor="2")  # the same change again
    row = reader.call("c1")
    assert row is not None
    assert (row.caller.name, row.caller.dob, row.caller.phone) == (
        "Erika Muster", "1958-03-12", "+491701234567")
    ctx = page(db, [change(None, "c1")], cursor="3")
    assert ctx.calls == {"c1"}
    assert reader.call("c1") is None
    assert reader.call_ids() == ["c2"]


def test_an_urgent_call_alerts_once_when_ready_and_never_in_the_first_sync(
        db: CacheDB) -> None:
    first = page(db, [change(call_out("seen-before", urgent=True))])
    assert first.urgent_calls == []  # the first full sync: old news, shown red in the queue

    arriving = call_out("u1", urgent=True, processing="processing")
    assert page(db, [change(arriving)], "2").urgent_calls == []  # not analysed yet
    ready = {**arriving, "processing": "ready"}
    assert page(db, [change(ready)], "3").urgent_calls == ["u1"]
    # Changed again (assigned, edited): no second alert on this device.
    assert page(db, [change({**ready, "assignee_user_id": "u-2"})], "4").urgent_calls == []
    # A call that is already done when it arrives does not alert either.
    assert page(db, [change(call_out("u2", urgent=True, status="done"))], "5").urgent_calls \
        == []
    assert page(db, [change(call_out("plain"))], "6").urgent_calls == []


def test_local_edit_shows_at_once_and_moves_a_done_urgent_call_down(
        db: CacheDB, reader: CallsCache) -> None:
    page(db, [change(call_out("u", minutes_ago=10, urgent=True)),
              change(call_out("n", minutes_ago=1))])
    assert reader.call_ids() == ["u", "n"]
    db.run_sync(lambda conn: store.apply_local_edit(conn, "u", {
        "status": "done", "assignee_user_id": "user-1", "category": "appointment",
        "caller": {"name": "Max Mustermann", "dob": "1980-01-02", "phone": None}}))
    row = reader.call("u")
    assert row is not None
    assert row.status is CallStatus.DONE
    assert row.assignee_user_id == "user-1"
    assert row.category == "appointment"
    assert row.caller.name == "Max Mustermann"
    assert row.caller.phone is None
    assert reader.call_ids() == ["n", "u"]


def test_purge_removes_calls_created_before_the_content_period(
        db: CacheDB, reader: CallsCache) -> None:
    now = datetime.now(UTC)
    page(db, [change(call_out("expired", created_at=now - timedelta(days=106))),
              change(call_out("kept", created_at=now - timedelta(days=104)))])
    report = asyncio.run(purge(db, now))
    assert report.counts["call"] == 1
    assert reader.call_ids() == ["kept"]
    # A shorter practice period (synced retention_policy) is honoured too.
    page(db, [{"kind": "retention_policy", "op": "upsert", "id": "p",
               "data": {"content_days": 30, "video_days": 90}}], "2")
    assert asyncio.run(purge(db, now)).counts["call"] == 1
    assert reader.call_ids() == []
