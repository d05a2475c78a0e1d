"""Demo inquiries, internal notes and reply templates for ``serve --demo`` (German, invented).

Runs after the conversation seeder (registered earlier) and finds its conversations by the
patient's name. Idempotent: a practice that has templates is left alone.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from pydantic import TypeAdapter
from sqlalchemy.ext.asyncio import AsyncSession

from backend_server.context import ServerContext
from backend_server.conversations.repository import ConversationRepository
from backend_server.demo import DEMO_LOGINS, register_demo_seeder
from backend_server.inquiries import service as inquiries
from backend_server.inquiries.schemas import AnyInquiryCreate, InquiryCreate, InquiryUpdate
from backend_server.notes import service as notes
from backend_server.read_state import service as read_state
from backend_server.templates import service as templates
from backend_server.templates.repository import TemplateRepository
from backend_server.users.repository import UserRepository

TEMPLATES = [
    ("Ihr Rezept liegt zur Abholung bereit",
     "Guten Tag, Ihr Rezept liegt ab sofort an der Anmeldung zur Abholung bereit. Bitte "
     "bringen Sie Ihre Versichertenkarte mit. Freundliche Grüße, Ihr Praxisteam"),
    ("Ihre Überweisung liegt am Empfang bereit",
     "Guten Tag, Ihre Überweisung liegt am Empfang für Sie bereit. Freundliche Grüße, Ihr "
     "Praxisteam"),
    ("Bitte vereinbaren Sie telefonisch einen Termin",
     "Guten Tag, dazu möchten wir Sie gern persönlich sprechen. Bitte vereinbaren Sie "
     "telefonisch einen Termin unter 030 9876543 (Mo–Fr 8–12 Uhr). Freundliche Grüße"),
    ("Ihre AU wurde ausgestellt",
     "Guten Tag, Ihre Arbeitsunfähigkeitsbescheinigung wurde ausgestellt und elektronisch an "
     "Ihre Krankenkasse übermittelt. Gute Besserung!"),
    ("Ihr Befund ist unauffällig",
     "Guten Tag, Ihre Laborwerte sind unauffällig. Es ist nichts weiter zu tun. Freundliche "
     "Grüße, Ihr Praxisteam"),
]

_ADAPTER: TypeAdapter[AnyInquiryCreate] = TypeAdapter(InquiryCreate)


def _windows(now: datetime, *day_hours: tuple[int, int, int]) -> list[dict[str, str]]:
    day = now.replace(hour=0, minute=0, second=0, microsecond=0)
    return [{"start": (day + timedelta(days=d, hours=h)).isoformat(),
             "end": (day + timedelta(days=d, hours=h + length)).isoformat()}
            for d, h, length in day_hours]


def _inquiries(now: datetime) -> dict[str, list[dict[str, Any]]]:
    """Per patient name: inquiries with hours before now, status and assignee e-mail."""
    today = now.date()
    return {
        "Sabine Müller": [
            {"body": {"type": "prescription",
                      "details": {"medications": ["Ramipril 5 mg"]},
                      "text": "Folgerezept, 100 Stück bitte."},
             "hours": 50, "status": "done", "assignee": "empfang@demo.praxisdesk.de",
             "note": "Rezept unterschrieben, liegt an der Anmeldung."},
            {"body": {"type": "referral", "details": {"specialty": "Kardiologie"},
                      "text": "Für die jährliche Kontrolle beim Kardiologen."},
             "hours": 45, "status": "in_progress", "assignee": "arzt@demo.praxisdesk.de"},
        ],
        "Klaus Becker": [
            {"body": {"type": "sick_note",
                      "details": {"from": (today - timedelta(days=3)).isoformat(),
                                  "to": (today + timedelta(days=2)).isoformat()},
                      "text": "Fieber und Husten seit drei Tagen."},
             "hours": 5, "status": "new", "assignee": None,
             "note": "Rückruf vereinbart, Patient nicht erreicht."},
            {"body": {"type": "other", "details": {},
                      "text": "Kann ich heute noch ohne Termin vorbeikommen?"},
             # Not the same moment as the sick note: a tie would be broken by the random
             # ids, and the demo inbox would show a different newest inquiry on each run.
             "hours": 4.5, "status": "new", "assignee": None},
        ],
        "Helga Bauer": [
            {"body": {"type": "prescription",
                      "details": {"medications": ["Metformin 1000 mg", "Ramipril 2,5 mg"]},
                      "text": "Beides geht mir nächste Woche aus."},
             "hours": 20, "status": "in_progress", "assignee": "empfang2@demo.praxisdesk.de",
             "note": "Dr. Weber: Blutzucker-Tagebuch beim Rückruf durchgehen."},
        ],
        "Thomas Schmidt": [
            {"body": {"type": "referral", "details": {"specialty": "Orthopädie"},
                      "text": "Knieschmerzen rechts seit zwei Wochen, vor allem beim "
                              "Treppensteigen."},
             "hours": 8, "status": "new", "assignee": None},
        ],
        "Lena Krüger": [
            {"body": {"type": "sick_note",
                      "details": {"from": today.isoformat(),
                                  "to": (today + timedelta(days=2)).isoformat()},
                      "text": "Magen-Darm, seit heute früh."},
             "hours": 3, "status": "new", "assignee": None},
        ],
        "Aylin Öztürk": [
            {"body": {"type": "results", "details": {"subject": "Blutbild vom letzten Montag"},
                      "text": "Sind meine Blutwerte in Ordnung?"},
             "hours": 29, "status": "in_progress", "assignee": "arzt@demo.praxisdesk.de"},
            {"body": {"type": "appointment",
                      "details": {"reason": "Besprechung der Laborwerte",
                                  "preferred_windows": _windows(now, (2, 8, 3), (3, 14, 2))},
                      "text": "Am liebsten vormittags."},
             "hours": 26, "status": "new", "assignee": None},
        ],
    }


@register_demo_seeder
async def seed_inquiries(ctx: ServerContext, session: AsyncSession, practice_id: str) -> None:
    if await TemplateRepository(session).by_title():
        return  # seeded on an earlier start
    now = ctx.clock.now()
    admin = await UserRepository(session).by_email_any_practice(DEMO_LOGINS[0].email)
    assert admin is not None
    for number, (title, body) in enumerate(TEMPLATES):
        await templates.create_template(
            session, practice_id=practice_id, title=title, body=body,
            idempotency_key=f"demo-template-{number}", now=now - timedelta(days=30),
            actor_user_id=admin.id)

    conversations = await ConversationRepository(session).newest_activity_first(before=None,
                                                                                limit=100)
    by_name = {c.patient_name: c for c in conversations}
    for name, items in _inquiries(now).items():
        conversation = by_name.get(name)
        if conversation is None:
            continue
        for number, item in enumerate(items):
            at = now - timedelta(hours=item["hours"])
            written = await inquiries.create_inquiry(
                session, conversation, _ADAPTER.validate_python(item["body"]),
                idempotency_key=f"demo-inquiry-{conversation.id}-{number}", now=at,
                actor_user_id=None)
            assignee = item["assignee"]
            if item["status"] != "new" or assignee:
                user = (await UserRepository(session).by_email_any_practice(assignee)
                        if assignee else None)
                await inquiries.update_inquiry(
                    session, written.inquiry.id, InquiryUpdate(
                        status=item["status"], assignee_user_id=user.id if user else None),
                    idempotency_key=f"demo-update-{written.inquiry.id}",
                    now=at + timedelta(hours=1), actor_user_id=admin.id)
            if "note" in item:
                await notes.create_note(
                    session, conversation.id, text=item["note"],
                    inquiry_id=written.inquiry.id,
                    idempotency_key=f"demo-note-{written.inquiry.id}",
                    now=at + timedelta(hours=2), actor_user_id=admin.id)
    # Frau Müller's thread has been read; the others still show unread patient messages.
    sabine = by_name.get("Sabine Müller")
    if sabine is not None:
        await read_state.staff_read(session, sabine.id, now=now - timedelta(hours=44),
                                    actor_user_id=admin.id)
