"""All ORM models; importing this package registers every table on ``Base.metadata``."""

from backend_server.models.attachment import Attachment
from backend_server.models.audit_entry import AuditEntry, AuditHead
from backend_server.models.auth_session import AuthSession, LoginThrottle, RefreshToken
from backend_server.models.base import Base, Synced, TenantScoped, UTCDateTime, new_id
from backend_server.models.call import Call, CallJob, TelephonySettings
from backend_server.models.change_log import ChangeLog
from backend_server.models.conversation import Conversation
from backend_server.models.deletion_log import DELETION_KINDS, DeletionLog
from backend_server.models.form import (
    FORM_DEFINITION_STATUSES,
    FORM_REQUEST_STATUSES,
    FormDefinition,
    FormRequest,
)
from backend_server.models.idempotency import IdempotencyKey
from backend_server.models.inquiry import INQUIRY_STATUSES, INQUIRY_TYPES, Inquiry
from backend_server.models.message import AUTHORS, Message
from backend_server.models.note import Note
from backend_server.models.patient import Patient
from backend_server.models.patient_link import LINK_REASONS, PatientLink
from backend_server.models.practice import Practice
from backend_server.models.practice_key import PracticeKey
from backend_server.models.retention_policy import (
    MAX_CONTENT_DAYS,
    MAX_VIDEO_DAYS,
    RetentionPolicy,
)
from backend_server.models.template import Template
from backend_server.models.user import ROLES, User

__all__ = [
    "AUTHORS",
    "DELETION_KINDS",
    "FORM_DEFINITION_STATUSES",
    "FORM_REQUEST_STATUSES",
    "INQUIRY_STATUSES",
    "INQUIRY_TYPES",
    "LINK_REASONS",
    "MAX_CONTENT_DAYS",
    "MAX_VIDEO_DAYS",
    "ROLES",
    "Attachment",
    "AuditEntry",
    "AuditHead",
    "AuthSession",
    "Base",
    "Call",
    "CallJob",
    "ChangeLog",
    "Conversation",
    "DeletionLog",
    "FormDefinition",
    "FormRequest",
    "IdempotencyKey",
    "Inquiry",
    "LoginThrottle",
    "Message",
    "Note",
    "Patient",
    "PatientLink",
    "Practice",
    "PracticeKey",
    "RefreshToken",
    "RetentionPolicy",
    "Synced",
    "TelephonySettings",
    "Template",
    "TenantScoped",
    "UTCDateTime",
    "User",
    "new_id",
]
