"""Admin device management: every live login session of the practice, and revoking one."""
