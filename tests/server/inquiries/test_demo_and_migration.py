"""The demo practice shows the second slice (inquiries of every type, notes, templates,
unread messages), and a data dir from the first slice keeps every message when migrated."""

from __future__ import annotations

import sqlite3
from collections import Counter
from pathlib import Path

from alembic import command
from sqlalchemy import Connection

from backend_server.config import Settings
from backend_server.db.database import Database
from backend_server.db.migrate import alembic_config
from backend_server.demo import seed_demo
from tests.server.harness import Account, Harness
from tests.server.inbox.helpers import API


async def test_demo_has_inquiries_notes_templates_and_unread(server: Harness) -> None:
    practice_id, logins = await seed_demo(server.ctx)
    await seed_demo(server.ctx)  # a second start adds nothing
    staff = await server.login(Account(user_id="", practice_id=practice_id,
                                       email=logins[2].email, password=logins[2].password,
                                       role=logins[2].role))
    inquiries = (await server.client.get(f"{API}/inquiries", headers=staff.headers,
                                         params={"limit": 500})).json()["items"]
    assert {i["type"] for i in inquiries} == {"appointment", "prescription", "referral",
                                              "sick_note", "results", "other"}
    assert len(inquiries) == 9  # not doubled by the second start
    statuses = Counter(i["status"] for i in inquiries)
    assert statuses["done"] >= 1
    assert statuses["in_progress"] >= 1
    assert statuses["new"] >= 1
    assert all(i["assignee_user_id"] for i in inquiries if i["status"] == "in_progress")
    prescription = next(i for i in inquiries if i["type"] == "prescription"
                        and i["status"] == "done")
    assert prescription["details"] == {"medications": ["Ramipril 5 mg"]}
    assert {"specialty": "Kardiologie"} in [i["details"] for i in inquiries
                                            if i["type"] == "referral"]

    templates = (await server.client.get(f"{API}/templates", headers=staff.headers)).json()
    titles = {t["title"] for t in templates}
    assert len(templates) >= 4
    assert {"Ihr Rezept liegt zur Abholung bereit", "Ihre Überweisung liegt am Empfang bereit",
            "Bitte vereinbaren Sie telefonisch einen Termin",
            "Ihre AU wurde ausgestellt"} <= titles

    conversations = (await server.client.get(f"{API}/conversations",
                                             headers=staff.headers)).json()["items"]
    assert sum(c["unread_count"] for c in conversations) >= 1
    assert any(c["unread_count"] == 0 for c in conversations)
    assert all(c["patient_name"] and c["last_message_preview"] for c in conversations)
    assert sum(c["open_inquiries"] for c in conversations) == len(
        [i for i in inquiries if i["status"] != "done"])
    notes = []
    for c in conversations:
        notes += (await server.client.get(f"{API}/conversations/{c['id']}/notes",
                                          headers=staff.headers)).json()
    assert "Rückruf vereinbart, Patient nicht erreicht." in [n["text"] for n in notes]


def _to_0002(connection: Connection) -> None:
    command.upgrade(alembic_config(connection), "0002")


async def test_first_slice_data_survives_and_gets_summaries(tmp_path: Path) -> None:
    # The server's own engine (foreign keys on): a table rebuild during the migration
    # would cascade-delete messages, and this test would see it.
    settings = Settings(data_dir=tmp_path)
    db = Database(settings)
    db_path = settings.sqlite_path
    try:
        async with db.engine.begin() as connection:
            await connection.run_sync(_to_0002)
        raw = sqlite3.connect(db_path)
        raw.executescript("""
            INSERT INTO practices (id, name, created_at) VALUES ('p', 'Praxis',
                '2026-11-01 08:00:00');
            INSERT INTO patients VALUES ('pat', 'p', 'Erika Mustermann', 'erika mustermann',
                '1984-08-12', NULL, NULL, '2026-11-01 08:00:00', '2026-11-01 08:00:00');
            INSERT INTO conversations VALUES ('c', 'p', 'pat', NULL, NULL, NULL, 1,
                '2026-11-01 08:00:00', '2026-11-01 08:00:00', '2026-11-01 11:00:00');
            INSERT INTO messages VALUES ('m1', 'p', 'c', 'patient', NULL, 'Frage eins', 'k1',
                'h', '2026-11-01 09:00:00');
            INSERT INTO messages VALUES ('m2', 'p', 'c', 'staff', NULL, 'Antwort', 'k2',
                'h', '2026-11-01 10:00:00');
            INSERT INTO messages VALUES ('m3', 'p', 'c', 'patient', NULL, 'Frage zwei', 'k3',
                'h', '2026-11-01 11:00:00');
        """)
        raw.commit()
        raw.close()
        await db.prepare()
    finally:
        await db.dispose()
    raw = sqlite3.connect(db_path)
    try:
        messages = raw.execute("SELECT id, read_at FROM messages ORDER BY id").fetchall()
        assert [m[0] for m in messages] == ["m1", "m2", "m3"]  # nothing lost
        assert str(messages[0][1]).startswith("2026-11-01 10:00")
        assert messages[1][1] is None
        assert messages[2][1] is None
        row = raw.execute("SELECT patient_name, unread_count, open_inquiries, "
                          "last_message_preview FROM conversations").fetchone()
        assert row == ("Erika Mustermann", 1, 0, "Frage zwei")
    finally:
        raw.close()
