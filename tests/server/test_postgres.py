"""The core auth, tenancy, audit and sync tests again, on a throwaway PostgreSQL server.

The imported test functions run here a second time with this module's ``server`` fixture,
which points the app at a fresh PostgreSQL database per test.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest

from backend_server import admin
from backend_server.clock import MutableClock
from tests.server.attachments.test_refusals import (  # noqa: F401
    test_too_large_is_refused_while_streaming,
)
from tests.server.attachments.test_upload_download import (  # noqa: F401
    test_idempotent_retry_returns_the_same_message,
    test_patient_uploads_and_downloads_with_the_link,
)
from tests.server.harness import Harness, make_app
from tests.server.inquiries.test_demo_and_migration import (  # noqa: F401
    test_demo_has_inquiries_notes_templates_and_unread,
)
from tests.server.inquiries.test_inquiry_flow import (  # noqa: F401
    test_changes_reach_clients_through_sync,
    test_retries_return_the_first_inquiry_and_other_bodies_conflict,
)
from tests.server.inquiries.test_read_state import (  # noqa: F401
    test_messages_arriving_together_are_all_counted,
    test_staff_read_marks_patient_messages_for_the_whole_practice,
    test_summary_fields_follow_messages_inquiries_and_the_patient_name,
)
from tests.server.inquiries.test_templates import (  # noqa: F401
    test_sync_upserts_and_tombstones,
)
from tests.server.postgres import PostgresServer, find_pg_bindir, throwaway_postgres
from tests.server.test_audit_log import (  # noqa: F401
    test_chain_of_real_activity_verifies,
    test_concurrent_requests_keep_one_unbroken_chain,
)
from tests.server.test_login_lockout import (  # noqa: F401
    test_five_failures_lock_even_the_right_password_for_15_minutes,
    test_unknown_email_answers_like_a_wrong_password,
)
from tests.server.test_sync_changes import (  # noqa: F401
    test_deleted_object_arrives_as_delete,
    test_delta_since_cursor_holds_latest_state_once,
    test_pages_and_practice_scope,
)
from tests.server.test_tenant_isolation import (  # noqa: F401
    test_every_id_route_hides_other_practices_objects,
    test_lists_only_show_own_practice,
)
from tests.server.test_tokens_and_sessions import (  # noqa: F401
    test_access_token_expires_after_15_minutes,
    test_refresh_rotates_and_reuse_kills_the_whole_session,
    test_sessions_list_and_revoke_other_device,
)
from tests.server.test_totp import test_enrol_confirm_and_login_with_code  # noqa: F401
from tests.server.test_users import test_admin_creates_and_updates_a_user  # noqa: F401

PG_BINDIR = find_pg_bindir()

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(PG_BINDIR is None,
                       reason="PostgreSQL server binaries (initdb) not installed"),
]


@pytest.fixture(scope="module")
def postgres() -> Iterator[PostgresServer]:
    assert PG_BINDIR is not None
    with throwaway_postgres(PG_BINDIR) as server:
        yield server


@pytest.fixture
async def server(tmp_path: Path, postgres: PostgresServer) -> AsyncIterator[Harness]:
    clock = MutableClock()
    app, settings = make_app(tmp_path / "data", clock, postgres.new_database_url())
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
            yield Harness(app=app, client=c, clock=clock, data_dir=tmp_path / "data",
                          settings=settings)


async def test_audit_log_is_append_only_in_postgres(server: Harness) -> None:
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    practice = await server.practice()
    await server.user(practice)
    for statement in ("UPDATE audit_log SET action = 'x'", "DELETE FROM audit_log",
                      "TRUNCATE audit_log"):
        async with server.ctx.db.engine.connect() as conn:
            with pytest.raises(DBAPIError, match="append-only"):
                await conn.execute(text(statement))
    report = await admin.verify_audit_log(server.ctx)
    assert report.ok
    assert report.entries == 2


def test_cli_backup_and_restore_with_pg_dump(tmp_path: Path, postgres: PostgresServer) -> None:
    import json
    import shutil

    from tests.server.test_cli import cli

    if shutil.which("pg_dump") is None or shutil.which("pg_restore") is None:
        pytest.skip("PostgreSQL client tools (pg_dump, pg_restore) not installed")
    env = {"PRAXISDESK_DATABASE_URL": postgres.new_database_url()}
    data = str(tmp_path / "data")
    first = cli("create-practice", "Vorher", "--json", "--data-dir", data, env=env)
    assert first.returncode == 0, first.stderr
    dump = tmp_path / "backup.pgdump"
    result = cli("backup", str(dump), "--data-dir", data, env=env)
    assert result.returncode == 0, result.stderr
    cli("create-practice", "Nachher", "--json", "--data-dir", data, env=env)

    refused = cli("restore", str(dump), "--data-dir", data, env=env)
    assert refused.returncode == 2
    restored = cli("restore", str(dump), "--force", "--data-dir", data, env=env)
    assert restored.returncode == 0, restored.stderr
    verify = cli("audit", "verify", "--data-dir", data, env=env)
    assert verify.stdout.strip() == "ok, 1 entries"
    again = cli("create-practice", "Danach", "--json", "--data-dir", data, env=env)
    assert json.loads(again.stdout)["id"]
