"""The style sheet draws a dialog's default button in bold, but Qt sizes buttons for the
normal font, which clips the last letters ("Speicher"); this widens them to fit."""

from __future__ import annotations

from ui.qt import QFont, QFontMetrics, QPushButton

PADDING = 40  # the style sheet's 16 px each side, plus the border


def fit_bold_text(button: QPushButton) -> None:
    bold = QFont(button.font())
    bold.setWeight(QFont.Weight.DemiBold)
    width = QFontMetrics(bold).horizontalAdvance(button.text()) + PADDING
    button.setMinimumWidth(max(width, button.sizeHint().width()))
