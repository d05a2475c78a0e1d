"""app/ is the core: it must not import Qt or the ui package (DESIGN.md)."""

from __future__ import annotations

import ast
from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "app"
FORBIDDEN = ("PySide6", "ui", "shiboken6", "qasync", "backend_server")


def test_core_imports_no_qt_no_ui_no_server() -> None:
    offenders = []
    for path in APP.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            offenders += [f"{path.relative_to(APP.parent)}: {n}" for n in names
                          if n.split(".")[0] in FORBIDDEN]
    assert offenders == []
