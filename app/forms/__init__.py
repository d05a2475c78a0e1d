"""Forms (issue 8) on the client: definitions, their conditions, and the admin's versions."""
