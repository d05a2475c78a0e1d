"""Demo patients and conversations for ``serve --demo`` (invented people, German texts)."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend_server.context import ServerContext
from backend_server.conversations import service as conversations
from backend_server.demo import register_demo_seeder
from backend_server.models.patient import Patient
from backend_server.patients import service as patients

# (name, dob, e-mail, phone, [(author, text, hours before now)])
_DEMO: list[tuple[str, date, str | None, str | None, list[tuple[str, str, int]]]] = [
    ("Sabine Müller", date(1968, 3, 14), "sabine.mueller@example.de", "0171 2345678", [
        ("patient", "Guten Tag, ich bräuchte ein neues Rezept für mein Blutdruckmedikament "
                    "(Ramipril 5 mg). Vielen Dank!", 50),
        ("staff", "Guten Tag Frau Müller, Ihr Rezept liegt ab morgen 10 Uhr zur Abholung "
                  "an der Anmeldung bereit.", 47),
        ("patient", "Wunderbar, vielen Dank!", 46),
    ]),
    ("Klaus Becker", date(1955, 11, 2), "k.becker@example.de", None, [
        ("patient", "Hallo, ich habe seit drei Tagen Fieber und Husten. Kann ich heute noch "
                    "vorbeikommen?", 5),
    ]),
    ("Aylin Öztürk", date(1991, 7, 23), "aylin.oeztuerk@example.de", "0152 9876543", [
        ("staff", "Liebe Frau Öztürk, Ihre Laborwerte sind da. Bitte vereinbaren Sie einen "
                  "Termin zur Besprechung.", 30),
        ("patient", "Danke! Passt Ihnen Donnerstag Vormittag?", 26),
    ]),
    ("Jürgen Schäfer", date(1979, 1, 30), None, "030 1234567", []),
    ("Helga Bauer", date(1949, 6, 5), "helga.bauer@example.de", "0341 556677", [
        ("patient", "Guten Morgen, mein Blutzuckermessgerät zeigt seit gestern immer Werte "
                    "über 200 an. Soll ich die Metformin-Dosis ändern?", 20),
        ("staff", "Guten Morgen Frau Bauer, bitte ändern Sie nichts eigenmächtig. Dr. Weber "
                  "ruft Sie heute Mittag zurück.", 19),
    ]),
    ("Thomas Schmidt", date(1983, 9, 17), "t.schmidt@example.de", None, [
        ("patient", "Ich bräuchte eine Überweisung zum Orthopäden wegen meiner Knieschmerzen.",
         8),
    ]),
    ("Lena Krüger", date(2001, 2, 28), "lena.krueger@example.de", "0176 44556677", [
        ("patient", "Hallo, ich bin seit heute krank (Magen-Darm) und bräuchte eine "
                    "Krankschreibung für die Arbeit.", 3),
    ]),
    ("Michael Fischer", date(1972, 12, 9), "m.fischer@example.de", None, [
        ("patient", "Gibt es noch Termine für die Grippeimpfung?", 75),
        ("staff", "Guten Tag Herr Fischer, ja: Dienstag 8:00 bis 10:00 Uhr offene "
                  "Impfsprechstunde, ohne Termin.", 72),
        ("patient", "Perfekt, dann komme ich Dienstag. Danke!", 70),
    ]),
    ("Peter Neumann", date(1960, 4, 21), "p.neumann@example.de", "0221 998877", [
        ("staff", "Guten Tag Herr Neumann, bitte bringen Sie zum Termin am Freitag Ihren "
                  "Impfpass mit.", 100),
    ]),
]


@register_demo_seeder
async def seed_inbox(ctx: ServerContext, session: AsyncSession, practice_id: str) -> None:
    existing = await session.execute(select(func.count()).select_from(Patient))
    if existing.scalar_one() > 0:
        return  # seeded on an earlier start
    now = ctx.clock.now()
    ttl = timedelta(days=ctx.settings.patient_link_ttl_days)
    for name, dob, email, phone, thread in _DEMO:
        start = now - timedelta(hours=(thread[0][2] + 1) if thread else 72)
        patient = await patients.create_patient(
            session, practice_id=practice_id, name=name, dob=dob, email=email, phone=phone,
            now=start, actor_user_id=None)
        if not thread:
            continue
        issued = await conversations.create_conversation(
            session, practice_id=practice_id, patient_id=patient.id, now=start,
            link_ttl=ttl, actor_user_id=None)
        for number, (author, text, hours_ago) in enumerate(thread):
            await conversations.post_message(
                session, issued.conversation, author=author, author_user_id=None, text=text,
                idempotency_key=f"demo-{number}", now=now - timedelta(hours=hours_ago))
