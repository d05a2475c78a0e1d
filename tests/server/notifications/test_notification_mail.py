"""Staff write, the patient gets an e-mail with a fresh link and nothing else."""

from __future__ import annotations

import logging
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from backend_server.db.tenancy import ALL_PRACTICES
from backend_server.models.audit_entry import AuditEntry
from tests.server.harness import Harness
from tests.server.inbox.helpers import (
    API,
    new_conversation,
    new_patient,
    patient_send,
    staff_send,
    token_of,
)
from tests.server.notifications.conftest import Inbox, free_port, harness
from tests.server.notifications.helpers import body_of, settle, tokens_in

NAME = "Sabine Müller"
DOB = "1968-03-14"
ADDRESS = "sabine.mueller@example.de"
SECRET_TEXT = "Ihr Befund: Ramipril 5 mg weiter wie bisher"


async def test_mail_has_a_working_link_and_no_content(
        mailing: Harness, smtp: tuple[Inbox, int], caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="backend_server")
    inbox, _ = smtp
    practice = await mailing.practice("Hausarztpraxis Dr. Sommer")
    staff = await mailing.logged_in(practice)
    patient = await new_patient(mailing, staff, name=NAME, dob=DOB, email=ADDRESS)
    conversation = await new_conversation(mailing, staff, patient["id"])

    [mail] = await inbox.wait_for(1)
    assert mail["Subject"] == "Neue Nachricht von Hausarztpraxis Dr. Sommer"
    assert mail["To"] == ADDRESS
    assert inbox.recipients == [[ADDRESS]]
    assert mail["From"] == "praxis@example.org"
    body = body_of(mail)
    assert "Sie haben eine neue Nachricht" in body
    assert "you have a new message" in body
    [token] = tokens_in(mail)
    assert token != token_of(conversation)  # a link of its own; the first one still works
    for live in (token, token_of(conversation)):
        opened = await mailing.client.get(f"{API}/p/{live}/conversation")
        assert opened.status_code == 200
        assert opened.json()["practice_name"] == "Hausarztpraxis Dr. Sommer"

    # The next message within 15 minutes brings no second mail (throttled)...
    assert (await staff_send(mailing, staff, conversation["id"], SECRET_TEXT)).status_code \
        == 201
    await settle(mailing)
    assert len(inbox.mails) == 1
    # ...after that it does, with yet another link; no mail ever holds text, name or dob.
    mailing.clock.advance(timedelta(minutes=16))
    await mailing.login(staff)  # the access token expired meanwhile
    assert (await staff_send(mailing, staff, conversation["id"], SECRET_TEXT)).status_code \
        == 201
    mails = await inbox.wait_for(2)
    assert len(tokens_in(mails[1])) == 1
    assert tokens_in(mails[1]) != {token}
    for sent in mails:
        raw = sent.as_string()
        for secret in (SECRET_TEXT, "Ramipril", NAME, "Müller", "Sabine", DOB, "14.03.1968"):
            assert secret not in raw
            assert secret not in body_of(sent)
    server_logs = "\n".join(r.getMessage() for r in caplog.records
                            if r.name.startswith(("backend_server", "uvicorn")))
    assert "conversation" in server_logs
    for secret in (ADDRESS, NAME, SECRET_TEXT, token):
        assert secret not in server_logs

    async with mailing.ctx.db.session(system=True) as session:
        actions = [e.action for e in (await session.execute(
            select(AuditEntry).where(AuditEntry.object_id == conversation["id"])
            .order_by(AuditEntry.seq).execution_options(**ALL_PRACTICES))).scalars()]
    assert actions.count("conversation.notify") == 2


async def test_no_mail_without_reason(mailing: Harness, smtp: tuple[Inbox, int]) -> None:
    inbox, _ = smtp
    practice = await mailing.practice()
    staff = await mailing.logged_in(practice)
    # No e-mail address: nothing to send.
    silent = await new_conversation(mailing, staff)
    assert (await staff_send(mailing, staff, silent["id"], "Hallo")).status_code == 201
    # The patient writing, and a staff retry with the same key, send nothing either.
    patient = await new_patient(mailing, staff, email=ADDRESS)
    conversation = await new_conversation(mailing, staff, patient["id"])
    await inbox.wait_for(1)
    mailing.clock.advance(timedelta(minutes=16))
    await mailing.login(staff)
    assert (await patient_send(mailing, token_of(conversation), "Frage")).status_code == 201
    first = await staff_send(mailing, staff, conversation["id"], "Antwort", key="k1")
    assert first.status_code == 201
    await inbox.wait_for(2)
    mailing.clock.advance(timedelta(minutes=16))
    await mailing.login(staff)
    retry = await staff_send(mailing, staff, conversation["id"], "Antwort", key="k1")
    assert retry.status_code == 200
    # Revoked access stays revoked: no mail hands out a new link.
    revoked = await mailing.client.post(f"{API}/conversations/{conversation['id']}/link/revoke",
                                        headers=staff.headers)
    assert revoked.status_code == 200
    assert (await staff_send(mailing, staff, conversation["id"], "Noch da?")).status_code \
        == 201
    await settle(mailing)
    assert len(inbox.mails) == 2
    shown = await mailing.client.get(f"{API}/conversations/{conversation['id']}",
                                     headers=staff.headers)
    assert shown.json()["link_active"] is False


async def test_no_smtp_host_means_no_mail(tmp_path: Path, smtp: tuple[Inbox, int]) -> None:
    inbox, _ = smtp
    async for server in harness(tmp_path, smtp_host=""):
        practice = await server.practice()
        staff = await server.logged_in(practice)
        patient = await new_patient(server, staff, email=ADDRESS)
        conversation = await new_conversation(server, staff, patient["id"])
        assert (await staff_send(server, staff, conversation["id"], "Hallo")).status_code \
            == 201
        await settle(server)
    assert inbox.mails == []


async def test_smtp_down_never_fails_the_request(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="backend_server.notifications")
    async for server in harness(tmp_path, smtp_host="127.0.0.1", smtp_port=free_port(),
                                smtp_starttls=False, notify_retry_base_seconds=0.01,
                                smtp_timeout_seconds=2):
        practice = await server.practice()
        staff = await server.logged_in(practice)
        patient = await new_patient(server, staff, name=NAME, email=ADDRESS)
        conversation = await new_conversation(server, staff, patient["id"])
        sent = await staff_send(server, staff, conversation["id"], SECRET_TEXT)
        assert sent.status_code == 201
        await settle(server)
        attempts = [r for r in caplog.records if "attempt" in r.getMessage()]
        assert len(attempts) == 4  # the first try and 3 retries, then it gives up
        assert all(conversation["id"] in r.getMessage() for r in attempts)
        for secret in (ADDRESS, NAME, SECRET_TEXT):
            assert secret not in caplog.text
        # The link nobody received was taken back; the one staff handed out still works.
        opened = await server.client.get(f"{API}/p/{token_of(conversation)}/conversation")
        assert opened.status_code == 200
        assert [m["text"] for m in opened.json()["messages"]] == [SECRET_TEXT]


async def test_shutdown_waits_for_mails_being_sent(tmp_path: Path,
                                                  smtp: tuple[Inbox, int]) -> None:
    inbox, port = smtp
    async for server in harness(tmp_path, smtp_host="127.0.0.1", smtp_port=port,
                                smtp_starttls=False):
        practice = await server.practice()
        staff = await server.logged_in(practice)
        patient = await new_patient(server, staff, email=ADDRESS)
        await new_conversation(server, staff, patient["id"])
        # No waiting here: leaving the block shuts the app down at once.
    assert len(inbox.mails) == 1


async def test_a_file_from_the_practice_notifies_too(mailing: Harness,
                                                     smtp: tuple[Inbox, int]) -> None:
    from backend_server.attachments.samples import rash_photo_png

    inbox, _ = smtp
    practice = await mailing.practice()
    staff = await mailing.logged_in(practice)
    patient = await new_patient(mailing, staff, email=ADDRESS)
    conversation = await new_conversation(mailing, staff, patient["id"])
    await inbox.wait_for(1)
    mailing.clock.advance(timedelta(minutes=16))
    await mailing.login(staff)
    sent = await mailing.client.post(
        f"{API}/conversations/{conversation['id']}/messages/upload",
        headers={**staff.headers, "Idempotency-Key": "befund-1"},
        files={"file": ("Befund.png", rash_photo_png(), "image/png")})
    assert sent.status_code == 201, sent.text
    mails = await inbox.wait_for(2)
    assert "Befund" not in mails[1].as_string()
    assert len(tokens_in(mails[1])) == 1
