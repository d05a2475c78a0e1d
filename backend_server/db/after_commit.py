"""Run small callbacks once the session's transaction has committed (and drop them if it
rolls back), e.g. to start a background e-mail only for data that really exists."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from backend_server.db.tenancy import TenantSession

log = logging.getLogger("backend_server.db")

_KEY = "after_commit_callbacks"


def after_commit(session: AsyncSession, callback: Callable[[], None]) -> None:
    """``callback`` runs right after the next successful commit; it must not block."""
    session.info.setdefault(_KEY, []).append(callback)


@event.listens_for(TenantSession, "after_commit")
def _run_callbacks(session: Session) -> None:
    callbacks: list[Callable[[], None]] = session.info.pop(_KEY, [])
    for callback in callbacks:
        try:
            callback()
        except Exception as exc:  # the commit stands; a callback must not undo the answer
            log.error("after-commit callback failed: %s", type(exc).__name__)


@event.listens_for(TenantSession, "after_rollback")
def _drop_callbacks(session: Session, *_: Any) -> None:
    session.info.pop(_KEY, None)
