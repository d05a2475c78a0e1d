"""Patients are mirrored to clients so the inbox can show whom a conversation is with."""

from __future__ import annotations

from typing import Any

from backend_server.models.patient import Patient
from backend_server.patients.schemas import PatientOut
from backend_server.sync.registry import register_sync_kind


def serialize_patient(patient: Patient) -> dict[str, Any]:
    return PatientOut.model_validate(patient).model_dump(mode="json")


register_sync_kind(Patient, serialize_patient)
