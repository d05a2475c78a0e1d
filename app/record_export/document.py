"""What an export holds, independent of where it came from.

A conversation becomes a :class:`RecordDocument`; a phone call (issue 5) will become one too,
through its own builder, and the PDF and GDT writers take it unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

# Records are read in the practice's time zone; German practices only, for now.
PRACTICE_TZ = ZoneInfo("Europe/Berlin")


@dataclass(frozen=True)
class RecordPatient:
    id: str  # the Praxisdesk patient id (UUID)
    name: str  # as entered, "Vorname Nachname" or "Nachname, Vorname"
    dob: date | None


@dataclass(frozen=True)
class RecordEntry:
    """One line of the history: a message, an inquiry, a note (later: a call)."""

    at: datetime  # aware
    kind: str  # shown as is, e.g. "Nachricht", "Anfrage: Rezept", "Interne Notiz"
    author: str  # shown as is, e.g. the patient's name or "Dr. Anna Weber (Praxis)"
    text: str
    attachments: tuple[str, ...] = ()  # file names only, the files are not part of it


@dataclass(frozen=True)
class RecordDocument:
    title: str  # "Patientenkommunikation"
    source_id: str  # the conversation id (later: a call id)
    practice_name: str
    patient: RecordPatient
    exported_at: datetime  # aware
    exported_by: str
    entries: tuple[RecordEntry, ...] = field(default_factory=tuple)


def local(moment: datetime) -> datetime:
    return moment.astimezone(PRACTICE_TZ)


def parse_utc(value: str) -> datetime:
    """The cache's UTC ISO 8601 text (``...Z`` or ``+00:00``) as an aware datetime."""
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo("UTC"))
    return moment


def split_name(name: str) -> tuple[str, str]:
    """(Nachname, Vorname) from one name field: "Nachname, Vorname" when there is a comma,
    else the last word is the surname ("Anna Maria Müller" -> ("Müller", "Anna Maria"))."""
    name = " ".join(name.split())
    if "," in name:
        last, _, first = name.partition(",")
        return last.strip(), first.strip()
    first, _, last = name.rpartition(" ")
    return (last, first) if last else (first, "")
