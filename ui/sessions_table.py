"""The read-only, one-row-selection table both device lists (own and practice) use."""

from __future__ import annotations

from ui.qt import QAbstractItemView, QHeaderView, Qt, QTableView
from ui.sessions_model import SessionsModel


def sessions_table(model: SessionsModel, object_name: str, *, min_height: int,
                   max_height: int) -> QTableView:
    table = QTableView()
    table.setObjectName(object_name)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().hide()
    table.setShowGrid(False)
    table.setAlternatingRowColors(True)
    table.verticalHeader().setDefaultSectionSize(30)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(model.DEVICE, QHeaderView.ResizeMode.Stretch)
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    table.setMinimumHeight(min_height)
    table.setMaximumHeight(max_height)
    return table
