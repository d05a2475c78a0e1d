"""Templates are mirrored to clients; a deleted template syncs as a tombstone."""

from __future__ import annotations

from typing import Any

from backend_server.models.template import Template
from backend_server.sync.registry import register_sync_kind
from backend_server.templates.schemas import TemplateOut


def serialize_template(template: Template) -> dict[str, Any]:
    return TemplateOut.model_validate(template).model_dump(mode="json")


register_sync_kind(Template, serialize_template)
