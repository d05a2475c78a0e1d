"""Reply templates as the admin edits them: the server's limits and the refusal for others."""

from __future__ import annotations

from app.api.errors import Forbidden

# The server's limits (docs/api-contract.md, "Templates"); the UI checks them before sending.
TITLE_MAX = 100
BODY_MAX = 5000


class TemplateEditForbidden(Forbidden):
    """The server refused (403): only administrators may create, edit or delete templates."""

    def __init__(self, detail: str = "Only administrators can edit reply templates.", *,
                 status: int | None = 403) -> None:
        super().__init__(detail, status=status)
