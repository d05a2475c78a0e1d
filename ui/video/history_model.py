"""A patient's past video calls (metadata only): date, duration, quality."""

from __future__ import annotations

from typing import Any

from app.video.appointments import VideoCallInfo
from ui.qt import QAbstractTableModel, QCoreApplication, QModelIndex, QPersistentModelIndex, Qt

ModelIndex = QModelIndex | QPersistentModelIndex


def duration_text(seconds: int | None) -> str:
    if seconds is None:
        return "–"
    minutes, rest = divmod(int(seconds), 60)
    return f"{minutes}:{rest:02d} min"


def quality_text(quality: dict[str, Any]) -> str:
    """Short and numeric: what a physician needs to judge a complaint about a bad line."""
    parts = []
    rtt = quality.get("rtt_ms_median")
    loss = quality.get("loss_pct_max")
    kbps = quality.get("bitrate_kbps_median")
    if isinstance(rtt, int | float):
        parts.append(QCoreApplication.translate("VideoHistory", "RTT %1 ms").replace(
            "%1", f"{rtt:.0f}"))
    if isinstance(loss, int | float):
        parts.append(QCoreApplication.translate("VideoHistory", "loss %1 %").replace(
            "%1", f"{loss:.1f}"))
    if isinstance(kbps, int | float):
        parts.append(f"{kbps:.0f} kbit/s")
    return ", ".join(parts) if parts else QCoreApplication.translate("VideoHistory", "not measured")


class VideoHistoryModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self._rows: list[VideoCallInfo] = []

    def set_calls(self, calls: list[VideoCallInfo]) -> None:
        self.beginResetModel()
        self._rows = list(calls)
        self.endResetModel()

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 3

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        titles = (QCoreApplication.translate("VideoHistory", "Date"),
                  QCoreApplication.translate("VideoHistory", "Duration"),
                  QCoreApplication.translate("VideoHistory", "Quality"))
        return titles[section] if 0 <= section < 3 else None

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        call = self._rows[index.row()]
        if index.column() == 0:
            return call.started_at.astimezone().strftime("%d.%m.%Y %H:%M")
        if index.column() == 1:
            return duration_text(call.duration_seconds)
        return quality_text(call.quality)
