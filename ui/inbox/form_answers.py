"""A submitted form's answers as a readable page ("Show answers" on a form inquiry).

The rows come from the inquiry's details exactly as the server wrote them for the sealed PDF
(German display text): section headings, then question and answer side by side. One label
holds the whole text, so staff can select and copy any part of it.
"""

from __future__ import annotations

import html
from collections.abc import Mapping

from ui.inbox.texts import form_rows, question_answer, short_date
from ui.inbox.texts import parse_time as parse_moment
from ui.qt import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QLabel,
    QScrollArea,
    Qt,
    QVBoxLayout,
    QWidget,
)


def answers_html(details: Mapping[str, object]) -> str:
    """The rows as an HTML table; every value escaped (they are the patient's words)."""
    parts: list[str] = []
    section: str | None = None
    table_open = False
    for heading, label, answer in form_rows(details):
        if heading != section:
            if table_open:
                parts.append("</table>")
            section = heading
            if heading:
                parts.append(f"<h3>{html.escape(heading)}</h3>")
            parts.append('<table cellspacing="0" cellpadding="4" width="100%">')
            table_open = True
        elif not table_open:
            parts.append('<table cellspacing="0" cellpadding="4" width="100%">')
            table_open = True
        answer_html = "<br>".join(html.escape(line) for line in answer.splitlines()) or "–"
        parts.append(f'<tr><td width="45%" valign="top" style="color:#616e7c">'
                     f"{html.escape(label)}</td><td valign=\"top\">{answer_html}</td></tr>")
    if table_open:
        parts.append("</table>")
    return "".join(parts)


def answers_plain(details: Mapping[str, object]) -> str:
    """The same rows as plain text (for tests and accessibility)."""
    lines: list[str] = []
    section: str | None = None
    for heading, label, answer in form_rows(details):
        if heading != section:
            section = heading
            if heading:
                lines.append(heading)
        lines.append(question_answer(label, answer))
    return "\n".join(lines)


class FormAnswersDialog(QDialog):
    """Non-modal view of one form's answers; opened with ``open()``/``show()``."""

    def __init__(self, details: Mapping[str, object], patient_name: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("formAnswersDialog")
        self.details = dict(details)
        title = str(details.get("title") or "")
        self.setWindowTitle(self.tr("Answers: %1").replace("%1", title))
        self.heading = QLabel()
        self.heading.setObjectName("formAnswersTitle")
        self.heading.setWordWrap(True)
        self.subtitle = QLabel()
        self.subtitle.setObjectName("secondaryText")
        self.subtitle.setWordWrap(True)
        signed = parse_moment(str(details.get("signed_at") or ""))
        facts = [patient_name] if patient_name else []
        if signed is not None:
            facts.append(self.tr("signed on %1 at %2").replace(
                "%1", short_date(signed.date())).replace("%2", signed.strftime("%H:%M")))
        self.heading.setText(title)
        self.subtitle.setText("  ·  ".join(facts))

        self.answers = QLabel()
        self.answers.setObjectName("formAnswers")
        self.answers.setTextFormat(Qt.TextFormat.RichText)
        self.answers.setWordWrap(True)
        self.answers.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.answers.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        rows = answers_html(details)
        self.answers.setText(rows or html.escape(self.tr("This form has no answers.")))
        self.answers.setContentsMargins(12, 8, 12, 12)
        scroll = QScrollArea()
        scroll.setObjectName("formAnswersScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.answers)

        buttons = QDialogButtonBox()
        self.close_button = buttons.addButton(self.tr("Close"),
                                              QDialogButtonBox.ButtonRole.RejectRole)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.subtitle)
        layout.addWidget(scroll, 1)
        layout.addWidget(buttons)
        self.resize(640, 620)

    def plain_text(self) -> str:
        return answers_plain(self.details)
