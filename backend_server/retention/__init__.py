"""Retention and data rights: how long content is kept, the deletion log, the purge."""
