"""Engine, sessions, tenant scoping, change tracking and migrations."""

from backend_server.db.database import Database
from backend_server.db.tenancy import ALL_PRACTICES, TenantScopeMissing, set_practice_scope

__all__ = ["ALL_PRACTICES", "Database", "TenantScopeMissing", "set_practice_scope"]
