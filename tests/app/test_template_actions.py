"""Admins edit reply templates from the client: server and cache agree at once; staff are
refused with a readable error and nothing changes anywhere."""

from __future__ import annotations

import pytest

from app.api.client import ApiClient
from app.core import ClientCore
from app.events import EventBus
from app.inbox.templates import TemplateEditForbidden
from app.settings import Profile
from tests.app.conftest import PASSWORD, Practice, logged_in_core


async def server_templates(practice: Practice) -> list[tuple[str, str, str]]:
    """What any signed-in user reads from the server, independent of the core under test."""
    probe = ApiClient(practice.server.url)
    try:
        await probe.login(practice.staff_email, PASSWORD)
        rows = await probe.request("GET", "/templates")
    finally:
        await probe.aclose()
    return [(str(r["id"]), str(r["title"]), str(r["body"])) for r in rows]


def cached(core: ClientCore) -> list[tuple[str, str, str]]:
    return [(t.id, t.title, t.body) for t in core.inbox.templates()]


async def test_admin_creates_edits_and_deletes(profile: Profile, bus: EventBus,
                                              practice: Practice) -> None:
    events: list[str] = []
    bus.subscribe("templates_changed", lambda *a: events.append("templates_changed"))
    core = await logged_in_core(profile, bus, practice)
    try:
        first = await core.create_template("  Rezept abholbereit ",
                                           "Ihr Rezept liegt zur Abholung bereit.")
        second = await core.create_template("Befund da", "Ihr Befund ist eingetroffen.")
        # In the cache at once (no sync ran), trimmed as the server stored it.
        assert cached(core) == [(second, "Befund da", "Ihr Befund ist eingetroffen."),
                                (first, "Rezept abholbereit",
                                 "Ihr Rezept liegt zur Abholung bereit.")]
        assert cached(core) == await server_templates(practice)
        assert events == ["templates_changed"] * 2

        await core.update_template(first, "Rezept fertig", "Ihr Rezept ist fertig.\nGruß")
        assert (first, "Rezept fertig", "Ihr Rezept ist fertig.\nGruß") in cached(core)
        assert cached(core) == await server_templates(practice)

        await core.delete_template(second)
        assert cached(core) == [(first, "Rezept fertig", "Ihr Rezept ist fertig.\nGruß")]
        assert cached(core) == await server_templates(practice)

        # A later sync brings the same state, not duplicates or the deleted one.
        await core.sync_once()
        assert cached(core) == await server_templates(practice)
    finally:
        await core.close()


async def test_staff_is_refused_and_nothing_changes(profile: Profile, bus: EventBus,
                                                    practice: Practice) -> None:
    admin = await logged_in_core(Profile(profile.root.parent / "admin"), EventBus(), practice)
    try:
        kept = await admin.create_template("Impftermin", "Bitte bringen Sie Ihren Impfpass mit.")
    finally:
        await admin.close()

    core = ClientCore(profile, bus)
    await core.login(practice.server.url, practice.staff_email, PASSWORD)
    try:
        await core.sync_once()
        before = cached(core)
        assert before == [(kept, "Impftermin", "Bitte bringen Sie Ihren Impfpass mit.")]

        with pytest.raises(TemplateEditForbidden, match="Only administrators"):
            await core.create_template("Neu", "Text")
        with pytest.raises(TemplateEditForbidden):
            await core.update_template(kept, "Geändert", "Anders")
        with pytest.raises(TemplateEditForbidden):
            await core.delete_template(kept)

        assert cached(core) == before
        assert await server_templates(practice) == before
    finally:
        await core.close()
