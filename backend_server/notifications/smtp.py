"""Hands one message to the configured SMTP server (aiosmtplib)."""

from __future__ import annotations

from email.message import EmailMessage

import aiosmtplib

from backend_server.config import Settings


def sender_address(settings: Settings) -> str:
    if settings.smtp_from:
        return settings.smtp_from
    if "@" in settings.smtp_username:
        return settings.smtp_username
    return f"praxisdesk@{settings.smtp_host}"


async def send(settings: Settings, message: EmailMessage) -> None:
    implicit_tls = settings.smtp_port == 465
    password = settings.smtp_password.get_secret_value()
    await aiosmtplib.send(
        message,
        hostname=settings.smtp_host,
        port=settings.smtp_port,
        username=settings.smtp_username or None,
        password=password or None,
        use_tls=implicit_tls,
        start_tls=False if implicit_tls else settings.smtp_starttls,
        timeout=settings.smtp_timeout_seconds,
    )
