"""Status-bar label showing whether the client is online, connecting, offline or needs login."""

from __future__ import annotations

from enum import Enum

from ui.qt import QEvent, QLabel, QWidget

# Keyed by the enum member's name so the widget does not depend on the core's enum class.
STATE_NAMES = ("ONLINE", "CONNECTING", "OFFLINE", "AUTH_REQUIRED")


class ConnectionIndicator(QLabel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("connectionIndicator")
        self.state_name = "OFFLINE"
        self.retranslate()

    def set_state(self, state: Enum | str) -> None:
        name = state.name if isinstance(state, Enum) else str(state)
        self.state_name = name if name in STATE_NAMES else "OFFLINE"
        # The style sheet colours the dot by this property.
        self.setProperty("state", self.state_name.lower())
        self.style().unpolish(self)
        self.style().polish(self)
        self.retranslate()

    def retranslate(self) -> None:
        texts = {
            "ONLINE": self.tr("Online"),
            "CONNECTING": self.tr("Connecting…"),
            "OFFLINE": self.tr("Offline – working with local data"),
            "AUTH_REQUIRED": self.tr("Sign-in required"),
        }
        self.setText("●  " + texts[self.state_name])
        self.setToolTip(self.tr("Connection to the practice server"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
