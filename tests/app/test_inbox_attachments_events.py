"""Attachment copies out of the encrypted cache, and the events the UI listens to."""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

import pytest

from app.api.errors import NotFound
from app.cache import attachments as blobs
from app.cache import inbox_store
from app.cache.database import open_cache_sync
from app.events import EventBus
from app.inbox.types import InboxFilter
from app.settings import Profile
from app.sync.engine import ApplyContext, announce, apply_page
from tests.app.conftest import Practice, logged_in_core

PDF = b"%PDF-1.4\n% Befund\n" + os.urandom(4096)


def content(path: Path) -> bytes:
    return path.read_bytes()


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


async def test_export_and_private_viewer_copy(tmp_path: Path, profile: Profile, bus: EventBus,
                                              practice: Practice) -> None:
    core = await logged_in_core(profile, bus, practice)
    try:
        assert core.cache is not None
        message = {"id": "m1", "conversation_id": "c1", "author": "patient", "text": "",
                   "created_at": "2026-11-20T09:00:00Z", "attachments": [{
                       "id": "a1", "message_id": "m1", "conversation_id": "c1",
                       "filename": "../Befund Müller.pdf", "content_type": "application/pdf",
                       "size": len(PDF), "sha256": hashlib.sha256(PDF).hexdigest()}]}
        await core.cache.run(lambda conn: inbox_store.upsert_message(conn, message, set()))
        thread = core.inbox.thread_items("c1", 0, 10)
        assert thread[0].attachments[0].filename == "../Befund Müller.pdf"
        assert thread[0].attachments[0].cached is False

        # Not on the server (yet): a clear error, and nothing half-written in the cache.
        with pytest.raises(NotFound):
            await core.fetch_attachment("a1", progress=lambda received, total: None)
        assert core.inbox.thread_items("c1", 0, 10)[0].attachments[0].cached is False

        await core.cache.run(lambda conn: blobs.store_blob(conn, "a1", PDF))
        assert core.inbox.thread_items("c1", 0, 10)[0].attachments[0].cached is True

        saved = Path(await core.export_attachment("a1", str(tmp_path)))
        assert saved.parent == tmp_path  # the name cannot climb out of the chosen folder
        assert saved.name == "Befund Müller.pdf"
        assert content(saved) == PDF
        chosen = Path(await core.export_attachment("a1", str(tmp_path / "kopie.pdf")))
        assert content(chosen) == PDF

        copy = Path(await core.open_attachment_copy("a1"))
        assert content(copy) == PDF
        assert mode(copy) == 0o600
        private = copy.parent.parent
        assert mode(private) == 0o700
    finally:
        await core.close()
    assert not private.exists()  # decrypted copies are wiped when the client closes


def test_new_inquiry_event_only_after_the_initial_sync(tmp_path: Path) -> None:
    db = open_cache_sync(tmp_path / "c.db", os.urandom(32))
    bus = EventBus()
    seen: list[tuple[str, object]] = []
    bus.subscribe("new_inquiry", lambda n: seen.append(("new_inquiry", n)))
    bus.subscribe("inbox_changed", lambda ids: seen.append(("inbox_changed", ids)))

    def inquiry(iid: str, status: str = "new") -> dict[str, object]:
        return {"kind": "inquiry", "op": "upsert", "id": iid, "data": {
            "id": iid, "conversation_id": "c1", "type": "appointment", "status": status,
            "details": {"reason": "Kontrolle", "preferred_windows": []}, "text": "",
            "created_at": "2026-11-20T09:00:00Z"}}

    def page(changes: list[dict[str, object]], finished: bool) -> None:
        ctx = ApplyContext()
        _, initial = db.run_sync(lambda conn: apply_page(conn, changes, "cur", ctx,
                                                         finished=finished))
        announce(bus, ctx, initial)

    page([inquiry("i1")], finished=False)  # initial sync, first page
    page([inquiry("i2")], finished=True)  # initial sync, last page
    assert [name for name, _ in seen] == ["inbox_changed", "inbox_changed"]
    seen.clear()
    page([inquiry("i3"), inquiry("i4"), inquiry("i1", "in_progress"), inquiry("i5", "done")],
         finished=True)
    assert seen == [("inbox_changed", ["c1"]), ("new_inquiry", 2)]
    db.close()


async def test_inbox_object_survives_a_cache_reset(profile: Profile, bus: EventBus,
                                                   practice: Practice) -> None:
    core = await logged_in_core(profile, bus, practice)
    try:
        inbox = core.inbox
        assert inbox.inbox_count(InboxFilter()) == 0
        await core._close_cache()
        assert inbox.inbox_ids(InboxFilter(search="x"), 0, 10) == []  # closed: empty, no error
        await core.open_cache()
        assert core.inbox is inbox
        assert inbox.inbox_count(InboxFilter()) == 0
    finally:
        await core.close()


async def test_live_page_seam_applies_and_announces(profile: Profile, bus: EventBus,
                                                    practice: Practice) -> None:
    core = await logged_in_core(profile, bus, practice)
    seen: list[tuple[str, object]] = []
    bus.subscribe("new_inquiry", lambda n: seen.append(("new_inquiry", n)))
    bus.subscribe("inbox_changed", lambda ids: seen.append(("inbox_changed", ids)))
    try:
        result = await core.sync_once()  # the initial sync is complete
        pushed = [{"kind": "inquiry", "op": "upsert", "id": "i9", "data": {
            "id": "i9", "conversation_id": "c9", "type": "referral", "status": "new",
            "details": {"specialty": "Dermatologie"}, "text": "",
            "created_at": "2026-11-20T09:00:00Z"}}]
        assert await core.apply_live_page(pushed, result.cursor) == 1
        assert seen == [("inbox_changed", ["c9"]), ("new_inquiry", 1)]
        assert core.inbox.thread_items("c9", 0, 5)[0].inquiry_details == {
            "specialty": "Dermatologie"}
    finally:
        await core.close()
