"""Two-factor login with TOTP: enrol, confirm, log in, refuse replays, turn off."""

from __future__ import annotations

from datetime import timedelta

from backend_server.auth.totp import code_at
from tests.server.harness import Harness, assert_problem

LOGIN = "/api/v1/auth/login"


async def test_enrol_confirm_and_login_with_code(server: Harness) -> None:
    practice = await server.practice()
    user = await server.logged_in(practice, "physician")

    enrol = await server.client.post("/api/v1/auth/totp/enroll", headers=user.headers)
    assert enrol.status_code == 200
    body = enrol.json()
    assert body["otpauth_uri"].startswith("otpauth://totp/Praxisdesk:")
    assert f"secret={body['secret']}" in body["otpauth_uri"]
    assert body["qr_svg"].lstrip().startswith("<svg")
    secret = body["secret"]

    # Not active until confirmed: login still works with the password alone.
    await server.login(user)
    bad = await server.client.post("/api/v1/auth/totp/confirm", headers=user.headers,
                                   json={"code": "000000" if code_at(secret, server.clock.now())
                                         != "000000" else "111111"})
    assert_problem(bad, 401, "invalid_totp")
    confirm = await server.client.post("/api/v1/auth/totp/confirm", headers=user.headers,
                                       json={"code": code_at(secret, server.clock.now())})
    assert confirm.status_code == 204
    me = await server.client.get("/api/v1/me", headers=user.headers)
    assert me.json()["totp_enabled"] is True

    no_code = await server.client.post(LOGIN, json={"email": user.email,
                                                    "password": user.password})
    assert_problem(no_code, 401, "totp_required")
    # The confirm code was used already; a new time step brings a fresh one.
    server.clock.advance(timedelta(seconds=30))
    code = code_at(secret, server.clock.now())
    ok = await server.client.post(LOGIN, json={"email": user.email, "password": user.password,
                                               "totp": code})
    assert ok.status_code == 200, ok.text
    replay = await server.client.post(LOGIN, json={"email": user.email,
                                                   "password": user.password, "totp": code})
    assert_problem(replay, 401, "invalid_totp")
    wrong_password = await server.client.post(LOGIN, json={
        "email": user.email, "password": "not the password", "totp": code})
    assert_problem(wrong_password, 401, "invalid_credentials")


async def test_turning_totp_off_needs_a_valid_code(server: Harness) -> None:
    practice = await server.practice()
    user = await server.logged_in(practice)
    secret = (await server.client.post("/api/v1/auth/totp/enroll",
                                       headers=user.headers)).json()["secret"]
    await server.client.post("/api/v1/auth/totp/confirm", headers=user.headers,
                             json={"code": code_at(secret, server.clock.now())})
    again = await server.client.post("/api/v1/auth/totp/enroll", headers=user.headers)
    assert_problem(again, 409, "conflict")
    server.clock.advance(timedelta(seconds=30))
    wrong = await server.client.request("DELETE", "/api/v1/auth/totp", headers=user.headers,
                                        json={"code": "12345x"})
    assert_problem(wrong, 401, "invalid_totp")
    off = await server.client.request("DELETE", "/api/v1/auth/totp", headers=user.headers,
                                      json={"code": code_at(secret, server.clock.now())})
    assert off.status_code == 204
    await server.login(user)  # password alone again
