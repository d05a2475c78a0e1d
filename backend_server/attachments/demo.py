"""Demo files in the demo practice's conversations: a lab report the practice sent, and a
photo a patient sent (invented people, generated files)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

import backend_server.conversations.demo
import backend_server.inquiries.demo  # noqa: F401  (reads marked there predate these files)
from backend_server.attachments import samples, service
from backend_server.attachments.repository import AttachmentRepository, DemoRepository
from backend_server.context import ServerContext
from backend_server.demo import register_demo_seeder

_LAB_LINES = [
    "Material: Serum, EDTA-Blut          Eingang: vor 2 Tagen",
    "",
    "Hämoglobin              13,9 g/dl        (12,0 - 16,0)",
    "Leukozyten               6,8 /nl         (3,9 - 10,5)",
    "Thrombozyten             241 /nl         (150 - 370)",
    "TSH basal               2,10 mU/l        (0,27 - 4,20)",
    "Ferritin                  18 µg/l        (15 - 150)",
    "HbA1c                    5,4 %           (< 5,7)",
    "",
    "Beurteilung: Ferritin grenzwertig niedrig, sonst unauffällig.",
    "Besprechung in der Sprechstunde empfohlen.",
]

# (patient, author, text, file name, hours before now). Each is the newest message of its
# conversation, so the conversation's activity time and unread count stay right.
_FILES = [
    ("Aylin Öztürk", "staff", "Donnerstag um 9:30 Uhr passt gut. Ihren Laborbefund finden Sie "
                              "anbei zum Nachlesen.", "Laborbefund.pdf", 25),
    ("Sabine Müller", "patient", "Eine Sache noch: Seit ein paar Tagen habe ich diesen "
                                 "Ausschlag am Unterarm. Kann das vom Ramipril kommen? "
                                 "Foto anbei.", "Hautausschlag.png", 45),
]


@register_demo_seeder
async def seed_attachments(ctx: ServerContext, session: AsyncSession, practice_id: str) -> None:
    if await AttachmentRepository(session).count() > 0:
        return  # seeded on an earlier start
    now = ctx.clock.now()
    lookup = DemoRepository(session)
    for patient_name, author, text, filename, hours_ago in _FILES:
        conversation = await lookup.conversation_of_patient(patient_name)
        if conversation is None:
            continue
        data = (samples.lab_report_pdf(patient_name, _LAB_LINES)
                if filename.endswith(".pdf") else samples.rash_photo_png())
        await service.add_file_message(
            session, ctx, conversation, author=author, author_user_id=None,
            idempotency_key=f"demo-file-{filename}", filename=filename, data=data, text=text,
            now=now - timedelta(hours=hours_ago))
