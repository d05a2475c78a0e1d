"""An in-process server (real app, real SQLite file, httpx over ASGI) for server tests."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI

from backend_server import admin
from backend_server.app import create_app
from backend_server.clock import MutableClock
from backend_server.config import Settings
from backend_server.context import ServerContext

PASSWORD = "correct horse battery"
_counter = itertools.count(1)


@dataclass
class Account:
    user_id: str
    practice_id: str
    email: str
    password: str
    role: str
    access_token: str = ""
    refresh_token: str = ""
    session_id: str = ""

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.access_token}"}


@dataclass
class Harness:
    app: FastAPI
    client: httpx.AsyncClient
    clock: MutableClock
    data_dir: Path
    settings: Settings
    logins: list[Account] = field(default_factory=list)

    @property
    def ctx(self) -> ServerContext:
        ctx: ServerContext = self.app.state.ctx
        return ctx

    async def practice(self, name: str | None = None, *, form_templates: bool = False) -> str:
        return await admin.create_practice(self.ctx, name or f"Praxis {next(_counter)}",
                                           form_templates=form_templates)

    async def user(self, practice_id: str, role: str = "staff", *, email: str | None = None,
                   password: str = PASSWORD, display_name: str | None = None) -> Account:
        email = email or f"user{next(_counter)}@example.org"
        user_id = await admin.create_user(self.ctx, practice_id=practice_id, email=email,
                                          role=role, password=password,
                                          display_name=display_name)
        return Account(user_id=user_id, practice_id=practice_id, email=email,
                       password=password, role=role)

    async def login(self, account: Account, **extra: Any) -> Account:
        response = await self.client.post("/api/v1/auth/login", json={
            "email": account.email, "password": account.password, **extra})
        assert response.status_code == 200, response.text
        body = response.json()
        account.access_token = body["access_token"]
        account.refresh_token = body["refresh_token"]
        account.session_id = body["session_id"]
        return account

    async def logged_in(self, practice_id: str, role: str = "staff", **kw: Any) -> Account:
        return await self.login(await self.user(practice_id, role, **kw))


def make_app(data_dir: Path, clock: MutableClock, database_url: str = "") -> tuple[FastAPI,
                                                                                   Settings]:
    settings = Settings(data_dir=data_dir, database_url=database_url)
    return create_app(settings, clock=clock), settings


def assert_problem(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert body["code"] == code
    assert body["type"] == f"https://praxisdesk.de/problems/{code}"
    assert isinstance(body["title"], str)
    assert body["title"]
    assert "detail" in body
    return body
