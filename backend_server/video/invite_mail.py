"""The video invitation (e-mail and the staff message in the conversation): German first,
the link, the code, date and time in Europe/Berlin and the terms of use. Never the
patient's name or anything about the reason for the appointment."""

from __future__ import annotations

from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from zoneinfo import ZoneInfo

BERLIN = ZoneInfo("Europe/Berlin")
PAGE_PATH = "/v/"
TERMS_PATH = "/v/terms"

_MESSAGE = (
    "Einladung zur Videosprechstunde am {date} um {time} Uhr.\n"
    "Link: {link}\n"
    "Oder unter {join} den Zugangscode {code} eingeben.\n"
    "Der Zugang ist ab 30 Minuten vor dem Termin bis 2 Stunden danach möglich. "
    "Sie brauchen eine Kamera, ein Mikrofon und einen aktuellen Browser (Chrome, Firefox, "
    "Edge oder Safari).\n"
    "Nutzungsbedingungen: {terms}"
)

_BODY = """Guten Tag,

{practice} lädt Sie zur Videosprechstunde ein:

am {date} um {time} Uhr

Bitte öffnen Sie kurz vorher diesen persönlichen Link:

{link}

Oder öffnen Sie {join} und geben Sie den Zugangscode {code} ein.
Der Zugang ist ab 30 Minuten vor dem Termin bis 2 Stunden danach möglich.
Bitte leiten Sie Link und Code nicht weiter.
Nutzungsbedingungen: {terms}

----------------------------------------------------------------------

Hello,

{practice} invites you to a video consultation on {date_en} at {time} (German time).
Open this personal link shortly before: {link}
or open {join} and enter the code {code}.

--
Diese E-Mail wurde automatisch versandt; Antworten darauf werden nicht gelesen.
This e-mail was sent automatically; replies to it are not read.
"""


def format_code(code: str) -> str:
    return f"{code[0:3]}-{code[3:6]}-{code[6:9]}"


def video_link(base_url: str, token: str) -> str:
    return base_url.rstrip("/") + PAGE_PATH + token


def _parts(base_url: str, token: str, code: str, scheduled_at: datetime) -> dict[str, str]:
    local = scheduled_at.astimezone(BERLIN)
    base = base_url.rstrip("/")
    return {"date": local.strftime("%d.%m.%Y"), "date_en": local.strftime("%Y-%m-%d"),
            "time": local.strftime("%H:%M"), "link": video_link(base, token),
            "join": base + "/v", "code": format_code(code), "terms": base + TERMS_PATH}


def staff_message(base_url: str, token: str, code: str, scheduled_at: datetime) -> str:
    return _MESSAGE.format(**_parts(base_url, token, code, scheduled_at))


def _one_line(text: str) -> str:
    return " ".join(text.split())


def compose_invite(*, practice_name: str, base_url: str, token: str, code: str,
                   scheduled_at: datetime, sender: str, recipient: str,
                   now: datetime) -> EmailMessage:
    practice = _one_line(practice_name)
    message = EmailMessage()
    message["Subject"] = f"Videosprechstunde bei {practice}"
    message["From"] = sender
    message["To"] = recipient
    message["Date"] = format_datetime(now)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(_BODY.format(practice=practice,
                                     **_parts(base_url, token, code, scheduled_at)))
    return message
