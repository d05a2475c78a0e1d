"""The one place that confines every ORM query to the caller's practice.

A session starts unscoped. Authentication calls :func:`set_practice_scope`; from then on every
SELECT/UPDATE/DELETE touching a :class:`TenantScoped` model gets ``practice_id = <scope>``
added, and flushing a tenant row of another practice fails. A query on tenant data in a session
that has no scope raises instead of silently returning everything. The few lookups that must
run before the practice is known (login by e-mail, refresh token) opt out explicitly with
``execution_options(**ALL_PRACTICES)``, which makes every bypass easy to find.

Repositories load tenant rows with queries, never ``session.get()``: an identity-map hit
issues no SQL and so would skip the filter.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session, with_loader_criteria

from backend_server.models.base import TenantScoped

PRACTICE_KEY = "practice_id"
SYSTEM_KEY = "system_scope"
BYPASS_OPTION = "all_practices"
ALL_PRACTICES: dict[str, Any] = {BYPASS_OPTION: True}


class TenantScopeMissing(RuntimeError):
    """A tenant table was queried in a session that is scoped to no practice."""


class TenantSession(Session):
    pass


def set_practice_scope(session: Session | Any, practice_id: str) -> None:
    """Scope a (sync or async) session to one practice."""
    info = session.info
    info[PRACTICE_KEY] = practice_id


def set_system_scope(session: Session | Any) -> None:
    """For administrative tools (CLI, tests) that legitimately see all practices."""
    session.info[SYSTEM_KEY] = True


@event.listens_for(TenantSession, "do_orm_execute")
def _scope_to_practice(state: ORMExecuteState) -> None:
    if not (state.is_select or state.is_update or state.is_delete):
        return
    if state.is_column_load or state.is_relationship_load:
        return
    if state.execution_options.get(BYPASS_OPTION) or state.session.info.get(SYSTEM_KEY):
        return
    practice_id = state.session.info.get(PRACTICE_KEY)
    if practice_id is None:
        touched = [m.class_ for m in state.all_mappers]
        if any(issubclass(cls, TenantScoped) for cls in touched):
            raise TenantScopeMissing(
                "tenant data queried without a practice scope: " + ", ".join(
                    cls.__name__ for cls in touched)
            )
        return
    state.statement = state.statement.options(
        with_loader_criteria(
            TenantScoped,
            lambda cls: cls.practice_id == practice_id,
            include_aliases=True,
        )
    )


@event.listens_for(TenantSession, "before_flush")
def _refuse_foreign_rows(session: Session, flush_context: Any, instances: Any) -> None:
    practice_id = session.info.get(PRACTICE_KEY)
    if practice_id is None:
        return
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, TenantScoped) and obj.practice_id != practice_id:
            raise TenantScopeMissing(
                f"refusing to write a {type(obj).__name__} of another practice"
            )
