"""GET/PUT /api/v1/practice/retention: everyone reads, admins shorten, nobody lengthens."""

from __future__ import annotations

from sqlalchemy import select

from backend_server.models.audit_entry import AuditEntry
from tests.server.harness import Harness, assert_problem
from tests.server.inquiries.helpers import changes_after, of_kind, sync_cursor

PATH = "/api/v1/practice/retention"
DEFAULTS = {"content_days": 105, "video_days": 90, "max_content_days": 105,
            "max_video_days": 90}


async def test_staff_reads_admin_shortens(server: Harness) -> None:
    practice = await server.practice()
    admin = await server.logged_in(practice, "admin")
    staff = await server.logged_in(practice, "staff")
    other = await server.logged_in(await server.practice(), "admin")

    read = await server.client.get(PATH, headers=staff.headers)
    assert read.status_code == 200
    assert read.json() == DEFAULTS
    assert_problem(await server.client.put(PATH, headers=staff.headers,
                                           json={"content_days": 30, "video_days": 30}),
                   403, "forbidden")
    cursor = await sync_cursor(server, staff)

    updated = await server.client.put(PATH, headers=admin.headers,
                                      json={"content_days": 30, "video_days": 60})
    assert updated.status_code == 200, updated.text
    assert updated.json() == {**DEFAULTS, "content_days": 30, "video_days": 60}
    assert (await server.client.get(PATH, headers=staff.headers)).json()["content_days"] == 30
    # Another practice keeps its own periods.
    assert (await server.client.get(PATH, headers=other.headers)).json() == DEFAULTS

    # Clients learn the new periods through sync, and the change is audited.
    [policy] = of_kind(await changes_after(server, staff, cursor), "retention_policy")
    assert policy["data"]["content_days"] == 30
    assert policy["data"]["video_days"] == 60
    async with server.ctx.db.session(system=True) as session:
        actions = list((await session.execute(
            select(AuditEntry.action, AuditEntry.actor_user_id)
            .where(AuditEntry.practice_id == practice))).all())
    assert ("retention.update", admin.user_id) in actions


async def test_longer_than_the_contract_or_below_one_day_is_refused(server: Harness) -> None:
    practice = await server.practice()
    admin = await server.logged_in(practice, "admin")
    too_long = assert_problem(await server.client.put(
        PATH, headers=admin.headers, json={"content_days": 106, "video_days": 90}),
        422, "validation_error")
    assert [e["loc"] for e in too_long["errors"]] == [["body", "content_days"]]
    video = assert_problem(await server.client.put(
        PATH, headers=admin.headers, json={"content_days": 105, "video_days": 91}),
        422, "validation_error")
    assert [e["loc"] for e in video["errors"]] == [["body", "video_days"]]
    zero = assert_problem(await server.client.put(
        PATH, headers=admin.headers, json={"content_days": 0, "video_days": 90}),
        422, "validation_error")
    assert [e["loc"] for e in zero["errors"]] == [["body", "content_days"]]
    assert (await server.client.get(PATH, headers=admin.headers)).json() == DEFAULTS
