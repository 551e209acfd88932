"""Logs are JSON lines on stdout; a request that errors logs its traceback exactly once."""

import io
import json
import logging
import sys

import pytest
from django.test import Client
from django.urls import path

from skilltree.logs import JSONFormatter
from skilltree.urls import urlpatterns as site_urlpatterns


def broken_view(request):
    raise RuntimeError("the audit exploded")


# The site's own routes too: the 500 page links them.
urlpatterns = [*site_urlpatterns, path("boom/", broken_view)]


@pytest.fixture
def stdout_log():
    """What the app's stdout handler writes during the test."""
    handlers = [
        handler
        for handler in logging.getLogger().handlers
        if isinstance(handler.formatter, JSONFormatter)
    ]
    assert len(handlers) == 1, "one JSON handler on the root logger"
    (handler,) = handlers
    buffer = io.StringIO()
    previous = handler.setStream(buffer)
    yield buffer
    handler.setStream(previous)


def test_a_log_record_is_one_line_of_json_with_time_level_logger_and_message():
    record = logging.LogRecord(
        "skilltree.audit", logging.INFO, __file__, 1, "saved %s ratings", (37,), None
    )
    record.audit_id = 12

    line = JSONFormatter().format(record)

    assert "\n" not in line
    entry = json.loads(line)
    assert entry["level"] == "INFO"
    assert entry["logger"] == "skilltree.audit"
    assert entry["message"] == "saved 37 ratings"
    assert entry["audit_id"] == 12
    assert entry["time"].endswith("+00:00")


def test_an_exception_is_logged_with_its_traceback_inside_the_one_json_line():
    try:
        raise ValueError("bad rating")
    except ValueError:
        record = logging.LogRecord(
            "x", logging.ERROR, __file__, 1, "failed", (), exc_info=sys.exc_info()
        )

    entry = json.loads(JSONFormatter().format(record))

    assert entry["traceback"].startswith("Traceback (most recent call last)")
    assert "ValueError: bad rating" in entry["traceback"]


@pytest.mark.urls("tests.test_logging")
def test_a_request_that_errors_logs_its_traceback_once_as_json(stdout_log):
    response = Client(raise_request_exception=False).get("/boom/")

    assert response.status_code == 500
    lines = stdout_log.getvalue().splitlines()
    entries = [json.loads(line) for line in lines]
    assert stdout_log.getvalue().count("Traceback (most recent call last)") == 1
    (error,) = [entry for entry in entries if "traceback" in entry]
    assert error["level"] == "ERROR"
    assert error["logger"] == "django.request"
    assert error["status_code"] == 500
    assert error["method"] == "GET"
    assert error["path"] == "/boom/"
    assert "RuntimeError: the audit exploded" in error["traceback"]


def test_request_errors_reach_exactly_one_handler_and_it_writes_to_stdout():
    """Django's own console and mail handlers are off, so nothing prints the error twice."""
    reached = []
    logger = logging.getLogger("django.request")
    while logger:
        reached += [h for h in logger.handlers if not type(h).__module__.startswith("_pytest")]
        logger = logger.parent if logger.propagate else None

    (handler,) = reached
    assert isinstance(handler.formatter, JSONFormatter)
    assert logging.getLogger("django").handlers == []
