"""The editor's outline of a form: its sections with their fields, and the structural
edits made from it (add, move up/down, remove). The edits change the definition object;
the outline is then rebuilt from it."""

from __future__ import annotations

from collections.abc import Iterator

from app.forms.definition import FormDefinition, FormField, Section, new_item_id
from ui.forms.texts import type_labels
from ui.qt import QAbstractItemView, QFont, QHeaderView, Qt, QTreeWidget, QTreeWidgetItem, QWidget

ITEM_ROLE = Qt.ItemDataRole.UserRole

SECTION = "section"
FIELD = "field"


# -- edits of the definition ----------------------------------------------------------------

def add_section(definition: FormDefinition, after_id: str | None, title: str) -> Section:
    """A new empty section after the section holding ``after_id`` (or at the end)."""
    section = Section(id=new_item_id("section", definition.item_ids()), title=title)
    index = _section_index(definition, after_id)
    definition.sections.insert(len(definition.sections) if index < 0 else index + 1, section)
    return section


def add_field(definition: FormDefinition, near_id: str | None) -> FormField | None:
    """A new short-text field after ``near_id`` (a field), at the end of the section
    ``near_id`` names, or at the end of the last section; None if there is no section."""
    if not definition.sections:
        return None
    field = FormField(id=new_item_id("field", definition.item_ids()), type="text", label="")
    for section in definition.sections:
        if section.id == near_id:
            section.fields.append(field)
            return field
        for index, existing in enumerate(section.fields):
            if existing.id == near_id:
                section.fields.insert(index + 1, field)
                return field
    definition.sections[-1].fields.append(field)
    return field


def move(definition: FormDefinition, item_id: str, delta: int) -> bool:
    """Move a section, or a field (across into the neighbouring section at an edge), one
    step up (-1) or down (+1). False when it is already at the top or bottom."""
    sections = definition.sections
    index = _section_index(definition, item_id)
    if index >= 0 and any(s.id == item_id for s in sections):
        target = index + delta
        if not 0 <= target < len(sections):
            return False
        sections[index], sections[target] = sections[target], sections[index]
        return True
    if index < 0:
        return False
    fields = sections[index].fields
    position = next(i for i, f in enumerate(fields) if f.id == item_id)
    target = position + delta
    if 0 <= target < len(fields):
        fields[position], fields[target] = fields[target], fields[position]
        return True
    neighbour = index + delta
    if not 0 <= neighbour < len(sections):
        return False
    moved = fields.pop(position)
    if delta < 0:
        sections[neighbour].fields.append(moved)
    else:
        sections[neighbour].fields.insert(0, moved)
    return True


def remove(definition: FormDefinition, item_id: str) -> str | None:
    """Remove a section (with its fields) or a field; returns the id to select next."""
    sections = definition.sections
    for index, section in enumerate(sections):
        if section.id == item_id:
            del sections[index]
            if not sections:
                return None
            return sections[min(index, len(sections) - 1)].id
        for position, field in enumerate(section.fields):
            if field.id == item_id:
                del section.fields[position]
                if section.fields:
                    return section.fields[min(position, len(section.fields) - 1)].id
                return section.id
    return None


def _section_index(definition: FormDefinition, item_id: str | None) -> int:
    for index, section in enumerate(definition.sections):
        if section.id == item_id or any(f.id == item_id for f in section.fields):
            return index
    return -1


def earlier_fields(definition: FormDefinition, field_id: str) -> list[FormField]:
    """The fields before ``field_id`` in form order."""
    before: list[FormField] = []
    for field in definition.fields():
        if field.id == field_id:
            break
        before.append(field)
    return before


# -- the outline widget ---------------------------------------------------------------------

class FormOutline(QTreeWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("formOutline")
        self.setColumnCount(2)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setRootIsDecorated(False)
        self.setIndentation(18)
        self.setAlternatingRowColors(True)
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self._definition: FormDefinition | None = None
        self.retranslate()

    def show_definition(self, definition: FormDefinition, select: str | None) -> None:
        self._definition = definition
        self.blockSignals(True)
        self.clear()
        bold = QFont(self.font())
        bold.setBold(True)
        chosen: QTreeWidgetItem | None = None
        for section in definition.sections:
            top = QTreeWidgetItem(self)
            top.setData(0, ITEM_ROLE, (SECTION, section.id))
            top.setFont(0, bold)
            for field in section.fields:
                child = QTreeWidgetItem(top)
                child.setData(0, ITEM_ROLE, (FIELD, field.id))
                if field.id == select:
                    chosen = child
            if section.id == select:
                chosen = top
        self.expandAll()
        self.refresh_texts()
        self.blockSignals(False)
        if chosen is not None:
            self.setCurrentItem(chosen)
        else:
            self.currentItemChanged.emit(None, None)

    def refresh_texts(self) -> None:
        """Re-read titles and questions after an edit (the structure is unchanged)."""
        definition = self._definition
        if definition is None:
            return
        types = type_labels()
        sections = {s.id: s for s in definition.sections}
        fields = {f.id: f for f in definition.fields()}
        for item in self.items():
            item_id = _item_id(item)
            section = sections.get(item_id)
            if section is not None:
                item.setText(0, section.title or self.tr("(untitled section)"))
                item.setToolTip(0, section.title)
            field = fields.get(item_id)
            if field is None:
                continue
            text = " ".join(field.label.split()) or self.tr("(no question yet)")
            if field.is_required:
                text += " *"
            if field.show_if is not None:
                text = "↳ " + text
            item.setText(0, text)
            item.setToolTip(0, field.label)
            item.setText(1, types.get(field.type, field.type))

    def items(self) -> Iterator[QTreeWidgetItem]:
        """Every section item, each followed by its field items."""
        for index in range(self.topLevelItemCount()):
            top = self.topLevelItem(index)
            if top is None:
                continue
            yield top
            for row in range(top.childCount()):
                child = top.child(row)
                if child is not None:
                    yield child

    def selected(self) -> tuple[str, str] | None:
        item = self.currentItem()
        data = item.data(0, ITEM_ROLE) if item is not None else None
        return (str(data[0]), str(data[1])) if isinstance(data, tuple | list) else None

    def select_id(self, item_id: str) -> bool:
        for item in self.items():
            if _item_id(item) == item_id:
                self.setCurrentItem(item)
                return True
        return False

    def retranslate(self) -> None:
        self.setHeaderLabels([self.tr("Sections and questions"), self.tr("Type")])
        self.refresh_texts()


def _item_id(item: QTreeWidgetItem) -> str:
    data = item.data(0, ITEM_ROLE)
    return str(data[1]) if isinstance(data, tuple | list) else ""
