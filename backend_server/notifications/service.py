"""Notifies patients by e-mail when the practice writes to them.

Staff endpoints call :func:`notify_after_commit`; once the request's transaction has
committed, the :class:`Notifier` starts a tracked background task that checks the patient
has an e-mail address and that the conversation was not notified within
``notify_interval_minutes``, issues a fresh patient link (older links stay valid), and sends
the mail, retrying a failed send 3 times with growing pauses. Nothing here can fail the
request. Logs carry conversation and link ids only: never addresses, names, tokens or text.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from email.message import EmailMessage

from fastapi import Request
from sqlalchemy.ext.asyncio import AsyncSession

from backend_server.audit import service as audit
from backend_server.context import ServerContext
from backend_server.conversations.links import patient_link
from backend_server.conversations.repository import ConversationRepository
from backend_server.db.after_commit import after_commit
from backend_server.notifications import smtp
from backend_server.notifications.mail import compose
from backend_server.patient_links import service as patient_links
from backend_server.patients.repository import PatientRepository
from backend_server.practices.service import get_practice

log = logging.getLogger("backend_server.notifications")

RETRIES = 3
SHUTDOWN_GRACE_SECONDS = 30.0

Sender = Callable[[EmailMessage], Awaitable[None]]


@dataclass(frozen=True)
class _Prepared:
    link_id: str
    message: EmailMessage


class Notifier:
    """Owns the background sends of one server process; :meth:`aclose` awaits them."""

    def __init__(self, ctx: ServerContext, sender: Sender | None = None) -> None:
        self.ctx = ctx
        self._sender = sender
        self._tasks: set[asyncio.Task[None]] = set()
        self._in_flight: set[str] = set()
        self._closing = False

    @property
    def enabled(self) -> bool:
        return bool(self.ctx.settings.smtp_host)

    def schedule(self, practice_id: str, conversation_id: str, base_url: str) -> None:
        """Starts the notification for one conversation unless one is already running (it
        would throttle this one anyway)."""
        if not self.enabled or self._closing or conversation_id in self._in_flight:
            return
        self._in_flight.add(conversation_id)
        task = asyncio.get_running_loop().create_task(
            self._notify(practice_id, conversation_id, base_url),
            name=f"notify-{conversation_id}")
        self._tasks.add(task)

        def done(finished: asyncio.Task[None]) -> None:
            self._tasks.discard(finished)
            self._in_flight.discard(conversation_id)

        task.add_done_callback(done)

    def send_later(self, label: str, message: EmailMessage) -> None:
        """A ready e-mail (the video invitation), sent in the background with the same
        retries; ``label`` names it in logs and must be an id, never an address."""
        if not self.enabled or self._closing:
            return
        task = asyncio.get_running_loop().create_task(
            self._send_ready(label, message), name=f"mail-{label}")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _send_ready(self, label: str, message: EmailMessage) -> None:
        if await self._send_with_retries(label, _Prepared("", message)):
            log.info("e-mail %s sent", label)
        else:
            log.error("e-mail %s not sent", label)

    async def wait_idle(self, timeout: float) -> None:
        """For tests and shutdown: until every running notification has finished."""
        if self._tasks:
            await asyncio.wait(set(self._tasks), timeout=timeout)

    async def aclose(self) -> None:
        self._closing = True
        if not self._tasks:
            return
        pending = set(self._tasks)
        _, still = await asyncio.wait(pending, timeout=SHUTDOWN_GRACE_SECONDS)
        for task in still:
            task.cancel()
        if still:
            await asyncio.wait(still)

    async def _notify(self, practice_id: str, conversation_id: str, base_url: str) -> None:
        try:
            prepared = await self._prepare(practice_id, conversation_id, base_url)
        except Exception as exc:
            log.error("notification for conversation %s not prepared: %s", conversation_id,
                      type(exc).__name__)
            return
        if prepared is None:
            return
        if await self._send_with_retries(conversation_id, prepared):
            log.info("notification for conversation %s sent (link %s)", conversation_id,
                     prepared.link_id)
            return
        # Nobody received this link: take it back so it cannot work from anywhere.
        try:
            async with self.ctx.db.session(practice_id=practice_id) as session:
                await patient_links.revoke_link(session, prepared.link_id,
                                                now=self.ctx.clock.now())
                await session.commit()
        except Exception as exc:
            log.error("unsent link %s of conversation %s not revoked: %s", prepared.link_id,
                      conversation_id, type(exc).__name__)

    async def _prepare(self, practice_id: str, conversation_id: str,
                       base_url: str) -> _Prepared | None:
        settings = self.ctx.settings
        now = self.ctx.clock.now()
        async with self.ctx.db.session(practice_id=practice_id) as session:
            conversation = await ConversationRepository(session).get(conversation_id)
            if conversation is None:
                return None
            patient = await PatientRepository(session).get(conversation.patient_id)
            if patient is None or not patient.email:
                return None
            newest = await patient_links.newest_link(session, conversation_id)
            if newest is not None and newest.revoked_at is not None:
                return None  # staff revoked access; a mail must not hand out a new link
            last = await patient_links.last_notification_at(session, conversation_id)
            interval = timedelta(minutes=settings.notify_interval_minutes)
            if last is not None and now - last < interval:
                return None
            ttl = timedelta(days=settings.patient_link_ttl_days)
            token, link = await patient_links.issue(session, conversation, now=now, ttl=ttl,
                                                    reason="notification", revoke_older=False)
            practice = await get_practice(session, practice_id)
            await audit.record(session, "conversation.notify", at=now,
                               practice_id=practice_id, actor_user_id=None,
                               object_type="conversation", object_id=conversation_id)
            message = compose(practice_name=practice.name, link=patient_link(base_url, token),
                              valid_until=link.expires_at,
                              sender=smtp.sender_address(settings), recipient=patient.email,
                              now=now)
            await session.commit()
            return _Prepared(link.id, message)

    async def _send_with_retries(self, conversation_id: str, prepared: _Prepared) -> bool:
        base = self.ctx.settings.notify_retry_base_seconds
        for attempt in range(RETRIES + 1):
            if attempt:
                await asyncio.sleep(base * 2 ** (attempt - 1))
            try:
                if self._sender is not None:
                    await self._sender(prepared.message)
                else:
                    await smtp.send(self.ctx.settings, prepared.message)
                return True
            except Exception as exc:
                # The class name only: SMTP replies may quote the recipient's address.
                log.warning("notification for conversation %s: attempt %d of %d failed: %s",
                            conversation_id, attempt + 1, RETRIES + 1, type(exc).__name__)
        return False


def notifier_of(request: Request) -> Notifier | None:
    notifier = getattr(request.app.state, "notifier", None)
    return notifier if isinstance(notifier, Notifier) else None


def notify_after_commit(request: Request, session: AsyncSession, *, practice_id: str,
                        conversation_id: str, base_url: str) -> None:
    """Staff wrote to the patient (or opened the conversation): once this request's data is
    committed, send the patient a notification e-mail if they have an address."""
    notifier = notifier_of(request)
    if notifier is None or not notifier.enabled:
        return
    after_commit(session, lambda: notifier.schedule(practice_id, conversation_id, base_url))
