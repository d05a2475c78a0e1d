"""The hash chain of the audit log: how an entry's hash is computed and how the chain is
checked. Pure functions, no database."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from backend_server.models.audit_entry import AuditEntry

GENESIS_HASH = "0" * 64


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def entry_hash(
    prev_hash: str,
    *,
    seq: int,
    at: datetime,
    practice_id: str | None,
    actor_user_id: str | None,
    action: str,
    object_type: str | None,
    object_id: str | None,
    detail_hash: str | None = None,
) -> str:
    fields = {
        "seq": seq,
        "at": _iso(at),
        "practice_id": practice_id,
        "actor_user_id": actor_user_id,
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
    }
    if detail_hash is not None:  # absent for older entries, so their hashes stay valid
        fields["detail_hash"] = detail_hash
    canonical = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256((prev_hash + canonical).encode("ascii")).hexdigest()


def hash_of(entry: AuditEntry, prev_hash: str) -> str:
    return entry_hash(
        prev_hash,
        seq=entry.seq,
        at=entry.at,
        practice_id=entry.practice_id,
        actor_user_id=entry.actor_user_id,
        action=entry.action,
        object_type=entry.object_type,
        object_id=entry.object_id,
        detail_hash=entry.detail_hash,
    )


@dataclass(frozen=True)
class ChainReport:
    entries: int
    first_bad_seq: int | None = None
    problem: str | None = None

    @property
    def ok(self) -> bool:
        return self.first_bad_seq is None


class ChainVerifier:
    """Checks entries fed in seq order, one at a time (the log may be large).

    An edited row shows as a hash mismatch at that row; a deleted row as a chain break at the
    row after it (its ``prev_hash`` points at nothing). Removing the newest entries cannot be
    told from a shorter log without an outside anchor.
    """

    def __init__(self) -> None:
        self._prev_hash = GENESIS_HASH
        self._expected_seq = 1
        self._count = 0
        self._failure: ChainReport | None = None

    def feed(self, entry: AuditEntry) -> bool:
        """False once the chain is broken (stop feeding then)."""
        if self._failure is not None:
            return False
        self._count += 1
        if entry.seq != self._expected_seq or entry.prev_hash != self._prev_hash:
            missing = (f"; entries {self._expected_seq}..{entry.seq - 1} are missing"
                       if entry.seq > self._expected_seq else "")
            self._failure = ChainReport(
                self._count, entry.seq,
                f"chain break at seq {entry.seq}: previous hash does not match{missing}")
            return False
        if hash_of(entry, self._prev_hash) != entry.hash:
            self._failure = ChainReport(
                self._count, entry.seq, f"hash mismatch at seq {entry.seq}: the entry was altered")
            return False
        self._prev_hash = entry.hash
        self._expected_seq += 1
        return True

    def report(self) -> ChainReport:
        return self._failure or ChainReport(self._count)


def verify_chain(entries: Iterable[AuditEntry]) -> ChainReport:
    verifier = ChainVerifier()
    for entry in entries:
        if not verifier.feed(entry):
            break
    return verifier.report()
