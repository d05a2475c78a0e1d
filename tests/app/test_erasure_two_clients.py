"""Art. 17: an admin erases a patient from one client; the practice's other client (a second
computer, a staff login) loses every trace of that patient too, through sync tombstones, while
another patient's data stays on both."""

from __future__ import annotations

from pathlib import Path

from app.core import ClientCore
from app.events import EventBus
from app.inbox.types import InboxFilter
from app.settings import Profile
from tests.app.conftest import PASSWORD, Practice, wait_for
from tests.app.inbox_helpers import Staff

MARKER = "Zxqerasemarker"


def _conversations(core: ClientCore) -> set[str]:
    flt = InboxFilter()
    return set(core.inbox.inbox_ids(flt, 0, core.inbox.inbox_count(flt)))


def _cache_rows(core: ClientCore, sql: str, *args: object) -> int:
    assert core.cache is not None
    return int(core.cache.run_sync(lambda conn: conn.execute(sql, args).fetchone()[0]))


async def test_erasure_reaches_both_clients(tmp_path: Path, practice: Practice) -> None:
    staff = Staff(practice)
    erased = staff.patient("Rosa Löschmann", dob="1961-02-03")
    kept = staff.patient("Karl Bleibtreu", dob="1958-07-08")
    erased_conv = staff.conversation(erased["id"])
    kept_conv = staff.conversation(kept["id"])
    staff.send(erased_conv["id"], f"Befund {MARKER} liegt vor")
    staff.send(kept_conv["id"], "Termin am Montag")

    admin = ClientCore(Profile(tmp_path / "admin-pc"), EventBus())
    reception = ClientCore(Profile(tmp_path / "reception-pc"), EventBus())
    try:
        await admin.login(practice.server.url, practice.admin_email, PASSWORD)
        await reception.login(practice.server.url, practice.staff_email, PASSWORD)
        for core in (admin, reception):
            core.settings.sync_interval_s = 300  # tombstones must come over the websocket
            await core.start()
        for core in (admin, reception):
            await wait_for(lambda core=core: _conversations(core) == {erased_conv["id"],
                                                                      kept_conv["id"]})
            assert core.inbox.inbox_count(InboxFilter(search=MARKER)) == 1

        patient = admin.inbox.patient_of(erased_conv["id"])
        assert patient is not None
        assert patient.id == erased["id"]
        counts = await admin.erase_patient(patient.id)
        assert counts["patient"] == 1
        assert counts["conversation"] == 1

        for core in (admin, reception):
            await wait_for(lambda core=core: _conversations(core) == {kept_conv["id"]},
                           timeout=10)
            assert core.inbox.inbox_count(InboxFilter(search=MARKER)) == 0
            assert core.inbox.inbox_count(InboxFilter(search="Löschmann")) == 0
            assert core.inbox.patient_of(erased_conv["id"]) is None
            assert _cache_rows(core, "SELECT count(*) FROM patients WHERE id = ?",
                               erased["id"]) == 0
            assert _cache_rows(core, "SELECT count(*) FROM messages WHERE conversation_id = ?",
                               erased_conv["id"]) == 0
            assert _cache_rows(core, "SELECT count(*) FROM messages WHERE text LIKE ?",
                               f"%{MARKER}%") == 0
            # The other patient is untouched.
            assert core.inbox.inbox_count(InboxFilter(search="Montag")) == 1
    finally:
        await admin.close()
        await reception.close()
        staff.close()
