"""The practice's form versions and the shipped templates, as the admin API answers them
(``FormDefinitionOut`` and ``GET /forms/templates`` of the contract)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.api.errors import ProtocolError
from app.forms.definition import DefinitionFormatError, FormDefinition, parse_definition

ACTIVE = "active"
ARCHIVED = "archived"
STATUSES = (ACTIVE, ARCHIVED)


@dataclass(frozen=True)
class FormVersion:
    """One stored version of a form. ``id`` names this version (a UUID, what requests and
    status changes point at); ``form_id`` is the slug all versions of the form share."""

    id: str
    form_id: str
    version: int
    title: str
    status: str
    definition: FormDefinition
    created_at: str = ""
    updated_at: str = ""

    @property
    def active(self) -> bool:
        return self.status == ACTIVE

    @classmethod
    def from_wire(cls, row: Any) -> FormVersion:
        try:
            return cls(id=str(row["id"]), form_id=str(row["form_id"]),
                       version=int(row["version"]), title=str(row["title"]),
                       status=str(row["status"]),
                       definition=parse_definition(row["definition"]),
                       created_at=str(row.get("created_at") or ""),
                       updated_at=str(row.get("updated_at") or ""))
        except (KeyError, TypeError, ValueError, DefinitionFormatError) as exc:
            raise ProtocolError("malformed form definition from the server") from exc


@dataclass(frozen=True)
class ShippedTemplate:
    """A German template the product ships, to start a practice's own form from."""

    form_id: str
    title: str
    definition: FormDefinition

    @classmethod
    def from_wire(cls, row: Any) -> ShippedTemplate:
        try:
            return cls(form_id=str(row["form_id"]), title=str(row["title"]),
                       definition=parse_definition(row["definition"]))
        except (KeyError, TypeError, ValueError, DefinitionFormatError) as exc:
            raise ProtocolError("malformed form template from the server") from exc
