"""Django's PostgreSQL backend, with a cheaper health check for persistent connections.

With CONN_HEALTH_CHECKS, Django asks PostgreSQL `SELECT 1` before each request's first query, so
that a connection the server has ended (a restart, `pg_terminate_backend`, an idle timeout) is
replaced instead of failing the request. That is a round trip on every request: on a rating
click, a fifth of its time. A connection the server has ended always has something to read (its
farewell message, then the end of the stream), and a healthy idle one has nothing, since this app
never LISTENs. So only a connection with something waiting to be read gets Django's check: it
reads what came (a farewell fails it, and Django reconnects) and answers as before.
"""

import select

from django.db.backends.postgresql import base


def _has_something_to_read(connection):
    poller = select.poll()
    poller.register(connection.fileno(), select.POLLIN | select.POLLPRI)
    return bool(poller.poll(0))


class DatabaseWrapper(base.DatabaseWrapper):
    def close_if_health_check_failed(self):
        if (
            self.connection is not None
            and self.health_check_enabled
            and not self.health_check_done
            and not self.pool
            and not self.connection.closed
            and not _has_something_to_read(self.connection)
        ):
            self.health_check_done = True
            return
        super().close_if_health_check_failed()
