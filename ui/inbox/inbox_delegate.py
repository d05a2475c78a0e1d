"""Paints one inbox row: name and time, type badge, status and assignee, preview, unread count.

Painting (not a widget per row) keeps 50,000 conversations as cheap as 50.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from app.inbox.types import InboxRow
from ui.inbox import palette
from ui.inbox.inbox_model import ROW_ROLE
from ui.inbox.texts import expiry_text, list_time, status_label, type_label
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
    QWidget,
)

PAD_X = 16
PAD_Y = 10
LINE_GAP = 5


@dataclass
class Piece:
    """One thing painted in a row: where, what (as shown, possibly elided) and how."""

    # "name" | "time" | "expiry" | "type" | "status" | "assignee" | "open" | "unread" | "preview"
    kind: str
    rect: QRect
    text: str  # as painted
    full: str  # before eliding
    font: QFont
    colour: QColor
    background: QColor | None = None  # a pill behind the text


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

    @staticmethod
    def _fonts(option: QStyleOptionViewItem) -> tuple[QFont, QFont, QFont, QFont]:
        base = QFont(option.font)
        name_font = QFont(base)
        name_font.setPointSizeF(base.pointSizeF() + 1)
        small = QFont(base)
        small.setPointSizeF(max(base.pointSizeF() - 1, 7.5))
        badge_font = QFont(small)
        badge_font.setWeight(QFont.Weight.DemiBold)
        return base, name_font, small, badge_font

    def row_height(self, option: QStyleOptionViewItem) -> int:
        base, name_font, small, _badge = self._fonts(option)
        # Name, badge line (type, status, open count), assignee, preview.
        line = QFontMetrics(small).height() + 4
        return (2 * PAD_Y + QFontMetrics(name_font).height() + LINE_GAP + line + 3 + line
                + LINE_GAP - 2 + QFontMetrics(base).height())

    def sizeHint(self, option: QStyleOptionViewItem,
                 index: QModelIndex | QPersistentModelIndex) -> QSize:
        return QSize(max(option.rect.width(), 200), self.row_height(option))

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
            for piece in self.layout_row(option, rect, row):
                self._paint_piece(painter, piece)
        painter.restore()

    def pieces(self, index: QModelIndex | QPersistentModelIndex, width: int) -> list[Piece]:
        """What ``paint`` draws for a row at a width (for accessibility and tests)."""
        row = index.data(ROW_ROLE)
        if not isinstance(row, InboxRow):
            return []
        option = QStyleOptionViewItem()
        view = self.parent()
        if isinstance(view, QWidget):
            option.initFrom(view)
            option.font = QFont(view.font())  # the list's font, as when painting
        self.initStyleOption(option, index)
        return self.layout_row(option, QRect(0, 0, width, self.row_height(option)), row)

    @staticmethod
    def _paint_piece(painter: QPainter, piece: Piece) -> None:
        painter.setFont(piece.font)
        if piece.background is not None:
            height = piece.rect.height()
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(piece.background)
            painter.drawRoundedRect(QRectF(piece.rect), height / 2, height / 2)
            painter.setPen(piece.colour)
            painter.drawText(piece.rect, Qt.AlignmentFlag.AlignCenter, piece.text)
            return
        painter.setPen(piece.colour)
        align = (Qt.AlignmentFlag.AlignRight if piece.kind in ("time", "expiry")
                 else Qt.AlignmentFlag.AlignLeft)
        painter.drawText(piece.rect, align | Qt.AlignmentFlag.AlignVCenter, piece.text)

    def layout_row(self, option: QStyleOptionViewItem, rect: QRect,
                   row: InboxRow) -> list[Piece]:
        """Where everything of a row goes. The facts a receptionist sorts by (type, status,
        assignee, how many requests are open) get their own lines, so in the default window
        (a list about 330 px wide) none of them is cut; only a long name or preview is."""
        base, name_font, small, badge_font = self._fonts(option)
        if row.unread_count:
            name_font.setWeight(QFont.Weight.Bold)
        else:
            name_font.setWeight(QFont.Weight.DemiBold)
        pieces: list[Piece] = []
        left = rect.left() + PAD_X
        right = rect.right() - PAD_X
        top = rect.top() + PAD_Y
        small_metrics = QFontMetrics(small)
        badge_metrics = QFontMetrics(badge_font)
        name_metrics = QFontMetrics(name_font)
        base_metrics = QFontMetrics(base)

        # Line 1: name, time on the right.
        time_text = list_time(row.last_activity_at)
        time_width = small_metrics.horizontalAdvance(time_text)
        line1 = QRect(left, top, right - left, name_metrics.height())
        pieces.append(Piece("time", QRect(right - time_width - 1, top, time_width + 2,
                                          line1.height()), time_text, time_text, small,
                            palette.ACCENT if row.unread_count else palette.SECONDARY))
        name_width = max(line1.width() - time_width - 12, 20)
        pieces.append(Piece("name", QRect(left, top, name_width, line1.height()),
                            name_metrics.elidedText(row.patient_name,
                                                    Qt.TextElideMode.ElideRight, name_width),
                            row.patient_name, name_font, palette.TEXT))

        # Line 2: type badge and status; unread bubble on the right.
        top2 = line1.bottom() + 1 + LINE_GAP
        line_height = small_metrics.height() + 4
        x = left
        limit = right
        if row.unread_count:
            text = str(row.unread_count) if row.unread_count < 100 else "99+"
            width = max(line_height, badge_metrics.horizontalAdvance(text) + 12)
            pieces.append(Piece("unread", QRect(right - width + 1, top2, width, line_height),
                                text, text, badge_font, palette.PATIENT_BUBBLE,
                                palette.UNREAD_BUBBLE))
            limit = right - width - 8
        if row.inquiry_type is not None:
            background, foreground = palette.TYPE_COLOURS[row.inquiry_type]
            text = type_label(row.inquiry_type)
            width = badge_metrics.horizontalAdvance(text) + 14
            pieces.append(Piece("type", QRect(x, top2, width, line_height), text, text,
                                badge_font, foreground, background))
            x += width + 10
        if row.inquiry_status is not None:
            text = status_label(row.inquiry_status)
            width = max(limit - x, 0)
            pieces.append(Piece("status", QRect(x, top2, width, line_height),
                                small_metrics.elidedText(text, Qt.TextElideMode.ElideRight,
                                                         width),
                                text, small, palette.STATUS_COLOURS[row.inquiry_status]))

        # Line 3: who handles it, and "2 open" as a pill on the right; the name gives way
        # first. Line 4: the preview. Without an inquiry the preview moves up beside the
        # unread bubble.
        top3 = top2 + line_height + 3
        # "wird in 5 Tagen gelöscht" when the purge is within 7 days: right-aligned on the
        # assignee line, or beside the preview; those give way, never the name. Only rows
        # with an expiry pay for the date arithmetic (the day is memoised per value).
        expiry = expiry_text(row.expires_at) if row.expires_at else None
        expiry_width = small_metrics.horizontalAdvance(expiry) + 2 if expiry else 0
        if row.inquiry_id is not None:
            end = right
            if row.open_inquiries > 1:
                text = self.tr("%n open", "", row.open_inquiries)
                width = badge_metrics.horizontalAdvance(text) + 14
                pieces.append(Piece("open", QRect(right - width + 1, top3, width, line_height),
                                    text, text, badge_font, palette.SECONDARY,
                                    palette.OPEN_PILL))
                end = right - width - 8
            if expiry:
                pieces.append(Piece("expiry", QRect(end - expiry_width + 1, top3, expiry_width,
                                                    line_height), expiry, expiry, small,
                                    palette.EXPIRY))
                end -= expiry_width + 10
            text = (self.tr("Assigned: %1").replace("%1", self._assignee_name(
                row.assignee_user_id)) if row.assignee_user_id
                else self._assignee_name(None))
            width = max(end - left, 0)
            pieces.append(Piece("assignee", QRect(left, top3, width, line_height),
                                small_metrics.elidedText(text, Qt.TextElideMode.ElideRight,
                                                         width),
                                text, small, palette.SECONDARY))
            top4 = top3 + line_height + LINE_GAP - 2
            width = right - left
        else:
            top4 = top2 + 2
            width = limit - left
            if expiry:
                pieces.append(Piece("expiry", QRect(limit - expiry_width + 1, top4,
                                                    expiry_width, base_metrics.height()),
                                    expiry, expiry, small, palette.EXPIRY))
                width = max(width - expiry_width - 10, 0)
        preview = " ".join(row.preview.split())
        pieces.append(Piece("preview", QRect(left, top4, width, base_metrics.height()),
                            base_metrics.elidedText(preview, Qt.TextElideMode.ElideRight,
                                                    width),
                            preview, base,
                            palette.TEXT if row.unread_count else palette.SECONDARY))
        return pieces
