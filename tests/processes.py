"""Helpers for tests that run the app the way production does: in subprocesses, on real ports,
against the local PostgreSQL, always cleaning up what they started."""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
POSTGRES = os.environ.get("SKILLTREE_TEST_POSTGRES", "postgres://postgres@127.0.0.1:5432")
SECRET_KEY = "test-only-secret-key-" + "k7Qp2xZ9vLm4Rt8Wb3Nc6Yd1Hf5Jg0" * 2


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def closed_port():
    """A port bound but not listening: connections to it are refused for as long as this lasts."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        yield sock.getsockname()[1]


def environment(**overrides):
    """The test runner's environment without any of the app's settings, plus `overrides`."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "GUNICORN_")) and key not in {"DATABASE_URL", "PORT"}
    }
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env["PYTHON"] = sys.executable
    env["PYTHONUNBUFFERED"] = "1"
    env.update({key: str(value) for key, value in overrides.items()})
    return env


def production_environment(**overrides):
    settings = {
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": SECRET_KEY,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_CSRF_TRUSTED_ORIGINS": "https://127.0.0.1",
    }
    return environment(**{**settings, **overrides})


def run(args, env, timeout=120, check=True):
    result = subprocess.run(
        args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    if check and result.returncode != 0:
        pytest.fail(f"{args} exited {result.returncode}\n{result.stdout}\n{result.stderr}")
    return result


def manage(*args, env, timeout=180, check=True):
    return run([sys.executable, "manage.py", *args], env=env, timeout=timeout, check=check)


def _admin_connection():
    psycopg = pytest.importorskip("psycopg")
    try:
        return psycopg.connect(f"{POSTGRES}/postgres", autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as error:
        message = f"PostgreSQL does not answer at {POSTGRES}: {error}"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


@contextlib.contextmanager
def postgres_database(purpose):
    """A new, empty PostgreSQL database of our own; dropped afterwards whatever happens."""
    name = f"skilltree_{purpose}_{uuid.uuid4().hex[:10]}"
    with _admin_connection() as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield f"{POSTGRES}/{name}"
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def fetch(url, headers=None, timeout=10):
    """(status, headers, body) for a GET, without following redirects and without raising on 4xx/5xx."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with opener.open(request, timeout=timeout) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


class Server:
    """A process started in its own process group, with its output collected in a file."""

    def __init__(self, args, env, log_path):
        self.log_path = Path(log_path)
        self._log = self.log_path.open("w")
        self.process = subprocess.Popen(
            args,
            cwd=ROOT,
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def output(self):
        self._log.flush()
        return self.log_path.read_text()

    def wait_until_answers(self, url, timeout=120):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"the server exited with {self.process.returncode}:\n{self.output()}")
            try:
                status, _, _ = fetch(url, timeout=2)
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.25)
        pytest.fail(f"{url} did not answer 200 within {timeout}s:\n{self.output()}")

    def stop(self, timeout=20):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=timeout)
        self._log.close()
        return self.process.returncode


@contextlib.contextmanager
def server(args, env, log_path):
    running = Server(args, env, log_path)
    try:
        yield running
    finally:
        running.stop()
