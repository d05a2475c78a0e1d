from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from backend_server.users.schemas import UserOut


class LoginIn(BaseModel):
    email: str = Field(min_length=1, max_length=320)
    password: str = Field(min_length=1, max_length=1024)
    totp: str | None = Field(default=None, max_length=16)
    device_name: str | None = Field(default=None, max_length=200)


class RefreshIn(BaseModel):
    refresh_token: str = Field(min_length=1, max_length=200)


class TokensOut(BaseModel):
    access_token: str
    refresh_token: str
    token_type: Literal["bearer"] = "bearer"  # noqa: S105 - the OAuth2 scheme name
    expires_in: int
    session_id: str
    user: UserOut


class SessionOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    device_name: str | None
    created_at: datetime
    last_used_at: datetime
    current: bool


class TotpEnrollOut(BaseModel):
    secret: str
    otpauth_uri: str
    qr_svg: str


class TotpCodeIn(BaseModel):
    code: str = Field(min_length=1, max_length=16)
