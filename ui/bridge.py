"""Turns the core's plain-Python events into Qt signals (the Electrum pattern).

The core may emit from any thread (an executor, a websocket reader). Every event is first
sent through a private signal with a queued connection to this object, which lives in the
GUI thread; only there are the public signals emitted, so widgets are always called on the
GUI thread and never by the core directly.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ui.core_port import EventSource
from ui.qt import QObject, Qt, Signal, Slot

EVENTS = ("connection_state", "cache_reset", "sync_done", "inbox_changed", "sync_progress",
          "outbox_changed", "new_inquiry", "templates_changed", "session_revoked",
          "cache_purged", "server_compat", "calls_changed", "urgent_call",
          "remote_changes")


class CoreBridge(QObject):
    connectionStateChanged = Signal(object)
    cacheReset = Signal(object)
    syncDone = Signal(object)
    # Inbox events (see app.inbox.types.InboxActions): ids changed, SyncProgress, the
    # conversation id whose outbox changed, the number of new patient inquiries.
    inboxChanged = Signal(object)
    syncProgress = Signal(object)
    outboxChanged = Signal(object)
    newInquiry = Signal(object)
    # An admin's template edit is in the cache (no payload; sync_done covers synced ones).
    templatesChanged = Signal(object)
    # The server ended this device's login; the core has wiped the local data.
    sessionRevoked = Signal(object)
    # The retention purge ran (counts per kind).
    cachePurged = Signal(object)
    # The server's release was judged (app.server_compat.Compatibility), at login and on
    # reconnect; only a change is announced.
    serverCompatChanged = Signal(object)
    # Phone assistant (issue 5): call ids that changed; urgent calls to alert for.
    callsChanged = Signal(object)
    urgentCall = Signal(object)
    # Changes of kinds the cache does not store (list of kinds, e.g. "video_appointment").
    remoteChanges = Signal(object)

    _relay = Signal(str, object)

    def __init__(self, events: EventSource, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._relay.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        self._unsubscribe: list[Callable[[], None]] = []
        for name in EVENTS:
            self._unsubscribe.append(events.subscribe(name, self._forwarder(name)))

    def _forwarder(self, name: str) -> Callable[..., None]:
        def forward(*args: Any) -> None:
            payload = args[0] if len(args) == 1 else args
            self._relay.emit(name, payload)

        return forward

    @Slot(str, object)
    def _deliver(self, name: str, payload: object) -> None:
        if name == "connection_state":
            self.connectionStateChanged.emit(payload)
        elif name == "cache_reset":
            self.cacheReset.emit(payload)
        elif name == "sync_done":
            self.syncDone.emit(payload)
        elif name == "inbox_changed":
            self.inboxChanged.emit(payload)
        elif name == "sync_progress":
            self.syncProgress.emit(payload)
        elif name == "outbox_changed":
            self.outboxChanged.emit(payload)
        elif name == "new_inquiry":
            self.newInquiry.emit(payload)
        elif name == "templates_changed":
            self.templatesChanged.emit(payload)
        elif name == "session_revoked":
            self.sessionRevoked.emit(payload)
        elif name == "cache_purged":
            self.cachePurged.emit(payload)
        elif name == "server_compat":
            self.serverCompatChanged.emit(payload)
        elif name == "calls_changed":
            self.callsChanged.emit(payload)
        elif name == "urgent_call":
            self.urgentCall.emit(payload)
        elif name == "remote_changes":
            self.remoteChanges.emit(payload)

    def detach(self) -> None:
        """Stop listening to the core (on shutdown, before the core is closed)."""
        for unsubscribe in self._unsubscribe:
            unsubscribe()
        self._unsubscribe.clear()
