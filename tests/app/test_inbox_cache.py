"""The inbox over the encrypted cache, fed with change pages as the server sends them:
German-aware search, filters, order, thread merging, tombstones and idempotent re-sync."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.cache.database import CacheDB, open_cache_sync
from app.cache.inbox import InboxCache
from app.cache.search import fold, fts_query
from app.inbox.types import InboxFilter, InquiryStatus, InquiryType, OutboxState
from app.sync import outbox
from app.sync.engine import ApplyContext, apply_changes, apply_page

T0 = "2026-11-20T09:00:00Z"


def ch(kind: str, oid: str, data: dict[str, Any] | None = None,
       op: str = "upsert") -> dict[str, Any]:
    return {"kind": kind, "op": "delete" if data is None else op, "id": oid, "data": data}


def at(minute: int) -> str:
    return f"2026-11-20T{9 + minute // 60:02d}:{minute % 60:02d}:00Z"


def conv(cid: str, pid: str, last: int, unread: int = 0) -> dict[str, Any]:
    return ch("conversation", cid, {"id": cid, "patient_id": pid, "unread_count": unread,
                                    "link_active": True, "created_at": T0,
                                    "updated_at": at(last), "last_activity_at": at(last)})


def msg(mid: str, cid: str, text: str, minute: int, author: str = "patient") -> dict[str, Any]:
    return ch("message", mid, {"id": mid, "conversation_id": cid, "author": author,
                               "author_user_id": None, "text": text,
                               "created_at": at(minute), "read_at": None, "attachments": []})


def inquiry(iid: str, cid: str, itype: str, status: str, minute: int, text: str = "",
            details: dict[str, Any] | None = None,
            assignee: str | None = None) -> dict[str, Any]:
    return ch("inquiry", iid, {"id": iid, "conversation_id": cid, "type": itype,
                               "details": details or {}, "text": text, "status": status,
                               "assignee_user_id": assignee, "created_at": at(minute),
                               "updated_at": at(minute)})


PAGE = [
    ch("patient", "p1", {"id": "p1", "name": "Jürgen Müller", "dob": "1960-01-01"}),
    ch("patient", "p2", {"id": "p2", "name": "Aylin Öztürk", "dob": "1990-02-02"}),
    ch("patient", "p3", {"id": "p3", "name": "Heinz Weiß", "dob": "1950-03-03"}),
    # Messages first, their conversation after: the server's change order allows that.
    msg("m1", "c1", "Ich brauche eine Überweisung zum Orthopäden.", 1),
    msg("m2", "c1", "Die Überweisung liegt bereit.", 5, author="staff"),
    conv("c1", "p1", 5),
    msg("m3", "c2", "Termin wegen Rückenschmerzen?", 10),
    conv("c2", "p2", 20, unread=1),
    inquiry("i2", "c2", "prescription", "new", 20, text="Bitte Folgerezept",
            details={"medications": ["Ramipril 5 mg"]}),
    conv("c3", "p3", 30),
    msg("m4", "c3", "Danke für den Befund", 25, author="staff"),
    inquiry("i3", "c3", "sick_note", "in_progress", 30,
            details={"from": "2026-11-20", "to": "2026-11-22"}, assignee="u-anna"),
    ch("note", "n1", {"id": "n1", "conversation_id": "c3", "inquiry_id": "i3",
                      "author_user_id": "u-anna", "text": "Arbeitgeber anrufen wegen Attest",
                      "created_at": at(31)}),
    ch("template", "t1", {"id": "t1", "title": "Rezept bereit", "body": "Ihr Rezept liegt "
                          "zur Abholung bereit.", "updated_at": T0}),
]


@pytest.fixture
def cache(tmp_path: Path) -> Iterator[tuple[CacheDB, InboxCache]]:
    db = open_cache_sync(tmp_path / "cache.db", os.urandom(32))
    db.run_sync(lambda conn: apply_changes(conn, PAGE, ApplyContext()))
    reader = InboxCache(db.open_reader())
    yield db, reader
    reader.close()
    db.close()


def search(inbox: InboxCache, text: str) -> list[str]:
    flt = InboxFilter(search=text)
    ids = inbox.inbox_ids(flt, 0, 50)
    assert inbox.inbox_count(flt) == len(ids)
    return ids


def test_fold_treats_umlaut_spellings_alike() -> None:
    for spelling in ("Überweisung", "uberweisung", "ueberweisung", "ÜBERWEISUNG", "UEBERWEISUNG"):
        assert fold(spelling) == "uberweisung"
    assert fold("Weiß") == fold("weiss")
    assert fold("Müller") == fold("mueller")
    assert fold("Café Ñandú") == "cafe nandu"
    assert fold("U\u0308berweisung") == "uberweisung"  # decomposed input, as macOS sends it


@pytest.mark.parametrize("typed", ["uberweisung", "ueberweisung", "ÜBERWEISUNG", "Überweis",
                                   "UEBERW"])
def test_search_finds_umlaut_words_however_typed(cache: tuple[CacheDB, InboxCache],
                                                 typed: str) -> None:
    assert search(cache[1], typed) == ["c1"]


def test_search_covers_patient_names_inquiries_and_notes(
        cache: tuple[CacheDB, InboxCache]) -> None:
    inbox = cache[1]
    assert search(inbox, "mueller") == ["c1"]
    assert search(inbox, "MÜLLER jürg") == ["c1"]
    assert search(inbox, "oeztuerk") == ["c2"]
    assert search(inbox, "weiss") == ["c3"]
    assert search(inbox, "ramipril") == ["c2"]  # inquiry details
    assert search(inbox, "folgerez") == ["c2"]  # inquiry text, prefix on the last term
    assert search(inbox, "arbeitgeber") == ["c3"]  # internal note
    assert search(inbox, "ruckenschmerz") == ["c2"]
    assert search(inbox, "Überweisung Müller") == ["c1"]  # terms across documents AND-ed
    assert search(inbox, "Überweisung Öztürk") == []


@pytest.mark.parametrize("hostile", ['"', 'Über"weisung', "NEAR(a b)", "a OR b", "*", "body:x",
                                     "-Müller", "(((", "^Müller", "Müller AND"])
def test_fts_syntax_in_user_input_is_literal(cache: tuple[CacheDB, InboxCache],
                                             hostile: str) -> None:
    # Never an SQL/FTS error in the search box; operators are taken as words.
    search(cache[1], hostile)
    query = fts_query(hostile)
    assert query is None or all(part.startswith('"') for part in query.split())


def test_order_filters_and_rows(cache: tuple[CacheDB, InboxCache]) -> None:
    inbox = cache[1]
    assert inbox.inbox_ids(InboxFilter(), 0, 10) == ["c3", "c2", "c1"]
    assert inbox.inbox_ids(InboxFilter(), 1, 1) == ["c2"]
    assert inbox.inbox_count(InboxFilter()) == 3
    assert inbox.inbox_ids(InboxFilter(unread_only=True), 0, 10) == ["c2"]
    assert inbox.inbox_ids(InboxFilter(inquiry_type=InquiryType.SICK_NOTE), 0, 10) == ["c3"]
    assert inbox.inbox_ids(InboxFilter(status=InquiryStatus.NEW), 0, 10) == ["c2"]
    assert inbox.inbox_ids(InboxFilter(assignee_user_id="u-anna"), 0, 10) == ["c3"]
    assert inbox.inbox_ids(InboxFilter(status=InquiryStatus.NEW, search="ramipril"), 0, 10) \
        == ["c2"]
    assert inbox.inbox_count(InboxFilter(status=InquiryStatus.DONE)) == 0

    rows = inbox.inbox_rows(["c1", "c2", "c3"])
    assert rows["c1"].patient_name == "Jürgen Müller"
    assert rows["c1"].preview == "Die Überweisung liegt bereit."
    assert rows["c1"].inquiry_id is None
    assert rows["c2"].unread_count == 1
    assert rows["c2"].inquiry_type is InquiryType.PRESCRIPTION
    assert rows["c2"].unanswered is True  # no staff message after the patient's request
    assert rows["c2"].preview == "Bitte Folgerezept"
    assert rows["c3"].open_inquiries == 1
    assert rows["c3"].assignee_user_id == "u-anna"
    assert rows["c3"].unanswered is True
    assert [t.title for t in inbox.templates()] == ["Rezept bereit"]


def test_unanswered_inquiry_first_among_equal_times(tmp_path: Path) -> None:
    db = open_cache_sync(tmp_path / "c.db", os.urandom(32))
    page = [ch("patient", "p", {"id": "p", "name": "A"}), conv("ca", "p", 10),
            conv("cb", "p", 10), inquiry("ib", "cb", "other", "new", 10)]
    db.run_sync(lambda conn: apply_changes(conn, page, ApplyContext()))
    inbox = InboxCache(db.open_reader())
    assert inbox.inbox_ids(InboxFilter(), 0, 10) == ["cb", "ca"]
    # A staff answer after the inquiry: no longer highlighted.
    db.run_sync(lambda conn: apply_changes(conn, [msg("mx", "cb", "Erledigt", 11, "staff")],
                                           ApplyContext()))
    assert inbox.inbox_rows(["cb"])["cb"].unanswered is False
    inbox.close()
    db.close()


def test_thread_merges_kinds_oldest_first(cache: tuple[CacheDB, InboxCache]) -> None:
    db, inbox = cache
    items = inbox.thread_items("c3", 0, 10)
    assert [(i.kind, i.id) for i in items] == [("message", "m4"), ("inquiry", "i3"),
                                               ("note", "n1")]
    assert items[1].inquiry_details == {"from": "2026-11-20", "to": "2026-11-22"}
    assert items[1].inquiry_status is InquiryStatus.IN_PROGRESS
    assert items[2].inquiry_id == "i3"
    oid = db.run_sync(lambda conn: outbox.enqueue(conn, "message", conversation_id="c3",
                                                  payload={"text": "Gute Besserung"}))
    assert inbox.thread_count("c3") == 4
    last = inbox.thread_items("c3", 3, 10)
    assert [(i.kind, i.id, i.outbox_state, i.text) for i in last] == [
        ("outbox", oid, OutboxState.PENDING, "Gute Besserung")]
    assert inbox.thread_items("c3", 1, 1)[0].id == "i3"


def test_tombstones_and_reapplying_a_page(cache: tuple[CacheDB, InboxCache]) -> None:
    db, inbox = cache

    def counts() -> tuple[int, ...]:
        return tuple(db.run_sync(lambda conn: conn.execute(
            "SELECT (SELECT count(*) FROM messages), (SELECT count(*) FROM inquiries), "
            "(SELECT count(*) FROM notes), (SELECT group_concat(words, '|') FROM "
            "conversation_words), (SELECT count(*) FROM conversations)").fetchone()))

    before = counts()
    # The same page again (a crash after commit but before the next request): no change.
    db.run_sync(lambda conn: apply_page(conn, PAGE, "cur", ApplyContext(), finished=True))
    assert counts() == before
    assert search(inbox, "uberweisung") == ["c1"]

    db.run_sync(lambda conn: apply_changes(conn, [ch("message", "m1"), ch("message", "m2"),
                                                  ch("note", "n1")], ApplyContext()))
    assert search(inbox, "uberweisung") == []
    assert search(inbox, "arbeitgeber") == []
    assert inbox.inbox_rows(["c1"])["c1"].preview == ""
    # A renamed patient is found under the new name only.
    db.run_sync(lambda conn: apply_changes(
        conn, [ch("patient", "p1", {"id": "p1", "name": "Jürgen Groß"})], ApplyContext()))
    assert search(inbox, "gross") == ["c1"]
    assert search(inbox, "muller") == []
    assert inbox.inbox_rows(["c1"])["c1"].patient_name == "Jürgen Groß"
    db.run_sync(lambda conn: apply_changes(conn, [ch("conversation", "c3")], ApplyContext()))
    assert inbox.inbox_ids(InboxFilter(), 0, 10) == ["c2", "c1"]
    assert inbox.thread_items("c3", 0, 10) == []
    db.run_sync(lambda conn: apply_changes(conn, [ch("template", "t1")], ApplyContext()))
    assert inbox.templates() == []


def test_prefix_search_with_many_completions_and_stale_words(tmp_path: Path) -> None:
    db = open_cache_sync(tmp_path / "c.db", os.urandom(32))
    words = [f"medikament{n:03d}" for n in range(100)]  # more completions than expanded
    page = [ch("patient", "p", {"id": "p", "name": "Eva Lang"}), conv("c1", "p", 1),
            *[msg(f"m{n}", "c1", f"Bitte {w}", n) for n, w in enumerate(words)],
            conv("c2", "p", 2), msg("x", "c2", "Blutdruckwerte", 2)]
    db.run_sync(lambda conn: apply_changes(conn, page, ApplyContext()))
    inbox = InboxCache(db.open_reader())
    assert search(inbox, "medikam") == ["c1"]  # searched as an FTS prefix
    assert search(inbox, "medikament05") == ["c1"]  # expanded into ten whole words
    assert search(inbox, "blutdr") == ["c2"]
    # A word whose only message is gone stays in the vocabulary but finds nothing.
    db.run_sync(lambda conn: apply_changes(conn, [ch("message", "x")], ApplyContext()))
    assert search(inbox, "blutdr") == []
    assert search(inbox, "lang blutdr") == []
    assert search(inbox, "lang") == ["c1", "c2"]  # c1 has the newest message
    inbox.close()
    db.close()


def test_one_page_adding_and_removing_in_the_same_conversation(tmp_path: Path) -> None:
    """A page's search words are written once per conversation at its end; a removal or a
    deleted conversation in the same page must still win over words collected before it."""
    db = open_cache_sync(tmp_path / "c.db", os.urandom(32))
    page = [ch("patient", "p", {"id": "p", "name": "Eva Lang"}),
            conv("c1", "p", 1), msg("a", "c1", "Schilddrüse Werte", 1),
            conv("c2", "p", 2), msg("b", "c2", "Impfung Grippe", 2),
            ch("conversation", "c2"),  # deleted after its words were collected
            ch("message", "a"), msg("c", "c1", "Ultraschall morgen", 3)]
    db.run_sync(lambda conn: apply_changes(conn, page, ApplyContext()))
    inbox = InboxCache(db.open_reader())
    assert search(inbox, "ultraschall") == ["c1"]
    assert search(inbox, "schilddruse") == []
    assert search(inbox, "grippe") == []
    assert search(inbox, "lang") == ["c1"]
    inbox.close()
    db.close()
