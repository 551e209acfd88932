"""The cache in front of the sessions with Redis (settings.CACHES["sessions"], under Django's
`cached_db` session engine): Django's RedisCache, whose failures read as "not in the cache".

`cached_db` reads a session from the database whenever the cache does not have it, but lets a
cache error through on some of its calls (keeping a session it just read from the database,
checking that a new key is free, deleting on log-out): with Redis down, every signed-in page
would be a 500. Here a failure is logged and answers as a miss, so the database answers instead.
After a failure the process reads nothing from Redis for a few seconds (`pages.shared_backoff`,
which the page cache's reads of the same Redis heed too). Writes and deletes are
always tried, so that no process reads a session from Redis in a state older than the database's
(a session signed out must not stay readable there): with Redis hung, a request pays one socket
timeout (50 ms) for keeping the session it read from the database.
"""

import logging

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache

from pages import shared_backoff

logger = logging.getLogger(__name__)


def _failed(action, error):
    shared_backoff.failed()
    logger.warning(
        "sessions cache %s failed, using the database", action, extra={"error": repr(error)}
    )


def _resting():
    return shared_backoff.resting()


class SessionsRedis(RedisCache):
    def get(self, key, default=None, version=None):
        if _resting():
            return default
        try:
            return super().get(key, default, version)
        except Exception as error:  # noqa: BLE001 - any cache failure reads as a miss
            _failed("read", error)
            return default

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            super().set(key, value, timeout, version)
        except Exception as error:  # noqa: BLE001 - the database holds the session anyway
            _failed("write", error)

    def has_key(self, key, version=None):
        if _resting():
            return False
        try:
            return super().has_key(key, version)
        except Exception as error:  # noqa: BLE001 - the database is asked next
            _failed("read", error)
            return False

    def delete(self, key, version=None):
        try:
            return super().delete(key, version)
        except Exception as error:  # noqa: BLE001 - the database row is deleted all the same
            _failed("delete", error)
            return False
