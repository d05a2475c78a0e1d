"""Every error is RFC 9457 problem+json with a stable code; nothing internal leaks."""

from __future__ import annotations

import logging
from pathlib import Path

import httpx
import pytest

from app import __version__ as client_version
from backend_server import __version__
from backend_server.app import create_app
from backend_server.config import Settings
from tests.server.harness import Harness, assert_problem


async def test_health_needs_no_login(server: Harness) -> None:
    response = await server.client.get("/api/v1/health")
    assert response.status_code == 200
    # The client's compatibility check reads version and api_version (app/server_compat.py).
    assert response.json() == {"status": "ok", "version": __version__, "api_version": 1}
    assert __version__ == client_version  # one version source for client and server


async def test_health_reports_the_version_the_app_was_built_with(tmp_path: Path) -> None:
    app = create_app(Settings(data_dir=tmp_path / "data", database_url=""), version="0.3.0")
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
            body = (await c.get("/api/v1/health")).json()
            openapi = (await c.get("/api/v1/openapi.json")).json()
    assert body == {"status": "ok", "version": "0.3.0", "api_version": 1}
    assert openapi["info"]["version"] == "0.3.0"


async def test_openapi_is_served_under_api_v1(server: Harness) -> None:
    response = await server.client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert "/api/v1/auth/login" in response.json()["paths"]


async def test_401_without_token_and_with_garbage_token(server: Harness) -> None:
    assert_problem(await server.client.get("/api/v1/me"), 401, "not_authenticated")
    response = await server.client.get("/api/v1/me", headers={"Authorization": "Bearer xyz"})
    assert_problem(response, 401, "not_authenticated")


async def test_403_for_staff_on_admin_endpoint(server: Harness) -> None:
    practice = await server.practice()
    staff = await server.logged_in(practice, "staff")
    response = await server.client.post("/api/v1/users", headers=staff.headers, json={
        "email": "new@example.org", "password": "long enough", "role": "staff",
        "display_name": "Neu"})
    assert_problem(response, 403, "forbidden")
    listing = await server.client.get("/api/v1/users", headers=staff.headers)
    assert [u["email"] for u in listing.json()] == [staff.email]


async def test_404_unknown_object_and_unknown_route(server: Harness) -> None:
    practice = await server.practice()
    staff = await server.logged_in(practice)
    response = await server.client.get("/api/v1/users/00000000-0000-0000-0000-000000000000",
                                       headers=staff.headers)
    assert_problem(response, 404, "not_found")
    assert_problem(await server.client.get("/api/v1/nope"), 404, "not_found")


async def test_422_lists_fields_and_does_not_echo_input(server: Harness) -> None:
    response = await server.client.post(
        "/api/v1/auth/login", json={"email": "a@b.de", "password": "", "extra": "x"})
    body = assert_problem(response, 422, "validation_error")
    assert body["errors"] == [{"loc": ["body", "password"], "msg": body["errors"][0]["msg"]}]
    response = await server.client.post("/api/v1/auth/login", content=b"{not json",
                                        headers={"content-type": "application/json"})
    assert_problem(response, 422, "validation_error")


async def test_500_is_a_problem_without_stack_trace_and_body_not_logged(
    server: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    async def explode(payload: dict[str, str]) -> None:
        raise RuntimeError("database exploded")

    server.app.add_api_route("/api/v1/test-explode", explode, methods=["POST"])
    with caplog.at_level(logging.ERROR, logger="backend_server.errors"):
        response = await server.client.post("/api/v1/test-explode",
                                            json={"note": "Patientin Erika Musterfrau"})
    body = assert_problem(response, 500, "internal_error")
    assert "exploded" not in response.text
    assert "Traceback" not in response.text
    assert set(body) == {"type", "title", "status", "detail", "code"}
    assert "/api/v1/test-explode" in caplog.text  # the failure is logged for the admin...
    assert "Musterfrau" not in caplog.text  # ...without the request body


async def test_wrong_method_is_a_problem_too(server: Harness) -> None:
    assert_problem(await server.client.delete("/api/v1/health"), 405, "method_not_allowed")
