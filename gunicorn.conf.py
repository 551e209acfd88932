"""gunicorn settings for bin/start, each from the environment with a default.

GUNICORN_WORKERS processes x GUNICORN_THREADS threads serve requests at once per container.
"""

import os

from skilltree.logs import json_logging


def _int(name, default):
    return int(os.environ.get(name, default))


bind = f"{os.environ.get('GUNICORN_HOST', '0.0.0.0')}:{_int('PORT', 8000)}"
workers = _int("GUNICORN_WORKERS", 2)
threads = _int("GUNICORN_THREADS", 4)
worker_class = "gthread"
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GUNICORN_KEEPALIVE", 5)
max_requests = _int("GUNICORN_MAX_REQUESTS", 1000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 100)
# Request bodies go to /dev/shm, not the container's disk (gunicorn's advice for Docker).
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None

accesslog = "-" if os.environ.get("GUNICORN_ACCESS_LOG", "1") != "0" else None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# The same JSON lines as Django's own logs (skilltree.logs.json_logging), gunicorn's loggers on top.
logconfig_dict = json_logging(
    "INFO",
    loggers={
        "gunicorn.error": {"handlers": ["stdout"], "level": loglevel.upper(), "propagate": False},
        "gunicorn.access": {"handlers": ["stdout"], "level": "INFO", "propagate": False},
    },
)
