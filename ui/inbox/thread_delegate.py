"""Paints a conversation: message bubbles, inquiry cards, internal notes, outbox states.

Patient messages sit on the left, the practice's on the right, inquiry cards and internal
notes across the middle. Each item is laid out once per width by ``_layout`` (used by both
``sizeHint`` and ``paint``), so what is measured is exactly what is drawn.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from app.inbox.types import InquiryType, OutboxState, ThreadItem
from ui.inbox import palette
from ui.inbox.inbox_delegate import draw_badge
from ui.inbox.texts import (
    day_label,
    detail_lines,
    file_size,
    form_request_text,
    parse_time,
    status_label,
    thread_time,
    type_label,
)
from ui.inbox.thread_model import CHOSEN_INQUIRY_ROLE, ITEM_ROLE
from ui.qt import (
    QColor,
    QEvent,
    QFont,
    QFontMetrics,
    QModelIndex,
    QPainter,
    QPen,
    QPersistentModelIndex,
    QRect,
    QRectF,
    QSize,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    Qt,
    Signal,
)

MARGIN_X = 18
GAP_Y = 7
PAD_X = 13
PAD_Y = 9
LINE_GAP = 5
WRAP = Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignLeft


@dataclass
class Segment:
    text: str
    font: QFont
    colour: QColor
    align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft
    chip: bool = False  # an attachment: drawn on a tinted pill
    badges: list[tuple[str, QColor, QColor]] = field(default_factory=list)
    height: int = 0


@dataclass
class Layout:
    box: QRect  # relative to the item's top-left
    segments: list[Segment]
    above: Segment | None  # small caption over the bubble (the staff member's name)
    background: QColor
    border: QColor
    retry: QRect | None = None  # relative, where the action ("Retry", "Withdraw") is drawn
    action: str = ""  # its text
    day: str | None = None  # a day separator above the item ("Today", "12.03.2026")
    day_height: int = 0


class ThreadDelegate(QStyledItemDelegate):
    retryRequested = Signal(object)  # ThreadItem
    withdrawRequested = Signal(object)  # ThreadItem of kind "form_request"

    def __init__(self, width: Callable[[], int], user_name: Callable[[str | None], str],
                 parent: object | None = None) -> None:
        super().__init__(parent)  # type: ignore[arg-type]
        self._width = width
        self._user_name = user_name
        # Seal checks of form PDFs, by attachment id: (sentence, valid). Set by the view
        # once the server answered; the card shows nothing while unknown.
        self.seal_texts: dict[str, tuple[str, bool]] = {}

    def _action(self, item: ThreadItem) -> str:
        """The clickable action drawn in an item, if any."""
        if item.kind == "outbox" and item.outbox_state == OutboxState.FAILED:
            return self.tr("Retry")
        if item.kind == "form_request" and item.form_status == "sent":
            return self.tr("Withdraw")
        return ""

    # -- measuring ---------------------------------------------------------------------
    def _fonts(self, option: QStyleOptionViewItem) -> tuple[QFont, QFont, QFont]:
        base = QFont(option.font)
        small = QFont(base)
        small.setPointSizeF(max(base.pointSizeF() - 1, 7.5))
        bold_small = QFont(small)
        bold_small.setWeight(QFont.Weight.DemiBold)
        return base, small, bold_small

    def _segments(self, item: ThreadItem, option: QStyleOptionViewItem) -> tuple[
            list[Segment], Segment | None, QColor, QColor]:
        base, small, bold_small = self._fonts(option)
        segments: list[Segment] = []
        above: Segment | None = None
        if item.kind == "form_request":
            submitted = item.form_status == "submitted"
            when = thread_time(item.form_submitted_at if submitted and item.form_submitted_at
                               else item.created_at)
            segments.append(Segment(
                f"{form_request_text(item.text, item.form_status)}  ·  {when}", small,
                palette.SUCCESS if submitted else palette.SECONDARY))
            return segments, None, palette.FORM_LINE_BG, palette.FORM_LINE_BORDER
        if item.kind == "inquiry":
            badges: list[tuple[str, QColor, QColor]] = []
            if item.inquiry_type is not None:
                bg, fg = palette.TYPE_COLOURS[item.inquiry_type]
                badges.append((type_label(item.inquiry_type), bg, fg))
            form = item.inquiry_type == InquiryType.FORM
            title = Segment(self.tr("Form from the patient") if form
                            else self.tr("Request from the patient"), bold_small,
                            palette.SECONDARY, badges=badges)
            segments.append(title)
            for line in detail_lines(item.inquiry_type, item.inquiry_details):
                segments.append(Segment(line, base, palette.TEXT))
            seal = self.seal_texts.get(str(item.inquiry_details.get("attachment_id") or ""))
            if form and seal is not None:
                segments.append(Segment(seal[0], bold_small,
                                        palette.SEAL_OK if seal[1] else palette.SEAL_BROKEN))
            if item.text:
                segments.append(Segment(f"„{item.text}“", base, palette.TEXT))
            facts = [thread_time(item.created_at)]
            if item.inquiry_status is not None:
                facts.append(status_label(item.inquiry_status))
            facts.append(self._user_name(item.assignee_user_id))
            segments.append(Segment("  ·  ".join(facts), small, palette.SECONDARY))
            return segments, None, palette.CARD_BG, palette.CARD_BORDER
        if item.kind == "note":
            segments.append(Segment(self.tr("Internal note — not visible to patients"),
                                    bold_small, palette.NOTE_TEXT))
            segments.append(Segment(item.text, base, palette.TEXT))
            segments.append(Segment(
                f"{self._user_name(item.author_user_id)}  ·  {thread_time(item.created_at)}",
                small, palette.NOTE_TEXT, Qt.AlignmentFlag.AlignRight))
            return segments, None, palette.NOTE_BUBBLE, palette.NOTE_BORDER
        staff = item.author == "staff"
        if item.text:
            segments.append(Segment(item.text, base, palette.TEXT))
        for attachment in item.attachments:
            segments.append(Segment(f"{attachment.filename}  ({file_size(attachment.size)})",
                                    base, palette.ACCENT, chip=True))
        meta = thread_time(item.created_at)
        meta_colour = palette.SECONDARY
        background, border = ((palette.STAFF_BUBBLE, palette.STAFF_BORDER) if staff
                              else (palette.PATIENT_BUBBLE, palette.PATIENT_BORDER))
        if item.kind == "outbox":
            if item.outbox_state == OutboxState.FAILED:
                meta = self.tr("Sending failed")
                meta_colour = palette.ERROR
                background, border = palette.FAILED_BUBBLE, palette.FAILED_BORDER
            elif item.outbox_state == OutboxState.SENT:
                sent = self.tr("Sent")
                meta = f"{meta}  ·  {sent} ✓"
            else:
                meta = self.tr("Sending…")
        elif staff:
            # ✓ delivered to the patient page, ✓✓ the patient has opened it since.
            meta = f"{meta}  {'✓✓' if item.read_at else '✓'}"
            if item.read_at:
                meta_colour = palette.ACCENT
        failed = item.kind == "outbox" and item.outbox_state == OutboxState.FAILED
        # A failed send keeps its text on the left: the retry button sits on the right.
        segments.append(Segment(meta, small, meta_colour,
                                Qt.AlignmentFlag.AlignRight if staff and not failed
                                else Qt.AlignmentFlag.AlignLeft))
        if staff and item.author_user_id:
            above = Segment(self._user_name(item.author_user_id), small, palette.SECONDARY,
                            Qt.AlignmentFlag.AlignRight)
        return segments, above, background, border

    def _day(self, index: QModelIndex | QPersistentModelIndex, item: ThreadItem) -> str | None:
        """The day label when this item starts a new day (the first loaded item always)."""
        moment = parse_time(item.created_at)
        if moment is None:
            return None
        model = index.model()
        previous = (model.index(index.row() - 1, 0).data(ITEM_ROLE)
                    if index.row() and model is not None else None)
        if isinstance(previous, ThreadItem):
            before = parse_time(previous.created_at)
            if before is not None and before.date() == moment.date():
                return None
        return day_label(moment)

    def _layout_at(self, index: QModelIndex | QPersistentModelIndex, item: ThreadItem,
                   option: QStyleOptionViewItem) -> Layout:
        day = self._day(index, item)
        if day is None:
            return self._layout(item, option)
        _base, small, _bold = self._fonts(option)
        height = QFontMetrics(small).height() + 16
        layout = self._layout(item, option, offset=height)
        layout.day = day
        layout.day_height = height
        return layout

    def _layout(self, item: ThreadItem, option: QStyleOptionViewItem,
                offset: int = 0) -> Layout:
        total = max(self._width(), 240)
        segments, above, background, border = self._segments(item, option)
        if item.kind in ("inquiry", "note"):
            max_box = min(total - 2 * MARGIN_X, 620)
        else:
            max_box = min(int((total - 2 * MARGIN_X) * 0.74), 560)
        inner_max = max(max_box - 2 * PAD_X, 60)
        natural = 0
        for segment in segments:
            metrics = QFontMetrics(segment.font)
            badges_width = sum(QFontMetrics(segment.font).horizontalAdvance(b[0]) + 22
                               for b in segment.badges)
            widest = max((metrics.horizontalAdvance(line) for line in segment.text.split("\n")),
                         default=0)
            natural = max(natural, widest + badges_width + (16 if segment.chip else 0))
        retry_width = 0
        action = self._action(item)
        if action:
            retry_width = QFontMetrics(segments[-1].font).horizontalAdvance(action) + 24
            natural = max(natural, QFontMetrics(segments[-1].font).horizontalAdvance(
                segments[-1].text) + retry_width + 12)
        inner = min(natural, inner_max)
        if item.kind in ("inquiry", "note"):
            inner = inner_max  # cards keep one width, so a column of them lines up
        height = 0
        for number_, segment in enumerate(segments):
            metrics = QFontMetrics(segment.font)
            text_width = inner - (16 if segment.chip else 0) - sum(
                metrics.horizontalAdvance(b[0]) + 22 for b in segment.badges)
            bounds = metrics.boundingRect(QRect(0, 0, max(text_width, 20), 100_000),
                                          int(WRAP), segment.text)
            segment.height = max(bounds.height(), metrics.height()) + (8 if segment.chip
                                                                        else 0)
            if segment.badges:
                segment.height = max(segment.height, metrics.height() + 4)
            height += segment.height + (LINE_GAP if number_ else 0)
        box_width = inner + 2 * PAD_X
        top = GAP_Y + offset
        if above is not None:
            above.height = QFontMetrics(above.font).height()
            top += above.height + 2
        if item.kind in ("inquiry", "note", "form_request"):
            left = (total - box_width) // 2
        elif item.author == "staff":
            left = total - MARGIN_X - box_width
        else:
            left = MARGIN_X
        box = QRect(left, top, box_width, height + 2 * PAD_Y)
        retry = None
        if retry_width:
            meta_height = segments[-1].height
            retry = QRect(box.right() - PAD_X - retry_width + 1,
                          box.bottom() - PAD_Y - meta_height - 2, retry_width, meta_height + 4)
        return Layout(box, segments, above, background, border, retry, action)

    def visible_texts(self, index: QModelIndex | QPersistentModelIndex) -> list[str]:
        """The texts ``paint`` draws for an item, in order (for accessibility and tests)."""
        item = index.data(ITEM_ROLE)
        if not isinstance(item, ThreadItem):
            return []
        option = QStyleOptionViewItem()
        self.initStyleOption(option, index)
        layout = self._layout_at(index, item, option)
        texts = [layout.day] if layout.day else []
        if layout.above is not None:
            texts.append(layout.above.text)
        for segment in layout.segments:
            texts.extend(text for text, _bg, _fg in segment.badges)
            texts.append(segment.text)
        if layout.retry is not None:
            texts.append(layout.action)
        return texts

    def sizeHint(self, option: QStyleOptionViewItem,
                 index: QModelIndex | QPersistentModelIndex) -> QSize:
        item = index.data(ITEM_ROLE)
        if not isinstance(item, ThreadItem):
            return QSize(self._width(), 24)
        layout = self._layout_at(index, item, option)
        return QSize(max(self._width(), 240), layout.box.bottom() + 1 + GAP_Y)

    # -- painting ----------------------------------------------------------------------
    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        item = index.data(ITEM_ROLE)
        if not isinstance(item, ThreadItem):
            return
        layout = self._layout_at(index, item, option)
        origin = option.rect.topLeft()
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.translate(origin)
        box = layout.box
        if layout.day:
            self._paint_day(painter, option, layout)
        if layout.above is not None:
            painter.setFont(layout.above.font)
            painter.setPen(layout.above.colour)
            painter.drawText(QRect(box.left(), box.top() - layout.above.height - 2, box.width(),
                                   layout.above.height),
                             layout.above.align | Qt.AlignmentFlag.AlignVCenter,
                             layout.above.text)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        # The inquiry the header's controls act on stays marked while another item (a
        # message with a file) is selected.
        chosen = bool(index.data(CHOSEN_INQUIRY_ROLE))
        ring = selected or chosen
        pen = QPen(palette.CHOSEN_CARD_BORDER if chosen else
                   palette.SELECTION_RING if selected else layout.border, 2 if ring else 1)
        painter.setPen(pen)
        painter.setBrush(palette.CHOSEN_CARD_BG if chosen else layout.background)
        radius = 6 if item.kind in ("inquiry", "note", "form_request") else 11
        painter.drawRoundedRect(QRectF(box).adjusted(0.5, 0.5, -0.5, -0.5), radius, radius)
        if item.kind == "note":
            # A solid edge, so a note is recognisable even before its caption is read.
            painter.fillRect(QRect(box.left() + 1, box.top() + 6, 4, box.height() - 12),
                             palette.NOTE_BORDER)
        elif item.kind == "inquiry" and item.inquiry_type is not None:
            painter.fillRect(QRect(box.left() + 1, box.top() + 6, 4, box.height() - 12),
                             palette.TYPE_COLOURS[item.inquiry_type][1])
        y = box.top() + PAD_Y
        inner = box.width() - 2 * PAD_X
        for number_, segment in enumerate(layout.segments):
            if number_:
                y += LINE_GAP
            x = box.left() + PAD_X
            for text, bg, fg in segment.badges:
                x += draw_badge(painter, segment.font, x, y, text, bg, fg) + 8
            width = inner - (x - box.left() - PAD_X)
            painter.setFont(segment.font)
            if segment.chip:
                chip = QRectF(x, y, width, segment.height)
                painter.setPen(palette.STAFF_BORDER)
                painter.setBrush(QColor("#f4f7fb"))
                painter.drawRoundedRect(chip, 5, 5)
                painter.setPen(segment.colour)
                metrics = QFontMetrics(segment.font)
                painter.drawText(QRect(x + 8, y, width - 16, segment.height),
                                 Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                                 metrics.elidedText(segment.text, Qt.TextElideMode.ElideMiddle,
                                                    width - 16))
            else:
                painter.setPen(segment.colour)
                flags = int(WRAP) & ~int(Qt.AlignmentFlag.AlignLeft) | int(segment.align)
                if segment.badges:
                    flags |= int(Qt.AlignmentFlag.AlignVCenter)
                painter.drawText(QRect(x, y, width, segment.height), flags, segment.text)
            y += segment.height
        if layout.retry is not None:
            painter.setPen(QPen(palette.ERROR if item.kind == "outbox" else palette.ACCENT, 1))
            painter.setBrush(palette.PATIENT_BUBBLE)
            painter.drawRoundedRect(QRectF(layout.retry), 5, 5)
            painter.setFont(layout.segments[-1].font)
            painter.drawText(layout.retry, Qt.AlignmentFlag.AlignCenter, layout.action)
            # Leave the meta text left of the button readable.
        painter.restore()

    def _paint_day(self, painter: QPainter, option: QStyleOptionViewItem,
                   layout: Layout) -> None:
        _base, small, _bold = self._fonts(option)
        metrics = QFontMetrics(small)
        width = metrics.horizontalAdvance(layout.day or "") + 24
        total = max(self._width(), 240)
        chip = QRectF((total - width) / 2, 10, width, metrics.height() + 4)
        painter.setPen(palette.DIVIDER)
        middle = int(chip.center().y())
        painter.drawLine(MARGIN_X, middle, int(chip.left()) - 8, middle)
        painter.drawLine(int(chip.right()) + 8, middle, total - MARGIN_X, middle)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor("#e9edf2"))
        painter.drawRoundedRect(chip, chip.height() / 2, chip.height() / 2)
        painter.setPen(palette.SECONDARY)
        painter.setFont(small)
        painter.drawText(chip, Qt.AlignmentFlag.AlignCenter, layout.day or "")

    def editorEvent(self, event: QEvent, model: object, option: QStyleOptionViewItem,
                    index: QModelIndex | QPersistentModelIndex) -> bool:
        if event.type() == QEvent.Type.MouseButtonRelease:
            item = index.data(ITEM_ROLE)
            if isinstance(item, ThreadItem) and self._action(item):
                layout = self._layout_at(index, item, option)
                position = event.position().toPoint() - option.rect.topLeft()  # type: ignore[attr-defined]
                if layout.retry is not None and layout.retry.contains(position):
                    if item.kind == "form_request":
                        self.withdrawRequested.emit(item)
                    else:
                        self.retryRequested.emit(item)
                    return True
        return super().editorEvent(event, model, option, index)  # type: ignore[arg-type]
