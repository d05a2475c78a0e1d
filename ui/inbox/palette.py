"""Colours the delegates paint with (the style sheet cannot reach painted items)."""

from __future__ import annotations

from app.inbox.types import InquiryStatus, InquiryType
from ui.qt import QColor

TEXT = QColor("#1f2933")
SECONDARY = QColor("#616e7c")
MUTED = QColor("#8a96a3")
DIVIDER = QColor("#e6eaef")
SELECTED = QColor("#dce8f7")
HOVER = QColor("#f2f5f8")
ACCENT = QColor("#2f6fbf")
UNANSWERED_BG = QColor("#fff7e8")
UNANSWERED_BAR = QColor("#e08a00")
UNREAD_BUBBLE = QColor("#2f6fbf")
ERROR = QColor("#b42318")
SUCCESS = QColor("#1e7b45")
# "wird in 5 Tagen gelöscht": the retention purge is near.
EXPIRY = QColor("#a5380c")

PATIENT_BUBBLE = QColor("#ffffff")
PATIENT_BORDER = QColor("#dde2e8")
STAFF_BUBBLE = QColor("#e3eefb")
STAFF_BORDER = QColor("#c6d9f1")
NOTE_BUBBLE = QColor("#fff4d6")
NOTE_BORDER = QColor("#e9c46a")
NOTE_TEXT = QColor("#7a5a00")
FAILED_BUBBLE = QColor("#fdecec")
FAILED_BORDER = QColor("#f1b5b5")
CARD_BG = QColor("#ffffff")
CARD_BORDER = QColor("#cfd8e3")
SELECTION_RING = QColor("#2f6fbf")
# The inquiry the header's controls act on: tinted, with an accent ring.
CHOSEN_CARD_BG = QColor("#eef5fd")
CHOSEN_CARD_BORDER = QColor("#2f6fbf")
# A form request's line in the thread ("Formular „…“ gesendet").
FORM_LINE_BG = QColor("#f6f3e6")
FORM_LINE_BORDER = QColor("#e2d9b3")
# The seal of a form PDF: intact and the practice's, or not.
SEAL_OK = QColor("#1e7b45")
SEAL_BROKEN = QColor("#b42318")
# "2 offen" in the inbox list.
OPEN_PILL = QColor("#e9edf2")

# (background, text) per inquiry type: distinguishable at a glance, calm enough for all day.
TYPE_COLOURS: dict[InquiryType, tuple[QColor, QColor]] = {
    InquiryType.APPOINTMENT: (QColor("#e0ecfb"), QColor("#1d4f91")),
    InquiryType.PRESCRIPTION: (QColor("#def3e6"), QColor("#1e6b3d")),
    InquiryType.REFERRAL: (QColor("#ece4f8"), QColor("#5b3a8c")),
    InquiryType.SICK_NOTE: (QColor("#fde9d7"), QColor("#9a4a07")),
    InquiryType.RESULTS: (QColor("#dcf1f1"), QColor("#18656a")),
    InquiryType.OTHER: (QColor("#eceff3"), QColor("#3e4c59")),
    InquiryType.FORM: (QColor("#f4eed3"), QColor("#6d5808")),
}

STATUS_COLOURS: dict[InquiryStatus, QColor] = {
    InquiryStatus.NEW: QColor("#b45309"),
    InquiryStatus.IN_PROGRESS: QColor("#1d4f91"),
    InquiryStatus.DONE: QColor("#1e7b45"),
}
