"""Reply templates of a practice. Admins write them; everyone reads them. Every write is
idempotent through ``backend_server.idempotency`` (the row of a create may be deleted
later, so the key cannot live on it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from backend_server import idempotency
from backend_server.audit import service as audit
from backend_server.errors import not_found
from backend_server.models.template import Template
from backend_server.templates.repository import TemplateRepository


@dataclass(frozen=True)
class WrittenTemplate:
    template: Template
    created: bool


async def get_template(session: AsyncSession, template_id: str) -> Template:
    template = await TemplateRepository(session).get(template_id)
    if template is None:
        raise not_found("No such template.")
    return template


async def list_templates(session: AsyncSession) -> list[Template]:
    return await TemplateRepository(session).by_title()


async def create_template(
    session: AsyncSession, *, practice_id: str, title: str, body: str, idempotency_key: str,
    now: datetime, actor_user_id: str,
) -> WrittenTemplate:
    fingerprint = idempotency.request_hash("template.create", title, body)
    earlier = await idempotency.earlier_object_id(session, kind="template.create",
                                                  key=idempotency_key, fingerprint=fingerprint)
    if earlier is not None:
        return WrittenTemplate(await get_template(session, earlier), created=False)
    template = Template(practice_id=practice_id, title=title.strip(), body=body,
                        created_at=now, updated_at=now)
    await TemplateRepository(session).add(template)
    await idempotency.remember(session, practice_id=practice_id, kind="template.create",
                               key=idempotency_key, fingerprint=fingerprint,
                               object_id=template.id, now=now)
    await audit.record(session, "template.create", at=now, practice_id=practice_id,
                       actor_user_id=actor_user_id, object_type="template",
                       object_id=template.id)
    return WrittenTemplate(template, created=True)


async def update_template(
    session: AsyncSession, template_id: str, *, title: str | None, body: str | None,
    idempotency_key: str, now: datetime, actor_user_id: str,
) -> Template:
    template = await get_template(session, template_id)
    fingerprint = idempotency.request_hash("template.update", template.id, title, body)
    if await idempotency.earlier_object_id(session, kind="template.update",
                                           key=idempotency_key,
                                           fingerprint=fingerprint) is not None:
        return template
    if title is not None:
        template.title = title.strip()
    if body is not None:
        template.body = body
    template.updated_at = now
    await TemplateRepository(session).save(template)
    await idempotency.remember(session, practice_id=template.practice_id,
                               kind="template.update", key=idempotency_key,
                               fingerprint=fingerprint, object_id=template.id, now=now)
    await audit.record(session, "template.update", at=now, practice_id=template.practice_id,
                       actor_user_id=actor_user_id, object_type="template",
                       object_id=template.id)
    return template


async def delete_template(
    session: AsyncSession, template_id: str, *, practice_id: str, idempotency_key: str,
    now: datetime, actor_user_id: str,
) -> None:
    """Gone for good; clients get a tombstone through sync. A retry answers 204 again."""
    fingerprint = idempotency.request_hash("template.delete", template_id)
    if await idempotency.earlier_object_id(session, kind="template.delete",
                                           key=idempotency_key,
                                           fingerprint=fingerprint) is not None:
        return
    template = await get_template(session, template_id)
    await TemplateRepository(session).delete(template)
    await idempotency.remember(session, practice_id=practice_id, kind="template.delete",
                               key=idempotency_key, fingerprint=fingerprint,
                               object_id=template_id, now=now)
    await audit.record(session, "template.delete", at=now, practice_id=practice_id,
                       actor_user_id=actor_user_id, object_type="template",
                       object_id=template_id)
