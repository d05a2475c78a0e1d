"""After a purge no byte of the purged text is left in any file of the data directory:
not in the database, its WAL and shared-memory files, the blobs or the key store."""

from __future__ import annotations

from pathlib import Path

from tests.server.attachments.helpers import PDF, patient_upload
from tests.server.harness import Harness
from tests.server.inbox.helpers import patient_send, staff_send
from tests.server.inquiries.helpers import add_note, staff_inquiry
from tests.server.retention.helpers import DAY, T0, purge, seed, travel

MARKER = "Zyx7Qmarker-Gallenkolik"  # purged everywhere
SURVIVOR = "Wbq3Psurvivor-Heuschnupfen"  # newer content in a conversation that stays


def _hits(root: Path, needle: str) -> list[str]:
    """Files under root containing needle (UTF-8, and UTF-16 for good measure)."""
    patterns = (needle.encode("utf-8"), needle.encode("utf-16-le"))
    found = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        data = path.read_bytes()
        if any(p in data for p in patterns):
            found.append(str(path.relative_to(root)))
    return found


async def test_no_marker_left_in_any_file(rserver: Harness) -> None:
    practice = await rserver.practice()
    staff = await rserver.logged_in(practice)
    # A conversation deleted whole, with the marker in every kind of content.
    whole = await seed(rserver, staff, marker=MARKER)
    # A conversation that survives: old content with the marker, new content without.
    stays = await seed(rserver, staff, marker=MARKER)
    for _ in range(30):  # enough rows to spread over several pages
        assert (await patient_send(rserver, stays.token, f"{MARKER} noch einmal")
                ).status_code == 201
    assert (await patient_upload(rserver, stays.token, f"{MARKER}-2.pdf", PDF,
                                 text=f"{MARKER} Anhang")).status_code == 201
    assert (await staff_inquiry(rserver, staff, stays.conversation_id, {
        "type": "other", "details": {}, "text": f"{MARKER} Rückfrage"})).status_code == 201
    assert (await add_note(rserver, staff, stays.conversation_id, f"{MARKER} intern")
            ).status_code == 201

    await travel(rserver, T0 + 80 * DAY, staff)
    assert (await staff_send(rserver, staff, stays.conversation_id, f"{SURVIVOR} Termin")
            ).status_code == 201
    assert (await add_note(rserver, staff, stays.conversation_id, f"{SURVIVOR} Notiz")
            ).status_code == 201
    assert _hits(rserver.data_dir, MARKER)  # the search itself works

    await travel(rserver, T0 + 106 * DAY, staff)
    report = await purge(rserver)
    assert report.counts["conversation"] == 1
    assert report.counts["message"] == 2 + 2 + 30 + 1

    assert _hits(rserver.data_dir, MARKER) == []
    # The surviving text is still findable: the search would see text that is there.
    assert _hits(rserver.data_dir, SURVIVOR)
    # The WAL was truncated after the purge (it would otherwise keep old page images).
    assert (rserver.data_dir / "praxisdesk.sqlite3-wal").stat().st_size == 0
    assert whole.conversation_id not in str(report.practices)


async def test_server_connections_overwrite_deleted_rows(rserver: Harness) -> None:
    async with rserver.ctx.db.engine.connect() as conn:
        assert (await conn.exec_driver_sql("PRAGMA secure_delete")).scalar_one() == 1
