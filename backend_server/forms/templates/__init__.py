"""The German form templates the product ships (JSON, one definition per file).

A practice starts from these and keeps its own copies; the files here change only through
a new version number, like every definition.
"""

from __future__ import annotations

from importlib import resources

from backend_server.forms.definition import FormDefinition


def load_templates() -> dict[str, FormDefinition]:
    """Every shipped template by form id, validated (a broken file fails loudly here)."""
    out: dict[str, FormDefinition] = {}
    folder = resources.files(__name__)
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".json"):
            continue
        definition = FormDefinition.model_validate_json(entry.read_text(encoding="utf-8"))
        if f"{definition.id}.json" != entry.name:
            raise ValueError(f"template {entry.name} holds the form '{definition.id}'")
        out[definition.id] = definition
    return out
