"""A stand-in for the admin side of the core's forms API: keeps versions in memory the way
the server does (numbers versions, archives older active ones) and records every call."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from app.api.errors import ApiError
from app.forms.definition import FormDefinition, definition_to_json, parse_definition
from app.forms.versions import ACTIVE, ARCHIVED, FormVersion, ShippedTemplate

TEMPLATES = Path(__file__).resolve().parents[3] / "backend_server" / "forms" / "templates"


def template_definition(name: str) -> FormDefinition:
    return parse_definition(json.loads((TEMPLATES / f"{name}.json").read_text("utf-8")))


class FakeFormsCore:
    def __init__(self, role: str = "admin") -> None:
        self.user: dict[str, Any] = {"id": "u1", "role": role}
        self.calls: list[tuple[Any, ...]] = []
        self.refuse: ApiError | None = None
        self.versions: list[FormVersion] = []
        self._next = 1
        self._store(template_definition("anamnese-allgemeinmedizin"), ACTIVE)
        self._store(template_definition("einwilligung-videosprechstunde"), ACTIVE)

    def _store(self, definition: FormDefinition, status: str) -> FormVersion:
        version = FormVersion(id=f"def-{self._next}", form_id=definition.id,
                              version=definition.version, title=definition.title,
                              status=status, definition=copy.deepcopy(definition))
        self._next += 1
        self.versions.append(version)
        return version

    async def list_forms(self) -> list[FormVersion]:
        self.calls.append(("list",))
        return sorted(self.versions, key=lambda v: (v.title.casefold(), -v.version))

    async def shipped_form_templates(self) -> list[ShippedTemplate]:
        return [ShippedTemplate(d.id, d.title, d) for d in
                (template_definition(name) for name in
                 ("anamnese-allgemeinmedizin", "einwilligung-datenverarbeitung",
                  "einwilligung-videosprechstunde"))]

    def _check(self) -> None:
        if self.refuse is not None:
            raise self.refuse

    async def create_form(self, definition: FormDefinition) -> FormVersion:
        self.calls.append(("create", definition_to_json(definition)))
        self._check()
        definition = copy.deepcopy(definition)
        definition.version = 1
        return self._store(definition, ACTIVE)

    async def new_form_version(self, definition_id: str,
                               definition: FormDefinition) -> FormVersion:
        self.calls.append(("version", definition_id, definition_to_json(definition)))
        self._check()
        base = next(v for v in self.versions if v.id == definition_id)
        definition = copy.deepcopy(definition)
        definition.version = max(v.version for v in self.versions
                                 if v.form_id == base.form_id) + 1
        self.versions = [_with_status(v, ARCHIVED) if v.form_id == base.form_id else v
                         for v in self.versions]
        return self._store(definition, ACTIVE)

    async def set_form_status(self, definition_id: str, status: str) -> FormVersion:
        self.calls.append(("status", definition_id, status))
        self._check()
        self.versions = [_with_status(v, status) if v.id == definition_id else v
                         for v in self.versions]
        return next(v for v in self.versions if v.id == definition_id)


def _with_status(version: FormVersion, status: str) -> FormVersion:
    return FormVersion(version.id, version.form_id, version.version, version.title, status,
                       version.definition)
