"""All ORM models; importing this package registers every table on ``Base.metadata``."""

from backend_server.models.audit_entry import AuditEntry, AuditHead
from backend_server.models.auth_session import AuthSession, LoginThrottle, RefreshToken
from backend_server.models.base import Base, Synced, TenantScoped, UTCDateTime, new_id
from backend_server.models.change_log import ChangeLog
from backend_server.models.conversation import Conversation
from backend_server.models.message import AUTHORS, Message
from backend_server.models.patient import Patient
from backend_server.models.patient_link import LINK_REASONS, PatientLink
from backend_server.models.practice import Practice
from backend_server.models.user import ROLES, User

__all__ = [
    "AUTHORS",
    "LINK_REASONS",
    "ROLES",
    "AuditEntry",
    "AuditHead",
    "AuthSession",
    "Base",
    "ChangeLog",
    "Conversation",
    "LoginThrottle",
    "Message",
    "Patient",
    "PatientLink",
    "Practice",
    "RefreshToken",
    "Synced",
    "TenantScoped",
    "UTCDateTime",
    "User",
    "new_id",
]
