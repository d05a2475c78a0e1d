"""Translated texts for calls: categories, statuses, times, durations, the alert sentences.

The notification and banner sentences name no patient detail on purpose: they appear on
screens others can see.
"""

from __future__ import annotations

from app.calls.types import CallRow, CallStatus
from ui.inbox.texts import clock, fill, list_time, parse_time
from ui.qt import QCoreApplication

translate = QCoreApplication.translate


def category_label(category: str | None) -> str:
    labels = {
        "appointment": translate("CallTexts", "Appointment"),
        "prescription": translate("CallTexts", "Prescription"),
        "referral": translate("CallTexts", "Referral"),
        "sick_note": translate("CallTexts", "Sick note"),
        "results": translate("CallTexts", "Results"),
        "emergency": translate("CallTexts", "Emergency"),
        "other": translate("CallTexts", "Other"),
    }
    return labels.get(category or "", translate("CallTexts", "Other") if category else "")


def reason_label(rule_id: str) -> str:
    """The triage rule that raised urgency (backend_server.assistant.triage.rules), in words;
    an id this client does not know yet is shown as it is."""
    labels = {
        "chest_pain": translate("CallTexts", "chest pain"),
        "cardiac": translate("CallTexts", "heart symptoms"),
        "breathing": translate("CallTexts", "breathing difficulties"),
        "stroke": translate("CallTexts", "signs of a stroke"),
        "unconscious": translate("CallTexts", "unconsciousness"),
        "bleeding": translate("CallTexts", "heavy bleeding"),
        "anaphylaxis": translate("CallTexts", "allergic shock"),
        "poisoning": translate("CallTexts", "poisoning or overdose"),
        "suicidality": translate("CallTexts", "suicidal thoughts"),
        "seizure": translate("CallTexts", "seizure"),
        "meningitis": translate("CallTexts", "signs of meningitis"),
        "acute_abdomen": translate("CallTexts", "acute abdominal pain"),
        "pregnancy": translate("CallTexts", "pregnancy complications"),
        "hypoglycemia": translate("CallTexts", "low blood sugar"),
        "burn": translate("CallTexts", "burns"),
        "severe_injury": translate("CallTexts", "severe injury"),
        "caller_says_emergency": translate("CallTexts", "caller reports an emergency"),
        "infant_fever": translate("CallTexts", "fever in an infant"),
        "high_fever_vulnerable": translate("CallTexts", "high fever in a vulnerable patient"),
        "critical_medication": translate("CallTexts", "critical medication running out"),
    }
    return labels.get(rule_id, rule_id.replace("_", " "))


def status_label(status: CallStatus) -> str:
    return {
        CallStatus.NEW: translate("CallTexts", "New"),
        CallStatus.IN_PROGRESS: translate("CallTexts", "In progress"),
        CallStatus.DONE: translate("CallTexts", "Done"),
    }[status]


def category_cell(row: CallRow, *, spoken: bool = False) -> str:
    """The queue's category column: still being analysed, failed, or the category. The row's
    red shows urgency; ``spoken`` (tooltip, screen readers) says it in words too."""
    if row.processing in ("pending", "processing"):
        return translate("CallTexts", "Being analysed…")
    if row.processing == "failed":
        return translate("CallTexts", "Analysis failed")
    text = category_label(row.category) or translate("CallTexts", "Other")
    return fill(translate("CallTexts", "%1 – urgent"), text) if row.urgent and spoken else text


def caller_cell(row: CallRow) -> str:
    return row.caller.name or row.callback_number or translate("CallTexts", "Unknown caller")


def time_cell(row: CallRow) -> str:
    return list_time(row.started_at)


def full_time(value: str | None) -> str:
    moment = parse_time(value)
    if moment is None:
        return ""
    return f"{moment.strftime('%d.%m.%Y')}, {clock(moment)}"


def duration_text(seconds: float | int | None) -> str:
    if seconds is None:
        return ""
    total = max(0, round(seconds))
    return f"{total // 60}:{total % 60:02d}"


def urgent_banner_text(count: int, category: str | None, started_at: str | None) -> str:
    """The red banner: category and time only (no name, number or birth date)."""
    moment = parse_time(started_at)
    when = clock(moment) if moment is not None else ""
    if count > 1:
        return fill(translate("CallTexts", "Urgent calls: %1 urgent calls are waiting. "
                              "Click to open the newest."), str(count))
    return fill(translate("CallTexts", "Urgent call (%1, %2). Click to open it."),
                category_label(category) or translate("CallTexts", "Other"), when)


def urgent_notification_title() -> str:
    return translate("CallTexts", "Urgent call")


def urgent_notification_text() -> str:
    return translate("CallTexts", "An urgent call has come in. Please check the phone queue.")


def no_audio_message() -> str:
    return translate("CallTexts", "No audio device was found on this computer, so the "
                     "recording cannot be played here. The transcript is shown above.")
