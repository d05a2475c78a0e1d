"""The notification e-mail: German, then English, plain text, the link and nothing else.

Never put message text, inquiry details or the patient's name in here: e-mail travels and
is stored outside the practice's control.
"""

from __future__ import annotations

from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

_BODY = """Guten Tag,

Sie haben eine neue Nachricht von {practice}.
Bitte öffnen Sie sie über diesen persönlichen Link:

{link}

Der Link ist bis zum {valid_de} gültig. Bitte leiten Sie ihn nicht weiter.

----------------------------------------------------------------------

Hello,

you have a new message from {practice}.
Please open it with this personal link:

{link}

The link is valid until {valid_en}. Please do not forward it.

--
Diese E-Mail wurde automatisch versandt; Antworten darauf werden nicht gelesen.
This e-mail was sent automatically; replies to it are not read.
"""


def _one_line(text: str) -> str:
    # A practice name with a line break must not be able to add mail headers.
    return " ".join(text.split())


def subject_for(practice_name: str) -> str:
    return f"Neue Nachricht von {_one_line(practice_name)}"


def compose(*, practice_name: str, link: str, valid_until: datetime, sender: str,
            recipient: str, now: datetime) -> EmailMessage:
    practice = _one_line(practice_name)
    message = EmailMessage()
    message["Subject"] = subject_for(practice)
    message["From"] = sender
    message["To"] = recipient
    message["Date"] = format_datetime(now)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(_BODY.format(
        practice=practice, link=link, valid_de=valid_until.strftime("%d.%m.%Y"),
        valid_en=valid_until.strftime("%Y-%m-%d")))
    return message
