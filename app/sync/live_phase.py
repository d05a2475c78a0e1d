"""The live phase of the client's connection loop: follow the websocket until it drops.

Between two delta syncs the core follows ``/api/v1/events``. When the socket is lost (or
never comes up, e.g. a proxy that blocks websockets) this returns, and the connection loop
falls back to ``GET /sync/changes``: at once after a drop, every ``sync_interval_s`` while
the socket cannot be opened. Both paths store the same cursor in the same transaction as
their data, so switching between them loses or repeats nothing.
"""

from __future__ import annotations

import asyncio
import ssl
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from app.api.errors import NotAuthenticated
from app.cache.store import get_cursor, set_cursor
from app.sync.live import CursorRejected, follow_events

if TYPE_CHECKING:
    from app.core import ClientCore


@dataclass
class LiveOutcome:
    was_connected: bool


async def follow_live(core: ClientCore) -> LiveOutcome:
    """Returns when the live connection is lost; ``was_connected`` says whether it ever
    carried frames (then the caller catches up at once instead of waiting to poll)."""
    lost = asyncio.Event()
    outcome = LiveOutcome(was_connected=False)

    def on_connected(up: bool) -> None:
        if up:
            outcome.was_connected = True
            core.mark_online()
        else:
            lost.set()

    async def access_token(force: bool) -> str:
        token = core.api.access_token
        if force or not token:
            token = await core.refresh_access_token()
        if not token:
            raise NotAuthenticated("login needed")
        return token

    async def cursor() -> str:
        assert core.cache is not None
        return str(await core.cache.run(get_cursor))

    async def apply(frame: dict[str, Any]) -> None:
        changes = frame.get("changes")
        if isinstance(changes, list) and "cursor" in frame:
            await core.apply_live_page(changes, str(frame["cursor"]))

    ssl_context = (ssl.create_default_context(cafile=core.settings.ca_file)
                   if core.settings.ca_file else None)
    follower = asyncio.ensure_future(follow_events(
        core.settings.effective_server_url(), access_token, cursor, apply, on_connected,
        ssl_context=ssl_context))
    waiter = asyncio.ensure_future(lost.wait())
    try:
        await asyncio.wait({follower, waiter}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in (follower, waiter):
            task.cancel()
        await asyncio.gather(follower, waiter, return_exceptions=True)
    if follower.done() and not follower.cancelled():
        error = follower.exception()
        if isinstance(error, CursorRejected):
            # The server no longer knows our cursor (e.g. restored from a backup): the next
            # delta sync starts from the beginning; upserts make that safe.
            assert core.cache is not None
            await core.cache.run(lambda conn: set_cursor(conn, ""))
        elif isinstance(error, NotAuthenticated):
            raise error
    return outcome
