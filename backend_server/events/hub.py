"""The per-process hub that turns change-log growth into websocket frames.

Sockets of one practice are grouped by their cursor (the change-log position they have
received up to). When a transaction that grew a practice's change log commits, that
practice's pump reads "changes after <cursor>" once per *group*, not once per socket, and
hands the same serialized frame to every member; the members then share the new cursor, so
200 sockets that are up to date cost one read per commit. Because every read starts at the
group's own cursor, a socket can neither miss nor repeat a change, whatever it was doing when
the commit happened (joining, catching up, draining a backlog).

Flow control: each socket has a bounded frame queue. A group is only read for while at least
one member is below the low-water mark (catch-up is paced by the slowest reader that is alone
in its group); a member whose queue is full when a frame arrives is disconnected and resumes
from its cursor when it reconnects, so memory never grows with a slow client.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import threading
from collections import deque
from typing import TYPE_CHECKING

from backend_server.sync.repository import ChangeLogRepository
from backend_server.sync.schemas import ChangesOut
from backend_server.sync.service import changes_after, decode_cursor

if TYPE_CHECKING:
    from backend_server.context import ServerContext

log = logging.getLogger(__name__)

# Close codes (see docs/api-contract.md "Live events").
CLOSE_BAD_REQUEST = 4400
CLOSE_NOT_AUTHENTICATED = 4401
CLOSE_HELLO_TIMEOUT = 4408
CLOSE_TOO_SLOW = 4429
CLOSE_SERVER_ERROR = 1011
CLOSE_SERVER_RESTART = 1012


class Subscriber:
    """One websocket's place in the hub: its cursor and its outgoing frames."""

    def __init__(self, practice_id: str, seq: int, max_frames: int) -> None:
        self.practice_id = practice_id
        self.seq = seq
        self.max_frames = max_frames
        self.frames: deque[str] = deque()
        self.control: deque[str] = deque(maxlen=4)  # pong/ping: tiny, never piles up
        self.wake = asyncio.Event()
        self.close_code: int | None = None
        # The first frame after hello is sent even when it is empty: it confirms the hello
        # and tells the client it is caught up.
        self.greeted = False

    @property
    def low_water(self) -> int:
        return self.max_frames // 2

    def wants_more(self) -> bool:
        return self.close_code is None and len(self.frames) <= self.low_water

    def has_room(self) -> bool:
        return len(self.frames) < self.max_frames

    def push(self, frame: str) -> None:
        self.greeted = True
        self.frames.append(frame)
        self.wake.set()

    def push_control(self, frame: str) -> None:
        self.control.append(frame)
        self.wake.set()

    def kick(self, code: int) -> None:
        if self.close_code is None:
            self.close_code = code
        self.wake.set()


class PracticeChannel:
    """All sockets of one practice, grouped by cursor, and the task that feeds them."""

    def __init__(self, hub: EventHub, practice_id: str) -> None:
        self.hub = hub
        self.practice_id = practice_id
        self.groups: dict[int, set[Subscriber]] = {}
        self.dirty = asyncio.Event()
        self.task: asyncio.Task[None] = asyncio.create_task(
            self._pump(), name=f"events-pump-{practice_id}")

    def add(self, sub: Subscriber) -> None:
        self.groups.setdefault(sub.seq, set()).add(sub)
        self.dirty.set()  # a new socket catches up through the same path as live frames

    def remove(self, sub: Subscriber) -> None:
        group = self.groups.get(sub.seq)
        if group is not None:
            group.discard(sub)
            if not group:
                del self.groups[sub.seq]

    @property
    def empty(self) -> bool:
        return not self.groups

    async def _pump(self) -> None:
        while True:
            await self.dirty.wait()
            # Cleared before reading: a commit during the pass sets it again, so no wake-up
            # is lost.
            self.dirty.clear()
            try:
                more = True
                while more:
                    more = False
                    for seq in sorted(self.groups):
                        if await self._feed_group(seq):
                            more = True
            except Exception:  # a bug here must not leave sockets open but silent
                log.exception("event pump of practice %s failed", self.practice_id)
                for group in self.groups.values():
                    for member in group:
                        member.kick(CLOSE_SERVER_ERROR)

    async def _feed_group(self, seq: int) -> bool:
        """Reads one page after ``seq`` for the sockets at ``seq``; True if more pages wait."""
        members = self.groups.get(seq)
        if not members or not any(m.wants_more() for m in members):
            return False  # a member that drains its queue wakes the pump again
        try:
            page = await self.hub.read_page(self.practice_id, seq)
        except Exception:
            log.exception("reading changes for practice %s failed", self.practice_id)
            for member in self.groups.pop(seq, set()):
                member.kick(CLOSE_SERVER_ERROR)
            return False
        frame = json.dumps({"type": "changes", **page.model_dump(mode="json")},
                           separators=(",", ":"))
        if not page.changes:
            for member in self.groups.get(seq, ()):
                if not member.greeted and member.has_room():
                    member.push(frame)
            return False
        new_seq = decode_cursor(page.cursor)
        # Whoever is at ``seq`` now (including sockets that joined during the read) gets
        # exactly the changes after ``seq``.
        group = self.groups.pop(seq, set())
        target = self.groups.setdefault(new_seq, set())
        for member in group:
            if member.close_code is not None:
                continue
            if not member.has_room():
                member.kick(CLOSE_TOO_SLOW)
                continue
            member.push(frame)
            member.seq = new_seq
            target.add(member)
        if not target:
            del self.groups[new_seq]
        return page.has_more


class EventHub:
    def __init__(self, ctx: ServerContext) -> None:
        self.ctx = ctx
        self.channels: dict[str, PracticeChannel] = {}
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread_id: int | None = None
        self._poll_task: asyncio.Task[None] | None = None
        self._subscribers: set[Subscriber] = set()
        self.reads = 0  # page reads so far (tests check the fan-out stays cheap)

    # --- lifecycle -------------------------------------------------------------------------

    def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._thread_id = threading.get_ident()
        self.ctx.db.commit_listeners.append(self.notify)
        self._poll_task = asyncio.create_task(self._poll_foreign_writes(), name="events-poll")

    async def stop(self) -> None:
        with contextlib.suppress(ValueError):
            self.ctx.db.commit_listeners.remove(self.notify)
        tasks = [c.task for c in self.channels.values()]
        if self._poll_task is not None:
            tasks.append(self._poll_task)
        for sub in list(self._subscribers):
            sub.kick(CLOSE_SERVER_RESTART)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        self.channels.clear()

    # --- subscribers -----------------------------------------------------------------------

    def subscribe(self, practice_id: str, seq: int) -> Subscriber:
        sub = Subscriber(practice_id, seq, self.ctx.settings.events_queue_frames)
        channel = self.channels.get(practice_id)
        if channel is None:
            channel = self.channels[practice_id] = PracticeChannel(self, practice_id)
        self._subscribers.add(sub)
        channel.add(sub)
        return sub

    def unsubscribe(self, sub: Subscriber) -> None:
        self._subscribers.discard(sub)
        channel = self.channels.get(sub.practice_id)
        if channel is None:
            return
        channel.remove(sub)
        if channel.empty:
            del self.channels[sub.practice_id]
            channel.task.cancel()

    def drained(self, sub: Subscriber) -> None:
        """A socket's queue fell to its low-water mark: its group may be read for again."""
        channel = self.channels.get(sub.practice_id)
        if channel is not None:
            channel.dirty.set()

    # --- notifications ---------------------------------------------------------------------

    def notify(self, practices: frozenset[str]) -> None:
        """Called right after a commit that grew these practices' change logs."""
        if self._loop is None:
            return
        if threading.get_ident() == self._thread_id:
            self._wake(practices)
        else:  # a commit made on another thread (tests, tools) still reaches the loop
            self._loop.call_soon_threadsafe(self._wake, practices)

    def _wake(self, practices: frozenset[str]) -> None:
        for practice_id in practices:
            channel = self.channels.get(practice_id)
            if channel is not None:
                channel.dirty.set()

    async def read_page(self, practice_id: str, seq: int) -> ChangesOut:
        self.reads += 1
        async with self.ctx.db.session(practice_id=practice_id) as session:
            return await changes_after(session, seq, self.ctx.settings.sync_page_size)

    async def _poll_foreign_writes(self) -> None:
        """Commits by other processes (the CLI, a second server) fire no hook here; a cheap
        look at the newest change-log position notices them."""
        newest: int | None = None
        while True:
            await asyncio.sleep(self.ctx.settings.events_poll_seconds)
            if not self.channels:
                newest = None
                continue
            try:
                async with self.ctx.db.session(system=True) as session:
                    current = await ChangeLogRepository(session).newest_seq_all_practices()
            except Exception:
                log.exception("polling the change log failed")
                continue
            # The first look after sockets appear wakes them too: a foreign write may have
            # landed between a socket's first read and this sample.
            if newest is None or current > newest:
                self._wake(frozenset(self.channels))
            newest = current
