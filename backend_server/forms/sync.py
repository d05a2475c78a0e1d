"""Form definitions and requests are mirrored to clients through /sync/changes (requests
without the patient's draft)."""

from __future__ import annotations

from typing import Any

from backend_server.forms.schemas import FormDefinitionOut, FormRequestOut
from backend_server.models.form import FormDefinition, FormRequest
from backend_server.sync.registry import register_sync_kind


def serialize_form_definition(definition: FormDefinition) -> dict[str, Any]:
    return FormDefinitionOut.model_validate(definition).model_dump(mode="json")


def serialize_form_request(request: FormRequest) -> dict[str, Any]:
    return FormRequestOut.of(request).model_dump(mode="json")


register_sync_kind(FormDefinition, serialize_form_definition)
register_sync_kind(FormRequest, serialize_form_request)
