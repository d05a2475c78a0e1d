"""Paints one inbox row: name and time, type badge, status and assignee, preview, unread count.

Painting (not a widget per row) keeps 50,000 conversations as cheap as 50.
"""

from __future__ import annotations

from collections.abc import Callable

from app.inbox.types import InboxRow
from ui.inbox import palette
from ui.inbox.inbox_model import ROW_ROLE
from ui.inbox.texts import list_time, status_label, type_label
from ui.qt import (
    QColor,
    QFont,
    QFontMetrics,
    QModelIndex,
    QPainter,
    QPersistentModelIndex,
    QRect,
    QRectF,
    QSize,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    Qt,
)

ROW_HEIGHT = 84
PAD_X = 16
PAD_Y = 10


def draw_badge(painter: QPainter, font: QFont, left: int, top: int, text: str,
               background: QColor, foreground: QColor) -> int:
    """A rounded label; returns its width so callers can continue to its right."""
    metrics = QFontMetrics(font)
    width = metrics.horizontalAdvance(text) + 14
    height = metrics.height() + 4
    painter.save()
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(background)
    painter.drawRoundedRect(QRectF(left, top, width, height), height / 2, height / 2)
    painter.setPen(foreground)
    painter.setFont(font)
    painter.drawText(QRect(left, top, width, height), Qt.AlignmentFlag.AlignCenter, text)
    painter.restore()
    return width


class InboxDelegate(QStyledItemDelegate):
    def __init__(self, assignee_name: Callable[[str | None], str],
                 parent: object | None = None) -> None:
        super().__init__(parent)  # type: ignore[arg-type]
        self._assignee_name = assignee_name

    def sizeHint(self, option: QStyleOptionViewItem,
                 index: QModelIndex | QPersistentModelIndex) -> QSize:
        return QSize(max(option.rect.width(), 200), ROW_HEIGHT)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        row = index.data(ROW_ROLE)
        rect = QRect(option.rect)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        hovered = bool(option.state & QStyle.StateFlag.State_MouseOver)
        unanswered = isinstance(row, InboxRow) and row.unanswered
        if selected:
            painter.fillRect(rect, palette.SELECTED)
        elif unanswered:
            painter.fillRect(rect, palette.UNANSWERED_BG)
        elif hovered:
            painter.fillRect(rect, palette.HOVER)
        if unanswered:
            painter.fillRect(QRect(rect.left(), rect.top(), 4, rect.height()),
                             palette.UNANSWERED_BAR)
        if selected:
            painter.fillRect(QRect(rect.left(), rect.top(), 4, rect.height()), palette.ACCENT)
        painter.setPen(palette.DIVIDER)
        painter.drawLine(rect.left(), rect.bottom(), rect.right(), rect.bottom())
        if isinstance(row, InboxRow):
            self._paint_row(painter, option, rect, row)
        painter.restore()

    def _paint_row(self, painter: QPainter, option: QStyleOptionViewItem, rect: QRect,
                   row: InboxRow) -> None:
        base = QFont(option.font)
        name_font = QFont(base)
        name_font.setPointSizeF(base.pointSizeF() + 1)
        name_font.setWeight(QFont.Weight.Bold if row.unread_count else QFont.Weight.DemiBold)
        small = QFont(base)
        small.setPointSizeF(max(base.pointSizeF() - 1, 7.5))
        badge_font = QFont(small)
        badge_font.setWeight(QFont.Weight.DemiBold)

        left = rect.left() + PAD_X
        right = rect.right() - PAD_X
        top = rect.top() + PAD_Y

        # Line 1: name, time on the right.
        time_text = list_time(row.last_activity_at)
        small_metrics = QFontMetrics(small)
        time_width = small_metrics.horizontalAdvance(time_text)
        painter.setFont(small)
        painter.setPen(palette.ACCENT if row.unread_count else palette.SECONDARY)
        name_metrics = QFontMetrics(name_font)
        line1 = QRect(left, top, right - left, name_metrics.height())
        painter.drawText(line1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                         time_text)
        painter.setFont(name_font)
        painter.setPen(palette.TEXT)
        name = name_metrics.elidedText(row.patient_name, Qt.TextElideMode.ElideRight,
                                       max(line1.width() - time_width - 12, 20))
        painter.drawText(line1, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         name)

        # Line 2: type badge, status and assignee; unread bubble on the right.
        top2 = line1.bottom() + 5
        x = left
        line_height = small_metrics.height() + 4
        if row.inquiry_type is not None:
            background, foreground = palette.TYPE_COLOURS[row.inquiry_type]
            x += draw_badge(painter, badge_font, x, top2, type_label(row.inquiry_type),
                            background, foreground) + 8
        bubble_width = 0
        if row.unread_count:
            bubble_text = str(row.unread_count) if row.unread_count < 100 else "99+"
            bubble_width = max(line_height, small_metrics.horizontalAdvance(bubble_text) + 12)
            bubble = QRectF(right - bubble_width + 1, top2, bubble_width, line_height)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(palette.UNREAD_BUBBLE)
            painter.drawRoundedRect(bubble, line_height / 2, line_height / 2)
            painter.setPen(palette.PATIENT_BUBBLE)
            painter.setFont(badge_font)
            painter.drawText(bubble, Qt.AlignmentFlag.AlignCenter, bubble_text)
        parts: list[tuple[str, QColor]] = []
        if row.inquiry_status is not None:
            parts.append((status_label(row.inquiry_status),
                          palette.STATUS_COLOURS[row.inquiry_status]))
        if row.inquiry_id is not None:
            parts.append((self._assignee_name(row.assignee_user_id), palette.SECONDARY))
        if row.open_inquiries > 1:
            parts.append((self.tr("%n open", "", row.open_inquiries), palette.SECONDARY))
        painter.setFont(small)
        limit = right - bubble_width - 8
        for number_, (text, colour) in enumerate(parts):
            if number_:
                painter.setPen(palette.MUTED)
                dot = "  ·  "
                painter.drawText(QRect(x, top2, limit - x, line_height),
                                 Qt.AlignmentFlag.AlignVCenter, dot)
                x += small_metrics.horizontalAdvance(dot)
            if x >= limit:
                break
            painter.setPen(colour)
            shown = small_metrics.elidedText(text, Qt.TextElideMode.ElideRight, limit - x)
            painter.drawText(QRect(x, top2, limit - x, line_height),
                             Qt.AlignmentFlag.AlignVCenter, shown)
            x += small_metrics.horizontalAdvance(shown)

        # Line 3: preview, one line, elided; without an inquiry line it moves up.
        top3 = top2 + line_height + 5 if row.inquiry_type is not None or parts else top2 + 2
        base_metrics = QFontMetrics(base)
        preview = " ".join(row.preview.split())
        painter.setFont(base)
        painter.setPen(palette.TEXT if row.unread_count else palette.SECONDARY)
        width = right - left - (bubble_width + 8 if top3 == top2 + 2 else 0)
        painter.drawText(QRect(left, top3, width, base_metrics.height()),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         base_metrics.elidedText(preview, Qt.TextElideMode.ElideRight, width))
