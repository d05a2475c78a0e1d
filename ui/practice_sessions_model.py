"""Table model of every signed-in device of the practice (admin view): the devices table of
:class:`SessionsModel` with the user in front."""

from __future__ import annotations

from typing import Any, Protocol

from ui.qt import QCoreApplication, Qt
from ui.sessions_model import Index, SessionLike, SessionsModel

# lupdate only finds literal ``translate("Context", "text")`` calls.
translate = QCoreApplication.translate


class PracticeSessionLike(SessionLike, Protocol):
    @property
    def user_email(self) -> str: ...

    @property
    def user_display_name(self) -> str: ...


class PracticeSessionsModel(SessionsModel):
    USER, DEVICE, SIGNED_IN, LAST_ACTIVE = range(4)
    COLUMN_COUNT = 4

    def session_at(self, row: int) -> PracticeSessionLike | None:
        session: PracticeSessionLike | None = super().session_at(row)  # type: ignore[assignment]
        return session

    @staticmethod
    def _order(session: Any) -> tuple[Any, ...]:
        # By person, each person's most recently used device first.
        return ((session.user_display_name or session.user_email).casefold(),
                -session.last_used_at.timestamp())

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (index.isValid() and index.column() == self.USER
                and role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole)
                and (session := self.session_at(index.row())) is not None):
            name = session.user_display_name or session.user_email
            if role == Qt.ItemDataRole.ToolTipRole and session.user_email:
                return f"{name} <{session.user_email}>"
            return name
        return super().data(index, role)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (section == self.USER and role == Qt.ItemDataRole.DisplayRole
                and orientation == Qt.Orientation.Horizontal):
            return translate("PracticeSessionsModel", "User")
        return super().headerData(section, orientation, role)
