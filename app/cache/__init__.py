"""The encrypted local cache (SQLCipher)."""

from app.cache.database import (
    CacheDB,
    CacheError,
    CacheKeyError,
    is_encrypted_file,
    open_cache,
    open_cache_sync,
    wipe_cache,
)

__all__ = ["CacheDB", "CacheError", "CacheKeyError", "is_encrypted_file", "open_cache",
           "open_cache_sync", "wipe_cache"]
