"""Log records as JSON lines, one object per line, for a log collector to parse.

`json_logging` is the one logging configuration: Django's LOGGING (settings.py) and gunicorn's
`logconfig_dict` (gunicorn.conf.py) are both built with it.
"""

import json
import logging
from datetime import UTC, datetime

# Attributes every LogRecord has; anything else on a record was passed in `extra=`.
_STANDARD = set(logging.makeLogRecord({}).__dict__) | {"message", "asctime"}

# gunicorn hands its access logger the request's atoms as a dict in `record.args`.
_GUNICORN_ACCESS = {
    "h": "remote_addr",
    "m": "method",
    "U": "path",
    "q": "query",
    "s": "status",
    "B": "bytes",
    "M": "duration_ms",
    "f": "referer",
    "a": "user_agent",
}


class JSONFormatter(logging.Formatter):
    def format(self, record):
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.name == "gunicorn.access" and isinstance(record.args, dict):
            for atom, key in _GUNICORN_ACCESS.items():
                if atom in record.args:
                    entry[key] = record.args[atom]
        request = getattr(record, "request", None)
        if request is not None and hasattr(request, "method"):
            entry["method"] = request.method
            entry["path"] = request.path
        for key, value in record.__dict__.items():
            if key not in _STANDARD and key not in entry and key != "request":
                entry[key] = value if isinstance(value, str | int | float | bool) else str(value)
        if record.exc_info:
            entry["traceback"] = self.formatException(record.exc_info)
        elif record.exc_text:
            entry["traceback"] = record.exc_text
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False)


def json_logging(level="INFO", loggers=None):
    """A dictConfig that writes every record at `level` and above as one JSON line on stdout.
    `loggers` configures named loggers on top (each sent to the "stdout" handler or to root)."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "skilltree.logs.JSONFormatter"}},
        "handlers": {
            "stdout": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stdout",
                "formatter": "json",
            }
        },
        "root": {"handlers": ["stdout"], "level": level},
        "loggers": loggers or {},
    }
