"""Human-readable, translated texts for inbox data: types, statuses, details, times, sizes.

Everything goes through ``QCoreApplication.translate`` with the context "InboxTexts", so the
German catalogue carries the words staff read all day.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache

from app.inbox.types import InquiryStatus, InquiryType, SealStatus
from ui.qt import QCoreApplication, QLocale

# lupdate finds ``translate("Context", "text")`` calls; the context must be a literal.
translate = QCoreApplication.translate


def fill(template: str, *values: str) -> str:
    """Qt-style ``%1``, ``%2`` placeholders (translators may reorder them)."""
    for number_, value in enumerate(values, start=1):
        template = template.replace(f"%{number_}", value)
    return template


def type_label(kind: InquiryType | None) -> str:
    labels = {
        InquiryType.APPOINTMENT: translate("InboxTexts", "Appointment"),
        InquiryType.PRESCRIPTION: translate("InboxTexts", "Prescription"),
        InquiryType.REFERRAL: translate("InboxTexts", "Referral"),
        InquiryType.SICK_NOTE: translate("InboxTexts", "Sick note"),
        InquiryType.RESULTS: translate("InboxTexts", "Results"),
        InquiryType.OTHER: translate("InboxTexts", "Other request"),
        InquiryType.FORM: translate("InboxTexts", "Form completed"),
    }
    return labels.get(kind, "") if kind is not None else ""


def status_label(status: InquiryStatus | None) -> str:
    labels = {
        InquiryStatus.NEW: translate("InboxTexts", "New"),
        InquiryStatus.IN_PROGRESS: translate("InboxTexts", "In progress"),
        InquiryStatus.DONE: translate("InboxTexts", "Done"),
    }
    return labels.get(status, "") if status is not None else ""


def parse_time(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone()


def now() -> datetime:
    """The current moment (UTC), read here so tests pinning this module's clock cover it."""
    return datetime.now(UTC)


def _locale() -> QLocale:
    return QLocale()


def clock(moment: datetime) -> str:
    return moment.strftime("%H:%M")


def short_date(day: date) -> str:
    if _locale().language() == QLocale.Language.German:
        return day.strftime("%d.%m.%Y")
    return day.strftime("%d/%m/%Y")


def list_time(value: str | None, now: datetime | None = None) -> str:
    """Inbox column: the time today, "Yesterday", the weekday this week, else the date."""
    moment = parse_time(value)
    if moment is None:
        return ""
    today = (now or datetime.now().astimezone()).date()
    day = moment.date()
    if day == today:
        return clock(moment)
    if day == today - timedelta(days=1):
        return translate("InboxTexts", "Yesterday")
    if today - timedelta(days=6) <= day < today:
        return weekday(day)
    return short_date(day)


def day_label(moment: datetime, now: datetime | None = None) -> str:
    """Separator between days in a conversation: "Today", "Yesterday", else the date."""
    today = (now or datetime.now().astimezone()).date()
    if moment.date() == today:
        return translate("InboxTexts", "Today")
    if moment.date() == today - timedelta(days=1):
        return translate("InboxTexts", "Yesterday")
    return f"{weekday(moment.date())}, {short_date(moment.date())}"


def weekday(day: date) -> str:
    names = (translate("InboxTexts", "Mon"), translate("InboxTexts", "Tue"),
             translate("InboxTexts", "Wed"), translate("InboxTexts", "Thu"),
             translate("InboxTexts", "Fri"), translate("InboxTexts", "Sat"),
             translate("InboxTexts", "Sun"))
    return names[day.weekday()]


def thread_time(value: str | None) -> str:
    """Under a bubble: the time; the day stands on the separator above."""
    moment = parse_time(value)
    return clock(moment) if moment is not None else ""


def iso_day(value: object) -> str:
    """A ``YYYY-MM-DD`` day shown in the local way; anything else is shown as it is."""
    try:
        return short_date(date.fromisoformat(str(value)))
    except ValueError:
        return str(value)


def _window(value: object) -> str:
    if not isinstance(value, Mapping):
        return str(value)
    start = parse_time(str(value.get("start", "")))
    end = parse_time(str(value.get("end", "")))
    if start is None or end is None:
        return ""
    if start.date() == end.date():
        return f"{weekday(start.date())} {short_date(start.date())}, {clock(start)}–{clock(end)}"
    return f"{short_date(start.date())} {clock(start)} – {short_date(end.date())} {clock(end)}"


def detail_lines(kind: InquiryType | None, details: Mapping[str, object]) -> list[str]:
    """The structured part of an inquiry as "Label: value" lines, in the UI language."""
    lines: list[str] = []
    if kind == InquiryType.APPOINTMENT:
        if details.get("reason"):
            lines.append(fill(translate("InboxTexts", "Reason: %1"), str(details["reason"])))
        windows = details.get("preferred_windows")
        if isinstance(windows, list) and windows:
            shown = [w for w in (_window(w) for w in windows) if w]
            if shown:
                lines.append(fill(translate("InboxTexts", "Preferred times: %1"),
                                  "; ".join(shown)))
    elif kind == InquiryType.PRESCRIPTION:
        medications = details.get("medications")
        if isinstance(medications, list) and medications:
            lines.append(fill(translate("InboxTexts", "Medication: %1"),
                              ", ".join(str(m) for m in medications)))
    elif kind == InquiryType.REFERRAL:
        if details.get("specialty"):
            lines.append(fill(translate("InboxTexts", "Specialty: %1"),
                              str(details["specialty"])))
    elif kind == InquiryType.SICK_NOTE:
        if details.get("from") and details.get("to"):
            lines.append(fill(translate("InboxTexts", "Period: %1 to %2"),
                              iso_day(details["from"]), iso_day(details["to"])))
    elif kind == InquiryType.RESULTS and details.get("subject"):
        lines.append(fill(translate("InboxTexts", "Subject: %1"), str(details["subject"])))
    elif kind == InquiryType.FORM:
        if details.get("title"):
            lines.append(fill(translate("InboxTexts", "Form: %1"), str(details["title"])))
        rows = form_rows(details)
        # The first answers on the card; all of them in "Show answers".
        for row in rows[:FORM_CARD_ROWS]:
            lines.append(question_answer(row[1], row[2]))
        if len(rows) > FORM_CARD_ROWS:
            lines.append(translate("InboxTexts", "… and %n more answer(s)", None,
                                   len(rows) - FORM_CARD_ROWS))
    return lines


FORM_CARD_ROWS = 3


def question_answer(label: str, answer: str) -> str:
    """"Gewicht (kg): 68", but "Rauchen Sie? Nein" (no colon after a question mark)."""
    label = label.strip()
    return f"{label} {answer}" if label.endswith(("?", ":")) else f"{label}: {answer}"


def form_rows(details: Mapping[str, object]) -> list[tuple[str, str, str]]:
    """A form inquiry's answers as (section, label, answer), in the form's order. The
    server wrote them as display text (German, like the PDF)."""
    rows = details.get("rows")
    out: list[tuple[str, str, str]] = []
    for row in rows if isinstance(rows, list) else []:
        if isinstance(row, Mapping):
            out.append((str(row.get("section") or ""), str(row.get("label") or ""),
                        str(row.get("answer") or "")))
    return out


def day_month(value: object) -> str:
    """A ``YYYY-MM-DD`` day without the year: "25.11." in German, "25/11" in English."""
    try:
        day = date.fromisoformat(str(value))
    except ValueError:
        return str(value)
    if _locale().language() == QLocale.Language.German:
        return day.strftime("%d.%m.")
    return day.strftime("%d/%m")


def short_detail(kind: InquiryType | None, details: Mapping[str, object], text: str) -> str:
    """One line that tells two inquiries of a conversation apart ("25.11.–30.11.")."""
    detail = ""
    if kind == InquiryType.SICK_NOTE and details.get("from") and details.get("to"):
        detail = f"{day_month(details['from'])}–{day_month(details['to'])}"
    elif kind == InquiryType.APPOINTMENT:
        detail = str(details.get("reason") or "")
    elif kind == InquiryType.PRESCRIPTION:
        medications = details.get("medications")
        if isinstance(medications, list):
            detail = ", ".join(str(m) for m in medications)
    elif kind == InquiryType.REFERRAL:
        detail = str(details.get("specialty") or "")
    elif kind == InquiryType.RESULTS:
        detail = str(details.get("subject") or "")
    elif kind == InquiryType.FORM:
        detail = str(details.get("title") or "")
    # Without structured details the patient's own words say what it is about.
    return " ".join((detail or text).split())


def inquiry_title(kind: InquiryType | None, details: Mapping[str, object], text: str) -> str:
    """Type and short detail: "Sick note · 25.11.–30.11."."""
    detail = short_detail(kind, details, text)
    label = type_label(kind)
    return f"{label} · {detail}" if detail and label else (label or detail)


EXPIRY_MARK_DAYS = 7


@lru_cache(maxsize=4096)
def _expiry_day(value: str) -> date | None:
    moment = parse_time(value)
    return moment.date() if moment is not None else None


def expiry_days(expires_at: str | None, current: datetime | None = None) -> int | None:
    """Whole days (local calendar) until the retention purge removes a conversation, when
    that is within 7 days; 0 also when the moment has passed and the purge has not run yet.
    None otherwise. Cheap enough to call per painted row."""
    if not expires_at:
        return None
    day = _expiry_day(expires_at)
    if day is None:
        return None
    today = (current or now()).astimezone().date()
    days = (day - today).days
    return max(days, 0) if days <= EXPIRY_MARK_DAYS else None


def expiry_text(expires_at: str | None, current: datetime | None = None) -> str | None:
    """"wird heute/morgen/in 5 Tagen gelöscht", or None when not due within 7 days."""
    days = expiry_days(expires_at, current)
    if days is None:
        return None
    if days == 0:
        return translate("InboxTexts", "Will be deleted today")
    if days == 1:
        return translate("InboxTexts", "Will be deleted tomorrow")
    return translate("InboxTexts", "Will be deleted in %n day(s)", None, days)


def file_size(size: int) -> str:
    locale = _locale()
    if size < 1024:
        return fill(translate("InboxTexts", "%1 bytes"), locale.toString(size))
    if size < 1024 * 1024:
        return fill(translate("InboxTexts", "%1 KB"), locale.toString(size / 1024, "f", 0))
    return fill(translate("InboxTexts", "%1 MB"),
                locale.toString(size / (1024 * 1024), "f", 1))


def number(value: int) -> str:
    """Grouped the local way: 1.234 in German, 1,234 in English."""
    return _locale().toString(value)


def sync_progress_text(done: int, total: int) -> str:
    if total <= 0:
        return fill(translate("InboxTexts", "%1 messages synchronised"), number(done))
    return fill(translate("InboxTexts", "%1 of %2 messages synchronised"), number(done),
                number(total))


def new_inquiry_notification() -> str:
    # Deliberately nothing about the patient: the notification may be seen by anyone
    # standing at the reception desk or appear on a locked screen.
    return translate("InboxTexts", "New request")


def form_request_text(title: str, status: str | None) -> str:
    """A form request's line in the thread: sent, completed or withdrawn."""
    if status == "submitted":
        return fill(translate("InboxTexts", "Form “%1” completed"), title)
    if status == "cancelled":
        return fill(translate("InboxTexts", "Form “%1” withdrawn"), title)
    return fill(translate("InboxTexts", "Form “%1” sent"), title)


def seal_text(seal: SealStatus | None) -> tuple[str, bool] | None:
    """(sentence, valid) for a form PDF's seal; None while unknown or not a form PDF."""
    if seal is None or not seal.sealed:
        return None
    if seal.ok:
        return translate("InboxTexts", "Seal valid"), True
    if seal.intact is False:
        return translate("InboxTexts", "Seal broken – the document was changed"), False
    # Unchanged, but not sealed with this practice's certificate.
    return translate("InboxTexts", "Seal not from this practice"), False
