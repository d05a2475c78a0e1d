"""The admin's form calls of the core against the real server: templates, a new form, a new
version (the old one archived), status changes, and refusals staff and invalid forms get."""

from __future__ import annotations

import copy

import pytest

from app.api.errors import ApiError, Forbidden
from app.core import ClientCore
from app.events import EventBus
from app.forms.definition import FormField, ShowIf, validate_definition
from app.forms.versions import ACTIVE, ARCHIVED
from app.settings import Profile
from tests.app.conftest import PASSWORD, Practice, logged_in_core


async def test_admin_creates_versions_and_archives(profile: Profile, bus: EventBus,
                                                   practice: Practice) -> None:
    core = await logged_in_core(profile, bus, practice)
    try:
        templates = await core.shipped_form_templates()
        assert [t.title for t in templates] == ["Anamnesebogen Allgemeinmedizin",
                                                "Einwilligung Datenverarbeitung",
                                                "Einwilligung Videosprechstunde"]
        assert all(validate_definition(t.definition) == [] for t in templates)
        before = {v.form_id for v in await core.list_forms()}

        # A copy of the video consent under its own id, with one more conditional question.
        definition = copy.deepcopy(templates[2].definition)
        definition.id = "videosprechstunde-kinder"
        definition.title = "Videosprechstunde für Kinder"
        section = definition.sections[-1]
        section.fields.insert(0, FormField(id="guardian", type="yes_no",
                                           label="Sind Sie sorgeberechtigt?", required=True))
        section.fields.insert(1, FormField(id="guardian_name", type="text",
                                           label="Name des Kindes",
                                           show_if=ShowIf("guardian", True)))
        assert validate_definition(definition) == []
        created = await core.create_form(definition)
        assert (created.form_id, created.version, created.status) == (
            "videosprechstunde-kinder", 1, ACTIVE)
        assert created.definition.field("guardian_name") == section.fields[1]

        # Editing makes version 2; version 1 stays as it was, archived.
        changed = copy.deepcopy(created.definition)
        changed.title = "Videosprechstunde (Kinder)"
        second = await core.new_form_version(created.id, changed)
        assert (second.form_id, second.version, second.status) == (
            "videosprechstunde-kinder", 2, ACTIVE)
        forms = await core.list_forms()
        mine = [(v.version, v.status, v.title) for v in forms
                if v.form_id == "videosprechstunde-kinder"]
        assert mine == [(2, ACTIVE, "Videosprechstunde (Kinder)"),
                        (1, ARCHIVED, "Videosprechstunde für Kinder")]
        assert {v.form_id for v in forms} == before | {"videosprechstunde-kinder"}

        # Re-activating version 1 archives version 2.
        again = await core.set_form_status(created.id, ACTIVE)
        assert again.status == ACTIVE
        states = {v.version: v.status for v in await core.list_forms()
                  if v.form_id == "videosprechstunde-kinder"}
        assert states == {1: ACTIVE, 2: ARCHIVED}

        # The same id again is refused; so is what the library does not accept.
        with pytest.raises(ApiError) as exists:
            await core.create_form(definition)
        assert exists.value.code == "form_exists"
        broken = copy.deepcopy(definition)
        broken.id = "kaputt"
        broken.sections[-1].fields[1].show_if = ShowIf("guardian", "Ja")
        with pytest.raises(ApiError) as invalid:
            await core.create_form(broken)
        assert invalid.value.code == "invalid_form"
    finally:
        await core.close()


async def test_staff_read_but_cannot_change(profile: Profile, bus: EventBus,
                                            practice: Practice) -> None:
    admin = await logged_in_core(profile, bus, practice)
    try:
        template = (await admin.shipped_form_templates())[0]
        template.definition.id = "anamnese-praxis"
        created = await admin.create_form(template.definition)
    finally:
        await admin.close()
    staff = ClientCore(Profile(profile.root.parent / "staff"), EventBus())
    await staff.login(practice.server.url, practice.staff_email, PASSWORD)
    try:
        assert created.id in {v.id for v in await staff.list_forms()}
        with pytest.raises(Forbidden):
            await staff.set_form_status(created.id, ARCHIVED)
        with pytest.raises(Forbidden):
            await staff.create_form(template.definition)
    finally:
        await staff.close()
