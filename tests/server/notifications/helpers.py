from __future__ import annotations

import re
from email.message import EmailMessage

from backend_server.notifications.service import Notifier
from tests.server.harness import Harness

LINK = re.compile(r"https?://\S+/p/([A-Za-z0-9_-]+)")


def body_of(mail: EmailMessage) -> str:
    part = mail.get_body(("plain",))
    assert part is not None
    content = part.get_content()
    assert isinstance(content, str)
    return content


def tokens_in(mail: EmailMessage) -> set[str]:
    return set(LINK.findall(body_of(mail)))


async def settle(server: Harness) -> None:
    """Until every background notification of the server has finished."""
    notifier = server.app.state.notifier
    assert isinstance(notifier, Notifier)
    await notifier.wait_idle(timeout=10)
