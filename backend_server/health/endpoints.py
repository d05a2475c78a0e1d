from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Request
from pydantic import BaseModel

router = APIRouter(tags=["health"])

# The wire protocol's generation: raised only by incompatible changes to /api/v1 (clients
# compare it with the one they speak; see app/server_compat.py).
API_VERSION = 1


class HealthOut(BaseModel):
    status: Literal["ok"]
    version: str
    api_version: int


@router.get("/health")
async def health(request: Request) -> HealthOut:
    # Read from the app (create_app's ``version``), not imported here, so a test server can
    # report another release without patching module globals.
    return HealthOut(status="ok", version=str(request.app.state.server_version),
                     api_version=API_VERSION)
