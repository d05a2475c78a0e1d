"""Schema of the local cache, as an ordered list of steps (``PRAGMA user_version``)."""

from __future__ import annotations

from typing import Any

MIGRATIONS: list[str] = [
    # 1: the staff directory from sync, the sync cursor, small key/value facts
    """
    CREATE TABLE users (
        id TEXT PRIMARY KEY,
        email TEXT NOT NULL,
        display_name TEXT NOT NULL,
        role TEXT NOT NULL,
        active INTEGER NOT NULL,
        updated_at TEXT
    );
    CREATE TABLE sync_state (stream TEXT PRIMARY KEY, cursor TEXT NOT NULL);
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    """,
    # 2: the inbox. The search index has one document per conversation (rowid = its num):
    # the words of its messages, inquiries, notes and patient name (see app.cache.search).
    # detail=none: only which documents hold a word, no positions, so doclists stay small.
    # search_terms is the vocabulary for expanding the last, unfinished word of a search.
    # Conversations carry a few derived columns (preview, newest open inquiry, unanswered)
    # that the sync appliers keep current, so the inbox list is one indexed scan.
    # No foreign keys between synced tables: pages arrive in change order, so a message may
    # come before its conversation.
    """
    CREATE TABLE patients (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        dob TEXT,
        email TEXT,
        phone TEXT,
        updated_at TEXT
    );
    CREATE TABLE conversation_nums (num INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE);
    CREATE TABLE conversations (
        id TEXT PRIMARY KEY,
        num INTEGER NOT NULL UNIQUE,
        patient_id TEXT NOT NULL,
        patient_name TEXT NOT NULL DEFAULT '',
        link_active INTEGER NOT NULL DEFAULT 0,
        link_expires_at TEXT,
        unread_count INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL,
        updated_at TEXT,
        last_activity_at TEXT NOT NULL,
        server_preview TEXT,
        preview TEXT NOT NULL DEFAULT '',
        open_inquiries INTEGER NOT NULL DEFAULT 0,
        open_inquiry_id TEXT,
        open_inquiry_type TEXT,
        open_inquiry_status TEXT,
        open_assignee TEXT,
        unanswered INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX conversations_activity
        ON conversations (last_activity_at DESC, unanswered DESC, id, num, unread_count);
    CREATE INDEX conversations_patient ON conversations (patient_id);
    CREATE INDEX conversations_num_activity
        ON conversations (num, last_activity_at, unanswered, id);
    CREATE INDEX conversations_id_unread ON conversations (id, unread_count);
    CREATE TABLE messages (
        id TEXT PRIMARY KEY,
        conversation_id TEXT NOT NULL,
        author TEXT NOT NULL,
        author_user_id TEXT,
        text TEXT NOT NULL,
        created_at TEXT NOT NULL,
        read_at TEXT,
        has_attachments INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX messages_thread ON messages (conversation_id, created_at, id);
    CREATE TABLE attachments (
        id TEXT PRIMARY KEY,
        message_id TEXT NOT NULL,
        conversation_id TEXT NOT NULL,
        filename TEXT NOT NULL,
        content_type TEXT NOT NULL,
        size INTEGER NOT NULL,
        sha256 TEXT NOT NULL,
        created_at TEXT
    );
    CREATE INDEX attachments_message ON attachments (message_id);
    CREATE TABLE attachment_blobs (
        attachment_id TEXT PRIMARY KEY,
        data BLOB NOT NULL,
        stored_at TEXT NOT NULL
    );
    CREATE TABLE inquiries (
        id TEXT PRIMARY KEY,
        conversation_id TEXT NOT NULL,
        type TEXT NOT NULL,
        details TEXT NOT NULL DEFAULT '{}',
        text TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL,
        assignee_user_id TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT
    );
    CREATE INDEX inquiries_thread ON inquiries (conversation_id, created_at, id);
    CREATE INDEX inquiries_filter ON inquiries (type, status, conversation_id);
    CREATE INDEX inquiries_status ON inquiries (status, conversation_id);
    CREATE INDEX inquiries_assignee ON inquiries (assignee_user_id, conversation_id);
    CREATE TABLE notes (
        id TEXT PRIMARY KEY,
        conversation_id TEXT NOT NULL,
        inquiry_id TEXT,
        author_user_id TEXT,
        text TEXT NOT NULL,
        created_at TEXT NOT NULL
    );
    CREATE INDEX notes_thread ON notes (conversation_id, created_at, id);
    CREATE TABLE templates (
        id TEXT PRIMARY KEY,
        title TEXT NOT NULL,
        body TEXT NOT NULL,
        updated_at TEXT
    );
    CREATE TABLE outbox (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL,
        conversation_id TEXT,
        target_id TEXT,
        payload TEXT NOT NULL DEFAULT '{}',
        file_name TEXT,
        file_data BLOB,
        state TEXT NOT NULL DEFAULT 'pending',
        error TEXT,
        error_code TEXT,
        attempts INTEGER NOT NULL DEFAULT 0,
        result_id TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE INDEX outbox_state ON outbox (state, seq);
    CREATE INDEX outbox_thread ON outbox (conversation_id, state);
    CREATE TABLE conversation_words (
        num INTEGER PRIMARY KEY,
        words TEXT NOT NULL,
        stale INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE search_terms (term TEXT PRIMARY KEY) WITHOUT ROWID;
    CREATE VIRTUAL TABLE search_fts USING fts5(
        body, content='', contentless_delete=1, detail=none,
        tokenize='unicode61 remove_diacritics 2'
    )
    """,
    # 3: retention purge (app.cache.purge) selects expired rows by creation time in bounded
    # chunks; without these indexes every chunk would scan its whole table. The partial
    # index finds the conversations whose search words must be rebuilt after a purge.
    """
    CREATE INDEX messages_created ON messages (created_at);
    CREATE INDEX inquiries_created ON inquiries (created_at);
    CREATE INDEX notes_created ON notes (created_at);
    CREATE INDEX attachments_conversation ON attachments (conversation_id);
    CREATE INDEX outbox_created ON outbox (created_at);
    CREATE INDEX conversation_words_stale ON conversation_words (num) WHERE stale = 1
    """,
    # 4: forms (issue 8). Definitions are practice configuration (not purged); requests are
    # communication content: purged by updated_at like the server does, and with their
    # conversation. The definition JSON is kept as text, parsed when a form is shown.
    """
    CREATE TABLE form_definitions (
        id TEXT PRIMARY KEY,
        form_id TEXT NOT NULL,
        version INTEGER NOT NULL,
        title TEXT NOT NULL,
        status TEXT NOT NULL,
        definition TEXT NOT NULL DEFAULT '{}',
        updated_at TEXT
    );
    CREATE INDEX form_definitions_status ON form_definitions (status, title, version);
    CREATE TABLE form_requests (
        id TEXT PRIMARY KEY,
        conversation_id TEXT NOT NULL,
        form_definition_id TEXT NOT NULL,
        form_id TEXT NOT NULL,
        version INTEGER NOT NULL,
        title TEXT NOT NULL,
        status TEXT NOT NULL,
        inquiry_id TEXT,
        attachment_id TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT,
        submitted_at TEXT
    );
    CREATE INDEX form_requests_thread ON form_requests (conversation_id, created_at, id);
    CREATE INDEX form_requests_updated ON form_requests (updated_at)
    """,
    # 5: the phone assistant's calls (issue 5), mirroring the server's CallOut. Content like
    # messages: purged by created_at. ``alerted`` is this client's own mark that it has shown
    # the urgent-call banner for the call (never synced; survives restarts, so a call alerts
    # once per device). The queue index serves "open urgent calls first, then newest".
    """
    CREATE TABLE calls (
        id TEXT PRIMARY KEY,
        source TEXT NOT NULL DEFAULT '',
        from_number TEXT,
        to_number TEXT,
        started_at TEXT NOT NULL,
        duration_seconds INTEGER,
        status TEXT NOT NULL,
        processing TEXT NOT NULL,
        category TEXT,
        urgent INTEGER NOT NULL DEFAULT 0,
        urgent_reasons TEXT NOT NULL DEFAULT '[]',
        transcript TEXT,
        caller_name TEXT,
        caller_dob TEXT,
        caller_phone TEXT,
        wished_time TEXT,
        assignee_user_id TEXT,
        has_recording INTEGER NOT NULL DEFAULT 0,
        patient_id TEXT,
        inquiry_id TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT,
        processed_at TEXT,
        pinned INTEGER NOT NULL DEFAULT 0,
        alerted INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX calls_queue ON calls (pinned DESC, started_at DESC, id);
    CREATE INDEX calls_created ON calls (created_at)
    """,
]


def schema_version(conn: Any) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: Any) -> int:
    """Bring the schema to the newest version; each step is its own transaction."""
    version = schema_version(conn)
    if version > len(MIGRATIONS):
        raise RuntimeError(
            f"the local cache was written by a newer Praxisdesk (schema {version})"
        )
    for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
        conn.execute("BEGIN IMMEDIATE")
        try:
            for statement in script.split(";"):
                if statement.strip():
                    conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {number}")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
    return schema_version(conn)
